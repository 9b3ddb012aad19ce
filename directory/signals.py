"""Signal handlers: login lockouts and password changes go to the action log."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from . import audit


@receiver(user_logged_in)
def log_login(sender, request, user, **kwargs):
    audit.record(user, "login", user)


@receiver(user_login_failed)
def log_failed_login(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username", "")
    target = get_user_model().objects.filter(username=username).first()
    audit.record(None, "login_failed", target, username=username)


@receiver(user_locked_out)
def log_lockout(sender, request, username, ip_address, **kwargs):
    target = get_user_model().objects.filter(username=username).first()
    audit.record(None, "locked_out", target, username=username, ip_address=ip_address)
