from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Thông báo và nhắc hạn")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import kinds, rules, schedules  # noqa: F401  (rules register on import)

        kinds.register_defaults()
        post_migrate.connect(schedules.ensure_periodic_tasks, sender=self)
