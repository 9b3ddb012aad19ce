from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Bảng điều khiển")

    def ready(self) -> None:
        from directory.context_processors import register_menu_item
        from directory.models import Role
        from directory.views import register_home_panel
        from notifications import kinds, schedules
        from programs.views.common import register_tab

        from . import rules, tasks  # noqa: F401  (rules and tasks register on import)
        from .briefing import KIND
        from .home import home_panel

        readers = {Role.ORGANIZER, Role.STANDING_COMMITTEE, Role.SUPERVISOR, Role.ADMIN}
        register_menu_item(_("Bảng điều khiển"), "dashboards:overview", readers, after="programs:list")
        register_menu_item(
            _("Kết quả của đơn vị"),
            "dashboards:mine",
            {Role.COMMUNE_LEADER, Role.AGENCY_OFFICER},
            after="programs:list",
        )
        register_home_panel(home_panel)
        register_tab(_("Bảng điều khiển"), "dashboards:program", "dashboards.view", after="programs:detail")
        kinds.register(
            KIND,
            _("Bản tin tháng về các chương trình gặp mặt, đối thoại"),
            "Bản tin tháng {{ month }}: các chương trình gặp mặt, đối thoại của {{ province }}",
            "Kính gửi {{ recipient_name }},\n\nBản tin tháng {{ month }} về các chương trình gặp mặt, đối thoại "
            "của {{ province }}:\n{{ figures }}\n\nCác cơ quan có nhiều việc quá hạn nhất:\n{{ late_agencies }}\n\n"
            "Bảng điều khiển: {{ link }}\nBản tin (PDF): {{ pdf_link }}\nCác nhiệm vụ đang thực hiện: "
            "{{ assignments_link }}\n\n--\n{{ site_name }}",
        )
        schedules.register(
            "Bản tin tháng cho Thường trực cấp ủy", "dashboards.send_monthly_briefings", "crontab", "monthly"
        )
