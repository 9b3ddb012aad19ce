"""Working days as Vietnamese public bodies count them, for deadlines ("trong 10 ngày làm việc").

The public holidays (Tết Dương lịch, Tết Nguyên Đán, Giỗ Tổ Hùng Vương, 30/4, 1/5, Quốc
khánh and the days off the Government swaps in around them) come from the maintained
`holidays` package, so nobody here has to compute lunar dates. What the package does not
know yet (a swap announced this month, a local day off) is passed in as exceptions, which
`directory.calendar` reads from the `CalendarDay` table.

Precedence, most specific first:
1. an extra working day (a make-up Saturday, "ngày làm bù") is a working day;
2. an extra day off is not;
3. a make-up Saturday the package knows is a working day;
4. a public holiday or a day off the package knows is not;
5. otherwise Monday to Friday are working days, Saturday and Sunday are not.

This module imports no project app and no model: it is part of the shared toolkit.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

import holidays

__all__ = ["WorkCalendar"]

_ONE_DAY = datetime.timedelta(days=1)


class _LibraryYear(NamedTuple):
    names: dict[datetime.date, str]
    days_off: frozenset[datetime.date]
    working_days: frozenset[datetime.date]


@lru_cache(maxsize=256)
def _library_year(year: int) -> _LibraryYear:
    """What the `holidays` package lists for `year`: days off with their names, and make-up
    working days. Building its calendar costs milliseconds, so each year is built once per process.
    """
    # The language is explicit: by default the package follows the server's locale (English).
    calendar = holidays.country_holidays("VN", years=year, language="vi")
    names = {day: name for day, name in sorted(calendar.items()) if day.year == year}
    # `weekend_workdays` holds every swap the package knows, of any year; keep this year's.
    working = frozenset(day for day in getattr(calendar, "weekend_workdays", ()) if day.year == year)
    return _LibraryYear(names, frozenset(names), working)


def _as_date(value: datetime.date) -> datetime.date:
    # A datetime never equals a date, so it would miss every set lookup below.
    if isinstance(value, datetime.datetime):
        return value.date()
    return value


class WorkCalendar:
    """The Vietnamese working week with its public holidays plus announced exceptions.

    Days are local calendar dates; a caller holding an aware datetime should pass
    `django.utils.timezone.localdate(value)`. A naive datetime is reduced to its date.
    """

    def __init__(
        self,
        extra_days_off: Iterable[datetime.date] = (),
        extra_working_days: Iterable[datetime.date] = (),
    ) -> None:
        self.extra_days_off = frozenset(_as_date(day) for day in extra_days_off)
        self.extra_working_days = frozenset(_as_date(day) for day in extra_working_days)
        both = self.extra_days_off & self.extra_working_days
        if both:
            listed = ", ".join(f"{day:%d/%m/%Y}" for day in sorted(both))
            raise ValueError(f"A day cannot be both an extra day off and an extra working day: {listed}")

    def __repr__(self) -> str:
        return (
            f"WorkCalendar(extra_days_off={len(self.extra_days_off)} days, "
            f"extra_working_days={len(self.extra_working_days)} days)"
        )

    def is_working_day(self, day: datetime.date) -> bool:
        """Whether public bodies work on `day` (see the module docstring for the precedence)."""
        day = _as_date(day)
        if day in self.extra_working_days:
            return True
        if day in self.extra_days_off:
            return False
        library = _library_year(day.year)
        if day in library.working_days:
            return True
        if day in library.days_off:
            return False
        return day.weekday() < 5

    def public_holidays(self, year: int) -> dict[datetime.date, str]:
        """The public holidays and swapped days off of `year` as the `holidays` package lists
        them, in date order with their Vietnamese names ("Tết Nguyên Đán", "Ngày nghỉ (thay cho
        ngày 04/05/2024)"). Weekend holidays are included; this calendar's own exceptions are not
        applied."""
        return dict(_library_year(year).names)

    def next_working_day(self, day: datetime.date) -> datetime.date:
        """The first working day strictly after `day`."""
        day = _as_date(day) + _ONE_DAY
        while not self.is_working_day(day):
            day += _ONE_DAY
        return day

    def add_working_days(self, start: datetime.date, n: int) -> datetime.date:
        """The deadline `n` working days after `start`.

        Counting starts on the day after `start`, as "trong thời hạn n ngày làm việc kể từ
        ngày nhận" is counted in administrative practice: the day of receipt is not counted,
        and the result is the n-th working day after it. So 10 working days from Friday
        02/02/2024 (with Tết 08–14/02/2024 off) is Friday 23/02/2024.

        `n == 0` gives `start` itself when it is a working day, otherwise the next working
        day (something due "today" that arrives on a Sunday is due on Monday).
        A negative `n` is refused: no caller needs it and its meaning would be ambiguous.
        """
        if n < 0:
            raise ValueError("n must be zero or positive")
        day = _as_date(start)
        if n == 0:
            return day if self.is_working_day(day) else self.next_working_day(day)
        for _ in range(n):
            day = self.next_working_day(day)
        return day

    def working_days_between(self, a: datetime.date, b: datetime.date) -> int:
        """How many working days lie after `a` up to and including `b`.

        This is the inverse of `add_working_days`: for n >= 1,
        `working_days_between(start, add_working_days(start, n)) == n`. It is 0 when a == b
        and negative (the count from b to a) when b is before a.
        """
        a, b = _as_date(a), _as_date(b)
        if b < a:
            return -self.working_days_between(b, a)
        count = _weekdays_after_until(a, b)
        # Correct the plain Monday-to-Friday count only on the few days that are exceptions,
        # so a span of years costs a handful of set lookups instead of one per day.
        for day in self._irregular_days(a, b):
            if a < day <= b:
                count += int(self.is_working_day(day)) - int(day.weekday() < 5)
        return count

    def _irregular_days(self, a: datetime.date, b: datetime.date) -> set[datetime.date]:
        days = set(self.extra_days_off) | set(self.extra_working_days)
        for year in range(a.year, b.year + 1):
            library = _library_year(year)
            days |= library.days_off | library.working_days
        return days


def _weekdays_after_until(a: datetime.date, b: datetime.date) -> int:
    """Mondays to Fridays d with a < d <= b (b >= a)."""
    span = (b - a).days
    full_weeks, rest = divmod(span, 7)
    count = full_weeks * 5
    weekday = a.weekday()
    for offset in range(1, rest + 1):
        if (weekday + offset) % 7 < 5:
            count += 1
    return count
