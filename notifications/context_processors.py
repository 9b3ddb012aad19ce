"""The bell in the navbar: the signed-in user's unread count, counted only when a template
shows it (pages without the navbar, such as PDFs and JSON, cost nothing) and at most once a
request, with one query on the partial index `notification_unread_idx`."""

from __future__ import annotations

from django.utils.functional import cached_property

from .models import Notification


class Bell:
    def __init__(self, user):
        self.user = user

    @cached_property
    def unread(self) -> int:
        if not getattr(self.user, "is_authenticated", False):
            return 0
        return Notification.objects.filter(recipient=self.user, read_at__isnull=True).count()


def bell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if not hasattr(request, "_notification_bell"):
        request._notification_bell = Bell(user)
    return {"notification_bell": request._notification_bell}
