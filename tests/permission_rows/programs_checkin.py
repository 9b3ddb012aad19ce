"""Permission rows of the door, the attendance and the badges (issue 7, items 5–7).

Organizers and the administrator work the door (`programs.check_in`) and print badges
(`programs.make_badges`); the Standing Committee and the supervisor also read the attendance
(`programs.view_attendance`). Commune leaders and agency officers get 403; another province's
program is a 404 (OWN rows). The actions are POST only (405 on GET).
"""

from directory.models import Role

from . import expect

DOOR = expect(403, organizer=200, admin=200)
READERS = expect(200, agency_officer=403, commune_leader=403)


def program(w):
    return {"pk": w.program.pk}


def delegate(w):
    from programs.models import Delegate

    person = Delegate.objects.create(program=w.program, commune=w.commune_a, full_name="Nguyễn Văn Ma Trận")
    return {"pk": w.program.pk, "delegate_pk": person.pk}


def checkin(w):
    from programs import delegates
    from programs.models import Delegate

    person = Delegate.objects.create(program=w.program, commune=w.commune_a, full_name="Nguyễn Văn Ma Trận")
    entry, _created = delegates.check_in(person, by=w.users[Role.ORGANIZER])
    return {"pk": w.program.pk, "checkin_pk": entry.pk}


ROWS = {
    "programs:checkin": (program, DOOR),
    "programs:checkin_search": (program, DOOR),
    "programs:checkin_scan": (program, expect(405)),
    "programs:checkin_do": (delegate, expect(405)),
    "programs:checkin_undo": (checkin, expect(405)),
    "programs:attendance": (program, READERS),
    "programs:attendance_export": (program, READERS),
    "programs:badges": (program, DOOR),
}

PAGES = ["programs:checkin", "programs:checkin_search", "programs:attendance", "programs:attendance_export"]
PAGES += ["programs:badges"]

OWN = [
    # Another province's program: not found for all but the administrator.
    *[
        (name, lambda w: {"pk": w.other_program.pk}, role, 200 if role == Role.ADMIN else 404)
        for name in PAGES
        for role in (Role.ADMIN, Role.ORGANIZER, Role.STANDING_COMMITTEE, Role.COMMUNE_LEADER)
    ],
]
