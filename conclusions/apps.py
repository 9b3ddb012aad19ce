from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConclusionsConfig(AppConfig):
    name = "conclusions"
    verbose_name = _("Thông báo kết luận và theo dõi thực hiện")

    def ready(self) -> None:
        from . import registry

        registry.connect()
