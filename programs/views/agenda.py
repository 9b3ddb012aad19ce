"""The agenda (chương trình nghị sự): sessions by day, their editing, the printable programme
in the official frame and an iCalendar file for delegates' calendars."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dialogue.pdf import pdf_response, render_pdf
from directory.permissions import require

from .. import ical, workflow
from ..agenda_forms import SessionForm
from ..models import AgendaSession, Program
from .common import get_program, program_context
from .documents import document_place, issuer_lines

WEEKDAYS = [
    gettext_lazy("Thứ Hai"),
    gettext_lazy("Thứ Ba"),
    gettext_lazy("Thứ Tư"),
    gettext_lazy("Thứ Năm"),
    gettext_lazy("Thứ Sáu"),
    gettext_lazy("Thứ Bảy"),
    gettext_lazy("Chủ Nhật"),
]


def day_label(day: datetime.date) -> str:
    """The day as pages and documents write it: "Thứ Năm, 03/08/2023"."""
    return f"{WEEKDAYS[day.weekday()]}, {day:%d/%m/%Y}"


def agenda_days(program: Program, *, empty_days: bool = True) -> list[dict]:
    """The program's days in order, each with its sessions; a forums session carries the
    forums held that day (`session.day_forums`). Two queries, whatever the number of rows.
    Sessions left outside the program's dates (after its dates changed) get a day of their own,
    marked `outside`, so they are seen and corrected rather than lost."""
    sessions = list(program.agenda.order_by("starts_at", "id"))
    forums = program.forums.select_related("chair").order_by("starts_at", "id")
    forums_by_day = defaultdict(list)
    for forum in forums:
        forums_by_day[timezone.localtime(forum.starts_at).date()].append(forum)
    by_day = defaultdict(list)
    for session in sessions:
        day = timezone.localtime(session.starts_at).date()
        session.day_forums = forums_by_day[day] if session.kind == AgendaSession.Kind.FORUMS else []
        by_day[day].append(session)
    days = sorted(set(program.days if empty_days else []) | set(by_day))
    return [
        {
            "date": day,
            "label": day_label(day),
            "sessions": by_day.get(day, []),
            "outside": not program.start_date <= day <= program.end_date,
        }
        for day in days
    ]


@login_required
def agenda(request, pk: int):
    program = get_program(request, pk)
    require(request.user, "programs.view_public", program)
    context = program_context(request, program, "programs:agenda", days=agenda_days(program))
    return render(request, "programs/agenda.html", context)


@login_required
def session_form(request, pk: int, session_pk: int | None = None):
    program = get_program(request, pk)
    require(request.user, "programs.manage", program)
    session = get_object_or_404(program.agenda, pk=session_pk) if session_pk else None
    form = SessionForm(request.POST or None, instance=session, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            session = workflow.save_session(form.save(commit=False), by=request.user)
        except ValidationError as exc:
            form.show_workflow_errors(exc)
        else:
            messages.success(request, _("Đã lưu hoạt động “%(title)s”.") % {"title": session.title})
            return redirect(f"{reverse('programs:agenda', args=[program.pk])}#session-{session.pk}")
    title = _("Sửa hoạt động") if session else _("Thêm hoạt động vào chương trình")
    context = program_context(request, program, "programs:agenda", form=form, title=title, session=session)
    return render(request, "programs/agenda_form.html", context)


@login_required
@require_POST
def session_delete(request, pk: int, session_pk: int):
    program = get_program(request, pk)
    require(request.user, "programs.manage", program)
    session = get_object_or_404(program.agenda, pk=session_pk)
    session.delete()
    messages.success(request, _("Đã xóa hoạt động “%(title)s”.") % {"title": session.title})
    return redirect("programs:agenda", program.pk)


def subject_of(program: Program) -> str:
    """The program's title without its leading "Chương trình", which the document type already says."""
    title = program.title.strip()
    head = "chương trình "
    return title[len(head) :] if title.lower().startswith(head) else title


@login_required
def programme_pdf(request, pk: int):
    program = get_program(request, pk)
    require(request.user, "programs.view_public", program)
    context = {
        "program": program,
        "issuer": issuer_lines(program),
        "place": document_place(program),
        "number": "",  # numbered and dated when issued, as the program's other documents
        "date": None,
        "doc_type": "CHƯƠNG TRÌNH",
        "summary": subject_of(program),
        "days": agenda_days(program, empty_days=False),
    }
    pdf = render_pdf("documents/programme.html", context, request=request)
    return pdf_response(pdf, _("Chương trình nghị sự - %(title)s.pdf") % {"title": program.title[:120]})


def _session_event(session: AgendaSession, url: str) -> ical.Event:
    lines = [_("Loại hoạt động: %(kind)s") % {"kind": session.get_kind_display()}]
    if session.chair:
        lines.append(_("Chủ trì: %(chair)s") % {"chair": session.chair})
    if session.presenters.strip():
        lines.append(_("Người trình bày: %(people)s") % {"people": "; ".join(session.presenters.split("\n"))})
    for forum in session.day_forums:
        lines.append(
            _("%(forum)s – chủ trì: %(chair)s, %(room)s")
            % {"forum": forum.title, "chair": forum.chair.full_name, "room": forum.room}
        )
    return ical.Event(
        uid=f"session-{session.pk}@doithoai",
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        summary=session.title,
        location=session.place,
        description="\n".join(line.strip() for line in lines),
        url=url,
    )


@login_required
def agenda_ics(request, pk: int):
    program = get_program(request, pk)
    require(request.user, "programs.view_public", program)
    url = request.build_absolute_uri(reverse("programs:agenda", args=[program.pk]))
    sessions = [s for day in agenda_days(program, empty_days=False) for s in day["sessions"]]
    body = ical.calendar((_session_event(s, url) for s in sessions), name=program.title)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="chuong-trinh-{program.pk}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("<int:pk>/nghi-su/", agenda, name="agenda"),
    path("<int:pk>/nghi-su/them/", session_form, name="session_add"),
    path("<int:pk>/nghi-su/<int:session_pk>/sua/", session_form, name="session_edit"),
    path("<int:pk>/nghi-su/<int:session_pk>/xoa/", session_delete, name="session_delete"),
    path("<int:pk>/nghi-su/chuong-trinh.pdf", programme_pdf, name="programme_pdf"),
    path("<int:pk>/nghi-su/lich.ics", agenda_ics, name="agenda_ics"),
]
