"""What is owed, by whom, by when. Apps above this one register a source in their
`AppConfig.ready()`: a function that returns their open obligations with a deadline on or
before a date (all open ones when the date is None), in a fixed number of queries. A finished
obligation is simply not returned, so it gets no reminder."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Obligation:
    key: str  # unique and stable, e.g. "conclusions.due:42"
    what: str  # the kind of work, e.g. "Trả lời kiến nghị ĐT2023-045"
    title: str
    deadline: datetime.date
    url: str
    responsible: str = ""  # the name shown in texts and digests
    agencies: tuple[int, ...] = ()  # responsible agencies (their people and address)
    users: tuple[int, ...] = ()  # responsible people
    units: tuple[int, ...] = ()  # responsible communes (their leaders)
    escalate_to: tuple[int, ...] = ()  # agencies told when it is overdue (the standing agency)
    province_id: int | None = None  # whose organizers and Standing Committee see it in digests


Source = Callable[[datetime.date | None], Iterable[Obligation]]
SOURCES: dict[str, Source] = {}


def register(name: str, source: Source) -> None:
    SOURCES[name] = source


def open_obligations(until: datetime.date | None) -> list[Obligation]:
    return [obligation for source in SOURCES.values() for obligation in source(until)]


def days_before() -> list[int]:
    return sorted(getattr(settings, "REMINDER_DAYS_BEFORE", [7, 3, 1]), reverse=True)


def overdue_every() -> int:
    return max(1, getattr(settings, "REMINDER_OVERDUE_EVERY_DAYS", 7))


def escalate_after() -> int:
    """Days overdue after which an item goes to the Standing Committee's digest."""
    return getattr(settings, "REMINDER_ESCALATE_AFTER_DAYS", 14)


def milestone(deadline: datetime.date, today: datetime.date) -> str | None:
    """The reminder due today for an obligation, named so that each fires once: "before-3"
    from 3 days before (so a missed sweep is caught up the next day, not skipped), "due" on
    the day, "overdue-0", "overdue-1"… in each run of N days after it."""
    left = (deadline - today).days
    if left > 0:
        passed = [n for n in days_before() if n >= left]
        return f"before-{min(passed)}" if passed else None
    if left == 0:
        return "due"
    return f"overdue-{(-left - 1) // overdue_every()}"
