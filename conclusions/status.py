"""How an assignment stands, in the four words Vietnamese task tracking uses — done on time,
done late, not done within the deadline, not done and overdue — computed from its dates and
today's date, never typed. The workflow keeps three columns in step with the dues
(`next_due_on`, `completed_on`, `late_dues`) so a list of 20,000 assignments filters and sorts
by status in SQL."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AssignmentState(models.TextChoices):
    OPEN_OVERDUE = "open_overdue", _("Chưa hoàn thành – quá hạn")
    OPEN_WITHIN = "open_within", _("Chưa hoàn thành – trong hạn")
    DONE_LATE = "done_late", _("Hoàn thành – trễ hạn")
    DONE_ON_TIME = "done_on_time", _("Hoàn thành – đúng hạn")
    NOT_STARTED = "not_started", _("Chưa ban hành")


# Overdue first: the order the organizers' follow-up list uses.
RANK = {state: rank for rank, state in enumerate(AssignmentState.values)}
BADGE = {
    AssignmentState.OPEN_OVERDUE: "danger",
    AssignmentState.OPEN_WITHIN: "primary",
    AssignmentState.DONE_LATE: "warning",
    AssignmentState.DONE_ON_TIME: "success",
    AssignmentState.NOT_STARTED: "secondary",
}


def state_q(state: str, today: datetime.date) -> Q:
    """The filter for one state, on the kept columns."""
    return {
        AssignmentState.OPEN_OVERDUE: Q(next_due_on__lt=today),
        AssignmentState.OPEN_WITHIN: Q(next_due_on__gte=today),
        AssignmentState.DONE_LATE: Q(next_due_on__isnull=True, completed_on__isnull=False, late_dues__gt=0),
        AssignmentState.DONE_ON_TIME: Q(next_due_on__isnull=True, completed_on__isnull=False, late_dues=0),
        AssignmentState.NOT_STARTED: Q(next_due_on__isnull=True, completed_on__isnull=True),
    }[AssignmentState(state)]


def with_state(assignments: models.QuerySet, today: datetime.date | None = None) -> models.QuerySet:
    """Annotate `state` and `state_rank` (overdue first) in the same query."""
    today = today or timezone.localdate()
    whens = [When(state_q(state, today), then=Value(state)) for state in AssignmentState.values]
    ranks = [When(state_q(state, today), then=Value(RANK[state])) for state in AssignmentState.values]
    return assignments.annotate(
        state=Case(*whens, output_field=models.CharField()),
        state_rank=Case(*ranks, output_field=IntegerField()),
    )


def state_of(assignment, today: datetime.date | None = None) -> AssignmentState:
    """The same rule in Python, for one assignment already loaded."""
    today = today or timezone.localdate()
    if assignment.next_due_on is not None:
        return AssignmentState.OPEN_OVERDUE if assignment.next_due_on < today else AssignmentState.OPEN_WITHIN
    if assignment.completed_on is None:
        return AssignmentState.NOT_STARTED
    return AssignmentState.DONE_LATE if assignment.late_dues else AssignmentState.DONE_ON_TIME


def days_late(assignment, today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    if assignment.next_due_on is None or assignment.next_due_on >= today:
        return 0
    return (today - assignment.next_due_on).days


def due_state(due, today: datetime.date | None = None) -> AssignmentState:
    """How one due stands (a period of a cycle, or the deadline)."""
    today = today or timezone.localdate()
    if due.done_on is None:
        return AssignmentState.OPEN_OVERDUE if due.due_on < today else AssignmentState.OPEN_WITHIN
    return AssignmentState.DONE_LATE if due.done_on > due.due_on else AssignmentState.DONE_ON_TIME
