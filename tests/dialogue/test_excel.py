"""dialogue.excel: reading with errors by row and column, writing, templates, downloads."""

from __future__ import annotations

import datetime
import io
import time
import unicodedata
import urllib.parse
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from dialogue import excel
from dialogue.excel import CellError, Column, ExcelError, read_table, write_table

DELEGATE_COLUMNS = [
    Column("full_name", "Họ và tên", aliases=("Họ tên",), required=True, example="Nguyễn Văn An"),
    Column("birth_date", "Ngày sinh", parser=excel.date()),
    Column("phone", "Số điện thoại", aliases=("SĐT", "Điện thoại"), required=True, parser=excel.phone()),
    Column("email", "Thư điện tử", aliases=("Email",), parser=excel.email()),
    Column("seats", "Số người đi cùng", parser=excel.integer(min_value=0, max_value=10)),
    Column("gender", "Giới tính", parser=excel.choice([("male", "Nam"), ("female", "Nữ")])),
]


def xlsx(*rows, title: str = "Sheet1") -> bytes:
    """An .xlsx file whose first sheet holds `rows` from row 1."""
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = title
    for row in rows:
        worksheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


HEADER = ("Họ và tên", "Ngày sinh", "Số điện thoại", "Thư điện tử", "Số người đi cùng", "Giới tính")


# Reading --------------------------------------------------------------------------------------


def test_reads_clean_rows_with_excel_row_numbers():
    content = xlsx(
        HEADER,
        ("Nguyễn Văn An", datetime.datetime(1975, 5, 19), "0912 345 678", "An@Example.VN", 2, "Nam"),
        ("Trần Thị Bình", "02/09/1980", "+84 38 123 4567", None, None, "nữ"),
    )
    result = read_table(content, DELEGATE_COLUMNS)

    assert result.ok, [str(error) for error in result.errors]
    rows, errors = result  # unpacks like a pair
    assert rows is result.rows and errors == []
    first, second = result.rows
    assert first.number == 2 and second.number == 3
    assert first == {
        "full_name": "Nguyễn Văn An",
        "birth_date": datetime.date(1975, 5, 19),
        "phone": "0912345678",
        "email": "An@example.vn",
        "seats": 2,
        "gender": "male",
    }
    assert second["birth_date"] == datetime.date(1980, 9, 2)
    assert second["phone"] == "0381234567"
    assert second["email"] is None and second["seats"] is None
    assert second["gender"] == "female"


def test_errors_name_row_column_and_header_for_every_bad_cell():
    content = xlsx(
        HEADER,
        ("Nguyễn Văn An", "19/05/1975", "0912345678", "an@example.vn", 1, "Nam"),  # row 2, fine
        ("Lê Văn Cường", "31/02/1980", "0912345678", "an@example.vn", 1, "Nam"),  # row 3: impossible date
        ("Phạm Thị Dung", "1980-13-01", "0912345678", "không phải thư", 1, "Nam"),  # row 4: date, e-mail
        (None, None, "0912345678", None, "ba", "Khác"),  # row 5: no name, not a number, bad choice
        ("Võ Văn Em", None, None, None, 11, None),  # row 6: no phone, too many seats
        ("Hồ Thị Phương", None, "0123456789", None, None, None),  # row 7: bad phone
    )
    result = read_table(content, DELEGATE_COLUMNS)

    found = {(error.row, error.column, error.header) for error in result.errors}
    assert found == {
        (3, "B", "Ngày sinh"),
        (4, "B", "Ngày sinh"),
        (4, "D", "Thư điện tử"),
        (5, "A", "Họ và tên"),
        (5, "E", "Số người đi cùng"),
        (5, "F", "Giới tính"),
        (6, "C", "Số điện thoại"),
        (6, "E", "Số người đi cùng"),
        (7, "C", "Số điện thoại"),
    }
    messages = [str(error) for error in result.errors]
    assert "Dòng 7, cột C (Số điện thoại): số điện thoại không hợp lệ" in messages
    assert "Dòng 6, cột C (Số điện thoại): không được để trống" in messages
    assert "Dòng 5, cột A (Họ và tên): không được để trống" in messages
    assert "Dòng 5, cột E (Số người đi cùng): cần là một số nguyên" in messages
    assert "Dòng 6, cột E (Số người đi cùng): không được lớn hơn 10" in messages
    assert "Dòng 3, cột B (Ngày sinh): ngày 31/02/1980 không có trên lịch" in messages
    assert any(
        message.startswith("Dòng 5, cột F (Giới tính): giá trị không có trong danh sách") for message in messages
    )

    # Every row is returned, bad cells as None, so a preview can mark each row.
    assert [row.number for row in result.rows] == [2, 3, 4, 5, 6, 7]
    assert [row.number for row in result.valid_rows] == [2]
    row_seven = result.rows[-1]
    assert row_seven["phone"] is None and row_seven["full_name"] == "Hồ Thị Phương"
    assert row_seven.errors[0].value == "0123456789"


