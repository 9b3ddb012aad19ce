from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Chương trình gặp mặt, đối thoại")

    def ready(self) -> None:
        from directory import demo as directory_demo
        from notifications import obligations as reminders

        from . import demo, obligations, rules  # noqa: F401  (register permission rules)

        directory_demo.register(demo.seed, order=10)
        reminders.register("programs.roadmap", obligations.roadmap_tasks)
