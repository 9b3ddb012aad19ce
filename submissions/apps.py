from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = _("Câu hỏi, đề xuất, kiến nghị")

    def ready(self) -> None:
        from programs.views.common import register_tab

        from . import rules  # noqa: F401  (register permission rules)

        register_tab(_("Câu hỏi, đề xuất, kiến nghị"), "submissions:program_items", "programs.view_public")
