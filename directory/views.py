"""Pages of the directory: home per role, administrative units, agencies, people, calendar.

Views are thin: objects come through the scoping functions of `permissions`, lists through
`queries`, so another commune's id in a URL is a 404 and a list's query count is fixed.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from . import permissions, queries
from .audit import actions_for, field_history
from .calendar import official_calendar
from .forms import AgencyFilterForm, UnitFilterForm, UserFilterForm
from .models import AdminUnit, Role

PAGE_SIZE = 50


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


# Panels higher apps add to the home page (directory imports none of them): each a function
# `panel(request) -> {"template": ..., **context} | None`, shown in the order registered.
HOME_PANELS: list = []


def register_home_panel(panel) -> None:
    if panel not in HOME_PANELS:
        HOME_PANELS.append(panel)


@login_required
def home(request):
    user = request.user
    role = permissions.role_of(user)
    panels = [found for found in (panel(request) for panel in HOME_PANELS) if found]
    context = {"role": role, "today": timezone.localdate(), "panels": panels}
    if role == Role.COMMUNE_LEADER:
        context["commune"] = user.commune
    elif role == Role.AGENCY_OFFICER:
        context["agency"] = user.agency
        context["colleagues"] = user.agency.users.filter(is_active=True).exclude(pk=user.pk).order_by("full_name")
    else:
        province_id = permissions.province_id_of(user)
        today = timezone.localdate()
        context["counts"] = {
            "communes": AdminUnit.objects.communes().valid_on(today).filter(queries.communes_of(province_id)).count()
            if province_id
            else AdminUnit.objects.communes().valid_on(today).count(),
            "agencies": permissions.agencies_for(user).filter(province_id=province_id).count()
            if province_id
            else permissions.agencies_for(user).count(),
            "users": permissions.users_for(user).filter(is_active=True).count(),
        }
        if role == Role.ADMIN:
            context["recent_actions"] = permissions.actions_for(user).select_related("actor")[:10]
    return render(request, "directory/home.html", context)


def list_page(
    request, *, form_class, rows, template: str, title: str, empty_title: str, empty_hint: str = "", extra=None
):
    """A filterable, paginated list: `rows(filters)` gives the queryset for the valid filters
    (an invalid filter just filters nothing) and `template` extends includes/list_page.html."""
    form = form_class(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    context = {
        "form": form,
        "page": paginate(request, rows(filters)),
        "title": title,
        "empty_title": empty_title,
        "empty_hint": empty_hint,
        **(extra or {}),
    }
    return render(request, template, context)


def _pk(value):
    return value.pk if value is not None else None


@login_required
def unit_list(request):
    return list_page(
        request,
        form_class=UnitFilterForm,
        rows=lambda f: queries.unit_list(
            permissions.units_for(request.user),
            query=f.get("q", ""),
            level=f.get("level", ""),
            province=_pk(f.get("province")),
            on=f.get("on") or timezone.localdate(),
        ),
        template="directory/unit_list.html",
        title=_("Đơn vị hành chính"),
        empty_title=_("Không có đơn vị nào phù hợp"),
        empty_hint=_("Thử bỏ bớt điều kiện lọc, hoặc tìm không dấu, ví dụ “nghi phu”."),
    )


@login_required
def unit_detail(request, pk: int):
    unit = get_object_or_404(permissions.units_for(request.user).select_related("parent", "successor"), pk=pk)
    children = paginate(request, queries.unit_children(unit), per_page=100)
    context = {
        "unit": unit,
        "ancestors": _ancestors(unit),
        "children": children,
        "predecessors": unit.predecessors.select_related("parent").order_by("name"),
        "show_people": permissions.can(request.user, "directory.view_unit_people", unit),
        "show_history": permissions.can(request.user, "directory.view_history", unit),
    }
    if context["show_people"]:
        context["people"] = unit.users.filter(is_active=True).order_by("full_name")
    if context["show_history"]:
        context["history"] = field_history(unit)
    return render(request, "directory/unit_detail.html", context)


def _ancestors(unit: AdminUnit) -> list[AdminUnit]:
    chain, current = [], unit.parent
    while current is not None:
        chain.insert(0, current)
        current = current.parent
    return chain


@login_required
def agency_list(request):
    return list_page(
        request,
        form_class=AgencyFilterForm,
        rows=lambda f: queries.agency_list(
            permissions.agencies_for(request.user),
            query=f.get("q", ""),
            kind=f.get("kind", ""),
            province=_pk(f.get("province")),
        ),
        template="directory/agency_list.html",
        title=_("Cơ quan, đơn vị"),
        empty_title=_("Không có cơ quan nào phù hợp"),
    )


@login_required
def agency_detail(request, pk: int):
    agency = get_object_or_404(permissions.agencies_for(request.user).select_related("province", "parent"), pk=pk)
    context = {
        "agency": agency,
        "children": agency.children.order_by("name"),
        "show_people": permissions.can(request.user, "directory.view_agency_people", agency),
        "show_history": permissions.can(request.user, "directory.view_history", agency),
    }
    if context["show_people"]:
        context["people"] = agency.users.filter(is_active=True).order_by("full_name")
    if context["show_history"]:
        context["history"] = field_history(agency)
        context["actions"] = actions_for(agency)[:20]
    return render(request, "directory/agency_detail.html", context)


@login_required
def user_list(request):
    permissions.require(request.user, "directory.view_users")
    return list_page(
        request,
        form_class=UserFilterForm,
        rows=lambda f: queries.user_list(
            permissions.users_for(request.user), query=f.get("q", ""), role=f.get("role", "")
        ),
        template="directory/user_list.html",
        title=_("Người dùng"),
        empty_title=_("Không có người dùng nào phù hợp"),
    )


@login_required
def user_detail(request, pk: int):
    person = get_object_or_404(
        permissions.users_for(request.user).select_related("agency", "commune", "commune__parent"), pk=pk
    )
    context = {"person": person, "show_history": permissions.can(request.user, "directory.view_history", person)}
    if context["show_history"]:
        context["history"] = field_history(person)
        context["actions"] = actions_for(person)[:20]
    return render(request, "directory/user_detail.html", context)


@login_required
def profile(request):
    return user_detail(request, request.user.pk)


@login_required
def calendar(request):
    today = timezone.localdate()
    try:
        year = int(request.GET.get("nam", today.year))
    except ValueError:
        year = today.year
    year = min(max(year, 2000), 2100)
    work_calendar = official_calendar()
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    holidays = work_calendar.public_holidays(year)
    exceptions = permissions.calendar_days_for(request.user).filter(date__range=(first, last))
    context = {
        "year": year,
        "holidays": sorted(holidays.items()),
        "exceptions": exceptions,
        "working_days": work_calendar.working_days_between(first - datetime.timedelta(days=1), last),
        "can_edit": permissions.can(request.user, "directory.manage_reference_data"),
        "title": _("Lịch làm việc năm %(year)s") % {"year": year},
    }
    return render(request, "directory/calendar.html", context)
