"""The filters of the dashboards and of the lists their numbers open. Ids are read as whole
numbers and only narrow a set already scoped to the user, so a foreign id finds nothing."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from submissions.models import Field, Submission

from .queries import ASSIGNMENT_STATE_CHOICES, DEADLINE_CHOICES, MISSING_CHOICES, STAGE_CHOICES, program_label

CHOICE_ERROR = {"invalid_choice": _("Lựa chọn không hợp lệ."), "invalid": _("Giá trị không hợp lệ.")}


def _id(label, widget=forms.HiddenInput) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=1, widget=widget, error_messages=CHOICE_ERROR)


def _choice(label, choices, empty) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=[("", empty), *choices],
        error_messages=CHOICE_ERROR,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class DashboardForm(forms.Form):
    """Province (for administrators, who see every province) and program."""

    province = forms.TypedChoiceField(
        label=_("Tỉnh, thành phố"), required=False, coerce=int, empty_value=None, error_messages=CHOICE_ERROR
    )
    program = forms.TypedChoiceField(
        label=_("Chương trình"), required=False, coerce=int, empty_value=None, error_messages=CHOICE_ERROR
    )

    def __init__(self, data=None, *, provinces=(), programs=(), all_programs_label=None, **kwargs):
        super().__init__(data, **kwargs)
        all_programs_label = all_programs_label or _("Mọi chương trình")
        self.fields["province"].choices = [(p.pk, p.full_name) for p in provinces]
        self.fields["program"].choices = [("", all_programs_label)] + [(p.pk, program_label(p)) for p in programs]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"
        if len(self.fields["province"].choices) <= 1:
            self.fields["province"].widget = forms.HiddenInput()


class ItemFilterForm(forms.Form):
    """The drill-down list of questions, proposals and recommendations."""

    province = _id(_("Tỉnh, thành phố"))
    program = forms.TypedChoiceField(
        label=_("Chương trình"), required=False, coerce=int, empty_value=None, error_messages=CHOICE_ERROR
    )
    field = forms.ModelChoiceField(
        label=_("Lĩnh vực"),
        queryset=Field.objects.all(),
        required=False,
        empty_label=_("Mọi lĩnh vực"),
        error_messages=CHOICE_ERROR,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    kind = _choice(_("Loại"), Submission.Kind.choices, _("Mọi loại"))
    stage = _choice(_("Tình trạng xử lý"), STAGE_CHOICES, _("Mọi tình trạng"))
    deadline = _choice(_("Hạn trả lời"), DEADLINE_CHOICES, _("Mọi tình trạng"))
    answer_mode = _choice(_("Hình thức trả lời"), Submission.AnswerMode.choices, _("Mọi hình thức"))
    status = _choice(_("Trạng thái"), Submission.Status.choices, _("Mọi trạng thái"))
    missing = _choice(_("Chưa phân loại"), MISSING_CHOICES, _("Không"))
    agency = _id(_("Cơ quan trả lời"))
    commune = _id(_("Xã, phường, thị trấn"))
    district = _id(_("Huyện"))
    topic_group = _id(_("Nhóm vấn đề"))

    VISIBLE = ["program", "field", "kind", "stage", "deadline", "answer_mode"]

    def __init__(self, data=None, *, programs=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["program"].choices = [("", _("Mọi chương trình"))] + [(p.pk, program_label(p)) for p in programs]
        self.fields["program"].widget.attrs["class"] = "form-select"
        self.fields["status"].widget = forms.HiddenInput()
        self.fields["missing"].widget = forms.HiddenInput()

    def visible(self):
        return [self[name] for name in self.VISIBLE]


class AssignmentFilterForm(forms.Form):
    province = _id(_("Tỉnh, thành phố"))
    program = forms.TypedChoiceField(
        label=_("Chương trình"), required=False, coerce=int, empty_value=None, error_messages=CHOICE_ERROR
    )
    state = _choice(_("Tình trạng"), ASSIGNMENT_STATE_CHOICES, _("Mọi tình trạng"))
    agency = _id(_("Cơ quan chủ trì"))
    notice = _id(_("Thông báo kết luận"))

    VISIBLE = ["program", "state"]

    def __init__(self, data=None, *, programs=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["program"].choices = [("", _("Mọi chương trình"))] + [(p.pk, program_label(p)) for p in programs]
        self.fields["program"].widget.attrs["class"] = "form-select"

    def visible(self):
        return [self[name] for name in self.VISIBLE]
