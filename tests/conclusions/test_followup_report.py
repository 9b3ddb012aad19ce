"""The yearly follow-up report: what collect() gathers and in how many queries, the PDF and
the Excel read back, the report page, and the background job that renders it (eager here;
tests/integration/test_followup_report_job.py runs it on a real worker)."""

from __future__ import annotations

import datetime
import io
import re
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from conclusions import followup_report, workflow
from conclusions import jobs as conclusion_jobs
from conclusions.models import ProgressReport
from conclusions.status import AssignmentState, state_of
from dialogue.celery import app as celery_app
from directory import jobs
from directory.models import BackgroundJob, Role
from tests.factories import add_assignment, issue_notice, make_notice

TODAY = timezone.localdate()
YEAR = TODAY.year
REPORT = "Đã khảo sát hiện trạng tuyến đường liên xã, lập dự toán nâng cấp và trình phê duyệt chủ trương đầu tư."
EVIDENCE = "Biên bản khảo sát hiện trạng đường liên xã.pdf"


def pdf_upload(name: str = EVIDENCE) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n", "application/pdf")


def normal(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def pdf_text(content: bytes) -> str:
    return normal(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def eager():
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def reported(world):
    """Agency X reports on its assignment with evidence; the Front remarks; Y asks for more time."""
    workflow.report_progress(
        world.assignment_x,
        by=world.users[Role.AGENCY_OFFICER],
        text=REPORT,
        percent=40,
        milestone="Khảo sát xong",
        files=[pdf_upload()],
    )
    workflow.add_remark(
        world.assignment_x, by=world.users[Role.SUPERVISOR], text="Đề nghị công khai dự toán với nhân dân."
    )
    due_y = world.assignment_y.dues.order_by("due_on").first()
    workflow.request_extension(
        due_y,
        by=world.users["agency_officer_y"],
        until=due_y.due_on + datetime.timedelta(days=30),
        reason="Chờ số liệu thống kê cuối năm của các huyện.",
    )
    return world


def build_notice(world, count: int, sequence: int):
    """An issued notice of `count` assignments, each with a report, evidence, a remark and a linked item."""
    organizer, supervisor = world.users[Role.ORGANIZER], world.users[Role.SUPERVISOR]
    notice = make_notice(world.program, by=organizer, summary=f"kết luận bổ sung số {sequence}")
    for index in range(count):
        add_assignment(
            notice,
            world.agency_x if index % 2 else world.agency_y,
            by=organizer,
            coordinating=[world.board],
            submissions=[world.item_a, world.item_published],
            text=f"Nhiệm vụ thứ {index + 1} của kết luận bổ sung",
        )
    issue_notice(notice, organizer=organizer, approver=world.users[Role.STANDING_COMMITTEE], sequence=sequence)
    for assignment in notice.assignments.all():
        workflow.report_progress(assignment, by=organizer, text="Đã triển khai", percent=50, files=[pdf_upload()])
        workflow.add_remark(assignment, by=supervisor, text="Cần đẩy nhanh tiến độ.")
    return notice


# --- collect ------------------------------------------------------------------------------------


def test_collect_gathers_every_assignment_with_its_year(reported):
    w = reported
    data = followup_report.collect(w.notice, YEAR)
    assert data.as_of == TODAY and data.year == YEAR
    assert [row.lead for row in data.rows] == [w.agency_x.name, w.agency_y.name]
    x, y = data.rows
    assert x.state == AssignmentState.OPEN_WITHIN and x.state_label == "Chưa hoàn thành – trong hạn"
    assert x.coordinating == [w.agency_y.name]
    assert x.latest.text == REPORT and x.latest.percent == 40 and x.latest.milestone == "Khảo sát xong"
    assert [(e.name, e.extension) for e in x.evidence] == [(EVIDENCE, "PDF")]
    assert [r.text for r in x.remarks] == ["Đề nghị công khai dự toán với nhân dân."]
    assert [s.reference for s in x.submissions] == [w.item_a.reference]
    assert x.submissions[0].state == "open_within"
    assert [(e.reason, e.status_label) for e in y.extensions] == [
        ("Chờ số liệu thống kê cuối năm của các huyện.", "Chờ quyết định")
    ]
    assert y.reports == [] and y.latest is None
    assert dict((s, c) for s, _l, c in data.state_counts)["open_within"] == 2
    assert (data.report_count, data.evidence_count, data.remark_count, data.extension_count) == (1, 1, 1, 1)
    # The program's items by answer state: A routed and waiting, the published one answered, B not routed.
    counts = {state: count for state, _label, count in data.submission_counts}
    assert counts == {"answered_on_time": 1, "answered_late": 0, "open_within": 1, "open_overdue": 0, "no_deadline": 1}


def test_state_today_is_the_state_of_conclusions_status(reported):
    w = reported
    workflow.report_progress(w.assignment_x, by=w.users[Role.AGENCY_OFFICER], text="Hoàn thành", completes=True)
    data = followup_report.collect(w.notice, YEAR)
    for row, assignment in zip(data.rows, [w.assignment_x, w.assignment_y], strict=True):
        assignment.refresh_from_db()
        assert row.state == state_of(assignment)
    assert data.rows[0].state == AssignmentState.DONE_ON_TIME


def test_reports_of_other_years_are_left_out(reported):
    w = reported
    ProgressReport.objects.filter(assignment=w.assignment_x).update(reported_at=timezone.now().replace(year=YEAR - 1))
    data = followup_report.collect(w.notice, YEAR)
    assert data.rows[0].reports == [] and data.report_count == 0 and data.evidence_count == 0


def test_a_past_year_is_reported_as_it_stood_on_31_december(world):
    due = world.assignment_x.dues.get()
    due.due_on = due.original_due_on = datetime.date(YEAR - 1, 11, 30)
    due.done_on = datetime.date(YEAR - 1, 12, 20)
    due.save()
    assert followup_report.report_day(YEAR - 1) == datetime.date(YEAR - 1, 12, 31)
    assert followup_report.state_at([due], datetime.date(YEAR - 1, 12, 31)) == AssignmentState.DONE_LATE
    assert followup_report.state_at([due], datetime.date(YEAR - 1, 12, 10)) == AssignmentState.OPEN_OVERDUE
    assert followup_report.state_at([], TODAY) == AssignmentState.NOT_STARTED


def test_collect_queries_do_not_grow_with_assignments(world):
    few = build_notice(world, 2, sequence=2001)
    many = build_notice(world, 20, sequence=2002)
    followup_report.collect(few, YEAR)  # warm caches (content types)
    counts = []
    for notice in (few, many):
        with CaptureQueriesContext(connection) as queries:
            data = followup_report.collect(notice, YEAR)
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1], counts
    assert len(data.rows) == 20 and data.report_count == 20 and data.evidence_count == 20
    assert all(len(row.submissions) == 2 for row in data.rows)


def test_collect_tells_its_progress(world):
    notice = build_notice(world, 6, sequence=2003)
    calls = []
    followup_report.collect(notice, YEAR, progress=lambda done, total, stage=None: calls.append((done, total)))
    assert calls[0] == (0, 6) and calls[-1] == (6, 6)
    assert [done for done, _total in calls] == sorted(done for done, _total in calls)


# --- the documents ---------------------------------------------------------------------------------


def test_pdf_reads_back_with_its_content(reported):
    w = reported
    text = pdf_text(followup_report.render_pdf_bytes(followup_report.collect(w.notice, YEAR)))
    for expected in [
        "TỈNH ỦY NGHỆ AN",
        "BAN DÂN VẬN",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "BÁO CÁO",
        f"kết quả thực hiện Thông báo kết luận số 1029-TB/TU, năm {YEAR}",
        w.agency_x.name,
        w.agency_y.name,
        "Chưa hoàn thành – trong hạn",
        "I. KẾT QUẢ CHUNG",
        "III. TÌNH HÌNH TRẢ LỜI CÂU HỎI, ĐỀ XUẤT, KIẾN NGHỊ",
        "Đã trả lời – đúng hạn",
        "Chưa giao cơ quan trả lời",
        "IV. NHỮNG NỘI DUNG CHẬM, QUÁ HẠN VÀ ĐỀ XUẤT",
        "Nơi nhận:",
        "PHỤ LỤC",
        REPORT,
        EVIDENCE,
        "Đề nghị công khai dự toán với nhân dân.",
        "Chờ số liệu thống kê cuối năm của các huyện.",
    ]:
        assert normal(expected) in text, expected


def test_excel_has_three_sheets(reported):
    w = reported
    book = load_workbook(io.BytesIO(followup_report.render_xlsx_bytes(followup_report.collect(w.notice, YEAR))))
    assert book.sheetnames == ["Nhiệm vụ", "Báo cáo tiến độ", "Câu hỏi, kiến nghị"]
    tasks, reports, items = (book[name] for name in book.sheetnames)
    assert "1029-TB/TU" in tasks["A1"].value
    header = [c.value for c in tasks[3]]
    assert header[:4] == ["TT", "Nhiệm vụ trọng tâm", "Nội dung nhiệm vụ", "Cơ quan chủ trì"]
    row = {header[i]: c.value for i, c in enumerate(tasks[4])}
    assert row["Cơ quan chủ trì"] == w.agency_x.name and row["Tình trạng"] == "Chưa hoàn thành – trong hạn"
    assert row["Nội dung báo cáo gần nhất"] == REPORT and row["Tài liệu minh chứng"] == EVIDENCE
    assert row["Ngày báo cáo gần nhất"].date() == TODAY and tasks.freeze_panes == "A4"
    assert [c.value for c in reports[4]][:2] == [1, w.agency_x.name]
    references = {r[0].value: r[6].value for r in items.iter_rows(min_row=4)}
    assert references[w.item_a.reference] == "Chưa trả lời – trong hạn"
    assert references[w.item_published.reference] == "Đã trả lời – đúng hạn"


# --- the page and the job ----------------------------------------------------------------------------


def test_report_page_for_the_followup_readers(world, login):
    url = reverse("conclusions:followup_report", args=[world.notice.pk])
    page = login(world.users[Role.ORGANIZER]).get(url).content.decode()
    assert "Tạo báo cáo (PDF)" in page and "Tạo bảng số liệu (Excel)" in page
    assert f'<option value="{YEAR}" selected>' in page
    assert login(world.users[Role.AGENCY_OFFICER]).get(url).status_code == 403
    other = reverse("conclusions:followup_report", args=[world.other_notice.pk])
    assert login(world.users[Role.ORGANIZER]).get(other).status_code == 404


def test_a_draft_notice_has_no_report_yet(world, login):
    client = login(world.users[Role.ORGANIZER])
    page = client.get(reverse("conclusions:followup_report", args=[world.draft_notice.pk])).content.decode()
    assert "Thông báo chưa ban hành" in page and "Tạo báo cáo (PDF)" not in page
    response = client.post(
        reverse("conclusions:followup_report_start", args=[world.draft_notice.pk]), {"nam": YEAR, "dinh_dang": "pdf"}
    )
    assert response.status_code == 302 and not BackgroundJob.objects.exists()


def test_start_refuses_a_year_outside_the_notice(world, login):
    client = login(world.users[Role.ORGANIZER])
    url = reverse("conclusions:followup_report_start", args=[world.notice.pk])
    for data in ({"nam": YEAR - 1, "dinh_dang": "pdf"}, {"nam": YEAR, "dinh_dang": "docx"}, {}):
        response = client.post(url, data)
        assert response["Location"] == reverse("conclusions:followup_report", args=[world.notice.pk])
    assert not BackgroundJob.objects.exists()


@pytest.mark.parametrize(("fmt", "magic", "extension"), [("pdf", b"%PDF-", ".pdf"), ("xlsx", b"PK", ".xlsx")])
def test_the_job_renders_the_report(reported, login, eager, django_capture_on_commit_callbacks, fmt, magic, extension):
    w = reported
    client = login(w.users[Role.STANDING_COMMITTEE])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("conclusions:followup_report_start", args=[w.notice.pk]), {"nam": YEAR, "dinh_dang": fmt}
        )
    job = BackgroundJob.objects.get()
    assert response["Location"] == reverse("directory:job_status", args=[job.pk])
    assert job.status == "done", job.error
    assert job.result_name == f"Báo cáo kết quả thực hiện 1029-TB-TU năm {YEAR}{extension}"
    download = client.get(reverse("directory:job_download", args=[job.pk]))
    assert b"".join(download.streaming_content).startswith(magic)
    # The report page lists it; nobody else may fetch the file.
    page = client.get(reverse("conclusions:followup_report", args=[w.notice.pk])).content.decode()
    assert reverse("directory:job_download", args=[job.pk]) in page
    for role in (Role.ORGANIZER, Role.SUPERVISOR, Role.AGENCY_OFFICER):
        assert login(w.users[role]).get(reverse("directory:job_download", args=[job.pk])).status_code == 404


