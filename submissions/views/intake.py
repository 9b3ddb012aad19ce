"""Intake: a commune sends its questions, proposals and recommendations during the program's
intake window, follows them in its own list, and reads the answers once published.

- `program_items`, the program's tab: a commune leader's items in the program, the window and
  the button to send; organizers go to triage; others read the items they may see.
- `mine`: a commune leader's items across programs.
- `create` / `edit`: the item form (drafts and returned items), with several attachments.
- `submit`, `withdraw`, `attachment_upload`: the buttons of the item page's intake panel.
- `attachment`: a file of an item or of an answer, to those who may read it; never a public URL.

Objects come through `get_program` / `get_submission` / `submissions_for`, so another commune's
item is a 404; state changes go through `submissions.workflow`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dialogue.uploads import private_file_response
from directory.audit import actions_for
from directory.models import Role
from directory.permissions import can, require, role_of
from directory.views import paginate
from programs.models import Program
from programs.rules import manages

from .. import workflow
from ..deadlines import deadline_state, state_of, with_deadlines
from ..forms import AttachmentUploadForm, MineFilterForm, ProgramItemsFilterForm, SubmissionForm, program_communes
from ..models import Answer, Attachment, Routing, Submission
from ..rules import RESULT_STATUSES, commune_scope, published_answers, submissions_for
from .common import get_program, get_submission, program_context

S = Submission.Status
TAB = "submissions:program_items"
ROW_RELATED = ("program", "field", "topic_group", "merged_into")


# --- reads ---------------------------------------------------------------------------------------


def own_items(user) -> QuerySet[Submission]:
    """A commune leader's items: those their commune raised (or a commune it absorbed), and the
    drafts they started. Never other communes' items, even those published to all."""
    raised = Submission.objects.filter(commune_scope(user)).values("pk")
    return submissions_for(user).filter(Q(pk__in=raised) | Q(created_by=user, status=S.DRAFT))


def with_answer_facts(items: QuerySet[Submission]) -> QuerySet[Submission]:
    """`with_deadlines`, plus the answering agency and the first published answer, all in the
    list's one query."""
    current = (
        Routing.objects.filter(submission=OuterRef("pk"))
        .exclude(status=Routing.Status.REASSIGNED)
        .order_by("-routed_at", "-id")
    )
    published = Answer.objects.filter(submission=OuterRef("pk"), status=Answer.Status.PUBLISHED).order_by(
        "published_at", "id"
    )
    return with_deadlines(items).annotate(
        lead_agency_name=Subquery(current.values("lead_agency__name")[:1]),
        answer_published_at=Subquery(published.values("published_at")[:1]),
        published_answer_at=Subquery(published.values("submitted_at")[:1]),
        published_agency_name=Subquery(published.values("agency__name")[:1]),
        published_answered_by=Subquery(published.values("answered_by")[:1]),
    )


def finish_rows(rows, *, published_only: bool) -> list[Submission]:
    """Set each row's deadline state and answering agency (no queries). A commune reads only
    published answers, so its items count as answered once an answer is published — as the
    item page shows them."""
    rows = list(rows)
    for item in rows:
        if published_only:
            answered = item.published_answer_at
            item.deadline = deadline_state(item.current_deadline, timezone.localdate(answered) if answered else None)
        else:
            item.deadline = state_of(item)
        item.answering_agency = item.published_agency_name or item.published_answered_by or item.lead_agency_name
    return rows


def return_remark(item: Submission) -> str:
    """The organizers' remark when they returned the item for completion (the latest one)."""
    if item.status != S.RETURNED:
        return ""
    action = actions_for(item).filter(verb="submission.return").first()
    return (action.changes.get("remark") or "") if action else ""


def may_withdraw(user, item: Submission) -> bool:
    """The commune that sent it, or the organizers, take an item back before it is classified."""
    if item.status not in workflow.ALLOWED_FROM["withdraw"]:
        return False
    if manages(user, item.program):
        return True
    return role_of(user) == Role.COMMUNE_LEADER and item.commune_id == user.commune_id


def intake_panel_context(request, item: Submission) -> dict:
    """What the item page's intake panel needs beyond the page's own flags: the organizers'
    remark on a returned item (one query, only for returned items)."""
    return {"return_remark": return_remark(item)}


def _window_facts(program: Program) -> dict:
    is_open = program.intake_is_open()
    return {
        "intake_open": is_open,
        "window_message": "" if is_open else workflow.window_error(program),
    }


def _closed_message(program: Program) -> str:
    return "{} {}".format(
        workflow.window_error(program),
        _("Ngoài thời gian này hệ thống không nhận nội dung nào, kể cả bản nháp và tệp đính kèm."),
    )


# --- lists ---------------------------------------------------------------------------------------


