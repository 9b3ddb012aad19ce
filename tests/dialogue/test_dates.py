import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dialogue.dates import document_date_line, format_date, parse_date


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (dt.date(2023, 8, 28), "Nghệ An, ngày 28 tháng 8 năm 2023"),
        (dt.date(2024, 2, 5), "Nghệ An, ngày 05 tháng 02 năm 2024"),
        (dt.date(2024, 1, 1), "Nghệ An, ngày 01 tháng 01 năm 2024"),
        (dt.date(2024, 3, 9), "Nghệ An, ngày 09 tháng 3 năm 2024"),
        (dt.date(2024, 10, 10), "Nghệ An, ngày 10 tháng 10 năm 2024"),
        (dt.date(2024, 11, 30), "Nghệ An, ngày 30 tháng 11 năm 2024"),
        (dt.date(2024, 12, 31), "Nghệ An, ngày 31 tháng 12 năm 2024"),
    ],
)
def test_document_date_line(date, expected):
    assert document_date_line("Nghệ An", date) == expected


def test_document_date_line_accepts_datetime_and_strips_place():
    assert document_date_line(" Hải Phòng ", dt.datetime(2023, 5, 6, 14, 30)) == "Hải Phòng, ngày 06 tháng 5 năm 2023"


def test_document_date_line_without_date_leaves_blanks_for_hand_dating():
    line = document_date_line("Nghệ An", None)
    assert line.startswith("Nghệ An, ngày")
    assert "tháng" in line and "năm" in line
    assert not any(ch.isdigit() for ch in line)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_document_date_line_zero_rule(date):
    line = document_date_line("X", date)
    day = line.split("ngày ")[1].split(" ")[0]
    month = line.split("tháng ")[1].split(" ")[0]
    assert int(day) == date.day and int(month) == date.month
    assert day.startswith("0") == (date.day < 10)
    assert month.startswith("0") == (date.month < 3)


def test_format_date():
    assert format_date(dt.date(2023, 8, 5)) == "05/08/2023"
    assert format_date(dt.date(2023, 12, 28)) == "28/12/2023"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05/08/2023", dt.date(2023, 8, 5)),
        ("5/8/2023", dt.date(2023, 8, 5)),
        (" 28-8-2023 ", dt.date(2023, 8, 28)),
        ("01.02.2024", dt.date(2024, 2, 1)),
        ("12/01/2024", dt.date(2024, 1, 12)),  # day first, never month first
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["", "2023-08-05", "31/02/2024", "05/13/2023", "05/08/23", "5/8-2023", "abc", None])
def test_parse_date_rejects(text):
    with pytest.raises(ValueError):
        parse_date(text)


@given(st.dates())
def test_parse_date_inverts_format_date(date):
    assert parse_date(format_date(date)) == date
