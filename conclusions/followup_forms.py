"""Forms of the follow-up: the organizers' list filters, the progress report with its evidence
files, the extension request and the organizers' decision on it, and the supervision remark.

The forms only read and check input; every change goes through `conclusions.workflow`, which
checks the rules again."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programs.forms import DATE_ERRORS, DateInput
from submissions.routing_forms import MultipleValidatedFileField
from submissions.triage_forms import CHOICE_ERRORS, QuickSelect

from .models import Assignment, ConclusionNotice, Due
from .queries import lead_agency_choices
from .status import AssignmentState


class FollowupFilterForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Tìm kiếm"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": gettext_lazy("Nội dung nhiệm vụ; gõ không dấu")}
        ),
    )
    state = forms.ChoiceField(
        label=gettext_lazy("Tình trạng"),
        required=False,
        choices=[("", gettext_lazy("Mọi tình trạng")), *AssignmentState.choices],
    )
    agency = forms.TypedChoiceField(
        label=gettext_lazy("Cơ quan chủ trì"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", gettext_lazy("Mọi cơ quan"))],
    )
    output = forms.ChoiceField(
        label=gettext_lazy("Sản phẩm"),
        required=False,
        choices=[("", gettext_lazy("Mọi sản phẩm")), *Assignment.Output.choices],
    )
    key_task = forms.TypedChoiceField(
        label=gettext_lazy("Nhiệm vụ trọng tâm"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", gettext_lazy("Mọi nhiệm vụ trọng tâm"))],
    )

    def __init__(self, data=None, *, notice: ConclusionNotice, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["agency"].choices = [*self.fields["agency"].choices, *lead_agency_choices(notice)]
        tasks = notice.key_tasks.order_by("order", "id").values_list("pk", "order", "text")
        self.fields["key_task"].choices = [
            *self.fields["key_task"].choices,
            *[(pk, f"{order}. {text[:80]}") for pk, order, text in tasks],
        ]
        for field in self.fields.values():
            field.error_messages.update(CHOICE_ERRORS)
            if isinstance(field.widget, forms.Select):
                field.widget = QuickSelect(attrs={"class": "form-select"}, choices=field.choices)
            else:
                field.widget.attrs["class"] = "form-control"


def _due_label(due: Due) -> str:
    text = f"{due.label} – " + _("hạn %(date)s") % {"date": due.due_on.strftime("%d/%m/%Y")}
    if due.is_extended:
        text += " " + _("(đã gia hạn)")
    return text


class ReportForm(forms.Form):
    due = forms.ModelChoiceField(
        label=gettext_lazy("Báo cáo cho kỳ, hạn"),
        queryset=Due.objects.none(),
        required=False,
        empty_label=None,
    )
    text = forms.CharField(
        label=gettext_lazy("Nội dung báo cáo"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": gettext_lazy("Hãy ghi nội dung báo cáo.")},
    )
    percent = forms.IntegerField(
        label=gettext_lazy("Tỷ lệ hoàn thành (%)"),
        required=False,
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 100}),
        error_messages={
            "min_value": gettext_lazy("Tỷ lệ hoàn thành phải từ 0 đến 100."),
            "max_value": gettext_lazy("Tỷ lệ hoàn thành phải từ 0 đến 100."),
            "invalid": gettext_lazy("Tỷ lệ hoàn thành là một số nguyên từ 0 đến 100."),
        },
    )
    milestone = forms.CharField(
        label=gettext_lazy("hoặc mốc đã đạt"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("Ví dụ: “Đã trình UBND tỉnh dự thảo quyết định”."),
    )
    completes = forms.BooleanField(
        label=gettext_lazy("Nhiệm vụ đã hoàn thành"),
        required=False,
        help_text=gettext_lazy("Đánh dấu khi công việc đã xong; ngày hoàn thành được ghi là ngày gửi báo cáo."),
    )
    files = MultipleValidatedFileField(label=gettext_lazy("Tài liệu minh chứng"), required=False)

    def __init__(self, *args, assignment: Assignment, open_dues, **kwargs):
        super().__init__(*args, **kwargs)
        self.assignment = assignment
        dues = list(open_dues)
        field = self.fields["due"]
        field.queryset = open_dues
        field.label_from_instance = _due_label
        field.error_messages.update(CHOICE_ERRORS)
        if dues:
            field.initial = dues[0].pk
        else:
            del self.fields["due"]
        if assignment.schedule == Assignment.Schedule.CYCLE:
            # A cycle's report fulfils its period when sent; there is no "work done" to tick.
            del self.fields["completes"]
            if "due" in self.fields:
                self.fields["due"].help_text = _("Báo cáo gửi là kỳ đó được tính đã thực hiện.")


class ExtensionRequestForm(forms.Form):
    until = forms.DateField(
        label=gettext_lazy("Đề nghị gia hạn đến ngày"), widget=DateInput(), error_messages=DATE_ERRORS
    )
    reason = forms.CharField(
        label=gettext_lazy("Lý do"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": gettext_lazy("Hãy ghi lý do đề nghị gia hạn.")},
    )

    def __init__(self, *args, due: Due, **kwargs):
        super().__init__(*args, **kwargs)
        self.due = due

    def clean_until(self) -> datetime.date:
        until = self.cleaned_data["until"]
        if until <= self.due.due_on:
            raise forms.ValidationError(
                _("Ngày đề nghị gia hạn phải sau hạn hiện tại (%(date)s).")
                % {"date": self.due.due_on.strftime("%d/%m/%Y")}
            )
        if until <= timezone.localdate():
            raise forms.ValidationError(_("Ngày đề nghị gia hạn phải sau hôm nay."))
        return until


class ExtensionDecisionForm(forms.Form):
    APPROVE, REFUSE = "approve", "refuse"
    decision = forms.ChoiceField(
        label=gettext_lazy("Quyết định"),
        choices=[(APPROVE, gettext_lazy("Đồng ý gia hạn")), (REFUSE, gettext_lazy("Không đồng ý"))],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Hãy chọn đồng ý hoặc không đồng ý.")},
    )
    note = forms.CharField(
        label=gettext_lazy("Ý kiến của Ban tổ chức"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Bắt buộc khi không đồng ý."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.REFUSE and not (data.get("note") or "").strip():
            self.add_error("note", _("Hãy ghi lý do không đồng ý."))
        return data


class RemarkForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Ý kiến giám sát"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": gettext_lazy("Hãy ghi ý kiến giám sát.")},
    )