def test_header_aliases_without_diacritics_any_case_and_order():
    content = xlsx(
        ("STT", "so dien thoai", "HO VA TEN", "ngay sinh", "Ghi chú"),
        (1, "0987654321", "Đỗ Thị Hoa", "05/08/2023", "cột thừa bị bỏ qua"),
    )
    result = read_table(content, DELEGATE_COLUMNS)

    assert result.ok
    assert result.rows[0]["full_name"] == "Đỗ Thị Hoa"
    assert result.rows[0]["phone"] == "0987654321"
    assert result.rows[0]["birth_date"] == datetime.date(2023, 8, 5)


@pytest.mark.parametrize("header", ["SĐT", "sdt", "Điện thoại", "Số điện thoại *", "  Số  ĐIỆN thoại: "])
def test_phone_header_variants(header):
    result = read_table(xlsx(("Họ tên", header), ("A", "0912345678")), DELEGATE_COLUMNS)
    assert result.ok and result.rows[0]["phone"] == "0912345678"


def test_nfd_text_and_headers_are_normalised_to_nfc():
    name = unicodedata.normalize("NFD", "  Nguyễn   Thị Ánh  ")
    header = unicodedata.normalize("NFD", "Họ và tên")
    result = read_table(xlsx((header, "Số điện thoại"), (name, "0912345678")), DELEGATE_COLUMNS)

    value = result.rows[0]["full_name"]
    assert value == "Nguyễn Thị Ánh"
    assert unicodedata.is_normalized("NFC", value)


def test_missing_required_header_is_one_error_naming_it():
    result = read_table(xlsx(("Họ và tên", "Ngày sinh"), ("A", "01/01/2000")), DELEGATE_COLUMNS)

    assert result.rows == []
    [error] = result.errors
    assert error.row == 1 and error.column is None and error.header == "Số điện thoại"
    assert str(error) == "Dòng 1: thiếu cột bắt buộc “Số điện thoại” ở dòng tiêu đề"


def test_duplicate_header_is_reported():
    result = read_table(
        xlsx(("Họ và tên", "Số điện thoại", "SĐT"), ("A", "0912345678", "0987654321")), DELEGATE_COLUMNS
    )
    [error] = result.errors
    assert (error.row, error.column, error.header) == (1, "C", "Số điện thoại")
    assert "nhiều lần" in error.message


def test_empty_rows_skipped_and_whitespace_trimmed():
    content = xlsx(
        HEADER,
        (None, None, None, None, None, None),
        ("  Lê Văn Tám \n", None, " 0912345678 ", None, None, None),
        ("", "   ", None, None, None, None),  # blank strings count as empty
        (None,),
        ("Mai Văn Chín", None, "\u200b0903123456", None, None, None),  # zero-width space from the web
    )
    result = read_table(content, DELEGATE_COLUMNS)

    assert result.ok
    assert [(row.number, row["full_name"], row["phone"]) for row in result.rows] == [
        (3, "Lê Văn Tám", "0912345678"),
        (6, "Mai Văn Chín", "0903123456"),
    ]


