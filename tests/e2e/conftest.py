"""Browser fixtures: Debian's /usr/bin/chromium driven by Playwright's Python client.

Playwright never downloads a browser here; `make test` installs Debian's chromium. The
sync API runs an event loop in the test thread, so Django's async-safety guard is relaxed
for these tests only (the ORM calls stay in this one thread).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dialogue.celery import app as celery_app
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


@pytest.fixture
def eager_jobs():
    """Background jobs (directory.jobs: reports, badges, large imports) are sent to Celery once
    the request's transaction commits. There is no worker here, so Celery runs them eagerly: the
    live server's requests are in autocommit, so `on_commit` fires at once and the job is done
    inside the POST that starts it. This is the real path (start → send → run_job → jobs.run),
    only without a broker; the setting is restored for the tests that follow."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def private_media(settings, tmp_path):
    """Uploaded and generated files are stored under a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
