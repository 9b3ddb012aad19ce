"""Reads shared by the follow-up pages, written so a page's query count does not grow with its
rows and a notice of 20,000 assignments still answers quickly: filters and order run in SQL on
the columns the workflow keeps (`next_due_on`, `completed_on`, `late_dues`, see `status.py`),
the page's ids are found first, and only those 50 rows get their columns (last report,
coordinating agencies).

- `followup_rows(notice, user, filters)`: the organizers' list of a notice's assignments,
  overdue first, then by the next date owed.
- `state_counts(rows)`: how many of them stand in each state, in one query.
- `page_rows(ids)`: the columns of one page of that list.
- `agency_assignments(user)`: an agency officer's assignments (lead or coordinating) for the
  to-do list, open ones first.
- `assignment_page(...)` helpers: what an assignment's page shows, in a fixed number of queries.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from dialogue.text import search_terms
from submissions.deadlines import state_of as submission_state_of
from submissions.deadlines import with_deadlines
from submissions.rules import submissions_for

from .models import Assignment, ConclusionNotice, Due, Evidence, Extension, ProgressReport, SupervisionRemark
from .rules import assignments_for
from .status import AssignmentState, state_q, with_state

PAGE_SIZE = 50


# --- accent-free search in SQL -------------------------------------------------------------------


def search_assignments(rows: QuerySet[Assignment], query: str | None) -> QuerySet[Assignment]:
    """Assignments whose text, product or lead agency holds every word of `query`, with or
    without diacritics ("duong lien xa" finds "đường liên xã"): a match on the folded
    `search_text` column, served by its trigram index on PostgreSQL."""
    for term in search_terms(query):
        rows = rows.filter(search_text__contains=term)
    return rows


# --- the organizers' follow-up list --------------------------------------------------------------


def notice_assignments(notice: ConclusionNotice, user) -> QuerySet[Assignment]:
    """The notice's assignments the user may follow (all of them, for those who may open the
    follow-up page)."""
    return assignments_for(user).filter(notice=notice)


def filter_assignments(
    rows: QuerySet[Assignment], filters: dict, today: datetime.date, *, with_state_filter: bool = True
) -> QuerySet[Assignment]:
    """Apply the valid filters of the follow-up list (`FollowupFilterForm.cleaned_data`)."""
    rows = search_assignments(rows, filters.get("q"))
    if filters.get("agency"):
        rows = rows.filter(lead_agency_id=filters["agency"])
    if filters.get("output"):
        rows = rows.filter(output=filters["output"])
    if filters.get("key_task"):
        rows = rows.filter(key_task_id=filters["key_task"])
    if with_state_filter and filters.get("state"):
        rows = rows.filter(state_q(filters["state"], today))
    return rows


def order_overdue_first(rows: QuerySet[Assignment], today: datetime.date) -> QuerySet[Assignment]:
    """Overdue first (the oldest date first), then open ones by their next date, then done
    ones (late before on time), then the rest. Open assignments sort by `next_due_on` alone —
    an overdue one's date is before any open one's — so PostgreSQL reads the page in the
    order of the (notice, next_due_on) index."""
    return with_state(rows, today).order_by(F("next_due_on").asc(nulls_last=True), "state_rank", "order", "id")


def followup_rows(
    notice: ConclusionNotice, user, filters: dict | None = None, today: datetime.date | None = None
) -> QuerySet[Assignment]:
    """The notice's assignments for the follow-up list and its export: filtered, annotated
    with `state`/`state_rank`, overdue first."""
    today = today or timezone.localdate()
    rows = filter_assignments(notice_assignments(notice, user), filters or {}, today)
    return order_overdue_first(rows, today)


def state_counts(rows: QuerySet[Assignment], today: datetime.date | None = None) -> dict[str, int]:
    """{state: number of rows} in one aggregate query (every state present, zeros included)."""
    today = today or timezone.localdate()
    aggregates = {state: Count("pk", filter=state_q(state, today)) for state in AssignmentState.values}
    return rows.order_by().aggregate(**aggregates)


def _last_report() -> QuerySet[ProgressReport]:
    return ProgressReport.objects.filter(assignment=OuterRef("pk")).order_by("-reported_at", "-id")


def with_last_report(rows: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """When the last progress report was sent and the percent the last one that gave a
    percent said: two correlated subqueries, meant for one page of rows."""
    return rows.annotate(
        last_report_at=Subquery(_last_report().values("reported_at")[:1]),
        last_percent=Subquery(_last_report().filter(percent__isnull=False).values("percent")[:1]),
    )


def page_rows(ids: list[int], today: datetime.date | None = None) -> list[Assignment]:
    """The rows of one page, by id, in the order given, with their state, lead agency, key
    task, last report and coordinating agencies: two queries whatever the page's length."""
    rows = with_last_report(with_state(Assignment.objects.filter(pk__in=ids), today))
    # No ordering: the default one would join the notice and its program for nothing.
    rows = rows.select_related("lead_agency", "key_task").prefetch_related("coordinating_agencies").order_by()
    loaded = rows.in_bulk()
    return [loaded[pk] for pk in ids if pk in loaded]


