"""How a routed item stands against its deadline, in the words Vietnamese task tracking uses:
not yet answered — within the deadline / overdue; answered — on time / late. Computed from
dates, never stored or typed."""

from __future__ import annotations

import datetime

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
