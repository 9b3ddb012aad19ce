"""URLs of the notifications app, included at "thong-bao/"."""

from django.urls import path

from . import rules  # noqa: F401  (registers the permission rules until apps.py imports them)
from .views import health, inbox, outbox

app_name = "notifications"

urlpatterns = [
    path("", inbox.inbox, name="inbox"),
    path("<int:pk>/mo/", inbox.open_notification, name="open"),
    path("da-doc-tat-ca/", inbox.mark_all_read, name="mark_all_read"),
    path("nhan-qua-thu/", inbox.preferences, name="preferences"),
    path("hop-thu-di/", outbox.outbox_list, name="outbox"),
    path("hop-thu-di/<int:pk>/", outbox.outbox_detail, name="outbox_detail"),
    path("hop-thu-di/<int:pk>/gui-lai/", outbox.outbox_resend, name="outbox_resend"),
    path("tinh-trang/", health.health, name="health"),
    path("tinh-trang.json", health.health_json, name="health_json"),
    path("tinh-trang/quet-nhac-han/", health.run_sweep, name="run_sweep"),
]
