"""What the dashboards count and the lists their numbers open, defined once: the items and
assignments of a province (or one program) that a user may see, and the filters of the two
drill-down lists. A dashboard counts a set with these functions and links to the list built by
the same functions with the same filters, so the number and the list's length agree.

- `items_in(user, province_id, program_id)`: questions, proposals and recommendations that count
  (sent, neither withdrawn nor merged into another: `submissions.queries.listed_items`);
- `filter_items(items, filters)`: the drill-down list's filters (the triage list's, plus the
  stage of an item and "answered" / "open" against the deadline);
- `assignments_in(user, province_id, program_id)`: assignments of issued notices;
- `filter_assignments(rows, filters)`: lead agency, notice and state ("open" = either open state).
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conclusions.models import Assignment, ConclusionNotice
from conclusions.rules import assignments_for
from conclusions.status import AssignmentState, state_q
from directory.models import AdminUnit, Agency
from submissions.deadlines import DeadlineState
from submissions.models import Submission, SubmissionOrigin
from submissions.queries import ANSWERED, NO_DEADLINE, filter_triage, listed_items
from submissions.rules import submissions_for

S = Submission.Status

# Where an item is in its life, in three steps a leader reads at a glance.
STAGES = {
    "waiting": [S.SUBMITTED, S.CLASSIFIED, S.RETURNED],
    "routed": [S.ROUTED],
    "answered": ANSWERED,
}
STAGE_LABELS = {
    "waiting": _("Chờ phân loại, giao trả lời"),
    "routed": _("Đã giao, chờ trả lời"),
    "answered": _("Đã trả lời"),
}
STAGE_OF = {status: stage for stage, statuses in STAGES.items() for status in statuses}
# Not yet answered: waiting or routed (the grid's "unresolved").
UNRESOLVED = "unresolved"
STAGE_CHOICES = [*STAGE_LABELS.items(), (UNRESOLVED, _("Chưa trả lời"))]

# The deadline filter: the four states, items not routed, and the two halves.
ANSWERED_ANY = "answered"
OPEN_ANY = "open"
ROUTED_ANY = "routed"
DEADLINE_CHOICES = [
    *DeadlineState.choices,
    (ROUTED_ANY, _("Đã giao cơ quan trả lời")),
    (ANSWERED_ANY, _("Đã trả lời (đúng hạn và trễ hạn)")),
    (OPEN_ANY, _("Chưa trả lời (trong hạn và quá hạn)")),
    (NO_DEADLINE, _("Chưa giao cơ quan trả lời")),
]
ANSWERED_STATES = {DeadlineState.ANSWERED_ON_TIME, DeadlineState.ANSWERED_LATE}
OPEN_STATES = {DeadlineState.OPEN_WITHIN, DeadlineState.OPEN_OVERDUE}

# The assignment state filter: the states, and both open ones, both done ones.
OPEN_ASSIGNMENTS = "open"
DONE_ASSIGNMENTS = "done"
ASSIGNMENT_STATE_CHOICES = [
    *[(value, label) for value, label in AssignmentState.choices if value != AssignmentState.NOT_STARTED],
    (OPEN_ASSIGNMENTS, _("Chưa hoàn thành (trong hạn và quá hạn)")),
    (DONE_ASSIGNMENTS, _("Đã hoàn thành (đúng hạn và trễ hạn)")),
]


def program_label(program) -> str:
    """A program as tables name it, short and telling programs apart: "Năm 2023, lần 2 – Người
    đứng đầu cấp ủy, chính quyền cấp xã" (the full title is long and starts alike for all)."""
    return _("Năm %(year)s, lần %(edition)s – %(audience)s") % {
        "year": program.start_date.year,
        "edition": program.edition,
        "audience": program.get_audience_display(),
    }


def agency_names(province_id: int, also=()) -> dict[int, str]:
    """{id: name} of the province's agencies and of any other named in `also`: always one query
    (a filter on an empty id list would skip it, and a page's query count would vary)."""
    return dict(Agency.objects.filter(Q(province_id=province_id) | Q(pk__in=list(also))).values_list("pk", "name"))


