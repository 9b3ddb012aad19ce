"""The yearly follow-up report rendered by a real Celery worker: the page starts the job, the
worker (a subprocess on the same test database) claims it, reports progress and stores the PDF,
which the user downloads. Once on the real Redis, once on the embedded filesystem broker that
`make run` uses (scripts/run.sh starts its worker the same way)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from celery import Celery
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from conclusions import workflow
from dialogue.celery import app
from directory import jobs
from directory.models import BackgroundJob, Role
from tests.factories import add_assignment, issue_notice, make_notice

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENTS = 40
REPORTS_EACH = 2


def database_url() -> str:
    """The test database (test_…), which the worker must use to see the rows committed here."""
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def start_worker(env: dict, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "dialogue", "worker", "--pool=solo", "--loglevel=WARNING", *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url(), **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def stop(process: subprocess.Popen) -> str:
    process.terminate()
    try:
        _out, err = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        _out, err = process.communicate()
    return (err or b"").decode(errors="replace")[-3000:]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def large_notice(world):
    """A notice of ASSIGNMENTS assignments with REPORTS_EACH reports each, half with evidence."""
    organizer = world.users[Role.ORGANIZER]
    notice = make_notice(world.program, by=organizer, summary="kết luận bổ sung về hạ tầng giao thông")
    for index in range(ASSIGNMENTS):
        add_assignment(
            notice,
            world.agency_x if index % 2 else world.agency_y,
            by=organizer,
            text=f"Nhiệm vụ số {index + 1}: nâng cấp tuyến đường liên xã, bảo đảm an toàn giao thông",
        )
    issue_notice(notice, organizer=organizer, approver=world.users[Role.STANDING_COMMITTEE], sequence=3001)
    for index, assignment in enumerate(notice.assignments.all()):
        for step in range(REPORTS_EACH):
            files = [SimpleUploadedFile("Biên bản kiểm tra.pdf", b"%PDF-1.4\n%%EOF\n")] if index % 2 else []
            workflow.report_progress(
                assignment, by=organizer, text=f"Đợt {step + 1}: đã triển khai thi công", percent=30, files=files
            )
    return notice


def wait_for(job: BackgroundJob, timeout: float = 180) -> list[tuple[str, int]]:
    """Poll the row as the progress page does; returns the (status, percent) pairs seen."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if not seen or seen[-1] != (job.status, job.percent):
            seen.append((job.status, job.percent))
        if not job.is_active:
            return seen
        time.sleep(0.1)
    raise AssertionError(f"job still {job.status} after {timeout} s: {seen}")


def check_result(client, job: BackgroundJob, seen, notice, world) -> None:
    assert job.status == "done", (job.error, seen)
    assert seen[-1] == ("done", 100) and job.attempts == 1
    percents = [percent for _status, percent in seen]
    assert percents == sorted(percents)
    response = client.get(reverse("directory:job_download", args=[job.pk]))
    content = b"".join(response.streaming_content)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    text = " ".join(text.split())
    assert "3001-TB/TU" in text and world.agency_x.name in text and world.agency_y.name in text
    assert f"Nhiệm vụ số {ASSIGNMENTS}:" in text
    page = client.get(reverse("directory:job_status", args=[job.pk])).content.decode()
    assert "Tải về" in page and "hx-trigger" not in page


def test_worker_on_redis_renders_the_report(world, large_notice, media, settings, login):
    assert app.conf.broker_url.startswith("redis://")
    queue = f"test-jobs-{uuid.uuid4().hex[:8]}"
    settings.DIALOGUE_JOB_QUEUE = queue  # only this test's worker takes the job
    worker = start_worker(
        {"CELERY_BROKER_URL": app.conf.broker_url, "MEDIA_ROOT": str(media)},
        "-Q",
        queue,
        "--without-mingle",
        "--without-gossip",
    )
    try:
        client = login(world.users[Role.STANDING_COMMITTEE])
        response = client.post(
            reverse("conclusions:followup_report_start", args=[large_notice.pk]),
            {"nam": timezone.localdate().year, "dinh_dang": "pdf"},
        )
        job = BackgroundJob.objects.get()
        assert response["Location"] == reverse("directory:job_status", args=[job.pk])
        seen = wait_for(job)
        # A second delivery of the same message (acks_late) does nothing to a finished job.
        jobs.send(job.pk)
        broker = redis.Redis.from_url(app.conf.broker_url)
        for _ in range(100):  # until the worker has taken (and acknowledged) the message
            if not broker.llen(queue) and not broker.hlen("unacked"):
                break
            time.sleep(0.1)
        job.refresh_from_db()
        assert job.attempts == 1
    finally:
        log = stop(worker)
    check_result(client, job, seen, large_notice, world)
    assert "Traceback" not in log, log


def test_worker_on_the_embedded_filesystem_broker(world, large_notice, media, tmp_path, login, monkeypatch):
    """`make run`: no broker server, the kombu filesystem transport in var/broker (here a temporary
    folder), the worker started with the flags of scripts/run.sh."""
    var = tmp_path / "var"
    worker = start_worker(
        {"CELERY_BROKER_URL": "filesystem://", "DIALOGUE_VAR_DIR": str(var), "MEDIA_ROOT": str(media)},
        "--without-mingle",
        "--without-gossip",
        "--without-heartbeat",
    )
    folder = str(var / "broker" / "queue")
    for _ in range(100):  # the worker's settings create the broker folders
        if Path(folder).is_dir():
            break
        time.sleep(0.1)
    # Celery lets CELERY_BROKER_URL (Redis, in the suite's environment) win over the app's own setting.
    monkeypatch.setenv("CELERY_BROKER_URL", "filesystem://")
    # Not the current app: shared tasks sent later in this process must keep using the project's app.
    sender = Celery("sender", broker="filesystem://", set_as_current=False)
    sender.conf.broker_transport_options = {
        "data_folder_in": folder,
        "data_folder_out": folder,
        "processed_folder": str(var / "broker" / "processed"),
        "control_folder": str(var / "broker" / "control"),  # not ./control of the directory the tests run in
        "store_processed": False,
    }
    assert sender.conf.broker_url == "filesystem://"
    monkeypatch.setattr(jobs, "send", lambda job_id: sender.send_task("directory.run_job", args=[job_id]))
    try:
        client = login(world.users[Role.ORGANIZER])
        client.post(
            reverse("conclusions:followup_report_start", args=[large_notice.pk]),
            {"nam": timezone.localdate().year, "dinh_dang": "pdf"},
        )
        job = BackgroundJob.objects.get()
        seen = wait_for(job, timeout=90)
    except AssertionError as exc:
        raise AssertionError(f"{exc}\nworker: {stop(worker)}") from exc
    finally:
        log = stop(worker)
    check_result(client, job, seen, large_notice, world)
    assert "Traceback" not in log, log
