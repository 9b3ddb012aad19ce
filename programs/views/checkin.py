"""The door, the attendance and the badges (issue 7, items 5–7).

- `checkin`: the door staff's page, made for a phone: a search box that answers as one types
  (htmx, `checkin_search`), a "Điểm danh" button per delegate (`checkin_do`), and a camera button
  that reads a badge's QR with the browser's BarcodeDetector and posts its token
  (`checkin_scan`). A repeated scan says when the delegate came in; an organizer can undo a
  check-in with a reason (`checkin_undo`). Without JavaScript the search is a plain form.
- `attendance`: counts by district, commune, post and forum and the list of those not yet in,
  refreshing itself every 30 seconds; `attendance_export` is the same as Excel.
- `badges`: choose which badges to print and start the background job (`programs.badges`).

Check-ins go through `programs.delegates` (once per delegate, audited); reads through
`programs.checkin`. Permissions: `programs.check_in`, `programs.view_attendance`,
`programs.make_badges` (programs/checkin_rules.py).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dialogue import excel
from directory import jobs
from directory.models import AdminUnit
from directory.permissions import can, require

from .. import badges, checkin, checkin_rules  # noqa: F401  (checkin_rules registers the permissions)
from .. import delegates as workflow
from .. import jobs as program_jobs
from ..models import CheckIn, Delegate, Program
from .common import get_program, program_context

TAB = "programs:delegates"
SEARCH_LIMIT = 20
ABSENT_SHOWN = 300


def _program(request, pk: int, permission: str) -> Program:
    program = get_program(request, pk)
    require(request.user, permission, program)
    return program


def _time(at) -> str:
    """ "07:42", or "07:42 ngày 03/08/2023" for a check-in of another day (Vietnam time)."""
    local = timezone.localtime(at)
    if local.date() == timezone.localdate():
        return local.strftime("%H:%M")
    return _("%(time)s ngày %(date)s") % {"time": local.strftime("%H:%M"), "date": local.strftime("%d/%m/%Y")}


def _present_count(program: Program) -> tuple[int, int]:
    total = Delegate.objects.filter(program=program).count()
    present = CheckIn.objects.filter(delegate__program=program, undone_at__isnull=True).count()
    return present, total


def _row_context(request, program: Program, delegate: Delegate, **extra) -> dict:
    return {
        "program": program,
        "d": delegate,
        "may_undo": can(request.user, "programs.check_in", program),
        **extra,
    }


def _with_times(delegates: list[Delegate]) -> list[Delegate]:
    for delegate in delegates:
        delegate.checked_in_time = _time(delegate.checked_in_at) if delegate.checked_in_at else ""
    return delegates


def _results_context(request, program: Program, query: str) -> dict:
    results = _with_times(checkin.find_delegates(program, query, SEARCH_LIMIT)) if query.strip() else []
    return {
        "program": program,
        "query": query,
        "results": results,
        "searched": bool(query.strip()),
        "limit": SEARCH_LIMIT,
        "may_undo": can(request.user, "programs.check_in", program),
    }


# --- the door ------------------------------------------------------------------------------------


@login_required
def checkin_page(request, pk: int):
    program = _program(request, pk, "programs.check_in")
    query = request.GET.get("q", "")[:100]
    present, total = _present_count(program)
    context = {
        **_results_context(request, program, query),
        "title": _("Điểm danh đại biểu"),
        "present": present,
        "total": total,
        "may_view_attendance": can(request.user, "programs.view_attendance", program),
    }
    return render(request, "programs/checkin.html", context)


@login_required
def checkin_search(request, pk: int):
    program = _program(request, pk, "programs.check_in")
    query = request.GET.get("q", "")[:100]
    return render(request, "programs/checkin_results.html", _results_context(request, program, query))


def _delegate_reloaded(program: Program, delegate_pk: int) -> Delegate:
    return checkin.with_checkin(Delegate.objects.filter(program=program, pk=delegate_pk)).get()


def _back_to_door(program: Program, query: str = ""):
    url = reverse("programs:checkin", args=[program.pk])
    return redirect(f"{url}?{urlencode({'q': query})}" if query else url)


def _answer(request, program: Program, delegate: Delegate, outcome: str, message: str):
    """The row of the delegate (htmx), JSON (the camera asks for it), or back to the page."""
    delegate = _with_times([_delegate_reloaded(program, delegate.pk)])[0]
    if "application/json" in request.headers.get("Accept", ""):
        present, total = _present_count(program)
        return JsonResponse(
            {
                "status": outcome,
                "message": message,
                "name": delegate.full_name,
                "at": timezone.localtime(delegate.checked_in_at).strftime("%H:%M") if delegate.checked_in_at else "",
                "present": present,
                "total": total,
            }
        )
    if getattr(request, "htmx", False):
        present, total = _present_count(program)
        context = {
            **_row_context(request, program, delegate),
            "outcome": outcome,
            "message": message,
            "present": present,
            "total": total,
            "oob_count": True,
        }
        return render(request, "programs/checkin_row.html", context)
    level = messages.success if outcome == "checked_in" else messages.info if outcome == "already" else messages.error
    level(request, message)
    return _back_to_door(program, request.POST.get("q", ""))


def _check_in(request, program: Program, delegate: Delegate):
    entry, created = workflow.check_in(delegate, by=request.user)
    if created:
        return "checked_in", _("Đã điểm danh %(name)s lúc %(time)s.") % {
            "name": delegate.full_name,
            "time": _time(entry.at),
        }
    return "already", _("%(name)s đã điểm danh lúc %(time)s.") % {"name": delegate.full_name, "time": _time(entry.at)}


@login_required
@require_POST
def checkin_do(request, pk: int, delegate_pk: int):
    program = _program(request, pk, "programs.check_in")
    delegate = get_object_or_404(Delegate.objects.filter(program=program), pk=delegate_pk)
    outcome, message = _check_in(request, program, delegate)
    return _answer(request, program, delegate, outcome, message)


@login_required
@require_POST
def checkin_scan(request, pk: int):
    """A badge's QR read by the camera (or typed by a hand scanner): the token, never an id."""
    program = _program(request, pk, "programs.check_in")
    delegate = checkin.by_token(program, request.POST.get("token", ""))
    if delegate is None:
        message = _("Không nhận ra thẻ này: thẻ không thuộc chương trình hoặc mã QR không đúng. Hãy tìm theo tên.")
        if "application/json" in request.headers.get("Accept", ""):
            return JsonResponse({"status": "unknown", "message": message})
        if getattr(request, "htmx", False):
            return render(request, "programs/checkin_unknown.html", {"message": message})
        messages.error(request, message)
        return _back_to_door(program)
    outcome, message = _check_in(request, program, delegate)
    return _answer(request, program, delegate, outcome, message)


