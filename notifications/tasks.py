"""Thin Celery tasks: they take ids or nothing, and call the modules that do the work."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from . import outbox, sweep
from .models import Heartbeat, OutgoingEmail, SweepRun

log = logging.getLogger("notifications.tasks")


@shared_task(
    name="notifications.send_emails",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def send_emails(ids: list[int]) -> dict:
    results = outbox.send_many(ids)
    retry = [pk for pk, status in results.items() if status == OutgoingEmail.Status.QUEUED]
    if retry:  # temporary failures: come back when the first of them is due
        first = OutgoingEmail.objects.filter(pk__in=retry).order_by("next_attempt_at").first()
        delay = max(1, int((first.next_attempt_at - timezone.now()).total_seconds())) if first else 60
        outbox.publish(retry, countdown=delay)
    return {str(pk): status for pk, status in results.items()}


@shared_task(name="notifications.dispatch_outbox", acks_late=True)
def dispatch_outbox() -> dict:
    return outbox.sweep()


@shared_task(
    name="notifications.run_reminders",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def run_reminders(trigger: str = "beat") -> int:
    try:
        return sweep.run(trigger=trigger).pk
    except Exception as exc:
        _record_failure(SweepRun.Kind.REMINDERS, trigger, exc)
        raise


@shared_task(name="notifications.send_digests", acks_late=True)
def send_digests(trigger: str = "beat") -> int:
    try:
        return sweep.send_digests(trigger=trigger).pk
    except Exception as exc:
        _record_failure(SweepRun.Kind.AGENCY_DIGEST, trigger, exc)
        raise


def _record_failure(kind: str, trigger: str, exc: Exception) -> None:
    """The failed run's own row was rolled back with its work: keep a row that says it failed,
    so the health page shows it."""
    log.exception("%s run failed (%s)", kind, trigger)
    try:
        SweepRun.objects.create(kind=kind, trigger=trigger, finished_at=timezone.now(), error=repr(exc)[:2000])
    except Exception:  # the database itself may be what failed
        log.exception("could not record the failed %s run", kind)


@shared_task(name="notifications.heartbeat")
def heartbeat() -> str:
    Heartbeat.objects.update_or_create(name="worker", defaults={"at": timezone.now()})
    return "ok"
