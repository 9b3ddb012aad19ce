import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from dialogue.text import nfc, nfc_text, search_key, search_terms


def test_search_key_ignores_case_accents_and_tone_placement():
    variants = [
        "Xã Nghi Phú",
        "xa nghi phu",
        "XÃ NGHI PHÚ",
        unicodedata.normalize("NFD", "Xã Nghi Phú"),
        "  Xã  Nghi   Phú ",
    ]
    assert {search_key(v) for v in variants} == {"xa nghi phu"}
    assert search_key("Hòa") == search_key("Hoà") == "hoa"
    assert search_key("Ủy ban") == search_key("Uỷ ban") == "uy ban"
    assert search_key("Đô Lương") == "do luong"


def test_nfc_composes_and_collapses_spaces():
    raw = unicodedata.normalize("NFD", "  Nghệ   An ")
    assert nfc(raw) == "Nghệ An"
    assert unicodedata.is_normalized("NFC", nfc(raw))
    assert nfc(None) == ""


def test_nfc_text_keeps_lines_and_paragraphs():
    value = "Cu\u0309a xa\u0303  Nghi   Phú\r\n- Sở Tài chính  \n\n\n\nĐoạn hai\n"
    assert nfc_text(value) == "Của xã Nghi Phú\n- Sở Tài chính\n\nĐoạn hai"
    assert nfc_text(None) == ""


def test_search_terms_split_words():
    assert search_terms("  Nghi  PHÚ ") == ["nghi", "phu"]
    assert search_terms("") == []


@given(st.text())
def test_search_key_is_idempotent_and_ascii_for_vietnamese(text):
    key = search_key(text)
    assert search_key(key) == key
    assert key == key.strip()


@given(st.text(alphabet="aăâeêioôơuưyđAĂÂEÊIOÔƠUƯYĐ àáảãạ", min_size=1))
def test_vietnamese_letters_fold_to_ascii(text):
    vietnamese = unicodedata.normalize("NFC", text)
    assert search_key(vietnamese).isascii()
    assert search_key(unicodedata.normalize("NFD", vietnamese)) == search_key(vietnamese)