@login_required
@require_POST
def checkin_undo(request, pk: int, checkin_pk: int):
    program = _program(request, pk, "programs.check_in")
    entry = get_object_or_404(
        CheckIn.objects.filter(delegate__program=program).select_related("delegate"), pk=checkin_pk
    )
    try:
        workflow.undo_check_in(entry, by=request.user, reason=request.POST.get("reason", ""))
    except workflow.DelegateError as exc:
        outcome, message = "error", " ".join(exc.messages)
    else:
        outcome = "undone"
        message = _("Đã hủy lượt điểm danh lúc %(time)s của %(name)s.") % {
            "time": _time(entry.at),
            "name": entry.delegate.full_name,
        }
    return _answer(request, program, entry.delegate, outcome, message)


# --- attendance ----------------------------------------------------------------------------------


def _district_choice(request, program: Program, districts) -> int | None:
    wanted = request.GET.get("huyen", "")
    if wanted.isdigit() and any(d.pk == int(wanted) for d in districts):
        return int(wanted)
    return None


@login_required
def attendance_page(request, pk: int):
    program = _program(request, pk, "programs.view_attendance")
    figures = checkin.attendance(program)
    district = _district_choice(request, program, figures.districts)
    absent = list(checkin.absent_delegates(program, district=district)[: ABSENT_SHOWN + 1])
    context = program_context(
        request,
        program,
        TAB,
        title=_("Điểm danh, số đại biểu có mặt"),
        figures=figures,
        absent=absent[:ABSENT_SHOWN],
        absent_more=len(absent) > ABSENT_SHOWN,
        absent_shown=ABSENT_SHOWN,
        district=district,
        refreshed=timezone.localtime(),
        may_check_in=can(request.user, "programs.check_in", program),
        may_badges=can(request.user, "programs.make_badges", program),
        query=request.GET.urlencode(),
    )
    if getattr(request, "htmx", False):
        return render(request, "programs/attendance_live.html", context)
    return render(request, "programs/attendance.html", context)


EXPORT_WIDTHS = {
    "number": 6,
    "full_name": 26,
    "title": 40,
    "commune": 22,
    "district": 22,
    "forum": 30,
    "status": 16,
    "present": 9,
    "at": 17,
}


