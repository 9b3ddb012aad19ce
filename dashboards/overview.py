"""Across programs: a province's programs side by side over the years (2018 against 2023), the
themes that come back, the communes that raise the most and how much of it was resolved; the
grid of communes coloured by what they raised or by what is still unresolved; and one commune's
page with everything it raised over the years and what became of it. Each in a fixed number of
queries."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from conclusions.status import AssignmentState, state_q
from directory.models import AdminUnit
from programs.checkin import active_checkins
from programs.models import Delegate, Program
from programs.rules import programs_for
from submissions.deadlines import DeadlineState, current_facts
from submissions.models import Field, Submission
from submissions.queries import area_units

from .queries import (
    DONE_ASSIGNMENTS,
    STAGE_LABELS,
    STAGE_OF,
    STAGES,
    UNRESOLVED,
    agency_names,
    assignments_in,
    commune_units,
    drill_url,
    filter_items,
    items_in,
    program_label,
)
from .sections import Cell, Chart, Column, Dashboard, Metric, Section, Table, percent

TOP_COMMUNES = 20
METRICS = {"submissions": _("Số câu hỏi, đề xuất, kiến nghị"), UNRESOLVED: _("Số nội dung chưa trả lời")}


def delegate_counts(delegates) -> Counter:
    """{(program id, "all" | "present"): n} in one grouped query; present = checked in."""
    counts = Counter()
    for program_id, present, n in (
        delegates.annotate(present=Exists(active_checkins()))
        .values_list("program_id", "present")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[(program_id, "all")] += n
        counts[(program_id, "present")] += n if present else 0
    return counts


def province_programs(user, province) -> list[Program]:
    return list(programs_for(user).filter(province=province).order_by("start_date", "id"))


@dataclass
class Series:
    """Programs side by side: the table, and the totals the headline figures need."""

    table: Table
    items: int = 0
    answered: int = 0
    late_assignments: int = 0


def program_series(user, province, programs: list[Program], today) -> Series:
    """One row per program: delegates and present, items and answered, assignments done and
    overdue. Three grouped queries whatever the number of programs."""
    ids = [program.pk for program in programs]
    items = items_in(user, province.pk).filter(program_id__in=ids)
    by_program_stage = Counter()
    for program_id, status, n in items.values_list("program_id", "status").annotate(n=Count("pk")).order_by():
        by_program_stage[(program_id, STAGE_OF.get(status))] += n
    delegates = delegate_counts(Delegate.objects.filter(program_id__in=ids))
    assignment_counts = {
        row["notice__program_id"]: row
        for row in assignments_in(user, province.pk)
        .filter(notice__program_id__in=ids)
        .values("notice__program_id")
        .annotate(
            total=Count("pk"),
            late=Count("pk", filter=state_q(AssignmentState.OPEN_OVERDUE, today)),
            done=Count("pk", filter=Q(next_due_on__isnull=True, completed_on__isnull=False)),
        )
        .order_by()
    }

    def items_link(program_id, **filters):
        return drill_url("submissions", province=province.pk, program=program_id, **filters)

    def assignments_link(program_id, **filters):
        return drill_url("assignments", province=province.pk, program=program_id, **filters)

    series = Series(
        Table(
            [
                Column(_("Chương trình"), numeric=False),
                Column(_("Đại biểu")),
                Column(_("Có mặt")),
                Column(_("Câu hỏi, đề xuất, kiến nghị")),
                Column(_("Đã trả lời")),
                Column(_("Tỷ lệ đã trả lời")),
                Column(_("Nhiệm vụ được giao")),
                Column(_("Đã hoàn thành")),
                Column(_("Quá hạn")),
            ]
        )
    )
    for program in programs:
        pk = program.pk
        raised = sum(n for (program_id, _stage), n in by_program_stage.items() if program_id == pk)
        answered = by_program_stage[(pk, "answered")]
        work = assignment_counts.get(pk, {"total": 0, "late": 0, "done": 0})
        series.items += raised
        series.answered += answered
        series.late_assignments += work["late"]
        delegates_url = reverse("programs:delegates", args=[pk])
        series.table.add(
            Cell(program_label(program), reverse("dashboards:program", args=[pk])),
            Cell(delegates[(pk, "all")], delegates_url),
            Cell(delegates[(pk, "present")], f"{delegates_url}?presence=present"),
            Cell(raised, items_link(pk)),
            Cell(answered, items_link(pk, stage="answered")),
            percent(answered, raised),
            Cell(work["total"], assignments_link(pk)),
            Cell(work["done"], assignments_link(pk, state=DONE_ASSIGNMENTS)),
            Cell(work["late"], assignments_link(pk, state=AssignmentState.OPEN_OVERDUE.value)),
        )
    return series


def province_overview(user, province) -> Dashboard:
    today = timezone.localdate()
    programs = province_programs(user, province)
    items = items_in(user, province.pk)
    series = program_series(user, province, programs, today)

    def items_link(program_id=None, **filters):
        return drill_url("submissions", province=province.pk, program=program_id, **filters)

    def assignments_link(**filters):
        return drill_url("assignments", province=province.pk, **filters)

    dashboard = Dashboard(
        title=_("Các chương trình của %(province)s") % {"province": province.full_name},
        subtitle=_("Qua các năm, đến ngày %(day)s") % {"day": today.strftime("%d/%m/%Y")},
    )
    total, answered_all, late_all = series.items, series.answered, series.late_assignments
    dashboard.metrics = [
        Metric(_("Chương trình"), len(programs)),
        Metric(_("Câu hỏi, đề xuất, kiến nghị qua các chương trình"), total, items_link()),
        Metric(_("Đã trả lời"), answered_all, items_link(stage="answered"), percent(answered_all, total).text),
        Metric(
            _("Nhiệm vụ quá hạn"),
            late_all,
            assignments_link(state=AssignmentState.OPEN_OVERDUE.value),
            tone="danger" if late_all else "",
        ),
    ]
    dashboard.sections = [
        Section("series", _("Các chương trình qua các năm"), series.table, Chart(value_column=3), wide=True),
        _themes_section(items, programs, items_link),
        _communes_section(items, province, items_link),
    ]
    return dashboard


def _themes_section(items, programs: list[Program], items_link) -> Section:
    """Fields by program: a field raised in more than one program is a recurring theme."""
    counts = Counter()
    for program_id, field_id, n in items.values_list("program_id", "field_id").annotate(n=Count("pk")).order_by():
        counts[(field_id, program_id)] += n
    names = dict(Field.objects.values_list("pk", "name"))
    fields = sorted(
        {field_id for field_id, _program in counts},
        key=lambda pk: (-sum(n for (f, _p), n in counts.items() if f == pk), names.get(pk, "")),
    )
    table = Table(
        [
            Column(_("Lĩnh vực"), numeric=False),
            *[Column(str(program.start_date.year)) for program in programs],
            Column(_("Số chương trình nêu")),
        ]
    )
    for field_id in fields:
        cells = [
            Cell(
                counts[(field_id, program.pk)],
                items_link(program.pk, field=field_id) if field_id else items_link(program.pk, missing="field"),
            )
            for program in programs
        ]
        recurring = sum(1 for cell in cells if cell.value)
        table.add(Cell(names.get(field_id) or _("Chưa xác định lĩnh vực")), *cells, Cell(recurring))
    return Section(
        "themes",
        _("Chủ đề lặp lại qua các chương trình"),
        table,
        note=_("Lĩnh vực được nêu ở nhiều chương trình là vấn đề lặp lại, cần theo dõi giải quyết dứt điểm."),
        wide=True,
    )


def _communes_section(items, province, items_link) -> Section:
    """The communes that raised the most across the programs, each as it is today: a unit merged
    in 2025 counts with the commune that absorbed it (its commune page and list do the same)."""
    # Driven from the items (their program index, then each one's origins by index), so the
    # plan does not depend on how many origins the whole country has.
    today_unit = Coalesce("origin_links__commune__successor_id", "origin_links__commune_id")
    rows = list(
        items.annotate(unit=today_unit)
        .values("unit")
        .annotate(
            n=Count("pk", distinct=True),
            resolved=Count("pk", distinct=True, filter=Q(status__in=STAGES["answered"])),
        )
        .order_by("-n", "unit")[:TOP_COMMUNES]
    )
    units = AdminUnit.objects.filter(pk__in=[row["unit"] for row in rows]).in_bulk()
    table = Table(
        [
            Column(_("Xã, phường, thị trấn"), numeric=False),
            Column(_("Đã nêu")),
            Column(_("Đã trả lời")),
            Column(_("Tỷ lệ đã trả lời")),
        ]
    )
    for row in rows:
        unit = units[row["unit"]]
        table.add(
            Cell(unit.full_name, reverse("dashboards:commune", args=[unit.pk])),
            Cell(row["n"], items_link(commune=unit.pk)),
            Cell(row["resolved"], items_link(commune=unit.pk, stage="answered")),
            percent(row["resolved"], row["n"]),
        )
    return Section(
        "communes",
        _("Các xã, phường, thị trấn nêu nhiều nhất"),
        table,
        Chart(value_column=1, max_bars=10),
        note=_(
            "Một nội dung do nhiều đơn vị cùng nêu được tính cho mỗi đơn vị; đơn vị đã sáp nhập năm 2025 "
            "được tính vào xã, phường hiện nay."
        ),
        wide=True,
    )


# --- the grid of communes ----------------------------------------------------------------------


@dataclass
class Tile:
    pk: int
    name: str
    value: int
    level: int  # 0 (none) to 4 (the most), for the colour; the number is printed on the tile
    url: str
    list_url: str
    short_name: str = ""  # without "Xã", "Phường": what fits on the tile


@dataclass
class District:
    name: str
    tiles: list[Tile] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(tile.value for tile in self.tiles)


@dataclass
class Grid:
    program: Program | None
    metric: str
    districts: list[District]
    levels: list[tuple[int, int]]  # (from, to) of each colour level after 0

    @property
    def total(self) -> int:
        return sum(district.total for district in self.districts)


def unit_grid(user, province, program: Program | None, metric: str) -> Grid:
    """Every commune of the program's area as it was, grouped by district, with what it raised
    (or what is unresolved): one tile each, darker for more, the number printed on it."""
    if program is None:
        return Grid(None, metric, [], [])
    items = items_in(user, province.pk, program.pk)
    if metric == UNRESOLVED:
        items = items.exclude(status__in=STAGES["answered"])
    counts = dict(items.values_list("origin_links__commune_id").annotate(n=Count("pk", distinct=True)).order_by())
    _districts, communes = area_units(program)
    top = max(counts.values(), default=0)
    levels = _levels(top)
    grouped: dict[str, District] = {}
    for pk, kind, name, parent_kind, parent_name in communes.values_list(
        "pk", "kind", "name", "parent__kind", "parent__name"
    ):
        value = counts.get(pk, 0)
        district = grouped.setdefault(parent_name or "", District(AdminUnit.label(parent_kind, parent_name)))
        filters = {"commune": pk, "stage": UNRESOLVED if metric == UNRESOLVED else ""}
        district.tiles.append(
            Tile(
                pk,
                AdminUnit.label(kind, name),
                value,
                next((i for i, (low, high) in enumerate(levels, start=1) if low <= value <= high), 0),
                reverse("dashboards:commune", args=[pk]),
                drill_url("submissions", province=province.pk, program=program.pk, **filters),
                name,
            )
        )
    return Grid(program, metric, sorted(grouped.values(), key=lambda d: d.name), levels)


def _levels(top: int) -> list[tuple[int, int]]:
    """Four ranges of equal width from 1 to `top` (fewer when `top` is small)."""
    if top <= 0:
        return []
    if top <= 4:
        return [(value, value) for value in range(1, top + 1)]
    step = top / 4
    bounds = [0, *[round(step * i) for i in range(1, 4)], top]
    return [(bounds[i] + 1, bounds[i + 1]) for i in range(4)]


# --- one commune over the years ----------------------------------------------------------------


def commune_dashboard(user, unit: AdminUnit) -> tuple[Dashboard, list[Submission]]:
    """The commune's figures program by program, and every item it raised with what became of it."""
    today = timezone.localdate()
    units = commune_units(unit.pk)
    province = unit.province.current_unit()
    items = filter_items(items_in(user, province.pk), {"commune": unit.pk})
    facts = current_facts(items)
    rows = list(
        items.select_related("program", "field", "commune").order_by("-program__start_date", "program_id", "number")
    )
    lead_names = agency_names(province.pk, {fact.lead_id for fact in facts.values() if fact.lead_id})
    states = dict(DeadlineState.choices)
    by_program: dict[int, Counter] = defaultdict(Counter)
    programs: dict[int, Program] = {}
    for item in rows:
        fact = facts.get(item.pk)
        state = fact.state(today) if fact else None
        item.stage = STAGE_OF.get(item.status)
        if state is not None:
            item.deadline_label = states[state]
        elif item.stage == "answered":  # answered without a routing: on the spot, as a rule
            item.deadline_label = item.get_answer_mode_display() or STAGE_LABELS["answered"]
        else:
            item.deadline_label = _("Chưa giao cơ quan trả lời")
        item.deadline_state = state
        item.lead_name = lead_names.get(fact.lead_id, "") if fact else ""
        item.answered_on = fact.answered_on if fact else None
        programs[item.program_id] = item.program
        by_program[item.program_id]["raised"] += 1
        by_program[item.program_id][item.stage] += 1
        by_program[item.program_id][state] += 1
    delegates = delegate_counts(Delegate.objects.filter(program__in=programs_for(user), commune_id__in=units))
    table = Table(
        [
            Column(_("Chương trình"), numeric=False),
            Column(_("Đại biểu")),
            Column(_("Có mặt")),
            Column(_("Đã nêu")),
            Column(_("Đã trả lời")),
            Column(_("Tỷ lệ đã trả lời")),
            Column(_("Chưa trả lời – quá hạn")),
        ]
    )
    for program_id, program in programs.items():
        counter = by_program[program_id]

        def link(program_id=program_id, **filters):
            return drill_url("submissions", province=province.pk, program=program_id, commune=unit.pk, **filters)

        table.add(
            Cell(program_label(program), reverse("programs:detail", args=[program_id])),
            Cell(delegates[(program_id, "all")]),
            Cell(delegates[(program_id, "present")]),
            Cell(counter["raised"], link()),
            Cell(counter["answered"], link(stage="answered")),
            percent(counter["answered"], counter["raised"]),
            Cell(counter[DeadlineState.OPEN_OVERDUE], link(deadline=DeadlineState.OPEN_OVERDUE.value)),
        )

    def everything(**filters):
        return drill_url("submissions", province=province.pk, commune=unit.pk, **filters)

    raised = len(rows)
    answered = sum(1 for item in rows if item.stage == "answered")
    dashboard = Dashboard(
        title=unit.full_name,
        subtitle=_("Những gì đơn vị đã nêu qua các chương trình và kết quả giải quyết, đến ngày %(day)s")
        % {"day": today.strftime("%d/%m/%Y")},
        metrics=[
            Metric(_("Đã nêu"), raised, everything()),
            Metric(_("Đã trả lời"), answered, everything(stage="answered"), percent(answered, raised).text),
            Metric(_("Chưa trả lời"), raised - answered, everything(stage=UNRESOLVED)),
        ],
        sections=[Section("programs", _("Qua các chương trình"), table, wide=True)],
    )
    return dashboard, rows
