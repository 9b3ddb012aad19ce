"""Each user's own notifications: the inbox (newest first, unread marked), opening one (marks
it read and goes to its page, a path of this site only), marking all read, and the choice of
the kinds that also arrive by e-mail. Rows come through `notifications_for`, so another
user's notification is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from directory.permissions import can
from directory.views import paginate

from .. import kinds
from ..forms import InboxFilterForm, PreferencesForm
from ..rules import notifications_for

PAGE_SIZE = 30


def is_local_path(url: str) -> bool:
    """A path of this site ("/x/"), never another host ("//evil", "https://…", "/\\evil")."""
    return bool(url) and url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=set())


@login_required
def inbox(request):
    form = InboxFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = notifications_for(request.user).order_by("-created_at", "-id")
    if filters.get("state") == "unread":
        rows = rows.filter(read_at__isnull=True)
    page = paginate(request, rows, per_page=PAGE_SIZE)
    labels = {code: label for code, label in kinds.choices()}
    for note in page:
        note.kind_label = labels.get(note.kind, note.kind)
    context = {
        "form": form,
        "page": page,
        "title": _("Thông báo của tôi"),
        "show_outbox": can(request.user, "notifications.view_outbox"),
        "show_health": can(request.user, "notifications.view_health"),
    }
    return render(request, "notifications/inbox.html", context)


@login_required
def open_notification(request, pk: int):
    note = get_object_or_404(notifications_for(request.user), pk=pk)
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    if is_local_path(note.url):
        return redirect(note.url)
    # No page of this site to go to: the inbox shows the whole message.
    return redirect(f"{reverse('notifications:inbox')}#thong-bao-{note.pk}")


@login_required
@require_POST
def mark_all_read(request):
    changed = notifications_for(request.user).filter(read_at__isnull=True).update(read_at=timezone.now())
    if changed:
        messages.success(
            request,
            ngettext("Đã đánh dấu %(n)d thông báo là đã đọc.", "Đã đánh dấu %(n)d thông báo là đã đọc.", changed)
            % {"n": changed},
        )
    else:
        messages.info(request, _("Không có thông báo nào chưa đọc."))
    return redirect("notifications:inbox")


@login_required
def preferences(request):
    form = PreferencesForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Đã lưu lựa chọn nhận thông báo qua thư điện tử."))
        return redirect("notifications:preferences")
    return render(
        request, "notifications/preferences.html", {"form": form, "title": _("Nhận thông báo qua thư điện tử")}
    )
