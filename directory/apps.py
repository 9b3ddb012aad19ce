from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Danh mục và người dùng")

    def ready(self) -> None:
        from . import calendar, checks, signals  # noqa: F401  (register checks and signal handlers)