def drill_url(name: str, **params) -> str:
    """The link from a number to the list behind it: `dashboards:<name>` with the filters given
    (empty ones left out), in a stable order."""
    query = urlencode(sorted((key, value) for key, value in params.items() if value not in (None, "")))
    return reverse(f"dashboards:{name}") + (f"?{query}" if query else "")


# --- questions, proposals and recommendations --------------------------------------------------


def items_in(user, province_id: int, program_id: int | None = None) -> QuerySet[Submission]:
    """The items of the province's programs (or of one) that count and that `user` may see."""
    items = listed_items(submissions_for(user)).filter(program__province_id=province_id)
    if program_id:
        items = items.filter(program_id=program_id)
    return items


# Items not yet classified: without a field, or without a topic group.
MISSING_CHOICES = [("field", _("Chưa xác định lĩnh vực")), ("topic_group", _("Chưa xếp nhóm vấn đề"))]


def filter_items(items: QuerySet[Submission], filters: dict, today: datetime.date | None = None):
    """The drill-down list's filters: those of the triage list (`filter_triage`: classification,
    origin commune or district, current lead agency, deadline state), the item's stage, and
    "answered" / "open" for either state of each half."""
    today = today or timezone.localdate()
    deadline = filters.get("deadline")
    triage_filters = {key: value for key, value in filters.items() if key not in ("deadline", "commune", "missing")}
    if filters.get("missing") in ("field", "topic_group"):
        items = items.filter(**{f"{filters['missing']}__isnull": True})
    if deadline not in (ANSWERED_ANY, OPEN_ANY, ROUTED_ANY):
        triage_filters["deadline"] = deadline
    if filters.get("commune"):
        # Raised by the commune, or by a unit it absorbed in 2025 (its items are the commune's now).
        origins = SubmissionOrigin.objects.filter(
            submission=OuterRef("pk"), commune_id__in=commune_units(filters["commune"])
        )
        items = items.filter(Exists(origins))
    items = filter_triage(items, triage_filters, today)
    stage = filters.get("stage")
    if stage == UNRESOLVED:
        items = items.exclude(status__in=STAGES["answered"])
    elif stage:
        items = items.filter(status__in=STAGES[stage])
    if deadline == ANSWERED_ANY:
        items = items.filter(current_deadline__isnull=False, first_answer_at__isnull=False)
    elif deadline == OPEN_ANY:
        items = items.filter(current_deadline__isnull=False, first_answer_at__isnull=True)
    elif deadline == ROUTED_ANY:
        items = items.filter(current_deadline__isnull=False)
    return items


def commune_units(commune_id: int) -> list[int]:
    """The commune and, for a commune of today, the units it absorbed in the 2025 merger."""
    return [commune_id, *AdminUnit.objects.filter(successor_id=commune_id).values_list("pk", flat=True)]


# --- assignments of notices of conclusions -----------------------------------------------------


def assignments_in(user, province_id: int, program_id: int | None = None) -> QuerySet[Assignment]:
    """Assignments of the issued notices (in force) of the province's programs, or of one."""
    rows = assignments_for(user).filter(
        notice__status=ConclusionNotice.Status.ISSUED, notice__program__province_id=province_id
    )
    if program_id:
        rows = rows.filter(notice__program_id=program_id)
    return rows


def assignment_state_filter(state: str, today: datetime.date) -> Q:
    if state == OPEN_ASSIGNMENTS:
        return Q(next_due_on__isnull=False)
    if state == DONE_ASSIGNMENTS:
        return Q(next_due_on__isnull=True, completed_on__isnull=False)
    return state_q(state, today)


def filter_assignments(rows: QuerySet[Assignment], filters: dict, today: datetime.date | None = None):
    today = today or timezone.localdate()
    if filters.get("agency"):
        rows = rows.filter(lead_agency_id=filters["agency"])
    if filters.get("notice"):
        rows = rows.filter(notice_id=filters["notice"])
    if filters.get("state"):
        rows = rows.filter(assignment_state_filter(filters["state"], today))
    return rows
