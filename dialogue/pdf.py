"""PDF rendering for every official document: one Django template under templates/documents/,
one font, no network.

`render_pdf("documents/sample_notice.html", context)` renders the template and turns it into PDF
with WeasyPrint. The text font is named explicitly with @font-face rules pointing at font files
(Liberation Serif 2 or Tinos, both metric-compatible with Times New Roman and covering every
Vietnamese letter), found in the first of `settings.DIALOGUE_FONT_DIRS` that has them, so the
result does not depend on what fontconfig would pick. Debian's older `fonts-liberation` (v1)
has the same family name but lacks ơ, ư and most toned letters: the coverage check below
refuses it.

`pdf_response(pdf, filename)` wraps the bytes in an HttpResponse with a Content-Disposition that
keeps a Vietnamese file name (RFC 5987) and gives old clients an ASCII one.
"""

import functools
import logging
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured, SuspiciousFileOperation
from django.http import HttpRequest, HttpResponse
from django.template.loader import get_template
from fontTools.ttLib import TTFont
from weasyprint import CSS, HTML, URLFetcher
from weasyprint.text.fonts import FontConfiguration

from dialogue.dates import document_date_line

__all__ = [
    "FONT_FAMILY",
    "LocalOnlyURLFetcher",
    "find_font_files",
    "font_css",
    "official_context",
    "pdf_response",
    "render_pdf",
]

logger = logging.getLogger(__name__)

# A family name of our own: the system also knows "Liberation Serif" v1 under the same name,
# and a shared name would let fontconfig mix the two.
FONT_FAMILY = "Dialogue Serif"

# (file names per face) for each supported font, in order of preference.
_FONT_FILES = (
    {
        "regular": "LiberationSerif-Regular.ttf",
        "bold": "LiberationSerif-Bold.ttf",
        "italic": "LiberationSerif-Italic.ttf",
        "bolditalic": "LiberationSerif-BoldItalic.ttf",
    },
    {
        "regular": "Tinos-Regular.ttf",
        "bold": "Tinos-Bold.ttf",
        "italic": "Tinos-Italic.ttf",
        "bolditalic": "Tinos-BoldItalic.ttf",
    },
)
_FACES = {
    "regular": ("normal", "normal"),
    "bold": ("bold", "normal"),
    "italic": ("normal", "italic"),
    "bolditalic": ("bold", "italic"),
}
# Letters a font must have to print Vietnamese: the ones Liberation v1 misses among them.
_VIETNAMESE_PROBE = "ăâđêôơưĂÂĐÊÔƠƯảạằẵặẩậẻẹềễệỉịỏọồổộờởỡợủụừửữựỳỷỹỵẢẠẰẴẶỀỄỆỜỞỠỢỪỬỮỰỲỶỸỴ"


def _covers_vietnamese(path: Path) -> bool:
    try:
        with TTFont(path, lazy=True) as font:
            cmap = font.getBestCmap() or {}
    except Exception:  # an unreadable file is as good as a missing one
        logger.warning("Cannot read font file %s", path)
        return False
    return all(ord(ch) in cmap for ch in _VIETNAMESE_PROBE)


def _font_error(dirs: list[str]) -> ImproperlyConfigured:
    return ImproperlyConfigured(
        "Không tìm thấy phông chữ cho văn bản PDF (Liberation Serif 2 hoặc Tinos, đủ mọi chữ tiếng Việt) "
        f"trong DIALOGUE_FONT_DIRS = {dirs}. Hãy cài gói fonts-liberation2 hoặc fonts-croscore. / "
        "No font for PDF documents (Liberation Serif 2 or Tinos, covering every Vietnamese letter) "
        f"in DIALOGUE_FONT_DIRS = {dirs}. Install the Debian package fonts-liberation2 or fonts-croscore."
    )


def find_font_files(dirs: list[str] | None = None) -> dict[str, Path]:
    """{"regular"|"bold"|"italic"|"bolditalic": path} from the first directory that has a full set.

    Raises ImproperlyConfigured when no directory has all four faces of a supported font with
    Vietnamese coverage; a silent fallback would print boxes or mixed fonts in official papers.
    """
    dirs = list(settings.DIALOGUE_FONT_DIRS if dirs is None else dirs)
    for directory in dirs:
        for names in _FONT_FILES:
            paths = {face: Path(directory) / name for face, name in names.items()}
            if all(p.is_file() for p in paths.values()) and all(_covers_vietnamese(p) for p in paths.values()):
                return {face: p.resolve() for face, p in paths.items()}
    raise _font_error(dirs)


@functools.cache
def _font_css(dirs: tuple[str, ...]) -> str:
    rules = []
    for face, path in find_font_files(list(dirs)).items():
        weight, style = _FACES[face]
        rules.append(
            f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{path.as_uri()}"); '
            f"font-weight: {weight}; font-style: {style}; }}"
        )
    return "\n".join(rules)


def font_css() -> str:
    """The @font-face rules of the document font, cached per DIALOGUE_FONT_DIRS value."""
    return _font_css(tuple(settings.DIALOGUE_FONT_DIRS))


