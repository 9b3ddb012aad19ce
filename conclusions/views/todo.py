"""The agency's assignments as a section of its to-do list (`submissions:agency_todo`): the
assignments of notices in force that the officer's agency leads or coordinates, open ones
first (the overdue first), each with its next date and its state. Plugged in through
`submissions.views.routing.register_todo_section` (see `conclusions.registry`); a fixed number
of queries whatever the number of assignments."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Role
from directory.permissions import role_of
from submissions.views.routing import TodoSection

from .. import queries
from ..status import BADGE, AssignmentState, days_late

PAGE_SIZE = 20
# Its own page parameter: the submissions list above uses `page`.
PAGE_PARAM = "trang_nhiem_vu"
STATES = dict(AssignmentState.choices)


def todo_section(request) -> TodoSection | None:
    """The section for an agency officer, None for everyone else."""
    user = request.user
    if role_of(user) != Role.AGENCY_OFFICER or not user.agency_id:
        return None
    today = timezone.localdate()
    rows = queries.agency_assignments(user, today)
    counts = queries.todo_counts(rows, today)
    page = Paginator(rows.select_related("notice", "lead_agency"), PAGE_SIZE).get_page(request.GET.get(PAGE_PARAM))
    prefix = reverse("conclusions:assignment_detail", kwargs={"assignment_pk": 0}).removesuffix("0/")
    for row in page:
        row.state_label = STATES.get(row.state, "")
        row.badge = BADGE.get(row.state, "secondary")
        row.days_late = days_late(row, today)
        row.days_left = (row.next_due_on - today).days if row.next_due_on and row.next_due_on >= today else None
        row.is_lead = row.lead_agency_id == user.agency_id
        row.url = f"{prefix}{row.pk}/"
        row.can_report = row.is_lead and row.next_due_on is not None
    query = request.GET.copy()
    query.pop(PAGE_PARAM, None)
    base = query.urlencode()
    return TodoSection(
        title=_("Nhiệm vụ được giao theo thông báo kết luận"),
        template="conclusions/todo_section.html",
        context={
            "page": page,
            "counts": counts,
            "page_param": PAGE_PARAM,
            "page_query": f"{base}&" if base else "",
        },
    )
