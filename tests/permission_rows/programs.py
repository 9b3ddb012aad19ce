"""Permission rows of programs: list, program page, status, organizing committee."""

from directory.models import Role

from . import expect

INTERNAL = {"organizer": 200, "standing_committee": 200, "supervisor": 200, "admin": 200}
MANAGERS = {"organizer": 200, "admin": 200}


def program(w):
    return {"pk": w.program.pk}


ROWS = {
    "programs:list": (None, expect(200)),
    "programs:create": (None, expect(403, **MANAGERS)),
    "programs:detail": (program, expect(200)),
    "programs:edit": (program, expect(403, **MANAGERS)),
    "programs:status": (program, expect(405)),
    "programs:committee": (program, expect(403, **INTERNAL)),
    "programs:member_add": (program, expect(403, **MANAGERS)),
    "programs:member_edit": (lambda w: {"pk": w.program.pk, "member_pk": w.member_x.pk}, expect(403, **MANAGERS)),
    "programs:member_remove": (lambda w: {"pk": w.program.pk, "member_pk": w.member_x.pk}, expect(405)),
}

# Another province's program is a 404 for everyone but the administrator.
OWN = [
    ("programs:detail", lambda w: {"pk": w.other_program.pk}, role, 200 if role == Role.ADMIN else 404)
    for role in Role.values
] + [
    # A member of another program cannot be reached through this one.
    ("programs:member_edit", lambda w: {"pk": w.other_program.pk, "member_pk": w.member_x.pk}, Role.ORGANIZER, 404),
]
