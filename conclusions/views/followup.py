"""The follow-up of a notice's assignments (theo dõi, đôn đốc): the organizers' list of every
assignment with its state (filters, overdue first, counts per state, Excel export), one
assignment's page (its dues, progress reports with evidence, extension requests and decisions,
supervision remarks, the questions it answers, its history), and the forms that act on it:
the lead agency's progress report and extension request, the organizers' decision on an
extension, the Fatherland Front's supervision remark.

Assignments come through `conclusions.rules.assignments_for` (extensions through
`extensions_for`), notices through `notices_for`, so another agency's or province's object is
a 404; actions are checked with the rules `conclusions.view_followup`, `.report`,
`.request_extension`, `.decide_extension` and `.remark`. Every change goes through
`conclusions.workflow`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogue import excel
from dialogue.uploads import private_file_response
from directory.audit import actions_for
from directory.models import Role
from directory.permissions import can, require, role_of
from programs.views.common import program_context

from .. import exports, queries, workflow
from ..followup_forms import ExtensionDecisionForm, ExtensionRequestForm, FollowupFilterForm, RemarkForm, ReportForm
from ..models import Assignment, ConclusionNotice, Extension
from ..rules import extensions_for, notices_for
from ..schedule import describe
from ..status import BADGE, AssignmentState, days_late, due_state, state_of

TAB = "conclusions:notices"
STATES = dict(AssignmentState.choices)


# --- helpers -------------------------------------------------------------------------------------


def _context(request, program, **extra) -> dict:
    """The program header with its tabs."""
    return program_context(request, program, TAB, **extra)


def _assignment_form_page(request, assignment: Assignment, template: str, **extra):
    """A form about one assignment (report, extension, remark), under the program's header."""
    context = _context(request, assignment.notice.program, assignment=assignment, notice=assignment.notice, **extra)
    return render(request, template, context)


def notice_url(notice: ConclusionNotice) -> str:
    return reverse("conclusions:notice_detail", kwargs={"notice_pk": notice.pk})


def _followup_notice(request, notice_pk: int) -> ConclusionNotice:
    notice = get_object_or_404(
        notices_for(request.user).select_related("program", "program__host", "program__area"), pk=notice_pk
    )
    require(request.user, "conclusions.view_followup", notice.program)
    return notice


def _assignment(request, assignment_pk: int) -> Assignment:
    return get_object_or_404(queries.get_assignment_queryset(request.user), pk=assignment_pk)


def _detail_url(assignment: Assignment) -> str:
    return reverse("conclusions:assignment_detail", kwargs={"assignment_pk": assignment.pk})


def _in_force(request, assignment: Assignment) -> bool:
    """Reports, extensions and remarks concern notices in force only; say so otherwise."""
    if assignment.notice.status == ConclusionNotice.Status.ISSUED:
        return True
    messages.error(request, _("Chỉ theo dõi, báo cáo nhiệm vụ của thông báo đang có hiệu lực."))
    return False


def _add_errors(form, exc: ValidationError) -> None:
    """A workflow refusal on the form: on its field when the form has it, else on top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _describe_row(row: Assignment, today) -> None:
    """What one row of a list shows, from loaded values (no query)."""
    row.state_value = row.state if getattr(row, "state", None) else state_of(row, today)
    row.state_label = STATES.get(row.state_value, "")
    row.badge = BADGE.get(row.state_value, "secondary")
    row.days_late = days_late(row, today)


# --- the organizers' list ------------------------------------------------------------------------


def _filters(request, notice: ConclusionNotice) -> tuple[FollowupFilterForm, dict]:
    """The filter form and its valid values (an invalid one is shown with its error and left out)."""
    form = FollowupFilterForm(request.GET or None, notice=notice)
    filters = {}
    if form.is_bound:
        form.is_valid()
        filters = form.cleaned_data
    return form, filters


def _query_without(request, *names: str) -> str:
    query = request.GET.copy()
    for name in ("page", *names):
        query.pop(name, None)
    for key in [key for key, values in query.lists() if not any(value.strip() for value in values)]:
        del query[key]
    return query.urlencode()


@login_required
def followup(request, notice_pk: int):
    notice = _followup_notice(request, notice_pk)
    today = timezone.localdate()
    form, filters = _filters(request, notice)
    scoped = queries.notice_assignments(notice, request.user)
    unfiltered_state = queries.filter_assignments(scoped, filters, today, with_state_filter=False)
    counts = queries.state_counts(unfiltered_state, today)
    rows = queries.followup_rows(notice, request.user, filters, today)
    # The page's ids first, without the columns; the number of rows is known from the counts
    # per state, so the paginator does not count them again.
    paginator = Paginator(rows.values_list("pk", flat=True), queries.PAGE_SIZE)
    state = filters.get("state")
    paginator.count = counts[state] if state else sum(counts.values())
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = queries.page_rows(list(page.object_list), today)
    outputs = dict(Assignment.Output.choices)
    for row in page:
        _describe_row(row, today)
        row.output_label = outputs.get(row.output, "")
    base = _query_without(request, "state")
    chosen = state or ""
    state_links = [
        {
            "value": state,
            "label": label,
            "count": counts[state],
            "badge": BADGE[state],
            "url": "?" + "&".join(part for part in (base, f"state={state}") if part),
            "active": state == chosen,
        }
        for state, label in AssignmentState.choices
        if counts[state] or state != AssignmentState.NOT_STARTED
    ]
    context = _context(
        request,
        notice.program,
        notice=notice,
        notice_url=notice_url(notice),
        title=_("Theo dõi thực hiện %(notice)s") % {"notice": notice},
        form=form,
        page=page,
        state_links=state_links,
        total=sum(counts.values()),
        filter_query=_query_without(request),
        all_url="?" + base if base else request.path,
        # One reverse() for the whole page rather than one per row: the id is the last segment.
        detail_prefix=reverse("conclusions:assignment_detail", kwargs={"assignment_pk": 0}).removesuffix("0/"),
    )
    return render(request, "conclusions/followup.html", context)


@login_required
def followup_export(request, notice_pk: int):
    """The filtered list as .xlsx, every row (not one page), in the list's order."""
    notice = _followup_notice(request, notice_pk)
    today = timezone.localdate()
    _form, filters = _filters(request, notice)
    rows = queries.followup_rows(notice, request.user, filters, today)
    title = _("Theo dõi thực hiện Thông báo kết luận %(notice)s") % {"notice": notice}
    content = exports.assignments_workbook(rows, title, today)
    filename = _("Theo dõi thực hiện %(notice)s") % {"notice": str(notice).replace("/", "-")}
    return excel.xlsx_response(content, filename)


