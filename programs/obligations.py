"""The programs app's obligations for the reminder sweep: roadmap tasks not done, owed by
their agency or committee member, escalated to the program's standing agency."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from .models import RoadmapTask


def roadmap_tasks(until: datetime.date | None):
    tasks = RoadmapTask.objects.open()
    if until is not None:
        tasks = tasks.filter(due_date__lte=until)
    rows = tasks.values_list(
        "pk",
        "title",
        "due_date",
        "program_id",
        "program__title",
        "program__province_id",
        "program__standing_agency_id",
        "assignee_agency_id",
        "assignee_agency__name",
        "assignee_member__user_id",
        "assignee_member__full_name",
    )
    for pk, title, due, program_id, program, province, standing, agency, agency_name, user, member in rows.iterator(
        chunk_size=2000
    ):
        yield _obligation(pk, title, due, program_id, program, province, standing, agency, agency_name, user, member)


def _obligation(pk, title, due, program_id, program, province, standing, agency, agency_name, user, member):
    from notifications.obligations import Obligation

    return Obligation(
        key=f"programs.task:{pk}",
        what=_("Nhiệm vụ chuẩn bị “%(program)s”") % {"program": program},
        title=title,
        deadline=due,
        url=reverse("programs:task_detail", kwargs={"pk": program_id, "task_pk": pk}),
        responsible=agency_name or member or "",
        agencies=(agency,) if agency else (),
        users=(user,) if user else (),
        escalate_to=(standing,) if standing and standing != agency else (),
        province_id=province,
    )
