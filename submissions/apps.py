from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = _("Câu hỏi, đề xuất, kiến nghị")

    def ready(self) -> None:
        from directory import demo as directory_demo
        from programs.views.common import register_tab

        from . import demo, rules  # noqa: F401  (register permission rules)

        directory_demo.register(demo.seed, order=20)
        register_tab(_("Câu hỏi, đề xuất, kiến nghị"), "submissions:program_items", "programs.view_public")