@login_required
def program_items(request, program_pk: int):
    program = get_program(request, program_pk)
    user = request.user
    require(user, "programs.view_public", program)
    if can(user, "submissions.triage", program):
        try:
            return redirect(reverse("submissions:triage", args=[program.pk]))
        except NoReverseMatch:  # triage not installed: the organizers read the list below
            pass
    if role_of(user) == Role.COMMUNE_LEADER:
        return _commune_program_items(request, program)
    return _readonly_program_items(request, program)


def _commune_program_items(request, program: Program):
    user = request.user
    items = with_answer_facts(own_items(user).filter(program=program)).select_related(*ROW_RELATED)
    items = items.order_by(F("submitted_at").desc(nulls_first=True), "-id")
    page = paginate(request, items)
    page.object_list = finish_rows(page.object_list, published_only=True)
    # Items the organizers published to every commune, with their answers: other communes' too.
    shared = (
        submissions_for(user)
        .filter(program=program, public=True, status__in=RESULT_STATUSES)
        .exclude(pk__in=own_items(user).values("pk"))
        .select_related("field")
        .order_by("number")[:100]
    )
    context = program_context(
        request,
        program,
        TAB,
        title=_("Câu hỏi, đề xuất, kiến nghị của đơn vị"),
        page=page,
        shared=shared,
        commune=user.commune,
        can_send=program.intake_is_open()
        and can(user, "submissions.submit", program)
        and not _commune_refusal(user, program),
        **_window_facts(program),
    )
    return render(request, "submissions/program_items.html", context)


def _readonly_program_items(request, program: Program):
    form = ProgramItemsFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    # Drafts are the communes' own business until they are sent.
    items = submissions_for(request.user).filter(program=program).exclude(status=S.DRAFT)
    for name in ("status", "field", "kind"):
        if filters.get(name):
            items = items.filter(**{name: filters[name]})
    items = with_answer_facts(items).select_related(*ROW_RELATED, "commune", "commune__parent").order_by("number")
    page = paginate(request, items)
    page.object_list = finish_rows(page.object_list, published_only=False)
    query = request.GET.copy()
    query.pop("page", None)
    context = program_context(
        request,
        program,
        TAB,
        title=_("Câu hỏi, đề xuất, kiến nghị"),
        page=page,
        form=form,
        filter_query=query.urlencode(),
        readonly=True,
        **_window_facts(program),
    )
    return render(request, "submissions/program_items.html", context)


@login_required
def mine(request):
    user = request.user
    if role_of(user) != Role.COMMUNE_LEADER:
        raise PermissionDenied
    items = own_items(user)
    programs = Program.objects.filter(pk__in=items.values("program_id")).order_by("-start_date", "title")
    form = MineFilterForm(request.GET or None, programs=programs)
    filters = form.cleaned_data if form.is_valid() else {}
    if filters.get("status"):
        items = items.filter(status=filters["status"])
    if filters.get("program"):
        items = items.filter(program=filters["program"])
    rows = with_answer_facts(items).select_related(*ROW_RELATED)
    rows = rows.order_by(F("submitted_at").desc(nulls_first=True), "-id")
    page = paginate(request, rows)
    page.object_list = finish_rows(page.object_list, published_only=True)
    context = {
        "form": form,
        "page": page,
        "title": _("Câu hỏi, đề xuất, kiến nghị của đơn vị"),
        "commune": user.commune,
        "empty_title": _("Không có nội dung nào phù hợp") if filters else _("Đơn vị chưa gửi nội dung nào"),
        "empty_hint": _("Thử bỏ bớt điều kiện lọc.")
        if filters
        else _("Mở một chương trình, thẻ “Câu hỏi, đề xuất, kiến nghị”, để gửi trong thời gian tiếp nhận."),
    }
    return render(request, "submissions/mine.html", context)


# --- the form ------------------------------------------------------------------------------------


def _form_page(request, program: Program, form, *, item: Submission | None, on_behalf: bool, refusal: str = ""):
    context = program_context(
        request,
        program,
        TAB,
        title=_("Sửa nội dung") if item else _("Gửi câu hỏi, đề xuất, kiến nghị"),
        form=form,
        item=item,
        on_behalf=on_behalf,
        refusal=refusal,
        return_remark=return_remark(item) if item else "",
        attachments=list(item.attachments.all()) if item else [],
        program_window=workflow.window_error(program) if program.intake_opens else "",
        **_window_facts(program),
    )
    return render(request, "submissions/intake_form.html", context)


def _commune_refusal(user, program: Program) -> str:
    """Why a commune leader may not send to this program, or ""."""
    if not user.commune_id:
        return _("Tài khoản chưa gắn với xã, phường, thị trấn nào; hãy liên hệ quản trị hệ thống.")
    # The commune as it was when the program ran, or the one that absorbed it since (2025).
    units = program_communes(program).filter(Q(pk=user.commune_id) | Q(successor_id=user.commune_id))
    if not units.exists():
        return _("%(commune)s không thuộc địa bàn của chương trình này.") % {"commune": user.commune.full_name}
    return ""


