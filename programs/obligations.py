"""The programs app's obligations for the reminder sweep: roadmap tasks not done, owed by
their agency or committee member, escalated to the program's standing agency."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
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


def unconfirmed_delegates(until: datetime.date | None):
    """One obligation per commune whose seats are not all confirmed (a seat nobody fills, or
    whose delegate has neither confirmed nor sent apologies) while the program's confirmation
    deadline (`Program.delegates_confirm_by`) is on or before `until`; programs without that
    deadline, or already held, owe nothing. Owed by the commune (its leaders), escalated to the
    program's standing agency. Two queries."""
    from django.db.models import Q

    from .models import Program, Seat

    programs = Program.objects.filter(
        delegates_confirm_by__isnull=False,
        status__in=[Program.Status.PLANNING, Program.Status.PREPARING],
        end_date__gte=timezone.localdate(),
    )
    if until is not None:
        programs = programs.filter(delegates_confirm_by__lte=until)
    pending = (
        Seat.objects.filter(program__in=programs)
        .filter(Q(delegate__isnull=True) | Q(delegate__status="expected"))
        .values_list(
            "program_id",
            "program__title",
            "program__delegates_confirm_by",
            "program__province_id",
            "program__standing_agency_id",
            "commune_id",
            "commune__kind",
            "commune__name",
        )
        .order_by("program_id", "commune_id")
        .distinct()
    )
    prefix = reverse("programs:commune_delegates", kwargs={"pk": 0}).replace("/0/", "/{}/", 1)
    for program_id, program, deadline, province, standing, commune, kind, name in pending.iterator(chunk_size=2000):
        yield _delegates_obligation(prefix, program_id, program, deadline, province, standing, commune, kind, name)


def _delegates_obligation(prefix, program_id, program, deadline, province, standing, commune, kind, name):
    from directory.models import AdminUnit
    from notifications.obligations import Obligation

    commune_name = AdminUnit.label(kind, name)
    return Obligation(
        key=f"programs.delegates:{program_id}:{commune}",
        what=_("Xác nhận đại biểu dự “%(program)s”") % {"program": program},
        title=_("Xác nhận danh sách đại biểu của %(commune)s") % {"commune": commune_name},
        deadline=deadline,
        url=f"{prefix.format(program_id)}?commune={commune}",
        responsible=commune_name,
        units=(commune,),
        escalate_to=(standing,) if standing else (),
        province_id=province,
    )
