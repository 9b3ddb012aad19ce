"""Permission rows of the plan and the official documents (placeholder rows until built)."""

from . import expect

INTERNAL = {"organizer": 200, "standing_committee": 200, "supervisor": 200, "admin": 200}

ROWS = {
    "programs:plan": (lambda w: {"pk": w.program.pk}, expect(200)),
    "programs:committee_decision": (lambda w: {"pk": w.program.pk}, expect(200)),
}
