"""Notices of conclusions: the program's "Kết luận" tab, drafting a notice and its assignments,
the steps draft → submitted → approved → issued (and back, and the correction of an issued
notice), the notice as an official PDF and one letter per lead agency. Every change goes
through conclusions.workflow; objects are fetched through conclusions.rules.notices_for, so a
notice outside the user's scope is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dialogue.dates import document_date_line
from dialogue.pdf import pdf_response, render_pdf
from directory import audit
from directory.models import Agency, Role
from directory.permissions import can, require, role_of
from programs.views.common import get_program, program_context
from programs.views.documents import document_place, host_short_name, issuer_lines, program_name

from .. import workflow
from ..forms import AssignmentForm, IssueForm, NoticeForm, ReturnForm, add_workflow_errors
from ..models import Assignment, ConclusionNotice, KeyTask
from ..rules import notices_for
from ..schedule import describe

N = ConclusionNotice.Status
# What a notice that is not in force says on every page of its PDF.
MARKS = {
    N.DRAFT: "DỰ THẢO",
    N.SUBMITTED: "DỰ THẢO",
    N.APPROVED: "DỰ THẢO",
    N.SUPERSEDED: "ĐÃ ĐƯỢC THAY THẾ",
}
ROMAN = ["I", "II", "III", "IV", "V", "VI"]
# A blank for the office to write the number in by hand: "Số      -TB/TU".
NUMBER_BLANK = "\u00a0" * 8


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def get_notice(request, notice_pk: int) -> ConclusionNotice:
    """The notice with `notice_pk` if the user may see it, else 404."""
    queryset = notices_for(request.user).select_related(
        "program__host", "program__area", "program__standing_agency", "replaces", "created_by", "approved_by"
    )
    return get_object_or_404(queryset, pk=notice_pk)


def _assignments(notice: ConclusionNotice):
    return notice.assignments.select_related("lead_agency", "key_task").prefetch_related(
        Prefetch("coordinating_agencies", queryset=Agency.objects.order_by("name")),
        "submissions",
    )


def _refuse_unless_editable(request, notice: ConclusionNotice):
    """Only a draft is edited: anything else goes back to its page with the reason."""
    if notice.is_editable:
        return None
    if notice.is_frozen:
        messages.error(
            request, _("Thông báo đã ban hành không sửa được; muốn thay đổi, hãy lập bản đính chính, thay thế.")
        )
    else:
        messages.error(
            request,
            _("Thông báo đang ở trạng thái “%(status)s”: chỉ dự thảo mới sửa được.")
            % {"status": notice.get_status_display()},
        )
    return redirect("conclusions:notice_detail", notice.pk)


def _followup_links(user, notice: ConclusionNotice) -> dict[str, str]:
    """The follow-up list and the yearly report, for those who follow an issued notice."""
    if not notice.is_frozen or not can(user, "conclusions.view_followup", notice.program):
        return {"followup_url": "", "report_url": ""}
    kwargs = {"notice_pk": notice.pk}
    return {
        "followup_url": reverse("conclusions:followup", kwargs=kwargs),
        "report_url": reverse("conclusions:followup_report", kwargs=kwargs),
    }


# --- the program's tab -------------------------------------------------------------------------


@login_required
def notices(request, pk: int):
    program = get_program(request, pk)
    require(request.user, "programs.view_public", program)
    rows = list(
        notices_for(request.user)
        .filter(program=program)
        .select_related("replaces")
        .annotate(assignment_count=Count("assignments"))
        .order_by("-issued_on", "-created_at", "-id")
    )
    context = program_context(
        request,
        program,
        "conclusions:notices",
        title=_("Thông báo kết luận – %(program)s") % {"program": program.title},
        notices=rows,
        can_draft=can(request.user, "conclusions.manage", program),
    )
    return render(request, "conclusions/notice_list.html", context)


def _notice_defaults(program) -> dict:
    """A new notice as most are written: issued by the Party committee, signed by the chief of
    staff by order of the Standing Board, sent to the communes and agencies."""
    host_short = host_short_name(program)
    return {
        "issuing_body": "\n".join(issuer_lines(program)),
        "place": document_place(program),
        "summary": f"kết luận của Thường trực {host_short} tại {program_name(program)}",
        "doc_type": "TB",
        "issuer_code": "TU" if host_short.casefold() == "tỉnh ủy" else "",
        "signing_form": ConclusionNotice.SigningForm.BY_ORDER,
        "signing_body": "BAN THƯỜNG VỤ",
        "signer_title": "CHÁNH VĂN PHÒNG",
        "recipients": "\n".join(
            [
                f"Thường trực {host_short} (để b/c)",
                "Các sở, ban, ngành, đoàn thể cấp tỉnh",
                "Đảng ủy các xã, phường, thị trấn",
                f"Lưu Văn phòng {host_short}",
            ]
        ),
    }


@login_required
def notice_add(request, pk: int):
    program = get_program(request, pk)
    require(request.user, "conclusions.manage", program)
    form = NoticeForm(request.POST or None, initial=_notice_defaults(program))
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                notice = workflow.create_notice(program, by=request.user, **form.notice_fields())
                workflow.save_key_tasks(notice, form.key_task_texts(), by=request.user)
        except ValidationError as exc:
            add_workflow_errors(form, exc)
        else:
            messages.success(request, _("Đã lập dự thảo thông báo kết luận; hãy thêm các nhiệm vụ được giao."))
            return redirect("conclusions:notice_detail", notice.pk)
    context = program_context(
        request, program, "conclusions:notices", title=_("Lập dự thảo thông báo kết luận"), form=form, notice=None
    )
    return render(request, "conclusions/notice_form.html", context)


# --- one notice ----------------------------------------------------------------------------------


def notice_history(notice: ConclusionNotice) -> list[dict]:
    """Field changes of the notice and its action log (which also records its assignments'
    changes) in one list, newest first. A fixed number of queries."""
    entries = audit.field_history(notice)
    for action in audit.actions_for(notice)[:30]:
        label = str(action.get_verb_display())
        detail = action.changes.get("remark") or action.changes.get("number") or action.changes.get("agency") or ""
        if detail:
            label = f"{label}: {detail}"
        entries.append({"date": action.created_at, "user": action.actor, "type": label, "changes": []})
    entries.sort(key=lambda entry: entry["date"], reverse=True)
    return entries


def group_by_key_task(key_tasks: list[KeyTask], assignments: list[Assignment]) -> list[dict]:
    """[{task, assignments}] in the key tasks' order; assignments tied to none come last."""
    groups = [{"task": task, "assignments": [a for a in assignments if a.key_task_id == task.pk]} for task in key_tasks]
    loose = [a for a in assignments if a.key_task_id is None]
    if loose:
        groups.append({"task": None, "assignments": loose})
    return groups


