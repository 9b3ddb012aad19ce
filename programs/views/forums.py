"""Topic groups and forums (diễn đàn): who chairs and records each forum, the notes taken
during it, and the consolidated report of all forums that the standing agency sends to every
delegate. Delegates read the forums and the report; the notes themselves, drafts until the
report is sent, are shown in the app only to internal readers and to the forum's recorders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dialogue.pdf import pdf_response, render_pdf
from directory.models import Agency
from directory.permissions import can, require

from .. import workflow
from ..agenda_forms import ForumForm, ForumNoteForm, ForumSummaryForm, TopicGroupForm
from ..models import CommitteeMember, Forum, ForumNote, Program
from .agenda import day_label
from .common import get_program, program_context
from .documents import document_place, head_of, head_signature, host_short_name, issuer_lines, program_name

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]


def _forums(program: Program):
    """The program's forums with everything their cards show, in a fixed number of queries."""
    return (
        program.forums.select_related("topic_group", "chair", "rapporteur")
        .prefetch_related(Prefetch("co_chairs", queryset=CommitteeMember.objects.order_by("order", "id")))
        .order_by("starts_at", "id")
    )


def _forum(program: Program, forum_pk: int) -> Forum:
    # Through the program's own manager: another program's forum is a 404.
    return get_object_or_404(_forums(program), pk=forum_pk)


def sees_notes(user, forum: Forum) -> bool:
    return can(user, "programs.view_internals", forum.program) or can(user, "programs.record_forum", forum)


def may_change_note(user, note: ForumNote) -> bool:
    """A recorder changes their own notes; managers change any."""
    forum = note.forum
    if can(user, "programs.manage", forum.program):
        return True
    return note.recorded_by_id == user.pk and can(user, "programs.record_forum", forum)


# --- topic groups -------------------------------------------------------------------------------


@login_required
def topic_groups(request, pk: int):
    program = get_program(request, pk)
    require(request.user, "programs.manage", program)
    groups = program.topic_groups.annotate(forum_count=Count("forums")).order_by("order", "id")
    context = program_context(request, program, "programs:forums", groups=groups)
    return render(request, "programs/topic_groups.html", context)


@login_required
def topic_form(request, pk: int, topic_pk: int | None = None):
    program = get_program(request, pk)
    require(request.user, "programs.manage", program)
    group = get_object_or_404(program.topic_groups, pk=topic_pk) if topic_pk else None
    form = TopicGroupForm(request.POST or None, instance=group, program=program)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Đã lưu nhóm vấn đề."))
        return redirect("programs:topic_groups", program.pk)
    title = _("Sửa nhóm vấn đề") if group else _("Thêm nhóm vấn đề")
    context = program_context(request, program, "programs:forums", form=form, title=title)
    return render(request, "programs/topic_form.html", context)


