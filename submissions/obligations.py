"""The submissions app's obligations for the reminder sweep: open routings (the lead agency
owes an answer by the deadline) and items whose sender has not been told within 10 working
days that they were received (the program's standing agency owes that)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Routing, Submission

CLOSED = [Submission.Status.MERGED, Submission.Status.WITHDRAWN, Submission.Status.DRAFT]


def open_routings(until: datetime.date | None):
    from notifications.obligations import Obligation

    routings = Routing.objects.filter(status__in=[Routing.Status.ACTIVE, Routing.Status.REASSIGN_REQUESTED]).exclude(
        submission__status__in=CLOSED
    )
    if until is not None:
        routings = routings.filter(deadline__lte=until)
    rows = routings.values_list(
        "pk",
        "deadline",
        "submission_id",
        "submission__reference",
        "submission__title",
        "submission__program__province_id",
        "submission__program__standing_agency_id",
        "lead_agency_id",
        "lead_agency__name",
    )
    for pk, deadline, item, reference, title, province, standing, agency, agency_name in rows.iterator(chunk_size=2000):
        yield Obligation(
            key=f"submissions.routing:{pk}",
            what=_("Trả lời câu hỏi, kiến nghị %(ref)s") % {"ref": reference},
            title=title,
            deadline=deadline,
            url=reverse("submissions:detail", args=[item]),
            responsible=agency_name,
            agencies=(agency,),
            escalate_to=(standing,) if standing and standing != agency else (),
            province_id=province,
        )


def unacknowledged(until: datetime.date | None):
    from notifications.obligations import Obligation

    items = Submission.objects.filter(acknowledged_at__isnull=True, acknowledge_due__isnull=False).exclude(
        status__in=CLOSED
    )
    if until is not None:
        items = items.filter(acknowledge_due__lte=until)
    rows = items.values_list(
        "pk",
        "reference",
        "title",
        "acknowledge_due",
        "program__province_id",
        "program__standing_agency_id",
        "program__standing_agency__name",
    )
    for pk, reference, title, due, province, standing, standing_name in rows.iterator(chunk_size=2000):
        yield Obligation(
            key=f"submissions.acknowledge:{pk}",
            what=_("Báo đã tiếp nhận %(ref)s cho đơn vị gửi") % {"ref": reference},
            title=title,
            deadline=due,
            url=reverse("submissions:detail", args=[pk]),
            responsible=standing_name or "",
            agencies=(standing,) if standing else (),
            province_id=province,
        )
