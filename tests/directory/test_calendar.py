"""directory.calendar: the official calendar built from CalendarDay rows, cached per process."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from directory import calendar as official
from directory.models import CalendarDay

D = datetime.date
HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    # Test transactions are rolled back without signals, so a cached calendar would outlive them.
    official.clear_cache()
    yield
    official.clear_cache()


def test_rows_become_exceptions():
    CalendarDay.objects.create(date=D(2024, 3, 9), kind=CalendarDay.Kind.WORKING_DAY, note="Làm bù")
    CalendarDay.objects.create(date=D(2024, 3, 6), kind=CalendarDay.Kind.DAY_OFF, note="Nghỉ địa phương")

    calendar = official.official_calendar()
    assert calendar.is_working_day(D(2024, 3, 9))
    assert not calendar.is_working_day(D(2024, 3, 6))
    assert not calendar.is_working_day(D(2024, 2, 12))  # Tết still comes from the holidays package


def test_cached_per_process(django_assert_num_queries):
    with django_assert_num_queries(1):
        first = official.official_calendar()
    with django_assert_num_queries(0):
        assert official.official_calendar() is first
        official.deadline_after(D(2024, 2, 2), 10)


def test_saving_a_day_invalidates_the_cache():
    saturday = D(2024, 3, 9)
    assert not official.official_calendar().is_working_day(saturday)

    day = CalendarDay.objects.create(date=saturday, kind=CalendarDay.Kind.WORKING_DAY)
    assert official.official_calendar().is_working_day(saturday)
    assert official.deadline_after(D(2024, 3, 8), 1) == saturday

    day.kind = CalendarDay.Kind.DAY_OFF
    day.save()
    assert not official.official_calendar().is_working_day(saturday)


def test_deleting_a_day_invalidates_the_cache():
    day = CalendarDay.objects.create(date=D(2024, 3, 6), kind=CalendarDay.Kind.DAY_OFF)
    assert not official.official_calendar().is_working_day(D(2024, 3, 6))

    day.delete()
    assert official.official_calendar().is_working_day(D(2024, 3, 6))


def test_cache_expires_for_changes_made_by_other_processes(monkeypatch):
    first = official.official_calendar()
    # A row written without signals, as another process's save looks from here.
    CalendarDay.objects.bulk_create([CalendarDay(date=D(2024, 3, 6), kind=CalendarDay.Kind.DAY_OFF)])
    assert official.official_calendar() is first

    monkeypatch.setattr(official, "CACHE_SECONDS", 0)
    assert not official.official_calendar().is_working_day(D(2024, 3, 6))


def test_deadline_after_counts_working_days_from_the_next_day():
    assert official.deadline_after(D(2024, 2, 2), 10) == D(2024, 2, 23)

    CalendarDay.objects.create(date=D(2024, 2, 17), kind=CalendarDay.Kind.WORKING_DAY)  # a make-up Saturday
    assert official.deadline_after(D(2024, 2, 2), 10) == D(2024, 2, 22)


def test_deadline_after_takes_an_aware_datetime_in_local_time():
    # 00:30 on Friday 02/02/2024 in Việt Nam is still Thursday in UTC.
    received = datetime.datetime(2024, 2, 2, 0, 30, tzinfo=HANOI)
    assert received.astimezone(datetime.UTC).date() == D(2024, 2, 1)
    assert official.deadline_after(received, 1) == D(2024, 2, 5)
    assert official.deadline_after(received.astimezone(datetime.UTC), 1) == D(2024, 2, 5)
