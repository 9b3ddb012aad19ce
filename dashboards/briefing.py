"""The monthly briefing: on the first day of each month, every Standing Committee member gets,
in the app and by e-mail (through `notifications.delivery`), the headline figures of their
province — items still unanswered and overdue, assignments overdue, the agencies most behind —
with the links to the dashboard and its PDF briefing. One `Reminder` row per (province, month,
person) makes it idempotent: a second run of the task in the same month sends nothing."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from directory.models import AdminUnit, Role, User
from notifications.delivery import absolute, notify
from notifications.models import Reminder
from programs.models import Program
from submissions.deadlines import DeadlineState

from . import agencies as scorecards
from .overview import province_overview
from .queries import OPEN_ASSIGNMENTS

KIND = "dashboards.monthly_briefing"
LATE_AGENCIES = 5


def standing_members(province: AdminUnit) -> list[User]:
    return list(
        User.objects.filter(role=Role.STANDING_COMMITTEE, is_active=True, agency__province=province).order_by("pk")
    )


def briefing_context(province: AdminUnit, reader: User, month: datetime.date) -> dict:
    """The figures of the message, counted as the reader sees them on the dashboards."""
    overview = province_overview(reader, province)
    by_agency = scorecards.scores(reader, province.pk)
    names = dict(province.agencies.filter(pk__in=list(by_agency)).values_list("pk", "name"))
    late = sorted(
        (
            (score.states[DeadlineState.OPEN_OVERDUE] + score.late_assignments, names.get(pk, ""))
            for pk, score in by_agency.items()
            if score.states[DeadlineState.OPEN_OVERDUE] or score.late_assignments
        ),
        reverse=True,
    )[:LATE_AGENCIES]
    lines = [
        f"- {metric.label}: {metric}" + (f" ({metric.hint})" if metric.hint else "") for metric in overview.metrics
    ]
    late_lines = [f"- {name}: {n} việc quá hạn" for n, name in late] or ["- Không có cơ quan nào có việc quá hạn."]
    return {
        "province": province.full_name,
        "month": f"{month.month:02d}/{month.year}",
        "figures": "\n".join(lines),
        "late_agencies": "\n".join(late_lines),
        "pdf_link": absolute(reverse("dashboards:overview_pdf") + f"?province={province.pk}"),
        "assignments_link": absolute(
            reverse("dashboards:assignments") + f"?province={province.pk}&state={OPEN_ASSIGNMENTS}"
        ),
    }


def send_monthly(today: datetime.date | None = None) -> int:
    """Send this month's briefing to every Standing Committee member of every province with a
    program; returns how many people it reached (0 on a second run in the same month)."""
    today = today or timezone.localdate()
    month = today.replace(day=1)
    provinces = AdminUnit.objects.filter(pk__in=Program.objects.values("province_id")).order_by("name")
    sent = 0
    for province in provinces:
        for member in standing_members(province):
            key = f"briefing:{province.pk}:{month:%Y-%m}:user:{member.pk}"
            try:
                with transaction.atomic():
                    Reminder.objects.create(
                        key=key,
                        obligation=f"briefing:{province.pk}",
                        recipient=f"user:{member.pk}",
                        milestone=f"{month:%Y-%m}",
                    )
                    context = briefing_context(province, member, month)
                    notify(
                        KIND,
                        context=context,
                        url=reverse("dashboards:overview") + f"?province={province.pk}",
                        users=[member],
                    )
            except IntegrityError:
                continue  # sent already this month
            sent += 1
    return sent
