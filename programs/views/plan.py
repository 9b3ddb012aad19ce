"""The plan and its versions: the list of versions, one version with its comments and the
actions its status allows, editing a draft, the differences between two versions, and the
plan as an official PDF. Every change goes through programs.workflow."""

from __future__ import annotations

import unicodedata

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dialogue.pdf import pdf_response, render_pdf
from directory import audit
from directory.permissions import can, require

from .. import workflow
from ..models import PLAN_SECTIONS, PlanVersion
from ..plan_diff import diff_versions
from .committee import ordered_committee
from .common import get_program, program_context
from .documents import document_place, head_of, head_signature, host_short_name, issuer_lines, program_name

OPEN = (PlanVersion.Status.DRAFT, PlanVersion.Status.SUBMITTED)
# What a version that is not the official plan says on every page. A superseded version was
# official once: calling it a draft would be untrue, calling nothing would let it pass for the plan.
MARKS = {
    PlanVersion.Status.DRAFT: "DỰ THẢO",
    PlanVersion.Status.SUBMITTED: "DỰ THẢO",
    PlanVersion.Status.SUPERSEDED: "ĐÃ ĐƯỢC THAY THẾ",
}
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def _clean_text(value: str) -> str:
    # Browsers send CRLF, and some keyboards decomposed letters; store one form.
    lines = unicodedata.normalize("NFC", value or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


class PlanVersionForm(forms.Form):
    """One textarea per plan section, in the official order, and the change note."""

    change_note = forms.CharField(
        label=gettext_lazy("Ghi chú thay đổi"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Tóm tắt những gì phiên bản này sửa, ví dụ “Bổ sung diễn đàn thứ ba”."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sections = {
            key: forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 5}))
            for key, label in PLAN_SECTIONS
        }
        # Sections first, the note last, as the page reads.
        self.fields = {**sections, "change_note": self.fields["change_note"]}

    def clean(self):
        data = super().clean()
        return {name: _clean_text(value) for name, value in data.items()}

    def sections(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(key, "") for key, _label in PLAN_SECTIONS}


