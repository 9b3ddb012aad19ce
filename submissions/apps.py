from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = _("Câu hỏi, đề xuất, kiến nghị")

    def ready(self) -> None:
        from directory import demo as directory_demo
        from notifications import kinds
        from notifications import obligations as reminders
        from programs.views.common import register_tab

        from . import demo, obligations, rules  # noqa: F401  (register permission rules)

        directory_demo.register(demo.seed, order=20)
        reminders.register("submissions.routings", obligations.open_routings)
        reminders.register("submissions.acknowledgements", obligations.unacknowledged)
        kinds.register(
            "submission.update",
            _("Tin về câu hỏi, kiến nghị của xã"),
            "{{ what }}",
            "Kính gửi {{ recipient_name }},\n\n{{ what }}\n{{ reference }}: {{ title }}\n\nXem chi tiết: {{ link }}"
            "\n\n--\n{{ site_name }}",
        )
        register_tab(_("Câu hỏi, đề xuất, kiến nghị"), "submissions:program_items", "programs.view_public")
