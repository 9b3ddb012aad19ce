"""Issue 7's acceptance journey in headless Chromium, through the UI only: the organizer creates
the program's expected seats, uploads the districts' Excel list (communes and posts typed the way
districts type them, one person holding two posts, a phone with dots), reads the preview and
confirms it; a second file with one bad row is previewed with the error naming its row and column
and cannot be confirmed. Commune A's leader confirms one delegate and names a substitute for
another. The organizer assigns the forum by district and reads the balance, prints every badge
(a background job, run eagerly) and the QR codes of the first sheet decode to delegates' tokens.
At the door, on a phone-sized screen, "nguyen van" typed without diacritics finds the delegate,
who is checked in; a second door phone that still shows the delegate unchecked tries again and is
told when the delegate came in; one check-in is recorded and the attendance page shows 1 present.

Screenshots go to test-artifacts/screenshots/delegates-journey-<n>-<step>.png, the badges PDF to
test-artifacts/ and its first sheet to test-artifacts/screenshots/delegates-journey-badges-1.png.
The database is only read, to check what the UI made; the one write outside the UI is moving the
world's 2023 program a month ahead, so that communes may still confirm (as tests/programs do)."""

from __future__ import annotations

import datetime
import re
import subprocess

import pytest
import zxingcpp
from django.utils import timezone
from openpyxl import Workbook
from PIL import Image
from playwright.sync_api import expect

from directory.models import BackgroundJob, Role
from programs.models import CheckIn, Delegate, DelegateImport, DelegatePost, Seat
from tests.e2e.journey import fetch, open_program_tab, saved, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TAB = "Đại biểu"
HEADER = ["STT", "Họ và tên", "Chức vụ", "Xã/phường/thị trấn", "Huyện/thị xã/thành phố", "Điện thoại", "Ghi chú"]
# As districts type them: the commune with or without "Xã", accents or case; two posts on one row.
ROWS = [
    ("Nguyễn Văn An", "Bí thư Đảng ủy, Chủ tịch HĐND", "Xã Nghi Phú", "Huyện Nghi Lộc", "0912.345.678"),
    ("Lê Thị Bình", "Chủ tịch UBND", "nghi phu", "", "0912 345 679"),
    ("Trần Văn Cường", "Bí thư Đảng ủy xã", "nghi duc", "", "+84 913 111 222"),
    ("Nguyễn Văn Dũng", "CT HĐND", "NGHI ĐỨC", "nghi loc", ""),
    ("Hồ Thị Em", "Chủ tịch Ủy ban nhân dân xã", "Xã Nghi Đức", "", "0914-222-333"),
]
BAD_COMMUNE = "Xã Nghi Xuân"
BAD_ROW = 7  # the header is row 1, the five people rows 2–6
BAD_ERROR = f"Dòng {BAD_ROW}, cột D (Xã/phường/thị trấn): không tìm thấy “{BAD_COMMUNE}” trong các xã của chương trình"
DEPUTY = "Phan Văn Hùng"
DEPUTY_PHONE = "0915 444 555"
REASON = "Chủ tịch UBND xã đi công tác nước ngoài"
CHECKED_IN = "Nguyễn Văn An"
TIME = r"\d{2}:\d{2}"


@pytest.fixture
def upcoming(world):
    """The world's program (August 2023) moved a month ahead: confirmation is still open."""
    today = timezone.localdate()
    program = world.program
    program.start_date, program.end_date = today + datetime.timedelta(days=30), today + datetime.timedelta(days=31)
    program.save()
    return program


def xlsx(path, rows) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách đại biểu"
    sheet.append(HEADER)
    for number, row in enumerate(rows, start=1):
        values = list(row)
        sheet.append([number, *values, *[None] * (len(HEADER) - 1 - len(values))])
    workbook.save(path)


def open_delegates_tab(page, program) -> None:
    open_program_tab(page, program, TAB)


def delegates_nav(page, name: str) -> None:
    page.get_by_role("navigation", name="Các trang đại biểu").get_by_role("link", name=name, exact=True).click()


def qr_codes(pdf_path, prefix) -> list[str]:
    """The QR codes of the first sheet, read with zxing-cpp from a 200 dpi PNG (as a phone sees them)."""
    for old in prefix.parent.glob(f"{prefix.name}-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-png", "-r", "200", "-f", "1", "-l", "1", str(pdf_path), str(prefix)], check=True, timeout=120
    )
    [png] = sorted(prefix.parent.glob(f"{prefix.name}-*.png"))
    with Image.open(png) as image:
        assert image.size == (1654, 2339)  # A4 at 200 dpi
        return [code.text for code in zxingcpp.read_barcodes(image) if code.format == zxingcpp.BarcodeFormat.QRCode]


