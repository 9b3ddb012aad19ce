"""Permission rows of the follow-up: the organizers' list and its export, an assignment's page,
the progress report, evidence downloads, extension requests and decisions, supervision remarks.

Those who read a program's internals (organizers, Standing Committee, supervisor, administrator)
follow every assignment; agency officers are refused the notice's list (403) but open their own
agency's assignments, as lead (agency X on `assignment_x`) or coordinating (agency Y on it); an
assignment of neither is a 404, as is every assignment for a commune leader. Acting needs the
rule: reports by the lead agency and the organizers, extension requests by the lead agency,
decisions by the organizers, remarks by the supervisor and the administrator.
"""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from directory.models import Role

from . import expect

MATRIX_FILE = "conclusions/ma-tran-quyen/minh-chung.pdf"
FOLLOWUP = expect(200, agency_officer=403, commune_leader=403)
SEE_ASSIGNMENT = expect(200, commune_leader=404)
ASSIGNMENT_PAGES = [
    "conclusions:assignment_detail",
    "conclusions:report_add",
    "conclusions:evidence_file",
    "conclusions:extension_request",
    "conclusions:remark_add",
]


def evidence(assignment):
    """An evidence file of a report on `assignment`, written once to storage and reused."""
    from conclusions.models import Evidence, ProgressReport

    if not default_storage.exists(MATRIX_FILE):
        default_storage.save(MATRIX_FILE, ContentFile(b"%PDF-1.4\n%%EOF\n"))
    author = assignment.notice.created_by
    report = ProgressReport.objects.create(assignment=assignment, text="Đã triển khai", reported_by=author)
    return Evidence.objects.create(
        report=report, file=MATRIX_FILE, original_name="Minh chứng.pdf", content_type="application/pdf", size=15
    )


def pending_extension(assignment):
    import datetime

    from conclusions.models import Extension

    due = assignment.dues.order_by("due_on").first()
    extension, _created = Extension.objects.get_or_create(
        due=due,
        status=Extension.Status.PENDING,
        defaults={
            "previous_due_on": due.due_on,
            "requested_until": due.due_on + datetime.timedelta(days=30),
            "reason": "Chờ ý kiến của Bộ",
            "requested_by": assignment.notice.created_by,
        },
    )
    return extension


def notice(w):
    return {"notice_pk": w.notice.pk}


def assignment_kwargs(name, assignment):
    kwargs = {"assignment_pk": assignment.pk}
    if name == "conclusions:evidence_file":
        kwargs["evidence_pk"] = evidence(assignment).pk
    elif name == "conclusions:extension_request":
        kwargs["due_pk"] = assignment.dues.order_by("due_on").first().pk
    return kwargs


def of_x(name):
    return lambda w: assignment_kwargs(name, w.assignment_x)


def of_y(name):
    return lambda w: assignment_kwargs(name, w.assignment_y)


ROWS = {
    "conclusions:followup": (notice, FOLLOWUP),
    "conclusions:followup_export": (notice, FOLLOWUP),
    "conclusions:assignment_detail": (of_x("conclusions:assignment_detail"), SEE_ASSIGNMENT),
    "conclusions:report_add": (
        of_x("conclusions:report_add"),
        expect(403, organizer=200, admin=200, agency_officer=200, commune_leader=404),
    ),
    "conclusions:evidence_file": (of_x("conclusions:evidence_file"), SEE_ASSIGNMENT),
    "conclusions:extension_request": (
        of_x("conclusions:extension_request"),
        expect(403, agency_officer=200, commune_leader=404),
    ),
    "conclusions:extension_decide": (
        lambda w: {"extension_pk": pending_extension(w.assignment_x).pk},
        expect(403, organizer=200, admin=200, commune_leader=404),
    ),
    "conclusions:remark_add": (
        of_x("conclusions:remark_add"),
        expect(403, supervisor=200, admin=200, commune_leader=404),
    ),
}

OWN = [
    # Agency X's officer: agency Y's assignment (X neither leads nor coordinates it) does not exist.
    *[(name, of_y(name), Role.AGENCY_OFFICER, 404) for name in ASSIGNMENT_PAGES],
    (
        "conclusions:extension_decide",
        lambda w: {"extension_pk": pending_extension(w.assignment_y).pk},
        "agency_officer",
        404,
    ),
    # Agency Y coordinates assignment_x: it reads it, downloads its evidence, may not report or ask.
    ("conclusions:assignment_detail", of_x("conclusions:assignment_detail"), "agency_officer_y", 200),
    ("conclusions:evidence_file", of_x("conclusions:evidence_file"), "agency_officer_y", 200),
    ("conclusions:report_add", of_x("conclusions:report_add"), "agency_officer_y", 403),
    ("conclusions:extension_request", of_x("conclusions:extension_request"), "agency_officer_y", 403),
    # ...and leads assignment_y: its own report and extension forms.
    ("conclusions:report_add", of_y("conclusions:report_add"), "agency_officer_y", 200),
    ("conclusions:extension_request", of_y("conclusions:extension_request"), "agency_officer_y", 200),
    # Another province's notice and its assignments: not found for all but the administrator.
    *[
        (name, lambda w: {"notice_pk": w.other_notice.pk}, role, 200 if role == Role.ADMIN else 404)
        for name in ("conclusions:followup", "conclusions:followup_export")
        for role in (Role.ORGANIZER, Role.STANDING_COMMITTEE, Role.SUPERVISOR, Role.ADMIN)
    ],
    *[
        (
            "conclusions:assignment_detail",
            lambda w: {"assignment_pk": w.other_notice.assignments.get().pk},
            role,
            200 if role == Role.ADMIN else 404,
        )
        for role in (Role.ORGANIZER, Role.SUPERVISOR, Role.ADMIN)
    ],
    # A draft notice: its follow-up and assignments exist for those who write and approve it only.
    ("conclusions:followup", lambda w: {"notice_pk": w.draft_notice.pk}, Role.ORGANIZER, 200),
    ("conclusions:followup", lambda w: {"notice_pk": w.draft_notice.pk}, Role.SUPERVISOR, 404),
    (
        "conclusions:assignment_detail",
        lambda w: {"assignment_pk": w.draft_notice.assignments.get().pk},
        Role.AGENCY_OFFICER,
        404,
    ),
]
