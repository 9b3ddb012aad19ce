"""Forms of routing and answers: the route form (lead and coordinating agencies of the
program's province, a deadline as a date or as working days), the organizers' decision on a
reassignment request, the agency's answer with its files, and the answer given on the spot.

Agency choices are limited to the program's province, so a forged id of another province's
agency is refused with a Vietnamese message; the workflow checks the rules again."""

from __future__ import annotations

import datetime
import json

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dialogue.dates import format_date
from dialogue.uploads import ValidatedFileField
from directory.calendar import deadline_after
from directory.models import Agency
from programs.forms import DATE_ERRORS, DateInput
from programs.models import Program

from .models import Answer, Attachment

MAX_WORKING_DAYS = 365
# The route form shows the date a number of working days gives, for this many days, live.
PREVIEW_WORKING_DAYS = 90
WORKING_DAYS_ERROR = gettext_lazy("Số ngày làm việc là một số nguyên từ 1 đến 365.")


def province_agencies(program: Program, *, keep: int | None = None) -> QuerySet[Agency]:
    """The active agencies of the program's province (and `keep`, the one already chosen)."""
    return Agency.objects.filter(Q(province_id=program.province_id, is_active=True) | Q(pk=keep or 0)).order_by("name")


def deadline_preview(today: datetime.date | None = None) -> str:
    """{working days: "dd/mm/yyyy"} as JSON, for the form to show the date a number gives."""
    today = today or timezone.localdate()
    return json.dumps({n: format_date(deadline_after(today, n)) for n in range(1, PREVIEW_WORKING_DAYS + 1)})


class DeadlineFields(forms.Form):
    """A deadline as a date (dd/mm/yyyy) or as a number of working days from today, not both."""

    deadline = forms.DateField(
        label=gettext_lazy("Hạn trả lời (ngày)"),
        required=False,
        widget=DateInput(),
        error_messages=DATE_ERRORS,
    )
    working_days = forms.IntegerField(
        label=gettext_lazy("hoặc số ngày làm việc"),
        required=False,
        min_value=1,
        max_value=MAX_WORKING_DAYS,
        help_text=gettext_lazy("Tính từ ngày hôm sau, không kể thứ Bảy, Chủ nhật, ngày lễ, ngày nghỉ."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "data-deadline-preview": "1"}),
        error_messages={
            "invalid": WORKING_DAYS_ERROR,
            "min_value": WORKING_DAYS_ERROR,
            "max_value": WORKING_DAYS_ERROR,
        },
    )
    deadline_required = True

    def clean(self):
        data = super().clean()
        if self.has_error("deadline") or self.has_error("working_days"):
            return data
        deadline, days = data.get("deadline"), data.get("working_days")
        if deadline and days:
            self.add_error(
                "working_days", _("Chỉ nhập hạn trả lời theo ngày hoặc theo số ngày làm việc, không nhập cả hai.")
            )
        elif not deadline and not days and self.deadline_required:
            self.add_error("deadline", _("Hãy nhập hạn trả lời (ngày, hoặc số ngày làm việc)."))
        elif deadline and deadline < timezone.localdate():
            self.add_error("deadline", _("Hạn trả lời không được trước hôm nay."))
        return data


class RouteForm(DeadlineFields):
    lead_agency = forms.ModelChoiceField(
        label=gettext_lazy("Cơ quan chủ trì trả lời"),
        queryset=Agency.objects.none(),
        empty_label=gettext_lazy("— Chọn cơ quan —"),
        error_messages={
            "required": gettext_lazy("Hãy chọn cơ quan chủ trì trả lời."),
            "invalid_choice": gettext_lazy("Cơ quan này không thuộc tỉnh của chương trình."),
        },
    )
    coordinating = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Cơ quan phối hợp"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=gettext_lazy("Giữ phím Ctrl (hoặc Cmd) để chọn nhiều cơ quan."),
        error_messages={"invalid_choice": gettext_lazy("Có cơ quan không thuộc tỉnh của chương trình.")},
    )

    field_order = ["lead_agency", "coordinating", "deadline", "working_days"]

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = province_agencies(program)
        self.fields["lead_agency"].queryset = agencies
        self.fields["coordinating"].queryset = agencies

    def clean(self):
        data = super().clean()
        lead, coordinating = data.get("lead_agency"), data.get("coordinating") or []
        if lead is not None and lead in coordinating:
            self.add_error("coordinating", _("Cơ quan chủ trì không đồng thời là cơ quan phối hợp."))
        return data


