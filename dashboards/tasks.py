"""Thin Celery tasks of the dashboards."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from . import briefing


@shared_task(
    name="dashboards.send_monthly_briefings",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def send_monthly_briefings() -> int:
    """Idempotent: a second run in the same month sends nothing (`briefing.send_monthly`)."""
    return briefing.send_monthly()
