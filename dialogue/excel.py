"""Excel (.xlsx) in and out: imports that name every bad cell by row and column, exports and
downloadable import templates.

Reading (`read_table`) maps header cells to `Column` specs (labels compared without accents or
case, so "so dien thoai" finds "Số điện thoại"), cleans every value (trimmed, NFC) and runs the
column's parser. It never stops at the first bad cell: the import preview shows every error as
"Dòng 7, cột C (Số điện thoại): số điện thoại không hợp lệ". A file that is not a readable
.xlsx, or is too large, raises `ExcelError` with a message fit for the user.

A parser is any callable taking a non-empty cell value (str, int, float, date or datetime) and
returning the cleaned value, raising `CellValueError` (or Django's `ValidationError`) with a
Vietnamese message. The ones here (`text`, `integer`, `date`, `phone`, `email`, `choice`,
`boolean`) also describe themselves for the template's notes sheet.

Writing (`write_table`, `template_workbook`, `xlsx_response`) produces real dates formatted
dd/mm/yyyy, a bold frozen header and a download name that keeps its Vietnamese letters.
"""

from __future__ import annotations

import datetime
import io
import os
import re
import unicodedata
import urllib.parse
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .dates import parse_date
from .text import nfc, search_key

__all__ = [
    "XLSX_CONTENT_TYPE",
    "CellError",
    "CellValueError",
    "Column",
    "ExcelError",
    "Parser",
    "Row",
    "TableResult",
    "boolean",
    "choice",
    "content_disposition",
    "date",
    "email",
    "integer",
    "normalize_phone",
    "phone",
    "read_table",
    "template_workbook",
    "text",
    "write_table",
    "xlsx_response",
]

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

DEFAULT_MAX_ROWS = 5000
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# The unpacked XML is what costs memory and time; a small "zip bomb" must not get that far.
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
# How far down `header_row=None` looks for the header (exports put a title above it).
HEADER_SEARCH_ROWS = 20
# Excel's own limit on the characters in one cell.
MAX_CELL_CHARS = 32767

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
TEXT_FORMAT = "@"

_ZIP_MAGIC = b"PK\x03\x04"
# Excel 97-2003 files and password-protected .xlsx files are OLE compound documents.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Invisible characters that arrive with text copied from web pages and Word.
_INVISIBLE = str.maketrans({"\u200b": None, "\u200c": None, "\u200d": None, "\ufeff": None, "\u00ad": None})


# Errors -------------------------------------------------------------------------------------


class ExcelError(Exception):
    """The file as a whole cannot be read; the message is meant for the user."""


class CellValueError(ValueError):
    """Raised by a parser: the message (Vietnamese, lower-case start) says what is wrong."""


@dataclass(frozen=True)
class CellError:
    """One problem in the file. `row` is the Excel row number as Excel shows it; `column` the
    column letter ("C"), or None when the problem is a header that is missing altogether."""

    row: int
    column: str | None
    header: str
    message: str
    value: Any = None

    def __str__(self) -> str:
        if self.column:
            return _("Dòng %(row)s, cột %(column)s (%(header)s): %(message)s") % {
                "row": self.row,
                "column": self.column,
                "header": self.header,
                "message": self.message,
            }
        return _("Dòng %(row)s: %(message)s") % {"row": self.row, "message": self.message}


class Row(dict):
    """The cleaned values of one data row, keyed by `Column.key` (None where a cell was empty,
    bad or its column absent), with the Excel row `number` and this row's `errors`."""

    def __init__(self, number: int, values: Mapping[str, Any], errors: list[CellError]):
        super().__init__(values)
        self.number = number
        self.errors = errors

    def __repr__(self) -> str:
        return f"Row({self.number}, {dict.__repr__(self)}, errors={len(self.errors)})"


@dataclass(frozen=True)
class TableResult:
    """What `read_table` found: every non-empty data row, and every error (header and cells).
    Unpacks as `rows, errors = read_table(...)`."""

    rows: list[Row]
    errors: list[CellError]
    header_row: int = 1

    def __iter__(self) -> Iterator[Any]:
        return iter((self.rows, self.errors))

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def valid_rows(self) -> list[Row]:
        return [row for row in self.rows if not row.errors]


# Parsers ------------------------------------------------------------------------------------