def test_row_with_only_unrecognised_columns_is_empty():
    # Templates often come with the "STT" column numbered in advance.
    result = read_table(
        xlsx(("STT", "Họ và tên", "Số điện thoại"), (1, "A", "0912345678"), (2, None, None)), DELEGATE_COLUMNS
    )
    assert [row.number for row in result.rows] == [2]


def test_header_row_can_be_given_or_found():
    content = xlsx(("DANH SÁCH ĐẠI BIỂU",), (), ("Họ và tên", "Số điện thoại"), ("A", "0912345678"))

    assert read_table(content, DELEGATE_COLUMNS, header_row=3).rows[0]["full_name"] == "A"
    found = read_table(content, DELEGATE_COLUMNS, header_row=None)
    assert found.header_row == 3 and found.rows[0].number == 4
    assert read_table(content, DELEGATE_COLUMNS).errors[0].message.startswith("thiếu cột bắt buộc")


def test_sheet_by_name_without_accents_or_index():
    workbook = Workbook()
    workbook.active.append(["Ghi chú"])
    second = workbook.create_sheet("Đại biểu")
    second.append(["Họ và tên", "Số điện thoại"])
    second.append(["B", "0912345678"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    assert read_table(buffer.getvalue(), DELEGATE_COLUMNS, sheet="dai bieu").rows[0]["full_name"] == "B"
    assert read_table(buffer.getvalue(), DELEGATE_COLUMNS, sheet=1).rows[0]["full_name"] == "B"
    with pytest.raises(ExcelError, match="Không tìm thấy trang tính"):
        read_table(buffer.getvalue(), DELEGATE_COLUMNS, sheet="Không có")


def test_reads_a_django_upload_and_a_path(tmp_path):
    content = xlsx(("Họ và tên", "Số điện thoại"), ("C", 912345678))  # Excel dropped the leading 0
    upload = SimpleUploadedFile("dai-bieu.xlsx", content)
    assert read_table(upload, DELEGATE_COLUMNS).rows[0]["phone"] == "0912345678"

    path = tmp_path / "dai-bieu.xlsx"
    path.write_bytes(content)
    assert read_table(path, DELEGATE_COLUMNS).rows[0]["full_name"] == "C"
    assert read_table(str(path), DELEGATE_COLUMNS).rows[0]["full_name"] == "C"


def _zip_without_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "không phải Excel")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        "Họ và tên,Số điện thoại\nA,0912345678\n".encode(),  # a CSV renamed .xlsx
        b"%PDF-1.7 not a spreadsheet",
        b"",
        _zip_without_workbook(),
        xlsx(("Họ và tên",))[:200],  # a truncated upload
    ],
    ids=["csv", "pdf", "empty", "zip", "truncated"],
)
def test_not_an_xlsx_file_raises_a_clear_error(content):
    upload = SimpleUploadedFile("danh-sach.xlsx", content)
    with pytest.raises(ExcelError, match=r"Tệp không phải là tệp Excel \(\.xlsx\) hợp lệ"):
        read_table(upload, DELEGATE_COLUMNS)


def test_old_xls_file_gets_a_hint_to_save_as_xlsx():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
    with pytest.raises(ExcelError, match=r"hợp lệ.*\.xls"):
        read_table(ole, DELEGATE_COLUMNS)


def test_size_and_row_limits():
    rows = [(f"Người {index}", "0912345678") for index in range(30)]
    content = xlsx(("Họ và tên", "Số điện thoại"), *rows)

    with pytest.raises(ExcelError, match="Tệp quá lớn"):
        read_table(content, DELEGATE_COLUMNS, max_bytes=1024)
    with pytest.raises(ExcelError, match="tối đa 20 dòng"):
        read_table(content, DELEGATE_COLUMNS, max_rows=20)
    assert len(read_table(content, DELEGATE_COLUMNS, max_rows=30).rows) == 30