def _allowed_roots() -> list[Path]:
    roots = [Path(d) for d in settings.DIALOGUE_FONT_DIRS]
    roots += [Path(d if isinstance(d, (str, Path)) else d[1]) for d in getattr(settings, "STATICFILES_DIRS", [])]
    if getattr(settings, "STATIC_ROOT", None):
        roots.append(Path(settings.STATIC_ROOT))
    return [r.resolve() for r in roots]


def _static_file(path: str) -> Path | None:
    """The file behind a "/static/..." path, through the staticfiles finders (app folders too)."""
    static_url = urlsplit(settings.STATIC_URL or "/static/").path
    if not static_url.endswith("/"):
        static_url += "/"
    if not path.startswith(static_url):
        return None
    relative = path[len(static_url) :]
    try:
        found = finders.find(relative)
    except SuspiciousFileOperation:
        return None
    if not found and getattr(settings, "STATIC_ROOT", None):
        candidate = (Path(settings.STATIC_ROOT) / relative).resolve()
        if candidate.is_relative_to(Path(settings.STATIC_ROOT).resolve()) and candidate.is_file():
            found = str(candidate)
    return Path(found).resolve() if found else None


class LocalOnlyURLFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that reads only local font and static files.

    Everything else (http, ftp, files elsewhere on disk) is refused: a document template must
    never make the server fetch from the network or copy arbitrary local files into a PDF.
    WeasyPrint logs a refused resource and renders without it.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("allowed_protocols", {"file", "data"})
        kwargs.setdefault("allow_redirects", False)
        super().__init__(**kwargs)

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file" or parts.netloc not in ("", "localhost"):
            raise ValueError(f"PDF: refusing non-local resource {url!r}")
        path = unquote(parts.path)
        target = Path(path).resolve()
        if not any(target.is_relative_to(root) for root in _allowed_roots()):
            static = _static_file(path)
            if static is None:
                raise ValueError(f"PDF: refusing file outside font and static folders {url!r}")
            target = static
        if not target.is_file():
            raise ValueError(f"PDF: no such file {url!r}")
        return super().fetch(target.as_uri(), headers)


def official_context(context: Mapping[str, Any] | None) -> dict[str, Any]:
    """The context with what the official frame derives: `date_line` from `place` and `date`,
    `issuer` as a list of lines (a single string is one line)."""
    ctx = dict(context or {})
    issuer = ctx.get("issuer")
    if isinstance(issuer, str):
        ctx["issuer"] = [line for line in issuer.splitlines() if line.strip()] or [issuer]
    if "date_line" not in ctx and ctx.get("place"):
        ctx["date_line"] = document_date_line(ctx["place"], ctx.get("date"))
    return ctx


def render_pdf(
    template_name: str, context: Mapping[str, Any] | None = None, *, request: HttpRequest | None = None
) -> bytes:
    """Render `template_name` (under templates/documents/) with `context` and return the PDF bytes.

    `request`, if given, is available to the template as `request`; context processors do not run.
    Local files referenced by the template are resolved from "/static/..." paths; nothing is
    fetched from the network. Raises ImproperlyConfigured when the document font is missing.
    """
    css_text = font_css()  # first, so a missing font fails before any work
    ctx = official_context(context)
    # The request is there for templates that want it, but the site's context processors (menus,
    # messages) are not run: a document depends on its context only, and costs no menu queries.
    ctx.setdefault("request", request)
    html = get_template(template_name).render(ctx)
    fetcher = LocalOnlyURLFetcher()
    font_config = FontConfiguration()
    font_sheet = CSS(string=css_text, font_config=font_config, url_fetcher=fetcher)
    document = HTML(string=html, base_url="file:///", url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[font_sheet], font_config=font_config)


def _ascii_filename(filename: str) -> str:
    """An ASCII name for clients without RFC 5987: "Thông báo (mẫu).pdf" -> "Thong-bao-mau.pdf"."""
    decomposed = unicodedata.normalize("NFD", filename.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    safe = re.sub(r"-+\.", ".", re.sub(r"[^A-Za-z0-9.]+", "-", plain)).strip("-.")
    return safe or "tai-lieu.pdf"


def pdf_response(pdf_bytes: bytes, filename: str, *, attachment: bool = False) -> HttpResponse:
    """An HttpResponse carrying the PDF; shown in the browser unless `attachment`.

    Content-Disposition gets an ASCII `filename` for old clients and the real Vietnamese name
    as `filename*` (RFC 5987 / RFC 6266).
    """
    filename = unicodedata.normalize("NFC", filename.replace("/", "_").replace("\\", "_")).strip() or "tai-lieu.pdf"
    response = HttpResponse(pdf_bytes, content_type="application/pdf")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = (
        f"{disposition}; filename=\"{_ascii_filename(filename)}\"; filename*=UTF-8''{quote(filename, safe='')}"
    )
    response["Content-Length"] = str(len(pdf_bytes))
    # Documents name people and decisions: keep them out of shared caches.
    response["Cache-Control"] = "private, no-store"
    return response
