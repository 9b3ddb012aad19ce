"""Vietnamese text: one normal form for storage and one accent-free key for search.

Names arrive from Excel files, phones and old systems in NFD or NFC, with the old ("Hoà",
"Uỷ") or new ("Hòa", "Ủy") tone placement and in any case. Stored text is NFC; search
compares `search_key()` values, in which every such variant is the same string.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# "đ" has no decomposition in Unicode, so stripping combining marks leaves it alone.
_EXTRA_FOLD = str.maketrans({"đ": "d", "Đ": "d", "ð": "d"})


def nfc(value: str | None) -> str:
    """NFC-normalise and collapse runs of white space, keeping case and diacritics."""
    if not value:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(value))).strip()


def nfc_text(value: str | None) -> str:
    """`nfc()` for text of several lines: each line normalised and single-spaced, line breaks
    kept (CRLF as LF), at most one blank line between paragraphs."""
    if not value:
        return ""
    lines = [nfc(line) for line in str(value).replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    text = "\n".join(lines).strip("\n")
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text


def search_key(value: str | None) -> str:
    """Lower-case, accent-free, single-spaced form: "Xã Nghi Phú" -> "xa nghi phu".

    Tone placement does not matter ("Hoà" and "Hòa" both give "hoa") because every mark
    is removed after decomposition.
    """
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", str(value).translate(_EXTRA_FOLD))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold().translate(_EXTRA_FOLD)).strip()


def search_terms(query: str | None) -> list[str]:
    """The words of a search box, each as a search key; empty words dropped."""
    return [word for word in search_key(query).split(" ") if word]
