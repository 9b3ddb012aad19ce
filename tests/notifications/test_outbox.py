"""The outbox against a real SMTP server (aiosmtpd): a temporary refusal is retried with a
doubling delay and then delivered, a permanent one fails at once and is shown to staff, too
many temporary failures end in failed, a row stuck in "sending" is picked up by the sweep, a
repeated or concurrent send delivers once, and staff can send a failed e-mail again."""

from __future__ import annotations

import datetime
import threading
import time

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from directory.models import ActionLog, Role
from notifications import outbox
from notifications.delivery import notify
from notifications.models import OutgoingEmail
from tests.factories import UserFactory

from .smtp import PERMANENT, TEMPORARY, smtp_server

E = OutgoingEmail.Status
CONTEXT = {
    "what": "Nhiệm vụ chuẩn bị",
    "title": "Chuẩn bị hội trường Nhà Văn hóa Lao động",
    "deadline": datetime.date(2026, 12, 1),
    "days_left": 3,
    "days_late": 0,
}


@pytest.fixture
def smtp(settings):
    """A real SMTP server the app sends to; a 1-second first retry."""
    with smtp_server() as server:
        for name, value in server.settings().items():
            setattr(settings, name, value)
        settings.OUTBOX_RETRY_BASE_SECONDS = 1
        settings.OUTBOX_MAX_ATTEMPTS = 6
        settings.OUTBOX_STUCK_AFTER_SECONDS = 600
        yield server


@pytest.fixture
def statuses(monkeypatch):
    """Record (id, status, attempts) as stored in the database while each e-mail is handed to SMTP."""
    seen: list[tuple[int, str, int]] = []
    real = outbox._deliver

    def deliver(email, connection):
        seen.append(OutgoingEmail.objects.values_list("pk", "status", "attempts").get(pk=email.pk))
        return real(email, connection)

    monkeypatch.setattr(outbox, "_deliver", deliver)
    return seen


def emails_to(*usernames: str) -> list[OutgoingEmail]:
    users = [UserFactory(username=name, role=Role.AGENCY_OFFICER) for name in usernames]
    _notes, emails = notify("reminder", users=users, url="/x/", context=CONTEXT)
    return sorted(emails, key=lambda e: e.to)


def reload(email: OutgoingEmail) -> OutgoingEmail:
    email.refresh_from_db()
    return email


def make_due(*emails: OutgoingEmail) -> None:
    """Bring the retry time forward instead of waiting for it."""
    OutgoingEmail.objects.filter(pk__in=[e.pk for e in emails]).update(next_attempt_at=timezone.now())


@pytest.mark.django_db
def test_a_temporary_refusal_is_retried_and_then_delivered(smtp, statuses):
    (email,) = emails_to("tamthoi")
    smtp.refuse(email.to, TEMPORARY)
    assert email.status == E.QUEUED and email.attempts == 0

    before = timezone.now()
    assert outbox.send_many([email.pk]) == {email.pk: E.QUEUED}
    after = timezone.now()
    reload(email)
    assert (email.status, email.attempts) == (E.QUEUED, 1)
    assert "451" in email.last_error and "Try again later" in email.last_error
    assert before + datetime.timedelta(seconds=1) <= email.next_attempt_at <= after + datetime.timedelta(seconds=1)
    assert smtp.received == []

    # Not due yet: a task or sweep arriving early sends nothing.
    assert outbox.send_many([email.pk]) == {}
    assert outbox.sweep()["due"] == 0

    time.sleep(max(0.0, (email.next_attempt_at - timezone.now()).total_seconds()) + 0.05)
    assert outbox.sweep() == {"due": 1, "sent": 1, "stuck": 0}
    reload(email)
    assert (email.status, email.attempts, email.last_error) == (E.SENT, 2, "")
    assert email.sent_at is not None
    # queued → sending → queued → sending → sent, as stored while the server was talking.
    assert statuses == [(email.pk, E.SENDING, 1), (email.pk, E.SENDING, 2)]
    assert smtp.handler.rcpt_log == [(email.to, TEMPORARY), (email.to, "250 OK")]
    (message,) = smtp.to(email.to)
    assert message.subject == email.subject and "[Nhắc hạn]" in message.subject
    assert "Kính gửi" in message.body and "01/12/2026" in message.body


@pytest.mark.django_db
def test_a_permanent_refusal_fails_at_once_and_the_others_still_go(smtp, statuses, client):
    good, bad = emails_to("cobiet", "khongco")
    smtp.refuse(bad.to, always=PERMANENT)

    assert outbox.send_many([bad.pk, good.pk]) == {bad.pk: E.FAILED, good.pk: E.SENT}
    reload(bad)
    assert (bad.status, bad.attempts) == (E.FAILED, 1)
    assert "550" in bad.last_error and "No such user" in bad.last_error
    assert [r.rcpt_tos for r in smtp.received] == [[good.to]]
    # A failed e-mail is not retried by the sweep.
    assert outbox.sweep()["due"] == 0 and reload(bad).attempts == 1

    # Staff see it in the outbox, with the server's answer.
    admin = UserFactory(username="quantri", role=Role.ADMIN, is_staff=True)
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("notifications:outbox"), {"status": E.FAILED})
    assert page.status_code == 200
    html = page.content.decode()
    assert bad.to in html and good.to not in html
    detail = client.get(reverse("notifications:outbox_detail", args=[bad.pk])).content.decode()
    assert "No such user" in detail


