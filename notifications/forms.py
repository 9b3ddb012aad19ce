"""Forms of the notifications pages and admin: the inbox and outbox filters, each user's
e-mail choices, and the administrators' message templates (checked to compile)."""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.template import TemplateSyntaxError
from django.utils.translation import gettext_lazy as _

from . import kinds
from .models import EmailPreference, MessageTemplate, OutgoingEmail

TEMPLATE_VARIABLES = (
    "recipient_name", "what", "title", "deadline", "days_left", "days_late", "responsible", "link", "site_name",
)  # fmt: skip


class InboxFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Hiển thị"),
        required=False,
        choices=[("", _("Tất cả thông báo")), ("unread", _("Chỉ thông báo chưa đọc"))],
    )


class OutboxFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Trạng thái"), required=False)
    kind = forms.ChoiceField(label=_("Loại thông báo"), required=False)
    q = forms.CharField(label=_("Người nhận hoặc tiêu đề"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Mọi trạng thái")), *OutgoingEmail.Status.choices]
        self.fields["kind"].choices = [("", _("Mọi loại")), *kinds.choices()]


class PreferencesForm(forms.Form):
    """One checkbox per kind of message: whether it also arrives by e-mail."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        chosen = dict(EmailPreference.objects.filter(user=user).values_list("kind", "by_email"))
        for code, label in kinds.choices():
            self.fields[code] = forms.BooleanField(
                label=label,
                required=False,
                initial=chosen.get(code, kinds.get(code).email_by_default),
            )

    def save(self) -> None:
        """Every kind's choice, in one transaction (one statement: insert or update)."""
        rows = [EmailPreference(user=self.user, kind=code, by_email=value) for code, value in self.cleaned_data.items()]
        with transaction.atomic():
            EmailPreference.objects.bulk_create(
                rows, update_conflicts=True, unique_fields=["user", "kind"], update_fields=["by_email"]
            )


def _variables_help() -> str:
    names = ", ".join("{{ " + name + " }}" for name in TEMPLATE_VARIABLES)
    return str(
        _(
            "Cú pháp mẫu của Django. Các biến dùng được: %(names)s; ví dụ {{ deadline|date:'d/m/Y' }}."
            " Bản tổng hợp tuần có thêm: agency, items, groups, total, today."
        )
        % {"names": names}
    )


class MessageTemplateForm(forms.ModelForm):
    kind = forms.ChoiceField(label=_("Loại thông báo"))

    class Meta:
        model = MessageTemplate
        fields = ["kind", "subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14, "cols": 100})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds.choices()
        help_text = _variables_help()
        self.fields["subject"].help_text = help_text
        self.fields["body"].help_text = help_text
        if self.instance.pk is None:  # a new row starts from the words in use
            code = self.initial.get("kind") or (kinds.choices()[0][0] if kinds.KINDS else None)
            if code in kinds.KINDS:
                self.initial.setdefault("kind", code)
                self.initial.setdefault("subject", kinds.get(code).subject)
                self.initial.setdefault("body", kinds.get(code).body)

    def _compiled(self, name: str) -> str:
        value = self.cleaned_data.get(name, "")
        try:
            kinds.ENGINE.from_string(value)
        except TemplateSyntaxError as exc:
            raise forms.ValidationError(_("Mẫu có lỗi cú pháp: %(error)s"), params={"error": exc}) from exc
        return value

    def clean_subject(self) -> str:
        return self._compiled("subject")

    def clean_body(self) -> str:
        return self._compiled("body")
