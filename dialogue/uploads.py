"""Uploaded files (attachments, evidence): checked by what they contain, stored under a name
nobody can guess, and handed out only through views that have checked permissions.

`check_upload(file)` reads the first bytes, not the name: a program renamed "bao-cao.pdf" is
refused. Allowed are PDF, DOCX, XLSX, JPG and PNG; DOCX and XLSX are zip packages, told apart
by their `[Content_Types].xml` and their `word/` or `xl/` parts, so any other zip is refused.
The size limit is the setting `DIALOGUE_MAX_UPLOAD_MB` (20 by default). The result carries the
detected content type and a safe display name (NFC, Vietnamese letters kept, no path, the
extension matching the content).

`ValidatedFileField` is the form field doing this; `private_file_response` streams a stored
file back as a download.
"""

from __future__ import annotations

import os
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from .excel import content_disposition

__all__ = [
    "ALLOWED_TYPES",
    "CheckedFile",
    "ValidatedFileField",
    "check_upload",
    "detect_type",
    "max_upload_bytes",
    "private_file_response",
    "safe_filename",
]

DEFAULT_MAX_UPLOAD_MB = 20
MAX_NAME_LENGTH = 150

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JPEG = "image/jpeg"
PNG = "image/png"

# Content type -> (label shown to users, extension written, extensions that already fit).
ALLOWED_TYPES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    PDF: ("PDF", "pdf", ("pdf",)),
    DOCX: ("DOCX", "docx", ("docx",)),
    XLSX: ("XLSX", "xlsx", ("xlsx",)),
    JPEG: ("JPG", "jpg", ("jpg", "jpeg")),
    PNG: ("PNG", "png", ("png",)),
}

_HEAD_BYTES = 16
_ZIP_MAGIC = b"PK\x03\x04"
# Characters Windows refuses in file names, plus control characters.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class CheckedFile:
    """What `check_upload` found: the type by content, a safe display name and the size."""

    content_type: str
    name: str
    size: int

    @property
    def extension(self) -> str:
        return ALLOWED_TYPES[self.content_type][1]

    def storage_name(self) -> str:
        """A random file name for storage: the path on disk tells nothing and cannot be guessed."""
        return f"{secrets.token_hex(16)}.{self.extension}"


def max_upload_bytes() -> int:
    return _max_upload_mb() * 1024 * 1024


def _max_upload_mb() -> int:
    return int(getattr(settings, "DIALOGUE_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB))


def _megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return str(int(value)) if value.is_integer() else f"{value:.1f}".replace(".", ",")


def _allowed_labels() -> str:
    return ", ".join(label for label, _ext, _aliases in ALLOWED_TYPES.values())


def _refused_type() -> ValidationError:
    return ValidationError(
        _("Loại tệp không được phép: chỉ nhận %(types)s.") % {"types": _allowed_labels()}, code="file_type"
    )


def detect_type(file: IO[bytes]) -> str | None:
    """The allowed content type `file` really holds, or None. Leaves the file at position 0."""
    file.seek(0)
    head = file.read(_HEAD_BYTES)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(_ZIP_MAGIC):
        try:
            return _office_type(file)
        finally:
            file.seek(0)
    return None


def _office_type(file: IO[bytes]) -> str | None:
    # Only the zip's directory is read; nothing is unpacked, so a zip bomb costs nothing here.
    try:
        with zipfile.ZipFile(file) as package:
            names = package.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def safe_filename(name: str, content_type: str) -> str:
    """A display name fit for a download: the last part of any path, NFC, no characters that
    file systems refuse, Vietnamese letters kept, and the extension of the content."""
    base = re.split(r"[\\/]", str(name or ""))[-1]
    base = unicodedata.normalize("NFC", base)
    # Trailing dots and spaces are dropped by Windows anyway; a leading dot may start ".pdf".
    base = _SPACES.sub(" ", _UNSAFE.sub(" ", base)).strip().rstrip(" .")
    stem, dot, extension = base.rpartition(".")
    if not dot:
        stem, extension = base, ""
    _label, written, fitting = ALLOWED_TYPES[content_type]
    if extension.lower() not in fitting:
        # A PNG named "anh.pdf" is saved as "anh.pdf.png": the name no longer lies about the content.
        stem, extension = base, written
    stem = stem.strip(" .") or _("tệp")
    stem = stem[: MAX_NAME_LENGTH - len(extension) - 1].rstrip(" .")
    return f"{stem}.{extension.lower()}"


def check_upload(file: Any, *, max_bytes: int | None = None) -> CheckedFile:
    """Check an uploaded file (Django's `UploadedFile` or any file object with `size`/`name`).
    Raises `ValidationError` with a Vietnamese message when it is empty, too large or not of
    an allowed type."""
    limit = max_bytes if max_bytes is not None else max_upload_bytes()
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, os.SEEK_END)
        size = file.tell()
        file.seek(0)
    if size == 0:
        raise ValidationError(_("Tệp rỗng: hãy chọn lại tệp."), code="empty")
    if size > limit:
        raise ValidationError(_("Tệp quá lớn: tối đa %(mb)s MB.") % {"mb": _megabytes(limit)}, code="file_size")
    content_type = detect_type(file)
    if content_type is None:
        raise _refused_type()
    name = safe_filename(getattr(file, "name", ""), content_type)
    return CheckedFile(content_type=content_type, name=name, size=size)


def store_upload(attachment: Any, upload: Any, *, by: Any = None) -> CheckedFile:
    """Check `upload` again (not only in the form), write it under a random storage name into
    `attachment.file` and fill the attachment's `original_name`, `content_type`, `size` and
    `uploaded_by`. The row is not saved: the caller saves it in its transaction and removes
    the stored file (`attachment.file.name`) if that transaction fails."""
    checked = getattr(upload, "checked", None) or check_upload(upload)
    attachment.original_name = checked.name
    attachment.content_type = checked.content_type
    attachment.size = checked.size
    attachment.uploaded_by = by
    upload.seek(0)
    attachment.file.save(checked.storage_name(), upload, save=False)
    return checked


class ValidatedFileField(forms.FileField):
    """A file field that accepts only what `check_upload` accepts. The cleaned value is the
    uploaded file with `.checked` (a `CheckedFile`), and its `name` and `content_type` set to
    the safe name and the detected type."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "help_text",
            _("PDF, DOCX, XLSX, JPG hoặc PNG, tối đa %(mb)s MB.") % {"mb": _max_upload_mb()},
        )
        super().__init__(*args, **kwargs)
        # The browser's file picker offers the right files first; the server still checks content.
        self.widget.attrs.setdefault("accept", ".pdf,.docx,.xlsx,.jpg,.jpeg,.png")

    def clean(self, data, initial=None):
        file = super().clean(data, initial)
        if not file or file is initial:
            return file
        checked = check_upload(file)
        file.checked = checked
        file.name = checked.name
        file.content_type = checked.content_type
        return file


def private_file_response(fieldfile: Any, name: str, content_type: str) -> FileResponse:
    """Stream a stored file as a download named `name`. The caller has checked that the user
    may have it; this only makes sure the browser saves it rather than rendering it."""
    try:
        handle = fieldfile.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404(_("Tệp không còn trên máy chủ.")) from exc
    response = FileResponse(handle, content_type=content_type or "application/octet-stream")
    response["Content-Disposition"] = content_disposition(name or os.path.basename(fieldfile.name))
    # Files are private: no shared cache may keep a copy.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