def seats_of(program) -> dict[tuple[str, str], str | None]:
    return {
        (seat.commune.name, seat.post): seat.delegate.full_name if seat.delegate else None
        for seat in Seat.objects.filter(program=program).select_related("commune", "delegate")
    }


def test_delegates_journey(
    page, browser, live_server, world, upcoming, screenshot_dir, eager_jobs, private_media, tmp_path
):
    base = live_server.url
    program = upcoming
    organizer = world.users[Role.ORGANIZER]
    leader = world.users[Role.COMMUNE_LEADER]
    admin = world.users[Role.ADMIN]
    artifacts = screenshot_dir.parent
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("dialog", lambda dialog: dialog.accept())

    def shot(name: str, on=None) -> None:
        (on or page).screenshot(path=screenshot_dir / f"delegates-journey-{name}.png", full_page=True)

    # 1. The organizer opens the program's "Đại biểu" tab and creates the expected seats (2 communes × 3 posts).
    sign_in(page, base, organizer.username)
    open_delegates_tab(page, program)
    page.wait_for_url(re.compile(r"/dai-bieu/$"))
    expect(page.get_by_role("heading", name=TAB, exact=True)).to_be_visible()
    counts = page.get_by_role("region", name="Số liệu đại biểu")
    expect(counts).to_contain_text(re.compile(r"Suất đại biểu dự kiến\s*0"))
    page.get_by_role("button", name="Tạo danh sách suất đại biểu").click()
    saved(page, "Đã tạo 6 suất đại biểu.")
    expect(counts).to_contain_text(re.compile(r"Suất đại biểu dự kiến\s*6"))
    expect(counts).to_contain_text(re.compile(r"Đã có người\s*0"))
    shot("1-seats")
    assert Seat.objects.filter(program=program).count() == 6

    # 2. Uploads the districts' list and reads the preview: five new rows, no errors.
    first = tmp_path / "Danh sách đại biểu huyện Nghi Lộc.xlsx"
    xlsx(first, ROWS)
    delegates_nav(page, "Nhập Excel")
    page.wait_for_url(re.compile(r"/dai-bieu/nhap/$"))
    page.get_by_label("Tệp danh sách đại biểu (.xlsx)").set_input_files(first)
    shot("2-upload")
    page.get_by_role("button", name="Đọc tệp và xem trước").click()
    page.wait_for_url(re.compile(r"/dai-bieu/nhap/\d+/$"))
    filters = page.get_by_role("navigation", name="Lọc theo kết quả")
    expect(filters.get_by_role("link", name=re.compile(r"^Thêm mới"))).to_have_text(re.compile(r"Thêm mới\s*5"))
    expect(filters.get_by_role("link", name=re.compile(r"^Lỗi"))).to_have_text(re.compile(r"Lỗi\s*0"))
    rows = page.locator("tr.import-row")
    expect(rows).to_have_count(5)
    expect(page.locator("tr.import-new")).to_have_count(5)
    expect(page.locator("tr.import-error")).to_have_count(0)
    an = rows.filter(has_text="Nguyễn Văn An")
    expect(an).to_contain_text("Bí thư Đảng ủy, Chủ tịch HĐND")
    expect(an).to_contain_text("Xã Nghi Phú")
    expect(an).to_contain_text("0912345678")
    expect(rows.filter(has_text="Nguyễn Văn Dũng")).to_contain_text("Xã Nghi Đức")
    confirm = page.get_by_role("button", name="Xác nhận nhập")
    expect(confirm).to_be_enabled()
    shot("2-preview")
    assert not Delegate.objects.filter(program=program).exists()  # the preview writes nothing

    # 3. Confirms the import: five delegates fill the six seats.
    confirm.click()
    page.wait_for_url(re.compile(r"/dai-bieu/$"))
    saved(page, "Đã nhập danh sách: 5 đại biểu mới, 0 cập nhật, 0 không đổi.")
    expect(counts).to_contain_text(re.compile(r"Đã có người\s*6"))
    expect(counts).to_contain_text(re.compile(r"Tổng số đại biểu\s*5"))
    table = page.locator("table.delegate-table")
    expect(table.locator("tbody tr")).to_have_count(5)
    expect(table.get_by_role("row").filter(has_text="Nguyễn Văn An")).to_contain_text(
        "Bí thư Đảng ủy, Chủ tịch HĐND Nghi Phú"
    )
    shot("3-imported")

    # 4. A second file changes a phone and has one bad row: the preview names its row and column
    #    and the confirm button stays disabled; nothing is applied.
    before = sorted(Delegate.objects.filter(program=program).values_list("pk", "full_name", "phone", "title"))
    seats_before = seats_of(program)
    second = tmp_path / "Danh sách đại biểu bổ sung.xlsx"
    xlsx(second, [*ROWS[:4], (*ROWS[4][:4], "0914 999 888"), ("Võ Văn Giang", "Chủ tịch HĐND", BAD_COMMUNE)])
    delegates_nav(page, "Nhập Excel")
    page.get_by_label("Tệp danh sách đại biểu (.xlsx)").set_input_files(second)
    page.get_by_role("button", name="Đọc tệp và xem trước").click()
    page.wait_for_url(re.compile(r"/dai-bieu/nhap/\d+/$"))
    expect(page.get_by_role("alert").filter(has_text="Có 1 dòng lỗi: chưa nhập được.")).to_be_visible()
    bad = page.locator("tr.import-error")
    expect(bad).to_have_count(1)
    expect(bad).to_contain_text(BAD_ERROR)
    expect(page.locator("tr.import-unchanged")).to_have_count(4)
    expect(page.locator("tr.import-update")).to_contain_text("Điện thoại: “0914222333” → “0914999888”")
    expect(page.get_by_role("button", name="Xác nhận nhập")).to_be_disabled()
    expect(page.get_by_text("Nút “Xác nhận nhập” chỉ bật khi tệp không còn dòng lỗi.")).to_be_visible()
    shot("4-preview-error")
    rejected = DelegateImport.objects.get(program=program, original_name=second.name)
    assert rejected.status == DelegateImport.Status.REJECTED and rejected.counts["error"] == 1
    assert sorted(Delegate.objects.filter(program=program).values_list("pk", "full_name", "phone", "title")) == before
    assert seats_of(program) == seats_before
    page.get_by_role("button", name="Hủy lượt nhập").click()
    page.wait_for_url(re.compile(r"/dai-bieu/nhap/$"))
    saved(page, "Đã hủy lượt nhập này; không có gì được ghi.")
    sign_out(page, base, organizer)

    # 5. Commune A's leader confirms the party secretary and names a substitute for the committee chair.
    sign_in(page, base, leader.username)
    open_delegates_tab(page, program)
    page.wait_for_url(re.compile(r"/dai-bieu/xa/"))
    expect(page.get_by_role("heading", name=f"Đại biểu của {world.commune_a.full_name}")).to_be_visible()
    expect(page.locator(".commune-seats article")).to_have_count(3)
    secretary = page.get_by_role("article", name="Bí thư Đảng ủy")
    expect(secretary).to_contain_text("Nguyễn Văn An")
    shot("5-commune-page")
    secretary.get_by_role("button", name="Xác nhận Nguyễn Văn An dự").click()
    saved(page, "Đã xác nhận Nguyễn Văn An dự.")
    expect(secretary).to_contain_text("Đã xác nhận dự")
    expect(page.get_by_role("article", name="Chủ tịch HĐND")).to_contain_text("Đã xác nhận dự")
    chair = page.get_by_role("article", name="Chủ tịch UBND")
    expect(chair).to_contain_text("Lê Thị Bình")
    chair.get_by_text("Cử người dự thay").click()
    chair.get_by_label("Họ và tên").fill(DEPUTY)
    chair.get_by_label("Điện thoại").fill(DEPUTY_PHONE)
    chair.get_by_label("Lý do dự thay").fill(REASON)
    shot("5-substitute-form")
    chair.get_by_role("button", name="Lưu").click()
    saved(page, f"Đã cử {DEPUTY} dự thay.")
    chair = page.get_by_role("article", name="Chủ tịch UBND")
    expect(chair).to_contain_text(DEPUTY)
    expect(chair).to_contain_text(f"Dự thay Lê Thị Bình ({REASON})")
    shot("5-confirmed-and-substituted")
    sign_out(page, base, leader)

    # 6. The organizer assigns the forum by district and reads the balance.
    sign_in(page, base, organizer.username)
    open_delegates_tab(page, program)
    delegates_nav(page, "Xếp diễn đàn")
    page.wait_for_url(re.compile(r"/dai-bieu/dien-dan/"))
    balance = page.locator("table.forum-balance")
    expect(balance.get_by_role("row").filter(has_text="Chưa xếp diễn đàn")).to_contain_text("6")
    page.get_by_label("Quy tắc", exact=True).select_option(label="Theo huyện")
    page.get_by_role("button", name="Đổi quy tắc").click()
    page.wait_for_url(re.compile(r"\?rule=district"))
    page.get_by_label(world.district.full_name, exact=True).select_option(label=world.forum.title)
    page.get_by_role("button", name="Xếp theo quy tắc").click()
    saved(page, "Đã xếp 6 đại biểu vào diễn đàn.")
    forum_row = balance.get_by_role("row").filter(has_text=world.forum.title)
    expect(forum_row.locator("td").nth(2)).to_have_text("6")
    expect(forum_row).to_contain_text(world.forum.room)
    expect(balance.get_by_role("row").filter(has_text="Chưa xếp diễn đàn").locator("td").nth(2)).to_have_text("0")
    shot("6-forums")

    # 7. Prints every badge: the job runs eagerly, its page offers the PDF; the QR codes decode to tokens.
    delegates_nav(page, "Thẻ đại biểu")
    page.wait_for_url(re.compile(r"/the-dai-bieu/$"))
    expect(page.get_by_text("6 thẻ, 1 tờ A4.")).to_be_visible()
    shot("7-badges-page")
    page.get_by_role("button", name="Tạo tệp PDF tất cả thẻ").click()
    page.wait_for_url(re.compile(r"/cong-viec/\d+/$"), timeout=120_000)
    progress = page.get_by_role("progressbar", name="Tiến độ tạo tệp")
    expect(progress).to_have_attribute("aria-valuenow", "100", timeout=120_000)
    download = page.get_by_role("link", name=re.compile(r"^Tải về: Thẻ đại biểu"))
    expect(download).to_be_visible()
    shot("7-badges-ready")
    pdf = fetch(page, base, download.get_attribute("href"), "application/pdf")
    assert pdf.startswith(b"%PDF"), pdf[:20]
    pdf_path = artifacts / "delegates-journey-badges.pdf"
    pdf_path.write_bytes(pdf)
    tokens = dict(Delegate.objects.filter(program=program).values_list("token", "full_name"))
    decoded = qr_codes(pdf_path, screenshot_dir / "delegates-journey-badges")
    assert decoded and set(decoded) <= set(tokens), (decoded, tokens)
    # Six badges on one sheet: every one of them reads, each a different delegate's token.
    assert sorted(decoded) == sorted(tokens), (decoded, tokens)

    # 8. At the door, on a phone: "nguyen van" without diacritics, check one delegate in.
    open_delegates_tab(page, program)
    page.set_viewport_size({"width": 390, "height": 844})
    delegates_nav(page, "Điểm danh")
    page.wait_for_url(re.compile(r"/diem-danh/$"))
    count = page.locator("#checkin-count")
    expect(count).to_contain_text(re.compile(r"0\s*/\s*6"))
    # A second door phone (the administrator's) opens the same search before anyone is checked in.
    other = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport={"width": 1280, "height": 900})
    try:
        door = other.new_page()
        door.on("request", lambda request: requested.append(request.url))
        sign_in(door, base, admin.username)
        open_delegates_tab(door, program)
        door.set_viewport_size({"width": 390, "height": 844})
        delegates_nav(door, "Điểm danh")
        door.wait_for_url(re.compile(r"/diem-danh/$"))
        door.get_by_label("Tìm theo họ tên, xã hoặc huyện (không cần dấu)").fill("nguyen van")
        expect(door.locator(".checkin-results .checkin-row")).to_have_count(2)

        page.get_by_label("Tìm theo họ tên, xã hoặc huyện (không cần dấu)").fill("nguyen van")
        results = page.locator(".checkin-results .checkin-row")
        expect(results).to_have_count(2)
        expect(results.filter(has_text="Nguyễn Văn An")).to_contain_text("Xã Nghi Phú – Huyện Nghi Lộc")
        expect(results.filter(has_text="Nguyễn Văn Dũng")).to_be_visible()
        shot("8-door-search")
        row = results.filter(has_text=CHECKED_IN)
        row.get_by_role("button", name=f"Điểm danh {CHECKED_IN}").click()
        expect(row.get_by_role("status")).to_have_text(re.compile(rf"^\s*Đã điểm danh {CHECKED_IN} lúc {TIME}\.\s*$"))
        expect(row.locator(".checkin-done")).to_have_text(re.compile(rf"Đã điểm danh lúc {TIME}"))
        expect(count).to_contain_text(re.compile(r"1\s*/\s*6"))
        shot("8-checked-in")

        # 9. The same delegate again, from the phone that still shows the button: told when they came in.
        again = door.locator(".checkin-results .checkin-row").filter(has_text=CHECKED_IN)
        again.get_by_role("button", name=f"Điểm danh {CHECKED_IN}").click()
        expect(again.get_by_role("status")).to_have_text(re.compile(rf"{CHECKED_IN} đã điểm danh lúc {TIME}\."))
        done = again.locator(".checkin-done")
        expect(done).to_have_text(re.compile(rf"Đã điểm danh lúc {TIME}"))
        expect(door.locator("#checkin-count")).to_contain_text(re.compile(r"1\s*/\s*6"))
        shot("9-checked-in-again", on=door)
        first_time = re.search(TIME, row.locator(".checkin-done").inner_text()).group()
        assert re.search(TIME, done.inner_text()).group() == first_time
        door.set_viewport_size({"width": 1280, "height": 900})
        sign_out(door, base, admin)
    finally:
        other.close()

    # 10. The attendance page shows one present.
    page.get_by_role("link", name="Số có mặt").click()
    page.wait_for_url(re.compile(r"/co-mat/$"))
    expect(page.locator("#attendance-live [data-present]")).to_have_text("1")
    expect(page.locator("#attendance-live [data-absent]")).to_have_text("5")
    expect(page.locator("table.absent-table tbody tr")).to_have_count(5)
    expect(page.locator("table.absent-table")).not_to_contain_text(CHECKED_IN)
    shot("10-attendance")
    page.set_viewport_size({"width": 1280, "height": 900})
    shot("10-attendance-desktop")

    # What the UI made.
    people = {d.full_name: d for d in Delegate.objects.filter(program=program).select_related("commune", "forum")}
    assert set(people) == {row[0] for row in ROWS} | {DEPUTY}
    an = people["Nguyễn Văn An"]
    assert an.commune == world.commune_a and an.phone == "0912345678"
    assert an.title == "Bí thư Đảng ủy, Chủ tịch HĐND Nghi Phú"
    assert an.status == Delegate.Status.CONFIRMED and an.confirmed_by == leader
    assert people["Lê Thị Bình"].phone == "0912345679" and people["Lê Thị Bình"].commune == world.commune_a
    assert people["Trần Văn Cường"].commune == world.commune_b and people["Trần Văn Cường"].phone == "0913111222"
    assert people["Nguyễn Văn Dũng"].commune == world.commune_b
    assert people["Hồ Thị Em"].phone == "0914222333"  # the rejected file changed nothing
    deputy = people[DEPUTY]
    assert deputy.commune == world.commune_a and deputy.phone == "0915444555"
    assert deputy.substitute_for == "Lê Thị Bình" and deputy.substitute_reason == REASON
    assert seats_of(program) == {
        ("Nghi Phú", DelegatePost.PARTY_SECRETARY): "Nguyễn Văn An",
        ("Nghi Phú", DelegatePost.COUNCIL_CHAIR): "Nguyễn Văn An",
        ("Nghi Phú", DelegatePost.COMMITTEE_CHAIR): DEPUTY,
        ("Nghi Đức", DelegatePost.PARTY_SECRETARY): "Trần Văn Cường",
        ("Nghi Đức", DelegatePost.COUNCIL_CHAIR): "Nguyễn Văn Dũng",
        ("Nghi Đức", DelegatePost.COMMITTEE_CHAIR): "Hồ Thị Em",
    }
    assert all(d.forum == world.forum for d in people.values())
    imports = list(DelegateImport.objects.filter(program=program).order_by("created_at", "pk"))
    assert [i.status for i in imports] == [DelegateImport.Status.APPLIED, DelegateImport.Status.DISCARDED]
    assert imports[0].counts["created"] == 5
    job = BackgroundJob.objects.get(created_by=organizer, kind="programs.badges")
    assert job.status == BackgroundJob.Status.DONE and job.percent == 100
    checkins = list(CheckIn.objects.filter(delegate__program=program))
    assert len(checkins) == 1
    assert checkins[0].delegate == an and checkins[0].by == organizer and checkins[0].undone_at is None
    assert timezone.localtime(checkins[0].at).strftime("%H:%M") == first_time

    # Every page, stylesheet and script came from the app itself.
    outside = [url for url in requested if not url.startswith(base) and not url.startswith("data:")]
    assert not outside, outside
    assert requested
