"""A real Celery worker on the real Redis answers a task sent by the app."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from dialogue.celery import app, ping

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker_queue():
    """Start `celery worker` in a subprocess on a queue of its own; stop it afterwards."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "CELERY_BROKER_URL": app.conf.broker_url, "CELERY_RESULT_BACKEND": app.conf.result_backend}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "dialogue",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-mingle",
            "--without-gossip",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        yield queue
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_broker_is_redis():
    assert app.conf.broker_url.startswith("redis://"), "the suite must run against the real Redis"


def test_worker_runs_a_task(worker_queue):
    result = ping.apply_async(queue=worker_queue)
    assert result.get(timeout=60) == "pong"


@pytest.mark.django_db(transaction=True)
def test_worker_sends_the_monthly_briefing(world):
    """The beat's task, run by a real worker on Redis against the test database: the Standing
    Committee member gets the month's briefing once, however many times the task runs."""
    from django.db import connection

    from dashboards.briefing import KIND
    from dashboards.tasks import send_monthly_briefings
    from notifications.models import Notification

    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "CELERY_BROKER_URL": app.conf.broker_url,
        "CELERY_RESULT_BACKEND": app.conf.result_backend,
        "DATABASE_URL": f"postgres://{db['USER'] or 'postgres'}@{host}:{port}/{db['NAME']}",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "dialogue", "worker", "--pool=solo", "-Q", queue, "--loglevel=WARNING"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        assert send_monthly_briefings.apply_async(queue=queue).get(timeout=90) == 1
        assert send_monthly_briefings.apply_async(queue=queue).get(timeout=90) == 0
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert Notification.objects.filter(kind=KIND, recipient=world.users["standing_committee"]).count() == 1
