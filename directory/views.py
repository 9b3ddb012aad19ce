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


@login_required
def home(request):
    user = request.user
    role = permissions.role_of(user)
    context = {"role": role, "today": timezone.localdate()}
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


@login_required
def unit_list(request):
    form = UnitFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    units = queries.unit_list(
        permissions.units_for(request.user),
        query=data.get("q", ""),
        level=data.get("level", ""),
        province=data.get("province").pk if data.get("province") else None,
        on=data.get("on") or timezone.localdate(),
    )
    return render(request, "directory/unit_list.html", {"form": form, "page": paginate(request, units)})


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
    form = AgencyFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    agencies = queries.agency_list(
        permissions.agencies_for(request.user),
        query=data.get("q", ""),
        kind=data.get("kind", ""),
        province=data.get("province").pk if data.get("province") else None,
    )
    return render(request, "directory/agency_list.html", {"form": form, "page": paginate(request, agencies)})


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
    form = UserFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    users = queries.user_list(permissions.users_for(request.user), query=data.get("q", ""), role=data.get("role", ""))
    return render(request, "directory/user_list.html", {"form": form, "page": paginate(request, users)})


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
