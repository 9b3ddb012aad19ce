"""The follow-up pages: the organizers' list (states computed from dates, overdue first, counts,
filters, accent-free search, a fixed number of queries, the Excel export), an assignment's page
for each role, progress reports with evidence checked by content, extensions approved (the
original date kept) or refused (with a note), supervision remarks, and the action log."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conclusions import workflow
from conclusions.models import Assignment, Due, Evidence, Extension, ProgressReport, SupervisionRemark
from conclusions.status import AssignmentState
from directory.models import ActionLog, Role
from tests.factories import AgencyFactory, add_assignment, issue_notice, make_notice
from tests.helpers import assert_constant_queries

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def followup_url(notice) -> str:
    return reverse("conclusions:followup", kwargs={"notice_pk": notice.pk})


def detail_url(assignment) -> str:
    return reverse("conclusions:assignment_detail", kwargs={"assignment_pk": assignment.pk})


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture
def tracked(world):
    """An issued notice with one assignment in each state:
    overdue (3 days), within (due in 5 days), within (due in 30 days), done late, done on time."""
    organizer = world.users[Role.ORGANIZER]
    notice = make_notice(world.program, by=organizer, key_tasks=("Cải cách hành chính", "Chuyển đổi số"))
    tasks = list(notice.key_tasks.order_by("order"))
    other = AgencyFactory(province=world.province, name="Sở Tài chính tỉnh Nghệ An", code="na-stc")

    def add(text, lead, deadline, **fields):
        return add_assignment(notice, lead, by=organizer, text=text, deadline=deadline, **fields)

    rows = {
        "overdue": add("Sửa chữa cầu treo bản Khe", world.agency_x, days(-3), key_task=tasks[0]),
        "soon": add("Nâng cấp đường liên xã Nghi Phú", world.agency_x, days(5), output=Assignment.Output.REGULATION),
        "later": add("Xây dựng trạm y tế xã", world.agency_y, days(30), key_task=tasks[1]),
        "late": add("Báo cáo kết quả giải ngân vốn", other, days(10)),
        "on_time": add("Tuyên truyền chính sách mới", world.agency_y, days(10), output=Assignment.Output.PUBLICITY),
    }
    issue_notice(notice, organizer=organizer, approver=world.users[Role.STANDING_COMMITTEE], sequence=1100)
    workflow.report_progress(rows["late"], by=organizer, text="Đã giải ngân", completes=True, today=days(12))
    workflow.report_progress(rows["on_time"], by=organizer, text="Đã tuyên truyền", percent=100, today=days(-1))
    notice.refresh_from_db()
    for assignment in rows.values():
        assignment.refresh_from_db()
    return notice, rows


# --- the organizers' list --------------------------------------------------------------------------


def test_followup_lists_states_overdue_first_with_counts(world, login, tracked):
    notice, rows = tracked
    response = login(world.users[Role.ORGANIZER]).get(followup_url(notice))
    assert response.status_code == 200
    listed = list(response.context["page"])
    assert [a.pk for a in listed] == [rows[k].pk for k in ("overdue", "soon", "later", "late", "on_time")]
    assert [a.state_value for a in listed] == [
        AssignmentState.OPEN_OVERDUE,
        AssignmentState.OPEN_WITHIN,
        AssignmentState.OPEN_WITHIN,
        AssignmentState.DONE_LATE,
        AssignmentState.DONE_ON_TIME,
    ]
    assert listed[0].days_late == 3
    counts = {link["value"]: link["count"] for link in response.context["state_links"]}
    assert counts == {"open_overdue": 1, "open_within": 2, "done_late": 1, "done_on_time": 1}
    page = response.content.decode()
    for label in ("Chưa hoàn thành – quá hạn", "Chưa hoàn thành – trong hạn", "Hoàn thành – trễ hạn"):
        assert label in page
    assert "Hoàn thành – đúng hạn" in page and "quá 3 ngày" in page
    assert world.agency_y.name in page  # lead and coordinating agencies
    assert days(5).strftime("%d/%m/%Y") in page  # dates dd/mm/yyyy
    assert detail_url(rows["overdue"]) in page
    # Each count links to the list filtered by its state.
    assert "?state=open_overdue" in page
    # The last report's date and percent.
    assert f"{TODAY.strftime('%d/%m/%Y')} · 100%" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"state": "open_overdue"}, ["overdue"]),
        ({"state": "open_within"}, ["soon", "later"]),
        ({"state": "done_late"}, ["late"]),
        ({"output": "regulation"}, ["soon"]),
        ({"q": "duong lien xa"}, ["soon"]),  # no diacritics typed
        ({"q": "TRẠM Y TẾ"}, ["later"]),
        ({"q": "cau treo khe"}, ["overdue"]),
    ],
)
def test_followup_filters(world, login, tracked, query, expected):
    notice, rows = tracked
    response = login(world.users[Role.ORGANIZER]).get(followup_url(notice), query)
    assert [a.pk for a in response.context["page"]] == [rows[k].pk for k in expected]


def test_followup_filters_by_agency_and_key_task_and_counts_follow_other_filters(world, login, tracked):
    notice, rows = tracked
    client = login(world.users[Role.ORGANIZER])
    response = client.get(followup_url(notice), {"agency": world.agency_x.pk})
    assert [a.pk for a in response.context["page"]] == [rows["overdue"].pk, rows["soon"].pk]
    counts = {link["value"]: link["count"] for link in response.context["state_links"]}
    assert counts["open_overdue"] == 1 and counts["open_within"] == 1 and counts["done_late"] == 0
    # The state links keep the other filters.
    assert f"agency={world.agency_x.pk}&amp;state=open_overdue" in response.content.decode()
    key_task = rows["later"].key_task
    response = client.get(followup_url(notice), {"key_task": key_task.pk})
    assert [a.pk for a in response.context["page"]] == [rows["later"].pk]
    # An agency not leading anything in this notice is refused, not an error page.
    response = client.get(followup_url(notice), {"agency": 999999})
    assert response.status_code == 200 and response.context["form"].errors


def test_followup_is_read_by_internal_readers_only(world, login, tracked):
    notice, _rows = tracked
    for role in (Role.ORGANIZER, Role.STANDING_COMMITTEE, Role.SUPERVISOR, Role.ADMIN):
        assert login(world.users[role]).get(followup_url(notice)).status_code == 200
    for role in (Role.AGENCY_OFFICER, Role.COMMUNE_LEADER):
        assert login(world.users[role]).get(followup_url(notice)).status_code == 403


def test_followup_keeps_a_constant_number_of_queries(world, login):
    organizer = world.users[Role.ORGANIZER]
    notice = world.notice
    counter = iter(range(1000))

    def add_rows(n):
        for _ in range(n):
            number = next(counter)
            assignment = Assignment.objects.create(
                notice=notice,
                order=100 + number,
                lead_agency=world.agency_x if number % 2 else world.agency_y,
                text=f"Nhiệm vụ bổ sung {number}",
                deadline=days(number % 9 - 4),
            )
            assignment.coordinating_agencies.set([world.agency_y if number % 2 else world.agency_x])
            workflow.create_dues(assignment, notice.issued_on)
            if number % 3 == 0:
                workflow.report_progress(assignment, by=organizer, text="Đang làm", percent=40)

    client = login(organizer)
    assert_constant_queries(client, followup_url(notice), add_rows, few=1, many=30)
    assert_constant_queries(client, f"{followup_url(notice)}?state=open_within&q=bo+sung", add_rows, few=1, many=5)


def test_followup_export_has_the_filtered_rows_in_order(world, login, tracked):
    notice, rows = tracked
    url = reverse("conclusions:followup_export", kwargs={"notice_pk": notice.pk})
    response = login(world.users[Role.ORGANIZER]).get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Theo dõi thực hiện Thông báo kết luận 1100-TB/TU"
    header = [cell.value for cell in sheet[3]]
    assert header[:4] == ["STT", "Nội dung nhiệm vụ", "Nhiệm vụ trọng tâm", "Cơ quan chủ trì"]
    body = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=4)]
    texts = [row[1] for row in body]
    assert texts == [rows[k].text for k in ("overdue", "soon", "later", "late", "on_time")]
    first = dict(zip(header, body[0], strict=True))
    assert first["Tình trạng"] == "Chưa hoàn thành – quá hạn"
    assert first["Số ngày quá hạn"] == 3
    assert first["Cơ quan chủ trì"] == world.agency_x.name
    assert first["Hạn gần nhất chưa thực hiện"].date() == days(-3)
    on_time = dict(zip(header, body[4], strict=True))
    assert on_time["Tình trạng"] == "Hoàn thành – đúng hạn" and on_time["Tỷ lệ hoàn thành (%)"] == 100

    filtered = login(world.users[Role.ORGANIZER]).get(url, {"state": "done_late"})
    sheet = load_workbook(io.BytesIO(filtered.content)).active
    assert [row[1].value for row in sheet.iter_rows(min_row=4)] == [rows["late"].text]


# --- an assignment's page --------------------------------------------------------------------------


def forms_on(response) -> set[str]:
    page = response.content.decode()
    found = set()
    for name, marker in {
        "report": 'class="report-form"',
        "remark": 'class="remark-form"',
        "decide": "extension-decide-form",
        "request": "Đề nghị gia hạn</a>",
    }.items():
        if marker in page:
            found.add(name)
    return found


def test_assignment_page_shows_its_follow_up_and_the_forms_each_role_may_use(world, login):
    assignment = world.assignment_x
    officer = world.users[Role.AGENCY_OFFICER]
    due = assignment.dues.get()
    workflow.request_extension(due, by=officer, until=days(40), reason="Chờ bố trí vốn")
    workflow.add_remark(assignment, by=world.users[Role.SUPERVISOR], text="Đề nghị đẩy nhanh tiến độ")
    expected = {
        Role.ORGANIZER: {"report", "decide"},
        Role.ADMIN: {"report", "decide", "remark"},
        Role.AGENCY_OFFICER: {"report"},  # its extension is pending: no second request
        "agency_officer_y": set(),  # coordinating: reads only
        Role.STANDING_COMMITTEE: set(),
        Role.SUPERVISOR: {"remark"},
    }
    for role, forms in expected.items():
        response = login(world.users[role]).get(detail_url(assignment))
        assert response.status_code == 200, role
        assert forms_on(response) == forms, role
        page = response.content.decode()
        assert "1029-TB/TU" in page
        assert "Chưa hoàn thành – trong hạn" in page
        assert "Đề nghị đẩy nhanh tiến độ" in page and "Chờ bố trí vốn" in page
        assert "Ý kiến giám sát" in page
    page = login(world.users[Role.ORGANIZER]).get(detail_url(assignment)).content.decode()
    assert world.item_a.reference in page  # the item it answers, with its answer state
    assert "Chưa trả lời – trong hạn" in page
    assert "Lịch sử thay đổi" in page and "Đề nghị gia hạn" in page


def test_assignment_page_offers_extension_request_to_the_lead_officer(world, login):
    response = login(world.users[Role.AGENCY_OFFICER]).get(detail_url(world.assignment_x))
    assert forms_on(response) == {"report", "request"}
    due = world.assignment_x.dues.get()
    assert reverse("conclusions:extension_request", args=[world.assignment_x.pk, due.pk]) in response.content.decode()


def test_another_agency_gets_404_and_commune_leaders_see_nothing(world, login):
    officer = login(world.users[Role.AGENCY_OFFICER])
    assert officer.get(detail_url(world.assignment_y)).status_code == 404
    y_due = world.assignment_y.dues.order_by("due_on").first()
    assert (
        officer.post(reverse("conclusions:report_add", args=[world.assignment_y.pk]), {"text": "x"}).status_code == 404
    )
    assert (
        officer.post(
            reverse("conclusions:extension_request", args=[world.assignment_y.pk, y_due.pk]),
            {"until": "01/01/2099", "reason": "x"},
        ).status_code
        == 404
    )
    assert not ProgressReport.objects.exists() and not Extension.objects.exists()
    assert login(world.users[Role.COMMUNE_LEADER]).get(detail_url(world.assignment_x)).status_code == 404


def test_done_late_and_on_time_are_shown_from_dates(world, login, tracked):
    _notice, rows = tracked
    client = login(world.users[Role.ORGANIZER])
    page = client.get(detail_url(rows["late"])).content.decode()
    assert "Hoàn thành – trễ hạn" in page and days(12).strftime("%d/%m/%Y") in page
    page = client.get(detail_url(rows["on_time"])).content.decode()
    assert "Hoàn thành – đúng hạn" in page
    page = client.get(detail_url(rows["overdue"])).content.decode()
    assert "Chưa hoàn thành – quá hạn" in page and "quá hạn 3 ngày" in page


def test_overdue_after_the_due_moves_into_the_past(world, login):
    assignment = world.assignment_x
    Due.objects.filter(assignment=assignment).update(due_on=days(-2), original_due_on=days(-2))
    workflow.refresh(assignment)
    response = login(world.users[Role.SUPERVISOR]).get(detail_url(assignment))
    assert response.context["assignment"].state_value == AssignmentState.OPEN_OVERDUE
    assert "quá hạn 2 ngày" in response.content.decode()


# --- progress reports ------------------------------------------------------------------------------


def test_lead_officer_reports_progress_with_evidence_then_completes(world, login):
    assignment = world.assignment_x
    client = login(world.users[Role.AGENCY_OFFICER])
    url = reverse("conclusions:report_add", args=[assignment.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert form.context["form"]["due"].initial == assignment.dues.get().pk  # the next open due by default
    response = client.post(
        url,
        {
            "due": assignment.dues.get().pk,
            "text": "Đã khảo sát hiện trạng tuyến đường",
            "percent": "40",
            "milestone": "Xong khảo sát",
            "files": [upload("Biên bản khảo sát.pdf", PDF), upload("Ảnh hiện trường.pdf", PDF)],
        },
    )
    assert response.status_code == 302 and response["Location"] == detail_url(assignment)
    report = ProgressReport.objects.get()
    assert report.percent == 40 and report.milestone == "Xong khảo sát" and not report.completes
    assert sorted(e.original_name for e in report.evidence.all()) == ["Biên bản khảo sát.pdf", "Ảnh hiện trường.pdf"]
    assignment.refresh_from_db()
    assert assignment.completed_on is None
    assert ActionLog.objects.filter(verb="assignment.report", target_id=str(assignment.pk)).count() == 1

    page = client.get(detail_url(assignment)).content.decode()
    assert "Đã khảo sát hiện trạng tuyến đường" in page and "40%" in page and "Biên bản khảo sát.pdf" in page

    client.post(url, {"text": "Đã hoàn thành nâng cấp", "completes": "on"})
    assignment.refresh_from_db()
    assert assignment.completed_on == TODAY and assignment.next_due_on is None
    assert "Hoàn thành – đúng hạn" in client.get(detail_url(assignment)).content.decode()


def test_organizers_report_on_behalf_and_others_may_not(world, login):
    url = reverse("conclusions:report_add", args=[world.assignment_x.pk])
    assert login(world.users[Role.ORGANIZER]).post(url, {"text": "Thay mặt cơ quan"}).status_code == 302
    for role in (Role.SUPERVISOR, Role.STANDING_COMMITTEE, "agency_officer_y"):
        assert login(world.users[role]).post(url, {"text": "Không được"}).status_code == 403
    assert ProgressReport.objects.count() == 1


def test_cycle_report_fulfils_its_period(world, login):
    assignment = world.assignment_y
    client = login(world.users["agency_officer_y"])
    url = reverse("conclusions:report_add", args=[assignment.pk])
    assert "completes" not in client.get(url).context["form"].fields
    first = assignment.dues.order_by("due_on").first()
    client.post(url, {"due": first.pk, "text": "Báo cáo năm"})
    first.refresh_from_db()
    assert first.done_on == TODAY


def test_upload_of_a_renamed_program_is_refused_and_nothing_is_kept(world, login, settings):
    client = login(world.users[Role.AGENCY_OFFICER])
    url = reverse("conclusions:report_add", args=[world.assignment_x.pk])
    response = client.post(
        url,
        {
            "text": "Báo cáo kèm tệp lạ",
            "percent": "20",
            "files": [upload("ok.pdf", PDF), upload("quyet-dinh.pdf", EXE)],
        },
    )
    assert response.status_code == 200
    assert "Loại tệp không được phép" in response.content.decode()
    assert not ProgressReport.objects.exists() and not Evidence.objects.exists()
    assert stored_files(settings) == []


def test_percent_over_100_is_refused(world, login):
    response = login(world.users[Role.AGENCY_OFFICER]).post(
        reverse("conclusions:report_add", args=[world.assignment_x.pk]), {"text": "Báo cáo", "percent": "120"}
    )
    assert response.status_code == 200
    assert "Tỷ lệ hoàn thành phải từ 0 đến 100." in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_evidence_is_downloaded_by_those_who_see_the_assignment(world, login):
    report = workflow.report_progress(
        world.assignment_x,
        by=world.users[Role.AGENCY_OFFICER],
        text="Có minh chứng",
        files=[upload("Quyết định phê duyệt.pdf", PDF)],
    )
    evidence = report.evidence.get()
    url = reverse("conclusions:evidence_file", args=[world.assignment_x.pk, evidence.pk])
    for role in (Role.SUPERVISOR, Role.ORGANIZER, "agency_officer_y"):
        response = login(world.users[role]).get(url)
        assert response.status_code == 200, role
        assert b"".join(response.streaming_content) == PDF
        assert "attachment" in response["Content-Disposition"]
    assert login(world.users[Role.COMMUNE_LEADER]).get(url).status_code == 404
    # Reached through another assignment's URL: not found.
    wrong = reverse("conclusions:evidence_file", args=[world.assignment_y.pk, evidence.pk])
    assert login(world.users[Role.ORGANIZER]).get(wrong).status_code == 404


# --- extensions --------------------------------------------------------------------------------------


def test_extension_approved_moves_the_due_and_keeps_the_original(world, login):
    assignment = world.assignment_x
    due = assignment.dues.get()
    original = due.due_on
    officer = login(world.users[Role.AGENCY_OFFICER])
    url = reverse("conclusions:extension_request", args=[assignment.pk, due.pk])
    assert officer.get(url).status_code == 200
    response = officer.post(url, {"until": days(60).strftime("%d/%m/%Y"), "reason": "Chờ phân bổ vốn"})
    assert response.status_code == 302
    extension = Extension.objects.get()
    assert extension.status == Extension.Status.PENDING and extension.previous_due_on == original
    assert ActionLog.objects.filter(verb="extension.request", target_id=str(assignment.pk)).exists()
    # A second request while one is pending: the page says so, nothing new is written.
    assert "đang chờ Ban tổ chức quyết định" in officer.get(url).content.decode()
    officer.post(url, {"until": days(70).strftime("%d/%m/%Y"), "reason": "Lần hai"})
    assert Extension.objects.count() == 1
    # The lead officer may not decide; the organizers may not ask.
    decide = reverse("conclusions:extension_decide", args=[extension.pk])
    assert officer.post(decide, {"decision": "approve"}).status_code == 403
    organizer = login(world.users[Role.ORGANIZER])
    assert organizer.get(url).status_code == 403

    assert organizer.post(decide, {"decision": "approve", "note": ""}).status_code == 302
    due.refresh_from_db()
    assignment.refresh_from_db()
    assert due.due_on == days(60) and due.original_due_on == original
    assert assignment.next_due_on == days(60)
    extension.refresh_from_db()
    assert extension.status == Extension.Status.APPROVED and extension.decided_by == world.users[Role.ORGANIZER]
    log = ActionLog.objects.get(verb="extension.approve", target_id=str(assignment.pk))
    assert log.changes["original"] == str(original) and log.changes["new"] == str(days(60))
    page = organizer.get(detail_url(assignment)).content.decode()
    assert "đã gia hạn" in page and original.strftime("%d/%m/%Y") in page and days(60).strftime("%d/%m/%Y") in page
    # Deciding twice is refused.
    organizer.post(decide, {"decision": "refuse", "note": "Đổi ý"})
    extension.refresh_from_db()
    assert extension.status == Extension.Status.APPROVED


def test_extension_refusal_needs_a_note_and_keeps_the_due(world, login):
    assignment = world.assignment_x
    due = assignment.dues.get()
    original = due.due_on
    extension = workflow.request_extension(
        due, by=world.users[Role.AGENCY_OFFICER], until=days(50), reason="Thiếu nhân lực"
    )
    organizer = login(world.users[Role.ORGANIZER])
    decide = reverse("conclusions:extension_decide", args=[extension.pk])
    page = organizer.get(decide)
    assert page.status_code == 200 and "Thiếu nhân lực" in page.content.decode()
    response = organizer.post(decide, {"decision": "refuse", "note": "  "})
    assert response.status_code == 200
    assert "Hãy ghi lý do không đồng ý." in response.content.decode()
    extension.refresh_from_db()
    assert extension.status == Extension.Status.PENDING
    organizer.post(decide, {"decision": "refuse", "note": "Đề nghị hoàn thành đúng hạn"})
    extension.refresh_from_db()
    due.refresh_from_db()
    assert extension.status == Extension.Status.REFUSED and extension.decision_note == "Đề nghị hoàn thành đúng hạn"
    assert due.due_on == original
    assert ActionLog.objects.filter(verb="extension.refuse", target_id=str(assignment.pk)).exists()
    assert "Đề nghị hoàn thành đúng hạn" in organizer.get(detail_url(assignment)).content.decode()


def test_extension_date_must_be_after_the_current_due(world, login):
    due = world.assignment_x.dues.get()
    response = login(world.users[Role.AGENCY_OFFICER]).post(
        reverse("conclusions:extension_request", args=[world.assignment_x.pk, due.pk]),
        {"until": due.due_on.strftime("%d/%m/%Y"), "reason": "Lý do"},
    )
    assert response.status_code == 200
    assert "phải sau hạn hiện tại" in response.content.decode()
    assert not Extension.objects.exists()


# --- supervision remarks -------------------------------------------------------------------------


def test_supervisor_adds_a_remark_and_reads_everything_else(world, login):
    supervisor = login(world.users[Role.SUPERVISOR])
    url = reverse("conclusions:remark_add", args=[world.assignment_x.pk])
    assert supervisor.post(url, {"text": ""}).status_code == 200
    assert not SupervisionRemark.objects.exists()
    assert supervisor.post(url, {"text": "Cần công khai tiến độ cho nhân dân"}).status_code == 302
    remark = SupervisionRemark.objects.get()
    assert remark.author == world.users[Role.SUPERVISOR]
    assert ActionLog.objects.filter(verb="assignment.remark", target_id=str(world.assignment_x.pk)).exists()
    assert "Cần công khai tiến độ cho nhân dân" in supervisor.get(detail_url(world.assignment_x)).content.decode()
    # Read-only otherwise.
    assert (
        supervisor.post(reverse("conclusions:report_add", args=[world.assignment_x.pk]), {"text": "x"}).status_code
        == 403
    )
    for role in (Role.ORGANIZER, Role.AGENCY_OFFICER):
        assert login(world.users[role]).post(url, {"text": "Không được"}).status_code == 403
    assert SupervisionRemark.objects.count() == 1


def test_assignment_page_keeps_a_constant_number_of_queries(world, login, tmp_path, settings):
    """Reports with evidence, extensions and remarks pile up on an assignment's page."""
    settings.MEDIA_ROOT = tmp_path
    from conclusions.demo import minimal_pdf

    officer, supervisor = world.users[Role.AGENCY_OFFICER], world.users[Role.SUPERVISOR]
    assignment = world.assignment_x
    counter = iter(range(1000))

    def add_rows(n):
        for _ in range(n):
            number = next(counter)
            pdf = SimpleUploadedFile(f"bien-ban-{number}.pdf", minimal_pdf(f"Bien ban {number}", []))
            workflow.report_progress(assignment, by=officer, text=f"Báo cáo {number}", percent=10, files=[pdf])
            workflow.add_remark(assignment, by=supervisor, text=f"Ý kiến {number}")

    url = reverse("conclusions:assignment_detail", kwargs={"assignment_pk": assignment.pk})
    assert_constant_queries(login(world.users[Role.ORGANIZER]), url, add_rows, few=1, many=12)
