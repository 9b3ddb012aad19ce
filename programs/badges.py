"""Delegate badges (thẻ đại biểu, issue 7 item 5): one PDF with a badge per delegate — the
program, the delegate's name, post, commune and district, forum and seat if set, and a QR code
that holds the delegate's random token (never a database id) for the door staff's camera.

A4 sheets of 2 × 4 badges of 90 × 65 mm with cut marks in the margin, rendered from
templates/documents/badges.html with the document font and no network (the QR is an SVG in a
data: URI). Up to one batch (96 badges) goes through `dialogue.pdf.render_pdf`. A whole program
(1,121 badges, 141 sheets) runs as the background job `programs.badges` (programs/jobs.py) and is
laid out in batches of 12 sheets whose pages are joined into one PDF (WeasyPrint's
`Document.copy`, no extra dependency): progress moves with each batch, and the time grows
linearly (one layout of 141 sheets took twice as long as twelve of 12).
"""

from __future__ import annotations

import gc
import math
import re
from collections.abc import Callable, Iterable
from decimal import Decimal

import segno
from django.db.models import QuerySet
from django.template.loader import get_template
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from dialogue.pdf import LocalOnlyURLFetcher, font_css, render_pdf
from dialogue.text import search_key

from .models import Delegate, Program

TEMPLATE = "documents/badges.html"
COLUMNS, ROWS = 2, 4
PER_SHEET = COLUMNS * ROWS
WIDTH_MM, HEIGHT_MM = 90, 65
LEFT_MM, TOP_MM = Decimal("15"), Decimal("18.5")  # (210 − 2·90) / 2, (297 − 4·65) / 2

BATCH = 12 * PER_SHEET  # badges laid out at once

# progress(done, total, stage=None), as directory.jobs.Progress takes it.
Progress = Callable[..., None]


def qr_data_uri(token: str) -> str:
    """The QR code of `token` as an SVG data: URI (error correction M, a quiet zone of 2 modules:
    the badge around it is white)."""
    return segno.make(token, error="m", micro=False).svg_data_uri(scale=1, border=2, nl=False)


def short_title(program: Program) -> str:
    """ "Chương trình gặp mặt, đối thoại năm 2023" from the full title, which names both sides."""
    title = program.title
    head = re.split(r"\s+giữa\s+", title, maxsplit=1)[0]
    year = str(program.start_date.year)
    if head != title and year not in head:
        head = f"{head} năm {year}"
    return head if len(head) <= 90 else head[:88].rstrip() + "…"


def delegates_for_badges(program: Program) -> QuerySet[Delegate]:
    return (
        Delegate.objects.filter(program=program)
        .select_related("commune__parent", "forum")
        .order_by("commune__parent__name", "commune__name", "full_name", "pk")
    )


def _name_size(name: str) -> str:
    return "l" if len(name) <= 22 else "m" if len(name) <= 28 else "s"


def _seat(delegate: Delegate) -> str:
    if delegate.seat_row and delegate.seat_number:
        return _("Hàng %(row)s, ghế %(number)s") % {"row": delegate.seat_row, "number": delegate.seat_number}
    if delegate.seat_row:
        return _("Hàng %(row)s") % {"row": delegate.seat_row}
    if delegate.seat_number:
        return _("Ghế %(number)s") % {"number": delegate.seat_number}
    return ""


KIND_LABELS = {
    Delegate.Kind.COMMUNE: lambda: _("Đại biểu"),
    Delegate.Kind.GUEST: lambda: _("Khách mời"),
    Delegate.Kind.ORGANIZER: lambda: _("Ban tổ chức"),
}


