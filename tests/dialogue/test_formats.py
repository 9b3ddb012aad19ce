"""Dates typed and shown as dd/mm/yyyy, weeks from Monday, numbers with "." and ","."""

import datetime
from decimal import Decimal

from django import forms
from django.template import Context, Template
from django.utils import formats, translation


class DateForm(forms.Form):
    day = forms.DateField()
    at = forms.DateTimeField()


def test_day_first_input():
    with translation.override("vi"):
        form = DateForm({"day": "05/08/2023", "at": "05/08/2023 07:42"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == datetime.date(2023, 8, 5)
        assert form.cleaned_data["at"].date() == datetime.date(2023, 8, 5)


def test_month_first_is_refused():
    with translation.override("vi"):
        form = DateForm({"day": "08/25/2023", "at": "08/25/2023 07:00"})
        assert not form.is_valid()
        assert "Nhập ngày hợp lệ" in str(form.errors["day"]) or "hợp lệ" in str(form.errors["day"])


def test_display_formats():
    with translation.override("vi"):
        rendered = Template('{{ d|date:"SHORT_DATE_FORMAT" }} {{ d }} {{ n }} {{ x }}').render(
            Context({"d": datetime.date(2023, 8, 28), "n": 1121, "x": Decimal("12.5")})
        )
        assert rendered == "28/08/2023 28/08/2023 1.121 12,5"
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1
