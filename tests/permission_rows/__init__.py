"""Rows of the permission matrix, one module per app area. Each module defines
`ROWS` (url name -> (kwargs of the world or None, expected status per role)) and may define
`OWN` (url name, kwargs, role, status) for a user's own objects. Add a module to MODULES."""

from __future__ import annotations

from importlib import import_module

from directory.models import Role

ANON = "anonymous"
ROLES = [ANON, *Role.values]

MODULES = [
    "directory",
    "programs",
    "programs_plan",
    "programs_roadmap",
    "programs_agenda",
    "programs_delegates",
    "programs_checkin",
    "submissions",
    "submissions_intake",
    "submissions_triage",
    "submissions_routing",
    "conclusions_notices",
    "conclusions_followup",
    "conclusions_reports",
    "notifications",
    "dashboards",
]


def expect(default: int, **by_role: int) -> dict[str, int]:
    """Expected status for every role: `default`, except where named; anonymous users are
    sent to the login page (302) unless said otherwise."""
    table = {role: default for role in Role.values}
    table.update(by_role)
    table.setdefault(ANON, 302)
    return table


def collect():
    rows, own = {}, []
    for name in MODULES:
        module = import_module(f"tests.permission_rows.{name}")
        overlap = set(rows) & set(module.ROWS)
        assert not overlap, f"rows defined twice: {overlap}"
        rows.update(module.ROWS)
        own.extend(getattr(module, "OWN", []))
    return rows, own
