"""Permission rows: filled by the engineer building this area."""

from . import expect

ROWS = {"submissions:program_items": (lambda w: {"program_pk": w.program.pk}, expect(200))}