class Parser:
    """Base of the parsers below. `description` and `example` feed the import template;
    `number_format` is the cell format the template gives the column."""

    description: str = ""
    example: Any = None
    number_format: str | None = None

    def __call__(self, value: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def options(self) -> list[str] | None:
        """Values offered as a drop-down list in the template, if the column has a fixed set."""
        return None


def _format_number(value: int) -> str:
    # Vietnamese groups thousands with a dot: 5.000.
    return f"{value:,}".replace(",", ".")


def _integral(value: float) -> bool:
    return value == value and value not in (float("inf"), float("-inf")) and float(value).is_integer()


def _as_text(value: Any) -> str:
    """A cell value as text, undoing what Excel does to numbers typed into General cells."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, float) and _integral(value):
        return str(int(value))
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return f"{value:%d/%m/%Y}"
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    return str(value)


class _Text(Parser):
    number_format = TEXT_FORMAT

    def __init__(self, max_length: int | None, multiline: bool):
        self.max_length = max_length
        self.multiline = multiline

    @property
    def description(self) -> str:
        if self.max_length:
            return _("Văn bản, tối đa %(n)s ký tự") % {"n": _format_number(self.max_length)}
        return _("Văn bản")

    def __call__(self, value: Any) -> str:
        raw = _as_text(value)
        if self.multiline:
            # Keep the line breaks of long text (a question's content); tidy each line.
            lines = (nfc(line) for line in unicodedata.normalize("NFC", raw).splitlines())
            result = "\n".join(lines).strip("\n")
        else:
            result = nfc(raw)
        if self.max_length is not None and len(result) > self.max_length:
            raise CellValueError(
                _("dài quá %(max)s ký tự (có %(n)s ký tự)")
                % {"max": _format_number(self.max_length), "n": _format_number(len(result))}
            )
        return result


def text(max_length: int | None = None, *, multiline: bool = False) -> Parser:
    """Text, NFC with runs of white space collapsed (line breaks kept when `multiline`)."""
    return _Text(max_length, multiline)


_INTEGER = re.compile(r"[+-]?[0-9]+")
# "1.000" and "1 000" are how Vietnamese writes a thousand; "1,5" would be a decimal, so no comma.
_GROUPED_INTEGER = re.compile(r"[0-9]{1,3}([. ][0-9]{3})+")


class _Integer(Parser):
    example = 1

    def __init__(self, min_value: int | None, max_value: int | None):
        self.min_value = min_value
        self.max_value = max_value
        if min_value is not None and min_value > 1:
            self.example = min_value

    @property
    def description(self) -> str:
        low, high = self.min_value, self.max_value
        if low is not None and high is not None:
            return _("Số nguyên từ %(min)s đến %(max)s") % {"min": _format_number(low), "max": _format_number(high)}
        if low is not None:
            return _("Số nguyên từ %(min)s trở lên") % {"min": _format_number(low)}
        if high is not None:
            return _("Số nguyên không lớn hơn %(max)s") % {"max": _format_number(high)}
        return _("Số nguyên")

    def __call__(self, value: Any) -> int:
        if isinstance(value, bool):
            raise CellValueError(_("cần là một số nguyên"))
        if isinstance(value, int):
            number = value
        elif isinstance(value, (float, Decimal)):
            if not _integral(float(value)):
                raise CellValueError(_("cần là một số nguyên"))
            number = int(value)
        elif isinstance(value, str) and _INTEGER.fullmatch(value):
            number = int(value)
        elif isinstance(value, str) and _GROUPED_INTEGER.fullmatch(value):
            number = int(re.sub(r"[. ]", "", value))
        else:
            raise CellValueError(_("cần là một số nguyên"))
        if self.min_value is not None and number < self.min_value:
            raise CellValueError(_("không được nhỏ hơn %(min)s") % {"min": _format_number(self.min_value)})
        if self.max_value is not None and number > self.max_value:
            raise CellValueError(_("không được lớn hơn %(max)s") % {"max": _format_number(self.max_value)})
        return number


def integer(min_value: int | None = None, max_value: int | None = None) -> Parser:
    """A whole number: a numeric cell, or text such as "12", "1.000" or "1 000"."""
    return _Integer(min_value, max_value)


_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DATE_SHAPE = re.compile(r"[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{4}")


class _Date(Parser):
    number_format = DATE_FORMAT
    example = datetime.date(2025, 8, 15)

    @property
    def description(self) -> str:
        return _("Ngày, dạng dd/mm/yyyy (ví dụ 15/08/2025) hoặc ô kiểu ngày của Excel")

    def __call__(self, value: Any) -> datetime.date:
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):
            # One reading of "dd/mm/yyyy" for the whole project (forms, lists, imports).
            try:
                return parse_date(value)
            except ValueError:
                pass
            if match := _ISO.fullmatch(value):
                try:
                    return datetime.date(*(int(part) for part in match.groups()))
                except ValueError:
                    pass
            if _DATE_SHAPE.fullmatch(value) or _ISO.fullmatch(value):
                raise CellValueError(_("ngày %(value)s không có trên lịch") % {"value": value})
        # A bare number may be a date serial whose format was lost, or anything else: refuse
        # rather than guess.
        raise CellValueError(_("ngày không hợp lệ (cần dạng dd/mm/yyyy)"))


def date() -> Parser:
    """A date: an Excel date cell, or text dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy,
    and ISO yyyy-mm-dd). Never month first."""
    return _Date()


_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
_MOBILE = re.compile(r"0[35789][0-9]{8}")
_LANDLINE = re.compile(r"02[0-9]{9}")


def normalize_phone(value: Any) -> str | None:
    """A Vietnamese phone number as 0xxxxxxxxx, or None if it is not one.

    Mobiles have 10 digits and start 03, 05, 07, 08 or 09; landlines have 11 digits and start
    02 (area code 02x or 02xx). "+84", "0084" and "84" prefixes, spaces, dots, dashes and
    brackets are accepted; so is a number whose leading 0 Excel dropped (912345678).
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float):
        if not _integral(value):
            return None
        value = int(value)
    digits = _PHONE_SEPARATORS.sub("", str(value))
    if digits.startswith("+84"):
        digits = "0" + digits[3:].removeprefix("0")
    elif digits.startswith("0084"):
        digits = "0" + digits[4:].removeprefix("0")
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if not digits.isascii() or not digits.isdigit():
        return None
    if not digits.startswith("0") and len(digits) in (9, 10):
        digits = "0" + digits
    if _MOBILE.fullmatch(digits) or _LANDLINE.fullmatch(digits):
        return digits
    return None


