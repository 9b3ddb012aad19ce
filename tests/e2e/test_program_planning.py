"""Issue 3's acceptance journey in headless Chromium: an organizer plans a program end to end
through the UI only — creates it, forms its committee, gets plan version 1 approved by the
Standing Committee, drafts version 2 and reads the diff, fills the roadmap, the agenda and the
forums, downloads the programme and the committee decision, and moves the program to
"Đang chuẩn bị". Screenshots of each step go to test-artifacts/screenshots/program-*.png."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from directory.models import Role
from programs.models import AgendaSession, CommitteeMember, Forum, PlanVersion, Program, RoadmapTask
from tests.e2e.journey import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Chương trình gặp mặt, đối thoại với người đứng đầu cấp ủy, chính quyền cấp xã năm 2023"
THEME = "Đoàn kết - Dân chủ - Kỷ cương - Đổi mới"
VENUE = "Hội trường Trung tâm Hội nghị tỉnh, số 1 đường Trường Thi, thành phố Vinh"
DEPUTY = "Trần Thị Dân Vận"
DEPUTY_POSITION = "Trưởng ban Dân vận Tỉnh ủy"
MEMBER_X = "Hoàng Văn Vận Tải"
MEMBER_X_POSITION = "Giám đốc Sở Giao thông vận tải"
HEAD_POSITION = "Phó Bí thư Thường trực Tỉnh ủy"
PLAN = {
    "Mục đích": "Lắng nghe ý kiến của người đứng đầu cấp ủy, chính quyền cấp xã.",
    "Yêu cầu": "Chuẩn bị chu đáo, an toàn, tiết kiệm; đối thoại thẳng thắn, cởi mở.",
    "Nội dung": "Thường trực Tỉnh ủy gặp mặt, đối thoại theo ba nhóm vấn đề.",
    "Thành phần tham dự": "Bí thư, Chủ tịch UBND các xã, phường, thị trấn trong tỉnh.",
    "Thời gian, địa điểm": "Ngày 03 và 04/8/2023 tại Trung tâm Hội nghị tỉnh.",
    "Chương trình": "Ngày thứ nhất: diễn đàn thảo luận; ngày thứ hai: đối thoại chính.",
    "Phân công nhiệm vụ": "Ban Dân vận Tỉnh ủy là cơ quan thường trực.",
    "Kinh phí": "Từ nguồn ngân sách tỉnh giao Ban Dân vận Tỉnh ủy.",
    "Hậu cần": "Văn phòng Tỉnh ủy bố trí hội trường, âm thanh, ánh sáng.",
    "Thông tin, tuyên truyền": "Báo Nghệ An, Đài Phát thanh và Truyền hình tỉnh đưa tin.",
}
BUDGET_V2 = "Từ nguồn ngân sách tỉnh và nguồn xã hội hóa, giao Ban Dân vận Tỉnh ủy."
TASK_X = "Phân luồng giao thông quanh Trung tâm Hội nghị tỉnh"
TASK_DOCS = "Chuẩn bị tài liệu cho đại biểu"
SESSION = "Gặp mặt, đối thoại với người đứng đầu cấp xã"
TOPIC = "Phát triển kinh tế - xã hội, quốc phòng - an ninh"
FORUM = "Diễn đàn phát triển kinh tế - xã hội"


def open_program(page, base: str) -> None:
    """From anywhere: Chương trình in the menu, then the program's link."""
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Chương trình").click()
    page.get_by_role("link", name=TITLE, exact=True).click()
    page.wait_for_url(re.compile(r"/chuong-trinh/\d+/$"))


def tab(page, name: str) -> None:
    page.get_by_role("navigation", name="Các mục của chương trình").get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("link", name=name, exact=True)).to_have_attribute("aria-current", "page")


def saved(page, text: str) -> None:
    expect(page.get_by_role("alert").filter(has_text=text)).to_be_visible()


def download_pdf(page, link_name: str) -> bytes:
    """Follow the link's href with the page's own session (Chromium would show the PDF inline)."""
    href = page.get_by_role("link", name=link_name).get_attribute("href")
    response = page.context.request.get(page.url.split("/chuong-trinh/")[0] + href)
    assert response.ok, (href, response.status)
    assert response.headers["content-type"] == "application/pdf"
    return response.body()


