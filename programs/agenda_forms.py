"""Forms of the agenda and the forums: sessions, topic groups, forums, forum notes.

A session or forum is entered as one day and two times (it never spans midnight), composed
into aware datetimes in the site's time zone. The rules themselves live in `programs.workflow`
(`check_session`, `check_forum`); the forms run them in `clean()` so that errors appear next
to the right field and nothing is saved. People are chosen only from the program's own
committee: a forged id gets the Vietnamese invalid-choice message, not Django's.
"""

from __future__ import annotations

import datetime

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import workflow
from .forms import DateInput
from .models import AgendaSession, CommitteeMember, Forum, ForumNote, Program, TopicGroup

NOT_IN_COMMITTEE = {
    "chair": _("Người chủ trì phải là thành viên Ban tổ chức của chương trình."),
    "co_chairs": _("Người đồng chủ trì phải là thành viên Ban tổ chức của chương trình."),
    "rapporteur": _("Thư ký tổng hợp phải là thành viên Ban tổ chức của chương trình."),
}
DAY_ERRORS = {"invalid": _("Nhập ngày theo dạng dd/mm/yyyy, ví dụ 03/08/2023.")}
TIME_ERRORS = {"invalid": _("Nhập giờ theo dạng hh:mm, ví dụ 07:30.")}


class TimeInput(forms.TimeInput):
    """A text field for HH:MM: the browser's time picker shows AM/PM on many systems."""

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%H:%M")
        super().__init__(attrs={"placeholder": "hh:mm", "autocomplete": "off", "class": "time-input"}, **kwargs)


def _no_helper_tag(*rows) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*rows)
    return helper


class TimeSpanMixin:
    """Fields `day`, `start_time`, `end_time` composed into the instance's `starts_at`/`ends_at`;
    workflow errors on those are shown on the day and the end time."""

    FIELD_OF = {"starts_at": "day", "ends_at": "end_time"}

    def _span_fields(self) -> None:
        self.fields["day"] = forms.DateField(label=_("Ngày"), widget=DateInput(), error_messages=DAY_ERRORS)
        self.fields["start_time"] = forms.TimeField(label=_("Từ giờ"), widget=TimeInput(), error_messages=TIME_ERRORS)
        self.fields["end_time"] = forms.TimeField(label=_("Đến giờ"), widget=TimeInput(), error_messages=TIME_ERRORS)
        if self.instance.pk:
            start, end = timezone.localtime(self.instance.starts_at), timezone.localtime(self.instance.ends_at)
            self.initial.update(day=start.date(), start_time=start.time(), end_time=end.time())
        elif self.instance.program_id:
            self.initial.setdefault("day", self.instance.program.start_date)

    def _compose_span(self, data: dict) -> bool:
        day, start, end = data.get("day"), data.get("start_time"), data.get("end_time")
        if not (day and start and end):
            return False
        tz = timezone.get_current_timezone()
        self.instance.starts_at = timezone.make_aware(datetime.datetime.combine(day, start), tz)
        self.instance.ends_at = timezone.make_aware(datetime.datetime.combine(day, end), tz)
        return True

    def show_workflow_errors(self, exc: ValidationError) -> None:
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for field, messages in exc.message_dict.items():
            target = self.FIELD_OF.get(field, field)
            self.add_error(target if target in self.fields else None, messages)


class SessionForm(TimeSpanMixin, forms.ModelForm):
    class Meta:
        model = AgendaSession
        fields = ["kind", "title", "place", "chair", "presenters"]
        widgets = {"presenters": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "chair": _("Ví dụ “Thường trực Tỉnh ủy”."),
            "presenters": _("Mỗi người một dòng, nếu có."),
        }

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.program = program
        self._span_fields()
        self.helper = _no_helper_tag(
            Row(Column("kind", css_class="col-md-4"), Column("title", css_class="col-md-8")),
            Row(
                Column("day", css_class="col-sm-4"),
                Column("start_time", css_class="col-6 col-sm-4"),
                Column("end_time", css_class="col-6 col-sm-4"),
            ),
            Field("place"),
            Row(Column("chair", css_class="col-md-6"), Column("presenters", css_class="col-md-6")),
        )

    def clean(self):
        data = super().clean()
        if self._compose_span(data):
            try:
                workflow.check_session(self.instance)
            except ValidationError as exc:
                self.show_workflow_errors(exc)
        return data