def test_zip_bomb_is_refused(monkeypatch):
    monkeypatch.setattr(excel, "MAX_UNCOMPRESSED_BYTES", 2000)
    with pytest.raises(ExcelError, match="quá nhiều dữ liệu"):
        read_table(xlsx(("Họ và tên", "Số điện thoại"), ("A", "0912345678")), DELEGATE_COLUMNS)


def test_a_thousand_rows_read_quickly():
    rows = [
        (f"Nguyễn Văn {index}", datetime.datetime(1980, 1, 1), f"09{index:08d}", f"a{index}@example.vn", 1, "Nam")
        for index in range(1500)
    ]
    content = xlsx(HEADER, *rows)
    started = time.perf_counter()
    result = read_table(content, DELEGATE_COLUMNS)
    elapsed = time.perf_counter() - started

    assert result.ok and len(result.rows) == 1500
    assert elapsed < 1.0, f"reading 1,500 rows took {elapsed:.2f}s"


def test_custom_parser_may_raise_validation_error():
    def agency_code(value):
        if value != "na-yte":
            raise ValidationError("không có cơ quan mã “%(code)s”", params={"code": value})
        return value

    columns = [Column("agency", "Mã cơ quan", required=True, parser=agency_code)]
    result = read_table(xlsx(("Mã cơ quan",), ("na-yte",), ("na-xyz",)), columns)
    assert [str(error) for error in result.errors] == ["Dòng 3, cột A (Mã cơ quan): không có cơ quan mã “na-xyz”"]


def test_cell_error_str():
    error = CellError(row=7, column="C", header="Số điện thoại", message="số điện thoại không hợp lệ")
    assert str(error) == "Dòng 7, cột C (Số điện thoại): số điện thoại không hợp lệ"


# Parsers --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0912345678", "0912345678"),
        ("0912 345 678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("091-234-5678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("+84 (0) 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0084912345678", "0912345678"),
        (912345678, "0912345678"),  # a General cell drops the leading zero
        (912345678.0, "0912345678"),
        ("0321234567", "0321234567"),
        ("0561234567", "0561234567"),
        ("0701234567", "0701234567"),
        ("0861234567", "0861234567"),
        ("02383844123", "02383844123"),  # Nghệ An landline
        ("024 3825 1234", "02438251234"),  # Hà Nội landline
        ("+84 238 3844 123", "02383844123"),
        (2383844123, "02383844123"),
    ],
)
def test_phone_numbers_are_normalised(raw, expected):
    assert excel.normalize_phone(raw) == expected
    assert excel.phone()(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "0123456789",  # old 11-digit mobile prefix, now invalid
        "0612345678",  # 06 is not a mobile prefix
        "091234567",  # too short
        "09123456789",  # too long
        "0238384412",  # landline one digit short
        "+1 202 555 0100",  # not Vietnamese
        "0912345678 / 0987654321",  # two numbers in one cell
        "số máy lẻ 12",
        "０９１２３４５６７８",  # full-width digits
        1.5,
        True,
    ],
)
def test_invalid_phone_numbers(raw):
    assert excel.normalize_phone(raw) is None
    with pytest.raises(excel.CellValueError, match="số điện thoại không hợp lệ"):
        excel.phone()(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (datetime.datetime(2024, 2, 10, 0, 0), datetime.date(2024, 2, 10)),
        (datetime.date(2024, 2, 10), datetime.date(2024, 2, 10)),
        ("10/02/2024", datetime.date(2024, 2, 10)),
        ("5/8/2023", datetime.date(2023, 8, 5)),
        ("05-08-2023", datetime.date(2023, 8, 5)),
        ("05.08.2023", datetime.date(2023, 8, 5)),
        ("2023-08-05", datetime.date(2023, 8, 5)),
    ],
)
def test_dates_are_day_first(raw, expected):
    assert excel.date()(raw) == expected


