"""The dates an assignment owes: its deadline (a date, or working days from the notice's issue
date), or one report per period of its reporting cycle until `cycle_until`. A report is due on
`report_day` of the period's last month, as Vietnamese periodic reporting counts it (a quarter's
report before the 15th of its last month, the year's before 15 December)."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from directory.calendar import deadline_after

from .models import Assignment, ReportingCycle

# The months each cycle's periods end in.
PERIOD_END_MONTHS = {
    ReportingCycle.MONTHLY: list(range(1, 13)),
    ReportingCycle.QUARTERLY: [3, 6, 9, 12],
    ReportingCycle.HALF_YEARLY: [6, 12],
    ReportingCycle.NINE_MONTHS: [9],
    ReportingCycle.YEARLY: [12],
}
QUARTERS = {3: "I", 6: "II", 9: "III", 12: "IV"}


@dataclass(frozen=True)
class PlannedDue:
    label: str
    due_on: datetime.date
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None


def _last_day(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def period_label(cycle: str, year: int, month: int) -> str:
    if cycle == ReportingCycle.MONTHLY:
        return _("Tháng %(month)s/%(year)s") % {"month": month, "year": year}
    if cycle == ReportingCycle.QUARTERLY:
        return _("Quý %(quarter)s/%(year)s") % {"quarter": QUARTERS[month], "year": year}
    if cycle == ReportingCycle.HALF_YEARLY and month == 6:
        return _("6 tháng đầu năm %(year)s") % {"year": year}
    if cycle == ReportingCycle.NINE_MONTHS:
        return _("9 tháng năm %(year)s") % {"year": year}
    return _("Năm %(year)s") % {"year": year}


def period_start(cycle: str, year: int, month: int) -> datetime.date:
    months = {ReportingCycle.MONTHLY: 1, ReportingCycle.QUARTERLY: 3}.get(cycle)
    if months is None:  # half-year, nine months and year reports count from 1 January
        return datetime.date(year, 1, 1)
    return datetime.date(year, month - months + 1, 1)


def cycle_dues(cycle: str, report_day: int, starts: datetime.date, until: datetime.date) -> list[PlannedDue]:
    """Every report date of `cycle` after `starts` up to `until` (inclusive)."""
    dues = []
    for year in range(starts.year, until.year + 1):
        for month in PERIOD_END_MONTHS[ReportingCycle(cycle)]:
            due_on = datetime.date(year, month, report_day)
            if starts < due_on <= until:
                dues.append(
                    PlannedDue(
                        label=period_label(cycle, year, month),
                        due_on=due_on,
                        period_start=period_start(cycle, year, month),
                        period_end=_last_day(year, month),
                    )
                )
    return dues


def deadline_of(assignment: Assignment, issued_on: datetime.date) -> datetime.date | None:
    if assignment.deadline:
        return assignment.deadline
    if assignment.working_days:
        return deadline_after(issued_on, assignment.working_days)
    return None


def planned_dues(assignment: Assignment, issued_on: datetime.date) -> list[PlannedDue]:
    """What the assignment owes once its notice is issued on `issued_on`."""
    if assignment.schedule == Assignment.Schedule.CYCLE:
        return cycle_dues(assignment.cycle, assignment.report_day, issued_on, assignment.cycle_until)
    deadline = deadline_of(assignment, issued_on)
    return [PlannedDue(label=_("Hạn hoàn thành"), due_on=deadline)] if deadline else []


def describe(assignment: Assignment) -> str:
    """The schedule in words, as the notice prints it."""
    if assignment.schedule == Assignment.Schedule.CYCLE:
        return _("%(cycle)s, gửi báo cáo trước ngày %(day)s của tháng cuối kỳ, đến hết ngày %(until)s") % {
            "cycle": ReportingCycle(assignment.cycle).label,
            "day": assignment.report_day,
            "until": assignment.cycle_until.strftime("%d/%m/%Y") if assignment.cycle_until else "…",
        }
    if assignment.deadline:
        return _("hoàn thành trước ngày %(date)s") % {"date": assignment.deadline.strftime("%d/%m/%Y")}
    if assignment.working_days:
        return _("hoàn thành trong %(days)s ngày làm việc kể từ ngày ban hành thông báo") % {
            "days": assignment.working_days
        }
    return ""