# --- one assignment ------------------------------------------------------------------------------


def _page(request, assignment: Assignment, **forms) -> dict:
    """Everything an assignment's page shows, in a fixed number of queries."""
    user = request.user
    today = timezone.localdate()
    in_force = assignment.notice.status == ConclusionNotice.Status.ISSUED
    prefetch_related_objects([assignment], "coordinating_agencies")
    _describe_row(assignment, today)
    dues = queries.dues_of(assignment)
    for due in dues:
        due.state_value = due_state(due, today)
        due.state_label = STATES[due.state_value]
        due.badge = BADGE[due.state_value]
    can_report = in_force and can(user, "conclusions.report", assignment)
    can_request = in_force and can(user, "conclusions.request_extension", assignment)
    can_decide = in_force and can(user, "conclusions.decide_extension", assignment)
    can_remark = in_force and can(user, "conclusions.remark", assignment)
    open_dues = [due for due in dues if due.done_on is None]
    report_form = forms.get("report_form")
    if report_form is None and can_report:
        report_form = ReportForm(assignment=assignment, open_dues=workflow.open_dues(assignment))
    extensions = queries.extensions_of(assignment)
    return _context(
        request,
        assignment.notice.program,
        assignment=assignment,
        notice=assignment.notice,
        notice_url=notice_url(assignment.notice),
        title=_("Nhiệm vụ: %(text)s") % {"text": assignment.text[:80]},
        schedule=describe(assignment),
        dues=dues,
        open_dues=open_dues,
        reports=queries.reports_of(assignment),
        extensions=extensions,
        pending_extensions=[e for e in extensions if e.status == Extension.Status.PENDING],
        remarks=queries.remarks_of(assignment),
        submissions=queries.linked_submissions(assignment, user),
        actions=actions_for(assignment)[:50],
        history=[],
        in_force=in_force,
        can_report=can_report,
        can_request=can_request,
        can_decide=can_decide,
        can_remark=can_remark,
        can_follow_notice=can(user, "conclusions.view_followup", assignment.notice.program),
        back_to_todo=role_of(user) == Role.AGENCY_OFFICER,
        report_form=report_form,
        remark_form=forms.get("remark_form") or (RemarkForm() if can_remark else None),
        decision_form=ExtensionDecisionForm() if can_decide else None,
    )


@login_required
def assignment_detail(request, assignment_pk: int):
    assignment = _assignment(request, assignment_pk)
    return render(request, "conclusions/assignment_detail.html", _page(request, assignment))