class TopicGroupForm(forms.ModelForm):
    class Meta:
        model = TopicGroup
        fields = ["name", "order"]
        help_texts = {"order": _("Nhóm có số nhỏ hơn đứng trước.")}

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.program = program

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        # The unique constraint covers `program`, which is not a form field, so Django would not check it.
        taken = TopicGroup.objects.filter(program=self.instance.program, name__iexact=name).exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(_("Chương trình đã có nhóm vấn đề này."))
        return name


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, member: CommitteeMember) -> str:
        return f"{member.full_name} – {member.position}"


class MembersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, member: CommitteeMember) -> str:
        return f"{member.full_name} – {member.position}"


class ForumForm(TimeSpanMixin, forms.ModelForm):
    class Meta:
        model = Forum
        fields = ["title", "topic_group", "chair", "co_chairs", "rapporteur", "room", "capacity"]
        field_classes = {"chair": MemberChoiceField, "co_chairs": MembersChoiceField, "rapporteur": MemberChoiceField}
        widgets = {"co_chairs": forms.CheckboxSelectMultiple}
        help_texts = {
            "rapporteur": _("Người ghi chép ý kiến và giải đáp tại diễn đàn."),
            "capacity": _("Số chỗ ngồi, nếu cần giới hạn."),
        }

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.program = program
        committee = program.committee.order_by("order", "id")
        for name, message in NOT_IN_COMMITTEE.items():
            field = self.fields[name]
            field.queryset = committee
            field.error_messages["invalid_choice"] = message
            field.error_messages["invalid_pk_value"] = message
        topic = self.fields["topic_group"]
        topic.queryset = program.topic_groups.all()
        topic.error_messages["invalid_choice"] = _("Nhóm vấn đề phải thuộc chương trình này.")
        self._span_fields()
        self.helper = _no_helper_tag(
            Row(Column("title", css_class="col-md-7"), Column("topic_group", css_class="col-md-5")),
            Row(
                Column("day", css_class="col-sm-4"),
                Column("start_time", css_class="col-6 col-sm-4"),
                Column("end_time", css_class="col-6 col-sm-4"),
            ),
            Row(Column("room", css_class="col-md-8"), Column("capacity", css_class="col-md-4")),
            Row(Column("chair", css_class="col-md-6"), Column("rapporteur", css_class="col-md-6")),
            Field("co_chairs"),
        )

    def clean(self):
        data = super().clean()
        # Django fills the instance only after clean(); the workflow's rules need the chosen people now.
        for name in ("topic_group", "chair", "rapporteur"):
            if name in data and (data[name] is not None or name == "rapporteur"):
                setattr(self.instance, name, data[name])
        self._compose_span(data)
        try:
            workflow.check_forum(self.instance, data.get("co_chairs") or [])
        except ValidationError as exc:
            self.show_workflow_errors(exc)
        return data


class ForumNoteForm(forms.ModelForm):
    class Meta:
        model = ForumNote
        fields = ["kind", "speaker", "speaker_unit", "content"]
        widgets = {"kind": forms.RadioSelect, "content": forms.Textarea(attrs={"rows": 4})}
        labels = {"speaker": _("Người phát biểu"), "speaker_unit": _("Đơn vị")}
        help_texts = {"speaker": _("Họ tên hoặc chức danh, ví dụ “Bí thư Đảng ủy xã Nghi Phú”.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        kind.choices, kind.initial = ForumNote.Kind.choices, ForumNote.Kind.POINT  # no empty "---------" radio
        self.helper = _no_helper_tag(
            InlineRadios("kind"),
            Row(Column("speaker", css_class="col-md-6"), Column("speaker_unit", css_class="col-md-6")),
            Field("content"),
        )


class ForumSummaryForm(forms.ModelForm):
    class Meta:
        model = Forum
        fields = ["summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 10})}
        help_texts = {"summary": _("Tóm tắt kết quả của diễn đàn, in trong báo cáo tổng hợp.")}
