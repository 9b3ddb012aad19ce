"""The dashboards: a province's programs over the years, one program, the agencies' scorecard,
one agency, one commune, the grid of communes. Each view answers as a page, a PDF briefing or
an Excel file (`fmt`), from one `Dashboard`. Objects come through the scoping functions
(`programs_for`, `agencies_for`, `units_for`), so another province's id is a 404; the rules
`dashboards.view`, `.view_agency` and `.view_commune` decide the rest."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _

from directory.models import Role
from directory.permissions import agencies_for, role_of, units_for
from directory.permissions import require as require_rule
from programs.rules import programs_for
from programs.views.common import program_context
from programs.views.documents import issuer_lines

from .. import agencies as scorecards
from .. import overview as across
from ..forms import DashboardForm
from ..program import program_dashboard
from ..queries import program_label
from ..rules import sees_dashboards
from ..sections import Dashboard, Metric, Section, Table
from .common import chosen_province, export_links, require_view, respond


@login_required
def overview(request, fmt: str = "html"):
    province, provinces = chosen_province(request)
    require_view(request, province)
    dashboard = across.province_overview(request.user, province)
    form = DashboardForm({"province": province.pk}, provinces=provinces)
    context = {"form": form, "province": province, "exports": export_links(request, "overview"), "page": "overview"}
    return respond(
        request,
        dashboard,
        fmt,
        template="dashboards/overview.html",
        context=context,
        province=province,
        filename=f"Bảng điều khiển {province.full_name}",
    )


@login_required
def program(request, pk: int, fmt: str = "html"):
    program = get_object_or_404(
        programs_for(request.user).select_related("host", "area", "standing_agency", "province"), pk=pk
    )
    require_view(request, program)
    dashboard = program_dashboard(program, request.user)
    context = program_context(request, program, "dashboards:program", exports=export_links(request, "program", pk))
    return respond(
        request,
        dashboard,
        fmt,
        template="dashboards/program.html",
        context=context,
        issuer=issuer_lines(program),
        place=program.area.name if program.area.level == program.area.Level.PROVINCE else program.province.name,
        filename=f"Bảng điều khiển {program.title}",
    )


@login_required
def agency_list(request, fmt: str = "html"):
    if role_of(request.user) == Role.AGENCY_OFFICER and request.user.agency_id:
        return redirect("dashboards:agency", request.user.agency_id)  # their own scorecard only
    province, provinces = chosen_province(request)
    require_view(request, province)
    programs = list(programs_for(request.user).filter(province=province).order_by("-start_date"))
    form = DashboardForm(request.GET or {"province": province.pk}, provinces=provinces, programs=programs)
    chosen = None
    if form.is_valid() and form.cleaned_data.get("program"):
        chosen = next((p for p in programs if p.pk == form.cleaned_data["program"]), None)
    sort = request.GET.get("sort", "overdue")
    dashboard = scorecards.scorecard(request.user, province, chosen, sort)
    query = request.GET.copy()
    query.pop("sort", None)
    context = {
        "form": form,
        "province": province,
        "sort": sort,
        "sort_base": query.urlencode(),
        "exports": export_links(request, "agencies"),
        "page": "agencies",
    }
    return respond(
        request,
        dashboard,
        fmt,
        template="dashboards/agencies.html",
        context=context,
        province=province,
        filename=f"Bảng theo dõi cơ quan {province.full_name}",
    )


@login_required
def agency(request, pk: int, fmt: str = "html"):
    agency = get_object_or_404(agencies_for(request.user).select_related("province"), pk=pk)
    require_rule(request.user, "dashboards.view_agency", agency)
    dashboard = scorecards.agency_dashboard(request.user, agency)
    wide = sees_dashboards(request.user)
    context = {
        "agency": agency,
        "can_see_all": wide,
        "province": agency.province if wide else None,
        "exports": export_links(request, "agency", pk),
        "page": "agencies",
    }
    return respond(
        request,
        dashboard,
        fmt,
        template="dashboards/agency.html",
        context=context,
        province=agency.province,
        filename=f"Kết quả {agency.name}",
    )


@login_required
def commune(request, pk: int, fmt: str = "html"):
    unit = get_object_or_404(units_for(request.user).select_related("parent"), pk=pk)
    if unit.level != unit.Level.COMMUNE:
        raise PermissionDenied
    require_rule(request.user, "dashboards.view_commune", unit)
    dashboard, items = across.commune_dashboard(request.user, unit)
    context = {
        "unit": unit,
        "items": items,
        "can_see_all": sees_dashboards(request.user),
        "exports": export_links(request, "commune", pk),
        "page": "communes",
    }
    province = unit.province.current_unit()
    return respond(
        request,
        dashboard,
        fmt,
        template="dashboards/commune.html",
        context=context,
        province=province,
        filename=f"Kết quả {unit.full_name}",
    )


@login_required
def unit_map(request, fmt: str = "html"):
    province, provinces = chosen_province(request)
    require_view(request, province)
    programs = list(programs_for(request.user).filter(province=province).order_by("-start_date"))
    wanted = request.GET.get("program", "")
    chosen = next((p for p in programs if str(p.pk) == wanted), programs[0] if programs else None)
    metric = request.GET.get("metric", "submissions")
    if metric not in across.METRICS:
        metric = "submissions"
    grid = across.unit_grid(request.user, province, chosen, metric)
    form = DashboardForm(
        {"province": province.pk, "program": chosen.pk if chosen else None},
        provinces=provinces,
        programs=programs,
        all_programs_label=_("Chọn chương trình"),
    )
    dashboard = _grid_dashboard(grid, province, chosen)
    context = {
        "form": form,
        "grid": grid,
        "metric": metric,
        "metrics": across.METRICS,
        "province": province,
        "exports": export_links(request, "map"),
        "page": "map",
    }
    return respond(
        request,
        dashboard,
        fmt,
        template="dashboards/map.html",
        context=context,
        province=province,
        filename=f"Lưới đơn vị {province.full_name}",
    )


def _grid_dashboard(grid: across.Grid, province, program) -> Dashboard:
    """The grid as tables (one row per commune), for its table alternative, PDF and Excel."""
    from ..sections import Cell, Column

    label = str(across.METRICS[grid.metric])
    table = Table(
        [Column(_("Xã, phường, thị trấn"), numeric=False), Column(_("Trực thuộc"), numeric=False), Column(label)]
    )
    for district in grid.districts:
        for tile in district.tiles:
            table.add(Cell(tile.name, tile.url), Cell(district.name), Cell(tile.value, tile.list_url))
    where = program_label(program) if program else province.full_name
    return Dashboard(
        title=_("Lưới đơn vị hành chính: %(where)s") % {"where": where},
        subtitle=label,
        metrics=[
            Metric(label, grid.total),
            Metric(_("Số xã, phường, thị trấn"), sum(len(d.tiles) for d in grid.districts)),
        ],
        sections=[Section("units", _("Các xã, phường, thị trấn"), table, wide=True, collapsed=True)],
    )


@login_required
def mine(request):
    """The menu's "Kết quả của đơn vị": a commune leader's commune, an agency officer's agency."""
    user = request.user
    if role_of(user) == Role.COMMUNE_LEADER and user.commune_id:
        return redirect("dashboards:commune", user.commune_id)
    if role_of(user) == Role.AGENCY_OFFICER and user.agency_id:
        return redirect("dashboards:agency", user.agency_id)
    return redirect("dashboards:overview")


def _formats(route: str, view, name: str) -> list:
    """The page and its PDF and Excel versions."""
    return [
        path(route, view, name=name),
        path(f"{route}ban-tin.pdf", view, {"fmt": "pdf"}, name=f"{name}_pdf"),
        path(f"{route}so-lieu.xlsx", view, {"fmt": "xlsx"}, name=f"{name}_xlsx"),
    ]


urlpatterns = [
    *_formats("", overview, "overview"),
    *_formats("chuong-trinh/<int:pk>/", program, "program"),
    *_formats("co-quan/", agency_list, "agencies"),
    *_formats("co-quan/<int:pk>/", agency, "agency"),
    *_formats("don-vi/<int:pk>/", commune, "commune"),
    *_formats("luoi-don-vi/", unit_map, "map"),
    path("cua-toi/", mine, name="mine"),
]
