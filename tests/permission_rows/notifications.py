"""Permission rows of the notifications app: every signed-in user has an inbox and e-mail
choices, and opens only their own notifications (another's id is a 404); the outbox and the
health page are for administrators and organizers (403 for the rest), and an organizer does
not see an e-mail to another province's people (404). Actions are POST only (405 on GET)."""

from directory.models import Role

from . import expect

STAFF = expect(403, admin=200, organizer=200)


def note_of(key):
    """A notification of `world.users[key]`, as URL kwargs."""

    def kwargs(w):
        from notifications.models import Notification

        note = Notification.objects.create(recipient=w.users[key], kind="reminder", title="Nhắc hạn thử", url="/")
        return {"pk": note.pk}

    return kwargs


def email_to(where):
    """An e-mail to agency Y's officer (Nghệ An), or to another province's agency."""

    def kwargs(w):
        from notifications.models import OutgoingEmail
        from tests.factories import AgencyFactory, ProvinceFactory

        fields = {"kind": "reminder", "subject": "Nhắc hạn thử", "body": "Nội dung", "status": "failed"}
        if where == "here":
            officer = w.users["agency_officer_y"]
            email = OutgoingEmail.objects.create(to=officer.email, recipient=officer, **fields)
        else:
            agency = AgencyFactory(province=ProvinceFactory(name="Quảng Trị", code="45"), email="vanthu@qt.gov.vn")
            email = OutgoingEmail.objects.create(to=agency.email, agency=agency, **fields)
        return {"pk": email.pk}

    return kwargs


ROWS = {
    "notifications:inbox": (None, expect(200)),
    "notifications:open": (note_of("agency_officer_y"), expect(404)),
    "notifications:mark_all_read": (None, expect(405)),
    "notifications:preferences": (None, expect(200)),
    "notifications:outbox": (None, STAFF),
    "notifications:outbox_detail": (email_to("here"), STAFF),
    "notifications:outbox_resend": (email_to("here"), expect(405)),
    "notifications:health": (None, STAFF),
    "notifications:health_json": (None, STAFF),
    "notifications:run_sweep": (None, expect(405)),
}

OWN = [
    *[("notifications:open", note_of(role), role, 302) for role in Role.values],
    ("notifications:outbox_detail", email_to("elsewhere"), Role.ORGANIZER, 404),
    ("notifications:outbox_detail", email_to("elsewhere"), Role.ADMIN, 200),
]
