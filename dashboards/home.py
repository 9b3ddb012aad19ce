"""The dashboards' panel on the home page: a leader lands on the province's headline figures
with the way into the dashboards; a commune leader or an agency officer on the way to their
own results."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from directory.models import Role
from directory.permissions import province_id_of, role_of

from .overview import province_overview
from .rules import dashboard_provinces, sees_dashboards


def home_panel(request) -> dict | None:
    user = request.user
    if sees_dashboards(user):
        province = dashboard_provinces(user).filter(pk=province_id_of(user)).first()
        if province is None:  # an administrator without a province: the dashboards choose one
            return {"template": "dashboards/_home_panel.html", "url": reverse("dashboards:overview")}
        overview = province_overview(user, province)
        return {
            "template": "dashboards/_home_panel.html",
            "dashboard": overview,
            "url": reverse("dashboards:overview") + f"?province={province.pk}",
        }
    if role_of(user) in (Role.COMMUNE_LEADER, Role.AGENCY_OFFICER):
        return {
            "template": "dashboards/_home_own.html",
            "url": reverse("dashboards:mine"),
            "label": _("Kết quả trả lời, giải quyết của đơn vị qua các chương trình"),
        }
    return None