class _Phone(Parser):
    number_format = TEXT_FORMAT
    example = "0912345678"

    @property
    def description(self) -> str:
        return _(
            "Số điện thoại di động 10 số (03, 05, 07, 08, 09…) hoặc cố định 11 số (02…); "
            "chấp nhận +84, dấu cách và dấu chấm"
        )

    def __call__(self, value: Any) -> str:
        normalized = normalize_phone(value)
        if normalized is None:
            raise CellValueError(_("số điện thoại không hợp lệ"))
        return normalized


def phone() -> Parser:
    """A Vietnamese phone number, normalised to 0xxxxxxxxx (see `normalize_phone`)."""
    return _Phone()


class _Email(Parser):
    number_format = TEXT_FORMAT
    example = "nguyenvana@example.vn"

    @property
    def description(self) -> str:
        return _("Địa chỉ thư điện tử")

    def __call__(self, value: Any) -> str:
        address = _as_text(value).strip()
        if address[:7].lower() == "mailto:":
            address = address[7:]
        try:
            validate_email(address)
        except ValidationError:
            raise CellValueError(_("thư điện tử không hợp lệ")) from None
        local, _at, domain = address.rpartition("@")
        # Domains are case-insensitive; the local part belongs to the mail server.
        return f"{local}@{domain.lower()}"


def email() -> Parser:
    """An e-mail address (Django's validator), with the domain lower-cased."""
    return _Email()


class _Choice(Parser):
    number_format = TEXT_FORMAT

    def __init__(self, choices: Any, aliases: Mapping[str, Any] | None):
        if hasattr(choices, "choices"):  # a Django TextChoices / IntegerChoices class
            choices = choices.choices
        if isinstance(choices, Mapping):
            self.pairs = list(choices.items())
        else:
            self.pairs = [item if isinstance(item, (tuple, list)) else (item, item) for item in choices]
        self.aliases = dict(aliases or {})
        self._cached_lookup: dict[str, Any] | None = None

    # Labels are often lazy translations: they are turned into text when used, never at import.
    @property
    def labels(self) -> list[str]:
        return [str(label) for _value, label in self.pairs]

    def _lookup(self) -> dict[str, Any]:
        # Built on first use (labels may be lazy) and kept: an import calls this for every row.
        if self._cached_lookup is not None:
            return self._cached_lookup
        lookup: dict[str, Any] = {}
        for value, label in self.pairs:
            lookup.setdefault(search_key(str(label)), value)
            lookup.setdefault(search_key(str(value)), value)
        for alias, value in self.aliases.items():
            lookup[search_key(alias)] = value
        self._cached_lookup = lookup
        return lookup

    @property
    def example(self) -> Any:
        labels = self.labels
        return labels[0] if labels else None

    @property
    def description(self) -> str:
        return _("Một trong: %(labels)s") % {"labels": "; ".join(self.labels)}

    def __call__(self, value: Any) -> Any:
        key = search_key(_as_text(value))
        lookup = self._lookup()
        if key in lookup:
            return lookup[key]
        raise CellValueError(_("giá trị không có trong danh sách (%(labels)s)") % {"labels": "; ".join(self.labels)})

    def options(self) -> list[str]:
        return self.labels


