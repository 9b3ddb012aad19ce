"""The official calendar: the public holidays plus the days off and make-up working days that
administrators record as `CalendarDay` rows. Every deadline in the project is computed here.

The calendar is built once per process and dropped when a `CalendarDay` is saved or deleted
(the receivers below; `directory.apps.DirectoryConfig.ready` imports this module so they are
connected). A save in one process cannot reach the cache of another (other web workers,
Celery), so the cache also expires after `CACHE_SECONDS`; that bounds how long another
process may use a calendar that is out of date; the same bound applies to a calendar read
inside a transaction that saved a `CalendarDay` and was then rolled back (Django has no
rollback hook). Changes that bypass model signals (`QuerySet.update`, `bulk_create`, raw SQL)
should call `clear_cache()`; so should tests, whose rolled-back transactions send no signal.
"""

from __future__ import annotations

import datetime
import threading
import time

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from dialogue.workdays import WorkCalendar

from .models import CalendarDay

__all__ = ["CACHE_SECONDS", "clear_cache", "deadline_after", "official_calendar"]

# Exceptions are announced weeks ahead, so a few minutes of delay in other processes is harmless.
CACHE_SECONDS = 300

_lock = threading.Lock()
_cached: WorkCalendar | None = None
_cached_at = 0.0
_generation = 0


def official_calendar() -> WorkCalendar:
    """The working-day calendar with every `CalendarDay` exception applied (cached)."""
    global _cached, _cached_at
    calendar, built_at = _cached, _cached_at
    if calendar is not None and time.monotonic() - built_at < CACHE_SECONDS:
        return calendar
    generation = _generation
    calendar = _build()
    with _lock:
        # A save that happened while we were reading must not be overwritten by stale data.
        if generation == _generation:
            _cached, _cached_at = calendar, time.monotonic()
    return calendar


def _build() -> WorkCalendar:
    days_off, working_days = set(), set()
    for day, kind in CalendarDay.objects.values_list("date", "kind"):
        (working_days if kind == CalendarDay.Kind.WORKING_DAY else days_off).add(day)
    return WorkCalendar(extra_days_off=days_off, extra_working_days=working_days)


def clear_cache() -> None:
    """Forget the cached calendar; the next `official_calendar()` reads the table again."""
    global _cached, _generation
    with _lock:
        _cached = None
        _generation += 1


def deadline_after(start: datetime.date | datetime.datetime, working_days: int) -> datetime.date:
    """The day `working_days` working days after `start`, counted from the next day
    (see `WorkCalendar.add_working_days`). An aware datetime is taken in local time, so a
    document received at 23:30 on Friday counts from that Friday."""
    if isinstance(start, datetime.datetime):
        start = timezone.localdate(start) if timezone.is_aware(start) else start.date()
    return official_calendar().add_working_days(start, working_days)


@receiver(post_save, sender=CalendarDay, dispatch_uid="directory.calendar.saved")
@receiver(post_delete, sender=CalendarDay, dispatch_uid="directory.calendar.deleted")
def _calendar_day_changed(sender, **kwargs) -> None:
    clear_cache()
    # Clear again once the change is committed: another thread may have rebuilt the cache from
    # the committed (old) rows in between. Outside a transaction this runs at once.
    transaction.on_commit(clear_cache, robust=True)
