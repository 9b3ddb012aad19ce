from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Chương trình gặp mặt, đối thoại")

    def ready(self) -> None:
        from directory import demo as directory_demo

        from . import demo, rules  # noqa: F401  (register permission rules)

        directory_demo.register(demo.seed, order=10)