def test_the_jobs_progress_moves_to_the_end(world):
    notice = build_notice(world, 8, sequence=2004)
    job = BackgroundJob.objects.create(
        kind=conclusion_jobs.PDF_KIND, params=conclusion_jobs.params(notice, YEAR), created_by=world.users["admin"]
    )
    seen = []
    real = jobs.Progress(job.pk)

    def record(done, total, stage=None):
        seen.append((done * 100 // total, stage))
        real(done, total, stage)

    BackgroundJob.objects.filter(pk=job.pk).update(status="running")
    job.refresh_from_db()
    result = conclusion_jobs.followup_pdf(job, record)
    assert result.content.startswith(b"%PDF-") and result.content_type == "application/pdf"
    percents = [p for p, _stage in seen]
    assert percents == sorted(percents) and percents[0] == 0 and percents[-1] == 100
    assert any(stage and stage.startswith("Đang dựng tệp PDF") for _p, stage in seen)
    assert BackgroundJob.objects.get(pk=job.pk).progress_done == 100


def test_a_job_for_a_notice_out_of_reach_fails_with_a_message(world):
    job = BackgroundJob.objects.create(
        kind=conclusion_jobs.PDF_KIND,
        params=conclusion_jobs.params(world.other_notice, YEAR),
        created_by=world.users[Role.ORGANIZER],
    )
    assert jobs.run(job.pk) == "failed"
    job.refresh_from_db()
    assert job.error == "Không tìm thấy thông báo kết luận, hoặc bạn không còn quyền xem báo cáo này."
    assert not job.result


def test_job_kinds_are_registered_and_link_back(world):
    kind = jobs.kind_of(conclusion_jobs.XLSX_KIND)
    job = BackgroundJob(kind=kind.kind, params={"notice": world.notice.pk, "year": YEAR})
    assert kind.back_link(job)[1] == reverse("conclusions:followup_report", args=[world.notice.pk])
