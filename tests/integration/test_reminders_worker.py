"""The reminder sweep end to end: a real Celery worker (a subprocess) on a real Redis server,
the real test database and a real SMTP server. A roadmap task due in 3 days gives each of its
agency's people one e-mail and one notification and the agency's address one e-mail; the
sweep run again, or twice at once, gives nothing more.

The Redis server is a private `redis-server` on a free port rather than the shared one: the
sweep hands its e-mails to the default queue, which must not be shared with other runs of the
suite. The helpers here (Redis server, worker subprocess, pointing this process's Celery app
at another broker) are used by the other integration tests of the notifications."""

from __future__ import annotations

import contextlib
import datetime
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from kombu import pools as kombu_pools

from dialogue.celery import app, ping
from directory.models import Role
from notifications import tasks
from notifications.models import Notification, OutgoingEmail, Reminder, SweepRun
from programs.models import RoadmapTask
from tests.factories import AgencyFactory, ProvinceFactory, UserFactory, make_program
from tests.notifications.smtp import free_port, smtp_server

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


# --- helpers shared by the integration tests of the notifications ---------------------------------


class RedisServer:
    """A private `redis-server` that a test may kill and start again on the same port."""

    def __init__(self, directory: Path):
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.directory)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.process = None


@pytest.fixture
def redis_server(tmp_path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.kill()


def database_url() -> str:
    """The test database (pytest-django's test_… name), for a worker in another process."""
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _reset_connections() -> None:
    # kombu keeps one pool per broker in a process-wide registry that `app.pool` reads back:
    # closing a pool without clearing that registry would leave a closed pool to the next test.
    kombu_pools.reset()
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None
    app._backend_cache = None
    if hasattr(app._local, "backend"):
        del app._local.backend


@contextlib.contextmanager
def app_using(broker_url: str, result_backend: str | None = None, transport_options: dict | None = None):
    """Point this process's Celery app at another broker (and result store); put it back after.
    Celery reads CELERY_BROKER_URL and CELERY_RESULT_BACKEND from the environment before its
    configuration, so both change."""
    names = ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND")
    saved_env = {name: os.environ.get(name) for name in names}
    saved = (app.conf.broker_url, app.conf.result_backend, app.conf.broker_transport_options)
    for name, value in zip(names, (broker_url, result_backend), strict=True):
        if value:
            os.environ[name] = value
        else:
            os.environ.pop(name, None)
    app.conf.broker_url, app.conf.result_backend = broker_url, result_backend
    app.conf.broker_transport_options = transport_options or {}
    _reset_connections()
    try:
        yield app
    finally:
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        app.conf.broker_url, app.conf.result_backend, app.conf.broker_transport_options = saved
        _reset_connections()


@contextlib.contextmanager
def celery_worker(env: dict, queues: list[str], log: Path, *options: str) -> Iterator[subprocess.Popen]:
    """`celery worker` in a subprocess with these environment variables, its output in `log`."""
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "dialogue", "worker", "-Q", ",".join(queues)),
                *("--without-mingle", "--without-gossip", "--loglevel=INFO", *options),
            ],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)


