"""Permission rows of the agenda and forums (placeholder rows until built)."""

from . import expect

ROWS = {
    "programs:agenda": (lambda w: {"pk": w.program.pk}, expect(200)),
    "programs:forums": (lambda w: {"pk": w.program.pk}, expect(200)),
}
