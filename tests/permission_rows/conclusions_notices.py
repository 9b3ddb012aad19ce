"""Permission rows of the notices of conclusions: the program's "Kết luận" tab, the notice
page and its PDF, editing a draft and its assignments, the workflow steps, the letters.

The world's `notice` (1029-TB/TU) is issued: every role of the province reads it. Drafts are
read only by those who write or approve them (organizers, the Standing Committee, the
administrator); to the others a draft does not exist (404). Editing is for the organizers and
the administrator. A letter to an agency is for internal readers and that agency's officers."""

from directory.models import Role

from . import expect

MANAGERS = {"organizer": 200, "admin": 200}
# A draft is a 404 to those who do not read drafts, a 403 to the Standing Committee (reads, does not edit).
DRAFT_EDIT = expect(404, organizer=200, admin=200, standing_committee=403)
INTERNAL = {"organizer": 200, "standing_committee": 200, "supervisor": 200, "admin": 200}


def program(w):
    return {"pk": w.program.pk}


def notice(w):
    return {"notice_pk": w.notice.pk}


def draft(w):
    return {"notice_pk": w.draft_notice.pk}


def draft_assignment(w):
    return {"notice_pk": w.draft_notice.pk, "assignment_pk": w.draft_notice.assignments.first().pk}


def issued_assignment(w):
    return {"notice_pk": w.notice.pk, "assignment_pk": w.assignment_x.pk}


def letter_x(w):
    return {"notice_pk": w.notice.pk, "agency_pk": w.agency_x.pk}


ROWS = {
    "conclusions:notices": (program, expect(200)),
    "conclusions:notice_add": (program, expect(403, **MANAGERS)),
    "conclusions:notice_detail": (notice, expect(200)),
    "conclusions:notice_edit": (draft, DRAFT_EDIT),
    "conclusions:assignment_add": (draft, DRAFT_EDIT),
    "conclusions:assignment_edit": (draft_assignment, DRAFT_EDIT),
    "conclusions:assignment_delete": (issued_assignment, expect(405)),
    "conclusions:notice_submit": (notice, expect(405)),
    "conclusions:notice_return": (notice, expect(405)),
    "conclusions:notice_approve": (notice, expect(405)),
    "conclusions:notice_issue": (notice, expect(405)),
    "conclusions:notice_correct": (notice, expect(405)),
    "conclusions:notice_pdf": (notice, expect(200)),
    "conclusions:assignment_letter": (letter_x, expect(403, agency_officer=200, **INTERNAL)),
}

# Another province's program and notice: 404, the administrator excepted.
_OTHER = [
    ("conclusions:notices", lambda w: {"pk": w.other_program.pk}),
    ("conclusions:notice_detail", lambda w: {"notice_pk": w.other_notice.pk}),
    ("conclusions:notice_pdf", lambda w: {"notice_pk": w.other_notice.pk}),
    (
        "conclusions:assignment_letter",
        lambda w: {"notice_pk": w.other_notice.pk, "agency_pk": w.other_notice.assignments.first().lead_agency_id},
    ),
]
_OTHER_MANAGE = [("conclusions:notice_add", lambda w: {"pk": w.other_program.pk})]
# Draft pages: read by those who write or approve drafts only.
_DRAFT_PAGES = [
    ("conclusions:notice_detail", draft),
    ("conclusions:notice_pdf", draft),
    ("conclusions:assignment_letter", lambda w: {"notice_pk": w.draft_notice.pk, "agency_pk": w.agency_x.pk}),
]
_DRAFT_READERS = {Role.ORGANIZER, Role.STANDING_COMMITTEE, Role.ADMIN}
# The issued notice's edit pages send its managers back to the notice with the reason (302).
_FROZEN_EDIT = [
    ("conclusions:notice_edit", notice),
    ("conclusions:assignment_add", notice),
    ("conclusions:assignment_edit", issued_assignment),
]

OWN = (
    [
        (name, kwargs, role, 200 if role == Role.ADMIN else 404)
        for name, kwargs in _OTHER + _OTHER_MANAGE
        for role in Role.values
    ]
    + [
        (name, kwargs, role, 200 if role in _DRAFT_READERS else 404)
        for name, kwargs in _DRAFT_PAGES
        for role in Role.values
    ]
    + [
        (name, kwargs, role, 302 if role in (Role.ORGANIZER, Role.ADMIN) else 403)
        for name, kwargs in _FROZEN_EDIT
        for role in Role.values
    ]
    + [
        # An officer reads the letter to their own agency, not another agency's.
        (
            "conclusions:assignment_letter",
            lambda w: {"notice_pk": w.notice.pk, "agency_pk": w.agency_y.pk},
            Role.AGENCY_OFFICER,
            403,
        ),
        # An agency the notice gives nothing to lead has no letter.
        (
            "conclusions:assignment_letter",
            lambda w: {"notice_pk": w.notice.pk, "agency_pk": w.board.pk},
            Role.ADMIN,
            404,
        ),
        # An assignment of another notice through this notice's URL does not exist.
        (
            "conclusions:assignment_edit",
            lambda w: {"notice_pk": w.draft_notice.pk, "assignment_pk": w.assignment_x.pk},
            Role.ORGANIZER,
            404,
        ),
    ]
)
