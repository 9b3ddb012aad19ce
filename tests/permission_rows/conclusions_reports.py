"""Permission rows of the yearly follow-up report, the carry-over page and the background jobs
that render the report (directory:job_status, directory:job_download).

The report and the carry-over page are for those who read the follow-up (organizers, the
Standing Committee, the supervisor, administrators); the agency officer and the commune leader
read the issued notice but not these (403). Starting a report is POST only (405 to a GET).
A job is its creator's: the organizer's job is a 404 to everyone else but administrators."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from directory.models import BackgroundJob, Role

from . import expect

FOLLOWUP_READERS = {"organizer": 200, "standing_committee": 200, "supervisor": 200, "admin": 200}
RESULT_NAME = "jobs/permission-matrix.pdf"


def notice(w):
    return {"notice_pk": w.notice.pk}


def program(w):
    return {"pk": w.program.pk}


def organizer_job(w):
    """A finished job of the organizer, its file in place (written once, not once per row)."""
    if not default_storage.exists(RESULT_NAME):
        default_storage.save(RESULT_NAME, ContentFile(b"%PDF-1.4\n%%EOF\n"))
    job = BackgroundJob.objects.create(
        kind="conclusions.followup_pdf",
        params={"notice": w.notice.pk, "year": w.notice.issued_on.year},
        created_by=w.users[Role.ORGANIZER],
        title="Báo cáo kết quả thực hiện",
        status=BackgroundJob.Status.DONE,
        result=RESULT_NAME,
        result_name="Báo cáo kết quả thực hiện.pdf",
        content_type="application/pdf",
    )
    return {"job_pk": job.pk}


ROWS = {
    "conclusions:followup_report": (notice, expect(403, **FOLLOWUP_READERS)),
    "conclusions:followup_report_start": (notice, expect(405)),
    "conclusions:carryover": (program, expect(403, **FOLLOWUP_READERS)),
    "directory:job_status": (organizer_job, expect(404, organizer=200, admin=200)),
    "directory:job_download": (organizer_job, expect(404, organizer=200, admin=200)),
}

OWN = [
    # Another province's notice and program do not exist for the organizer.
    ("conclusions:followup_report", lambda w: {"notice_pk": w.other_notice.pk}, Role.ORGANIZER, 404),
    ("conclusions:carryover", lambda w: {"pk": w.other_program.pk}, Role.ORGANIZER, 404),
    # A draft notice: its report page says it is not issued yet.
    ("conclusions:followup_report", lambda w: {"notice_pk": w.draft_notice.pk}, Role.ORGANIZER, 200),
    ("conclusions:followup_report", lambda w: {"notice_pk": w.draft_notice.pk}, Role.SUPERVISOR, 404),
]
