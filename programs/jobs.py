"""The programs app's background jobs found by `directory.jobs` (which imports every app's `jobs`
module): the delegate badges as one PDF (`programs.badges`, issue 7 item 5).

The runner checks again, when it runs, that the user who asked may still print the program's
badges: a job queued before the user lost that right produces nothing. The delegate import's
kinds are registered by `programs.delegate_import.register_jobs()`.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory import jobs
from directory.models import AdminUnit
from directory.permissions import can

from . import (
    badges,
    checkin_rules,  # noqa: F401  (the rule `programs.make_badges`, in a worker too)
)
from .models import Delegate, Program
from .rules import programs_for

BADGES_KIND = "programs.badges"
PDF = "application/pdf"

# Which badges: all of the program's delegates, one forum's, one commune's, or one delegate's.
SCOPES = ("all", "forum", "commune", "delegate")


def badge_params(program: Program, scope: str = "all", target: int | None = None) -> dict:
    return {"program": program.pk, "scope": scope, "target": target}


def _program(job) -> Program:
    program = programs_for(job.created_by).select_related("host").filter(pk=job.params.get("program")).first()
    if program is None or not can(job.created_by, "programs.make_badges", program):
        raise jobs.JobError(_("Không tìm thấy chương trình, hoặc bạn không còn quyền in thẻ đại biểu."))
    return program


def selected_delegates(program: Program, scope: str, target) -> tuple[list[Delegate], str]:
    """The delegates whose badges are asked for, and a name for the file."""
    delegates = badges.delegates_for_badges(program)
    if scope == "all":
        return list(delegates), _("tất cả")
    if scope not in SCOPES or not str(target or "").isdigit():
        raise jobs.JobError(_("Lựa chọn thẻ cần in không hợp lệ."))
    target = int(target)
    if scope == "forum":
        forum = program.forums.filter(pk=target).first()
        if forum is None:
            raise jobs.JobError(_("Không tìm thấy diễn đàn này trong chương trình."))
        return list(delegates.filter(forum=forum)), forum.title
    if scope == "commune":
        commune = AdminUnit.objects.filter(pk=target).first()
        if commune is None:
            raise jobs.JobError(_("Không tìm thấy xã, phường, thị trấn này."))
        return list(delegates.filter(commune=commune)), commune.full_name
    found = list(delegates.filter(pk=target))
    if not found:
        raise jobs.JobError(_("Không tìm thấy đại biểu này trong chương trình."))
    return found, found[0].full_name


def badges_pdf(job, progress) -> jobs.JobResult:
    program = _program(job)
    progress(0, 1, _("Đang lấy danh sách đại biểu"))
    delegates, label = selected_delegates(program, job.params.get("scope", "all"), job.params.get("target"))
    if not delegates:
        raise jobs.JobError(_("Không có đại biểu nào để in thẻ."))
    content = badges.render_badges(program, delegates, progress)
    filename = _("Thẻ đại biểu - %(which)s - %(program)s.pdf") % {
        "which": label[:60],
        "program": badges.short_title(program)[:80],
    }
    return jobs.JobResult(content, filename.replace("/", "-"), PDF)


def back_link(job):
    program_pk = job.params.get("program")
    if not program_pk:
        return None
    return str(_("Thẻ đại biểu")), reverse("programs:badges", args=[program_pk])


jobs.register(BADGES_KIND, gettext_lazy("Thẻ đại biểu (PDF)"), badges_pdf, back_link=back_link)
