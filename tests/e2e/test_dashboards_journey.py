"""The dashboards in headless Chromium, clicked through as a person would: the Standing Committee
opens "Bảng điều khiển" from the menu, goes from the province's programs to the program dashboard,
follows the overdue figure and a number of the late agencies' table to their lists (each list
counts as many rows as the number clicked, both read from the page), sorts the agencies'
scorecard by "Trễ hạn" and opens the late agency's page and one of its figures, colours the grid
of communes by what is unresolved and opens a commune, and downloads the program's PDF briefing
and Excel workbook. An agency officer and a commune leader follow "Kết quả của đơn vị" to their
own page; the officer is refused another agency's page.

World: tests/conftest.py's `world` with `add_variety` (an item overdue at agency X, one answered
late by agency Y, an on-the-spot answer, a merged duplicate, a withdrawn item, a check-in).
Screenshots: test-artifacts/screenshots/dashboard-*.png (full page, 1366 px wide; the program
dashboard also at 390 px)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from directory.models import Role
from tests.dashboards.helpers import add_variety
from tests.e2e.journey import fetch, menu, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
OVERDUE = "Chưa trả lời – quá hạn"


def number(text: str) -> int:
    """A figure as the page prints it ("1.121" in Vietnamese) as an int."""
    digits = re.sub(r"\D", "", text)
    assert digits, f"no number in {text!r}"
    return int(digits)


def new_page(browser, viewport: dict, **options):
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport=viewport, **options)
    return context.new_page()


def metric(page, label: str):
    """The headline figure card whose label is exactly `label`."""
    return page.locator(".metric-card").filter(has=page.locator(".metric-label").get_by_text(label, exact=True))


def list_count(page) -> int:
    """The drill-down list's "Có N kết quả", read from the page."""
    page.wait_for_url(re.compile(r"/bang-dieu-khien/danh-sach/"))
    count = page.locator("#list-count")
    expect(count).to_have_text(re.compile(r"^Có [\d.]+ kết quả$"))
    return number(count.inner_text())


def follow_number(page, link) -> int:
    """Click a number that links to a list; the list must count as many rows. Returns it."""
    clicked = number(link.inner_text())
    link.click()
    assert list_count(page) == clicked, (page.url, clicked, page.locator("#list-count").inner_text())
    return clicked


