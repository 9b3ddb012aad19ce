"""Reads shared by the programs pages, with a fixed number of queries whatever the rows."""

from __future__ import annotations

import datetime

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from .models import PlanVersion, Program, RoadmapTask

UPCOMING_DAYS = 14


def program_list(programs: QuerySet[Program], *, query: str = "", status: str = "", year: int | None = None):
    if status:
        programs = programs.filter(status=status)
    if year:
        programs = programs.filter(start_date__year=year)
    for term in query.split():
        programs = programs.filter(Q(title__icontains=term) | Q(theme__icontains=term))
    today = timezone.localdate()
    approved = PlanVersion.objects.filter(plan__program=OuterRef("pk"), status=PlanVersion.Status.APPROVED)
    return (
        programs.select_related("host", "area", "standing_agency")
        .annotate(
            open_tasks=Count("tasks", filter=~Q(tasks__status=RoadmapTask.Status.DONE), distinct=True),
            late_tasks=Count(
                "tasks", filter=~Q(tasks__status=RoadmapTask.Status.DONE) & Q(tasks__due_date__lt=today), distinct=True
            ),
            approved_version=Subquery(approved.values("number")[:1]),
        )
        .order_by("-start_date", "title")
    )


def deadlines(tasks: QuerySet[RoadmapTask], today: datetime.date | None = None) -> dict[str, list[RoadmapTask]]:
    """The program page's "at a glance": open tasks that are late, and those due soon."""
    today = today or timezone.localdate()
    rows = list(
        tasks.open()
        .filter(due_date__lte=today + datetime.timedelta(days=UPCOMING_DAYS))
        .select_related("assignee_agency", "assignee_member")
        .order_by("due_date", "id")
    )
    return {"late": [t for t in rows if t.due_date < today], "upcoming": [t for t in rows if t.due_date >= today]}


def task_counts(tasks: QuerySet[RoadmapTask], today: datetime.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    return tasks.aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(status=RoadmapTask.Status.DONE)),
        late=Count("id", filter=~Q(status=RoadmapTask.Status.DONE) & Q(due_date__lt=today)),
    )
