"""Permission rows of the item page shared by every area of submissions."""

from directory.models import Role

from . import expect

STAFF = {"organizer": 200, "standing_committee": 200, "admin": 200}

ROWS = {
    # Commune A's item, routed to agency X: commune A's leader and agency X's officer see it.
    "submissions:detail": (
        lambda w: {"pk": w.item_a.pk},
        expect(404, commune_leader=200, agency_officer=200, **STAFF),
    ),
}

OWN = [
    # Commune B's items are not commune A's business; agency X was never routed item B.
    ("submissions:detail", lambda w: {"pk": w.item_b.pk}, Role.COMMUNE_LEADER, 404),
    ("submissions:detail", lambda w: {"pk": w.item_b.pk}, Role.AGENCY_OFFICER, 404),
    ("submissions:detail", lambda w: {"pk": w.item_b.pk}, Role.SUPERVISOR, 404),
    # The supervisor reads published results only.
    ("submissions:detail", lambda w: {"pk": w.item_published.pk}, Role.SUPERVISOR, 200),
    ("submissions:detail", lambda w: {"pk": w.item_published.pk}, Role.COMMUNE_LEADER, 404),
]
