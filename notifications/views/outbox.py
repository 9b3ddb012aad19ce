"""The outbox for staff: every e-mail with its status, attempts and last error, filtered by
status and kind, the counts per status at the top, one e-mail's page with its body, and
"Gửi lại" for a failed one (`outbox.resend`, which writes the action log). Rows come through
`outbox_for`: administrators see all, organizers their province's; a fixed number of queries
whatever the number of rows."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directory.audit import actions_for
from directory.permissions import require
from directory.views import paginate

from .. import kinds, outbox
from ..forms import OutboxFilterForm
from ..models import OutgoingEmail
from ..rules import outbox_for

E = OutgoingEmail.Status


def status_counts(rows) -> list[dict]:
    """Each status with its number of e-mails, in one query."""
    totals = rows.aggregate(**{status: Count("pk", filter=Q(status=status)) for status in E.values})
    return [{"status": status, "label": label, "count": totals[status]} for status, label in E.choices]


def with_status(request, status: str) -> str:
    """The current filters with another status (the counts at the top link to them)."""
    query = request.GET.copy()
    query.pop("page", None)
    query["status"] = status
    return "?" + query.urlencode()


@login_required
def outbox_list(request):
    require(request.user, "notifications.view_outbox")
    form = OutboxFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    scoped = outbox_for(request.user)
    if filters.get("kind"):
        scoped = scoped.filter(kind=filters["kind"])
    if filters.get("q"):
        scoped = scoped.filter(Q(to__icontains=filters["q"]) | Q(subject__icontains=filters["q"]))
    rows = scoped
    if filters.get("status"):
        rows = rows.filter(status=filters["status"])
    page = paginate(request, rows.select_related("recipient", "agency").order_by("-created_at", "-id"))
    labels = dict(kinds.choices())
    for email in page:
        email.kind_label = labels.get(email.kind, email.kind)
    context = {
        "form": form,
        "page": page,
        "counts": [{**row, "url": with_status(request, row["status"])} for row in status_counts(scoped)],
        "all_url": with_status(request, ""),
        "current_status": filters.get("status", ""),
        "title": _("Hộp thư đi"),
        "empty_title": _("Không có thư nào phù hợp"),
        "empty_hint": _("Thư điện tử được tạo khi hệ thống gửi thông báo hoặc nhắc hạn."),
    }
    return render(request, "notifications/outbox.html", context)


@login_required
def outbox_detail(request, pk: int):
    require(request.user, "notifications.view_outbox")
    email = get_object_or_404(outbox_for(request.user).select_related("recipient", "agency"), pk=pk)
    context = {
        "email": email,
        "kind_label": dict(kinds.choices()).get(email.kind, email.kind),
        "actions": actions_for(email),
        "title": email.subject,
    }
    return render(request, "notifications/outbox_detail.html", context)


@login_required
@require_POST
def outbox_resend(request, pk: int):
    require(request.user, "notifications.resend")
    email = get_object_or_404(outbox_for(request.user), pk=pk)
    if email.status != E.FAILED:
        messages.info(request, _("Chỉ gửi lại được thư ở trạng thái “Gửi không được”."))
    else:
        outbox.resend(email, by=request.user)
        messages.success(request, _("Đã đưa thư gửi %(to)s vào hàng chờ gửi lại.") % {"to": email.to})
    back = request.POST.get("next", "")
    if back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts=set()):
        return redirect(back)
    return redirect("notifications:outbox_detail", pk=email.pk)
