"""Layout of the roadmap timeline (a Gantt-like chart): which weeks it spans, and where each
task's bar starts and ends, as fractions of the span. Pure Python on loaded tasks, so the page
renders it with HTML and CSS alone and the layout can be tested without a browser.

Positions are written as strings with a dot ("12.5000") because the template would localise a
float to "12,5", which CSS does not read.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .models import RoadmapTask

WEEK = datetime.timedelta(days=7)


class State:
    """How a bar is drawn: each state has its own pattern and text, not only its colour."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    OVERDUE = "overdue"


def task_state(task: RoadmapTask, today: datetime.date) -> str:
    if task.status == RoadmapTask.Status.DONE:
        return State.DONE
    if task.due_date < today:
        return State.OVERDUE
    return task.status


def state_label(state: str) -> str:
    if state == State.OVERDUE:
        return _("Quá hạn")
    return str(RoadmapTask.Status(state).label)


def _percent(value: float) -> str:
    return f"{value * 100:.4f}"


@dataclass(frozen=True)
class Week:
    start: datetime.date
    number: int  # 1 for the first week of the chart
    has_today: bool
    has_event: bool = False  # holds one of the program's days


@dataclass(frozen=True)
class Bar:
    """One task's bar. The texts are made here rather than in the template: with hundreds of
    rows, template filters and translation tags per row were most of the page's time."""

    task: RoadmapTask
    state: str
    left: str  # percent of the track, as CSS reads it
    width: str
    url: str = ""

    @property
    def state_label(self) -> str:
        return state_label(self.state)

    @property
    def summary(self) -> str:
        """The line under the title: state, due date, who does it."""
        task = self.task
        who = task.assignee_agency.name if task.assignee_agency_id else ""
        if not who and task.assignee_member_id:
            who = task.assignee_member.full_name
        parts = [self.state_label, _("hạn %(date)s") % {"date": f"{task.due_date:%d/%m}"}, who]
        return " · ".join(part for part in parts if part)

    @property
    def spoken(self) -> str:
        """What a screen reader says for the bar."""
        return _("Từ %(start)s đến %(due)s: %(state)s") % {
            "start": f"{self.task.start_date:%d/%m/%Y}",
            "due": f"{self.task.due_date:%d/%m/%Y}",
            "state": self.state_label,
        }

    @property
    def text(self) -> str:
        """The words inside the bar: a mark as well as a colour for done and late."""
        mark = {State.DONE: "✓ ", State.OVERDUE: "! "}.get(self.state, "")
        return f"{mark}{self.state_label}"


@dataclass
class Group:
    category: str
    label: str
    bars: list[Bar] = field(default_factory=list)


@dataclass(frozen=True)
class Marker:
    """A day or days drawn over the chart (today, the days of the program)."""

    left: str
    width: str
    first: datetime.date
    last: datetime.date


@dataclass(frozen=True)
class Timeline:
    first: datetime.date  # a Monday
    last: datetime.date  # a Sunday
    weeks: list[Week]
    groups: list[Group]
    today: Marker | None
    event: Marker | None

    @property
    def week_count(self) -> int:
        return len(self.weeks)

    @property
    def task_count(self) -> int:
        return sum(len(group.bars) for group in self.groups)


def build(
    tasks: Iterable[RoadmapTask],
    *,
    today: datetime.date,
    event: tuple[datetime.date, datetime.date] | None = None,
    categories: Sequence[tuple[str, str]] = RoadmapTask.Category.choices,
    url_of: Callable[[RoadmapTask], str] | None = None,
) -> Timeline | None:
    """The chart of `tasks`, grouped by category in the order of `categories`, each group sorted
    by start then due date. The span runs from the Monday of the earliest start to the Sunday of
    the latest due date (or of the program's last day, when `event` is given). `url_of(task)`
    gives each bar its link. None without tasks."""
    tasks = list(tasks)
    if not tasks:
        return None
    first_day = min(task.start_date for task in tasks)
    last_day = max(task.due_date for task in tasks)
    if event:
        last_day = max(last_day, event[1])
    first = first_day - datetime.timedelta(days=first_day.weekday())
    last = last_day + datetime.timedelta(days=6 - last_day.weekday())
    span = (last - first).days + 1

    def marker(start: datetime.date, end: datetime.date) -> Marker | None:
        if end < first or start > last:
            return None
        start, end = max(start, first), min(end, last)
        return Marker(
            left=_percent((start - first).days / span),
            width=_percent(((end - start).days + 1) / span),
            first=start,
            last=end,
        )

    weeks = []
    for number, offset in enumerate(range(0, span, 7), start=1):
        start = first + datetime.timedelta(days=offset)
        holds_event = bool(event) and event[0] < start + WEEK and event[1] >= start
        weeks.append(Week(start=start, number=number, has_today=start <= today < start + WEEK, has_event=holds_event))

    groups = {value: Group(category=value, label=str(label)) for value, label in categories}
    for task in sorted(tasks, key=lambda t: (t.start_date, t.due_date, t.pk or 0)):
        group = groups.get(task.category)
        if group is None:  # a category no longer offered still shows, under its raw name
            group = groups[task.category] = Group(category=task.category, label=task.get_category_display())
        group.bars.append(
            Bar(
                task=task,
                state=task_state(task, today),
                left=_percent((task.start_date - first).days / span),
                width=_percent(((task.due_date - task.start_date).days + 1) / span),
                url=url_of(task) if url_of else "",
            )
        )
    return Timeline(
        first=first,
        last=last,
        weeks=weeks,
        groups=[group for group in groups.values() if group.bars],
        today=marker(today, today),
        event=marker(*event) if event else None,
    )
