"""Permission rows of the delegates pages (issue 7, items 1–4): the list, add/edit, the Excel
import (upload, preview, apply), the template and export, forum assignment, a commune's page,
and the seat actions (POST only).

Organizers, the Standing Committee, the supervisor and the administrator read the list;
organizers and the administrator change it. The commune leader is sent from the list to their
own commune's page (302) and is refused the rest (403); the agency officer sees nothing of it.
Another commune's seat, and another province's program, are 404s (OWN rows below, and the
commune's page with ?commune= in tests/programs/test_delegate_views.py).
"""

from directory.models import Role

from . import expect

MANAGERS = {"organizer": 200, "admin": 200}
READERS = expect(200, agency_officer=403, commune_leader=403)
MANAGE = expect(403, **MANAGERS)


def program(w):
    return {"pk": w.program.pk}


def delegate(w):
    from programs.models import Delegate

    person = Delegate.objects.create(program=w.program, commune=w.commune_a, full_name="Nguyễn Văn Ma Trận")
    return {"pk": w.program.pk, "delegate_pk": person.pk}


def delegate_import(w):
    from programs.models import DelegateImport

    row = {"number": 2, "full_name": "Nguyễn Văn Ma Trận", "posts": ["party_secretary"], "status": "new"}
    imported = DelegateImport.objects.create(
        program=w.program,
        file="delegate-imports/ma-tran.xlsx",
        original_name="ma-tran.xlsx",
        status="previewed",
        preview=[{**row, "commune": w.commune_a.pk, "commune_name": "Xã Nghi Phú"}],
        counts={"total": 1, "new": 1, "update": 0, "unchanged": 0, "error": 0},
        created_by=w.users[Role.ORGANIZER],
    )
    return {"pk": w.program.pk, "import_pk": imported.pk}


def seat_of(commune_attr):
    def kwargs(w):
        from programs.models import Seat

        seat, _ = Seat.objects.get_or_create(
            program=w.program, commune=getattr(w, commune_attr), post="party_secretary"
        )
        return {"pk": w.program.pk, "seat_pk": seat.pk}

    return kwargs


ROWS = {
    "programs:delegates": (program, expect(200, agency_officer=403, commune_leader=302)),
    "programs:delegate_add": (program, MANAGE),
    "programs:delegate_edit": (delegate, MANAGE),
    "programs:delegate_export": (program, READERS),
    "programs:delegate_import": (program, MANAGE),
    "programs:delegate_template": (program, MANAGE),
    "programs:delegate_import_preview": (delegate_import, MANAGE),
    "programs:delegate_import_apply": (delegate_import, expect(405)),
    "programs:delegate_forums": (program, READERS),
    "programs:commune_delegates": (program, expect(200, agency_officer=403)),
    "programs:delegate_confirm": (seat_of("commune_a"), expect(405)),
    "programs:delegate_excuse": (seat_of("commune_a"), expect(405)),
    "programs:seat_substitute": (seat_of("commune_a"), expect(405)),
}

PAGES = ["programs:delegates", "programs:delegate_export", "programs:delegate_forums", "programs:commune_delegates"]

OWN = [
    # Another province's program: not found for all but the administrator.
    *[
        (name, lambda w: {"pk": w.other_program.pk}, role, 200 if role == Role.ADMIN else 404)
        for name in PAGES
        for role in (Role.ADMIN, Role.ORGANIZER, Role.STANDING_COMMITTEE, Role.COMMUNE_LEADER)
    ],
    # A delegate or an import reached through another program's URL: not found, even for the administrator.
    ("programs:delegate_edit", lambda w: {**delegate(w), "pk": w.other_program.pk}, Role.ADMIN, 404),
    ("programs:delegate_import_preview", lambda w: {**delegate_import(w), "pk": w.other_program.pk}, Role.ADMIN, 404),
]
