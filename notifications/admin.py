"""Admin of the notifications app: the message templates administrators edit (checked to
compile, starting from the default words), and read-only views of the outbox (with a resend
action for failed e-mails), the sweeps, the reminder log and the in-app notifications."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import kinds, outbox
from .forms import MessageTemplateForm
from .models import MessageTemplate, Notification, OutgoingEmail, Reminder, SweepRun


def _kind_label(code: str) -> str:
    kind = kinds.KINDS.get(code)
    return str(kind.label) if kind else code


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by the system: people look, they do not edit."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    form = MessageTemplateForm
    list_display = ("kind_label", "kind", "subject", "updated_at")
    search_fields = ("kind", "subject", "body")
    readonly_fields = ("default_texts",)
    fields = ("kind", "subject", "body", "default_texts")

    @admin.display(description=_("loại"), ordering="kind")
    def kind_label(self, obj):
        return _kind_label(obj.kind)

    @admin.display(description=_("nội dung mặc định"))
    def default_texts(self, obj):
        """The words in code: of this kind when editing, of every kind when creating."""
        wanted = [obj.kind] if obj and obj.pk and obj.kind in kinds.KINDS else [code for code, _l in kinds.choices()]
        return format_html_join(
            "",
            '<div class="mb-3"><strong>{}</strong> <code>{}</code>'
            '<pre style="white-space: pre-wrap">{}\n\n{}</pre></div>',
            ((_kind_label(code), code, kinds.get(code).subject, kinds.get(code).body) for code in wanted),
        ) or format_html("{}", "—")


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "to", "kind_label", "subject", "status", "attempts", "sent_at")
    list_filter = ("status", "kind")
    search_fields = ("to", "subject")
    list_select_related = ("recipient", "agency")
    date_hierarchy = "created_at"
    actions = ["resend_failed"]
    readonly_fields = (
        "to", "recipient", "agency", "kind", "subject", "body", "status", "attempts", "last_error",
        "next_attempt_at", "claimed_at", "sent_at", "created_at",
    )  # fmt: skip

    @admin.display(description=_("loại"), ordering="kind")
    def kind_label(self, obj):
        return _kind_label(obj.kind)

    @admin.action(description=_("Gửi lại các thư gửi không được"))
    def resend_failed(self, request, queryset):
        failed = list(queryset.filter(status=OutgoingEmail.Status.FAILED))
        for email in failed:
            outbox.resend(email, by=request.user)
        skipped = queryset.count() - len(failed)
        self.message_user(
            request,
            ngettext("Đã đưa %(n)d thư vào hàng chờ gửi lại.", "Đã đưa %(n)d thư vào hàng chờ gửi lại.", len(failed))
            % {"n": len(failed)},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "Bỏ qua %(n)d thư không ở trạng thái “Gửi không được”.",
                    "Bỏ qua %(n)d thư không ở trạng thái “Gửi không được”.",
                    skipped,
                )
                % {"n": skipped},
                messages.WARNING,
            )


@admin.register(SweepRun)
class SweepRunAdmin(ReadOnlyAdmin):
    list_display = ("started_at", "kind", "trigger", "obligations", "reminders", "finished_at", "error")
    list_filter = ("kind",)
    date_hierarchy = "started_at"


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "obligation", "recipient", "milestone", "sweep")
    list_filter = ("milestone",)
    search_fields = ("key", "obligation", "recipient")
    list_select_related = ("sweep",)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "kind", "title", "read_at")
    list_filter = ("kind",)
    search_fields = ("title", "recipient__username", "recipient__full_name")
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"
