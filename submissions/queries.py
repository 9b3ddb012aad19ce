"""Reads shared by the submission pages, written so a page's query count does not grow with
its rows (select_related and correlated subqueries, never a query per row).

Triage (the organizers' list of a program's items) comes first; other lists follow below.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogue.text import search_terms
from directory.models import AdminUnit
from programs.models import Program

from .deadlines import DeadlineState, with_deadlines
from .models import Answer, Routing, Submission, SubmissionOrigin

S = Submission.Status

# Not counted as items of a program: drafts (the communes' own business), withdrawn items, and
# items merged into another (their communes are named on the item they were merged into). The
# official list, the answers compendium and the dashboards count the same items.
NOT_LISTED = [S.DRAFT, S.WITHDRAWN, S.MERGED]
# Items that have an answer (in writing or on the spot), published or not yet.
ANSWERED = [S.ANSWERED, S.PUBLISHED, S.CLOSED]


def listed_items(items: QuerySet[Submission]) -> QuerySet[Submission]:
    """The items among `items` that count: sent, neither withdrawn nor merged into another."""
    return items.exclude(status__in=NOT_LISTED)


# --- triage ----------------------------------------------------------------------------------

# The deadline filter: the four states of Vietnamese task tracking, and items not yet routed.
NO_DEADLINE = "no_deadline"
DEADLINE_FILTERS = [*DeadlineState.choices, (NO_DEADLINE, _("Chưa giao cơ quan trả lời"))]


def count_of(related: QuerySet) -> Subquery:
    """A correlated COUNT: no GROUP BY over the whole list, so the paginator's count and the
    page query stay cheap on tens of thousands of rows."""
    counted = related.order_by().annotate(n=Func("pk", function="COUNT")).values("n")
    return Subquery(counted, output_field=IntegerField())


def _current_routings() -> QuerySet[Routing]:
    """Routings that count for the deadline: every one but those handed over to another agency."""
    return Routing.objects.exclude(status=Routing.Status.REASSIGNED)


def triage_items(program: Program, items: QuerySet[Submission]) -> QuerySet[Submission]:
    """The program's sent items among `items` (the user's scope); drafts are the communes' own
    business. "Sent" is said as "numbered": `workflow.submit` numbers an item as it leaves the
    draft status, nothing sends it back there, and the check constraint makes every other
    status numbered. Said so, PostgreSQL walks the partial (program, number) index in order for
    the page and counts from the index alone, instead of reading the whole program."""
    return items.filter(program=program, number__isnull=False)


def filter_triage(items: QuerySet[Submission], filters: dict, today: datetime.date | None = None):
    """Apply the valid filters of the triage list (`TriageFilterForm.cleaned_data`: district,
    commune and agency are ids)."""
    today = today or timezone.localdate()
    for term in search_terms(filters.get("q")):
        # LIKE '%term%' on the accent-free text: the GIN trigram index serves it on PostgreSQL.
        items = items.filter(search_text__contains=term)
    for name in ("field", "topic_group", "kind", "status", "answer_mode"):
        if filters.get(name):
            items = items.filter(**{name: filters[name]})
    # Communes and districts: any origin counts, so a merged item is found from every commune.
    if filters.get("commune"):
        items = items.filter(
            Exists(SubmissionOrigin.objects.filter(submission=OuterRef("pk"), commune=filters["commune"]))
        )
    if filters.get("district"):
        items = items.filter(
            Exists(SubmissionOrigin.objects.filter(submission=OuterRef("pk"), commune__parent=filters["district"]))
        )
    if filters.get("ack_overdue"):
        items = items.filter(acknowledged_at__isnull=True, acknowledge_due__lt=today)
    agency = filters.get("agency")
    deadline = filters.get("deadline")
    if agency or (deadline and deadline != NO_DEADLINE):
        # Cheap necessary conditions first (semi-joins on indexed columns), so the exact test on
        # the current routing and the first answer below runs on few rows, not on the whole
        # program; they also keep PostgreSQL's cost estimate low (no JIT compilation).
        routed = _current_routings()
        if agency:
            routed = routed.filter(lead_agency=agency)
        if deadline == DeadlineState.OPEN_WITHIN:
            routed = routed.filter(deadline__gte=today)
        elif deadline == DeadlineState.OPEN_OVERDUE:
            routed = routed.filter(deadline__lt=today)
        items = items.filter(pk__in=routed.values("submission_id"))
        if deadline in (DeadlineState.ANSWERED_ON_TIME, DeadlineState.ANSWERED_LATE):
            answered = Answer.objects.filter(submitted_at__isnull=False)
            items = items.filter(pk__in=answered.values("submission_id"))
    items = with_deadlines(items)
    if agency:
        items = items.filter(current_lead_id=agency)
    if deadline == NO_DEADLINE:
        items = items.filter(current_deadline__isnull=True)
    elif deadline in (DeadlineState.OPEN_WITHIN, DeadlineState.OPEN_OVERDUE):
        items = items.filter(first_answer_at__isnull=True)
        if deadline == DeadlineState.OPEN_WITHIN:
            items = items.filter(current_deadline__gte=today)
        else:
            items = items.filter(current_deadline__lt=today)
    elif deadline in (DeadlineState.ANSWERED_ON_TIME, DeadlineState.ANSWERED_LATE):
        # Compared as the local calendar day, as `deadlines.deadline_state` does.
        items = items.annotate(answered_on=TruncDate("first_answer_at")).filter(first_answer_at__isnull=False)
        if deadline == DeadlineState.ANSWERED_ON_TIME:
            items = items.filter(answered_on__lte=F("current_deadline"))
        else:
            items = items.filter(answered_on__gt=F("current_deadline"))
    return items


def page_rows(ids: list[int]) -> list[Submission]:
    """The rows of one page, by id, with their columns (`with_triage_columns`), in the order
    given. The page's ids are found first without the columns: PostgreSQL computes a row's
    subqueries before OFFSET drops it, so page 150 would compute them 7,500 times."""
    loaded = with_triage_columns(Submission.objects.filter(pk__in=ids)).in_bulk()
    return [loaded[pk] for pk in ids if pk in loaded]


def with_triage_columns(items: QuerySet[Submission]) -> QuerySet[Submission]:
    """What each row of the triage list shows, in the page's one query: classification, the
    sending commune and its district, how many communes raised it, the current lead agency's
    name, the deadline and the first answer (see `deadlines.with_deadlines`)."""
    if "current_deadline" not in items.query.annotations:
        items = with_deadlines(items)
    lead_name = (
        _current_routings()
        .filter(submission=OuterRef("pk"))
        .order_by("-routed_at", "-id")
        .values("lead_agency__name")[:1]
    )
    return (
        items.select_related("field", "topic_group", "commune", "commune__parent")
        .annotate(
            origin_count=count_of(SubmissionOrigin.objects.filter(submission=OuterRef("pk"))),
            current_lead_name=Subquery(lead_name),
        )
        .order_by("number")
    )


def area_units(program: Program) -> tuple[QuerySet[AdminUnit], QuerySet[AdminUnit]]:
    """(districts, communes) of the program's area as they were when it ran: the choices of
    the triage filters. A district's program has its own district and its communes."""
    units = AdminUnit.objects.valid_on(program.start_date)
    area = program.area_id
    if program.area.level == AdminUnit.Level.DISTRICT:
        districts = units.filter(pk=area)
        communes = units.filter(level=AdminUnit.Level.COMMUNE, parent_id=area)
    else:
        districts = units.filter(level=AdminUnit.Level.DISTRICT, parent_id=area)
        # Under a district of the province, or (after 2025) directly under the province; the
        # districts as a subquery keep this on the (parent, valid_to) index, without a join.
        communes = units.filter(
            Q(parent_id=area) | Q(parent_id__in=districts.values("pk")), level=AdminUnit.Level.COMMUNE
        )
    return districts.order_by("name"), communes.select_related("parent").order_by("parent__name", "name")