def choice(choices: Any, *, aliases: Mapping[str, Any] | None = None) -> Parser:
    """One of a fixed set, matched on its label or value without accents or case.

    `choices` is a Django Choices class, a list of (value, label) pairs or of plain values, or a
    {value: label} mapping; the parser returns the value. `aliases` maps other spellings users
    write ("nu" for "Nữ") to values.
    """
    return _Choice(choices, aliases)


_TRUE = {"co", "x", "dung", "yes", "true", "1", "v"}
_FALSE = {"khong", "sai", "no", "false", "0", "-"}


class _Boolean(Parser):
    example = "Có"

    @property
    def description(self) -> str:
        return _("“Có” hoặc “Không” (cũng chấp nhận “x”)")

    def options(self) -> list[str]:
        return [_("Có"), _("Không")]

    def __call__(self, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        key = search_key(_as_text(value))
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
        raise CellValueError(_("cần ghi “Có” hoặc “Không”"))


def boolean() -> Parser:
    """Yes or no: "Có"/"Không", "x", "Đúng"/"Sai", 1/0. An empty optional cell reads as None."""
    return _Boolean()


# Column specs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of an import or export.

    `label` is the header the project writes; `aliases` are other headers accepted on import
    (both compared by `search_key`, and a trailing "*" is ignored). A `required` column must be
    present and every data row must fill it. `width` (in characters) and `example` override what
    the writer would choose; `note` is shown in the template's notes sheet.
    """

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    parser: Callable[[Any], Any] = field(default_factory=text)
    width: float | None = None
    example: Any = None
    note: str = ""

    def header_keys(self) -> set[str]:
        return {_header_key(name) for name in (self.label, *self.aliases)} - {""}

    @property
    def example_value(self) -> Any:
        return self.example if self.example is not None else getattr(self.parser, "example", None)


def _header_key(value: Any) -> str:
    return search_key(str(value).translate(_INVISIBLE).replace("*", "").rstrip(": ")) if value is not None else ""


# Reading ------------------------------------------------------------------------------------


def read_table(
    file: Any,
    columns: Sequence[Column],
    *,
    sheet: str | int | None = None,
    header_row: int | None = 1,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> TableResult:
    """Read the data rows of an .xlsx file against `columns`.

    `file` is a path, bytes, or a binary file object (a Django upload). `sheet` is a sheet
    name (matched without accents) or 0-based index; by default the first sheet. `header_row`
    is the Excel row number of the header, or None to take the first of the top 20 rows that
    matches most column labels (files with a title above the header).

    Empty rows (nothing in any recognised column) are skipped. Each cell is trimmed and NFC'd,
    then parsed; a bad or missing required cell becomes a `CellError` and the row's value None,
    and reading goes on. When a required header is missing the result has no rows, only
    header errors. More than `max_rows` non-empty rows, or a file over `max_bytes`, raises
    `ExcelError`.
    """
    stream = _open(file, max_bytes)
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl signals a damaged file with many exception types
        raise ExcelError(_("Tệp không phải là tệp Excel (.xlsx) hợp lệ.")) from exc
    try:
        worksheet = _pick_sheet(workbook, sheet)
        # Some programs write a wrong sheet size; without this, rows past it would be lost.
        worksheet.reset_dimensions()
        return _read_sheet(worksheet, columns, header_row, max_rows)
    finally:
        workbook.close()


def _open(file: Any, max_bytes: int) -> io.IOBase:
    """A seekable binary stream of an xlsx (zip) file, after the size checks."""
    if isinstance(file, (bytes, bytearray, memoryview)):
        stream = io.BytesIO(bytes(file))
    elif isinstance(file, (str, os.PathLike)):
        try:
            if os.path.getsize(file) > max_bytes:
                raise ExcelError(_too_large(os.path.getsize(file), max_bytes))
            with open(file, "rb") as handle:
                stream = io.BytesIO(handle.read())
        except OSError as exc:
            raise ExcelError(_("Không mở được tệp.")) from exc
    else:
        stream = file
    try:
        stream.seek(0, os.SEEK_END)
        size = stream.tell()
        stream.seek(0)
        magic = stream.read(8)
        stream.seek(0)
    except (AttributeError, OSError, ValueError) as exc:
        raise ExcelError(_("Không đọc được tệp.")) from exc
    if size > max_bytes:
        raise ExcelError(_too_large(size, max_bytes))
    if magic.startswith(_OLE_MAGIC):
        raise ExcelError(
            _(
                "Tệp không phải là tệp Excel (.xlsx) hợp lệ. Tệp Excel 97–2003 (.xls) hoặc tệp có đặt mật khẩu "
                "chưa đọc được: hãy mở bằng Excel, bỏ mật khẩu nếu có và lưu lại dưới dạng .xlsx."
            )
        )
    if not magic.startswith(_ZIP_MAGIC):
        raise ExcelError(_("Tệp không phải là tệp Excel (.xlsx) hợp lệ."))
    try:
        with zipfile.ZipFile(stream) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ExcelError(_("Tệp không phải là tệp Excel (.xlsx) hợp lệ.")) from exc
    finally:
        stream.seek(0)
    if unpacked > MAX_UNCOMPRESSED_BYTES:
        raise ExcelError(_("Tệp chứa quá nhiều dữ liệu để đọc; hãy chia thành nhiều tệp nhỏ hơn."))
    return stream


def _too_large(size: int, max_bytes: int) -> str:
    megabytes = {"size": f"{size / 1048576:.1f}", "max": f"{max_bytes / 1048576:g}"}
    return _("Tệp quá lớn (%(size)s MB); chỉ nhận tệp đến %(max)s MB.") % {
        key: value.replace(".", ",") for key, value in megabytes.items()
    }


def _pick_sheet(workbook: Any, sheet: str | int | None) -> Any:
    sheets = workbook.worksheets
    if not sheets:
        raise ExcelError(_("Tệp không có trang tính nào."))
    if sheet is None:
        return sheets[0]
    if isinstance(sheet, int):
        if 0 <= sheet < len(sheets):
            return sheets[sheet]
    else:
        for candidate in sheets:
            if candidate.title == sheet or search_key(candidate.title) == search_key(sheet):
                return candidate
    raise ExcelError(_("Không tìm thấy trang tính “%(sheet)s” trong tệp.") % {"sheet": sheet})


def _rows(worksheet: Any, min_row: int, max_row: int | None = None) -> Iterator[tuple]:
    """Row value tuples; a damaged sheet discovered mid-way is reported like an unreadable file."""
    iterator = worksheet.iter_rows(min_row=min_row, max_row=max_row, values_only=True)
    while True:
        try:
            values = next(iterator)
        except StopIteration:
            return
        except Exception as exc:
            raise ExcelError(_("Tệp không phải là tệp Excel (.xlsx) hợp lệ.")) from exc
        yield values


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value.translate(_INVISIBLE)).strip()
        return value or None
    return value


def _match_header(values: tuple, columns: Sequence[Column], row_number: int):
    """{column key: 0-based index} and the header errors for one candidate header row."""
    found: dict[str, list[int]] = {}
    keys_by_column = [(column, column.header_keys()) for column in columns]
    for index, value in enumerate(values):
        key = _header_key(value)
        if not key:
            continue
        for column, keys in keys_by_column:
            if key in keys:
                found.setdefault(column.key, []).append(index)
                break
    positions: dict[str, int] = {}
    errors: list[CellError] = []
    for column in columns:
        indexes = found.get(column.key, [])
        if not indexes:
            if column.required:
                errors.append(
                    CellError(
                        row=row_number,
                        column=None,
                        header=column.label,
                        message=_("thiếu cột bắt buộc “%(label)s” ở dòng tiêu đề") % {"label": column.label},
                    )
                )
            continue
        positions[column.key] = indexes[0]
        if len(indexes) > 1:
            letters = ", ".join(get_column_letter(index + 1) for index in indexes)
            errors.append(
                CellError(
                    row=row_number,
                    column=get_column_letter(indexes[1] + 1),
                    header=column.label,
                    message=_("cột “%(label)s” xuất hiện nhiều lần (cột %(letters)s)")
                    % {"label": column.label, "letters": letters},
                )
            )
    return positions, errors


def _find_header(worksheet: Any, columns: Sequence[Column], header_row: int | None):
    if header_row is not None:
        if header_row < 1:
            raise ValueError("header_row is 1-based")
        header = _rows(worksheet, header_row, header_row)
        values = next(header, ())
        header.close()
        return header_row, *_match_header(values, columns, header_row)
    best = None
    for row_number, values in enumerate(_rows(worksheet, 1, HEADER_SEARCH_ROWS), start=1):
        positions, errors = _match_header(values, columns, row_number)
        if positions and (best is None or len(positions) > len(best[1])):
            best = (row_number, positions, errors)
    if best is None:
        labels = ", ".join(f"“{column.label}”" for column in columns if column.required) or ", ".join(
            f"“{column.label}”" for column in columns
        )
        error = CellError(
            row=1,
            column=None,
            header="",
            message=_("không tìm thấy dòng tiêu đề (cần các cột %(labels)s)") % {"labels": labels},
        )
        return 1, {}, [error]
    return best


def _read_sheet(worksheet: Any, columns: Sequence[Column], header_row: int | None, max_rows: int) -> TableResult:
    header_row, positions, header_errors = _find_header(worksheet, columns, header_row)
    if any(error.column is None for error in header_errors):
        return TableResult([], header_errors, header_row)

    plan = [
        (column, positions[column.key], get_column_letter(positions[column.key] + 1))
        for column in columns
        if column.key in positions
    ]
    rows: list[Row] = []
    errors = list(header_errors)
    for row_number, values in enumerate(_rows(worksheet, header_row + 1), start=header_row + 1):
        cells = [
            (column, letter, _clean(values[index]) if index < len(values) else None) for column, index, letter in plan
        ]
        if all(value is None for _column, _letter, value in cells):
            continue
        if len(rows) >= max_rows:
            raise ExcelError(
                _("Tệp có quá nhiều dòng dữ liệu: chỉ nhận tối đa %(max)s dòng mỗi lần.")
                % {"max": _format_number(max_rows)}
            )
        record = {column.key: None for column in columns}
        row_errors: list[CellError] = []
        for column, letter, value in cells:
            if value is None:
                if column.required:
                    row_errors.append(CellError(row_number, letter, column.label, _("không được để trống")))
                continue
            try:
                record[column.key] = column.parser(value)
            except CellValueError as exc:
                row_errors.append(CellError(row_number, letter, column.label, str(exc), value))
            except ValidationError as exc:
                row_errors.append(CellError(row_number, letter, column.label, "; ".join(exc.messages), value))
        rows.append(Row(row_number, record, row_errors))
        errors.extend(row_errors)
    return TableResult(rows, errors, header_row)


# Writing ------------------------------------------------------------------------------------

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_THIN = Side(style="thin", color="A6A6A6")
_HEADER_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
_TITLE_FONT = Font(bold=True, size=14)
_EXAMPLE_FONT = Font(italic=True, color="808080")
_REQUIRED_FONT = Font(bold=True, color="C00000")
_MIN_WIDTH, _MAX_WIDTH = 8, 60
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _creator() -> str:
    return getattr(settings, "DIALOGUE_SITE_NAME", "") or "Đối thoại"


def _style_header(cell: Any) -> None:
    cell.font, cell.fill, cell.border, cell.alignment = _HEADER_FONT, _HEADER_FILL, _HEADER_BORDER, _HEADER_ALIGNMENT


def _sheet_title(name: str) -> str:
    # Excel refuses these characters and names over 31 characters.
    cleaned = _SHEET_NAME_FORBIDDEN.sub(" ", nfc(name)).strip("' ")[:31].strip()
    return cleaned or "Sheet1"


def _excel_value(value: Any) -> tuple[Any, str | None]:
    """(what openpyxl should store, number format) for one Python value."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        return (_("Có") if value else _("Không")), None
    if isinstance(value, datetime.datetime):
        # Excel has no time zones: write the wall-clock time in Việt Nam.
        if timezone.is_aware(value):
            value = timezone.make_naive(value)
        return value, DATETIME_FORMAT
    if isinstance(value, datetime.date):
        return value, DATE_FORMAT
    if isinstance(value, (int, float, Decimal)):
        return value, None
    text_value = ILLEGAL_CHARACTERS_RE.sub("", unicodedata.normalize("NFC", str(value)))
    return text_value[:MAX_CELL_CHARS], None


def _display_length(value: Any) -> int:
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, datetime.date):
        return 10
    text_value = "" if value is None else str(value)
    return max((len(line) for line in text_value.splitlines()), default=0)