def test_organizer_plans_a_program_end_to_end(page, live_server, world, screenshot_dir):
    base = live_server.url
    organizer = world.users[Role.ORGANIZER]
    standing = world.users[Role.STANDING_COMMITTEE]
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("dialog", lambda dialog: dialog.accept())

    def shot(name: str) -> None:
        page.screenshot(path=screenshot_dir / f"program-{name}.png", full_page=True)

    # 1. The organizer creates the program.
    sign_in(page, base, organizer.username)
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Chương trình").click()
    page.get_by_role("link", name="Tạo chương trình").click()
    expect(page.get_by_role("heading", name="Tạo chương trình")).to_be_visible()
    page.get_by_label("Tên chương trình").fill(TITLE)
    page.get_by_label("Cấp ủy tổ chức").select_option(label="Tỉnh ủy Nghệ An")
    page.get_by_label("Địa bàn").select_option(label="Tỉnh Nghệ An")
    page.get_by_label("Đối tượng").select_option(label="Người đứng đầu cấp ủy, chính quyền cấp xã")
    page.get_by_label("Ngày bắt đầu").fill("03/08/2023")
    page.get_by_label("Ngày kết thúc").fill("04/08/2023")
    page.get_by_label("Chủ đề").fill(THEME)
    page.get_by_label("Địa điểm").fill(VENUE)
    page.get_by_label("Cơ quan thường trực").select_option(label="Ban Dân vận Tỉnh ủy Nghệ An")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(re.compile(r"/chuong-trinh/\d+/$"))
    program_url = page.url
    saved(page, "Đã tạo chương trình.")
    expect(page.get_by_text(TITLE, exact=True)).to_be_visible()
    expect(page.get_by_text("03/08/2023 – 04/08/2023")).to_be_visible()
    expect(page.locator(".program-header .status-badge")).to_have_text("Đang lập kế hoạch")
    shot("1-created")

    # 2. The organizing committee: head, standing deputy, a member of agency X; a second head is refused.
    tab(page, "Ban tổ chức")

    def add_member(name: str, position: str, role: str, agency: str, account: str | None = None) -> None:
        page.get_by_role("link", name="Thêm thành viên").click()
        expect(page.get_by_role("heading", name="Thêm thành viên Ban tổ chức")).to_be_visible()
        page.get_by_label("Họ và tên").fill(name)
        page.get_by_label("Chức vụ").fill(position)
        page.get_by_label("Vai trò trong Ban").select_option(label=role)
        page.get_by_label("Cơ quan").select_option(label=agency)
        if account:
            page.get_by_label("Tài khoản").select_option(label=account)
        page.get_by_role("button", name="Lưu").click()

    add_member(standing.full_name, HEAD_POSITION, "Trưởng ban", "Tỉnh ủy Nghệ An", account=standing.full_name)
    page.wait_for_url(f"{program_url}ban-to-chuc/")
    saved(page, "Đã lưu thành viên Ban tổ chức.")
    add_member(DEPUTY, DEPUTY_POSITION, "Phó Trưởng ban Thường trực", "Ban Dân vận Tỉnh ủy Nghệ An")
    page.wait_for_url(f"{program_url}ban-to-chuc/")
    add_member(MEMBER_X, MEMBER_X_POSITION, "Thành viên", world.agency_x.name)
    page.wait_for_url(f"{program_url}ban-to-chuc/")
    add_member("Phạm Văn Thứ Hai", "Phó Bí thư Tỉnh ủy", "Trưởng ban", "Tỉnh ủy Nghệ An")
    expect(page.get_by_text(f"Ban tổ chức đã có trưởng ban: {standing.full_name} – {HEAD_POSITION}.")).to_be_visible()
    shot("2-committee-second-head-refused")
    page.get_by_role("link", name="Hủy").click()  # back to the committee, not to the refused form
    page.wait_for_url(f"{program_url}ban-to-chuc/")
    rows = page.get_by_role("table").get_by_role("row")
    expect(rows).to_have_count(4)  # the header and three members, the head first
    expect(rows.nth(1)).to_contain_text("Trưởng ban")
    expect(rows.nth(1)).to_contain_text(standing.username)
    expect(rows.nth(2)).to_contain_text("Phó Trưởng ban Thường trực")
    expect(rows.nth(3)).to_contain_text(world.agency_x.name)
    expect(page.get_by_text("Phạm Văn Thứ Hai")).to_have_count(0)
    shot("2-committee")

    # 3. The plan: version 1 filled in and submitted; the Standing Committee approves it.
    tab(page, "Kế hoạch")
    page.get_by_role("link", name="Phiên bản 1").first.click()
    page.get_by_role("link", name="Sửa nội dung").click()
    for label, text in PLAN.items():
        page.get_by_label(label, exact=True).fill(text)
    page.get_by_label("Ghi chú thay đổi").fill("Dự thảo đầu tiên")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(f"{program_url}ke-hoach/phien-ban/1/")
    saved(page, "Đã lưu phiên bản 1.")
    page.get_by_role("button", name="Trình phê duyệt").click()
    saved(page, "Đã trình phiên bản 1 để phê duyệt.")
    expect(page.get_by_role("heading", name=re.compile("Kế hoạch – phiên bản 1"))).to_contain_text("Đã trình")
    sign_out(page, base, organizer)

    sign_in(page, base, standing.username)
    open_program(page, base)
    tab(page, "Kế hoạch")
    page.get_by_role("link", name="Phiên bản 1").first.click()
    expect(page.get_by_text(PLAN["Kinh phí"])).to_be_visible()
    page.get_by_role("button", name="Phê duyệt phiên bản này").click()
    saved(page, "Đã phê duyệt phiên bản 1 của kế hoạch.")
    expect(page.get_by_role("heading", name=re.compile("Kế hoạch – phiên bản 1"))).to_contain_text("Đã phê duyệt")
    shot("3-plan-approved")
    sign_out(page, base, standing)

    # Version 2 changes one section; the diff marks the change.
    sign_in(page, base, organizer.username)
    open_program(page, base)
    tab(page, "Kế hoạch")
    page.get_by_role("button", name="Tạo phiên bản mới").click()
    page.wait_for_url(f"{program_url}ke-hoach/phien-ban/2/sua/")
    expect(page.get_by_label("Kinh phí", exact=True)).to_have_value(PLAN["Kinh phí"])
    page.get_by_label("Kinh phí", exact=True).fill(BUDGET_V2)
    page.get_by_label("Ghi chú thay đổi").fill("Bổ sung nguồn xã hội hóa")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(f"{program_url}ke-hoach/phien-ban/2/")
    page.get_by_role("link", name="So sánh với phiên bản 1").click()
    page.wait_for_url(re.compile(r"/ke-hoach/so-sanh/\?a=1&b=2$"))
    budget = page.get_by_role("region", name="Kinh phí")
    expect(budget.locator("ins")).to_contain_text("xã hội hóa")
    expect(budget).to_contain_text("thêm 5 từ, xóa 0 từ")
    expect(page.get_by_role("region", name="Mục đích")).to_contain_text("Không thay đổi")
    shot("3-plan-diff")

    # 4. The roadmap: two tasks, a due date before the start refused, a status changed.
    tab(page, "Lộ trình chuẩn bị")
    page.get_by_role("link", name="Thêm nhiệm vụ").click()
    page.get_by_label("Nhiệm vụ").fill(TASK_X)
    page.get_by_label("Nhóm việc").select_option(label="An ninh, trật tự, giao thông")
    page.get_by_label("Cơ quan thực hiện").select_option(label=world.agency_x.name)
    page.get_by_label("Ngày bắt đầu").fill("20/07/2023")
    page.get_by_label("Hạn hoàn thành").fill("15/07/2023")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Hạn hoàn thành không được trước ngày bắt đầu.")).to_be_visible()
    shot("4-task-due-before-start")
    page.get_by_label("Hạn hoàn thành").fill("02/08/2023")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(re.compile(r"/lo-trinh/\d+/$"))
    saved(page, f"Đã lưu nhiệm vụ “{TASK_X}”.")
    page.get_by_role("link", name="Về lộ trình chuẩn bị").click()
    page.get_by_role("link", name="Thêm nhiệm vụ").click()
    page.get_by_label("Nhiệm vụ").fill(TASK_DOCS)
    page.get_by_label("Nhóm việc").select_option(label="Nội dung")
    page.get_by_label("Thành viên phụ trách").select_option(label=f"{DEPUTY} – {DEPUTY_POSITION}")
    page.get_by_label("Ngày bắt đầu").fill("10/07/2023")
    page.get_by_label("Hạn hoàn thành").fill("31/07/2023")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(re.compile(r"/lo-trinh/\d+/$"))
    saved(page, f"Đã lưu nhiệm vụ “{TASK_DOCS}”.")
    page.get_by_role("link", name="Về lộ trình chuẩn bị").click()
    row = page.get_by_role("row").filter(has_text=TASK_X)
    row.get_by_label(f"Trạng thái của nhiệm vụ “{TASK_X}”").select_option(label="Đã hoàn thành")
    row.get_by_role("button", name="Cập nhật").click()
    row = page.get_by_role("row").filter(has_text=TASK_X)
    expect(row.get_by_role("status")).to_contain_text("Đã lưu")
    expect(row).to_contain_text("Đã hoàn thành")
    shot("4-roadmap-list")
    page.get_by_role("link", name="Biểu đồ thời gian").click()
    page.wait_for_url(f"{program_url}lo-trinh/bieu-do/")
    timeline = page.get_by_role("region", name="Biểu đồ thời gian các nhiệm vụ")
    expect(timeline.get_by_role("link", name=TASK_X)).to_be_visible()
    expect(timeline.get_by_role("link", name=TASK_DOCS)).to_be_visible()
    shot("4-roadmap-timeline")

    # 5. The agenda: a session outside the program's dates is refused, then one on 04/08/2023.
    tab(page, "Chương trình nghị sự")
    page.get_by_role("link", name="Thêm hoạt động").click()
    page.get_by_label("Loại hoạt động").select_option(label="Gặp mặt, đối thoại chính")
    page.get_by_label("Nội dung").fill(SESSION)
    page.get_by_label("Ngày").fill("05/08/2023")
    page.get_by_label("Từ giờ").fill("07:30")
    page.get_by_label("Đến giờ").fill("11:30")
    page.get_by_label("Địa điểm").fill("Hội trường lớn, Trung tâm Hội nghị tỉnh")
    page.get_by_label("Chủ trì", exact=True).fill("Thường trực Tỉnh ủy")
    page.get_by_role("button", name="Lưu").click()
    expect(
        page.get_by_text("Hoạt động phải diễn ra trong thời gian của chương trình (03/08/2023 – 04/08/2023).")
    ).to_be_visible()
    shot("5-session-outside-refused")
    page.get_by_label("Ngày").fill("04/08/2023")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(re.compile(r"/nghi-su/#session-\d+$"))
    saved(page, f"Đã lưu hoạt động “{SESSION}”.")
    day = page.get_by_role("region", name="Thứ Sáu, 04/08/2023")
    expect(day).to_contain_text(SESSION)
    expect(day).to_contain_text("07:30 – 11:30")
    shot("5-agenda")
    programme = download_pdf(page, "Bản in (PDF)")
    assert programme.startswith(b"%PDF"), programme[:20]
    (screenshot_dir / "program-5-programme.pdf").write_bytes(programme)

    # 6. Forums: a topic group, then a forum chaired by the committee head.
    tab(page, "Diễn đàn")
    page.get_by_role("link", name="Nhóm vấn đề").click()
    page.get_by_role("link", name="Thêm nhóm vấn đề").click()
    page.get_by_label("Nhóm vấn đề").fill(TOPIC)
    page.get_by_label("Thứ tự").fill("1")
    page.get_by_role("button", name="Lưu").click()
    saved(page, "Đã lưu nhóm vấn đề.")
    expect(page.get_by_role("table")).to_contain_text(TOPIC)
    page.get_by_role("link", name="Diễn đàn", exact=True).last.click()
    page.get_by_role("link", name="Thêm diễn đàn").click()
    page.get_by_label("Tên diễn đàn").fill(FORUM)
    page.get_by_label("Nhóm vấn đề").select_option(label=TOPIC)
    page.get_by_label("Ngày").fill("03/08/2023")
    page.get_by_label("Từ giờ").fill("14:00")
    page.get_by_label("Đến giờ").fill("17:00")
    page.get_by_label("Phòng, hội trường").fill("Phòng họp số 2")
    page.get_by_label("Sức chứa").fill("120")
    page.get_by_role("combobox", name="Chủ trì").select_option(label=f"{standing.full_name} – {HEAD_POSITION}")
    page.get_by_label("Thư ký tổng hợp").select_option(label=f"{MEMBER_X} – {MEMBER_X_POSITION}")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(re.compile(r"/dien-dan/\d+/$"))
    saved(page, f"Đã lưu diễn đàn “{FORUM}”.")
    expect(page.get_by_role("heading", name=FORUM)).to_be_visible()
    page.get_by_role("link", name="Tất cả diễn đàn").click()
    card = page.get_by_role("article").filter(has_text=FORUM)
    expect(card).to_contain_text(standing.full_name)
    expect(card).to_contain_text("14:00 – 17:00, Thứ Năm, 03/08/2023")
    shot("6-forums")
    tab(page, "Ban tổ chức")
    decision = download_pdf(page, "Quyết định thành lập (PDF)")
    assert decision.startswith(b"%PDF"), decision[:20]
    (screenshot_dir / "program-6-committee-decision.pdf").write_bytes(decision)

    # 7. The plan is approved: the program moves to "Đang chuẩn bị".
    tab(page, "Tổng quan")
    page.get_by_role("button", name="Chuyển sang: Đang chuẩn bị").click()
    saved(page, "Đã chuyển trạng thái chương trình.")
    expect(page.locator(".program-header .status-badge")).to_have_text("Đang chuẩn bị")
    shot("7-preparing")

    # What the UI made.
    program = Program.objects.get(title=TITLE)
    assert program.status == Program.Status.PREPARING
    assert (program.start_date, program.end_date) == (datetime.date(2023, 8, 3), datetime.date(2023, 8, 4))
    assert (program.host, program.standing_agency, program.area) == (
        world.party_committee,
        world.board,
        world.province,
    )
    assert program.theme == THEME and program.created_by == organizer
    members = {m.role: m for m in program.committee.all()}
    assert program.committee.count() == 3
    assert members[CommitteeMember.Role.HEAD].user == standing
    assert members[CommitteeMember.Role.STANDING_DEPUTY].full_name == DEPUTY
    assert members[CommitteeMember.Role.MEMBER].agency == world.agency_x
    versions = {v.number: v for v in program.plan.versions.all()}
    assert set(versions) == {1, 2}
    assert versions[1].status == PlanVersion.Status.APPROVED and versions[1].approved_by == standing
    assert versions[1].sections["budget"] == PLAN["Kinh phí"]
    assert versions[2].status == PlanVersion.Status.DRAFT and versions[2].based_on == versions[1]
    assert versions[2].sections["budget"] == BUDGET_V2
    assert {k: v for k, v in versions[2].sections.items() if k != "budget"} == {
        k: v for k, v in versions[1].sections.items() if k != "budget"
    }
    tasks = {t.title: t for t in program.tasks.all()}
    assert set(tasks) == {TASK_X, TASK_DOCS}
    assert tasks[TASK_X].assignee_agency == world.agency_x and tasks[TASK_X].status == RoadmapTask.Status.DONE
    assert tasks[TASK_X].due_date == datetime.date(2023, 8, 2)
    assert tasks[TASK_DOCS].assignee_member.full_name == DEPUTY
    session = AgendaSession.objects.get(program=program)
    assert session.title == SESSION and timezone.localtime(session.starts_at).date() == datetime.date(2023, 8, 4)
    forum = Forum.objects.get(program=program)
    assert forum.chair == members[CommitteeMember.Role.HEAD] and forum.topic_group.name == TOPIC
    # The world's own program was not touched.
    assert world.program.committee.count() == 2 and world.program.tasks.count() == 2

    # Every page, stylesheet and script came from the app itself.
    outside = [url for url in requested if not url.startswith(base) and not url.startswith("data:")]
    assert not outside, outside
    assert requested