@pytest.mark.django_db
def test_temporary_failures_back_off_doubling_until_the_last_attempt_fails(smtp, settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    settings.OUTBOX_MAX_ATTEMPTS = 4
    (email,) = emails_to("hopthuday")
    smtp.refuse(email.to, always=TEMPORARY)

    delays = []
    for attempt in range(1, 4):
        failed_at = timezone.now()
        assert outbox.send_many([email.pk]) == {email.pk: E.QUEUED}
        reload(email)
        assert (email.status, email.attempts) == (E.QUEUED, attempt)
        delays.append(round((email.next_attempt_at - failed_at).total_seconds()))
        make_due(email)
    assert delays == [60, 120, 240]
    assert outbox.send_many([email.pk]) == {email.pk: E.FAILED}
    reload(email)
    assert (email.status, email.attempts) == (E.FAILED, 4) and "451" in email.last_error
    assert smtp.received == [] and len(smtp.handler.rcpt_log) == 4
    assert outbox.backoff(30) == datetime.timedelta(days=1)  # the delay is capped


@pytest.mark.django_db
def test_a_server_that_is_down_is_a_temporary_failure(settings):
    with smtp_server() as server:
        for name, value in server.settings().items():
            setattr(settings, name, value)
    # The server is stopped now: the connection is refused.
    (email,) = emails_to("maychu")
    assert outbox.send_many([email.pk]) == {email.pk: E.QUEUED}
    reload(email)
    assert email.attempts == 1 and "ConnectionRefusedError" in email.last_error


@pytest.mark.django_db
def test_a_row_stuck_in_sending_is_queued_again_by_the_sweep(smtp):
    (email,) = emails_to("bikeo")
    assert outbox.claim(email.pk) is not None  # a worker took it and died before sending
    assert reload(email).status == E.SENDING
    assert outbox.claim(email.pk) is None

    assert outbox.sweep() == {"due": 0, "sent": 0, "stuck": 0}  # not stuck long enough yet
    OutgoingEmail.objects.filter(pk=email.pk).update(claimed_at=timezone.now() - datetime.timedelta(minutes=11))
    assert outbox.sweep() == {"due": 1, "sent": 1, "stuck": 1}
    reload(email)
    assert (email.status, email.attempts) == (E.SENT, 2)
    assert len(smtp.to(email.to)) == 1


@pytest.mark.django_db
def test_a_repeated_send_of_the_same_id_sends_once(smtp, statuses):
    (email,) = emails_to("laplai")
    assert outbox.send_many([email.pk, email.pk]) == {email.pk: E.SENT}
    assert outbox.send_many([email.pk]) == {}
    assert outbox.sweep()["due"] == 0
    assert len(smtp.received) == 1 and reload(email).attempts == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_the_same_ids_at_once_deliver_each_once(smtp):
    emails = emails_to(*(f"dongthoi{i}" for i in range(12)))
    ids = [e.pk for e in emails]
    barrier = threading.Barrier(3)
    results: list[dict] = []

    def worker(order):
        try:
            barrier.wait()
            results.append(outbox.send_many(order))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(order,)) for order in (ids, ids[::-1], ids[3:] + ids[:3])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    handled = [pk for result in results for pk in result]
    assert sorted(handled) == sorted(ids)  # each claimed by exactly one of the three
    assert all(status == E.SENT for result in results for status in result.values())
    assert sorted(r.rcpt_tos[0] for r in smtp.received) == sorted(e.to for e in emails)
    assert set(OutgoingEmail.objects.values_list("status", "attempts")) == {(E.SENT, 1)}


@pytest.mark.django_db
def test_staff_resend_a_failed_email(smtp, django_capture_on_commit_callbacks):
    (email,) = emails_to("guilai")
    smtp.refuse(email.to, PERMANENT)  # refused once, accepted once the address is fixed
    assert outbox.send_many([email.pk]) == {email.pk: E.FAILED}
    admin = UserFactory(username="quantri2", role=Role.ADMIN, is_staff=True)

    queued = reload(email)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        outbox.resend(queued, by=admin)
    assert len(callbacks) == 1  # handed to the worker after commit
    reload(email)
    assert (email.status, email.attempts) == (E.QUEUED, 0)
    assert "550" in email.last_error  # kept until it is sent
    assert ActionLog.objects.filter(verb="outbox.resend").count() == 1
    # Resending what is not failed changes nothing.
    assert outbox.resend(email, by=admin).status == E.QUEUED
    assert ActionLog.objects.filter(verb="outbox.resend").count() == 1

    assert outbox.send_many([email.pk]) == {email.pk: E.SENT}
    reload(email)
    assert (email.status, email.attempts, email.last_error) == (E.SENT, 1, "")
    assert len(smtp.to(email.to)) == 1
