"""Who sees which dashboard, registered with `directory.permissions` (the one place that
decides). The Standing Committee, the organizers, the supervisor and administrators see the
dashboards of their province (administrators choose the province); an agency officer sees only
their own agency's scorecard, a commune leader only their own commune's page. Every number is
counted over what the user may see (`submissions_for`, `assignments_for`), so the lists the
numbers link to show the same rows."""

from __future__ import annotations

from django.db.models import QuerySet

from directory.models import AdminUnit, Agency, Role
from directory.permissions import WIDE_READERS, province_id_of, role_of, rule
from programs.models import Program
from programs.rules import leads_commune


def sees_dashboards(user) -> bool:
    return role_of(user) in WIDE_READERS


def dashboard_provinces(user) -> QuerySet[AdminUnit]:
    """The provinces (as they are today) whose dashboards the user may open."""
    provinces = AdminUnit.objects.provinces().current()
    if role_of(user) == Role.ADMIN:
        return provinces
    if not sees_dashboards(user):
        return provinces.none()
    return provinces.filter(pk=province_id_of(user))


def unit_province_id(unit: AdminUnit) -> int:
    """The province that carries `unit` today (a 2023 commune's, after the 2025 merger too)."""
    return unit.province.current_unit().pk


@rule("dashboards.view")
def _view(user, province_or_program) -> bool:
    """A province's dashboards or a program's (given either; without: some province's)."""
    if not sees_dashboards(user):
        return False
    if province_or_program is None or role_of(user) == Role.ADMIN:
        return True
    if isinstance(province_or_program, Program):
        return province_or_program.province_id == province_id_of(user)
    return province_or_program.pk == province_id_of(user)


@rule("dashboards.view_agency")
def _view_agency(user, agency: Agency) -> bool:
    """An agency's scorecard: the wide readers for their province's agencies; an officer their own."""
    role = role_of(user)
    if role == Role.AGENCY_OFFICER:
        return agency is not None and agency.pk == user.agency_id
    if role == Role.ADMIN:
        return True
    return sees_dashboards(user) and (agency is None or agency.province_id == province_id_of(user))


@rule("dashboards.view_commune")
def _view_commune(user, unit: AdminUnit) -> bool:
    """A commune's page: the wide readers for their province's communes; a leader their own
    commune and the units it absorbed."""
    role = role_of(user)
    if role == Role.COMMUNE_LEADER:
        return unit is not None and leads_commune(user, unit.pk)
    if role == Role.ADMIN:
        return True
    return sees_dashboards(user) and (unit is None or unit_province_id(unit) == province_id_of(user))
