"""Forms of the intake: the item form a commune leader (or an organizer, on behalf of a
commune) fills, with several attachments checked by content, and the filters of the lists.
Choices are limited to what belongs to the program, so a forged id is refused."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dialogue.uploads import ValidatedFileField, max_upload_bytes
from directory.models import AdminUnit
from programs.models import Program

from .models import Attachment, Field, Submission
from .workflow import MAX_ATTACHMENTS


def program_communes(program: Program) -> QuerySet[AdminUnit]:
    """The communes of the program's area as they were when it ran (a program keeps its units;
    communes hang under a district before 2025 and directly under the province after)."""
    return (
        AdminUnit.objects.communes()
        .valid_on(program.start_date)
        .filter(Q(parent_id=program.area_id) | Q(parent__parent_id=program.area_id))
        .select_related("parent")
        .order_by("parent__name", "name")
    )


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleValidatedFileField(ValidatedFileField):
    """Several files at once, each checked like `ValidatedFileField`; a refused file names
    itself in the message. The cleaned value is a list (empty when nothing was chosen)."""

    widget = MultipleFileInput

    def __init__(self, *args, max_files: int = MAX_ATTACHMENTS, **kwargs):
        self.max_files = max_files
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            _("Có thể chọn nhiều tệp (tối đa %(n)s): PDF, DOCX, XLSX, JPG hoặc PNG, mỗi tệp tối đa %(mb)s MB.")
            % {"n": max_files, "mb": max_upload_bytes() // (1024 * 1024)},
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = [upload for upload in (data if isinstance(data, list | tuple) else [data]) if upload]
        if not uploads:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(uploads) > self.max_files:
            raise ValidationError(_("Chỉ đính kèm tối đa %(n)s tệp mỗi lần.") % {"n": self.max_files}, code="too_many")
        cleaned, errors = [], []
        for upload in uploads:
            name = getattr(upload, "name", "")
            try:
                cleaned.append(super().clean(upload, initial))
            except ValidationError as exc:
                errors.extend(f"“{name}”: {message}" for message in exc.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned


class SubmissionForm(forms.ModelForm):
    """The item: what it is, what it is about, where, and its files. A commune leader sends
    for their own commune; an organizer chooses the commune and says where the item came from."""

    SOURCES_ON_BEHALF = [Submission.Source.STAFF, Submission.Source.VILLAGE_MEETING]

    files = MultipleValidatedFileField(label=gettext_lazy("Tệp đính kèm"))
    remove_attachments = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Gỡ tệp đã đính kèm"),
        queryset=Attachment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Submission
        fields = ["commune", "source", "source_note", "kind", "field", "topic_group", "title", "content", "location"]
        widgets = {
            "kind": forms.RadioSelect,
            "content": forms.Textarea(attrs={"rows": 8}),
            "location": forms.TextInput(attrs={"placeholder": gettext_lazy("Ví dụ: xóm 3, xã Nghi Phú")}),
        }
        labels = {
            "kind": gettext_lazy("Loại"),
            "field": gettext_lazy("Lĩnh vực"),
            "topic_group": gettext_lazy("Nhóm vấn đề"),
            "title": gettext_lazy("Tiêu đề"),
            "content": gettext_lazy("Nội dung"),
            "location": gettext_lazy("Nơi phát sinh vấn đề"),
            "commune": gettext_lazy("Xã, phường, thị trấn"),
            "source": gettext_lazy("Nguồn"),
            "source_note": gettext_lazy("Ghi chú nguồn"),
        }
        help_texts = {
            "title": gettext_lazy("Một câu ngắn nêu vấn đề."),
            "content": gettext_lazy("Trình bày rõ vấn đề, nguyên nhân và đề xuất của đơn vị."),
            "location": gettext_lazy("Thôn, xóm, tuyến đường… nơi vấn đề xảy ra, nếu có."),
        }
        error_messages = {
            "kind": {"required": gettext_lazy("Hãy chọn loại: câu hỏi, đề xuất hay kiến nghị.")},
            "field": {"required": gettext_lazy("Hãy chọn lĩnh vực.")},
            "title": {"required": gettext_lazy("Hãy nhập tiêu đề.")},
            "content": {"required": gettext_lazy("Hãy nhập nội dung câu hỏi, đề xuất, kiến nghị.")},
            "commune": {"required": gettext_lazy("Hãy chọn xã, phường, thị trấn.")},
        }

    def __init__(self, *args, program: Program, user, on_behalf: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.on_behalf = on_behalf
        self.instance.program = program
        if not on_behalf:
            # The commune is the leader's own, never chosen; the form does not show it.
            for name in ("commune", "source", "source_note"):
                del self.fields[name]
            if self.instance.pk is None:
                self.instance.commune_id = user.commune_id
                self.instance.source = Submission.Source.COMMUNE
        else:
            communes = self.fields["commune"]
            communes.queryset = program_communes(program)
            communes.label_from_instance = lambda unit: (
                f"{unit.full_name}, {unit.parent.full_name}" if unit.parent else unit.full_name
            )
            communes.empty_label = _("— Chọn xã, phường, thị trấn —")
            source = self.fields["source"]
            source.choices = [(value, Submission.Source(value).label) for value in self.SOURCES_ON_BEHALF]
            source.widget = forms.RadioSelect(choices=source.choices)
            if self.instance.source not in self.SOURCES_ON_BEHALF:
                self.initial["source"] = Submission.Source.STAFF
            self.fields["source_note"].help_text = _(
                "Bắt buộc với hội nghị ở thôn: thôn, xóm nào, ngày nào; ví dụ “Hội nghị xóm 5, ngày 12/6/2023”."
            )
        kind = self.fields["kind"]
        kind.choices = [choice for choice in kind.choices if choice[0]]  # radios need no empty choice
        self.fields["field"].required = True
        self.fields["field"].queryset = Field.objects.all()
        self.fields["field"].empty_label = _("— Chọn lĩnh vực —")
        groups = program.topic_groups.all()
        self.fields["topic_group"].queryset = groups
        self.fields["topic_group"].empty_label = _("— Để Ban tổ chức xếp nhóm —")
        self.fields["topic_group"].help_text = _("Nếu chưa rõ, để Ban tổ chức xếp nhóm.")
        for name in ("title", "content"):
            self.fields[name].required = True
        if self.instance.pk:
            remove = self.fields["remove_attachments"]
            remove.queryset = self.instance.attachments.all()
            remove.label_from_instance = lambda a: a.original_name
        else:
            del self.fields["remove_attachments"]

    def clean_source_note(self):
        note = self.cleaned_data.get("source_note", "").strip()
        if self.cleaned_data.get("source") == Submission.Source.VILLAGE_MEETING and not note:
            raise ValidationError(_("Hãy ghi hội nghị ở thôn, xóm nào, ngày nào."))
        return note

    def clean(self):
        data = super().clean()
        existing = self.instance.attachments.count() if self.instance.pk else 0
        kept = existing - len(data.get("remove_attachments") or [])
        if kept + len(data.get("files") or []) > MAX_ATTACHMENTS:
            self.add_error(
                "files",
                _("Mỗi nội dung đính kèm tối đa %(n)s tệp; hãy gỡ bớt tệp không cần thiết.") % {"n": MAX_ATTACHMENTS},
            )
        return data


class AttachmentUploadForm(forms.Form):
    """The item page's upload for drafts and returned items."""

    files = MultipleValidatedFileField(label=gettext_lazy("Thêm tệp đính kèm"), required=True)


class MineFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Trạng thái"),
        required=False,
        choices=[("", gettext_lazy("Mọi trạng thái")), *Submission.Status.choices],
    )
    program = forms.ModelChoiceField(
        label=gettext_lazy("Chương trình"),
        queryset=Program.objects.none(),
        required=False,
        empty_label=gettext_lazy("Mọi chương trình"),
    )

    def __init__(self, data=None, *, programs: QuerySet[Program], **kwargs):
        super().__init__(data, **kwargs)
        self.fields["program"].queryset = programs


class ProgramItemsFilterForm(forms.Form):
    """The read-only list of a program's items for the Standing Committee, agencies, the supervisor."""

    status = forms.ChoiceField(
        label=gettext_lazy("Trạng thái"),
        required=False,
        choices=[("", gettext_lazy("Mọi trạng thái")), *Submission.Status.choices],
    )
    field = forms.ModelChoiceField(
        label=gettext_lazy("Lĩnh vực"),
        queryset=Field.objects.all(),
        required=False,
        empty_label=gettext_lazy("Mọi lĩnh vực"),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Loại"), required=False, choices=[("", gettext_lazy("Mọi loại")), *Submission.Kind.choices]
    )
