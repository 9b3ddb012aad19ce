"""dialogue.uploads: files judged by their content, a size limit from the settings, safe names,
and private downloads."""

from __future__ import annotations

import io
import re
import unicodedata
import urllib.parse
import zipfile

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from PIL import Image

from dialogue import uploads
from dialogue.uploads import ValidatedFileField, check_upload, private_file_response, safe_filename

REFUSED_TYPE = "Loại tệp không được phép: chỉ nhận PDF, DOCX, XLSX, JPG, PNG"


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format=fmt)
    return buffer.getvalue()


def zip_bytes(names: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, text in names.items():
            package.writestr(name, text)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": '<?xml version="1.0"?><Types/>',
            "_rels/.rels": "<Relationships/>",
            "word/document.xml": "<w:document/>",
        }
    )


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active["A1"] = "Nhiệm vụ"
    workbook.save(buffer)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("name", "content", "content_type", "saved_as"),
    [
        ("Kế hoạch.pdf", pdf_bytes(), uploads.PDF, "Kế hoạch.pdf"),
        ("Báo cáo.docx", docx_bytes(), uploads.DOCX, "Báo cáo.docx"),
        ("Danh sách.xlsx", xlsx_bytes(), uploads.XLSX, "Danh sách.xlsx"),
        ("Ảnh hội trường.JPEG", image_bytes("JPEG"), uploads.JPEG, "Ảnh hội trường.jpeg"),
        ("so-do.png", image_bytes("PNG"), uploads.PNG, "so-do.png"),
    ],
)
def test_each_allowed_type_is_accepted(name, content, content_type, saved_as):
    checked = check_upload(upload(name, content))
    assert checked.content_type == content_type
    assert checked.name == saved_as
    assert checked.size == len(content)


def test_type_comes_from_content_not_name():
    # A PNG whose name says PDF is a PNG, and its name stops pretending.
    checked = check_upload(upload("bien-ban.pdf", image_bytes("PNG")))
    assert checked.content_type == uploads.PNG
    assert checked.name == "bien-ban.pdf.png"


def test_program_renamed_pdf_is_refused():
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200 + b"This program cannot be run"
    with pytest.raises(ValidationError) as exc:
        check_upload(upload("Quyết định.pdf", exe))
    assert REFUSED_TYPE in exc.value.messages[0]


@pytest.mark.parametrize(
    "content",
    [
        zip_bytes({"readme.txt": "không phải văn bản Word"}),
        zip_bytes({"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p/>"}),
        b"PK\x03\x04 broken zip",
        b"<html><script>alert(1)</script></html>",
    ],
    ids=["plain-zip", "pptx", "broken-zip", "html"],
)
def test_other_files_are_refused(content):
    with pytest.raises(ValidationError) as exc:
        check_upload(upload("Báo cáo.docx", content))
    assert REFUSED_TYPE in exc.value.messages[0]


def test_oversize_is_refused_with_the_default_limit():
    file = upload("lon.pdf", pdf_bytes())
    file.size = 20 * 1024 * 1024 + 1
    with pytest.raises(ValidationError) as exc:
        check_upload(file)
    assert "Tệp quá lớn: tối đa 20 MB" in exc.value.messages[0]


def test_limit_comes_from_the_setting(settings):
    settings.DIALOGUE_MAX_UPLOAD_MB = 1
    content = pdf_bytes() + b"0" * (1024 * 1024)
    with pytest.raises(ValidationError) as exc:
        check_upload(upload("lon.pdf", content))
    assert "Tệp quá lớn: tối đa 1 MB" in exc.value.messages[0]
    settings.DIALOGUE_MAX_UPLOAD_MB = 2
    assert check_upload(upload("lon.pdf", content)).content_type == uploads.PDF


def test_empty_file_is_refused():
    with pytest.raises(ValidationError, match="Tệp rỗng"):
        check_upload(upload("rong.pdf", b""))


def test_detection_leaves_the_file_at_its_start():
    file = upload("a.docx", docx_bytes())
    check_upload(file)
    assert file.read(4) == b"PK\x03\x04"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("C:\\Users\\Lan\\Desktop\\Báo cáo tiến độ.pdf", "Báo cáo tiến độ.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        (unicodedata.normalize("NFD", "Phương án y tế.pdf"), "Phương án y tế.pdf"),
        ('a<b>:"c"|?*.pdf', "a b c.pdf"),
        ("   .pdf", "tệp.pdf"),
        ("khong-duoi", "khong-duoi.pdf"),
        ("bao-cao.pdf. ", "bao-cao.pdf"),
    ],
)
def test_safe_filename(name, expected):
    result = safe_filename(name, uploads.PDF)
    assert result == expected
    assert unicodedata.is_normalized("NFC", result)


def test_long_names_are_shortened_keeping_the_extension():
    result = safe_filename("Tài liệu " * 40 + ".xlsx", uploads.XLSX)
    assert len(result) <= uploads.MAX_NAME_LENGTH
    assert result.endswith(".xlsx")


class AttachmentForm(forms.Form):
    file = ValidatedFileField(label="Tệp")


def test_form_field_accepts_and_marks_the_file():
    form = AttachmentForm(data={}, files={"file": upload("/tmp/Biên bản.PDF", pdf_bytes())})
    assert form.is_valid(), form.errors
    file = form.cleaned_data["file"]
    assert file.checked.content_type == uploads.PDF
    assert file.name == "Biên bản.pdf"
    assert file.content_type == uploads.PDF
    assert file.checked.storage_name().endswith(".pdf")
    assert "accept" in form.fields["file"].widget.attrs


def test_form_field_refuses_with_vietnamese_message():
    form = AttachmentForm(data={}, files={"file": upload("virus.pdf", b"MZ" + b"\x00" * 64)})
    assert not form.is_valid()
    assert REFUSED_TYPE in form.errors["file"][0]


def test_storage_names_are_random():
    checked = check_upload(upload("Kế hoạch.pdf", pdf_bytes()))
    assert checked.storage_name() != checked.storage_name()
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", checked.storage_name())


def test_private_file_response_is_an_attachment(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    stored = storage.save("roadmap/abc.pdf", ContentFile(pdf_bytes()))

    class Holder:
        name = stored

        def open(self, mode="rb"):
            return storage.open(stored, mode)

    response = private_file_response(Holder(), "Kế hoạch số 1.pdf", uploads.PDF)
    assert response["Content-Type"] == uploads.PDF
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert urllib.parse.quote("Kế hoạch số 1.pdf") in disposition
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == pdf_bytes()
    response.file_to_stream.close()
