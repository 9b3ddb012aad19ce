"""Filter forms of the directory's lists (GET forms; invalid input just means no filter)."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import AdminUnit, Agency, Role
from .queries import province_choices


class ProvinceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AdminUnit) -> str:
        period = _("từ %(year)s") % {"year": obj.valid_from.year}
        if obj.valid_to:
            period = _("%(start)s–%(end)s") % {"start": obj.valid_from.year, "end": obj.valid_to.year}
        return f"{obj.full_name} ({period})"


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=100)


class UnitFilterForm(SearchForm):
    level = forms.ChoiceField(label=_("Cấp"), required=False, choices=[("", _("Mọi cấp")), *AdminUnit.Level.choices])
    province = ProvinceChoiceField(
        label=_("Tỉnh, thành phố"), required=False, queryset=province_choices(), empty_label=_("Mọi tỉnh, thành phố")
    )
    on = forms.DateField(
        label=_("Còn hiệu lực vào ngày"),
        required=False,
        help_text=_("dd/mm/yyyy; để trống là hôm nay. Ví dụ 01/06/2023 cho các đơn vị trước sắp xếp."),
    )


class AgencyFilterForm(SearchForm):
    kind = forms.ChoiceField(label=_("Loại"), required=False, choices=[("", _("Mọi loại")), *Agency.Kind.choices])
    province = ProvinceChoiceField(
        label=_("Tỉnh, thành phố"), required=False, queryset=province_choices(), empty_label=_("Mọi tỉnh, thành phố")
    )


class UserFilterForm(SearchForm):
    role = forms.ChoiceField(label=_("Vai trò"), required=False, choices=[("", _("Mọi vai trò")), *Role.choices])


class LoginForm(AuthenticationForm):
    """Django's login form with plainer Vietnamese messages than its stock catalog."""

    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa và chữ thường."),
        "inactive": _("Tài khoản này đã bị khóa. Vui lòng liên hệ quản trị hệ thống."),
    }
