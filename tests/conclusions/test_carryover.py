"""The carry-over page: when the next program of a series is prepared, what the previous one's
conclusions achieved and what is still open (assignments not done, items not answered or
answered late)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conclusions import workflow
from directory.models import Role
from tests.factories import make_program
from tests.helpers import count_queries


@pytest.fixture
def next_program(world):
    """The 2028 program of the series; the world's program is its previous one."""
    return make_program(
        world.province,
        world.party_committee,
        world.board,
        by=world.users[Role.ORGANIZER],
        title="Chương trình gặp mặt, đối thoại năm 2028",
        previous=world.program,
    )


def url(program) -> str:
    return reverse("conclusions:carryover", args=[program.pk])


def test_without_a_previous_program_a_clear_empty_state(world, login):
    page = login(world.users[Role.ORGANIZER]).get(url(world.program)).content.decode()
    assert "Chương trình này không có kỳ trước" in page
    assert "Kết quả kỳ trước" in page  # the program's tab, active


def test_shows_what_was_achieved_and_what_is_open(world, login, next_program):
    w = world
    workflow.report_progress(w.assignment_x, by=w.users[Role.AGENCY_OFFICER], text="Đã hoàn thành", completes=True)
    page = login(w.users[Role.STANDING_COMMITTEE]).get(url(next_program)).content.decode()
    assert w.program.title in page and "Thông báo kết luận 1029-TB/TU" in page
    achieved, still_open = page.split("Đã đạt được")[1], page.split("Còn tồn đọng")[1].split("Đã đạt được")[0]
    assert "Trả lời kiến nghị về đường liên xã" in achieved and "Hoàn thành – đúng hạn" in achieved
    assert "Báo cáo hằng năm kết quả thực hiện" in still_open and "Chưa hoàn thành – trong hạn" in still_open
    # Items: A is routed and waiting, B was never routed; the published one was answered on time.
    items = page.split("Câu hỏi, đề xuất, kiến nghị chưa trả lời hoặc trả lời trễ hạn")[1]
    assert w.item_a.reference in items and w.item_b.reference in items
    assert w.item_published.reference not in items
    assert "Chưa giao cơ quan trả lời" in items and "Chưa trả lời – trong hạn" in items
    assert reverse("conclusions:followup_report", args=[w.notice.pk]) in page
    # The draft notice of the previous program is not a result.
    assert "dự thảo kết luận bổ sung" not in page


def test_a_previous_program_without_an_issued_notice(world, login, next_program):
    previous = make_program(world.province, world.party_committee, world.board, title="Đối thoại năm 2018")
    next_program.previous = previous
    next_program.save()
    page = login(world.users[Role.ORGANIZER]).get(url(next_program)).content.decode()
    assert "chưa có thông báo kết luận nào đã ban hành" in page


def test_only_for_followup_readers(world, login, next_program):
    assert login(world.users[Role.SUPERVISOR]).get(url(next_program)).status_code == 200
    assert login(world.users[Role.AGENCY_OFFICER]).get(url(next_program)).status_code == 403
    assert login(world.users[Role.COMMUNE_LEADER]).get(url(next_program)).status_code == 403
    assert login(world.users[Role.ORGANIZER]).get(url(world.other_program)).status_code == 404


def test_query_count_does_not_grow_with_assignments(world, login, next_program):
    from tests.factories import add_assignment, issue_notice, make_notice

    client = login(world.users[Role.ORGANIZER])
    client.get(url(next_program))
    few = count_queries(client, url(next_program))
    organizer = world.users[Role.ORGANIZER]
    notice = make_notice(world.program, by=organizer, summary="kết luận bổ sung")
    for index in range(15):
        add_assignment(notice, world.agency_y, by=organizer, text=f"Nhiệm vụ bổ sung {index}")
    issue_notice(notice, organizer=organizer, approver=world.users[Role.STANDING_COMMITTEE], sequence=1100)
    many = count_queries(client, url(next_program))
    assert few == many
