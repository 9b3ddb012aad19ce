"""Charts drawn on the server as SVG, so the page and the PDF briefing show the same picture
with no chart library and nothing fetched from outside. A bar chart draws one bar per row of a
section's table with its label and its number written beside it: readable in black and white
and by a screen reader (the SVG has a title; the table is next to it)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .sections import Section, format_number

BAR_HEIGHT = 20
GAP = 6
LABEL_WIDTH = 250
BAR_WIDTH = 230
NUMBER_WIDTH = 70
# Presentation attributes, for the PDF: WeasyPrint does not apply the document's CSS inside an
# inline SVG. On the page, static/css/dashboards.css overrides them.
TEXT = 'font-family="Dialogue Serif, serif" font-size="13" fill="#000"'


def _label(text: str, limit: int = 30) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(section: Section) -> SafeString:
    """The section's chart as an inline <svg>, or "" when it has none or nothing to draw."""
    chart = section.chart
    if chart is None:
        return mark_safe("")
    bars = []
    for row in section.table.rows[: chart.max_bars]:
        value = row[chart.value_column].value
        bars.append((str(row[0]), value if isinstance(value, int | float) else 0, str(row[chart.value_column])))
    if not bars or not any(value for _label_text, value, _text in bars):
        return mark_safe("")
    top = max(value for _label_text, value, _text in bars) or 1
    width = LABEL_WIDTH + BAR_WIDTH + NUMBER_WIDTH
    height = len(bars) * (BAR_HEIGHT + GAP) + GAP
    title = escape(section.title)
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="chart-{section.key}">'
        f'<title id="chart-{section.key}">{title}</title>'
    ]
    for index, (label, value, text) in enumerate(bars):
        y = GAP + index * (BAR_HEIGHT + GAP)
        length = max(1.0, BAR_WIDTH * value / top) if value else 0
        middle = y + BAR_HEIGHT / 2
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{middle}" text-anchor="end" dominant-baseline="central" '
            f'class="chart-label" {TEXT}>{escape(_label(label))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" class="chart-bar" '
            f'fill="#555" rx="2"/>'
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{middle}" dominant-baseline="central" '
            f'class="chart-value" font-weight="bold" {TEXT}>{escape(text or format_number(value))}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped
