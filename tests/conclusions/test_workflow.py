"""The notice's life (draft → submitted → approved → issued → superseded) and the follow-up of
its assignments: reports fulfil dues, extensions move them and keep the original, statuses
come from dates."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from conclusions import workflow
from conclusions.models import Assignment, ConclusionNotice, Due, Extension, ReportingCycle
from conclusions.status import AssignmentState, state_of, with_state
from directory.models import ActionLog, Role
from tests.factories import add_assignment, issue_notice, make_notice

N = ConclusionNotice.Status
D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def people(world):
    return world.users[Role.ORGANIZER], world.users[Role.STANDING_COMMITTEE], world.users[Role.AGENCY_OFFICER]


def verbs(obj):
    return list(ActionLog.objects.filter(target_id=obj.pk).order_by("id").values_list("verb", flat=True))


def test_a_notice_goes_from_draft_to_issued_and_every_step_is_logged(world, people):
    organizer, approver, _officer = people
    notice = make_notice(world.program, by=organizer, key_tasks=["Thứ nhất", "Thứ hai"])
    add_assignment(notice, world.agency_x, by=organizer, working_days=10)
    workflow.submit(notice, by=organizer)
    workflow.approve(notice, by=approver)
    notice = workflow.issue(notice, by=organizer, sequence=1030, issued_on=timezone.localdate())
    assert notice.status == N.ISSUED and notice.number == "1030-TB/TU"
    assert notice.issued_year == timezone.localdate().year
    assert [t.text for t in notice.key_tasks.all()] == ["Thứ nhất", "Thứ hai"]
    assert {"notice.create", "notice.submit", "notice.approve", "notice.issue"} <= set(verbs(notice))
    assert notice.assignments.get().dues.count() == 1


def test_steps_out_of_order_are_refused(world, people):
    organizer, approver, _officer = people
    notice = world.draft_notice
    with pytest.raises(workflow.WorkflowError):
        workflow.approve(notice, by=approver)
    with pytest.raises(workflow.WorkflowError):
        workflow.issue(notice, by=organizer, sequence=5, issued_on=timezone.localdate())
    empty = make_notice(world.program, by=organizer, key_tasks=[])
    with pytest.raises(workflow.WorkflowError, match="chưa có nhiệm vụ"):
        workflow.submit(empty, by=organizer)


def test_returned_notice_is_a_draft_again_with_the_remark(world, people):
    organizer, approver, _officer = people
    notice = workflow.submit(world.draft_notice, by=organizer)
    with pytest.raises(workflow.WorkflowError):
        workflow.return_to_draft(notice, by=approver, remark="  ")
    notice = workflow.return_to_draft(notice, by=approver, remark="Bổ sung thời hạn")
    assert notice.status == N.DRAFT and notice.remark == "Bổ sung thời hạn"
    workflow.update_notice(notice, by=organizer, assessment="Đánh giá mới")


def test_an_issued_notice_is_frozen(world, people):
    organizer, _approver, _officer = people
    notice = world.notice
    with pytest.raises(workflow.WorkflowError, match="đính chính"):
        workflow.update_notice(notice, by=organizer, assessment="Sửa lén")
    with pytest.raises(workflow.WorkflowError, match="đính chính"):
        workflow.save_key_tasks(notice, ["Khác"], by=organizer)
    with pytest.raises(workflow.WorkflowError):
        add_assignment(notice, world.agency_x, by=organizer)
    with pytest.raises(workflow.WorkflowError):
        workflow.delete_assignment(world.assignment_x, by=organizer)
    notice.refresh_from_db()
    assert notice.assessment != "Sửa lén" and notice.assignments.count() == 2


def test_the_number_is_unique_per_issuer_and_year(world, people):
    organizer, approver, _officer = people
    notice = world.draft_notice
    workflow.submit(notice, by=organizer)
    workflow.approve(notice, by=approver)
    with pytest.raises(workflow.WorkflowError, match="đã được dùng"):
        workflow.issue(notice, by=organizer, sequence=1029, issued_on=timezone.localdate())
    last_year = timezone.localdate().replace(year=timezone.localdate().year - 1, month=6, day=1)
    issued = workflow.issue(notice, by=organizer, sequence=1029, issued_on=last_year)  # another year: allowed
    assert issued.number == "1029-TB/TU"
    with pytest.raises(IntegrityError), transaction.atomic():  # and the database holds the rule too
        ConclusionNotice.objects.filter(pk=world.notice.pk).update(issued_year=last_year.year)


def test_a_correction_takes_over_reports_and_supersedes_the_old_notice(world, people):
    organizer, approver, officer = people
    report = workflow.report_progress(world.assignment_x, by=officer, text="Đã khảo sát tuyến đường", percent=40)
    correction = workflow.correct(world.notice, by=organizer)
    assert correction.status == N.DRAFT and correction.replaces_id == world.notice.pk
    assert correction.assignments.count() == 2 and correction.key_tasks.count() == 1
    with pytest.raises(workflow.WorkflowError, match="đã có bản đính chính"):
        workflow.correct(world.notice, by=organizer)
    carried = correction.assignments.get(carried_from=world.assignment_x)
    assert list(carried.submissions.all()) == [world.item_a]
    issue_notice(correction, organizer=organizer, approver=approver, sequence=1100)
    world.notice.refresh_from_db()
    assert world.notice.status == N.SUPERSEDED
    report.refresh_from_db()
    assert report.assignment_id == carried.pk
    # The old notice's work is no longer followed.
    with pytest.raises(workflow.WorkflowError):
        workflow.report_progress(world.assignment_x, by=officer, text="Muộn")


def test_a_deadline_is_fulfilled_by_a_report_that_completes_it(world, people):
    _organizer, _approver, officer = people
    assignment = world.assignment_x
    workflow.report_progress(assignment, by=officer, text="Đang triển khai", percent=50)
    assignment.refresh_from_db()
    assert state_of(assignment) == AssignmentState.OPEN_WITHIN
    workflow.report_progress(assignment, by=officer, text="Đã trả lời xong", percent=100)
    assignment.refresh_from_db()
    assert assignment.next_due_on is None and assignment.completed_on == timezone.localdate()
    assert state_of(assignment) == AssignmentState.DONE_ON_TIME
    assert "assignment.report" in verbs(assignment)


def test_states_come_from_dates(world, people):
    _organizer, _approver, officer = people
    today = timezone.localdate()
    assignment = world.assignment_x
    due = assignment.dues.get()
    Due.objects.filter(pk=due.pk).update(due_on=today - datetime.timedelta(days=3))
    workflow.refresh(assignment)
    assignment.refresh_from_db()
    assert state_of(assignment) == AssignmentState.OPEN_OVERDUE
    annotated = with_state(Assignment.objects.filter(pk=assignment.pk)).get()
    assert annotated.state == AssignmentState.OPEN_OVERDUE and annotated.state_rank == 0
    workflow.report_progress(assignment, by=officer, text="Xong", completes=True)
    assignment.refresh_from_db()
    assert state_of(assignment) == AssignmentState.DONE_LATE
    assert with_state(Assignment.objects.filter(pk=assignment.pk)).get().state == AssignmentState.DONE_LATE


def test_a_cycle_report_fulfils_its_period_only(world, people):
    officer_y = world.users["agency_officer_y"]
    assignment = world.assignment_y
    first, second = assignment.dues.all()[:2]
    workflow.report_progress(assignment, by=officer_y, text="Báo cáo năm", due=first)
    first.refresh_from_db()
    second.refresh_from_db()
    assignment.refresh_from_db()
    assert first.done_on == timezone.localdate() and second.done_on is None
    assert assignment.next_due_on == second.due_on
    with pytest.raises(workflow.WorkflowError, match="không thuộc"):
        workflow.report_progress(world.assignment_x, by=officer_y, text="Nhầm", due=second)


def test_an_extension_moves_the_due_and_keeps_the_original(world, people):
    organizer, _approver, officer = people
    due = world.assignment_x.dues.get()
    original = due.due_on
    later = original + datetime.timedelta(days=30)
    with pytest.raises(workflow.WorkflowError):
        workflow.request_extension(due, by=officer, until=original, reason="Cần thêm thời gian")
    extension = workflow.request_extension(due, by=officer, until=later, reason="Chờ vốn")
    with pytest.raises(workflow.WorkflowError, match="đang chờ"):
        workflow.request_extension(due, by=officer, until=later, reason="Lần nữa")
    workflow.decide_extension(extension, by=organizer, approve=True)
    due.refresh_from_db()
    assert (due.due_on, due.original_due_on, due.is_extended) == (later, original, True)
    world.assignment_x.refresh_from_db()
    assert world.assignment_x.next_due_on == later
    with pytest.raises(workflow.WorkflowError, match="đã được quyết định"):
        workflow.decide_extension(extension, by=organizer, approve=False, note="Đổi ý")
    assert "extension.approve" in verbs(world.assignment_x)


def test_a_refusal_needs_a_reason_and_leaves_the_due(world, people):
    organizer, _approver, officer = people
    due = world.assignment_x.dues.get()
    extension = workflow.request_extension(due, by=officer, until=due.due_on + datetime.timedelta(days=5), reason="X")
    with pytest.raises(workflow.WorkflowError):
        workflow.decide_extension(extension, by=organizer, approve=False)
    workflow.decide_extension(extension, by=organizer, approve=False, note="Đủ thời gian")
    extension.refresh_from_db()
    due.refresh_from_db()
    assert extension.status == Extension.Status.REFUSED and due.due_on == due.original_due_on


def test_assignment_rules(world, people):
    organizer, _approver, _officer = people
    notice = make_notice(world.program, by=organizer)
    with pytest.raises(workflow.WorkflowError) as caught:
        add_assignment(notice, world.agency_x, by=organizer, coordinating=[world.agency_x])
    assert "coordinating_agencies" in caught.value.message_dict
    with pytest.raises(workflow.WorkflowError) as caught:
        add_assignment(notice, world.agency_x, by=organizer, schedule=Assignment.Schedule.CYCLE)
    assert {"cycle", "cycle_until"} <= set(caught.value.message_dict)
    with pytest.raises(workflow.WorkflowError) as caught:
        add_assignment(notice, world.agency_x, by=organizer, deadline=D(2030, 1, 1), working_days=3)
    assert "deadline" in caught.value.message_dict
    foreign = world.other_program
    with pytest.raises(workflow.WorkflowError):
        add_assignment(notice, world.agency_x, by=organizer, submissions=[type(world.item_a)(program=foreign)])
    kept = add_assignment(
        notice,
        world.agency_x,
        by=organizer,
        schedule=Assignment.Schedule.CYCLE,
        cycle=ReportingCycle.QUARTERLY,
        cycle_until=D(2030, 1, 1),
        deadline=D(2029, 1, 1),
    )
    assert kept.deadline is None and kept.order == 1  # the schedule not chosen is cleared


def test_remarks_are_recorded(world):
    remark = workflow.add_remark(world.assignment_y, by=world.users[Role.SUPERVISOR], text="Cần báo cáo cụ thể hơn")
    assert remark.author == world.users[Role.SUPERVISOR]
    assert "assignment.remark" in verbs(world.assignment_y)
    with pytest.raises(workflow.WorkflowError):
        workflow.add_remark(world.assignment_y, by=world.users[Role.SUPERVISOR], text="")
