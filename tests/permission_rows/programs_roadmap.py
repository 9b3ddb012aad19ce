"""Permission rows of the roadmap (placeholder rows until built)."""

from . import expect

ROWS = {
    "programs:roadmap": (lambda w: {"pk": w.program.pk}, expect(200)),
}