@pytest.mark.parametrize("raw", ["31/02/2024", "13/13/2024", "2024-02-30", "10/02/24", "mười tháng hai", 45000, 1.5])
def test_bad_dates(raw):
    with pytest.raises(excel.CellValueError, match="ngày"):
        excel.date()(raw)


@pytest.mark.parametrize(("raw", "expected"), [(12, 12), (12.0, 12), ("12", 12), ("1.000", 1000), ("1 000", 1000)])
def test_integers(raw, expected):
    assert excel.integer()(raw) == expected


@pytest.mark.parametrize("raw", [1.5, "1,5", "12a", True, "1.00"])
def test_bad_integers(raw):
    with pytest.raises(excel.CellValueError):
        excel.integer()(raw)


def test_text_parser():
    assert excel.text()(12345.0) == "12345"
    assert excel.text()("a \t b") == "a b"
    assert excel.text(multiline=True)("Dòng một  \n  Dòng   hai\n") == "Dòng một\nDòng hai"
    with pytest.raises(excel.CellValueError, match="dài quá 5 ký tự"):
        excel.text(max_length=5)("Nghệ An")


def test_choice_accepts_labels_values_and_aliases_without_accents():
    from directory.models import Role

    parse = excel.choice(Role, aliases={"btc": Role.ORGANIZER})
    assert parse("Ban tổ chức") == Role.ORGANIZER
    assert parse("ban to chuc") == Role.ORGANIZER
    assert parse("organizer") == Role.ORGANIZER
    assert parse("BTC") == Role.ORGANIZER
    with pytest.raises(excel.CellValueError, match="không có trong danh sách"):
        parse("Khách mời")
    assert excel.choice(["Nam", "Nữ"])("nu") == "Nữ"
    assert excel.choice({1: "Một", 2: "Hai"})("hai") == 2


@pytest.mark.parametrize(("raw", "expected"), [("Có", True), ("co", True), ("x", True), ("Không", False), (0, False)])
def test_boolean(raw, expected):
    assert excel.boolean()(raw) is expected


def test_email():
    assert excel.email()("mailto:Lan@Example.VN") == "Lan@example.vn"
    with pytest.raises(excel.CellValueError, match="thư điện tử không hợp lệ"):
        excel.email()("lan@")


# Writing --------------------------------------------------------------------------------------


def test_write_then_read_round_trip_with_dates_and_vietnamese_text():
    rows = [
        {
            "full_name": "Nguyễn Thị Hoà",
            "birth_date": datetime.date(1968, 2, 10),
            "phone": "0912345678",
            "email": "hoa@example.vn",
            "seats": 0,
            "gender": "Nữ",
        },
        ["Đặng Văn Đức", datetime.date(2000, 12, 31), "02383844123", None, 3, "Nam"],  # a sequence row
    ]
    content = write_table(DELEGATE_COLUMNS, rows, title="Danh sách đại biểu dự đối thoại", sheet_name="Đại biểu")

    result = read_table(content, DELEGATE_COLUMNS, header_row=None)
    assert result.ok, [str(error) for error in result.errors]
    assert result.header_row == 3
    assert [row.number for row in result.rows] == [4, 5]
    assert result.rows[0]["full_name"] == "Nguyễn Thị Hoà"
    assert result.rows[0]["birth_date"] == datetime.date(1968, 2, 10)
    assert result.rows[0]["gender"] == "female"
    assert result.rows[1]["full_name"] == "Đặng Văn Đức"
    assert result.rows[1]["phone"] == "02383844123"
    assert read_table(content, DELEGATE_COLUMNS, header_row=3).rows == result.rows

    # The dates are real Excel dates shown day first, the header bold and frozen.
    worksheet = load_workbook(io.BytesIO(content))["Đại biểu"]
    assert worksheet["A1"].value == "Danh sách đại biểu dự đối thoại"
    assert worksheet["B4"].is_date and worksheet["B4"].number_format == "dd/mm/yyyy"
    assert worksheet["A3"].font.bold
    assert worksheet.freeze_panes == "A4"
    assert worksheet["C4"].data_type == "s" and worksheet["C4"].value == "0912345678"
    assert worksheet.column_dimensions["A"].width >= len("Nguyễn Thị Hoà")


