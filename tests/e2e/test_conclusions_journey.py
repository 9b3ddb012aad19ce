"""Issue 5's acceptance journey in headless Chromium, through the UI only: the organizer drafts a
notice of conclusions with two key tasks and two assignments (agency X with a deadline in working
days answering commune A's proposal; a yearly report for agency Y) and submits it; the Standing
Committee approves it; the organizer issues it as 1030-TB/TU and downloads the PDF; an attempt to
edit the issued notice is refused; agency X's officer reports the work done with a PDF as evidence;
the organizer sees the states in the follow-up list and generates the yearly report.

Screenshots go to test-artifacts/screenshots/conclusions-journey-<n>-<step>.png, the two PDFs to
test-artifacts/ and their pages to test-artifacts/screenshots/conclusions-journey-{notice,report}-*.png.
The database is only read, to check what the UI made."""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from conclusions.demo import minimal_pdf
from conclusions.models import Assignment, ConclusionNotice, Evidence, ProgressReport
from directory.calendar import deadline_after
from directory.models import BackgroundJob, Role
from tests.e2e.journey import fetch, menu, open_program_tab, saved, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TAB = "Kết luận"
SUMMARY = "kết luận của Thường trực Tỉnh ủy tại buổi đối thoại với người đứng đầu cấp ủy, chính quyền cấp xã năm 2026"
ASSESSMENT = (
    "Buổi đối thoại được tổ chức chu đáo, dân chủ, cởi mở; các đồng chí Bí thư, Chủ tịch UBND cấp xã "
    "đã nêu nhiều ý kiến thẳng thắn, tâm huyết về hạ tầng giao thông và y tế cơ sở."
)
KEY_TASKS = [
    "Tập trung nâng cấp hạ tầng giao thông nông thôn, ưu tiên các tuyến đường liên xã xuống cấp.",
    "Nâng cao chất lượng khám, chữa bệnh tại trạm y tế cấp xã, nhất là ở vùng sâu, vùng xa.",
]
RECIPIENTS = [
    "Thường trực Tỉnh ủy (để b/c)",
    "Sở Giao thông vận tải tỉnh Nghệ An",
    "Sở Y tế tỉnh Nghệ An",
    "Đảng ủy các xã Nghi Phú, Nghi Đức",
    "Lưu Văn phòng Tỉnh ủy",
]
SIGNER = "Nguyễn Đức Trung"
TASK_X = "Hoàn thành nâng cấp đường liên xã Nghi Phú – Nghi Đức và trả lời kiến nghị của xã Nghi Phú"
TASK_Y = "Báo cáo kết quả nâng cao chất lượng khám, chữa bệnh tại trạm y tế cấp xã"
WORKING_DAYS = 15
SEQUENCE = 1030
NUMBER = "1030-TB/TU"
REPORT = "Đã hoàn thành nâng cấp 4,2 km đường liên xã Nghi Phú – Nghi Đức; đã trả lời kiến nghị của xã Nghi Phú."
EVIDENCE = "Biên bản nghiệm thu đường liên xã.pdf"
DONE_ON_TIME = "Hoàn thành – đúng hạn"
OPEN_WITHIN = "Chưa hoàn thành – trong hạn"


