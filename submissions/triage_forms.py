"""Forms of triage: the list's filters and bulk classification, classifying one item,
returning it to the commune, merging duplicates and splitting an item into parts.

The forms only read and check input; every change goes through `submissions.workflow`."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from directory.models import AdminUnit, Agency
from programs.models import Program, TopicGroup

from .models import Field, Submission
from .queries import DEADLINE_FILTERS, area_units

S = Submission.Status

CHOICE_ERRORS = {
    "invalid_choice": _("Lựa chọn không hợp lệ; hãy tải lại trang và chọn lại."),
    "invalid_pk_value": _("Lựa chọn không hợp lệ; hãy tải lại trang và chọn lại."),
}


class QuickSelect(forms.Select):
    """A <select> written in one pass instead of a template per option: the triage filters offer
    hundreds of communes and agencies, and per-option templates cost the list tens of
    milliseconds on every request."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = "" if value is None else str(value)
        options = "".join(
            f'<option value="{escape(v)}"{" selected" if str(v) == chosen else ""}>{escape(label)}</option>'
            for v, label in self.choices
        )
        return mark_safe(f"<select{flatatt(final)}>{options}</select>")  # every value escaped above


def _id_choice(label, empty_label) -> forms.TypedChoiceField:
    """A choice of ids (district, commune, agency). The choices are read as plain rows, not
    model instances: there are hundreds of them and the list is shown on every request."""
    return forms.TypedChoiceField(
        label=label, required=False, coerce=int, empty_value=None, choices=[("", empty_label)], widget=QuickSelect
    )


class TriageFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm kiếm"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Số hiệu, tiêu đề, nội dung; gõ không dấu")}),
    )
    field = forms.ModelChoiceField(
        label=_("Lĩnh vực"), queryset=Field.objects.all(), required=False, empty_label=_("Mọi lĩnh vực")
    )
    topic_group = forms.ModelChoiceField(
        label=_("Nhóm vấn đề"), queryset=TopicGroup.objects.none(), required=False, empty_label=_("Mọi nhóm vấn đề")
    )
    kind = forms.ChoiceField(label=_("Loại"), required=False, choices=[("", _("Mọi loại")), *Submission.Kind.choices])
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Mọi trạng thái")), *[(v, label) for v, label in S.choices if v != S.DRAFT]],
    )
    district = _id_choice(_("Huyện, thị xã, thành phố"), _("Mọi huyện"))
    commune = _id_choice(_("Xã, phường, thị trấn"), _("Mọi xã"))
    agency = _id_choice(_("Cơ quan trả lời"), _("Mọi cơ quan"))
    deadline = forms.ChoiceField(
        label=_("Tình trạng hạn trả lời"), required=False, choices=[("", _("Mọi tình trạng")), *DEADLINE_FILTERS]
    )
    ack_overdue = forms.BooleanField(
        label=_("Quá hạn báo đã tiếp nhận (10 ngày làm việc)"),
        required=False,
        help_text=_("Chưa báo cho đơn vị gửi là đã tiếp nhận và chuyển đi đâu, đã quá hạn."),
    )

    def __init__(self, data=None, *, program: Program, **kwargs):
        super().__init__(data, **kwargs)
        districts, communes = area_units(program)
        districts = list(districts.values_list("pk", "kind", "name"))
        self._add_choices("district", [(pk, AdminUnit.label(kind, name)) for pk, kind, name in districts])
        data = self.data if self.is_bound else {}
        district, commune = str(data.get("district", "")), str(data.get("commune", ""))
        if district.isdigit():  # the communes of the chosen district
            communes = communes.filter(parent_id=district)
        elif len(districts) > 1:
            # A province of districts has hundreds of communes: they are listed once a district
            # is chosen (htmx refreshes the form), plus the commune asked for, if any.
            communes = communes.filter(pk=commune) if commune.isdigit() else communes.none()
            self.fields["commune"].help_text = _("Chọn huyện để hiện danh sách xã, phường, thị trấn.")
        self._add_choices(
            "commune",
            [
                (pk, f"{AdminUnit.label(kind, name)} – {AdminUnit.label(parent_kind, parent_name)}")
                for pk, kind, name, parent_kind, parent_name in communes.values_list(
                    "pk", "kind", "name", "parent__kind", "parent__name"
                )
            ],
        )
        agencies = Agency.objects.filter(province_id=program.province_id).order_by("name")
        self._add_choices("agency", list(agencies.values_list("pk", "name")))
        self.fields["topic_group"].queryset = program.topic_groups.order_by("order", "id")
        for field in self.fields.values():
            field.error_messages.update(CHOICE_ERRORS)
            if isinstance(field.widget, forms.Select) and not isinstance(field.widget, QuickSelect):
                field.widget = QuickSelect(attrs=field.widget.attrs, choices=field.choices)
            css = {QuickSelect: "form-select", forms.CheckboxInput: "form-check-input"}
            field.widget.attrs["class"] = css.get(type(field.widget), "form-control")

    # (field, Bootstrap column classes) in the order shown; the template writes the Bootstrap
    # markup itself, which on this page of every request is cheaper than a template per field.
    LAYOUT = [
        ("kind", "col-6 col-md-4 col-lg-2"),
        ("status", "col-6 col-md-4 col-lg-3"),
        ("field", "col-12 col-md-4 col-lg-4"),
        ("topic_group", "col-12 col-md-6 col-lg-3"),
        ("district", "col-12 col-md-6 col-lg-3"),
        ("commune", "col-12 col-md-6 col-lg-4"),
        ("agency", "col-12 col-md-6 col-lg-5"),
        ("deadline", "col-12 col-md-6 col-lg-4"),
        ("ack_overdue", "col-12 col-md-6 col-lg-8 d-flex align-items-center"),
    ]

    def layout(self):
        return [(self[name], columns) for name, columns in self.LAYOUT]

    def _add_choices(self, name: str, choices: list[tuple[int, str]]) -> None:
        field = self.fields[name]
        field.choices = [*field.choices[:1], *((str(pk), label) for pk, label in choices)]


class ClassifyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=Submission.Kind.choices)
    field = forms.ModelChoiceField(
        label=_("Lĩnh vực"),
        queryset=Field.objects.all(),
        empty_label=_("— Chọn lĩnh vực —"),
        error_messages={"required": _("Hãy chọn lĩnh vực.")},
    )
    topic_group = forms.ModelChoiceField(
        label=_("Nhóm vấn đề"),
        queryset=TopicGroup.objects.none(),
        required=False,
        empty_label=_("— Chọn nhóm vấn đề —"),
    )
    answer_mode = forms.ChoiceField(
        label=_("Hình thức trả lời"),
        required=False,
        choices=[("", _("— Chưa xác định —")), *Submission.AnswerMode.choices],
    )
    public = forms.BooleanField(
        label=_("Công bố cho mọi đơn vị"),
        required=False,
        help_text=_("Khi có câu trả lời, mọi xã, phường, thị trấn xem được nội dung và trả lời."),
    )

    def __init__(self, data=None, *, item: Submission, **kwargs):
        initial = {
            "kind": item.kind,
            "field": item.field_id,
            "topic_group": item.topic_group_id,
            "answer_mode": item.answer_mode,
            "public": item.public,
        }
        super().__init__(data, initial=initial, **kwargs)
        groups = item.program.topic_groups.order_by("order", "id")
        self.fields["topic_group"].queryset = groups
        # A program that groups its items (most do) needs every item in a group.
        self.fields["topic_group"].required = groups.exists()
        self.fields["topic_group"].error_messages["required"] = _("Hãy chọn nhóm vấn đề của chương trình.")
        for field in self.fields.values():
            field.error_messages.update(CHOICE_ERRORS)

    def changes(self) -> dict:
        """The keyword arguments of `workflow.classify`."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "field": data["field"],
            "topic_group": data.get("topic_group"),
            "answer_mode": data.get("answer_mode", ""),
            "public": data.get("public", False),
        }


class ReturnForm(forms.Form):
    remark = forms.CharField(
        label=_("Nội dung cần bổ sung"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Hãy ghi rõ nội dung cần bổ sung.")},
        help_text=_("Xã, phường, thị trấn nhận lại nội dung, bổ sung rồi gửi lại."),
    )


class BulkClassifyForm(forms.Form):
    """The same field, topic group or answer mode for every selected row of the triage list."""

    items = forms.ModelMultipleChoiceField(
        queryset=Submission.objects.none(),
        error_messages={"required": _("Hãy chọn ít nhất một nội dung trong danh sách."), **CHOICE_ERRORS},
    )
    field = forms.ModelChoiceField(
        label=_("Lĩnh vực"), queryset=Field.objects.all(), required=False, empty_label=_("— Giữ nguyên lĩnh vực —")
    )
    topic_group = forms.ModelChoiceField(
        label=_("Nhóm vấn đề"),
        queryset=TopicGroup.objects.none(),
        required=False,
        empty_label=_("— Giữ nguyên nhóm vấn đề —"),
    )
    answer_mode = forms.ChoiceField(
        label=_("Hình thức trả lời"),
        required=False,
        choices=[("", _("— Giữ nguyên hình thức —")), *Submission.AnswerMode.choices],
    )

    def __init__(self, data=None, *, program: Program, items: QuerySet[Submission], **kwargs):
        super().__init__(data, **kwargs)
        self.fields["items"].queryset = items
        self.fields["topic_group"].queryset = program.topic_groups.order_by("order", "id")
        for name, field in self.fields.items():
            field.error_messages.update(CHOICE_ERRORS)
            if name != "items":
                field.widget = QuickSelect(attrs={"class": "form-select form-select-sm"}, choices=field.choices)

    def clean(self):
        data = super().clean()
        if not self.changes() and not self.errors:
            raise forms.ValidationError(_("Hãy chọn lĩnh vực, nhóm vấn đề hoặc hình thức trả lời để áp dụng."))
        return data

    def changes(self) -> dict:
        data = getattr(self, "cleaned_data", {})
        return {name: data[name] for name in ("field", "topic_group", "answer_mode") if data.get(name)}


class MergeForm(forms.Form):
    """Duplicates to merge into the page's item. Any item the user may see is accepted here:
    whether it may be merged (same program, status) is the workflow's to say, in its words."""

    duplicates = forms.ModelMultipleChoiceField(
        queryset=Submission.objects.none(),
        error_messages={"required": _("Hãy chọn ít nhất một nội dung trùng để gộp."), **CHOICE_ERRORS},
    )

    def __init__(self, data=None, *, items: QuerySet[Submission], **kwargs):
        super().__init__(data, **kwargs)
        self.fields["duplicates"].queryset = items


class PartForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề"), max_length=300, required=False)
    content = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def clean(self):
        data = super().clean()
        title, content = data.get("title", "").strip(), data.get("content", "").strip()
        if title and not content:
            self.add_error("content", _("Phần này cần có nội dung."))
        if content and not title:
            self.add_error("title", _("Phần này cần có tiêu đề."))
        return data

    @property
    def part(self) -> tuple[str, str] | None:
        data = getattr(self, "cleaned_data", {})
        title, content = data.get("title", "").strip(), data.get("content", "").strip()
        return (title, content) if title and content else None


class BasePartFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if not self.parts():
            raise forms.ValidationError(_("Hãy nhập ít nhất một phần tách ra (tiêu đề và nội dung)."))

    def parts(self) -> list[tuple[str, str]]:
        return [form.part for form in self.forms if form.part]


MAX_PARTS = 10


def part_formset(parts: int = 3):
    """A formset of `parts` blank parts (at most MAX_PARTS)."""
    return forms.formset_factory(
        PartForm, formset=BasePartFormSet, extra=max(1, min(parts, MAX_PARTS)), max_num=MAX_PARTS, validate_max=True
    )
