"""Dates as official documents and forms write them.

`document_date_line` is the place-and-date line of a Party document (Hướng dẫn 36-HD/VPTW):
"Nghệ An, ngày 05 tháng 02 năm 2024". Days below 10 and the months January and February take a
leading zero, so that nobody can add a digit by hand afterwards ("ngày 1" -> "ngày 15",
"tháng 1" -> "tháng 12"); months 3 to 12 are written without one.

`format_date` and `parse_date` are the "dd/mm/yyyy" form used in lists, Excel files and forms.
Pure functions: no Django, no time zones (a datetime is taken as the date it carries).
"""

import datetime as dt
import re

__all__ = ["document_date_line", "format_date", "parse_date"]

# Day and month may have one or two digits; the year always has four. Separators "/", "-" and
# "." all occur in files from districts ("05/8/2023", "5-8-2023", "05.08.2023").
_DATE_RE = re.compile(r"^\s*(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4})\s*$")

# Width of the blanks left for a date written by hand on an unsigned draft.
_BLANK = "\u00a0" * 5


def _document_day(day: int) -> str:
    return f"{day:02d}" if day < 10 else str(day)


def _document_month(month: int) -> str:
    return f"{month:02d}" if month < 3 else str(month)


def document_date_line(place: str, date: dt.date | None) -> str:
    """The place-and-date line: leading zero for days 1-9 and months 1-2.

    "Nghệ An, ngày 28 tháng 8 năm 2023", "Nghệ An, ngày 05 tháng 02 năm 2024".

    Without a date (a draft to be dated when signed) the day, month and year are left blank.
    """
    place = (place or "").strip()
    if date is None:
        return f"{place}, ngày{_BLANK}tháng{_BLANK}năm{_BLANK}"
    return f"{place}, ngày {_document_day(date.day)} tháng {_document_month(date.month)} năm {date.year}"


def format_date(date: dt.date) -> str:
    """Day first, two digits for day and month, four for the year: "05/08/2023"."""
    return f"{date.day:02d}/{date.month:02d}/{date.year:04d}"


def parse_date(value: str) -> dt.date:
    """The inverse of `format_date`, day first: "05/08/2023" -> 5 August 2023.

    Also accepts one-digit day or month and "-" or "." as separator. Raises ValueError (with a
    Vietnamese message, as it may reach a form or an import report) for anything else,
    including impossible dates such as 31/02/2024.
    """
    match = _DATE_RE.match(str(value or ""))
    if not match:
        raise ValueError(f"Ngày không hợp lệ: {value!r} (cần dạng dd/mm/yyyy)")
    day, _, month, year = match.groups()
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError as exc:
        raise ValueError(f"Ngày không tồn tại: {value!r}") from exc
