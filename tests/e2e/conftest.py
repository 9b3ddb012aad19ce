"""Browser fixtures: Debian's /usr/bin/chromium driven by Playwright's Python client.

Playwright never downloads a browser here; `make test` installs Debian's chromium. The
sync API runs an event loop in the test thread, so Django's async-safety guard is relaxed
for these tests only (the ORM calls stay in this one thread).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: F401  (kept importable from here)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture
def page(browser):
    context = browser.new_context(
        locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
