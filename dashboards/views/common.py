"""What every dashboard page shares: the province it is about (an administrator chooses, anyone
else has theirs) and one way to answer with the dashboard as a page, a PDF briefing in the
official frame, or an Excel workbook — three renderings of the same `Dashboard`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone

from dialogue import excel
from dialogue.pdf import pdf_response, render_pdf
from directory.models import AdminUnit, Agency
from directory.permissions import province_id_of, require
from programs.models import Program

from ..charts import bar_chart
from ..rules import dashboard_provinces
from ..sections import Dashboard, excel_sheets

FORMATS = ("html", "pdf", "xlsx")


def chosen_province(request) -> tuple[AdminUnit, list[AdminUnit]]:
    """(the province, the provinces the user may choose among). Administrators pick one with
    `?province=`; by default the province with the most programs. Others have their own."""
    provinces = list(dashboard_provinces(request.user).order_by("name"))
    if not provinces:
        raise PermissionDenied  # commune leaders and agency officers have their own page only
    wanted = request.GET.get("province", "")
    by_pk = {province.pk: province for province in provinces}
    if wanted.isdigit() and int(wanted) in by_pk:
        return by_pk[int(wanted)], provinces
    own = province_id_of(request.user)
    if own in by_pk:
        return by_pk[own], provinces
    busiest = Program.objects.values("province_id").annotate(n=Count("pk")).order_by("-n", "province_id").first()
    return by_pk.get(busiest["province_id"] if busiest else None, provinces[0]), provinces


def require_view(request, province: AdminUnit) -> None:
    require(request.user, "dashboards.view", province)


def province_issuer(province: AdminUnit) -> list[str]:
    """The Party committee of the province, as a document header writes it."""
    committee = Agency.objects.filter(province=province, kind=Agency.Kind.PARTY_COMMITTEE).order_by("pk").first()
    return [(committee.name if committee else province.full_name).upper()]


def respond(
    request,
    dashboard: Dashboard,
    fmt: str,
    *,
    template: str,
    context: dict,
    filename: str,
    province: AdminUnit | None = None,
    issuer: list[str] | None = None,
    place: str = "",
):
    """The dashboard as a page (`template` with `context`), a PDF briefing or an Excel file.
    The briefing is issued in the name of `issuer` (by default the province's Party committee)
    at `place` (by default the province's name)."""
    if fmt == "pdf":
        issuer = issuer or province_issuer(province)
        place = place or province.name
        pdf = render_pdf(
            "documents/dashboard_briefing.html",
            {
                "dashboard": dashboard,
                "charts": {section.key: bar_chart(section) for section in dashboard.sections},
                "issuer": issuer,
                "place": place,
                "date": timezone.localdate(),
                "doc_type": "BÁO CÁO NHANH",
                "summary": dashboard.document_summary,
                "recipients": [
                    "Thường trực cấp ủy (để báo cáo)",
                    "Ban tổ chức chương trình",
                    "Lưu cơ quan thường trực",
                ],
            },
            request=request,
        )
        return pdf_response(pdf, f"{filename}.pdf")
    if fmt == "xlsx":
        workbook = excel.write_workbook(excel_sheets(dashboard), title=dashboard.title)
        return excel.xlsx_response(workbook, f"{filename}.xlsx")
    charts = {section.key: bar_chart(section) for section in dashboard.sections}
    return render(request, template, {"dashboard": dashboard, "charts": charts, **context})


def export_links(request, name: str, *args) -> dict[str, str]:
    """The PDF and Excel versions of the page, with its query (filters, sort)."""
    from django.urls import reverse

    query = request.GET.urlencode()
    suffix = f"?{query}" if query else ""
    return {
        "pdf": reverse(f"dashboards:{name}_pdf", args=args) + suffix,
        "xlsx": reverse(f"dashboards:{name}_xlsx", args=args) + suffix,
    }