def next_sequence(notice: ConclusionNotice, year: int) -> int:
    """The number after the highest one the issuer gave this year, as a suggestion."""
    top = ConclusionNotice.objects.filter(
        issuer_code=notice.issuer_code, doc_type=notice.doc_type, issued_year=year
    ).aggregate(top=Max("sequence"))["top"]
    return (top or 0) + 1


def lead_agencies(assignments: list[Assignment]) -> list[Agency]:
    seen = {}
    for assignment in assignments:
        seen.setdefault(assignment.lead_agency_id, assignment.lead_agency)
    return list(seen.values())


def letters_for(user, assignments: list[Assignment]) -> list[Agency]:
    """The lead agencies whose letter the user may open: all for internal readers, their own
    for an agency officer."""
    leads = lead_agencies(assignments)
    if can_see_letters(user):
        return leads
    return [agency for agency in leads if agency.pk == _officer_agency(user)]


def render_notice(request, notice: ConclusionNotice, *, issue_form=None, return_form=None, status=200):
    """The notice page; a refused issue or return re-renders it with the typed values kept."""
    user, program = request.user, notice.program
    key_tasks = list(notice.key_tasks.order_by("order", "id"))
    assignments = list(_assignments(notice))
    for assignment in assignments:
        assignment.schedule_text = describe(assignment)
    manager = can(user, "conclusions.manage", program)
    approver = can(user, "conclusions.approve", notice)
    correction = notices_for(user).filter(replaces=notice).first() if notice.is_frozen else None
    if manager and notice.status == N.APPROVED and issue_form is None:
        issue_form = IssueForm(initial={"sequence": next_sequence(notice, timezone.localdate().year)})
    context = program_context(
        request,
        program,
        "conclusions:notices",
        title=str(notice) if notice.number else _("Dự thảo thông báo kết luận"),
        notice=notice,
        key_tasks=key_tasks,
        assignments=assignments,
        groups=group_by_key_task(key_tasks, assignments),
        recipients=notice.recipient_lines(),
        date_line=document_date_line(notice.place, notice.issued_on),
        assessment=_paragraphs(notice.assessment),
        closing=_paragraphs(notice.closing),
        letters=letters_for(user, assignments),
        correction=correction,
        **_followup_links(user, notice),
        can_edit=manager and notice.is_editable,
        can_submit=manager and notice.status == N.DRAFT,
        can_approve=approver and notice.status == N.SUBMITTED,
        can_return=(approver and notice.status == N.SUBMITTED) or (manager and notice.status == N.APPROVED),
        can_issue=manager and notice.status == N.APPROVED,
        can_correct=manager and notice.status == N.ISSUED and correction is None,
        issue_form=issue_form,
        return_form=return_form or ReturnForm(),
        history=notice_history(notice) if can_see_letters(user) else [],
    )
    return render(request, "conclusions/notice_detail.html", context, status=status)


