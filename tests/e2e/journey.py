"""Steps the browser journeys share: signing in and out through the real forms, the main menu,
a program's tabs, flash messages and fetching a linked file with the page's session."""

from __future__ import annotations

import re

from playwright.sync_api import expect

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


def menu(page, name: str) -> None:
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name=name).click()


def open_program_tab(page, program, tab: str) -> None:
    """From the main menu: the program's page, then one of its tabs."""
    menu(page, "Chương trình")
    page.get_by_role("link", name=program.title, exact=True).click()
    page.wait_for_url(re.compile(r"/chuong-trinh/\d+/$"))
    page.get_by_role("navigation", name="Các mục của chương trình").get_by_role("link", name=tab, exact=True).click()


def saved(page, text: str) -> None:
    expect(page.get_by_role("alert").filter(has_text=text)).to_be_visible()


def fetch(page, base: str, href: str, content_type: str) -> bytes:
    """Follow a link's href with the page's own session (Chromium would show a PDF inline)."""
    url = href if href.startswith("http") else base + href
    response = page.context.request.get(url)
    assert response.ok, (url, response.status)
    assert response.headers["content-type"].startswith(content_type), response.headers["content-type"]
    return response.body()
