"""Permission rows of the directory and the site's own pages."""

from directory.models import Role

from . import expect

ROWS = {
    "home": (None, expect(200)),
    "login": (None, expect(302, anonymous=200)),
    "logout": (None, expect(405, anonymous=405)),
    "password_change": (None, expect(200)),
    "password_change_done": (None, expect(200)),
    "password_reset": (None, expect(200, anonymous=200)),
    "password_reset_done": (None, expect(200, anonymous=200)),
    "password_reset_confirm": (lambda w: {"uidb64": "MQ", "token": "sai-ma"}, expect(200, anonymous=200)),
    "password_reset_complete": (None, expect(200, anonymous=200)),
    "sample_document": (None, expect(200)),
    "directory:unit_list": (None, expect(200)),
    "directory:unit_detail": (lambda w: {"pk": w.commune_b.pk}, expect(200, commune_leader=404)),
    "directory:agency_list": (None, expect(200)),
    "directory:agency_detail": (lambda w: {"pk": w.agency_y.pk}, expect(200)),
    "directory:user_list": (None, expect(403, admin=200, organizer=200)),
    "directory:user_detail": (
        lambda w: {"pk": w.users["commune_leader_b"].pk},
        expect(404, admin=200, organizer=200),
    ),
    "directory:profile": (None, expect(200)),
    "directory:calendar": (None, expect(200)),
}

OWN = [
    ("directory:unit_detail", lambda w: {"pk": w.commune_a.pk}, Role.COMMUNE_LEADER, 200),
    ("directory:user_detail", lambda w: {"pk": w.users[Role.COMMUNE_LEADER].pk}, Role.COMMUNE_LEADER, 200),
    ("directory:user_detail", lambda w: {"pk": w.users[Role.AGENCY_OFFICER].pk}, Role.AGENCY_OFFICER, 200),
    ("directory:user_detail", lambda w: {"pk": w.users["agency_officer_y"].pk}, Role.AGENCY_OFFICER, 404),
]
