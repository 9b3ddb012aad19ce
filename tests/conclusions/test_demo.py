"""The demo's notices of conclusions: 1029-TB/TU of the 2023 program with its six key tasks and
the work of the four bodies, the 2018 notice it carries over, built through the workflow, once."""

import datetime

import pytest
from django.core.management import call_command

from conclusions import demo
from conclusions.models import (
    Assignment,
    ConclusionNotice,
    Due,
    Evidence,
    Extension,
    KeyTask,
    ProgressReport,
    SupervisionRemark,
)
from conclusions.status import AssignmentState, state_of
from dialogue.uploads import check_upload
from directory.models import ActionLog
from programs import demo as programs_demo
from programs.models import Program
from submissions.models import Submission

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 22)  # the day the demo is written for; states are read as of then


@pytest.fixture
def program(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # the evidence files
    call_command("import_admin_units", "--province", "40", verbosity=0)
    call_command("seed_demo", verbosity=0)
    return Program.objects.get(title=programs_demo.TITLE_2023)


def _by_order(notice):
    return {a.order: a for a in notice.assignments.select_related("lead_agency")}


def check_notice_1029_issued_with_six_key_tasks_and_four_bodies(program):
    notice = program.notices.get()
    assert notice.number == "1029-TB/TU"
    assert notice.status == ConclusionNotice.Status.ISSUED
    assert notice.issued_on == datetime.date(2023, 8, 28)
    assert notice.issuer_lines() == ["TỈNH ỦY NGHỆ AN"]
    assert (notice.signing_form, notice.signing_body, notice.signer_title) == (
        "T/L",
        "BAN THƯỜNG VỤ",
        "CHÁNH VĂN PHÒNG",
    )
    assert "Đảng ủy các xã, phường, thị trấn" in notice.recipient_lines()
    assert len(notice.recipient_lines()) >= 5
    # Every timestamp the workflow stamped is moved back to when it happened.
    assert notice.created_at.year == notice.approved_at.year == notice.issued_at.year == 2023
    tasks = list(notice.key_tasks.order_by("order"))
    assert [t.order for t in tasks] == [1, 2, 3, 4, 5, 6]
    assert tasks[0].text.startswith("Làm tốt việc sơ kết giữa nhiệm kỳ")
    assert "sắp xếp đơn vị hành chính" in tasks[1].text

    work = _by_order(notice)
    assert {a.lead_agency.code for a in work.values()} == {
        "na-ban-tuyen-giao",
        "na-ban-to-chuc",
        "na-bcsd-ubnd",
        "na-ban-dan-van",
    }
    assert work[1].output == Assignment.Output.PUBLICITY
    assert work[3].output == Assignment.Output.REGULATION and "thí điểm" in work[3].text
    assert work[7].schedule == Assignment.Schedule.CYCLE
    assert list(work[7].dues.values_list("due_on", flat=True)) == [
        datetime.date(2023, 12, 15),
        datetime.date(2024, 12, 15),
        datetime.date(2025, 12, 15),
    ]
    # The answer assignments carry the program's proposals answered in writing, split by field.
    personnel, departmental = work[2].submissions.all(), work[4].submissions.all()
    assert personnel.exists() and departmental.exists()
    assert not personnel.exclude(field__code__in=demo.PERSONNEL_FIELDS).exists()
    assert not departmental.filter(field__code__in=demo.PERSONNEL_FIELDS).exists()
    written = program.submissions.filter(answer_mode=Submission.AnswerMode.IN_WRITING)
    assert personnel.count() + departmental.count() == written.count()
    assert work[4].coordinating_agencies.filter(kind="department").count() >= 5


def check_follow_up_shows_every_state_and_2018_carry_over(program):
    notice = program.notices.get()
    work = _by_order(notice)
    states = {order: state_of(a, TODAY) for order, a in work.items()}
    assert states[2] == states[4] == AssignmentState.OPEN_OVERDUE  # answers still missing
    assert states[6] == AssignmentState.DONE_LATE
    assert states[1] == states[5] == states[7] == AssignmentState.DONE_ON_TIME
    # The pilot regulation: one extension approved, the notice's deadline kept, done within the new one.
    extension = Extension.objects.get(due__assignment=work[3])
    assert extension.status == Extension.Status.APPROVED
    due = extension.due
    assert (due.original_due_on, due.due_on) == (datetime.date(2024, 6, 30), datetime.date(2024, 12, 31))
    assert due.is_extended and due.done_on <= due.due_on
    assert states[3] == AssignmentState.DONE_ON_TIME
    refused = Extension.objects.get(due__assignment=work[4])
    assert refused.status == Extension.Status.REFUSED and refused.decision_note
    assert refused.decided_at.year == 2023
    # Progress reports are dated when they were sent, some with a PDF the upload check accepts.
    reports = ProgressReport.objects.filter(assignment__notice=notice)
    assert reports.count() >= 12
    assert {r.reported_at.year for r in reports} == {2023, 2024, 2025}
    evidence = Evidence.objects.filter(report__assignment__notice=notice)
    assert evidence.exists()
    with evidence.first().file.open("rb") as fh:
        assert check_upload(fh).content_type == "application/pdf"
    remarks = SupervisionRemark.objects.filter(assignment__notice=notice)
    assert remarks.exists() and {r.author.username for r in remarks} == {"mttq"}
    # The columns the lists filter on agree with the dues (as `workflow.refresh` keeps them).
    for assignment in work.values():
        open_dates = list(assignment.dues.filter(done_on=None).values_list("due_on", flat=True))
        assert assignment.next_due_on == (min(open_dates) if open_dates else None)

    # The 2018 notice, mostly done, with open work the 2023 program carries over.
    previous = program.previous
    assert previous.title == programs_demo.TITLE_2018
    notice = previous.notices.get()
    assert notice.status == ConclusionNotice.Status.ISSUED and notice.issued_on.year == 2018
    states = [state_of(a, TODAY) for a in notice.assignments.all()]
    done = [s for s in states if s in (AssignmentState.DONE_ON_TIME, AssignmentState.DONE_LATE)]
    assert len(done) > len(states) / 2
    assert states.count(AssignmentState.OPEN_OVERDUE) == 2
    assert ProgressReport.objects.filter(assignment__notice=notice, reported_by__username="so.giaothong").exists()


def check_seed_again_changes_nothing():
    models = [ConclusionNotice, KeyTask, Assignment, Due, ProgressReport, Evidence, Extension, SupervisionRemark]

    def snapshot():
        rows = {model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in models}
        rows["log"] = ActionLog.objects.count()
        rows["states"] = sorted(Assignment.objects.values_list("pk", "next_due_on", "completed_on", "late_dues"))
        return rows

    before = snapshot()
    demo.seed()
    call_command("seed_demo", verbosity=0)
    assert snapshot() == before


def test_demo_seeds_the_notices_once(program):
    """One seed (it takes a while) checked from every side."""
    check_notice_1029_issued_with_six_key_tasks_and_four_bodies(program)
    check_follow_up_shows_every_state_and_2018_carry_over(program)
    check_seed_again_changes_nothing()


def test_minimal_pdf_passes_the_upload_check():
    import io

    data = demo.minimal_pdf("Báo cáo (năm 2024)", ["Dòng thứ hai"])
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    assert check_upload(io.BytesIO(data)).content_type == "application/pdf"