@login_required
def report_add(request, assignment_pk: int):
    """The lead agency's progress report (or the organizers' on its behalf): text, percent or
    milestone, whether the work is complete, evidence files checked by content."""
    assignment = _assignment(request, assignment_pk)
    require(request.user, "conclusions.report", assignment)
    if not _in_force(request, assignment):
        return redirect(_detail_url(assignment))
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        assignment=assignment,
        open_dues=workflow.open_dues(assignment),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = workflow.report_progress(
                assignment,
                by=request.user,
                text=data["text"],
                due=data.get("due"),
                percent=data.get("percent"),
                milestone=data.get("milestone") or "",
                completes=bool(data.get("completes")),
                files=data.get("files") or [],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            text = _("Đã gửi báo cáo tiến độ.")
            if report.due_id:
                text = _("Đã gửi báo cáo tiến độ (%(due)s).") % {"due": report.due.label}
            messages.success(request, text)
            return redirect(_detail_url(assignment))
    return _assignment_form_page(
        request,
        assignment,
        "conclusions/report_form.html",
        title=_("Báo cáo tiến độ thực hiện"),
        form=form,
        schedule=describe(assignment),
    )


@login_required
def evidence_file(request, assignment_pk: int, evidence_pk: int):
    """A report's evidence, to those who may see the assignment; never a public media URL."""
    assignment = _assignment(request, assignment_pk)
    evidence = get_object_or_404(queries.evidence_of(assignment), pk=evidence_pk)
    return private_file_response(evidence.file, evidence.original_name, evidence.content_type)


@login_required
def extension_request(request, assignment_pk: int, due_pk: int):
    """The lead agency asks to move one open due, with a reason; the organizers decide."""
    assignment = _assignment(request, assignment_pk)
    require(request.user, "conclusions.request_extension", assignment)
    due = get_object_or_404(assignment.dues.all(), pk=due_pk)
    if not _in_force(request, assignment):
        return redirect(_detail_url(assignment))
    if due.done_on is not None:
        messages.error(request, _("Kỳ này đã thực hiện xong, không cần gia hạn."))
        return redirect(_detail_url(assignment))
    pending = due.extensions.filter(status=Extension.Status.PENDING).first()
    form = ExtensionRequestForm(request.POST or None, due=due)
    if request.method == "POST" and pending is None and form.is_valid():
        try:
            workflow.request_extension(
                due, by=request.user, until=form.cleaned_data["until"], reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Đã gửi đề nghị gia hạn “%(due)s” đến ngày %(date)s; Ban tổ chức sẽ xem xét.")
                % {"due": due.label, "date": form.cleaned_data["until"].strftime("%d/%m/%Y")},
            )
            return redirect(_detail_url(assignment))
    return _assignment_form_page(
        request,
        assignment,
        "conclusions/extension_request.html",
        due=due,
        pending=pending,
        title=_("Đề nghị gia hạn"),
        form=form,
    )


@login_required
def extension_decide(request, extension_pk: int):
    """The organizers approve a pending extension (the due moves, its original date is kept)
    or refuse it with a note."""
    extension = get_object_or_404(
        extensions_for(request.user).select_related(
            "due",
            "due__assignment",
            "due__assignment__notice",
            "due__assignment__notice__program",
            "due__assignment__lead_agency",
            "requested_by",
            "decided_by",
        ),
        pk=extension_pk,
    )
    assignment = extension.due.assignment
    require(request.user, "conclusions.decide_extension", assignment)
    pending = extension.status == Extension.Status.PENDING
    form = ExtensionDecisionForm(request.POST or None) if pending else None
    if request.method == "POST":
        if not pending:
            messages.error(request, _("Đề nghị gia hạn này đã được quyết định."))
            return redirect(_detail_url(assignment))
        if not _in_force(request, assignment):
            return redirect(_detail_url(assignment))
        if form.is_valid():
            approve = form.cleaned_data["decision"] == ExtensionDecisionForm.APPROVE
            try:
                workflow.decide_extension(extension, by=request.user, approve=approve, note=form.cleaned_data["note"])
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                if approve:
                    text = _("Đã đồng ý gia hạn “%(due)s” đến ngày %(date)s.") % {
                        "due": extension.due.label,
                        "date": extension.requested_until.strftime("%d/%m/%Y"),
                    }
                else:
                    text = _("Đã không đồng ý gia hạn “%(due)s”.") % {"due": extension.due.label}
                messages.success(request, text)
                return redirect(_detail_url(assignment))
    return _assignment_form_page(
        request,
        assignment,
        "conclusions/extension_decide.html",
        extension=extension,
        pending=pending,
        title=_("Xem xét đề nghị gia hạn"),
        form=form,
    )


@login_required
def remark_add(request, assignment_pk: int):
    """The Fatherland Front's supervision remark on how an assignment is carried out."""
    assignment = _assignment(request, assignment_pk)
    require(request.user, "conclusions.remark", assignment)
    if not _in_force(request, assignment):
        return redirect(_detail_url(assignment))
    form = RemarkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.add_remark(assignment, by=request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi ý kiến giám sát."))
            return redirect(_detail_url(assignment))
    return _assignment_form_page(
        request,
        assignment,
        "conclusions/remark_form.html",
        title=_("Ý kiến giám sát"),
        form=form,
    )


urlpatterns = [
    path("thong-bao/<int:notice_pk>/theo-doi/", followup, name="followup"),
    path("thong-bao/<int:notice_pk>/theo-doi/xuat-excel/", followup_export, name="followup_export"),
    path("nhiem-vu/<int:assignment_pk>/", assignment_detail, name="assignment_detail"),
    path("nhiem-vu/<int:assignment_pk>/bao-cao/", report_add, name="report_add"),
    path("nhiem-vu/<int:assignment_pk>/minh-chung/<int:evidence_pk>/", evidence_file, name="evidence_file"),
    path("nhiem-vu/<int:assignment_pk>/han/<int:due_pk>/gia-han/", extension_request, name="extension_request"),
    path("gia-han/<int:extension_pk>/", extension_decide, name="extension_decide"),
    path("nhiem-vu/<int:assignment_pk>/y-kien-giam-sat/", remark_add, name="remark_add"),
]