@login_required
def notice_detail(request, notice_pk: int):
    return render_notice(request, get_notice(request, notice_pk))


@login_required
def notice_edit(request, notice_pk: int):
    notice = get_notice(request, notice_pk)
    require(request.user, "conclusions.manage", notice.program)
    refused = _refuse_unless_editable(request, notice)
    if refused:
        return refused
    texts = list(notice.key_tasks.order_by("order", "id").values_list("text", flat=True))
    form = NoticeForm(request.POST or None, instance=notice, key_tasks=texts)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                workflow.update_notice(notice, by=request.user, **form.notice_fields())
                if form.key_task_texts() != texts:
                    workflow.save_key_tasks(notice, form.key_task_texts(), by=request.user)
        except ValidationError as exc:
            add_workflow_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu dự thảo thông báo kết luận."))
            return redirect("conclusions:notice_detail", notice.pk)
    context = program_context(
        request,
        notice.program,
        "conclusions:notices",
        title=_("Sửa dự thảo thông báo kết luận"),
        form=form,
        notice=notice,
    )
    return render(request, "conclusions/notice_form.html", context)


# --- assignments ---------------------------------------------------------------------------------


def _assignment_page(request, notice: ConclusionNotice, assignment: Assignment | None):
    form = AssignmentForm(request.POST or None, instance=assignment, notice=notice)
    if request.method == "POST" and form.is_valid():
        instance = form.save(commit=False)
        try:
            workflow.save_assignment(
                instance,
                by=request.user,
                coordinating=list(form.cleaned_data["coordinating_agencies"]),
                submissions=list(form.cleaned_data["submissions"]),
            )
        except ValidationError as exc:
            add_workflow_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu nhiệm vụ giao %(agency)s.") % {"agency": instance.lead_agency})
            return redirect(reverse("conclusions:notice_detail", args=[notice.pk]) + "#nhiem-vu-duoc-giao")
    context = program_context(
        request,
        notice.program,
        "conclusions:notices",
        title=_("Sửa nhiệm vụ được giao") if assignment else _("Thêm nhiệm vụ được giao"),
        form=form,
        notice=notice,
        assignment=assignment,
    )
    return render(request, "conclusions/assignment_form.html", context)


def _editable_notice(request, notice_pk: int):
    notice = get_notice(request, notice_pk)
    require(request.user, "conclusions.manage", notice.program)
    return notice, _refuse_unless_editable(request, notice)


@login_required
def assignment_add(request, notice_pk: int):
    notice, refused = _editable_notice(request, notice_pk)
    return refused or _assignment_page(request, notice, None)


@login_required
def assignment_edit(request, notice_pk: int, assignment_pk: int):
    notice, refused = _editable_notice(request, notice_pk)
    assignment = get_object_or_404(notice.assignments.all(), pk=assignment_pk)
    return refused or _assignment_page(request, notice, assignment)