def no_overflow(page) -> int:
    """How far the page is wider than the viewport (0 when nothing sticks out sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_dashboards_journey(browser, live_server, world, screenshot_dir):
    base = live_server.url
    variety = add_variety(world)
    standing = world.users[Role.STANDING_COMMITTEE]
    officer = world.users[Role.AGENCY_OFFICER]  # of agency X
    leader = world.users[Role.COMMUNE_LEADER]  # of commune A (Nghi Phú)
    page = new_page(browser, DESKTOP)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    def shot(name: str, on=None) -> None:
        (on or page).screenshot(path=screenshot_dir / f"dashboard-{name}.png", full_page=True)

    # 1. The Standing Committee: the province's programs, then the program dashboard.
    sign_in(page, base, standing.username)
    menu(page, "Bảng điều khiển")
    page.wait_for_url(re.compile(r"/bang-dieu-khien/(\?.*)?$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Các chương trình của {world.province.full_name}")
    assert number(metric(page, "Chương trình").locator(".metric-value").inner_text()) == 1
    raised = number(metric(page, "Câu hỏi, đề xuất, kiến nghị qua các chương trình").inner_text().split("\n")[0])
    assert raised >= 5, raised  # the world's three, the overdue, late and on-the-spot ones (merged and withdrawn not)
    expect(page.locator("svg.chart .chart-bar").first).to_be_visible()
    shot("1-overview")
    page.locator("#table-series tbody").get_by_role("link", name=re.compile(r"^Năm 2023, lần")).click()
    page.wait_for_url(re.compile(rf"/bang-dieu-khien/chuong-trinh/{world.program.pk}/$"))
    expect(page.get_by_role("heading", name="Bảng điều khiển chương trình")).to_be_visible()
    tabs = page.get_by_role("navigation", name="Các mục của chương trình")
    expect(tabs.get_by_role("link", name="Bảng điều khiển", exact=True)).to_have_attribute("aria-current", "page")
    program_url = page.url
    shot("2-program")

    # The program dashboard on a phone, same session.
    phone = new_page(browser, PHONE, storage_state=page.context.storage_state())
    phone.goto(program_url)
    expect(phone.get_by_role("heading", name="Bảng điều khiển chương trình")).to_be_visible()
    phone_overflow = no_overflow(phone)
    shot("2-program-phone", on=phone)
    phone.context.close()

    # The overdue headline figure → its list: same count, and the overdue item is in it.
    overdue = follow_number(page, metric(page, OVERDUE).locator("a.metric-link"))
    assert overdue == 1
    expect(page.get_by_role("heading", level=1)).to_have_text("Danh sách câu hỏi, đề xuất, kiến nghị")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(overdue)
    expect(rows.first).to_contain_text(variety["overdue"].title)
    expect(rows.first).to_contain_text(world.agency_x.name)
    shot("3-list-overdue")
    page.go_back()
    page.wait_for_url(program_url)

    # A number of "Cơ quan có việc quá hạn": agency X's overdue questions.
    late_table = page.locator("#table-late_by_agency")
    expect(page.get_by_role("heading", name="Cơ quan có việc quá hạn")).to_be_visible()
    late_row = late_table.locator("tbody tr").filter(has_text=world.agency_x.name)
    late_items = late_row.locator("a.drill").last  # "Câu hỏi, kiến nghị quá hạn trả lời"
    assert follow_number(page, late_items) == overdue
    expect(page.locator("table tbody tr").first).to_contain_text(variety["overdue"].title)
    page.go_back()
    page.wait_for_url(program_url)

    # 2. The agencies' scorecard sorted by "Trễ hạn": agency Y, which answered late, first.
    menu(page, "Bảng điều khiển")
    page.get_by_role("navigation", name="Các bảng điều khiển").get_by_role("link", name="Các cơ quan").click()
    page.wait_for_url(re.compile(r"/bang-dieu-khien/co-quan/\?"))
    scorecard = page.locator("#table-agencies")
    scorecard.locator("thead").get_by_role("link", name="Trễ hạn").click()
    page.wait_for_url(re.compile(r"[?&]sort=late"))
    expect(scorecard.locator("thead a.sort-link.active")).to_contain_text("Trễ hạn")
    first = page.locator("#table-agencies tbody tr").first
    expect(first.locator("th")).to_have_text(world.agency_y.name)
    headers = [" ".join(c.split()) for c in page.locator("#table-agencies thead th").all_inner_texts()]
    late_column = headers.index("Trễ hạn ▾")
    assert number(first.locator("th, td").nth(late_column).inner_text()) == 1
    shot("4-agencies-by-late")
    first.get_by_role("link", name=world.agency_y.name).click()
    page.wait_for_url(re.compile(rf"/bang-dieu-khien/co-quan/{world.agency_y.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(world.agency_y.name)
    shot("5-agency")
    routed = follow_number(page, metric(page, "Được giao trả lời").locator("a.metric-link"))
    assert routed == 2  # the published answer and the late one
    expect(page.locator("table tbody")).to_contain_text(variety["late"].title)
    page.go_back()

    # 3. The grid of communes, coloured by what is unresolved; a tile opens the commune.
    menu(page, "Bảng điều khiển")
    page.get_by_role("navigation", name="Các bảng điều khiển").get_by_role("link", name="Lưới đơn vị").click()
    page.wait_for_url(re.compile(r"/bang-dieu-khien/luoi-don-vi/"))
    page.get_by_label("Tô màu theo").select_option(label="Số nội dung chưa trả lời")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_url(re.compile(r"[?&]metric=unresolved"))
    expect(page.get_by_label("Tô màu theo")).to_have_value("unresolved")
    tile = page.locator(".unit-tile[title^='Xã Nghi Phú:']")
    expect(tile).to_have_count(1)
    assert number(tile.inner_text()) >= 2  # item A and the overdue one, at least
    shot("6-map-unresolved")
    tile.click()
    page.wait_for_url(re.compile(rf"/bang-dieu-khien/don-vi/{world.commune_a.pk}/$"))
    items = page.locator("section[aria-labelledby=h-items]")
    for item in (world.item_a, variety["overdue"], variety["on_spot"]):
        expect(items).to_contain_text(item.title)
    expect(items).not_to_contain_text(world.item_b.title)  # commune B's
    shot("7-commune")

    # 4. The program's PDF briefing and Excel workbook.
    page.goto(program_url)
    pdf = fetch(page, base, page.get_by_role("link", name="Bản tin PDF").get_attribute("href"), "application/pdf")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000, (pdf[:8], len(pdf))
    (screenshot_dir.parent / "dashboard-program.pdf").write_bytes(pdf)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Xuất Excel").click()
    download = download_info.value
    xlsx = download.path().read_bytes()
    assert download.suggested_filename.endswith(".xlsx"), download.suggested_filename
    assert xlsx.startswith(b"PK") and len(xlsx) > 10_000, (xlsx[:4], len(xlsx))
    sign_out(page, base, standing)

    # 5. An agency officer: their own agency's page; another agency's is refused in Vietnamese.
    sign_in(page, base, officer.username)
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    expect(nav.get_by_role("link", name="Bảng điều khiển", exact=True)).to_have_count(0)
    menu(page, "Kết quả của đơn vị")
    page.wait_for_url(re.compile(rf"/bang-dieu-khien/co-quan/{world.agency_x.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(world.agency_x.name)
    shot("8-officer-own-agency")
    response = page.goto(f"{base}/bang-dieu-khien/co-quan/{world.agency_y.pk}/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="Không có quyền truy cập")).to_be_visible()
    shot("9-officer-refused")
    sign_out(page, base, officer)

    # A commune leader: their commune's page.
    sign_in(page, base, leader.username)
    menu(page, "Kết quả của đơn vị")
    page.wait_for_url(re.compile(rf"/bang-dieu-khien/don-vi/{world.commune_a.pk}/$"))
    expect(page.locator("section[aria-labelledby=h-items]")).to_contain_text(variety["overdue"].title)
    shot("10-leader-own-commune")
    page.context.close()

    # Everything came from the app itself; the phone layout fits the screen.
    outside = [url for url in requested if not url.startswith(base) and not url.startswith("data:")]
    assert not outside, outside
    assert phone_overflow <= 0, f"the program dashboard is {phone_overflow}px wider than a 390px phone"