def normal(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def pdf_text(content: bytes) -> str:
    return normal(" ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages))


def render_png(pdf_path, prefix, *, first_page_only: bool = False) -> list:
    """Pages of `pdf_path` as <prefix>-<n>.png at 60 dpi (stale pages of an earlier run removed first)."""
    for old in prefix.parent.glob(f"{prefix.name}-*.png"):
        old.unlink()
    command = ["pdftoppm", "-png", "-r", "60"]
    if first_page_only:
        command += ["-f", "1", "-l", "1"]
    subprocess.run([*command, str(pdf_path), str(prefix)], check=True, timeout=120)
    return sorted(prefix.parent.glob(f"{prefix.name}-*.png"))


def open_conclusions_tab(page, program) -> None:
    open_program_tab(page, program, TAB)
    expect(page.get_by_role("heading", name="Thông báo kết luận", exact=True)).to_be_visible()


def open_our_notice(page) -> None:
    """In the tab's table, the row whose summary is ours (the world has other notices)."""
    row = page.get_by_role("row").filter(has_text=SUMMARY)
    expect(row).to_have_count(1)
    row.get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/ket-luan/\d+/$"))


def test_conclusions_journey(page, live_server, world, screenshot_dir, eager_jobs, private_media, tmp_path):
    base = live_server.url
    organizer = world.users[Role.ORGANIZER]
    standing = world.users[Role.STANDING_COMMITTEE]
    officer = world.users[Role.AGENCY_OFFICER]
    artifacts = screenshot_dir.parent
    today = timezone.localdate()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("dialog", lambda dialog: dialog.accept())

    def shot(name: str) -> None:
        page.screenshot(path=screenshot_dir / f"conclusions-journey-{name}.png", full_page=True)

    # 1. The organizer drafts the notice: summary, assessment, two key tasks in order, recipients, signer.
    sign_in(page, base, organizer.username)
    open_conclusions_tab(page, world.program)
    page.get_by_role("link", name="Lập dự thảo thông báo mới").click()
    expect(page.get_by_role("heading", name="Lập dự thảo thông báo kết luận")).to_be_visible()
    page.get_by_label("Trích yếu").fill(SUMMARY)
    page.get_by_label("Đánh giá").fill(ASSESSMENT)
    page.get_by_label("Nhiệm vụ trọng tâm", exact=True).fill("\n".join(KEY_TASKS))
    page.get_by_label("Nơi nhận").fill("\n".join(RECIPIENTS))
    page.get_by_label("Hình thức ký").select_option(label="T/L (thừa lệnh)")
    page.get_by_label("Tập thể hoặc người đứng đầu").fill("BAN THƯỜNG VỤ")
    page.get_by_label("Chức vụ người ký").fill("CHÁNH VĂN PHÒNG")
    page.get_by_role("textbox", name=re.compile(r"^Người ký\W*$")).fill(SIGNER)
    shot("1-draft-form")
    page.get_by_role("button", name="Lưu dự thảo").click()
    page.wait_for_url(re.compile(r"/ket-luan/\d+/$"))
    saved(page, "Đã lập dự thảo thông báo kết luận")
    notice_url = page.url
    notice = ConclusionNotice.objects.get(summary=SUMMARY)
    expect(page.locator("article.notice-text ol li")).to_have_text(KEY_TASKS)
    shot("1-drafted")

    # 2. Two assignments: agency X, 15 working days, answering commune A's proposal; agency Y, a yearly report.
    page.get_by_role("link", name="Thêm nhiệm vụ được giao").click()
    page.get_by_label("Thuộc nhiệm vụ trọng tâm").select_option(label=f"1. {KEY_TASKS[0]}")
    page.get_by_label("Nội dung nhiệm vụ").fill(TASK_X)
    page.get_by_label("Cơ quan chủ trì").select_option(label=world.agency_x.name)
    page.get_by_role("combobox", name=re.compile(r"^Sản phẩm\W*$")).select_option(label="Trả lời kiến nghị")
    page.get_by_label("Có thời hạn hoàn thành").check()
    page.get_by_label("hoặc số ngày làm việc").fill(str(WORKING_DAYS))
    page.get_by_label("Lọc theo số hiệu hoặc tên").fill("duong lien xa")  # the filter ignores accents
    page.get_by_label(f"{world.item_a.reference} – {world.item_a.title}").check()
    shot("2-assignment-x-form")
    page.get_by_role("button", name="Lưu nhiệm vụ").click()
    page.wait_for_url(re.compile(r"/ket-luan/\d+/#nhiem-vu-duoc-giao$"))
    saved(page, f"Đã lưu nhiệm vụ giao {world.agency_x.name}.")

    page.get_by_role("link", name="Thêm nhiệm vụ được giao").click()
    page.get_by_label("Thuộc nhiệm vụ trọng tâm").select_option(label=f"2. {KEY_TASKS[1]}")
    page.get_by_label("Nội dung nhiệm vụ").fill(TASK_Y)
    page.get_by_label("Cơ quan chủ trì").select_option(label=world.agency_y.name)
    page.get_by_role("combobox", name=re.compile(r"^Sản phẩm\W*$")).select_option(label="Báo cáo")
    page.get_by_label("Báo cáo định kỳ").check()
    page.get_by_label("Kỳ báo cáo").select_option(label="Hằng năm")
    page.get_by_label("Báo cáo đến hết ngày").fill(f"31/12/{today.year + 1}")
    page.get_by_role("button", name="Lưu nhiệm vụ").click()
    page.wait_for_url(re.compile(r"/ket-luan/\d+/#nhiem-vu-duoc-giao$"))
    saved(page, f"Đã lưu nhiệm vụ giao {world.agency_y.name}.")
    assignments = page.locator("#nhiem-vu-duoc-giao")
    expect(assignments.get_by_role("heading", name=re.compile(r"Nhiệm vụ trọng tâm 1"))).to_contain_text(KEY_TASKS[0])
    expect(assignments).to_contain_text(TASK_X)
    expect(assignments).to_contain_text(TASK_Y)
    expect(assignments).to_contain_text(world.item_a.reference)
    shot("2-assignments")

    # 3. Submitted to the Standing Committee.
    page.get_by_role("button", name="Trình duyệt").click()
    saved(page, "Đã trình Thường trực duyệt dự thảo thông báo kết luận.")
    expect(page.get_by_role("link", name="Sửa thông báo")).to_have_count(0)
    shot("3-submitted")
    sign_out(page, base, organizer)

    # 4. The Standing Committee approves it.
    sign_in(page, base, standing.username)
    open_conclusions_tab(page, world.program)
    open_our_notice(page)
    assert page.url == notice_url
    expect(page.get_by_role("article")).to_contain_text(KEY_TASKS[1])
    page.get_by_role("button", name="Duyệt thông báo").click()
    saved(page, "Đã duyệt thông báo kết luận")
    shot("4-approved")
    sign_out(page, base, standing)

    # 5. The organizer gives it number 1030 and today's date and issues it.
    sign_in(page, base, organizer.username)
    open_conclusions_tab(page, world.program)
    open_our_notice(page)
    page.get_by_label("Số văn bản").fill(str(SEQUENCE))
    page.get_by_label("Ngày ban hành").fill(today.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Ban hành", exact=True).click()
    saved(page, f"Đã ban hành Thông báo số {NUMBER}")
    expect(page.get_by_role("heading", name=f"Thông báo kết luận số {NUMBER}")).to_be_visible()
    expect(page.get_by_role("article")).to_contain_text(f"Số {NUMBER}")
    shot("5-issued")

    # The issued notice as a PDF: number, key tasks, recipients; its pages as PNGs.
    pdf_link = page.get_by_role("link", name="Bản PDF", exact=True)
    notice_pdf = fetch(page, base, pdf_link.get_attribute("href"), "application/pdf")
    assert notice_pdf.startswith(b"%PDF"), notice_pdf[:20]
    notice_pdf_path = artifacts / "conclusions-journey-notice.pdf"
    notice_pdf_path.write_bytes(notice_pdf)
    text = pdf_text(notice_pdf)
    for expected in (
        NUMBER,
        "TỈNH ỦY NGHỆ AN",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "THÔNG BÁO",
        f"ngày {today.day:02d} tháng {today.month:02d} năm {today.year}",
        "Nơi nhận",
        SIGNER,
        *KEY_TASKS,
        *RECIPIENTS,
        world.agency_x.name,
        world.agency_y.name,
        world.item_a.reference,
    ):
        assert normal(expected) in text, (expected, text)
    assert text.index(KEY_TASKS[0]) < text.index(KEY_TASKS[1])
    assert "DỰ THẢO" not in text
    notice_pngs = render_png(notice_pdf_path, screenshot_dir / "conclusions-journey-notice")
    assert notice_pngs

    # 6. The issued notice cannot be edited: the edit page refuses, a forged POST changes nothing.
    edit_url = base + reverse("conclusions:notice_edit", kwargs={"notice_pk": notice.pk})
    page.goto(edit_url)
    page.wait_for_url(notice_url)
    expect(page.get_by_role("alert").filter(has_text="Thông báo đã ban hành không sửa được")).to_be_visible()
    expect(page.get_by_role("link", name="Sửa thông báo")).to_have_count(0)
    expect(page.get_by_role("link", name="Thêm nhiệm vụ được giao")).to_have_count(0)
    shot("6-edit-refused")
    before = ConclusionNotice.objects.values().get(pk=notice.pk)
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    forged = page.context.request.post(
        edit_url,
        form={"summary": "đã sửa sau khi ban hành", "key_tasks": "Nhiệm vụ khác", "place": "Nghệ An"},
        headers={"X-CSRFToken": token, "Referer": edit_url},
        max_redirects=0,
    )
    assert forged.status == 302 and forged.headers["location"].endswith(
        reverse("conclusions:notice_detail", kwargs={"notice_pk": notice.pk})
    ), (forged.status, forged.headers)
    assert ConclusionNotice.objects.values().get(pk=notice.pk) == before
    assert list(notice.key_tasks.order_by("order").values_list("text", flat=True)) == KEY_TASKS
    sign_out(page, base, organizer)

    # 7. Agency X's officer finds the assignment in the to-do list and reports it done, with evidence.
    evidence = tmp_path / EVIDENCE
    evidence.write_bytes(minimal_pdf("Bien ban nghiem thu duong lien xa", ["Nghi Phu - Nghi Duc, 4,2 km"]))
    sign_in(page, base, officer.username)
    menu(page, "Việc cần trả lời")
    row = page.locator("tr.todo-assignment").filter(has_text=TASK_X)
    expect(row).to_contain_text(NUMBER)
    expect(row).to_contain_text(OPEN_WITHIN)
    shot("7-todo")
    row.get_by_role("link", name="Báo cáo").click()
    page.wait_for_url(re.compile(r"/nhiem-vu/\d+/bao-cao/$"))
    page.get_by_label("Nội dung báo cáo").fill(REPORT)
    page.get_by_label("Tỷ lệ hoàn thành (%)").fill("100")
    page.get_by_label("Nhiệm vụ đã hoàn thành").check()
    page.get_by_label("Tài liệu minh chứng").set_input_files(evidence)
    shot("7-report-form")
    page.get_by_role("button", name="Gửi báo cáo").click()
    page.wait_for_url(re.compile(r"/nhiem-vu/\d+/$"))
    saved(page, "Đã gửi báo cáo tiến độ")
    expect(page.locator(".assignment-state")).to_have_text(DONE_ON_TIME)
    reports = page.locator("section[aria-labelledby=reports-heading]")
    expect(reports).to_contain_text(REPORT)
    expect(reports).to_contain_text("100%")
    expect(reports.get_by_role("link", name=EVIDENCE)).to_be_visible()
    shot("7-reported")
    sign_out(page, base, officer)

    # 8. The organizer reads the follow-up list: X done on time, Y open within its deadline.
    sign_in(page, base, organizer.username)
    open_conclusions_tab(page, world.program)
    open_our_notice(page)
    page.get_by_role("link", name="Theo dõi thực hiện").click()
    page.wait_for_url(re.compile(r"/theo-doi/$"))
    expect(page.get_by_role("heading", name=f"Theo dõi thực hiện Thông báo kết luận {NUMBER}")).to_be_visible()
    rows = page.locator("tr.followup-row")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text=TASK_X)).to_contain_text(DONE_ON_TIME)
    expect(rows.filter(has_text=TASK_X)).to_contain_text("100%")
    expect(rows.filter(has_text=TASK_Y)).to_contain_text(OPEN_WITHIN)
    expect(rows.filter(has_text=TASK_Y)).to_contain_text("Chưa báo cáo")
    shot("8-followup")

    # 9. The yearly report: generated as a background job, the progress page reaches 100 %, downloaded.
    page.get_by_role("link", name=f"Thông báo {NUMBER}", exact=True).click()  # the breadcrumb back to the notice
    page.wait_for_url(notice_url)
    page.get_by_role("link", name="Báo cáo kết quả thực hiện").click()
    page.wait_for_url(re.compile(r"/bao-cao-thuc-hien/$"))
    expect(page.get_by_label("Năm báo cáo")).to_have_value(str(today.year))
    shot("9-report-page")
    page.get_by_role("button", name="Tạo báo cáo (PDF)").click()
    page.wait_for_url(re.compile(r"/cong-viec/\d+/$"))
    progress = page.get_by_role("progressbar", name="Tiến độ tạo tệp")
    expect(progress).to_have_attribute("aria-valuenow", "100", timeout=60_000)
    expect(page.locator("#job-progress")).to_contain_text("Đã xong")
    expect(page.locator("#job-progress")).to_contain_text("100%")
    download = page.get_by_role("link", name=re.compile(r"^Tải về: "))
    expect(download).to_be_visible()
    shot("9-report-ready")
    report_pdf = fetch(page, base, download.get_attribute("href"), "application/pdf")
    assert report_pdf.startswith(b"%PDF"), report_pdf[:20]
    report_pdf_path = artifacts / "conclusions-journey-report.pdf"
    report_pdf_path.write_bytes(report_pdf)
    text = pdf_text(report_pdf)
    for expected in (
        "BÁO CÁO",
        f"kết quả thực hiện Thông báo kết luận số {NUMBER}, năm {today.year}",
        world.agency_x.name,
        world.agency_y.name,
        TASK_X,
        DONE_ON_TIME,
        OPEN_WITHIN,
        EVIDENCE,
        "Nơi nhận",
    ):
        assert normal(expected) in text, (expected, text[:3000])
    report_pngs = render_png(report_pdf_path, screenshot_dir / "conclusions-journey-report", first_page_only=True)
    assert len(report_pngs) == 1

    # What the UI made.
    notice.refresh_from_db()
    assert notice.status == ConclusionNotice.Status.ISSUED and notice.number == NUMBER
    assert notice.issued_on == today and notice.summary == SUMMARY and notice.assessment == ASSESSMENT
    assert notice.approved_by == standing and notice.created_by == organizer
    assert notice.recipient_lines() == RECIPIENTS and notice.signer_name == SIGNER
    key_tasks = list(notice.key_tasks.order_by("order"))
    assert [(t.order, t.text) for t in key_tasks] == [(1, KEY_TASKS[0]), (2, KEY_TASKS[1])]
    x = Assignment.objects.get(notice=notice, lead_agency=world.agency_x)
    y = Assignment.objects.get(notice=notice, lead_agency=world.agency_y)
    assert notice.assignments.count() == 2
    assert x.text == TASK_X and x.key_task == key_tasks[0] and x.output == Assignment.Output.ANSWERS
    assert x.schedule == Assignment.Schedule.DEADLINE and x.working_days == WORKING_DAYS
    assert list(x.submissions.all()) == [world.item_a]
    assert x.dues.get().original_due_on == deadline_after(today, WORKING_DAYS)
    assert x.completed_on == today and x.next_due_on is None and x.late_dues == 0
    assert y.text == TASK_Y and y.key_task == key_tasks[1] and y.schedule == Assignment.Schedule.CYCLE
    assert y.cycle == "yearly" and y.next_due_on is not None and y.next_due_on >= today and y.completed_on is None
    report = ProgressReport.objects.get(assignment=x)
    assert report.text == REPORT and report.percent == 100 and report.completes and report.reported_by == officer
    evidence_row = Evidence.objects.get(report=report)
    assert evidence_row.original_name == EVIDENCE and evidence_row.file.read().startswith(b"%PDF")
    job = BackgroundJob.objects.get(created_by=organizer, params__notice=notice.pk)
    assert job.status == BackgroundJob.Status.DONE and job.percent == 100
    # The world's own notice (1029) was not touched.
    world.assignment_x.refresh_from_db()
    assert world.assignment_x.completed_on is None and not world.assignment_x.reports.exists()

    # Every page, stylesheet and script came from the app itself.
    outside = [url for url in requested if not url.startswith(base) and not url.startswith("data:")]
    assert not outside, outside
    assert requested
