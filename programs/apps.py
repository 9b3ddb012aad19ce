from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Chương trình gặp mặt, đối thoại")

    def ready(self) -> None:
        from directory import demo as directory_demo
        from notifications import obligations as reminders

        from . import checkin_rules, delegates_demo, demo, obligations, rules  # noqa: F401  (permission rules)

        directory_demo.register(demo.seed, order=10)
        directory_demo.register(delegates_demo.seed, order=15)
        reminders.register("programs.roadmap", obligations.roadmap_tasks)
        reminders.register("programs.delegates", obligations.unconfirmed_delegates)

        from . import delegate_import

        delegate_import.register_jobs()  # background import of large delegate lists
