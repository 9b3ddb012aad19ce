"""The yearly follow-up report of a notice (PDF or Excel, made by a background job with a progress
bar) and the carry-over page: what the previous program of the same series achieved and what it
left open, reviewed when the next one is prepared (Nghệ An began the 2023 program by reviewing
the 2018 one). Both are for those who read the follow-up (`conclusions.view_followup`);
notices come through `notices_for`, so another province's notice is a 404."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directory import jobs as background_jobs
from directory.models import BackgroundJob
from directory.permissions import can
from programs.views.common import get_program, program_context
from submissions.deadlines import DeadlineState, state_of, with_deadlines
from submissions.rules import submissions_for

from .. import jobs
from ..followup_report import DONE_STATES, NOT_COUNTED, REPORT_STATE_ORDER
from ..models import Assignment, ConclusionNotice
from ..rules import PUBLISHED, notices_for
from ..status import BADGE, AssignmentState, with_state

FORMATS = {"pdf": jobs.PDF_KIND, "xlsx": jobs.XLSX_KIND}
RECENT_JOBS = 10


def _notice(request, notice_pk: int) -> ConclusionNotice:
    notice = get_object_or_404(
        notices_for(request.user).select_related("program__host", "program__area", "program__standing_agency"),
        pk=notice_pk,
    )
    if not can(request.user, "conclusions.view_followup", notice.program):
        raise PermissionDenied
    return notice


def year_choices(notice: ConclusionNotice) -> list[int]:
    """From the year the notice was issued to this year, the latest first."""
    this_year = timezone.localdate().year
    first = notice.issued_on.year if notice.issued_on else this_year
    return list(range(this_year, min(first, this_year) - 1, -1))


def _year(value, choices: list[int]) -> int | None:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if year in choices else None


@login_required
def followup_report(request, notice_pk: int):
    notice = _notice(request, notice_pk)
    choices = year_choices(notice)
    year = _year(request.GET.get("nam"), choices) or choices[0]
    recent = BackgroundJob.objects.filter(
        created_by=request.user, kind__in=jobs.KINDS, params__notice=notice.pk
    ).order_by("-created_at", "-id")[:RECENT_JOBS]
    context = program_context(
        request,
        notice.program,
        "conclusions:notices",
        notice=notice,
        title=_("Báo cáo kết quả thực hiện Thông báo kết luận %(number)s")
        % {"number": notice.number or _("(dự thảo)")},
        issued=notice.status in PUBLISHED,
        years=choices,
        year=year,
        recent=recent,
    )
    return render(request, "conclusions/report_followup.html", context)


@login_required
@require_POST
def followup_report_start(request, notice_pk: int):
    notice = _notice(request, notice_pk)
    if notice.status not in PUBLISHED:
        messages.error(request, _("Chỉ lập báo cáo kết quả thực hiện cho thông báo đã ban hành."))
        return redirect("conclusions:followup_report", notice_pk=notice.pk)
    year = _year(request.POST.get("nam"), year_choices(notice))
    kind = FORMATS.get(request.POST.get("dinh_dang", ""))
    if year is None or kind is None:
        messages.error(request, _("Hãy chọn năm báo cáo và định dạng tệp (PDF hoặc Excel)."))
        return redirect("conclusions:followup_report", notice_pk=notice.pk)
    label = "PDF" if kind == jobs.PDF_KIND else "Excel"
    title = _("Báo cáo kết quả thực hiện Thông báo kết luận %(number)s năm %(year)s (%(format)s)") % {
        "number": notice.number,
        "year": year,
        "format": label,
    }
    job = background_jobs.start(kind, jobs.params(notice, year), by=request.user, title=title)
    return redirect("directory:job_status", job_pk=job.pk)


# --- carry-over -----------------------------------------------------------------------------------


def _carryover_notices(user, program):
    """The issued notices of `program` with their assignments, states counted (3 queries)."""
    today = timezone.localdate()
    notices = list(
        notices_for(user).filter(program=program, status=ConclusionNotice.Status.ISSUED).order_by("issued_on", "id")
    )
    assignments = list(
        with_state(Assignment.objects.filter(notice__in=[n.pk for n in notices]), today)
        .select_related("lead_agency")
        .order_by("notice_id", "order", "id")
    )
    for notice in notices:
        notice.rows = [a for a in assignments if a.notice_id == notice.pk]
        for row in notice.rows:
            row.state_label = AssignmentState(row.state).label
            row.badge = BADGE[row.state]
        counts = Counter(row.state for row in notice.rows)
        notice.state_counts = [(s, s.label, counts[s], BADGE[s]) for s in REPORT_STATE_ORDER if counts[s]]
        notice.open_rows = [row for row in notice.rows if row.state not in DONE_STATES]
        notice.done_rows = [row for row in notice.rows if row.state in DONE_STATES]
    return notices


def _carryover_submissions(user, program):
    items = list(
        with_deadlines(submissions_for(user).filter(program=program).exclude(status__in=NOT_COUNTED))
        .select_related("commune")
        .order_by("number", "id")
    )
    for item in items:
        item.deadline_state = state_of(item)
    still_open = [
        i
        for i in items
        if i.deadline_state
        in (None, DeadlineState.OPEN_WITHIN, DeadlineState.OPEN_OVERDUE, DeadlineState.ANSWERED_LATE)
    ]
    answered = [i for i in items if i.deadline_state == DeadlineState.ANSWERED_ON_TIME]
    return items, still_open, answered


@login_required
def carryover(request, pk: int):
    program = get_program(request, pk)
    if not can(request.user, "conclusions.view_followup", program):
        raise PermissionDenied
    previous = program.previous
    context = {"previous": previous}
    if previous is not None:
        notices = _carryover_notices(request.user, previous)
        items, open_items, answered = _carryover_submissions(request.user, previous)
        rows = [row for notice in notices for row in notice.rows]
        context.update(
            notices=notices,
            assignment_total=len(rows),
            done_total=sum(1 for row in rows if row.state in DONE_STATES),
            open_total=sum(1 for row in rows if row.state not in DONE_STATES),
            submission_total=len(items),
            open_items=open_items,
            answered_count=len(answered),
            late_answered_count=sum(1 for i in open_items if i.deadline_state == DeadlineState.ANSWERED_LATE),
        )
    return render(
        request,
        "conclusions/carryover.html",
        program_context(request, program, "conclusions:carryover", title=_("Kết quả kỳ trước"), **context),
    )


urlpatterns = [
    path("<int:notice_pk>/bao-cao-thuc-hien/", followup_report, name="followup_report"),
    path("<int:notice_pk>/bao-cao-thuc-hien/tao/", followup_report_start, name="followup_report_start"),
    path("chuong-trinh/<int:pk>/ket-qua-ky-truoc/", carryover, name="carryover"),
]