def lead_agency_choices(notice: ConclusionNotice) -> list[tuple[int, str]]:
    """(id, name) of the agencies leading an assignment of the notice, for the filter."""
    from directory.models import Agency

    leads = Assignment.objects.filter(notice=notice).values("lead_agency_id")
    return list(Agency.objects.filter(pk__in=leads).order_by("name").values_list("pk", "name"))


# --- an agency's assignments (the to-do list) ----------------------------------------------------


def agency_assignments(user, today: datetime.date | None = None) -> QuerySet[Assignment]:
    """The assignments of the officer's agency, as lead or coordinating, of notices in force:
    open ones first (overdue first, the oldest date first), then done ones, the latest first."""
    today = today or timezone.localdate()
    rows = assignments_for(user).filter(notice__status=ConclusionNotice.Status.ISSUED)
    return with_state(rows, today).order_by(
        F("next_due_on").asc(nulls_last=True), F("completed_on").desc(nulls_last=True), "notice_id", "order", "id"
    )


def todo_counts(rows: QuerySet[Assignment], today: datetime.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    return rows.order_by().aggregate(
        open=Count("pk", filter=Q(next_due_on__isnull=False)),
        overdue=Count("pk", filter=state_q(AssignmentState.OPEN_OVERDUE, today)),
        done=Count("pk", filter=Q(next_due_on__isnull=True, completed_on__isnull=False)),
    )


# --- one assignment's page -----------------------------------------------------------------------


def get_assignment_queryset(user) -> QuerySet[Assignment]:
    """The assignments the user may open, with what every follow-up page reads about them."""
    return assignments_for(user).select_related(
        "notice", "notice__program", "notice__program__province", "lead_agency", "key_task"
    )


def dues_of(assignment: Assignment) -> list[Due]:
    """The assignment's dues in date order, each with its pending extension (if any)."""
    dues = list(Due.objects.filter(assignment=assignment).order_by("original_due_on", "id"))
    pending = {
        extension.due_id: extension
        for extension in Extension.objects.filter(due__assignment=assignment, status=Extension.Status.PENDING)
    }
    for due in dues:
        due.pending_extension = pending.get(due.pk)
    return dues


def reports_of(assignment: Assignment) -> list[ProgressReport]:
    return list(
        ProgressReport.objects.filter(assignment=assignment)
        .select_related("due", "reported_by")
        .prefetch_related("evidence")
        .order_by("-reported_at", "-id")
    )


def extensions_of(assignment: Assignment) -> list[Extension]:
    return list(
        Extension.objects.filter(due__assignment=assignment)
        .select_related("due", "requested_by", "decided_by")
        .order_by("-requested_at", "-id")
    )


def remarks_of(assignment: Assignment) -> list[SupervisionRemark]:
    return list(SupervisionRemark.objects.filter(assignment=assignment).select_related("author"))


def linked_submissions(assignment: Assignment, user) -> list:
    """The questions and recommendations the assignment answers that the user may see, each
    with its answer state (`deadline_state`: answered on time, late, open, overdue)."""
    items = with_deadlines(
        submissions_for(user).filter(assignments=assignment).select_related("commune").order_by("number", "id")
    )
    items = list(items)
    for item in items:
        item.deadline_state = submission_state_of(item)
    return items


def coordinating_names(rows: QuerySet[Assignment]) -> dict[int, str]:
    """{assignment id: "Agency A; Agency B"} for every row of `rows`, in one query (the export
    reads thousands of rows; a prefetch per chunk would cost a query each)."""
    through = Assignment.coordinating_agencies.through.objects.filter(assignment_id__in=rows.order_by().values("pk"))
    names: dict[int, list[str]] = {}
    for assignment_id, name in through.order_by("agency__name").values_list("assignment_id", "agency__name"):
        names.setdefault(assignment_id, []).append(name)
    return {assignment_id: "; ".join(agencies) for assignment_id, agencies in names.items()}


def evidence_of(assignment: Assignment) -> QuerySet[Evidence]:
    return Evidence.objects.filter(report__assignment=assignment)