def wait_until(condition, timeout: float = 60, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        time.sleep(0.1)


def log_tail(path: Path, size: int = 4000) -> str:
    return path.read_text(encoding="utf-8", errors="replace")[-size:] if path.exists() else ""


# --- the test --------------------------------------------------------------------------------------


@pytest.fixture
def smtp():
    with smtp_server() as server:
        yield server


@pytest.fixture
def worker(redis_server, smtp, tmp_path, transactional_db):
    """A worker with two threads on the private Redis, the test database and the SMTP server;
    it consumes the default queue (the e-mails) and a queue of its own (the sweeps)."""
    queue = f"reminders-{uuid.uuid4().hex[:8]}"
    env = {
        "CELERY_BROKER_URL": redis_server.url(0),
        "CELERY_RESULT_BACKEND": redis_server.url(1),
        "DATABASE_URL": database_url(),
        "EMAIL_URL": smtp.url,
    }
    log = tmp_path / "worker.log"
    with (
        app_using(redis_server.url(0), redis_server.url(1)),
        celery_worker(env, ["celery", queue], log, "--pool=threads", "--concurrency=2") as process,
    ):
        assert ping.apply_async(queue=queue).get(timeout=60) == "pong", log_tail(log)
        yield queue, log, process


def sweep(queue: str, log: Path) -> SweepRun:
    result = tasks.run_reminders.apply_async(kwargs={"trigger": "integration"}, queue=queue)
    return SweepRun.objects.get(pk=result.get(timeout=90))


def agency_with_people(province, code: str, people: int):
    agency = AgencyFactory(province=province, code=code, name=f"Sở {code} tỉnh Nghệ An", email=f"{code}@nghean.gov.vn")
    users = [
        UserFactory(username=f"{code}-{i}", role=Role.AGENCY_OFFICER, agency=agency, email=f"{code}-{i}@example.org")
        for i in range(people)
    ]
    return agency, users


def blocked_sessions(db_name: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'", [db_name]
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_each_reminder_once(worker, smtp):
    queue, log, _process = worker
    today = timezone.localdate()
    province = ProvinceFactory(name="Nghệ An", code="40")
    host = AgencyFactory(province=province, code="na-tu", name="Tỉnh ủy Nghệ An", kind="party_committee")
    standing = AgencyFactory(province=province, code="na-bdv", name="Ban Dân vận Tỉnh ủy", kind="party_board")
    UserFactory(username="tochuc", role=Role.ORGANIZER, agency=standing)
    program = make_program(province, host, standing)
    roads, (roads_a, roads_b) = agency_with_people(province, "sgtvt", 2)
    health, (health_a,) = agency_with_people(province, "syte", 1)

    def task(title, agency, days, **fields):
        due = today + datetime.timedelta(days=days)
        return RoadmapTask.objects.create(
            program=program,
            title=title,
            category="logistics",
            assignee_agency=agency,
            start_date=due - datetime.timedelta(days=30),
            due_date=due,
            **fields,
        )

    due_in_3 = task("Phân luồng giao thông khu vực Quảng trường Hồ Chí Minh", roads, 3)
    task("Chuẩn bị xe đưa đón đại biểu", roads, 10)  # beyond the 7-day horizon
    task("Bố trí bãi đỗ xe", roads, 3, status=RoadmapTask.Status.DONE, completed_on=today)  # finished

    link = reverse("programs:task_detail", kwargs={"pk": program.pk, "task_pk": due_in_3.pk})
    first = sweep(queue, log)
    assert first.reminders == 3, log_tail(log)  # two officers and the agency's address
    addresses = [roads_a.email, roads_b.email, roads.email]
    received = smtp.wait_for(3)
    wait_until(lambda: not OutgoingEmail.objects.exclude(status="sent").exists(), what="all e-mails sent")
    assert sorted(address for r in received for address in r.rcpt_tos) == sorted(addresses), log_tail(log)
    for message in received:
        assert "Phân luồng giao thông" in message.subject and "còn 3 ngày" in message.subject
        assert "Kính gửi" in message.body and link in message.body
    notes = Notification.objects.filter(kind="reminder")
    assert sorted(notes.values_list("recipient_id", flat=True)) == sorted([roads_a.pk, roads_b.pk])
    reminded = set(Reminder.objects.values_list("obligation", "milestone"))
    assert reminded == {(f"programs.task:{due_in_3.pk}", "before-3")}

    again = sweep(queue, log)
    assert again.reminders == 0

    # Two sweeps at once over a new obligation: hold them both until they are both running.
    due_tomorrow = task("Phương án y tế phục vụ chương trình", health, 1)
    db_name = connection.settings_dict["NAME"]
    lock = psycopg2.connect(
        dbname=db_name, user=connection.settings_dict["USER"] or "postgres", host="127.0.0.1", port=5432
    )
    try:
        with lock.cursor() as cursor:
            cursor.execute("LOCK TABLE programs_roadmaptask IN ACCESS EXCLUSIVE MODE")
            results = [
                tasks.run_reminders.apply_async(kwargs={"trigger": f"concurrent-{n}"}, queue=queue) for n in (1, 2)
            ]
            wait_until(lambda: blocked_sessions(db_name) >= 2, 60, "both sweeps waiting on the table")
        lock.rollback()
    finally:
        lock.close()
    both = [SweepRun.objects.get(pk=result.get(timeout=90)) for result in results]
    assert sorted(run.reminders for run in both) == [0, 2], log_tail(log)
    assert both[0].started_at < both[1].finished_at and both[1].started_at < both[0].finished_at  # they overlapped

    received = smtp.wait_for(5)
    wait_until(lambda: not OutgoingEmail.objects.exclude(status="sent").exists(), what="all e-mails sent")
    time.sleep(2)  # anything sent twice would arrive now
    received = smtp.received
    to = sorted(address for r in received for address in r.rcpt_tos)
    assert to == sorted([*addresses, health_a.email, health.email])  # each address once
    assert sorted(Notification.objects.values_list("recipient_id", flat=True)) == sorted(
        [roads_a.pk, roads_b.pk, health_a.pk]
    )
    assert OutgoingEmail.objects.count() == 5 and set(OutgoingEmail.objects.values_list("attempts", flat=True)) == {1}
    assert Reminder.objects.filter(obligation=f"programs.task:{due_tomorrow.pk}", milestone="before-1").count() == 2
