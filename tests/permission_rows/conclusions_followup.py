"""Permission rows of the conclusions app (filled in by its views)."""

ROWS = {}
