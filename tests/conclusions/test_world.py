from conclusions.models import ConclusionNotice


def test_world_has_an_issued_notice(world):
    assert world.notice.status == ConclusionNotice.Status.ISSUED
    assert world.notice.number == "1029-TB/TU"
    assert world.assignment_x.dues.count() == 1
    assert world.assignment_y.dues.count() >= 2
    assert world.draft_notice.status == ConclusionNotice.Status.DRAFT
