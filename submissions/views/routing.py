"""Routing an item to the agencies that answer it, and what follows from it: the route form
(its own page, and loaded by htmx into the item page's routing panel), the receipt notice to
the commune (Quy định 11-QĐi/TW: within 10 working days), the lead agency's request to be
relieved of an item outside its competence and the organizers' decision on it, and the
agency officer's to-do list.

Items come through `get_submission`, so another commune's, agency's or province's item is a
404; actions are checked with `submissions.triage` (organizers) and
`submissions.request_reassignment` (the lead agency's officer).

The to-do list has a place for other apps' work: a higher app (conclusions, with its
assignments) calls `register_todo_section` from its `AppConfig.ready()`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BooleanField, Case, F, OuterRef, Q, Subquery, Value, When
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from directory.models import Role
from directory.permissions import can, require, role_of
from directory.views import paginate

from .. import workflow
from ..deadlines import DeadlineState, deadline_state
from ..models import Answer, Routing, Submission
from ..routing_forms import AgencyTodoFilterForm, DecideReassignmentForm, RouteForm, deadline_preview
from ..rules import submissions_for
from .common import get_submission

OPEN = [Routing.Status.ACTIVE, Routing.Status.REASSIGN_REQUESTED]


def _date(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _item_page(item: Submission) -> str:
    return reverse("submissions:detail", args=[item.pk])


def _done(request, item: Submission):
    """After a change: back to the item page (htmx asks the browser to go there)."""
    if request.htmx:
        return HttpResponseClientRedirect(_item_page(item))
    return redirect(_item_page(item))


def _open_routing(item: Submission) -> Routing | None:
    return (
        item.routings.filter(status__in=OPEN)
        .select_related("lead_agency", "routed_by")
        .prefetch_related("coordinating_agencies")
        .first()
    )


def _trail(item: Submission) -> list[Routing]:
    return list(item.routings.select_related("lead_agency", "routed_by").prefetch_related("coordinating_agencies"))


# --- route ---------------------------------------------------------------------------------------


@login_required
def route(request, pk: int):
    """Organizers assign the lead agency, coordinating agencies and the deadline. GET by htmx
    gives the form alone (the item page's routing panel loads it)."""
    item = get_submission(request, pk)
    require(request.user, "submissions.triage", item.program)
    routable = item.status in workflow.ALLOWED_FROM["route"]
    form = RouteForm(request.POST or None, program=item.program)
    if request.method == "POST" and routable and form.is_valid():
        data = form.cleaned_data
        try:
            routing = workflow.route(
                item,
                lead_agency=data["lead_agency"],
                coordinating=list(data["coordinating"]),
                deadline=data["deadline"],
                working_days=data["working_days"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Đã giao %(ref)s cho %(agency)s, hạn trả lời %(date)s.")
                % {"ref": item.reference, "agency": routing.lead_agency.name, "date": _date(routing.deadline)},
            )
            return _done(request, item)
    elif request.method == "POST" and not routable:
        messages.error(request, _workflow_refusal(item))
        return _done(request, item)
    context = {
        "item": item,
        "title": _("Giao cơ quan trả lời"),
        "form": form,
        "routable": routable,
        "deadline_dates": deadline_preview(),
        "routings": _trail(item),
    }
    if request.htmx:
        return render(request, "submissions/routing_form.html", context)
    return render(request, "submissions/routing_page.html", context)


def _workflow_refusal(item: Submission) -> str:
    return _("Không thể thực hiện thao tác này khi nội dung đang ở trạng thái “%(status)s”.") % {
        "status": item.get_status_display()
    }


@login_required
@require_POST
def acknowledge(request, pk: int):
    """Record that the commune was told the item was received and where it goes."""
    item = get_submission(request, pk)
    require(request.user, "submissions.triage", item.program)
    try:
        workflow.acknowledge_receipt(item, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Đã ghi nhận việc thông báo tiếp nhận %(ref)s cho đơn vị gửi.") % {"ref": item.reference}
        )
    return redirect(_item_page(item))


# --- reassignment --------------------------------------------------------------------------------


@login_required
@require_POST
def request_reassign(request, pk: int):
    """The lead agency's officer asks to be relieved of an item outside its competence."""
    item = get_submission(request, pk)
    routing = _open_routing(item)
    if routing is None or not can(request.user, "submissions.request_reassignment", routing):
        raise PermissionDenied
    try:
        workflow.request_reassignment(routing, by=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Đã gửi đề nghị giao lại %(ref)s; Ban tổ chức sẽ xem xét.") % {"ref": item.reference}
        )
    return redirect(_item_page(item))


@login_required
def decide_reassign(request, pk: int):
    """Organizers accept a reassignment request (a new lead, optionally a new deadline) or
    refuse it with a note. GET by htmx gives the form alone, for the routing panel."""
    item = get_submission(request, pk)
    require(request.user, "submissions.triage", item.program)
    routing = _open_routing(item)
    pending = routing is not None and routing.status == Routing.Status.REASSIGN_REQUESTED
    form = (
        DecideReassignmentForm(request.POST or None, program=item.program, current_lead=routing.lead_agency)
        if pending
        else None
    )
    if request.method == "POST":
        if not pending:
            messages.error(request, _("Không có đề nghị giao lại nào đang chờ quyết định."))
            return _done(request, item)
        if form.is_valid():
            data = form.cleaned_data
            accept = data["decision"] == DecideReassignmentForm.ACCEPT
            try:
                result = workflow.decide_reassignment(
                    routing,
                    by=request.user,
                    accept=accept,
                    note=data["note"],
                    new_lead=data["new_lead"] if accept else None,
                    deadline=data["deadline"] if accept else None,
                    working_days=data["working_days"] if accept else None,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if accept:
                    text = _("Đã giao lại %(ref)s cho %(agency)s, hạn trả lời %(date)s.") % {
                        "ref": item.reference,
                        "agency": result.lead_agency.name,
                        "date": _date(result.deadline),
                    }
                else:
                    text = _("Không đồng ý giao lại; %(agency)s tiếp tục trả lời %(ref)s.") % {
                        "ref": item.reference,
                        "agency": routing.lead_agency.name,
                    }
                messages.success(request, text)
                return _done(request, item)
    context = {
        "item": item,
        "title": _("Xem xét đề nghị giao lại"),
        "form": form,
        "routing": routing,
        "pending": pending,
        "deadline_dates": deadline_preview(),
    }
    if request.htmx:
        return render(request, "submissions/routing_decide_form.html", context)
    return render(request, "submissions/routing_decide_page.html", context)


# --- the agency's to-do list ---------------------------------------------------------------------


@dataclass
class TodoSection:
    """Another app's part of the to-do list: a heading and a template rendered with `context`."""

    title: str
    template: str
    context: dict = field(default_factory=dict)


TodoProvider = Callable[[HttpRequest], "TodoSection | None"]
_TODO_SECTIONS: list[TodoProvider] = []


def register_todo_section(provider: TodoProvider) -> None:
    """Add a section to the agency's to-do list (the conclusions app: its assignments).
    `provider(request)` returns a `TodoSection`, or None when it has nothing to show."""
    if provider not in _TODO_SECTIONS:
        _TODO_SECTIONS.append(provider)


def agency_routings(user):
    """The routings of the user's agency, as lead or coordinating (not those taken from it by
    a reassignment), annotated with what the list shows: whether the agency still has to act,
    the latest answer's status, and the date the item was answered. One query, any length."""
    agency = user.agency_id
    coordinating = Routing.coordinating_agencies.through.objects.filter(agency_id=agency).values("routing_id")
    answers = Answer.objects.filter(submission=OuterRef("submission_id"))
    latest_answer = answers.filter(agency_id=agency).order_by("-created_at", "-id").values("status")[:1]
    answered = (
        answers.filter(status__in=[Answer.Status.SUBMITTED, Answer.Status.PUBLISHED])
        .order_by("submitted_at")
        .values("submitted_at")[:1]
    )
    rows = (
        Routing.objects.filter(Q(lead_agency_id=agency) | Q(pk__in=coordinating))
        .exclude(status=Routing.Status.REASSIGNED)
        .filter(submission__in=submissions_for(user).values("pk"))
        .exclude(submission__status__in=[Submission.Status.MERGED, Submission.Status.WITHDRAWN])
        .annotate(
            answer_status=Subquery(latest_answer),
            answered_at=Subquery(answered),
        )
        .annotate(
            needs_action=Case(
                When(Q(status__in=OPEN) & Q(answered_at__isnull=True), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            waiting=Case(
                When(Q(status__in=OPEN) & Q(answered_at__isnull=False), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
    )
    return rows


def _filter_todo(rows, choice: str, today: datetime.date):
    F_ = AgencyTodoFilterForm
    if choice == F_.NEEDS_ACTION:
        return rows.filter(needs_action=True)
    if choice == F_.OVERDUE:
        return rows.filter(needs_action=True, deadline__lt=today)
    if choice == F_.WAITING:
        return rows.filter(waiting=True)
    if choice == F_.DONE:
        return rows.exclude(status__in=OPEN)
    return rows


def _describe(row: Routing, agency_id: int, today: datetime.date) -> None:
    """What one row shows, computed from the loaded values (no query)."""
    answered_on = timezone.localdate(row.answered_at) if row.answered_at else None
    row.state = deadline_state(row.deadline, answered_on, today)
    row.is_lead = row.lead_agency_id == agency_id
    if row.state == DeadlineState.OPEN_WITHIN:
        row.days = (row.deadline - today).days
    elif row.state == DeadlineState.OPEN_OVERDUE:
        row.days = (today - row.deadline).days
    elif row.state == DeadlineState.ANSWERED_LATE:
        row.days = (answered_on - row.deadline).days
    else:
        row.days = None
    row.answered_on = answered_on
    row.can_answer = row.is_lead and row.needs_action and row.submission.status in workflow.ALLOWED_FROM["answer"]


def _counts(rows, today: datetime.date) -> dict[str, int]:
    """How many rows in each part of the list, from one narrow query."""
    counts = {"needs_action": 0, "overdue": 0, "waiting": 0, "done": 0}
    for needs_action, waiting, deadline in rows.values_list("needs_action", "waiting", "deadline"):
        if needs_action:
            counts["needs_action"] += 1
            counts["overdue"] += deadline < today
        elif waiting:
            counts["waiting"] += 1
        else:
            counts["done"] += 1
    return counts


@login_required
def agency_todo(request):
    """The agency officer's list of items routed to the agency: those still to answer first,
    the most overdue first; then those waiting for the organizers; then the answered ones."""
    user = request.user
    if role_of(user) != Role.AGENCY_OFFICER or not user.agency_id:
        raise PermissionDenied
    today = timezone.localdate()
    form = AgencyTodoFilterForm(request.GET or None)
    choice = form.cleaned_data["hien_thi"] if form.is_valid() else ""
    base = agency_routings(user)
    counts = _counts(base, today)
    rows = (
        _filter_todo(base, choice, today)
        .select_related("submission", "submission__program", "submission__commune", "lead_agency")
        .annotate(open_deadline=Case(When(needs_action=True, then=F("deadline")), default=None))
        .order_by("-needs_action", "-waiting", F("open_deadline").asc(nulls_last=True), "-deadline", "-id")
    )
    page = paginate(request, rows)
    for row in page:
        _describe(row, user.agency_id, today)
    sections = [section for provider in _TODO_SECTIONS if (section := provider(request)) is not None]
    context = {
        "title": _("Việc cần trả lời của %(agency)s") % {"agency": user.agency.name},
        "form": form,
        "page": page,
        "counts": counts,
        "choice": choice,
        "today": today,
        "sections": sections,
    }
    return render(request, "submissions/agency_todo.html", context)


urlpatterns = [
    path("cau-hoi/<int:pk>/giao-tra-loi/", route, name="route"),
    path("cau-hoi/<int:pk>/bao-tiep-nhan/", acknowledge, name="acknowledge"),
    path("cau-hoi/<int:pk>/de-nghi-giao-lai/", request_reassign, name="request_reassign"),
    path("cau-hoi/<int:pk>/quyet-dinh-giao-lai/", decide_reassign, name="decide_reassign"),
    path("co-quan/viec-can-tra-loi/", agency_todo, name="agency_todo"),
]
