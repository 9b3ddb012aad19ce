"""The conclusions app's background jobs: the yearly follow-up report of a notice as PDF and as
Excel (`conclusions.followup_report`), registered with `directory.jobs` on import.

Each runner checks again, when it runs, that the user who asked may still read the notice's
follow-up: a job queued before the user lost that right produces nothing."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory import jobs
from directory.permissions import can

from . import followup_report
from .rules import PUBLISHED, notices_for

PDF_KIND = "conclusions.followup_pdf"
XLSX_KIND = "conclusions.followup_xlsx"
KINDS = (PDF_KIND, XLSX_KIND)
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def params(notice, year: int) -> dict:
    return {"notice": notice.pk, "year": int(year)}


def _notice_and_year(job):
    notice = notices_for(job.created_by).filter(pk=job.params.get("notice"), status__in=PUBLISHED).first()
    if notice is None or not can(job.created_by, "conclusions.view_followup", notice.program):
        raise jobs.JobError(_("Không tìm thấy thông báo kết luận, hoặc bạn không còn quyền xem báo cáo này."))
    try:
        year = int(job.params.get("year"))
    except (TypeError, ValueError) as exc:
        raise jobs.JobError(_("Năm báo cáo không hợp lệ.")) from exc
    if not notice.issued_on.year <= year <= timezone.localdate().year:
        raise jobs.JobError(_("Năm báo cáo không hợp lệ."))
    return notice, year


class _Phase:
    """Maps a step's own count onto a share of the whole job's progress bar."""

    def __init__(self, progress, start: int, size: int, total: int):
        self.progress, self.start, self.size, self.total = progress, start, size, total

    def __call__(self, done: int, total: int, stage: str | None = None) -> None:
        share = self.size * done // total if total else self.size
        self.progress(self.start + share, self.total, stage)


# Shares of the bar: gathering the data, then writing the file. WeasyPrint lays the document out
# in one call, so the PDF's bar waits at the half while it works (the stage text says so).
STEPS = 100


def followup_pdf(job, progress) -> jobs.JobResult:
    notice, year = _notice_and_year(job)
    data = followup_report.collect(notice, year, progress=_Phase(progress, 0, 50, STEPS))
    progress(
        50,
        STEPS,
        _("Đang dựng tệp PDF (%(n)s nhiệm vụ, %(r)s báo cáo)") % {"n": len(data.rows), "r": data.report_count},
    )
    content = followup_report.render_pdf_bytes(data)
    progress(STEPS, STEPS, _("Đang lưu tệp"))
    return jobs.JobResult(content, f"{followup_report.file_stem(data)}.pdf", PDF)


def followup_xlsx(job, progress) -> jobs.JobResult:
    notice, year = _notice_and_year(job)
    data = followup_report.collect(notice, year, progress=_Phase(progress, 0, 50, STEPS))
    progress(50, STEPS, _("Đang ghi tệp Excel"))
    content = followup_report.render_xlsx_bytes(data, progress=_Phase(progress, 50, 50, STEPS))
    return jobs.JobResult(content, f"{followup_report.file_stem(data)}.xlsx", XLSX)


def back_link(job):
    notice_pk = job.params.get("notice")
    if not notice_pk:
        return None
    return str(_("Báo cáo kết quả thực hiện")), reverse("conclusions:followup_report", args=[notice_pk])


jobs.register(
    PDF_KIND, gettext_lazy("Báo cáo kết quả thực hiện thông báo kết luận (PDF)"), followup_pdf, back_link=back_link
)
jobs.register(
    XLSX_KIND, gettext_lazy("Báo cáo kết quả thực hiện thông báo kết luận (Excel)"), followup_xlsx, back_link=back_link
)
