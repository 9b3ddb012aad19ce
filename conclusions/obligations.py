"""The conclusions app's obligations for the reminder sweep: each open due of an assignment
of an issued notice (a deadline, or a cycle's report), owed by the lead agency and escalated
to the program's standing agency."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from .models import ConclusionNotice, Due


def open_dues(until: datetime.date | None):
    from notifications.obligations import Obligation

    dues = Due.objects.filter(done_on__isnull=True, assignment__notice__status=ConclusionNotice.Status.ISSUED)
    if until is not None:
        dues = dues.filter(due_on__lte=until)
    rows = dues.values_list(
        "pk",
        "label",
        "due_on",
        "assignment_id",
        "assignment__text",
        "assignment__lead_agency_id",
        "assignment__lead_agency__name",
        "assignment__notice__sequence",
        "assignment__notice__doc_type",
        "assignment__notice__issuer_code",
        "assignment__notice__program__province_id",
        "assignment__notice__program__standing_agency_id",
    )
    for pk, label, due_on, assignment, text, agency, agency_name, seq, doc, issuer, province, standing in rows.iterator(
        chunk_size=2000
    ):
        yield Obligation(
            key=f"conclusions.due:{pk}",
            what=_("Nhiệm vụ theo Thông báo %(number)s (%(due)s)") % {"number": f"{seq}-{doc}/{issuer}", "due": label},
            title=text[:300],
            deadline=due_on,
            url=reverse("conclusions:assignment_detail", kwargs={"assignment_pk": assignment}),
            responsible=agency_name,
            agencies=(agency,),
            escalate_to=(standing,) if standing and standing != agency else (),
            province_id=province,
        )
