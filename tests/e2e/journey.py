"""Steps the browser journeys share: signing in and out through the real forms."""

from __future__ import annotations

import re

from tests.conftest import PASSWORD


def sign_in(page, base: str, username: str, password: str = PASSWORD, *, wait: bool = True) -> None:
    """Sign in through the login form; with `wait`, until the home page is shown."""
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    if wait:
        page.wait_for_url(f"{base}/")


def sign_out(page, base: str, user) -> None:
    page.get_by_role("button", name=re.compile(re.escape(user.full_name))).click()
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(re.compile(re.escape(f"{base}/dang-nhap/")))
