"""The PDF renderer and the official document frame, checked on the rendered sample notice."""

import datetime as dt
import html
import io
import re
import unicodedata
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings
from django.urls import reverse
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from dialogue.pdf import FONT_FAMILY, LocalOnlyURLFetcher, find_font_files, font_css, pdf_response, render_pdf
from dialogue.views import SAMPLE_TEMPLATE, sample_document, sample_notice_context

SAMPLE_SOURCE = Path(settings.BASE_DIR) / "templates" / SAMPLE_TEMPLATE
A4 = (595.28, 841.89)
MM = 72 / 25.4
TONES = {"\u0300": "huyền", "\u0309": "hỏi", "\u0303": "ngã", "\u0301": "sắc", "\u0323": "nặng"}


def normal(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def source_sentences() -> list[str]:
    """The paragraphs and headings of the sample template, as written."""
    source = SAMPLE_SOURCE.read_text(encoding="utf-8")
    blocks = re.findall(r"<(?:p|h2)[^>]*>(.*?)</(?:p|h2)>", source, flags=re.S)
    return [normal(html.unescape(re.sub(r"<[^>]+>", "", block))) for block in blocks]


@pytest.fixture(scope="module")
def sample_pdf() -> bytes:
    return render_pdf(SAMPLE_TEMPLATE, sample_notice_context())


@pytest.fixture(scope="module")
def reader(sample_pdf) -> PdfReader:
    return PdfReader(io.BytesIO(sample_pdf))


@pytest.fixture(scope="module")
def text(reader) -> str:
    return normal(" ".join(page.extract_text() for page in reader.pages))


def positioned_text(page) -> list[tuple[float, float, str]]:
    """(x, y, text) of each text run on the page, in PDF points from the bottom left."""
    items = []

    def visit(chunk, cm, tm, font_dict, font_size):
        if chunk.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            items.append((x, y, chunk.strip()))

    page.extract_text(visitor_text=visit)
    return items


def test_sample_is_a_pdf_of_two_a4_pages(sample_pdf, reader):
    assert sample_pdf.startswith(b"%PDF-")
    assert len(reader.pages) == 2
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(A4[0], abs=1)
        assert float(page.mediabox.height) == pytest.approx(A4[1], abs=1)


def test_every_source_sentence_comes_back_intact(text):
    sentences = source_sentences()
    assert len(sentences) >= 15
    for sentence in sentences:
        assert sentence in text


def test_frame_components_come_back_intact(text):
    context = sample_notice_context()
    for expected in [
        "TỈNH ỦY NGHỆ AN",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 1029-TB/TU",
        "Nghệ An, ngày 28 tháng 8 năm 2023",
        "THÔNG BÁO",
        normal(context["summary"]),
        "Nơi nhận:",
        "- Ban Bí thư Trung ương Đảng (để b/c),",
        "- Lưu Văn phòng Tỉnh ủy.",
        "T/M BAN THƯỜNG VỤ",
        "PHÓ BÍ THƯ",
        "Trần Quốc Hưng",
    ]:
        assert expected in text


def letters(text: str) -> list[str]:
    """The letters of the text in NFD, each with its combining marks: "Ệ" -> "E\u0323\u0302"."""
    return re.findall(r"[^\W\d_][\u0300-\u036f]*", unicodedata.normalize("NFD", text))


def test_sample_uses_every_vietnamese_letter_and_tone_in_both_cases(text):
    sentences = source_sentences()
    assert all(sentence in text for sentence in sentences)
    found = letters(" ".join(sentences))
    # Base letters with the tone taken off: "ệ" counts as "ê".
    untoned = {unicodedata.normalize("NFC", "".join(ch for ch in letter if ch not in TONES)) for letter in found}
    for letter in "ăâđêôơư":
        assert {letter, letter.upper()} <= untoned, letter
    for mark, name in TONES.items():
        assert any(letter[0].isupper() and mark in letter for letter in found), f"no capital with dấu {name}"
        assert any(letter[0].islower() and mark in letter for letter in found), f"no small letter with dấu {name}"


def test_only_the_document_font_is_embedded_and_it_is_liberation_serif_2_or_tinos(reader):
    seen = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            base = str(font["/BaseFont"]).split("+", 1)[-1]
            # Every font on the page is the face declared by dialogue.pdf, not a system fallback.
            assert base.startswith(FONT_FAMILY.replace(" ", "-")), base
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            program = TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))
            family = program["name"].getDebugName(1)
            version = program["name"].getDebugName(5)
            assert family in {"Liberation Serif", "Tinos"}, family
            if family == "Liberation Serif":
                # Version 1 lacks ơ, ư and most toned letters.
                assert float(re.search(r"(\d+\.\d+)", version).group(1)) >= 2, version
            seen.add(base)
    assert {"Dialogue-Serif", "Dialogue-Serif-Bold", "Dialogue-Serif-Italic"} <= seen


def test_page_number_only_from_page_two(reader):
    top_margin = A4[1] - 20 * MM
    first, second = (positioned_text(page) for page in reader.pages)
    assert [t for x, y, t in first if y > top_margin] == []
    numbers = [(x, t) for x, y, t in second if y > top_margin]
    assert [t for _, t in numbers] == ["2"]
    # Centred over the text area (left margin 30 mm, right 15 mm).
    centre = (30 * MM + A4[0] - 15 * MM) / 2
    assert numbers[0][0] == pytest.approx(centre, abs=8)


