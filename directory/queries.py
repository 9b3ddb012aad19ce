"""Reads shared by the directory's pages, written so a page's query count does not grow
with its rows (select_related and annotations, never a query per row)."""

from __future__ import annotations

import datetime

from django.db.models import Case, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When

from dialogue.text import search_terms

from .models import AdminUnit, Agency, User

# Provinces first, then districts, then communes (the level names do not sort that way).
LEVEL_RANK = Case(
    When(level=AdminUnit.Level.PROVINCE, then=Value(0)),
    When(level=AdminUnit.Level.DISTRICT, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def _count_of(related: QuerySet) -> Subquery:
    """A correlated COUNT: unlike Count() over a join it needs no GROUP BY, so the paginator's
    count and the page query stay cheap on tens of thousands of rows."""
    counted = related.order_by().annotate(n=Func("pk", function="COUNT")).values("n")
    return Subquery(counted, output_field=IntegerField())


def communes_of(province_id: int | None) -> Q:
    """Communes of a province, whether under a district (before 2025) or directly (after)."""
    return Q(parent_id=province_id) | Q(parent__parent_id=province_id)


def filter_by_search(queryset: QuerySet, query: str | None, field: str = "search_key") -> QuerySet:
    """Accent-insensitive search: every word of the query must appear in the key."""
    for term in search_terms(query):
        queryset = queryset.filter(**{f"{field}__contains": term})
    return queryset


def unit_list(
    units: QuerySet[AdminUnit],
    *,
    query: str = "",
    level: str = "",
    province: int | None = None,
    on: datetime.date | None = None,
) -> QuerySet[AdminUnit]:
    if on is not None:
        units = units.valid_on(on)
    if level:
        units = units.filter(level=level)
    if province:
        units = units.filter(Q(pk=province) | communes_of(province))
    units = filter_by_search(units, query)
    return (
        units.select_related("parent", "parent__parent", "successor")
        .annotate(child_count=_count_of(AdminUnit.objects.filter(parent=OuterRef("pk"))), level_rank=LEVEL_RANK)
        .order_by("level_rank", "code", "valid_from")
    )


def unit_children(unit: AdminUnit) -> QuerySet[AdminUnit]:
    return unit.children.select_related("successor").order_by("kind", "name")


def agency_list(agencies: QuerySet[Agency], *, query: str = "", kind: str = "", province: int | None = None):
    if kind:
        agencies = agencies.filter(kind=kind)
    if province:
        agencies = agencies.filter(province_id=province)
    agencies = filter_by_search(agencies, query)
    return (
        agencies.select_related("province", "parent")
        .annotate(officer_count=_count_of(User.objects.filter(agency=OuterRef("pk"), is_active=True)))
        .order_by("kind", "name", "pk")
    )


def user_list(users: QuerySet[User], *, query: str = "", role: str = "") -> QuerySet[User]:
    if role:
        users = users.filter(role=role)
    users = filter_by_search(users, query)
    return users.select_related("agency", "commune", "commune__parent").order_by("full_name", "username")


def province_choices() -> QuerySet[AdminUnit]:
    return AdminUnit.objects.provinces().order_by("-valid_from", "name")
