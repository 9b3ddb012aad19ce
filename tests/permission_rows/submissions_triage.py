"""Permission rows: filled by the engineer building this area."""

ROWS = {}
