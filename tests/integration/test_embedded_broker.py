"""`make run` has no Redis: its worker uses kombu's filesystem broker under DIALOGUE_VAR_DIR
and prints e-mails to the console. A reminder sweep sent through that broker still reaches
people in the app, and its e-mails appear, readable, in the worker's output."""

from __future__ import annotations

import datetime
import email
import re
from email import policy

import pytest
from django.utils import timezone

from directory.models import Role
from notifications import tasks
from notifications.models import Notification, OutgoingEmail, SweepRun
from programs.models import RoadmapTask
from tests.factories import AgencyFactory, ProvinceFactory, UserFactory, make_program

from .test_reminders_worker import app_using, celery_worker, database_url, log_tail, wait_until

pytestmark = pytest.mark.integration


def console_emails(output: str) -> list[email.message.EmailMessage]:
    """The messages Django's console backend printed, parsed (it prints RFC 5322 text with
    encoded headers; Celery may prefix each line of a redirected stdout with a log header)."""
    lines = [re.sub(r"^\[\d{4}-\d\d-\d\d [^\]]*\] ", "", line) for line in output.splitlines()]
    text = "\n".join(lines)
    messages = []
    for chunk in re.split(r"\n-{79}\n", text):
        start = chunk.find("Content-Type: text/plain")
        if start != -1:
            messages.append(email.message_from_bytes(chunk[start:].encode(), policy=policy.default))
    return messages


@pytest.mark.django_db(transaction=True)
def test_the_embedded_broker_delivers_reminders(tmp_path):
    today = timezone.localdate()
    province = ProvinceFactory(name="Nghệ An", code="40")
    host = AgencyFactory(province=province, code="na-tu", name="Tỉnh ủy Nghệ An", kind="party_committee")
    standing = AgencyFactory(province=province, code="na-bdv", name="Ban Dân vận Tỉnh ủy", kind="party_board")
    program = make_program(province, host, standing)
    agency = AgencyFactory(province=province, code="sgtvt", name="Sở Giao thông vận tải", email="")
    officer = UserFactory(username="canbo", role=Role.AGENCY_OFFICER, agency=agency, email="canbo@example.org")
    due = today + datetime.timedelta(days=3)
    RoadmapTask.objects.create(
        program=program,
        title="Chỉnh trang đường Lê Hồng Phong trước ngày khai mạc",
        category="decoration",
        assignee_agency=agency,
        start_date=due - datetime.timedelta(days=20),
        due_date=due,
    )

    var = tmp_path / "var"
    folders = {
        name: var / "broker" / sub
        for name, sub in (("in", "queue"), ("processed", "processed"), ("control", "control"))
    }
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    options = {
        "data_folder_in": str(folders["in"]),
        "data_folder_out": str(folders["in"]),
        "processed_folder": str(folders["processed"]),
        "control_folder": str(folders["control"]),  # not ./control of the directory the tests run in
        "store_processed": False,
    }
    env = {
        "CELERY_BROKER_URL": "filesystem://",
        "CELERY_RESULT_BACKEND": "",
        "DIALOGUE_VAR_DIR": str(var),
        "DATABASE_URL": database_url(),
        "EMAIL_URL": "consolemail://",
    }
    log = tmp_path / "worker.log"
    # As scripts/run.sh starts it (without beat: the test sends the sweep itself).
    with (
        app_using("filesystem://", None, options),
        celery_worker(env, ["celery"], log, "--concurrency=2", "--without-heartbeat"),
    ):
        tasks.run_reminders.apply_async(kwargs={"trigger": "embedded"})
        wait_until(
            lambda: SweepRun.objects.filter(trigger="embedded", finished_at__isnull=False).exists(),
            90,
            "the sweep through the filesystem broker",
        )
        wait_until(
            lambda: OutgoingEmail.objects.exists() and not OutgoingEmail.objects.exclude(status="sent").exists(),
            60,
            "the e-mail sent by the worker",
        )
        wait_until(lambda: "Kính gửi" in log_tail(log, 100_000), 20, "the console e-mail in the log")

    assert SweepRun.objects.get(trigger="embedded").reminders == 1, log_tail(log)
    note = Notification.objects.get(recipient=officer)
    assert note.kind == "reminder" and "Chỉnh trang đường Lê Hồng Phong" in note.title

    output = log.read_text(encoding="utf-8")
    printed = console_emails(output)
    assert len(printed) == 1, log_tail(log)
    (message,) = printed
    subject = str(message["Subject"]).strip()
    assert subject == note.title  # "[Nhắc hạn] Chỉnh trang … – còn 3 ngày", diacritics intact once decoded
    assert "còn 3 ngày" in subject and message["To"] == officer.email
    body = message.get_content()
    assert "Kính gửi" in body and "Chỉnh trang đường Lê Hồng Phong" in body and f"{due:%d/%m/%Y}" in body
    # The body is printed as UTF-8 text, readable as it is in the console.
    assert "Chỉnh trang đường Lê Hồng Phong" in output
    assert not list(folders["in"].iterdir())  # every message consumed