def badge(delegate: Delegate) -> dict:
    """What one badge prints (no database id anywhere: the QR holds the token)."""
    commune = delegate.commune
    district = commune.parent if commune and commune.parent_id else None
    place = commune.full_name if commune else delegate.organization
    if district:
        place = f"{place} – {district.full_name}"
    return {
        "name": delegate.full_name,
        "name_size": _name_size(delegate.full_name),
        "title": delegate.title,
        "place": place,
        "forum": delegate.forum.title if delegate.forum_id else "",
        # "Diễn đàn: …" unless the forum's title says it already.
        "forum_label": not (delegate.forum_id and search_key(delegate.forum.title).startswith("dien dan")),
        "seat": _seat(delegate),
        "kind": delegate.kind,
        "kind_label": KIND_LABELS.get(delegate.kind, KIND_LABELS[Delegate.Kind.COMMUNE])(),
        "qr": qr_data_uri(delegate.token),
    }


def sheets_of(badges: list[dict]) -> list[list[dict]]:
    sheets = []
    for start in range(0, len(badges), PER_SHEET):
        sheet = badges[start : start + PER_SHEET]
        for index, item in enumerate(sheet):
            # Strings: the template would write a number the Vietnamese way ("18,5"), which CSS refuses.
            item["left"] = str(LEFT_MM + (index % COLUMNS) * WIDTH_MM)
            item["top"] = str(TOP_MM + (index // COLUMNS) * HEIGHT_MM)
        sheets.append(sheet)
    return sheets


def badge_context(program: Program, delegates: Iterable[Delegate], progress: Progress | None = None) -> dict:
    """The template's context; `progress(done, total)` is called as the badges are built."""
    delegates = list(delegates)
    total = len(delegates)
    badges = []
    for done, delegate in enumerate(delegates, start=1):
        badges.append(badge(delegate))
        if progress is not None and (done % 24 == 0 or done == total):
            progress(done, total)
    return {
        "program": program,
        "header": program.host.name if program.host_id else "",
        "short_title": short_title(program),
        "sheets": sheets_of(badges),
        "marks_x": [str(LEFT_MM + i * WIDTH_MM) for i in range(COLUMNS + 1)],
        "marks_y": [str(TOP_MM + i * HEIGHT_MM - Decimal("0.1")) for i in range(ROWS + 1)],
    }


def sheet_count(badges: int) -> int:
    return math.ceil(badges / PER_SHEET)


def render_badges(program: Program, delegates: Iterable[Delegate], progress: Progress | None = None) -> bytes:
    """The PDF of the delegates' badges, in the order given. `progress(done, total, stage)` counts
    badges built and laid out; the last step (writing the file) is `total` itself."""
    delegates = list(delegates)
    total = len(delegates)
    report = progress or (lambda done, total, stage=None: None)
    if total <= BATCH:
        context = badge_context(program, delegates)
        report(0, total + 1, _("Đang dựng tệp PDF (%(n)s thẻ)") % {"n": total})
        content = render_pdf(TEMPLATE, context)
        report(total + 1, total + 1)
        return content
    # The steps of dialogue.pdf.render_pdf, with the layout done batch by batch and the pages
    # joined before writing (same font configuration and URL fetcher for every batch).
    css_text = font_css()
    fetcher = LocalOnlyURLFetcher()
    font_config = FontConfiguration()
    font_sheet = CSS(string=css_text, font_config=font_config, url_fetcher=fetcher)
    template = get_template(TEMPLATE)
    steps = total + total // 2  # writing the file takes about half as long as the layout
    documents = []
    try:
        for start in range(0, total, BATCH):
            batch = delegates[start : start + BATCH]
            stage = _("Đang dựng thẻ %(first)s–%(last)s trên %(total)s") % {
                "first": start + 1,
                "last": start + len(batch),
                "total": total,
            }
            report(start, steps, stage)
            html = template.render(badge_context(program, batch))
            document = HTML(string=html, base_url="file:///", url_fetcher=fetcher)
            documents.append(document.render(stylesheets=[font_sheet], font_config=font_config))
            # The laid-out pages stay alive until the end; without this every full garbage
            # collection walks them again and the job takes twice as long.
            gc.freeze()
        report(total, steps, _("Đang ghi tệp PDF (%(n)s tờ A4)") % {"n": sheet_count(total)})
        pages = [page for document in documents for page in document.pages]
        content = documents[0].copy(pages).write_pdf()
    finally:
        gc.unfreeze()
    report(steps, steps)
    return content