def _export_labels() -> dict[str, str]:
    return {
        "number": _("STT"),
        "full_name": _("Họ và tên"),
        "title": _("Chức vụ"),
        "commune": _("Xã/phường/thị trấn"),
        "district": _("Huyện/thị xã/thành phố"),
        "forum": _("Diễn đàn"),
        "status": _("Xác nhận"),
        "present": _("Có mặt"),
        "at": _("Giờ điểm danh"),
    }


@login_required
def attendance_export(request, pk: int):
    """Every delegate with their check-in time, or (?vang=1) only those not in."""
    program = _program(request, pk, "programs.view_attendance")
    only_absent = request.GET.get("vang") == "1"
    rows = checkin.attendance_rows(program)
    if only_absent:
        rows = rows.filter(checkin_id__isnull=True)
    labels = _export_labels()
    columns = [excel.Column(key, labels[key], width=width) for key, width in EXPORT_WIDTHS.items()]

    def data():
        for number, d in enumerate(rows.iterator(chunk_size=1000), start=1):
            yield {
                "number": number,
                "full_name": d.full_name,
                "title": d.title,
                "commune": d.commune.full_name if d.commune else d.organization,
                "district": d.commune.parent.full_name if d.commune and d.commune.parent else "",
                "forum": d.forum.title if d.forum else "",
                "status": d.get_status_display(),
                "present": d.checked_in_at is not None,
                "at": timezone.localtime(d.checked_in_at).strftime("%H:%M %d/%m/%Y") if d.checked_in_at else "",
            }

    which = _("Đại biểu vắng mặt") if only_absent else _("Điểm danh đại biểu")
    title = f"{which} – {program.title}"
    content = excel.write_table(columns, data(), title=title, sheet_name=which)
    return excel.xlsx_response(content, f"{which} - {program.title[:80]}")


# --- badges --------------------------------------------------------------------------------------


@login_required
def badges_page(request, pk: int):
    program = _program(request, pk, "programs.make_badges")
    forums = list(program.forums.order_by("starts_at", "id"))
    communes = list(
        AdminUnit.objects.filter(pk__in=Delegate.objects.filter(program=program).values("commune_id"))
        .select_related("parent")
        .order_by("parent__name", "name")
    )
    matches, query = [], request.POST.get("q", "") if request.method == "POST" else ""
    if request.method == "POST":
        scope = request.POST.get("scope", "all")
        target = request.POST.get("target") or request.POST.get(f"target_{scope}") or None
        if scope == "delegate" and not target:
            matches = checkin.find_delegates(program, query, SEARCH_LIMIT)
            if len(matches) == 1:
                target = matches[0].pk
            elif not matches:
                messages.error(request, _("Không tìm thấy đại biểu nào khớp với “%(q)s”.") % {"q": query})
        valid = scope == "all" or (scope in program_jobs.SCOPES and str(target or "").isdigit())
        if valid:
            params = program_jobs.badge_params(program, scope, int(target) if target else None)
            job = jobs.start(program_jobs.BADGES_KIND, params, by=request.user, title=_("Thẻ đại biểu (PDF)"))
            return redirect("directory:job_status", job.pk)
        if scope != "delegate":
            messages.error(request, _("Hãy chọn diễn đàn hoặc xã cần in thẻ."))
    recent = list(
        jobs.jobs_for(request.user)
        .filter(kind=program_jobs.BADGES_KIND, params__program=program.pk)
        .order_by("-created_at")[:5]
    )
    total = Delegate.objects.filter(program=program).count()
    context = program_context(
        request,
        program,
        TAB,
        title=_("In thẻ đại biểu"),
        forums=forums,
        communes=communes,
        matches=matches,
        query=query,
        recent=recent,
        total=total,
        sheets=badges.sheet_count(total),
    )
    return render(request, "programs/badges.html", context)


urlpatterns = [
    path("<int:pk>/diem-danh/", checkin_page, name="checkin"),
    path("<int:pk>/diem-danh/tim/", checkin_search, name="checkin_search"),
    path("<int:pk>/diem-danh/quet/", checkin_scan, name="checkin_scan"),
    path("<int:pk>/diem-danh/dai-bieu/<int:delegate_pk>/", checkin_do, name="checkin_do"),
    path("<int:pk>/diem-danh/huy/<int:checkin_pk>/", checkin_undo, name="checkin_undo"),
    path("<int:pk>/co-mat/", attendance_page, name="attendance"),
    path("<int:pk>/co-mat/xuat-excel/", attendance_export, name="attendance_export"),
    path("<int:pk>/the-dai-bieu/", badges_page, name="badges"),
]
