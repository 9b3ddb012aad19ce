"""What a dashboard is made of, independent of how it is shown: headline figures and sections,
each section a table of cells (a number with the link to the list behind it) and, where it
helps, a chart drawn from the same rows. The page, the PDF briefing and the Excel file are three
renderings of one `Dashboard`, so their numbers cannot differ, and every chart has its table."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

from dialogue import excel


@dataclass
class Cell:
    value: Any
    url: str = ""
    # Shown instead of the value where given ("75 %", "12 ngày"); Excel keeps the raw value.
    text: str = ""
    numeric: bool = False  # set from its column by `Table.add`: right-aligned

    def __str__(self) -> str:
        if self.text:
            return self.text
        return "" if self.value is None else format_number(self.value)


@dataclass
class Column:
    label: str
    numeric: bool = True
    sort_key: str = ""  # the `?sort=` value of a sortable column


@dataclass
class Table:
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)
    # The last row, in bold: totals.
    footer: list[Cell] | None = None

    def add(self, *cells: Cell | Any) -> list[Cell]:
        row = [cell if isinstance(cell, Cell) else Cell(cell) for cell in cells]
        for cell, column in zip(row, self.columns, strict=False):
            cell.numeric = column.numeric
        self.rows.append(row)
        return row

    @property
    def side_by_side(self) -> bool:
        """Narrow enough to stand beside its chart in a wide section."""
        return len(self.columns) <= 5


@dataclass
class Chart:
    """Horizontal bars, one per row of the section's table: the label is the row's first cell,
    the value its `value_column`. Bars carry their number, so colour is never the only cue."""

    value_column: int = 1
    max_bars: int = 20


@dataclass
class Section:
    key: str
    title: str
    table: Table
    chart: Chart | None = None
    note: str = ""
    wide: bool = False
    collapsed: bool = False  # the table behind a <details> on the page (long tables)


@dataclass
class Metric:
    label: str
    value: Any
    url: str = ""
    hint: str = ""
    tone: str = ""  # "danger", "success", …: a Bootstrap text colour, doubled by the words

    def __str__(self) -> str:
        return format_number(self.value) if not isinstance(self.value, str) else self.value


@dataclass
class Dashboard:
    title: str
    subtitle: str = ""
    metrics: list[Metric] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    summary: str = ""  # the PDF briefing's trích yếu, when the title alone does not say what it is about

    @property
    def document_summary(self) -> str:
        return self.summary or self.title

    def section(self, key: str) -> Section:
        return next(section for section in self.sections if section.key == key)


def format_number(value: Any) -> str:
    """Numbers as Vietnamese writes them: 1.121 and 12,5."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    if isinstance(value, float):
        return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return str(value)


def percent(part: int, whole: int) -> Cell:
    """A share as a cell: the value in per cent (one decimal), the text "75 %", or "–"."""
    if not whole:
        return Cell(None, text="–")
    value = round(part * 100 / whole, 1)
    return Cell(value, text=f"{format_number(round(value))} %")


def median_and_p90(values: list[int]) -> tuple[float | None, float | None]:
    """The median and the 90th percentile (linear interpolation, as PostgreSQL's
    percentile_cont), or None for no values."""
    if not values:
        return None, None
    ordered = sorted(values)
    if len(ordered) == 1:
        return float(ordered[0]), float(ordered[0])
    return float(statistics.median(ordered)), float(statistics.quantiles(ordered, n=10, method="inclusive")[-1])


def days(value: float | None) -> Cell:
    if value is None:
        return Cell(None, text="–")
    return Cell(value, text=f"{format_number(value if value % 1 else int(value))} ngày")


def excel_sheets(dashboard: Dashboard) -> list[excel.Sheet]:
    """One sheet of headline figures, then one per section (its table, totals included)."""
    sheets = [
        excel.Sheet(
            "Tổng quan",
            [excel.Column("label", "Chỉ tiêu", width=50), excel.Column("value", "Số liệu", width=16)],
            [{"label": metric.label, "value": metric.value} for metric in dashboard.metrics],
            title=dashboard.title,
        )
    ]
    for section in dashboard.sections:
        columns = [excel.Column(f"c{i}", column.label) for i, column in enumerate(section.table.columns)]
        rows = [[_excel_value(cell) for cell in row] for row in section.table.rows]
        if section.table.footer:
            rows.append([_excel_value(cell) for cell in section.table.footer])
        sheets.append(excel.Sheet(section.title, columns, rows, title=section.title))
    return sheets


def _excel_value(cell: Cell) -> Any:
    if cell.value is None:
        return cell.text if cell.text not in ("", "–") else None
    return cell.value
