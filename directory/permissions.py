"""The one place that decides what a user may see and do.

Two kinds of function:
- scoping functions, one per model (`units_for`, `agencies_for`, `users_for`, ...): the
  queryset a user may see. Views fetch objects only through them, so an id of another
  commune's object in a URL gives 404, never the object.
- action predicates, registered by name with `@rule("app.action")` and asked with
  `can(user, "app.action", obj)`. Higher apps register their own rules in their `rules.py`
  using the role helpers here, so every decision reads the same facts about the user.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from .models import ActionLog, AdminUnit, Agency, CalendarDay, Role, User

Predicate = Callable[[Any, Any], bool]
_RULES: dict[str, Predicate] = {}

# Roles that read across every commune and agency of their province.
WIDE_READERS = frozenset({Role.ORGANIZER, Role.STANDING_COMMITTEE, Role.SUPERVISOR, Role.ADMIN})


def role_of(user) -> str | None:
    """The user's role; superusers count as administrators; anonymous users have none."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    return user.role


def has_role(user, *roles: str) -> bool:
    return role_of(user) in roles


def is_admin(user) -> bool:
    return role_of(user) == Role.ADMIN


def province_id_of(user) -> int | None:
    """The province a user works in: their agency's, or their commune's."""
    if getattr(user, "agency_id", None):
        return user.agency.province_id
    if getattr(user, "commune_id", None):
        return user.commune.province.pk
    return None


# --- scoping: what a user may see ---------------------------------------------------------


def units_for(user) -> QuerySet[AdminUnit]:
    """Administrative units. A commune leader sees only their own commune and the units it
    absorbed in a merger (their records are now the commune's)."""
    role = role_of(user)
    if role is None:
        return AdminUnit.objects.none()
    if role == Role.COMMUNE_LEADER:
        return AdminUnit.objects.filter(Q(pk=user.commune_id) | Q(successor_id=user.commune_id))
    return AdminUnit.objects.all()


def agencies_for(user) -> QuerySet[Agency]:
    """Agencies are public bodies: every signed-in user sees the catalogue."""
    if role_of(user) is None:
        return Agency.objects.none()
    return Agency.objects.all()


def users_for(user) -> QuerySet[User]:
    """People. Administrators see everyone; organizers the people of their province;
    everyone else only themselves."""
    role = role_of(user)
    if role is None:
        return User.objects.none()
    if role == Role.ADMIN:
        return User.objects.all()
    if role == Role.ORGANIZER:
        province = province_id_of(user)
        return User.objects.filter(
            Q(agency__province_id=province) | Q(commune__parent_id=province) | Q(commune__parent__parent_id=province)
        )  # communes hang under a district before 2025 and directly under the province after
    return User.objects.filter(pk=user.pk)


def calendar_days_for(user) -> QuerySet[CalendarDay]:
    if role_of(user) is None:
        return CalendarDay.objects.none()
    return CalendarDay.objects.all()


def actions_for(user) -> QuerySet[ActionLog]:
    """The action log: administrators see all of it, others their own acts."""
    role = role_of(user)
    if role is None:
        return ActionLog.objects.none()
    if role == Role.ADMIN:
        return ActionLog.objects.all()
    return ActionLog.objects.filter(actor=user)


# --- action predicates ----------------------------------------------------------------------


def rule(name: str) -> Callable[[Predicate], Predicate]:
    """Register a predicate `fn(user, obj) -> bool` under `name`."""

    def register(fn: Predicate) -> Predicate:
        if name in _RULES and _RULES[name] is not fn:
            raise ValueError(f"permission rule {name!r} registered twice")
        _RULES[name] = fn
        return fn

    return register


def can(user, action: str, obj: Any = None) -> bool:
    """Whether `user` may do `action` (on `obj`). Unknown actions are refused."""
    if role_of(user) is None:
        return False
    predicate = _RULES.get(action)
    if predicate is None:
        raise KeyError(f"no permission rule named {action!r}")
    return bool(predicate(user, obj))


def require(user, action: str, obj: Any = None) -> None:
    if not can(user, action, obj):
        raise PermissionDenied


def registered_rules() -> list[str]:
    return sorted(_RULES)


@rule("directory.view_units")
def _view_units(user, obj) -> bool:
    return role_of(user) is not None


@rule("directory.view_unit_people")
def _view_unit_people(user, unit) -> bool:
    role = role_of(user)
    if role in (Role.ADMIN, Role.ORGANIZER):
        return True
    return role == Role.COMMUNE_LEADER and unit is not None and unit.pk == user.commune_id


@rule("directory.view_agency_people")
def _view_agency_people(user, agency) -> bool:
    role = role_of(user)
    if role in (Role.ADMIN, Role.ORGANIZER, Role.STANDING_COMMITTEE):
        return True
    return role == Role.AGENCY_OFFICER and agency is not None and agency.pk == user.agency_id


@rule("directory.view_users")
def _view_users(user, obj) -> bool:
    return has_role(user, Role.ADMIN, Role.ORGANIZER)


@rule("directory.manage_reference_data")
def _manage_reference_data(user, obj) -> bool:
    return is_admin(user)


@rule("directory.view_history")
def _view_history(user, obj) -> bool:
    return has_role(user, Role.ADMIN, Role.ORGANIZER)
