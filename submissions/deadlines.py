"""How a routed item stands against its deadline, in the words Vietnamese task tracking uses:
not yet answered — within the deadline / overdue; answered — on time / late. Computed from
dates, never stored or typed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Answer, Routing

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


@dataclass(frozen=True)
class Facts:
    """How one item stands with its current routing: the same facts `with_deadlines` annotates,
    for many items at once (dashboards, scorecards)."""

    lead_id: int | None
    deadline: datetime.date | None
    routed_at: datetime.datetime | None
    first_answer_at: datetime.datetime | None

    @property
    def answered_on(self) -> datetime.date | None:
        return timezone.localdate(self.first_answer_at) if self.first_answer_at else None

    def state(self, today: datetime.date | None = None) -> DeadlineState | None:
        return deadline_state(self.deadline, self.answered_on, today)

    def days_to_answer(self) -> int | None:
        """Calendar days from the current routing to the first answer sent (None if either is missing)."""
        if self.routed_at is None or self.first_answer_at is None:
            return None
        return max(0, (self.answered_on - timezone.localdate(self.routed_at)).days)


NO_FACTS = Facts(None, None, None, None)


def current_facts(items: models.QuerySet) -> dict[int, Facts]:
    """{item id: Facts} for every item of `items` that was routed or answered, in two plain
    queries whatever their number: the routings that count (all but those handed over to another
    agency), of which the latest wins, as in `with_deadlines`, and the first answer sent. Reading
    them as two hash joins is what keeps a province's 15,000 items cheap; `with_deadlines`'s
    correlated subqueries are meant for one page of rows. Items missing from the result have
    neither (use `NO_FACTS`)."""
    ids = items.order_by().values("pk")
    latest: dict[int, tuple] = {}
    routings = (
        Routing.objects.filter(submission_id__in=ids)
        .exclude(status=Routing.Status.REASSIGNED)
        .values_list("submission_id", "routed_at", "id", "lead_agency_id", "deadline")
        .order_by()
    )
    for submission_id, routed_at, pk, lead_id, deadline in routings:
        current = latest.get(submission_id)
        if current is None or (routed_at, pk) > current[:2]:
            latest[submission_id] = (routed_at, pk, lead_id, deadline)
    answers = (
        Answer.objects.filter(submission_id__in=ids, status__in=ANSWERED_STATUSES, submitted_at__isnull=False)
        .values("submission_id")
        .annotate(first=models.Min("submitted_at"))
        .values_list("submission_id", "first")
        .order_by()
    )
    first_answer = dict(answers)
    facts = {}
    for submission_id in latest.keys() | first_answer.keys():
        routed_at, _pk, lead_id, deadline = latest.get(submission_id, (None, None, None, None))
        facts[submission_id] = Facts(lead_id, deadline, routed_at, first_answer.get(submission_id))
    return facts