def test_write_without_title_puts_header_in_row_one():
    content = write_table(DELEGATE_COLUMNS, [{"full_name": "A", "phone": "0912345678"}], sheet_name="a/b:c*d?")
    workbook = load_workbook(io.BytesIO(content))
    worksheet = workbook.worksheets[0]
    assert worksheet.title == "a b c d"
    assert worksheet.freeze_panes == "A2"
    assert read_table(content, DELEGATE_COLUMNS).rows[0]["full_name"] == "A"


def test_write_values_of_other_types():
    columns = [Column("value", "Giá trị")]
    aware = datetime.datetime(2024, 2, 9, 17, 30, tzinfo=datetime.UTC)  # 00:30 on 10/02 in Hà Nội
    content = write_table(columns, [[aware], [True], ['=HYPERLINK("http://x")'], ["a\x01b"], [None]])
    worksheet = load_workbook(io.BytesIO(content)).active

    assert worksheet["A2"].value == datetime.datetime(2024, 2, 10, 0, 30)
    assert worksheet["A2"].number_format == "dd/mm/yyyy hh:mm"
    assert worksheet["A3"].value == "Có"
    # User text that looks like a formula stays text.
    assert worksheet["A4"].data_type == "s"
    assert worksheet["A5"].value == "ab"
    assert worksheet["A6"].value is None


def test_template_workbook():
    content = excel.template_workbook(DELEGATE_COLUMNS)
    workbook = load_workbook(io.BytesIO(content))

    assert workbook.sheetnames == ["Mẫu nhập", "Hướng dẫn"]
    sheet = workbook["Mẫu nhập"]
    assert sheet["A1"].value == "Họ và tên *" and sheet["B1"].value == "Ngày sinh"
    assert sheet["C1"].comment is not None and "Bắt buộc" in sheet["C1"].comment.text
    assert sheet["C3"].number_format == "@"  # keeps the leading 0 typed by users
    assert sheet["B3"].number_format == "dd/mm/yyyy"
    assert [validation.formula1 for validation in sheet.data_validations.dataValidation] == ['"Nam,Nữ"']
    notes = [cell for row in workbook["Hướng dẫn"].iter_rows(values_only=True) for cell in row if cell]
    assert "Số người đi cùng" in notes
    assert any("dòng ví dụ" in str(note).lower() for note in notes)

    # The template reads back with its own headers ("*" and all); the example row is valid.
    result = read_table(content, DELEGATE_COLUMNS)
    assert result.ok, [str(error) for error in result.errors]
    assert result.rows[0]["full_name"] == "Nguyễn Văn An"
    assert len(result.rows) == 1  # the formatted empty rows are skipped


def test_xlsx_response_with_vietnamese_filename():
    response = excel.xlsx_response(b"PK...", "Danh sách đại biểu Nghệ An")

    assert response["Content-Type"] == excel.XLSX_CONTENT_TYPE
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="Danh sach dai bieu Nghe An.xlsx"; ')
    assert disposition.endswith("filename*=UTF-8''" + urllib.parse.quote("Danh sách đại biểu Nghệ An.xlsx"))
    assert disposition.isascii()
    assert response.content == b"PK..."


def test_content_disposition_is_safe():
    assert excel.content_disposition("bao-cao.xlsx") == 'attachment; filename="bao-cao.xlsx"'
    evil = excel.content_disposition('a"\r\nSet-Cookie: x/../b.xlsx')
    assert "\r" not in evil and "\n" not in evil and "/" not in evil.split("filename*")[0]
    assert evil.count('"') == 2