def test_text_respects_the_margins(reader):
    for page in reader.pages:
        for x, y, chunk in positioned_text(page):
            assert x >= 30 * MM - 0.5, chunk
            if chunk != "2":
                assert y <= A4[1] - 20 * MM, chunk
            assert y >= 20 * MM - 1, chunk


def test_header_layout(reader):
    items = positioned_text(reader.pages[0])

    def find(prefix):
        return next((x, y) for x, y, t in items if t.startswith(prefix))

    issuer, star, party = find("TỈNH ỦY NGHỆ AN"), find("*"), find("ĐẢNG CỘNG SẢN")
    number, date_line = find("Số 1029-TB/TU"), find("Nghệ An, ngày")
    assert issuer[0] < A4[0] / 2 < party[0]  # issuer left, Party title right
    assert number[1] < star[1] < issuer[1]  # the asterisk between issuer and number
    assert number[1] == pytest.approx(date_line[1], abs=1.5)  # number and date share a line
    assert date_line[1] < party[1]


def test_date_line_with_leading_zeros_in_the_frame():
    context = sample_notice_context() | {"date": dt.date(2024, 2, 5)}
    pdf = render_pdf(SAMPLE_TEMPLATE, context)
    text = normal(PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    assert "Nghệ An, ngày 05 tháng 02 năm 2024" in text


def test_two_line_issuer_and_signing_on_behalf():
    context = sample_notice_context() | {
        "issuer": ["TỈNH ỦY NGHỆ AN", "BAN DÂN VẬN"],
        "signature": {"form": "K/T TRƯỞNG BAN", "title": "PHÓ TRƯỞNG BAN", "signer": "Lê Thị Hòa"},
    }
    pdf = render_pdf(SAMPLE_TEMPLATE, context)
    text = normal(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    for expected in ["TỈNH ỦY NGHỆ AN BAN DÂN VẬN", "K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Lê Thị Hòa"]:
        assert expected in text


def test_font_css_names_the_files_and_is_cached():
    css = font_css()
    assert css is font_css()
    assert css.count("@font-face") == 4
    for path in find_font_files().values():
        assert path.as_uri() in css


def test_missing_font_is_a_clear_error(tmp_path):
    with (
        override_settings(DIALOGUE_FONT_DIRS=[str(tmp_path)]),
        pytest.raises(ImproperlyConfigured, match="fonts-liberation2"),
    ):
        render_pdf(SAMPLE_TEMPLATE, sample_notice_context())


def test_liberation_1_is_refused():
    old = Path("/usr/share/fonts/truetype/liberation")
    if not (old / "LiberationSerif-Regular.ttf").is_file():
        pytest.skip("fonts-liberation (v1) not installed")
    with pytest.raises(ImproperlyConfigured):
        find_font_files([str(old)])


def test_url_fetcher_refuses_network_and_foreign_files():
    fetcher = LocalOnlyURLFetcher()
    for url in ["http://example.com/logo.png", "https://127.0.0.1/x.css", "ftp://example.com/f", "file:///etc/passwd"]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    font = find_font_files()["regular"]
    response = fetcher.fetch(font.as_uri())
    try:
        assert response.read(4) == b"\x00\x01\x00\x00"
    finally:
        response.close()


def test_url_fetcher_serves_static_files_only_from_static_folders(tmp_path):
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "seal.txt").write_text("ok")
    with override_settings(STATICFILES_DIRS=[str(tmp_path)]):
        fetcher = LocalOnlyURLFetcher()
        response = fetcher.fetch("file:///static/img/seal.txt")
        try:
            assert response.read() == b"ok"
        finally:
            response.close()
        for url in ["file:///static/../etc/passwd", "file:///static/img/../../../etc/passwd"]:
            with pytest.raises(ValueError):
                fetcher.fetch(url)


def test_pdf_response_headers():
    response = pdf_response(b"%PDF-1.7", "Thông báo kết luận (mẫu).pdf")
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline; ")
    assert 'filename="Thong-bao-ket-luan-mau.pdf"' in disposition
    assert "filename*=UTF-8''Th%C3%B4ng%20b%C3%A1o%20k%E1%BA%BFt%20lu%E1%BA%ADn%20%28m%E1%BA%ABu%29.pdf" in disposition
    disposition.encode("ascii")  # a header must stay ASCII
    assert pdf_response(b"", "Đề án.pdf", attachment=True)["Content-Disposition"].startswith(
        'attachment; filename="De-an.pdf"'
    )


@override_settings(LOGIN_URL="/dang-nhap/")
def test_sample_document_requires_login():
    request = RequestFactory().get("/tai-lieu/mau.pdf")
    request.user = AnonymousUser()
    response = sample_document(request)
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/")


def test_sample_document_returns_the_pdf():
    request = RequestFactory().get("/tai-lieu/mau.pdf")
    request.user = SimpleNamespace(is_authenticated=True)
    response = sample_document(request)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert "filename*=UTF-8''" in response["Content-Disposition"]


@pytest.mark.django_db
def test_sample_document_url(client, django_user_model):
    url = reverse("sample_document")
    assert url == "/tai-lieu/mau.pdf"
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    user = django_user_model.objects.create_user(username="van_thu", password="MatKhau@2023-pdf")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 2