class DecideReassignmentForm(DeadlineFields):
    ACCEPT, REFUSE = "accept", "refuse"

    decision = forms.ChoiceField(
        label=gettext_lazy("Ý kiến của Ban tổ chức"),
        choices=[
            (ACCEPT, gettext_lazy("Đồng ý giao lại")),
            (REFUSE, gettext_lazy("Không đồng ý, cơ quan tiếp tục trả lời")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Hãy chọn đồng ý hoặc không đồng ý giao lại.")},
    )
    new_lead = forms.ModelChoiceField(
        label=gettext_lazy("Giao lại cho cơ quan chủ trì"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=gettext_lazy("— Chọn cơ quan —"),
        error_messages={"invalid_choice": gettext_lazy("Cơ quan này không thuộc tỉnh của chương trình.")},
    )
    note = forms.CharField(
        label=gettext_lazy("Ghi chú"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Bắt buộc khi không đồng ý: lý do cơ quan vẫn phải trả lời."),
    )
    deadline_required = False

    field_order = ["decision", "new_lead", "deadline", "working_days", "note"]

    def __init__(self, *args, program: Program, current_lead: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_lead"].queryset = province_agencies(program).exclude(pk=current_lead.pk)
        self.fields["deadline"].label = _("Hạn trả lời mới (ngày)")
        self.fields["deadline"].help_text = _("Để trống cả hai ô để giữ hạn cũ.")

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision == self.ACCEPT and not data.get("new_lead") and not self.has_error("new_lead"):
            self.add_error("new_lead", _("Hãy chọn cơ quan khác để giao lại."))
        if decision == self.REFUSE and not (data.get("note") or "").strip():
            self.add_error("note", _("Hãy ghi lý do không đồng ý giao lại."))
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleValidatedFileField(ValidatedFileField):
    """Several files in one field, each checked by content as `ValidatedFileField` does."""

    def __init__(self, *args, max_files: int = 10, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        self.max_files = max_files
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, (list, tuple)) else [data]
        items = [item for item in items if item]
        if len(items) > self.max_files:
            raise forms.ValidationError(_("Mỗi lần tải lên tối đa %(n)s tệp.") % {"n": self.max_files})
        cleaned = []
        errors = []
        for item in items:
            try:
                cleaned.append(super().clean(item, initial))
            except forms.ValidationError as exc:
                errors.extend(f"{getattr(item, 'name', '')}: {message}" for message in exc.messages)
        if errors:
            raise forms.ValidationError(errors)
        if not cleaned and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return cleaned


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Nội dung trả lời"),
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=50000,
        error_messages={"required": gettext_lazy("Nội dung trả lời không được để trống.")},
    )
    files = MultipleValidatedFileField(label=gettext_lazy("Thêm tệp đính kèm"), required=False)
    remove = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Gỡ tệp đã đính kèm"),
        queryset=Attachment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, answer: Answer | None = None, **kwargs):
        initial = kwargs.pop("initial", {}) or {}
        if answer is not None:
            initial.setdefault("text", answer.text)
        super().__init__(*args, initial=initial, **kwargs)
        if answer is not None and answer.pk:
            self.fields["remove"].queryset = answer.attachments.all()
            self.fields["remove"].label_from_instance = lambda a: a.original_name
        else:
            del self.fields["remove"]

    def clean_text(self):
        text = self.cleaned_data["text"]
        if not text.strip():
            raise forms.ValidationError(_("Nội dung trả lời không được để trống."))
        return text


class OnSpotAnswerForm(forms.Form):
    answered_by = forms.CharField(
        label=gettext_lazy("Người trả lời tại chương trình"),
        max_length=200,
        help_text=gettext_lazy("Ví dụ: Đồng chí Nguyễn Văn A, Giám đốc Sở Giao thông vận tải."),
        error_messages={"required": gettext_lazy("Hãy ghi người trả lời tại chương trình.")},
    )
    agency = forms.ModelChoiceField(
        label=gettext_lazy("Cơ quan của người trả lời"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=gettext_lazy("— Lãnh đạo cấp ủy, không thuộc cơ quan nào trong danh sách —"),
        error_messages={"invalid_choice": gettext_lazy("Cơ quan này không thuộc tỉnh của chương trình.")},
    )
    text = forms.CharField(
        label=gettext_lazy("Nội dung trả lời"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=50000,
        error_messages={"required": gettext_lazy("Hãy ghi nội dung trả lời.")},
    )
    publish = forms.BooleanField(
        label=gettext_lazy("Công bố ngay cho đơn vị nêu"),
        required=False,
        help_text=gettext_lazy("Câu trả lời đã nói công khai tại chương trình; bỏ chọn nếu cần xem lại trước."),
    )

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = province_agencies(program)

    def clean_text(self):
        text = self.cleaned_data["text"]
        if not text.strip():
            raise forms.ValidationError(_("Hãy ghi nội dung trả lời."))
        return text

    def clean_answered_by(self):
        who = self.cleaned_data["answered_by"].strip()
        if not who:
            raise forms.ValidationError(_("Hãy ghi người trả lời tại chương trình."))
        return who


class AgencyTodoFilterForm(forms.Form):
    NEEDS_ACTION, OVERDUE, WAITING, DONE = "can-tra-loi", "qua-han", "cho-duyet", "da-xong"

    hien_thi = forms.ChoiceField(
        label=gettext_lazy("Hiển thị"),
        required=False,
        choices=[
            ("", gettext_lazy("Tất cả")),
            (NEEDS_ACTION, gettext_lazy("Cần trả lời")),
            (OVERDUE, gettext_lazy("Cần trả lời – quá hạn")),
            (WAITING, gettext_lazy("Đã gửi, chờ Ban tổ chức")),
            (DONE, gettext_lazy("Đã trả lời xong")),
        ],
    )