class CommentForm(forms.Form):
    section = forms.ChoiceField(
        label=gettext_lazy("Về mục"),
        required=False,
        choices=[("", gettext_lazy("Cả kế hoạch")), *PLAN_SECTIONS],
    )
    text = forms.CharField(
        label=gettext_lazy("Ý kiến"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Ý kiến không được để trống.")},
    )


class ReturnForm(forms.Form):
    remark = forms.CharField(
        label=gettext_lazy("Lý do trả lại"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Hãy ghi lý do trả lại.")},
    )


class PlanNumberForm(forms.Form):
    number = forms.CharField(
        label=gettext_lazy("Số kế hoạch"),
        max_length=40,
        required=False,
        help_text=gettext_lazy("Ví dụ “186-KH/TU”; in trên bản kế hoạch đã phê duyệt."),
    )


def get_version(request, pk: int, number: int):
    """The program (in the user's scope) and its plan version `number`, else 404."""
    program = get_program(request, pk, "plan")
    versions = program.plan.versions.select_related("created_by", "approved_by", "based_on")
    return program, get_object_or_404(versions, number=number)


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --- the plan: its versions ----------------------------------------------------------------------


@login_required
def plan(request, pk: int):
    program = get_program(request, pk, "plan")
    require(request.user, "programs.view_internals", program)
    versions = list(
        program.plan.versions.select_related("created_by", "approved_by")
        .annotate(comment_count=Count("comments"))
        .order_by("-number")
    )
    can_manage = can(request.user, "programs.manage", program)
    context = program_context(
        request,
        program,
        "programs:plan",
        plan=program.plan,
        versions=versions,
        approved=next((v for v in versions if v.status == PlanVersion.Status.APPROVED), None),
        open_version=next((v for v in versions if v.status in OPEN), None),
        number_form=PlanNumberForm(initial={"number": program.plan.number}) if can_manage else None,
    )
    return render(request, "programs/plan.html", context)


@login_required
@require_POST
def new_version(request, pk: int):
    program = get_program(request, pk, "plan")
    require(request.user, "programs.manage", program)
    try:
        version = workflow.new_version(program.plan, by=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect("programs:plan", program.pk)
    messages.success(request, _("Đã tạo phiên bản %(n)s từ phiên bản trước; hãy sửa và trình.") % {"n": version.number})
    return redirect("programs:plan_version_edit", program.pk, version.number)


@login_required
@require_POST
def plan_number(request, pk: int):
    program = get_program(request, pk, "plan")
    require(request.user, "programs.manage", program)
    form = PlanNumberForm(request.POST)
    if form.is_valid():
        workflow.set_plan_number(
            program.plan, unicodedata.normalize("NFC", form.cleaned_data["number"]), by=request.user
        )
        messages.success(request, _("Đã lưu số kế hoạch."))
    else:
        messages.error(request, " ".join(form.errors["number"]))
    return redirect("programs:plan", program.pk)


# --- one version ----------------------------------------------------------------------------------


def render_version(request, program, version, *, comment_form=None, return_form=None):
    """The version page; a refused comment or return re-renders it with the typed text kept."""
    can_manage = can(request.user, "programs.manage", program)
    previous = version.based_on or program.plan.versions.filter(number__lt=version.number).order_by("-number").first()
    comments = version.comments.select_related("author")
    by_section = {}
    for comment in comments:
        by_section.setdefault(comment.section, []).append(comment)
    context = program_context(
        request,
        program,
        "programs:plan",
        title=_("Kế hoạch – phiên bản %(n)s") % {"n": version.number},
        version=version,
        sections=[
            {"numeral": ROMAN[i], "key": key, "label": label, "text": text, "comments": len(by_section.get(key, []))}
            for i, (key, label, text) in enumerate(version.section_items())
        ],
        comments=comments,
        previous=previous,
        can_edit=can_manage and version.is_editable,
        can_submit=can_manage and version.status == PlanVersion.Status.DRAFT,
        can_decide=version.status == PlanVersion.Status.SUBMITTED
        and can(request.user, "programs.approve_plan", program),
        can_comment=can(request.user, "programs.comment_plan", program),
        comment_form=comment_form or CommentForm(),
        return_form=return_form or ReturnForm(),
        actions=audit.actions_for(version)[:20],
    )
    return render(request, "programs/plan_version.html", context)


@login_required
def version_detail(request, pk: int, number: int):
    program, version = get_version(request, pk, number)
    require(request.user, "programs.view_internals", program)
    return render_version(request, program, version)


@login_required
def version_edit(request, pk: int, number: int):
    program, version = get_version(request, pk, number)
    require(request.user, "programs.manage", program)
    initial = {**version.sections, "change_note": version.change_note}
    form = PlanVersionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.update_draft(
                version, form.sections(), by=request.user, change_note=form.cleaned_data["change_note"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu phiên bản %(n)s.") % {"n": version.number})
            return redirect("programs:plan_version", program.pk, version.number)
    context = program_context(
        request,
        program,
        "programs:plan",
        title=_("Sửa kế hoạch – phiên bản %(n)s") % {"n": version.number},
        version=version,
        form=form,
    )
    return render(request, "programs/plan_version_form.html", context)


def _version_action(request, pk: int, number: int, *, permission: str, action, success: str):
    """Run one workflow step on a version and come back to its page with the outcome."""
    program, version = get_version(request, pk, number)
    require(request.user, permission, program)
    try:
        action(version, by=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, success % {"n": version.number})
    return redirect("programs:plan_version", program.pk, version.number)


@login_required
@require_POST
def version_submit(request, pk: int, number: int):
    return _version_action(
        request,
        pk,
        number,
        permission="programs.manage",
        action=workflow.submit_version,
        success=_("Đã trình phiên bản %(n)s để phê duyệt."),
    )


@login_required
@require_POST
def version_approve(request, pk: int, number: int):
    return _version_action(
        request,
        pk,
        number,
        permission="programs.approve_plan",
        action=workflow.approve_version,
        success=_("Đã phê duyệt phiên bản %(n)s của kế hoạch."),
    )


@login_required
@require_POST
def version_return(request, pk: int, number: int):
    program, version = get_version(request, pk, number)
    require(request.user, "programs.approve_plan", program)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            workflow.return_version(version, by=request.user, remark=_clean_text(form.cleaned_data["remark"]))
        except ValidationError as exc:
            form.add_error(None, exc)
    if not form.is_valid():
        return render_version(request, program, version, return_form=form)
    messages.success(request, _("Đã trả lại phiên bản %(n)s để sửa.") % {"n": version.number})
    return redirect("programs:plan_version", program.pk, version.number)


@login_required
@require_POST
def version_comment(request, pk: int, number: int):
    program, version = get_version(request, pk, number)
    # Nobody comments on a draft they may not read (a committee seat alone does not show drafts).
    require(request.user, "programs.view_internals", program)
    require(request.user, "programs.comment_plan", program)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            workflow.add_comment(
                version,
                by=request.user,
                text=_clean_text(form.cleaned_data["text"]),
                section=form.cleaned_data["section"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
    if not form.is_valid():
        return render_version(request, program, version, comment_form=form)
    messages.success(request, _("Đã gửi ý kiến."))
    return redirect(reverse("programs:plan_version", args=[program.pk, version.number]) + "#y-kien")


# --- differences between two versions -------------------------------------------------------------


@login_required
def plan_diff(request, pk: int):
    """?a=1&b=2: what changed from version a to version b, section by section."""
    program = get_program(request, pk, "plan")
    require(request.user, "programs.view_internals", program)
    versions = list(program.plan.versions.order_by("number").only("pk", "number", "status", "sections"))
    by_number = {v.number: v for v in versions}
    error = ""
    old = new = None
    if len(versions) < 2:
        error = _("Kế hoạch mới có một phiên bản; cần ít nhất hai phiên bản để so sánh.")
    else:
        try:
            b = int(request.GET.get("b") or versions[-1].number)
            a = int(request.GET.get("a") or max((n for n in by_number if n < b), default=versions[0].number))
        except ValueError:
            error = _("Số phiên bản phải là số nguyên, ví dụ ?a=1&b=2.")
        else:
            old, new = by_number.get(a), by_number.get(b)
            if old is None or new is None:
                missing = a if old is None else b
                error = _("Kế hoạch không có phiên bản %(n)s.") % {"n": missing}
                old = new = None
            elif a == b:
                error = _("Hãy chọn hai phiên bản khác nhau.")
                old = new = None
    context = program_context(
        request,
        program,
        "programs:plan",
        title=_("So sánh các phiên bản kế hoạch"),
        versions=versions,
        old=old,
        new=new,
        error=error,
        sections=diff_versions(old, new) if old and new else [],
    )
    return render(request, "programs/plan_diff.html", context)


# --- the plan as an official document ----------------------------------------------------------------


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def plan_document_context(program, version: PlanVersion) -> dict:
    """The official plan: numbered sections, issued by the host and its standing agency,
    dated by the approval. A version that is not the approved one carries a mark instead."""
    official = version.status == PlanVersion.Status.APPROVED
    sections = []
    for i, (_key, label, text) in enumerate(version.section_items()):
        sections.append({"numeral": ROMAN[i], "heading": str(label).upper(), "paragraphs": _paragraphs(text)})
    # The text ends with "./." as the guide asks.
    last = next((s for s in reversed(sections) if s["paragraphs"]), None)
    if last and not last["paragraphs"][-1].endswith("./."):
        last["paragraphs"][-1] = last["paragraphs"][-1].rstrip(".") + "./."
    members = list(ordered_committee(program))
    host_short = host_short_name(program)
    agencies = []
    for member in members:
        if member.agency_id not in (program.host_id, program.standing_agency_id) and member.agency not in agencies:
            agencies.append(member.agency)
    storing = (
        program.standing_agency.name if program.standing_agency_id != program.host_id else f"Văn phòng {host_short}"
    )
    approved_on = timezone.localdate(version.approved_at) if version.approved_at else None
    return {
        "issuer": issuer_lines(program),  # signed T/M Ban Thường vụ, so issued by the Party committee itself
        "number": program.plan.number if official else "",
        "place": document_place(program),
        "date": approved_on,
        "doc_type": "KẾ HOẠCH",
        "summary": f"tổ chức {program_name(program)}",
        "program": program,
        "version": version,
        "mark": MARKS.get(version.status, ""),
        "sections": sections,
        "recipients": [
            f"Thường trực {host_short} (để b/c)",
            "Các đồng chí thành viên Ban tổ chức",
            *[agency.name for agency in agencies],
            f"Lưu {storing}",
        ],
        "signature": head_signature(program, head_of(members)),
    }


def _plan_pdf(request, program, version):
    pdf = render_pdf("documents/plan.html", plan_document_context(program, version), request=request)
    # Short names: the program's title would make a file name of 200 characters.
    year = program.start_date.year
    if version.status == PlanVersion.Status.APPROVED:
        number = program.plan.number.replace("/", "-")
        name = f"Kế hoạch {number}.pdf" if number else f"Kế hoạch chương trình {year}.pdf"
    else:
        name = f"Kế hoạch chương trình {year} – phiên bản {version.number} ({version.get_status_display().lower()}).pdf"
    return pdf_response(pdf, name)


@login_required
def plan_pdf(request, pk: int):
    """The plan as it stands: the approved version, or the latest version marked as a draft."""
    program = get_program(request, pk, "plan")
    require(request.user, "programs.view_internals", program)
    versions = program.plan.versions.select_related("approved_by")
    version = versions.filter(status=PlanVersion.Status.APPROVED).first() or versions.order_by("-number").first()
    if version is None:
        messages.error(request, _("Kế hoạch chưa có phiên bản nào."))
        return redirect("programs:plan", program.pk)
    return _plan_pdf(request, program, version)


@login_required
def version_pdf(request, pk: int, number: int):
    program, version = get_version(request, pk, number)
    require(request.user, "programs.view_internals", program)
    return _plan_pdf(request, program, version)


urlpatterns = [
    path("<int:pk>/ke-hoach/", plan, name="plan"),
    path("<int:pk>/ke-hoach/tao-phien-ban/", new_version, name="plan_new_version"),
    path("<int:pk>/ke-hoach/so-ke-hoach/", plan_number, name="plan_number"),
    path("<int:pk>/ke-hoach/so-sanh/", plan_diff, name="plan_diff"),
    path("<int:pk>/ke-hoach/ke-hoach.pdf", plan_pdf, name="plan_pdf"),
    path("<int:pk>/ke-hoach/phien-ban/<int:number>/", version_detail, name="plan_version"),
    path("<int:pk>/ke-hoach/phien-ban/<int:number>/sua/", version_edit, name="plan_version_edit"),
    path("<int:pk>/ke-hoach/phien-ban/<int:number>/trinh/", version_submit, name="plan_version_submit"),
    path("<int:pk>/ke-hoach/phien-ban/<int:number>/phe-duyet/", version_approve, name="plan_version_approve"),
    path("<int:pk>/ke-hoach/phien-ban/<int:number>/tra-lai/", version_return, name="plan_version_return"),
    path("<int:pk>/ke-hoach/phien-ban/<int:number>/y-kien/", version_comment, name="plan_version_comment"),
    path("<int:pk>/ke-hoach/phien-ban/<int:number>/ke-hoach.pdf", version_pdf, name="plan_version_pdf"),
]
