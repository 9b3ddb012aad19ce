"""Permission rows of the plan (versions, diff, PDFs) and the committee decision.

Plan drafts and the decision are internal: commune leaders and agency officers get 403 even
on their own province's program; another province's program is a 404 for all but the
administrator. The world's plan has one version, number 1, a draft."""

from directory.models import Role

from . import expect

INTERNAL = {"organizer": 200, "standing_committee": 200, "supervisor": 200, "admin": 200}
MANAGERS = {"organizer": 200, "admin": 200}


def program(w):
    return {"pk": w.program.pk}


def version(w):
    return {"pk": w.program.pk, "number": 1}


def other_version(w):
    return {"pk": w.other_program.pk, "number": 1}


ROWS = {
    "programs:plan": (program, expect(403, **INTERNAL)),
    "programs:plan_new_version": (program, expect(405)),
    "programs:plan_number": (program, expect(405)),
    "programs:plan_diff": (program, expect(403, **INTERNAL)),
    "programs:plan_pdf": (program, expect(403, **INTERNAL)),
    "programs:plan_version": (version, expect(403, **INTERNAL)),
    "programs:plan_version_edit": (version, expect(403, **MANAGERS)),
    "programs:plan_version_submit": (version, expect(405)),
    "programs:plan_version_approve": (version, expect(405)),
    "programs:plan_version_return": (version, expect(405)),
    "programs:plan_version_comment": (version, expect(405)),
    "programs:plan_version_pdf": (version, expect(403, **INTERNAL)),
    "programs:committee_decision": (program, expect(403, **INTERNAL)),
}

# GET pages of another province's program: 404, the administrator excepted.
_OTHER_PROGRAM_PAGES = [
    ("programs:plan", lambda w: {"pk": w.other_program.pk}),
    ("programs:plan_diff", lambda w: {"pk": w.other_program.pk}),
    ("programs:plan_pdf", lambda w: {"pk": w.other_program.pk}),
    ("programs:plan_version", other_version),
    ("programs:plan_version_pdf", other_version),
    ("programs:committee_decision", lambda w: {"pk": w.other_program.pk}),
]
# The edit page is for managers: the administrator reaches any program, others get 404 first.
_OTHER_PROGRAM_EDIT = [("programs:plan_version_edit", other_version)]

OWN = [
    (name, kwargs, role, 200 if role == Role.ADMIN else 404)
    for name, kwargs in _OTHER_PROGRAM_PAGES + _OTHER_PROGRAM_EDIT
    for role in Role.values
] + [
    # A version number the plan does not have is a 404, not another plan's version.
    ("programs:plan_version", lambda w: {"pk": w.program.pk, "number": 99}, Role.ORGANIZER, 404),
    ("programs:plan_version_edit", lambda w: {"pk": w.program.pk, "number": 99}, Role.ADMIN, 404),
    ("programs:plan_version_pdf", lambda w: {"pk": w.program.pk, "number": 2}, Role.STANDING_COMMITTEE, 404),
]