def _handle_form(request, program: Program, item: Submission | None, *, on_behalf: bool):
    form = SubmissionForm(
        request.POST or None,
        request.FILES or None,
        instance=item,
        program=program,
        user=request.user,
        on_behalf=on_behalf,
    )
    if request.method == "POST":
        send = request.POST.get("action") == "send"
        if not program.intake_is_open():
            # Checked before anything else: the text typed stays on screen, nothing is kept.
            form.is_valid()
            form.add_error(None, _closed_message(program))
        elif form.is_valid():
            try:
                saved = workflow.save_intake(
                    form.save(commit=False),
                    by=request.user,
                    files=form.cleaned_data["files"],
                    remove=form.cleaned_data.get("remove_attachments") or [],
                    send=send,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if saved.status == S.SUBMITTED:
                    messages.success(
                        request,
                        _("Đã gửi “%(title)s”, số hiệu %(ref)s. Ban tổ chức sẽ báo khi tiếp nhận và chuyển xử lý.")
                        % {"title": saved.title, "ref": saved.reference},
                    )
                else:
                    messages.success(request, _("Đã lưu. Nội dung chưa được gửi; bấm “Gửi” khi đã hoàn chỉnh."))
                return redirect("submissions:detail", saved.pk)
    return _form_page(request, program, form, item=item, on_behalf=on_behalf)


@login_required
def create(request, program_pk: int):
    program = get_program(request, program_pk)
    user = request.user
    require(user, "submissions.submit", program)
    on_behalf = role_of(user) != Role.COMMUNE_LEADER  # organizers enter items on behalf of a commune
    refusal = "" if on_behalf else _commune_refusal(user, program)
    if refusal or (request.method != "POST" and not program.intake_is_open()):
        message = refusal or _closed_message(program)
        if request.method == "POST":
            messages.error(request, message)
        return _form_page(request, program, None, item=None, on_behalf=on_behalf, refusal=message)
    return _handle_form(request, program, None, on_behalf=on_behalf)


@login_required
def edit(request, pk: int):
    item = get_submission(request, pk)
    user = request.user
    require(user, "submissions.edit_own", item)
    program = item.program
    on_behalf = manages(user, program) and item.source in SubmissionForm.SOURCES_ON_BEHALF
    if request.method != "POST" and not program.intake_is_open():
        return _form_page(request, program, None, item=item, on_behalf=on_behalf, refusal=_closed_message(program))
    return _handle_form(request, program, item, on_behalf=on_behalf)


# --- the item page's buttons ---------------------------------------------------------------------


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@login_required
@require_POST
def submit(request, pk: int):
    item = get_submission(request, pk)
    require(request.user, "submissions.edit_own", item)
    try:
        item = workflow.submit(item, by=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Đã gửi, số hiệu %(ref)s.") % {"ref": item.reference})
    return redirect("submissions:detail", item.pk)


@login_required
@require_POST
def withdraw(request, pk: int):
    item = get_submission(request, pk)
    if not may_withdraw(request.user, item):
        raise PermissionDenied
    try:
        workflow.withdraw(item, by=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Đã rút lại “%(title)s”.") % {"title": item.title})
    return redirect("submissions:detail", item.pk)


@login_required
@require_POST
def attachment_upload(request, pk: int):
    item = get_submission(request, pk)
    require(request.user, "submissions.edit_own", item)
    form = AttachmentUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
    else:
        try:
            added = workflow.attach_files(item, form.cleaned_data["files"], by=request.user)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            names = ", ".join(a.original_name for a in added)
            messages.success(request, _("Đã đính kèm: %(names)s.") % {"names": names})
    return redirect("submissions:detail", item.pk)


@login_required
def attachment(request, pk: int):
    """A file of an item, or of an answer the user may read; 404 for anything else."""
    file = get_object_or_404(Attachment.objects.select_related("answer"), pk=pk)
    submission_id = file.submission_id or file.answer.submission_id
    item = get_object_or_404(submissions_for(request.user), pk=submission_id)
    if file.answer_id and not published_answers(item, request.user).filter(pk=file.answer_id).exists():
        raise Http404
    return private_file_response(file.file, file.original_name, file.content_type)


urlpatterns = [
    path("chuong-trinh/<int:program_pk>/cau-hoi/", program_items, name="program_items"),
    path("chuong-trinh/<int:program_pk>/cau-hoi/gui/", create, name="create"),
    path("cau-hoi/cua-toi/", mine, name="mine"),
    path("cau-hoi/<int:pk>/sua/", edit, name="edit"),
    path("cau-hoi/<int:pk>/gui/", submit, name="submit"),
    path("cau-hoi/<int:pk>/rut-lai/", withdraw, name="withdraw"),
    path("cau-hoi/<int:pk>/tep/", attachment_upload, name="attachment_upload"),
    path("tep/<int:pk>/", attachment, name="attachment"),
]