def _row_values(row: Any, columns: Sequence[Column]) -> list[Any]:
    if isinstance(row, Mapping):
        return [row.get(column.key) for column in columns]
    values = list(row)
    return [values[index] if index < len(values) else None for index in range(len(columns))]


def _widths(columns: Sequence[Column], rows: list[list[Any]]) -> list[float]:
    widths = []
    for index, column in enumerate(columns):
        if column.width:
            widths.append(column.width)
            continue
        # A sample is enough to size a column; long text wraps rather than widening it further.
        longest = max((_display_length(values[index]) for values in rows[:500]), default=0)
        header = max((len(word) for word in column.label.split()), default=0)
        widths.append(min(_MAX_WIDTH, max(_MIN_WIDTH, header + 2, longest + 2, min(len(column.label), 24) + 2)))
    return widths


def _set_cell(worksheet: Any, row: int, column: int, value: Any) -> Any:
    stored, number_format = _excel_value(value)
    cell = worksheet.cell(row=row, column=column, value=stored)
    if isinstance(stored, str) and stored.startswith("="):
        # Text from users must never become a live formula in someone else's Excel.
        cell.data_type = "s"
    if number_format:
        cell.number_format = number_format
    return cell


def write_table(
    columns: Sequence[Column],
    rows: Iterable[Mapping[str, Any] | Sequence[Any]],
    *,
    title: str = "",
    sheet_name: str | None = None,
) -> bytes:
    """An .xlsx file with one sheet: an optional title (row 1), then the header row (row 3 with a
    title, row 1 without), frozen and filterable, then one row per item.

    A row is a mapping keyed by `Column.key` or a sequence in column order. Dates are written
    as Excel dates shown dd/mm/yyyy, aware datetimes in local time, booleans as Có/Không,
    text NFC; a text starting with "=" stays text. `read_table(..., header_row=None)` reads the
    file back.
    """
    return write_workbook([Sheet(sheet_name or _("Dữ liệu"), columns, rows, title)], title=title)


