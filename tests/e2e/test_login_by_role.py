"""Every role logs in through the real form in headless Chromium, sees its home page and
menu, and the page is saved as a screenshot (test-artifacts/screenshots/) to look at."""

from __future__ import annotations

import re

import pytest

from directory.models import Role
from tests.conftest import PASSWORD
from tests.e2e import journey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What each role must see in the menu, and must not.
MENU = {
    Role.ADMIN: (["Người dùng", "Quản trị"], []),
    Role.ORGANIZER: (["Người dùng", "Đơn vị hành chính"], ["Quản trị"]),
    Role.STANDING_COMMITTEE: (["Cơ quan, đơn vị"], ["Người dùng", "Quản trị"]),
    Role.SUPERVISOR: (["Cơ quan, đơn vị"], ["Người dùng", "Quản trị"]),
    Role.AGENCY_OFFICER: (["Cơ quan, đơn vị"], ["Người dùng", "Quản trị"]),
    Role.COMMUNE_LEADER: (["Đơn vị hành chính"], ["Người dùng", "Quản trị"]),
}


def sign_in(page, live_server, username: str, password: str = PASSWORD) -> None:
    journey.sign_in(page, live_server.url, username, password, wait=False)


@pytest.mark.parametrize("role", list(MENU))
def test_role_signs_in_and_sees_its_home(page, live_server, world, screenshot_dir, role):
    user = world.users[role]
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    sign_in(page, live_server, user.username)
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name=f"Xin chào, {user.full_name}").is_visible()
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    shown, hidden = MENU[role]
    for label in shown:
        assert nav.get_by_role("link", name=label, exact=True).count() == 1, label
    for label in hidden:
        assert nav.get_by_role("link", name=label, exact=True).count() == 0, label
    if role == Role.COMMUNE_LEADER:
        assert page.get_by_text(world.commune_a.full_name).first.is_visible()
    page.screenshot(path=screenshot_dir / f"home-{role}.png", full_page=True)
    # Everything the page loaded (css, js, icons) came from the app itself.
    outside = [url for url in requested if not url.startswith(live_server.url) and not url.startswith("data:")]
    assert not outside, outside
    assert any(url.endswith("bootstrap.min.css") for url in requested)


def test_wrong_password_then_lockout(page, live_server, world, screenshot_dir, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = world.users[Role.COMMUNE_LEADER]
    sign_in(page, live_server, user.username, "sai-mat-khau")
    assert page.get_by_text(re.compile("Tên đăng nhập hoặc mật khẩu không đúng")).count() >= 1
    for _ in range(3):
        sign_in(page, live_server, user.username, "sai-mat-khau")
    assert page.get_by_role("heading", name="Tài khoản tạm khóa").is_visible()
    # The right password no longer opens the account while it is locked.
    sign_in(page, live_server, user.username)
    assert page.get_by_role("heading", name="Tài khoản tạm khóa").is_visible()
    page.screenshot(path=screenshot_dir / "locked-out.png")


def test_phone_screen_menu(browser, live_server, world, screenshot_dir):
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    sign_in(page, live_server, world.users[Role.ORGANIZER].username)
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("button", name="Mở menu").click()
    page.get_by_role("link", name="Đơn vị hành chính").click()
    page.wait_for_url(re.compile("/danh-muc/don-vi-hanh-chinh/"))
    assert page.get_by_role("heading", name="Đơn vị hành chính").is_visible()
    page.screenshot(path=screenshot_dir / "phone-unit-list.png", full_page=True)
    context.close()