@login_required
@require_POST
def topic_delete(request, pk: int, topic_pk: int):
    program = get_program(request, pk)
    require(request.user, "programs.manage", program)
    group = get_object_or_404(program.topic_groups, pk=topic_pk)
    try:
        workflow.delete_topic_group(group, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã xóa nhóm vấn đề."))
    return redirect("programs:topic_groups", program.pk)


# --- forums -------------------------------------------------------------------------------------


@login_required
def forums(request, pk: int):
    program = get_program(request, pk)
    require(request.user, "programs.view_public", program)
    rows = list(_forums(program).annotate(note_count=Count("notes")))
    for forum in rows:
        forum.day_label = day_label(timezone.localtime(forum.starts_at).date())
    context = program_context(
        request,
        program,
        "programs:forums",
        forums=rows,
        show_notes=can(request.user, "programs.view_internals", program),
    )
    return render(request, "programs/forums.html", context)


@login_required
def forum_detail(request, pk: int, forum_pk: int):
    program = get_program(request, pk)
    require(request.user, "programs.view_public", program)
    forum = _forum(program, forum_pk)
    show_notes = sees_notes(request.user, forum)
    can_record = can(request.user, "programs.record_forum", forum)
    notes = []
    if show_notes:
        notes = list(forum.notes.select_related("recorded_by").order_by("order", "id"))
        for note in notes:
            note.forum = forum  # the rule reads the forum's people; they are loaded already
            note.changeable = can_record and may_change_note(request.user, note)
    context = program_context(
        request,
        program,
        "programs:forums",
        forum=forum,
        day=day_label(timezone.localtime(forum.starts_at).date()),
        show_notes=show_notes,
        can_record=can_record,
        notes=notes,
        note_form=ForumNoteForm() if can_record else None,
    )
    return render(request, "programs/forum_detail.html", context)


@login_required
def forum_form(request, pk: int, forum_pk: int | None = None):
    program = get_program(request, pk)
    require(request.user, "programs.manage", program)
    forum = _forum(program, forum_pk) if forum_pk else None
    form = ForumForm(request.POST or None, instance=forum, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            forum = workflow.save_forum(form.save(commit=False), form.cleaned_data["co_chairs"], by=request.user)
        except ValidationError as exc:
            form.show_workflow_errors(exc)
        else:
            messages.success(request, _("Đã lưu diễn đàn “%(title)s”.") % {"title": forum.title})
            return redirect("programs:forum_detail", program.pk, forum.pk)
    title = _("Sửa diễn đàn") if forum else _("Thêm diễn đàn")
    context = program_context(
        request,
        program,
        "programs:forums",
        form=form,
        title=title,
        forum=forum,
        no_groups=not program.topic_groups.exists(),
    )
    return render(request, "programs/forum_form.html", context)


@login_required
@require_POST
def forum_delete(request, pk: int, forum_pk: int):
    program = get_program(request, pk)
    require(request.user, "programs.manage", program)
    forum = _forum(program, forum_pk)
    try:
        workflow.delete_forum(forum, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("programs:forum_detail", program.pk, forum.pk)
    messages.success(request, _("Đã xóa diễn đàn “%(title)s”.") % {"title": forum.title})
    return redirect("programs:forums", program.pk)


# --- notes and summary --------------------------------------------------------------------------


def _recording(request, pk: int, forum_pk: int) -> tuple[Program, Forum]:
    program = get_program(request, pk)
    forum = _forum(program, forum_pk)
    require(request.user, "programs.record_forum", forum)
    return program, forum


def _back_to_notes(program: Program, forum: Forum):
    return redirect(f"{reverse('programs:forum_detail', args=[program.pk, forum.pk])}#notes")


@login_required
def note_add(request, pk: int, forum_pk: int):
    program, forum = _recording(request, pk, forum_pk)
    form = ForumNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        note = form.save(commit=False)
        note.forum, note.recorded_by = forum, request.user
        note.save()
        messages.success(request, _("Đã ghi: %(note)s.") % {"note": note})
        return _back_to_notes(program, forum)
    context = program_context(request, program, "programs:forums", form=form, forum=forum, title=_("Ghi ý kiến"))
    return render(request, "programs/forum_note_form.html", context)


def _own_note(request, forum: Forum, note_pk: int) -> ForumNote:
    note = get_object_or_404(forum.notes, pk=note_pk)
    note.forum = forum
    if not may_change_note(request.user, note):
        raise PermissionDenied
    return note


@login_required
def note_edit(request, pk: int, forum_pk: int, note_pk: int):
    program, forum = _recording(request, pk, forum_pk)
    note = _own_note(request, forum, note_pk)
    form = ForumNoteForm(request.POST or None, instance=note)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Đã sửa ghi chép."))
        return _back_to_notes(program, forum)
    context = program_context(request, program, "programs:forums", form=form, forum=forum, title=_("Sửa ghi chép"))
    return render(request, "programs/forum_note_form.html", context)


@login_required
@require_POST
def note_delete(request, pk: int, forum_pk: int, note_pk: int):
    program, forum = _recording(request, pk, forum_pk)
    _own_note(request, forum, note_pk).delete()
    messages.success(request, _("Đã xóa ghi chép."))
    return _back_to_notes(program, forum)


@login_required
def forum_summary(request, pk: int, forum_pk: int):
    program, forum = _recording(request, pk, forum_pk)
    form = ForumSummaryForm(request.POST or None, instance=forum)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Đã lưu tóm tắt kết quả diễn đàn."))
        return redirect("programs:forum_detail", program.pk, forum.pk)
    title = _("Tóm tắt kết quả: %(forum)s") % {"forum": forum.title}
    context = program_context(request, program, "programs:forums", form=form, forum=forum, title=title)
    return render(request, "programs/forum_note_form.html", context)


# --- the consolidated report --------------------------------------------------------------------


def issuing_body(program: Program) -> str:
    """The standing agency as the body text names it: "Ban Dân vận Tỉnh ủy Nghệ An" -> "Ban Dân vận"."""
    name = program.standing_agency.name.strip()
    for suffix in (program.host.name, host_short_name(program)):
        if suffix and name.casefold().endswith(suffix.casefold()) and len(name) > len(suffix):
            name = name[: -len(suffix)].strip(" ,-–")
    return name


def report_signature(program: Program) -> dict:
    """The head of the standing agency signs, or a deputy for them (K/T), taken from the committee;
    a host that is its own standing agency signs as the committee's documents do."""
    rank = {role: i for i, role in enumerate(CommitteeMember.ROLE_ORDER)}
    members = sorted(program.committee.all(), key=lambda m: (rank[m.role], m.order, m.pk))
    if program.standing_agency_id == program.host_id:
        return head_signature(program, head_of(members))
    staff = [
        m for m in members if m.agency_id == program.standing_agency_id and m.role != CommitteeMember.Role.SECRETARIAT
    ]
    if not staff:
        return {"title": "TRƯỞNG BAN" if program.standing_agency.kind == Agency.Kind.PARTY_BOARD else ""}
    signer = staff[0]
    position = signer.position.casefold()
    if position.startswith("phó trưởng ban"):
        return {"form": "K/T TRƯỞNG BAN", "title": "PHÓ TRƯỞNG BAN", "signer": signer.full_name}
    if position.startswith("trưởng ban"):
        return {"title": "TRƯỞNG BAN", "signer": signer.full_name}
    return {"title": signer.position.split(",")[0].upper(), "signer": signer.full_name}


def report_context(program: Program) -> dict:
    notes = ForumNote.objects.order_by("order", "id")
    rows = list(_forums(program).prefetch_related(Prefetch("notes", queryset=notes)))
    for number, forum in enumerate(rows):
        forum.numeral = ROMAN[number] if number < len(ROMAN) else str(number + 1)
        forum.day_label = day_label(timezone.localtime(forum.starts_at).date())
        forum.points = [n for n in forum.notes.all() if n.kind == ForumNote.Kind.POINT]
        forum.answers = [n for n in forum.notes.all() if n.kind == ForumNote.Kind.ANSWER]
    body = issuing_body(program)
    return {
        "program": program,
        "forums": rows,
        "issuer": issuer_lines(program, with_standing_agency=True),
        "issuing_body": body,
        "number": "",  # numbered and dated by the standing agency when signed
        "place": document_place(program),
        "date": None,
        "doc_type": "BÁO CÁO",
        "summary": f"tổng hợp kết quả các diễn đàn thảo luận tại {program_name(program)}",
        "recipients": [
            f"Thường trực {host_short_name(program)} (để b/c)",
            "Các đồng chí thành viên Ban tổ chức chương trình",
            "Các đại biểu dự chương trình",
            f"Lưu {body}",
        ],
        "signature": report_signature(program),
    }


@login_required
def forum_report(request, pk: int):
    program = get_program(request, pk)
    # Every delegate receives the report, so everyone who may open the program may download it.
    require(request.user, "programs.view_public", program)
    pdf = render_pdf("documents/forum_report.html", report_context(program), request=request)
    return pdf_response(pdf, _("Báo cáo tổng hợp các diễn đàn - %(title)s.pdf") % {"title": program.title[:110]})


urlpatterns = [
    path("<int:pk>/dien-dan/", forums, name="forums"),
    path("<int:pk>/dien-dan/them/", forum_form, name="forum_add"),
    path("<int:pk>/dien-dan/bao-cao-tong-hop.pdf", forum_report, name="forum_report"),
    path("<int:pk>/dien-dan/<int:forum_pk>/", forum_detail, name="forum_detail"),
    path("<int:pk>/dien-dan/<int:forum_pk>/sua/", forum_form, name="forum_edit"),
    path("<int:pk>/dien-dan/<int:forum_pk>/xoa/", forum_delete, name="forum_delete"),
    path("<int:pk>/dien-dan/<int:forum_pk>/tom-tat/", forum_summary, name="forum_summary"),
    path("<int:pk>/dien-dan/<int:forum_pk>/ghi-chep/them/", note_add, name="note_add"),
    path("<int:pk>/dien-dan/<int:forum_pk>/ghi-chep/<int:note_pk>/sua/", note_edit, name="note_edit"),
    path("<int:pk>/dien-dan/<int:forum_pk>/ghi-chep/<int:note_pk>/xoa/", note_delete, name="note_delete"),
    path("<int:pk>/nhom-van-de/", topic_groups, name="topic_groups"),
    path("<int:pk>/nhom-van-de/them/", topic_form, name="topic_add"),
    path("<int:pk>/nhom-van-de/<int:topic_pk>/sua/", topic_form, name="topic_edit"),
    path("<int:pk>/nhom-van-de/<int:topic_pk>/xoa/", topic_delete, name="topic_delete"),
]