@login_required
@require_POST
def assignment_delete(request, notice_pk: int, assignment_pk: int):
    notice = get_notice(request, notice_pk)
    require(request.user, "conclusions.manage", notice.program)
    assignment = get_object_or_404(notice.assignments.select_related("lead_agency"), pk=assignment_pk)
    try:
        workflow.delete_assignment(assignment, by=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Đã xóa nhiệm vụ giao %(agency)s.") % {"agency": assignment.lead_agency})
    return redirect(reverse("conclusions:notice_detail", args=[notice.pk]) + "#nhiem-vu-duoc-giao")


# --- steps ---------------------------------------------------------------------------------------


def _step(request, notice_pk: int, *, allowed, action, success: str):
    """Run one workflow step and come back to the notice's page with the outcome."""
    notice = get_notice(request, notice_pk)
    if not allowed(request.user, notice):
        raise PermissionDenied
    try:
        action(notice, by=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, success)
    return redirect("conclusions:notice_detail", notice.pk)


def _manages(user, notice) -> bool:
    return can(user, "conclusions.manage", notice.program)


def _approves(user, notice) -> bool:
    return can(user, "conclusions.approve", notice)


@login_required
@require_POST
def notice_submit(request, notice_pk: int):
    return _step(
        request,
        notice_pk,
        allowed=_manages,
        action=workflow.submit,
        success=_("Đã trình Thường trực duyệt dự thảo thông báo kết luận."),
    )


@login_required
@require_POST
def notice_approve(request, notice_pk: int):
    return _step(
        request,
        notice_pk,
        allowed=_approves,
        action=workflow.approve,
        success=_("Đã duyệt thông báo kết luận; Ban tổ chức có thể cho số và ban hành."),
    )


@login_required
@require_POST
def notice_return(request, notice_pk: int):
    notice = get_notice(request, notice_pk)
    if not (_approves(request.user, notice) or _manages(request.user, notice)):
        raise PermissionDenied
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            workflow.return_to_draft(notice, by=request.user, remark=form.cleaned_data["remark"])
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
            return redirect("conclusions:notice_detail", notice.pk)
        messages.success(request, _("Đã trả lại dự thảo để sửa."))
        return redirect("conclusions:notice_detail", notice.pk)
    return render_notice(request, notice, return_form=form, status=400)


@login_required
@require_POST
def notice_issue(request, notice_pk: int):
    notice = get_notice(request, notice_pk)
    require(request.user, "conclusions.manage", notice.program)
    form = IssueForm(request.POST)
    if form.is_valid():
        try:
            issued = workflow.issue(
                notice,
                by=request.user,
                sequence=form.cleaned_data["sequence"],
                issued_on=form.cleaned_data["issued_on"],
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                messages.error(request, _error_text(exc))
                return redirect("conclusions:notice_detail", notice.pk)
            add_workflow_errors(form, exc)
        else:
            messages.success(
                request,
                _("Đã ban hành Thông báo số %(number)s; các cơ quan được giao đã có nhiệm vụ cần theo dõi.")
                % {"number": issued.number},
            )
            return redirect("conclusions:notice_detail", notice.pk)
    return render_notice(request, notice, issue_form=form, status=400)


@login_required
@require_POST
def notice_correct(request, notice_pk: int):
    notice = get_notice(request, notice_pk)
    require(request.user, "conclusions.manage", notice.program)
    try:
        correction = workflow.correct(notice, by=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect("conclusions:notice_detail", notice.pk)
    messages.success(
        request,
        _("Đã lập bản đính chính, thay thế Thông báo số %(number)s; sửa, trình duyệt và ban hành như một dự thảo.")
        % {"number": notice.number},
    )
    return redirect("conclusions:notice_detail", correction.pk)


# --- documents -------------------------------------------------------------------------------------


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _ending(paragraphs: list[str]) -> list[str]:
    """The text ends with "./." as the guide asks."""
    if paragraphs and not paragraphs[-1].endswith("./."):
        paragraphs[-1] = paragraphs[-1].rstrip(" .;,") + "./."
    return paragraphs


def _lower_first(text: str) -> str:
    """ "Trả lời kiến nghị …" reads "… chủ trì trả lời kiến nghị …" inside a sentence; a name
    ("Ban Tổ chức …", "UBND …") keeps its capital."""
    words = text.split(maxsplit=2)
    if not words or not words[0][:1].isupper() or not words[0][1:].islower():
        return text
    if len(words) > 1 and words[1][:1].isupper():
        return text
    return text[:1].lower() + text[1:]


def assignment_sentence(assignment: Assignment) -> str:
    """ "Giao Sở … chủ trì, phối hợp với Sở …, Sở … <task> (… số ĐT2023-045); <schedule>." """
    sentence = f"Giao {assignment.lead_agency.name} chủ trì"
    coordinating = sorted(agency.name for agency in assignment.coordinating_agencies.all())
    if coordinating:
        sentence += ", phối hợp với " + ", ".join(coordinating)
    sentence += " " + _lower_first(assignment.text.strip().rstrip(" .;"))
    references = [s.reference for s in assignment.submissions.all() if s.reference]
    if references:
        label = "kiến nghị số" if len(references) == 1 else "các kiến nghị số"
        sentence += f" ({label} {', '.join(sorted(references))})"
    if assignment.output_detail:
        sentence += f"; sản phẩm: {_lower_first(assignment.output_detail.strip().rstrip(' .;'))}"
    schedule = describe(assignment)
    if schedule:
        sentence += f"; thời hạn: {_lower_first(schedule)}"
    return sentence + "."


def signature_of(notice: ConclusionNotice) -> dict:
    form = " ".join(part for part in (notice.signing_form, notice.signing_body.upper()) if part)
    signature = {"title": notice.signer_title.upper(), "signer": notice.signer_name}
    if notice.signing_form:
        signature["form"] = form
    elif notice.signing_body and notice.signing_body.upper() != notice.signer_title.upper():
        signature["form"] = notice.signing_body.upper()
    return signature


def document_number(notice: ConclusionNotice) -> str:
    """ "1029-TB/TU" once issued; before, a blank for the number: "      -TB/TU"."""
    return notice.number or f"{NUMBER_BLANK}-{notice.doc_type}/{notice.issuer_code}"


def notice_document_context(notice: ConclusionNotice, key_tasks=None, assignments=None) -> dict:
    """The notice as the guide lays it out: I. assessment, II. key tasks (numbered),
    III. the assignments; a notice not in force carries a mark on every page."""
    key_tasks = list(notice.key_tasks.order_by("order", "id")) if key_tasks is None else key_tasks
    assignments = list(_assignments(notice)) if assignments is None else assignments
    sections = []
    assessment = _paragraphs(notice.assessment)
    if assessment:
        sections.append({"heading": "ĐÁNH GIÁ CHUNG", "paragraphs": assessment, "items": []})
    if key_tasks:
        sections.append(
            {
                "heading": "NHỮNG NHIỆM VỤ TRỌNG TÂM",
                "paragraphs": _paragraphs(notice.key_tasks_intro),
                "items": [f"{i}. {task.text.strip()}" for i, task in enumerate(key_tasks, start=1)],
            }
        )
    if assignments:
        sections.append(
            {
                "heading": "TỔ CHỨC THỰC HIỆN",
                "paragraphs": [],
                "items": [f"- {assignment_sentence(a)}" for a in assignments],
            }
        )
    for number, section in zip(ROMAN, sections, strict=False):
        section["heading"] = f"{number}. {section['heading']}"
    closing = _paragraphs(notice.closing)
    if closing:
        _ending(closing)
    elif sections:
        last = sections[-1]
        _ending(last["items"] if last["items"] else last["paragraphs"])
    return {
        "issuer": notice.issuer_lines(),
        "number": document_number(notice),
        "place": notice.place,
        "date": notice.issued_on,
        "doc_type": "THÔNG BÁO",
        "summary": notice.summary,
        "notice": notice,
        "mark": MARKS.get(notice.status, ""),
        "sections": sections,
        "closing_paragraphs": closing,
        "recipients": notice.recipient_lines(),
        "signature": signature_of(notice),
    }


def _file_number(notice: ConclusionNotice) -> str:
    return notice.number.replace("/", "-") if notice.number else ""


@login_required
def notice_pdf(request, notice_pk: int):
    notice = get_notice(request, notice_pk)
    pdf = render_pdf("documents/conclusion_notice.html", notice_document_context(notice), request=request)
    if notice.status == N.ISSUED:
        name = f"Thông báo kết luận {_file_number(notice)}.pdf"
    elif notice.number:
        name = f"Thông báo kết luận {_file_number(notice)} (đã được thay thế).pdf"
    else:
        name = f"Thông báo kết luận – {notice.get_status_display().lower()} {notice.pk}.pdf"
    return pdf_response(pdf, name)


def can_see_letters(user) -> bool:
    """Letters and the history are internal: the organizers, the Standing Committee, the Front."""
    return role_of(user) in (Role.ORGANIZER, Role.STANDING_COMMITTEE, Role.SUPERVISOR, Role.ADMIN)


def _officer_agency(user) -> int | None:
    """An agency officer reads the letter sent to their own agency."""
    return user.agency_id if role_of(user) == Role.AGENCY_OFFICER else None


def office_name(notice: ConclusionNotice) -> str:
    return f"Văn phòng {host_short_name(notice.program)}"


def letter_context(notice: ConclusionNotice, agency: Agency, leading: list, coordinating: list) -> dict:
    """The issuing office's letter to one agency: what the notice assigns it to lead, then what
    it coordinates, and when to report."""
    host_short = host_short_name(notice.program)
    office = office_name(notice)
    if notice.number:
        subject = f"V/v thực hiện Thông báo kết luận số {notice.number}"
        reference = f"Thông báo số {notice.number}"
        if notice.issued_on:
            reference += f" ngày {notice.issued_on:%d/%m/%Y}"
    else:
        subject = "V/v thực hiện Thông báo kết luận (dự thảo)"
        reference = "Thông báo (dự thảo)"
    signature = {"title": "CHÁNH VĂN PHÒNG"}
    if notice.signer_title.upper() == "CHÁNH VĂN PHÒNG":
        signature["signer"] = notice.signer_name
    return {
        "issuer": [*notice.issuer_lines(), "VĂN PHÒNG"],
        "number": f"{NUMBER_BLANK}-CV/VP{notice.issuer_code}",
        "place": notice.place,
        "date": None,  # dated by the office when signed
        "doc_type": "",
        "summary": "",
        "subject": subject,
        "reference": reference,
        "notice": notice,
        "agency": agency,
        "host_short": host_short,
        "office": office,
        "mark": MARKS.get(notice.status, ""),
        "leading": [assignment_sentence(a) for a in leading],
        "coordinating": [assignment_sentence(a) for a in coordinating],
        "standing_agency": notice.program.standing_agency.name,
        "recipients": [
            "Như trên",
            f"Thường trực {host_short} (để b/c)",
            f"{notice.program.standing_agency.name} (để theo dõi)",
            f"Lưu {office}",
        ],
        "signature": signature,
    }


@login_required
def assignment_letter(request, notice_pk: int, agency_pk: int):
    notice = get_notice(request, notice_pk)
    assignments = list(_assignments(notice))
    leading = [a for a in assignments if a.lead_agency_id == agency_pk]
    if not leading:
        raise Http404
    if not (can_see_letters(request.user) or _officer_agency(request.user) == agency_pk):
        raise PermissionDenied
    agency = leading[0].lead_agency
    coordinating = [
        a
        for a in assignments
        if a.lead_agency_id != agency_pk and any(c.pk == agency_pk for c in a.coordinating_agencies.all())
    ]
    context = letter_context(notice, agency, leading, coordinating)
    pdf = render_pdf("documents/assignment_letter.html", context, request=request)
    number = _file_number(notice) or _("dự thảo")
    return pdf_response(pdf, f"Công văn giao nhiệm vụ – {agency.name[:80]} – {number}.pdf")


urlpatterns = [
    path("chuong-trinh/<int:pk>/", notices, name="notices"),
    path("chuong-trinh/<int:pk>/lap-thong-bao/", notice_add, name="notice_add"),
    path("<int:notice_pk>/", notice_detail, name="notice_detail"),
    path("<int:notice_pk>/sua/", notice_edit, name="notice_edit"),
    path("<int:notice_pk>/nhiem-vu/them/", assignment_add, name="assignment_add"),
    path("<int:notice_pk>/nhiem-vu/<int:assignment_pk>/sua/", assignment_edit, name="assignment_edit"),
    path("<int:notice_pk>/nhiem-vu/<int:assignment_pk>/xoa/", assignment_delete, name="assignment_delete"),
    path("<int:notice_pk>/trinh/", notice_submit, name="notice_submit"),
    path("<int:notice_pk>/tra-lai/", notice_return, name="notice_return"),
    path("<int:notice_pk>/duyet/", notice_approve, name="notice_approve"),
    path("<int:notice_pk>/ban-hanh/", notice_issue, name="notice_issue"),
    path("<int:notice_pk>/dinh-chinh/", notice_correct, name="notice_correct"),
    path("<int:notice_pk>/thong-bao.pdf", notice_pdf, name="notice_pdf"),
    path("<int:notice_pk>/cong-van/<int:agency_pk>.pdf", assignment_letter, name="assignment_letter"),
]
