"""System checks of this deployment's configuration."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def secret_key_is_set(app_configs, **kwargs):
    if getattr(settings, "DEV_SECRET_KEY", None) == settings.SECRET_KEY:
        return [
            Error(
                "SECRET_KEY is the development key.",
                hint="Set SECRET_KEY in the environment (docs/deploy.md).",
                id="dialogue.E001",
            )
        ]
    return []
