"""Forms of the notice of conclusions: the notice with its ordered key tasks (one per line),
an assignment (lead and coordinating agencies of the program's province, a key task of this
notice, a deadline or a reporting cycle, the submissions it answers), the number and date of
issue, and the remark when a draft is returned.

Choices are limited to what belongs to the notice and its program, so a forged id is refused
with a Vietnamese message; `conclusions.workflow` checks the rules again and its field errors
are put back on these forms by `add_workflow_errors`."""

from __future__ import annotations

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.forms import DATE_ERRORS, DateInput
from submissions.models import Submission
from submissions.routing_forms import province_agencies

from .models import Assignment, ConclusionNotice

MAX_WORKING_DAYS = 365
WORKING_DAYS_ERROR = _("Số ngày làm việc là một số nguyên từ 1 đến 365.")
# Submissions that can be answered by an assignment: not drafts, not withdrawn, not merged away.
HIDDEN_SUBMISSIONS = [Submission.Status.DRAFT, Submission.Status.WITHDRAWN, Submission.Status.MERGED]


def clean_text(value: str) -> str:
    """NFC, LF line ends, no trailing spaces: browsers send CRLF, some keyboards decomposed letters."""
    lines = unicodedata.normalize("NFC", value or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def add_workflow_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a refused change's messages on the form: each on its field if the form has it, the
    rest above the form."""
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, exc.messages)


class NoticeForm(forms.ModelForm):
    """The notice as it reads, top to bottom, with its key tasks one per line."""

    key_tasks = forms.CharField(
        label=_("Nhiệm vụ trọng tâm"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Mỗi dòng một nhiệm vụ, theo thứ tự sẽ in (không cần đánh số). Nhiệm vụ được giao gắn với "
            "nhiệm vụ trọng tâm theo thứ tự dòng."
        ),
    )

    class Meta:
        model = ConclusionNotice
        fields = [
            "summary",
            "issuing_body",
            "place",
            "doc_type",
            "issuer_code",
            "assessment",
            "key_tasks_intro",
            "closing",
            "recipients",
            "signing_form",
            "signing_body",
            "signer_title",
            "signer_name",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "issuing_body": forms.Textarea(attrs={"rows": 2}),
            "assessment": forms.Textarea(attrs={"rows": 8}),
            "key_tasks_intro": forms.Textarea(attrs={"rows": 2}),
            "closing": forms.Textarea(attrs={"rows": 3}),
            "recipients": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "summary": _("Viết thường chữ đầu, ví dụ “kết luận của Thường trực Tỉnh ủy tại Chương trình …”."),
            "doc_type": _("“TB” trong số “1029-TB/TU”."),
            "issuer_code": _("“TU” trong số “1029-TB/TU”."),
            "assessment": _("Phần đánh giá, mỗi dòng một đoạn."),
            "key_tasks_intro": _("Câu dẫn trước các nhiệm vụ trọng tâm (không bắt buộc)."),
            "closing": _("Phần kết sau các nhiệm vụ được giao (không bắt buộc), mỗi dòng một đoạn."),
            "recipients": _("Mỗi dòng một nơi nhận, không cần gạch đầu dòng; dòng cuối thường là “Lưu Văn phòng …”."),
            "signing_body": _("Ví dụ “BAN THƯỜNG VỤ” sau “T/M” hoặc “T/L”; “TRƯỞNG BAN” sau “K/T”."),
            "signer_title": _("Ví dụ “PHÓ BÍ THƯ”, “CHÁNH VĂN PHÒNG”."),
        }
        error_messages = {
            "summary": {"required": _("Hãy nhập trích yếu.")},
            "issuing_body": {"required": _("Hãy nhập cơ quan ban hành.")},
            "place": {"required": _("Hãy nhập địa danh.")},
            "signer_title": {"required": _("Hãy nhập chức vụ người ký.")},
            "signer_name": {"required": _("Hãy nhập họ tên người ký.")},
        }

    field_order = [
        "summary",
        "issuing_body",
        "place",
        "doc_type",
        "issuer_code",
        "assessment",
        "key_tasks_intro",
        "key_tasks",
        "closing",
        "recipients",
        "signing_form",
        "signing_body",
        "signer_title",
        "signer_name",
    ]

    def __init__(self, *args, key_tasks: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if key_tasks is not None:
            self.initial["key_tasks"] = "\n".join(key_tasks)

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            if isinstance(value, str):
                data[name] = clean_text(value)
        for name in ("summary", "signing_body", "signer_title", "signer_name", "doc_type", "issuer_code", "place"):
            if name in data:
                data[name] = " ".join(data[name].split())
        return data

    def notice_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def key_task_texts(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data.get("key_tasks", "").splitlines()]
        # "1. …" typed by habit: the document numbers the tasks itself.
        return [line.lstrip("0123456789").lstrip(".)–- ").strip() or line for line in lines if line]


class SubmissionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Submission) -> str:
        return f"{obj.reference or _('(chưa có số)')} – {obj.title}"


class AssignmentForm(forms.ModelForm):
    """One assignment; the schedule is a deadline (a date or working days) or a reporting cycle."""

    submissions = SubmissionChoiceField(
        label=_("Câu hỏi, kiến nghị được giải quyết"),
        queryset=Submission.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("Những nội dung của chương trình mà nhiệm vụ này trả lời, giải quyết."),
        error_messages={"invalid_choice": _("Có nội dung không thuộc chương trình này.")},
    )

    class Meta:
        model = Assignment
        fields = [
            "key_task",
            "lead_agency",
            "coordinating_agencies",
            "text",
            "output",
            "output_detail",
            "schedule",
            "deadline",
            "working_days",
            "cycle",
            "report_day",
            "cycle_until",
            "submissions",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 4}),
            "coordinating_agencies": forms.SelectMultiple(attrs={"size": 6}),
            "schedule": forms.RadioSelect,
            "deadline": DateInput(),
            "cycle_until": DateInput(),
            "working_days": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "report_day": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }
        labels = {
            "deadline": _("Hạn hoàn thành (ngày)"),
            "working_days": _("hoặc số ngày làm việc"),
        }
        help_texts = {
            "coordinating_agencies": _("Giữ phím Ctrl (hoặc Cmd) để chọn nhiều cơ quan."),
            "working_days": _("Tính từ ngày ban hành thông báo, không kể thứ Bảy, Chủ nhật, ngày lễ, ngày nghỉ."),
            "output_detail": _("Ví dụ “Báo cáo kết quả rà soát gửi Thường trực Tỉnh ủy”."),
        }
        error_messages = {
            "lead_agency": {
                "required": _("Hãy chọn cơ quan chủ trì."),
                "invalid_choice": _("Cơ quan này không thuộc tỉnh của chương trình."),
            },
            "coordinating_agencies": {"invalid_choice": _("Có cơ quan không thuộc tỉnh của chương trình.")},
            "key_task": {"invalid_choice": _("Nhiệm vụ trọng tâm không thuộc thông báo này.")},
            "text": {"required": _("Hãy nhập nội dung nhiệm vụ.")},
            "deadline": DATE_ERRORS,
            "cycle_until": DATE_ERRORS,
            "working_days": {"invalid": WORKING_DAYS_ERROR},
            "report_day": {"invalid": _("Ngày gửi báo cáo là một số từ 1 đến 28.")},
        }

    field_order = Meta.fields

    def __init__(self, *args, notice: ConclusionNotice, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.notice = notice
        program = notice.program
        agencies = province_agencies(program, keep=self.instance.lead_agency_id)
        self.fields["lead_agency"].queryset = agencies
        self.fields["lead_agency"].empty_label = _("— Chọn cơ quan —")
        self.fields["coordinating_agencies"].queryset = province_agencies(program)
        self.fields["key_task"].queryset = notice.key_tasks.order_by("order", "id")
        self.fields["key_task"].empty_label = _("— Không gắn với nhiệm vụ trọng tâm —")
        self.fields["key_task"].label_from_instance = lambda task: f"{task.order}. {task.text[:120]}"
        chosen = list(self.instance.submissions.values_list("pk", flat=True)) if self.instance.pk else []
        self.fields["submissions"].queryset = (
            Submission.objects.filter(program=program)
            .filter(~Q(status__in=HIDDEN_SUBMISSIONS) | Q(pk__in=chosen))
            .order_by("reference", "pk")
        )
        self.fields["cycle"].choices = [("", _("— Chọn kỳ báo cáo —")), *self.fields["cycle"].choices[1:]]
        self.fields["working_days"].widget.attrs.update({"min": 1, "max": MAX_WORKING_DAYS})
        self.fields["report_day"].widget.attrs.update({"min": 1, "max": 28})

    def clean_report_day(self):
        day = self.cleaned_data.get("report_day")
        if day is None or not 1 <= day <= 28:
            raise ValidationError(_("Ngày gửi báo cáo là một số từ 1 đến 28."))
        return day

    def clean_working_days(self):
        days = self.cleaned_data.get("working_days")
        if days is not None and not 1 <= days <= MAX_WORKING_DAYS:
            raise ValidationError(WORKING_DAYS_ERROR)
        return days

    def clean(self):
        data = super().clean()
        for name in ("text", "output_detail"):
            if isinstance(data.get(name), str):
                data[name] = clean_text(data[name])
        lead, coordinating = data.get("lead_agency"), data.get("coordinating_agencies") or []
        if lead is not None and lead in coordinating:
            self.add_error("coordinating_agencies", _("Cơ quan chủ trì không đồng thời là cơ quan phối hợp."))
        return data


class IssueForm(forms.Form):
    sequence = forms.IntegerField(
        label=_("Số văn bản"),
        min_value=1,
        help_text=_("Phần số trong “1029-TB/TU”: số thứ tự văn bản của cơ quan ban hành trong năm."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Hãy nhập số văn bản."),
            "invalid": _("Số văn bản là một số nguyên dương."),
            "min_value": _("Số văn bản là một số nguyên dương."),
        },
    )
    issued_on = forms.DateField(
        label=_("Ngày ban hành"),
        widget=DateInput(),
        error_messages={**DATE_ERRORS, "required": _("Hãy nhập ngày ban hành.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("issued_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class ReturnForm(forms.Form):
    remark = forms.CharField(
        label=_("Lý do trả lại"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Hãy ghi lý do trả lại.")},
    )

    def clean_remark(self):
        return clean_text(self.cleaned_data["remark"])
