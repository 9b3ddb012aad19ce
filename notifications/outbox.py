"""Sending the outbox. An e-mail row is claimed with `select_for_update(skip_locked=True)`
and switched to "sending" in its own transaction, so a repeated or duplicated task finds
nothing to do; it is then sent, and marked sent, or queued again with exponential backoff on
a temporary failure (connection refused, 4xx replies), or failed on a permanent one (5xx
replies, a refused address) or after too many attempts. A periodic sweep picks up rows whose
retry time has come and rows stuck in "sending" (a worker that died mid-send).

Tasks are handed to the broker only after the transaction that created the rows commits; if
the broker is down the rows simply wait for the sweep (nothing is lost)."""

from __future__ import annotations

import datetime
import logging
import smtplib
import socket

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from dialogue.celery import send_quickly
from directory import audit

from .models import OutgoingEmail

log = logging.getLogger("notifications.outbox")
E = OutgoingEmail.Status

audit.register_verb("outbox.resend", gettext_lazy("Gửi lại thư điện tử"))


def retry_base() -> datetime.timedelta:
    return datetime.timedelta(seconds=getattr(settings, "OUTBOX_RETRY_BASE_SECONDS", 60))


def max_attempts() -> int:
    return getattr(settings, "OUTBOX_MAX_ATTEMPTS", 6)


def stuck_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=getattr(settings, "OUTBOX_STUCK_AFTER_SECONDS", 600))


def backoff(attempts: int) -> datetime.timedelta:
    """1, 2, 4, 8 … times the base after the 1st, 2nd, 3rd … failed attempt, at most a day."""
    return min(retry_base() * (2 ** max(attempts - 1, 0)), datetime.timedelta(days=1))


def is_temporary(exc: BaseException) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _msg in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(exc, smtplib.SMTPServerDisconnected | ConnectionError | TimeoutError | socket.gaierror | OSError)


# --- handing work to the worker -----------------------------------------------------------------


def enqueue(ids: list[int]) -> None:
    """Send these e-mails once the current transaction commits."""
    if ids:
        transaction.on_commit(lambda: publish(ids))


def publish(ids: list[int], *, countdown: int | None = None) -> bool:
    from .tasks import send_emails

    size = 50
    try:
        for start in range(0, len(ids), size):
            send_quickly(send_emails, args=(ids[start : start + size],), countdown=countdown)
    except Exception as exc:  # the broker is down: the rows wait for the outbox sweep
        log.warning("broker unavailable, %d e-mail(s) left queued for the sweep: %s", len(ids), exc)
        return False
    return True


# --- sending ----------------------------------------------------------------------------------


def claim(email_id: int) -> OutgoingEmail | None:
    """Take one queued e-mail whose time has come, or None if another worker has it, it was
    sent already, or it is not due yet."""
    with transaction.atomic():
        email = (
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=email_id, status=E.QUEUED, next_attempt_at__lte=timezone.now())
            .first()
        )
        if email is None:
            return None
        email.status, email.claimed_at, email.attempts = E.SENDING, timezone.now(), email.attempts + 1
        email.save(update_fields=["status", "claimed_at", "attempts"])
        return email


def _deliver(email: OutgoingEmail, connection) -> None:
    EmailMessage(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, [email.to], connection=connection).send()


def _record_failure(email: OutgoingEmail, exc: BaseException) -> str:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    if is_temporary(exc) and email.attempts < max_attempts():
        email.status, email.next_attempt_at = E.QUEUED, timezone.now() + backoff(email.attempts)
        log.warning(
            "e-mail %s to %s: temporary failure (attempt %d), retry at %s: %s",
            email.pk,
            email.to,
            email.attempts,
            email.next_attempt_at,
            error,
        )
    else:
        email.status = E.FAILED
        log.error("e-mail %s to %s failed after %d attempt(s): %s", email.pk, email.to, email.attempts, error)
    email.last_error = error
    email.save(update_fields=["status", "next_attempt_at", "last_error"])
    return email.status


def send_many(ids: list[int]) -> dict[int, str]:
    """Send the e-mails with these ids that are still queued and due; one SMTP connection.
    Returns the resulting status of each e-mail this call handled."""
    claimed = [email for email in (claim(pk) for pk in ids) if email is not None]
    results: dict[int, str] = {}
    if not claimed:
        return results
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as exc:
        for email in claimed:
            results[email.pk] = _record_failure(email, exc)
        return results
    try:
        for email in claimed:
            try:
                _deliver(email, connection)
            except Exception as exc:
                results[email.pk] = _record_failure(email, exc)
                continue
            email.status, email.sent_at, email.last_error = E.SENT, timezone.now(), ""
            email.save(update_fields=["status", "sent_at", "last_error"])
            results[email.pk] = E.SENT
            log.info("e-mail %s sent to %s (%s)", email.pk, email.to, email.kind)
    finally:
        try:
            connection.close()
        except Exception:  # closing a broken connection must not hide what was sent
            log.debug("closing the SMTP connection failed", exc_info=True)
    return results


def sweep(limit: int = 500) -> dict[str, int]:
    """Queue again the e-mails stuck in "sending", then send those whose time has come."""
    now = timezone.now()
    stuck = OutgoingEmail.objects.filter(status=E.SENDING, claimed_at__lt=now - stuck_after()).update(
        status=E.QUEUED, next_attempt_at=now
    )
    if stuck:
        log.warning("outbox sweep: %d e-mail(s) stuck in sending were queued again", stuck)
    due = list(
        OutgoingEmail.objects.filter(status=E.QUEUED, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    results = send_many(due)
    sent = sum(1 for status in results.values() if status == E.SENT)
    if due:
        log.info("outbox sweep: %d due, %d sent, %d stuck requeued", len(due), sent, stuck)
    return {"due": len(due), "sent": sent, "stuck": stuck}


@transaction.atomic
def resend(email: OutgoingEmail, *, by) -> OutgoingEmail:
    """Staff put a failed e-mail back in the queue, with a fresh count of attempts."""
    email = OutgoingEmail.objects.select_for_update().get(pk=email.pk)
    if email.status != E.FAILED:
        return email
    email.status, email.attempts, email.next_attempt_at = E.QUEUED, 0, timezone.now()
    email.save(update_fields=["status", "attempts", "next_attempt_at"])
    audit.record(by, "outbox.resend", email, to=email.to, last_error=email.last_error)
    enqueue([email.pk])
    return email


def backlog() -> dict[str, int]:
    from django.db.models import Count

    counts = dict(OutgoingEmail.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    return {status: counts.get(status, 0) for status in E.values}
