"""A submission's journey in headless Chromium, through the UI only: a commune leader sends a proposal,
the organizer finds it with an unaccented search, classifies it, merges commune B's duplicate into it and
routes it to agency X; the agency's officer answers, the organizer publishes the answer and the commune
leader reads it. Screenshots go to test-artifacts/screenshots/submission-*.png."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from directory.models import Role
from submissions.models import Answer, Submission
from tests.e2e.journey import menu, open_program_tab, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TAB = "Câu hỏi, đề xuất, kiến nghị"
TITLE = "Hỗ trợ nhà ở cho hộ nghèo Nghi Phú"
CONTENT = "Xã còn 12 hộ nghèo đang ở nhà tạm, xuống cấp; đề nghị tỉnh hỗ trợ kinh phí xây nhà ở cho các hộ này."
PLACE = "Xóm 3, xã Nghi Phú"
ANSWER = "Sở sẽ phối hợp với UBND huyện rà soát, đưa 12 hộ vào kế hoạch hỗ trợ nhà ở năm 2024."
REFERENCE = re.compile(r"ĐT\d{4}-\d{3}")


def search_triage(page, query: str) -> None:
    page.get_by_label("Tìm kiếm").fill(query)
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url(re.compile(r"/phan-loai/\?.*q=ho"))


def test_submission_journey(page, live_server, world, screenshot_dir):
    base = live_server.url
    leader = world.users[Role.COMMUNE_LEADER]
    organizer = world.users[Role.ORGANIZER]
    officer = world.users[Role.AGENCY_OFFICER]
    item_b = world.item_b
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("dialog", lambda dialog: dialog.accept())

    def shot(name: str) -> None:
        page.screenshot(path=screenshot_dir / f"submission-{name}.png", full_page=True)

    # 1. The commune leader sends a proposal.
    sign_in(page, base, leader.username)
    open_program_tab(page, world.program, TAB)
    page.get_by_role("link", name="Gửi câu hỏi, đề xuất, kiến nghị").click()
    page.get_by_label("Đề xuất", exact=True).check()
    page.get_by_label("Lĩnh vực").select_option(label=item_b.field.name)
    page.get_by_label("Nhóm vấn đề").select_option(label=world.topic_group.name)
    page.get_by_label("Tiêu đề").fill(TITLE)
    page.get_by_role("textbox", name=re.compile(r"^Nội dung\W*$")).fill(CONTENT)
    page.get_by_label("Nơi phát sinh vấn đề").fill(PLACE)
    page.get_by_role("button", name="Gửi", exact=True).click()
    page.wait_for_url(re.compile(r"/cau-hoi/\d+/$"))
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.locator(".font-monospace").first).to_have_text(REFERENCE)
    item = Submission.objects.get(title=TITLE)
    reference = item.reference
    assert REFERENCE.fullmatch(reference), reference
    expect(page.get_by_text(reference).first).to_be_visible()
    item_url = page.url
    shot("1-sent")
    sign_out(page, base, leader)

    # 2. The organizer finds it without accents, classifies it and merges commune B's duplicate into it.
    sign_in(page, base, organizer.username)
    open_program_tab(page, world.program, TAB)
    page.wait_for_url(re.compile(r"/cau-hoi/phan-loai/"))
    search_triage(page, "ho tro nha o")
    table = page.locator("table.triage-table")
    expect(table.get_by_role("link", name=TITLE, exact=True)).to_be_visible()
    expect(table.get_by_role("link", name=item_b.title, exact=True)).to_be_visible()
    shot("2-triage-search")
    table.get_by_role("link", name=TITLE, exact=True).click()
    page.wait_for_url(item_url)
    classify = page.locator(".triage-classify")
    classify.get_by_label("Nhóm vấn đề").select_option(label=world.topic_group.name)
    classify.get_by_role("button", name="Phân loại").click()
    expect(page.locator(".status-badge").first).to_have_text("Đã phân loại")
    page.get_by_role("link", name="Gộp nội dung trùng vào đây").click()
    page.wait_for_url(re.compile(r"/gop/"))
    box = page.get_by_label(f"Gộp {item_b.reference}").first
    if not box.count():
        page.locator("#merge-q").fill("ho tro nha o")
        page.get_by_role("button", name="Tìm").click()
        box = page.get_by_label(f"Gộp {item_b.reference}").first
    box.check()
    page.get_by_role("button", name=f"Gộp các nội dung đã chọn vào {reference}").click()
    page.wait_for_url(item_url)
    origins = page.locator("section[aria-labelledby=origin-heading]")
    expect(origins).to_contain_text(world.commune_a.full_name)
    expect(origins).to_contain_text(world.commune_b.full_name)
    expect(origins).to_contain_text(f"gộp từ {item_b.reference}")
    shot("2-merged")

    # 3. The organizer routes it to agency X, 15 working days to answer.
    routing = page.locator(".routing-panel")
    routing.get_by_label("Cơ quan chủ trì trả lời").select_option(label=world.agency_x.name)
    routing.get_by_label("hoặc số ngày làm việc").fill("15")
    routing.get_by_role("button", name="Giao trả lời").click()
    expect(page.locator(".status-badge").first).to_have_text("Đã chuyển cơ quan trả lời")
    expect(page.locator(".routing-panel")).to_contain_text(world.agency_x.name)
    shot("3-routed")
    sign_out(page, base, organizer)

    # 4. The agency officer answers it.
    sign_in(page, base, officer.username)
    menu(page, "Việc cần trả lời")
    page.get_by_role("link", name=TITLE, exact=True).click()
    page.wait_for_url(item_url)
    page.get_by_role("link", name="Soạn, sửa câu trả lời").click()
    page.get_by_label("Nội dung trả lời").fill(ANSWER)
    page.get_by_role("button", name="Lưu và gửi Ban tổ chức").click()
    page.wait_for_url(re.compile(r"/cau-hoi/\d+/"))
    expect(page.get_by_text(ANSWER)).to_be_visible()
    shot("4-answered")
    sign_out(page, base, officer)

    # 5. The organizer publishes the answer.
    sign_in(page, base, organizer.username)
    open_program_tab(page, world.program, TAB)
    search_triage(page, "ho tro nha o")
    page.locator("table.triage-table").get_by_role("link", name=TITLE, exact=True).click()
    page.wait_for_url(item_url)
    page.get_by_role("button", name="Công bố câu trả lời").click()
    expect(page.locator(".status-badge").first).to_have_text("Đã công bố câu trả lời")
    shot("5-published")
    sign_out(page, base, organizer)

    # 6. The commune leader reads the published answer.
    sign_in(page, base, leader.username)
    menu(page, "Câu hỏi của đơn vị")
    page.get_by_role("link", name=TITLE, exact=True).click()
    page.wait_for_url(item_url)
    answers = page.locator("section[aria-labelledby=answers-heading]")
    expect(answers).to_contain_text(ANSWER)
    expect(answers).to_contain_text(world.agency_x.name)
    shot("6-leader-reads-answer")

    # What the UI made.
    item.refresh_from_db()
    assert item.status == Submission.Status.PUBLISHED
    assert item.commune == world.commune_a and item.topic_group == world.topic_group
    assert {o.commune for o in item.origin_links.all()} == {world.commune_a, world.commune_b}
    item_b.refresh_from_db()
    assert item_b.status == Submission.Status.MERGED and item_b.merged_into == item
    answers = list(Answer.objects.filter(submission=item))
    assert len(answers) == 1
    assert answers[0].status == Answer.Status.PUBLISHED and answers[0].agency == world.agency_x
    assert answers[0].text == ANSWER

    # Every request went to the live server.
    outside = [url for url in requested if not url.startswith(base) and not url.startswith("data:")]
    assert not outside, outside
    assert requested