@dataclass
class Sheet:
    """One sheet of `write_workbook`: a name (cut to Excel's 31 characters), its columns and rows,
    and an optional title written above the header."""

    name: str
    columns: Sequence[Column]
    rows: Iterable[Mapping[str, Any] | Sequence[Any]]
    title: str = ""


def write_workbook(sheets: Sequence[Sheet], *, title: str = "") -> bytes:
    """An .xlsx file with one sheet per `Sheet`, each written as `write_table` writes its one."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for sheet in sheets:
        name = _sheet_title(sheet.name)
        while name.lower() in used:  # Excel refuses two sheets of one name
            name = _sheet_title(f"{name[:27]} ({len(used)})")
        used.add(name.lower())
        _fill_sheet(workbook.create_sheet(name), sheet)
    workbook.properties.title = nfc(title) or None
    workbook.properties.creator = _creator()
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fill_sheet(worksheet: Any, sheet: Sheet) -> None:
    columns = sheet.columns
    materialized = [_row_values(row, columns) for row in sheet.rows]
    # The ordinary (not write-only) workbook writes the sheet's size up front, which keeps
    # reading the file back fast; for the thousands of rows exported here it is as quick.
    for index, width in enumerate(_widths(columns, materialized), start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = width
    header_row = 1
    if sheet.title:
        worksheet.cell(row=1, column=1, value=nfc(sheet.title)).font = _TITLE_FONT
        header_row = 3
    for index, column in enumerate(columns, start=1):
        _style_header(worksheet.cell(row=header_row, column=index, value=column.label))
    for offset, values in enumerate(materialized, start=1):
        for index, value in enumerate(values, start=1):
            if value is not None:
                _set_cell(worksheet, header_row + offset, index, value)
    worksheet.freeze_panes = f"A{header_row + 1}"
    if columns:
        last = get_column_letter(len(columns))
        worksheet.auto_filter.ref = f"A{header_row}:{last}{header_row + max(len(materialized), 1)}"


def template_workbook(columns: Sequence[Column], *, sheet_name: str | None = None, template_rows: int = 1000) -> bytes:
    """A blank import template: the header row (required columns marked "*" in red, each with a
    comment on its format), one example row in grey italics, cell formats that keep leading
    zeros and dates, drop-down lists for fixed choices, and a "Hướng dẫn" sheet in Vietnamese.

    The data sheet comes first, so `read_table` reads it by default; the header stays in row 1.
    """
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = _sheet_title(sheet_name or _("Mẫu nhập"))
    last_row = template_rows + 1
    widths = _widths(columns, [[column.example_value for column in columns]])
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        worksheet.column_dimensions[letter].width = max(widths[index - 1], len(column.label) + 4)

        header = worksheet.cell(row=1, column=index, value=f"{column.label} *" if column.required else column.label)
        _style_header(header)
        if column.required:
            header.font = _REQUIRED_FONT
        description = _describe(column)
        if description:
            header.comment = Comment(description, _creator(), width=300, height=120)

        number_format = getattr(column.parser, "number_format", None)
        if number_format:
            # Formatting the empty cells is what keeps the 0 of 0912345678 when users type it.
            for row in range(2, last_row + 1):
                worksheet.cell(row=row, column=index).number_format = number_format

        _set_cell(worksheet, 2, index, column.example_value).font = _EXAMPLE_FONT

        options_method = getattr(column.parser, "options", None)
        options = options_method() if callable(options_method) else None
        formula = '"' + ",".join(options) + '"' if options else ""
        # Excel's list validation holds at most 255 characters and cannot contain commas in items.
        if options and len(formula) <= 255 and not any("," in option or '"' in option for option in options):
            validation = DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False)
            validation.error = _("Chọn một giá trị trong danh sách.")
            validation.errorTitle = column.label
            validation.showErrorMessage = True
            validation.add(f"{letter}2:{letter}{last_row}")
            worksheet.add_data_validation(validation)
    worksheet.freeze_panes = "A2"
    worksheet.row_dimensions[1].height = 32

    _notes_sheet(workbook.create_sheet(_sheet_title(_("Hướng dẫn"))), columns)
    workbook.properties.creator = _creator()
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _describe(column: Column) -> str:
    parts = [getattr(column.parser, "description", "") or "", column.note]
    if column.required:
        parts.insert(0, _("Bắt buộc."))
    return "\n".join(part for part in parts if part)


def _notes_sheet(worksheet: Any, columns: Sequence[Column]) -> None:
    worksheet["A1"] = _("Hướng dẫn điền mẫu nhập dữ liệu")
    worksheet["A1"].font = _TITLE_FONT
    general = [
        _("Dòng 1 là dòng tiêu đề: giữ nguyên tên các cột; có thể đổi thứ tự cột, cột thừa được bỏ qua."),
        _("Dòng 2 là dòng ví dụ (chữ nghiêng màu xám): hãy xóa hoặc ghi đè trước khi nhập."),
        _("Cột có dấu * là bắt buộc. Dòng để trống hoàn toàn được bỏ qua."),
        _("Ngày ghi theo dạng ngày/tháng/năm, ví dụ 15/08/2025."),
        _("Số điện thoại ghi đủ số 0 ở đầu, ví dụ 0912345678 hoặc 02383844123."),
        _("Khi có lỗi, hệ thống chỉ rõ dòng và cột cần sửa; chưa có dữ liệu nào được ghi cho đến khi xác nhận."),
    ]
    for offset, line in enumerate(general, start=3):
        worksheet.cell(row=offset, column=1, value=f"• {line}")
    table_row = len(general) + 4
    headings = [_("Cột"), _("Bắt buộc"), _("Định dạng, giá trị hợp lệ"), _("Ví dụ"), _("Ghi chú")]
    for index, heading in enumerate(headings, start=1):
        _style_header(worksheet.cell(row=table_row, column=index, value=heading))
    wrap = Alignment(wrap_text=True, vertical="top")
    for offset, column in enumerate(columns, start=1):
        values = [
            column.label,
            _("Có") if column.required else _("Không"),
            getattr(column.parser, "description", "") or "",
            column.example_value,
            column.note,
        ]
        for index, value in enumerate(values, start=1):
            _set_cell(worksheet, table_row + offset, index, value).alignment = wrap
    for letter, width in zip("ABCDE", (28, 10, 50, 22, 40), strict=True):
        worksheet.column_dimensions[letter].width = width


# HTTP ---------------------------------------------------------------------------------------

_FILENAME_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|]')
_ASCII_FOLD = str.maketrans({"đ": "d", "Đ": "D"})


def _ascii_filename(name: str) -> str:
    decomposed = unicodedata.normalize("NFD", name.translate(_ASCII_FOLD))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^A-Za-z0-9 ._()\-]", "_", stripped)


def content_disposition(filename: str, *, attachment: bool = True) -> str:
    """A Content-Disposition value carrying a Vietnamese file name: an ASCII `filename` for old
    clients and the exact UTF-8 name in `filename*` (RFC 6266 / RFC 5987)."""
    clean = _FILENAME_UNSAFE.sub(" ", nfc(filename)).strip(" .") or "tep"
    fallback = _ascii_filename(clean)
    disposition = "attachment" if attachment else "inline"
    if fallback == clean:
        return f'{disposition}; filename="{clean}"'
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{urllib.parse.quote(clean, safe='')}"


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """A download of `content` as `filename` (".xlsx" added when missing)."""
    if not filename.lower().endswith(".xlsx"):
        filename = f"{filename}.xlsx"
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    response["Content-Length"] = str(len(content))
    return response
