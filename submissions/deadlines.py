"""How a routed item stands against its deadline, in the words Vietnamese task tracking uses:
not yet answered — within the deadline / overdue; answered — on time / late. Computed from
dates, never stored or typed."""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.db import models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Answer, Routing, Submission

ANSWERED_STATUSES = [Answer.Status.SUBMITTED, Answer.Status.PUBLISHED]


class DeadlineState(models.TextChoices):
    OPEN_WITHIN = "open_within", _("Chưa trả lời – trong hạn")
    OPEN_OVERDUE = "open_overdue", _("Chưa trả lời – quá hạn")
    ANSWERED_ON_TIME = "answered_on_time", _("Đã trả lời – đúng hạn")
    ANSWERED_LATE = "answered_late", _("Đã trả lời – trễ hạn")


def deadline_state(
    deadline: datetime.date | None, answered_on: datetime.date | None, today: datetime.date | None = None
) -> DeadlineState | None:
    if deadline is None:
        return None
    if answered_on is not None:
        return DeadlineState.ANSWERED_ON_TIME if answered_on <= deadline else DeadlineState.ANSWERED_LATE
    today = today or timezone.localdate()
    return DeadlineState.OPEN_WITHIN if today <= deadline else DeadlineState.OPEN_OVERDUE


def with_deadlines(submissions: models.QuerySet) -> models.QuerySet:
    """Annotate each item with its current deadline, lead agency id and the date of its first
    submitted answer, in the same query (lists stay at a fixed number of queries)."""
    latest_routing = Routing.objects.filter(submission=OuterRef("pk")).exclude(status=Routing.Status.REASSIGNED)
    # A returned answer is back with the agency: it does not count as answered.
    first_answer = Answer.objects.filter(
        submission=OuterRef("pk"), status__in=ANSWERED_STATUSES, submitted_at__isnull=False
    ).order_by("submitted_at")
    return submissions.annotate(
        current_deadline=Subquery(latest_routing.order_by("-routed_at", "-id").values("deadline")[:1]),
        current_lead_id=Subquery(latest_routing.order_by("-routed_at", "-id").values("lead_agency_id")[:1]),
        first_answer_at=Subquery(first_answer.values("submitted_at")[:1]),
    )


def state_of(submission) -> DeadlineState | None:
    """For an item annotated by `with_deadlines`."""
    answered = submission.first_answer_at
    return deadline_state(submission.current_deadline, timezone.localdate(answered) if answered else None)


class Facts(NamedTuple):
    """How one item stands with its current routing: the same facts `with_deadlines` annotates,
    for many items at once (dashboards, scorecards). Days are local calendar days, as the
    deadline states compare them. A tuple: a province's 15,000 are made in a blink."""

    lead_id: int | None
    deadline: datetime.date | None
    routed_on: datetime.date | None
    answered_on: datetime.date | None

    def state(self, today: datetime.date | None = None) -> DeadlineState | None:
        return deadline_state(self.deadline, self.answered_on, today)

    def days_to_answer(self) -> int | None:
        """Calendar days from the current routing to the first answer sent (None if either is missing)."""
        if self.routed_on is None or self.answered_on is None:
            return None
        return max(0, (self.answered_on - self.routed_on).days)


NO_FACTS = Facts(None, None, None, None)


def _fact_subqueries() -> dict:
    """The four facts of the item of the outer query, as `with_deadlines` defines them."""
    latest_routing = (
        Routing.objects.filter(submission=OuterRef("pk"))
        .exclude(status=Routing.Status.REASSIGNED)
        .order_by("-routed_at", "-id")
    )
    first_answer = Answer.objects.filter(
        submission=OuterRef("pk"), status__in=ANSWERED_STATUSES, submitted_at__isnull=False
    ).order_by("submitted_at")
    return {
        "lead_agency": Subquery(latest_routing.values("lead_agency_id")[:1]),
        "answer_due": Subquery(latest_routing.values("deadline")[:1]),
        "routed_at": Subquery(latest_routing.values("routed_at")[:1]),
        "answered_at": Subquery(first_answer.values("submitted_at")[:1]),
    }


def store_facts(submission) -> None:
    """Set the item's kept facts from its routings and answers (the workflow calls this before
    saving any change of routing or answer; the caller saves)."""
    facts = Submission.objects.filter(pk=submission.pk).annotate(
        **{f"new_{k}": v for k, v in _fact_subqueries().items()}
    )
    row = facts.values("new_lead_agency", "new_answer_due", "new_routed_at", "new_answered_at").first() or {}
    submission.lead_agency_id = row.get("new_lead_agency")
    submission.answer_due = row.get("new_answer_due")
    submission.routed_at = row.get("new_routed_at")
    submission.answered_at = row.get("new_answered_at")


def refresh_facts(items: models.QuerySet) -> int:
    """Recompute the kept facts of every item of `items` in one UPDATE: for data written around
    the workflow (the demo moving dates back, bulk benchmark data, the migration)."""
    return items.order_by().update(**_fact_subqueries())


def current_facts(items: models.QuerySet) -> dict[int, Facts]:
    """{item id: Facts} for every item of `items` that was routed or answered, read from the
    facts the workflow keeps on the item (`store_facts`): one query on the items' own table,
    however many; `with_deadlines` computes the same from the routings and answers, for one page
    of a list. Items missing from the result have neither (use `NO_FACTS`)."""
    rows = (
        items.filter(models.Q(routed_at__isnull=False) | models.Q(answered_at__isnull=False))
        .annotate(routed_on=TruncDate("routed_at"), answered_on=TruncDate("answered_at"))  # local days, in SQL
        .values_list("pk", "lead_agency_id", "answer_due", "routed_on", "answered_on")
        .order_by()
    )
    return {
        pk: Facts(lead_id, deadline, routed_at, answered_at) for pk, lead_id, deadline, routed_at, answered_at in rows
    }
