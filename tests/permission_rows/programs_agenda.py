"""Permission rows of the agenda, topic groups, forums, forum notes and the forum report.

The world's forum is chaired by the committee head, whose account is the Standing Committee
user: that user records notes on it (programs.record_forum) without managing the program."""

from directory.models import Role

from . import expect

MANAGERS = {"organizer": 200, "admin": 200}
RECORDERS = {**MANAGERS, "standing_committee": 200}


def program(w):
    return {"pk": w.program.pk}


def session(w):
    return {"pk": w.program.pk, "session_pk": w.session.pk}


def topic(w):
    return {"pk": w.program.pk, "topic_pk": w.topic_group.pk}


def forum(w):
    return {"pk": w.program.pk, "forum_pk": w.forum.pk}


def note_by(role):
    """A note on the world's forum recorded by the user of `role`."""

    def kwargs(w):
        from programs.models import ForumNote

        note = ForumNote.objects.create(
            forum=w.forum, kind="point", speaker="Bí thư Đảng ủy xã", content="Ý kiến", recorded_by=w.users[role]
        )
        return {"pk": w.program.pk, "forum_pk": w.forum.pk, "note_pk": note.pk}

    return kwargs


def other(w):
    return {"pk": w.other_program.pk}


ROWS = {
    "programs:agenda": (program, expect(200)),
    "programs:session_add": (program, expect(403, **MANAGERS)),
    "programs:session_edit": (session, expect(403, **MANAGERS)),
    "programs:session_delete": (session, expect(405)),
    "programs:programme_pdf": (program, expect(200)),
    "programs:agenda_ics": (program, expect(200)),
    "programs:topic_groups": (program, expect(403, **MANAGERS)),
    "programs:topic_add": (program, expect(403, **MANAGERS)),
    "programs:topic_edit": (topic, expect(403, **MANAGERS)),
    "programs:topic_delete": (topic, expect(405)),
    "programs:forums": (program, expect(200)),
    "programs:forum_add": (program, expect(403, **MANAGERS)),
    "programs:forum_detail": (forum, expect(200)),
    "programs:forum_edit": (forum, expect(403, **MANAGERS)),
    "programs:forum_delete": (forum, expect(405)),
    "programs:forum_summary": (forum, expect(403, **RECORDERS)),
    "programs:note_add": (forum, expect(403, **RECORDERS)),
    # The chair's own note: the chair edits it, managers too, nobody else.
    "programs:note_edit": (note_by(Role.STANDING_COMMITTEE), expect(403, **RECORDERS)),
    "programs:note_delete": (note_by(Role.STANDING_COMMITTEE), expect(405)),
    "programs:forum_report": (program, expect(200)),
}

# Another province's program: a 404 for everyone but the administrator, who sees every program.
OTHER_PROGRAM_PAGES = ["programs:agenda", "programs:programme_pdf", "programs:agenda_ics", "programs:forums"]
OTHER_PROGRAM_PAGES += ["programs:forum_report", "programs:session_add", "programs:forum_add", "programs:topic_groups"]

OWN = [
    (name, other, role, 200 if role == Role.ADMIN else 404)
    for name in OTHER_PROGRAM_PAGES
    for role in (Role.ADMIN, Role.ORGANIZER, Role.STANDING_COMMITTEE, Role.COMMUNE_LEADER, Role.AGENCY_OFFICER)
] + [
    # This program's objects cannot be reached through another program, not even by the administrator.
    ("programs:session_edit", lambda w: {"pk": w.other_program.pk, "session_pk": w.session.pk}, Role.ADMIN, 404),
    ("programs:topic_edit", lambda w: {"pk": w.other_program.pk, "topic_pk": w.topic_group.pk}, Role.ADMIN, 404),
    ("programs:forum_detail", lambda w: {"pk": w.other_program.pk, "forum_pk": w.forum.pk}, Role.ADMIN, 404),
    ("programs:forum_edit", lambda w: {"pk": w.other_program.pk, "forum_pk": w.forum.pk}, Role.ADMIN, 404),
    ("programs:forum_summary", lambda w: {"pk": w.other_program.pk, "forum_pk": w.forum.pk}, Role.ADMIN, 404),
    ("programs:note_add", lambda w: {"pk": w.other_program.pk, "forum_pk": w.forum.pk}, Role.ADMIN, 404),
    ("programs:forum_detail", lambda w: {"pk": w.other_program.pk, "forum_pk": w.forum.pk}, Role.ORGANIZER, 404),
    # A note recorded by someone else: its recorder's colleague on the forum cannot change it; a manager can.
    ("programs:note_edit", note_by(Role.ORGANIZER), Role.STANDING_COMMITTEE, 403),
    ("programs:note_edit", note_by(Role.STANDING_COMMITTEE), Role.ORGANIZER, 200),
]
