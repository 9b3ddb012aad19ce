"""Forms of the programs app. Choices are limited to what belongs to the program, so a
forged id from another program is refused with a Vietnamese message."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from directory.models import AdminUnit, Agency
from directory.permissions import province_id_of

from .models import CommitteeMember, Program


class DateInput(forms.DateInput):
    """A text field for dd/mm/yyyy: the browser's date picker would send yyyy-mm-dd and
    show the user's OS format, which on many government PCs is month-first."""

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%d/%m/%Y")
        attrs = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off", **kwargs.pop("attrs", {})}
        super().__init__(attrs=attrs, **kwargs)


DATE_ERRORS = {"invalid": _("Nhập ngày theo dạng dd/mm/yyyy, ví dụ 05/08/2023.")}
DATETIME_ERRORS = {"invalid": _("Nhập thời gian theo dạng dd/mm/yyyy hh:mm, ví dụ 05/08/2023 07:30.")}


class DateTimeInput(forms.DateTimeInput):
    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%d/%m/%Y %H:%M")
        super().__init__(attrs={"placeholder": "dd/mm/yyyy hh:mm", "autocomplete": "off"}, **kwargs)


class ProgramForm(forms.ModelForm):
    class Meta:
        model = Program
        fields = [
            "title",
            "host",
            "area",
            "audience",
            "edition",
            "previous",
            "theme",
            "start_date",
            "end_date",
            "venue",
            "standing_agency",
            "intake_opens",
            "intake_closes",
            "reference_prefix",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "intake_opens": DateInput(),
            "intake_closes": DateInput(),
            "venue": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {name: DATE_ERRORS for name in ("start_date", "end_date", "intake_opens", "intake_closes")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        province = province_id_of(user)
        agencies = Agency.objects.filter(is_active=True)
        units = AdminUnit.objects.exclude(level=AdminUnit.Level.COMMUNE)
        programs = Program.objects.all()
        if province:
            agencies = agencies.filter(province_id=province)
            units = units.filter(pk=province) | units.filter(parent_id=province)
            programs = programs.filter(province_id=province)
        self.fields["host"].queryset = agencies.filter(kind=Agency.Kind.PARTY_COMMITTEE)
        self.fields["standing_agency"].queryset = agencies
        self.fields["area"].queryset = units.order_by("level", "name")
        self.fields["previous"].queryset = programs.exclude(pk=self.instance.pk or 0)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Ngày kết thúc không được trước ngày bắt đầu."))
        opens, closes = data.get("intake_opens"), data.get("intake_closes")
        if opens and closes and closes < opens:
            self.add_error("intake_closes", _("Hạn cuối gửi câu hỏi không được trước ngày mở tiếp nhận."))
        if bool(opens) != bool(closes):
            self.add_error(
                "intake_closes", _("Hãy nhập cả ngày mở và hạn cuối tiếp nhận câu hỏi, hoặc để trống cả hai.")
            )
        previous = data.get("previous")
        if previous and start and previous.start_date >= start:
            self.add_error("previous", _("Chương trình lần trước phải diễn ra trước chương trình này."))
        return data


class CommitteeMemberForm(forms.ModelForm):
    class Meta:
        model = CommitteeMember
        fields = ["full_name", "position", "role", "agency", "user", "order"]

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.program = program
        self.fields["agency"].queryset = Agency.objects.filter(province_id=program.province_id, is_active=True)
        users = self.fields["user"].queryset.filter(is_active=True, agency__province_id=program.province_id)
        self.fields["user"].queryset = users.order_by("full_name")
        self.fields["user"].help_text = _("Tài khoản của thành viên, nếu có, để góp ý kế hoạch và nhận nhiệm vụ.")
