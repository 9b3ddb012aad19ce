"""Who may work the door, read the attendance and print badges (issue 7, items 5–7).

Door staff are organizer accounts: organizers of the program's province and administrators
check delegates in and undo a check-in (with a reason); the Standing Committee and the
supervisor read the attendance as the organizers do. Commune leaders and agency officers see
none of it. Registered with `directory.permissions` on import (programs/apps.py imports this
module; programs/views/checkin.py does too, which is harmless)."""

from __future__ import annotations

from directory.permissions import role_of, rule

from .rules import INTERNAL_READERS, manages


@rule("programs.check_in")
def _check_in(user, program) -> bool:
    return manages(user, program)


@rule("programs.view_attendance")
def _view_attendance(user, program) -> bool:
    return role_of(user) in INTERNAL_READERS


@rule("programs.make_badges")
def _make_badges(user, program) -> bool:
    return manages(user, program)
