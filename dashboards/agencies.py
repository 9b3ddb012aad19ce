"""The agency scorecard: for every agency of a province (over all its programs or one), the
items it leads the answer of, how many it answered, on time or late, how many are overdue, the
median days it took, its open and overdue assignments and its last progress report; sortable.
And one agency's page: the same figures program by program, and its open assignments.
A fixed number of queries whatever the data: the items' facts come in two plain queries
(`submissions.deadlines.current_facts`), the assignments in one grouped query."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from conclusions.models import ProgressReport
from conclusions.status import AssignmentState, state_q
from directory.models import Agency
from submissions.deadlines import DeadlineState, current_facts

from .queries import (
    ANSWERED_ANY,
    OPEN_ASSIGNMENTS,
    ROUTED_ANY,
    agency_names,
    assignments_in,
    drill_url,
    items_in,
    program_label,
)
from .sections import Cell, Column, Dashboard, Metric, Section, Table, days, median_and_p90, percent

D = DeadlineState


@dataclass
class Score:
    """One agency's figures (over the items and assignments counted)."""

    states: Counter = field(default_factory=Counter)
    waits: list[int] = field(default_factory=list)
    open_assignments: int = 0
    late_assignments: int = 0
    last_report: object = None

    @property
    def routed(self) -> int:
        return sum(self.states.values())

    @property
    def answered(self) -> int:
        return self.states[D.ANSWERED_ON_TIME] + self.states[D.ANSWERED_LATE]

    @property
    def median_days(self) -> float | None:
        return median_and_p90(self.waits)[0]

    def add(self, other: Score) -> None:
        """Add another row's figures (for the totals)."""
        self.states.update(other.states)
        self.waits += other.waits
        self.open_assignments += other.open_assignments
        self.late_assignments += other.late_assignments
        if other.last_report and (self.last_report is None or other.last_report > self.last_report):
            self.last_report = other.last_report


def scores(user, province_id: int, program_id: int | None = None, *, by_program: bool = False) -> dict:
    """{agency id: Score}, or {(agency id, program id): Score} with `by_program`."""
    today = timezone.localdate()
    items = items_in(user, province_id, program_id)
    result: dict = defaultdict(Score)
    program_of = dict(items.values_list("pk", "program_id").order_by()) if by_program else {}
    for pk, fact in current_facts(items).items():
        if not fact.lead_id:
            continue
        score = result[(fact.lead_id, program_of[pk]) if by_program else fact.lead_id]
        state = fact.state(today)
        score.states[state] += 1
        wait = fact.days_to_answer()
        if wait is not None and state in (D.ANSWERED_ON_TIME, D.ANSWERED_LATE):
            score.waits.append(wait)
    assignments = assignments_in(user, province_id, program_id)
    keys = ["lead_agency_id", "notice__program_id"] if by_program else ["lead_agency_id"]
    for row in (
        assignments.values(*keys)
        .annotate(
            open=Count(
                "pk", filter=state_q(AssignmentState.OPEN_WITHIN, today) | state_q(AssignmentState.OPEN_OVERDUE, today)
            ),
            late=Count("pk", filter=state_q(AssignmentState.OPEN_OVERDUE, today)),
        )
        .order_by()
    ):
        score = result[tuple(row[key] for key in keys) if by_program else row["lead_agency_id"]]
        score.open_assignments, score.late_assignments = row["open"], row["late"]
    reports = ProgressReport.objects.filter(assignment__in=assignments.values("pk"))
    report_keys = (
        ["assignment__lead_agency_id", "assignment__notice__program_id"]
        if by_program
        else ["assignment__lead_agency_id"]
    )
    for row in reports.values(*report_keys).annotate(last=Max("reported_at")).order_by():
        key = tuple(row[k] for k in report_keys) if by_program else row["assignment__lead_agency_id"]
        if key in result:
            result[key].last_report = row["last"]
    return dict(result)


SORTS = {
    "name": lambda name, s: name,
    "routed": lambda name, s: -s.routed,
    "answered": lambda name, s: -s.answered,
    "on_time": lambda name, s: -s.states[D.ANSWERED_ON_TIME],
    "late": lambda name, s: -s.states[D.ANSWERED_LATE],
    "overdue": lambda name, s: -s.states[D.OPEN_OVERDUE],
    "rate": lambda name, s: -(s.states[D.ANSWERED_ON_TIME] / s.answered if s.answered else -1),
    "median": lambda name, s: (s.median_days is None, s.median_days or 0),
    "open_assignments": lambda name, s: -s.open_assignments,
    "late_assignments": lambda name, s: -s.late_assignments,
    "last_report": lambda name, s: -(s.last_report.timestamp() if s.last_report else 0),
}


def score_columns(first: str) -> list[Column]:
    return [
        Column(first, numeric=False, sort_key="name"),
        Column(_("Được giao trả lời"), sort_key="routed"),
        Column(_("Đã trả lời"), sort_key="answered"),
        Column(_("Đúng hạn"), sort_key="on_time"),
        Column(_("Trễ hạn"), sort_key="late"),
        Column(_("Chưa trả lời – quá hạn"), sort_key="overdue"),
        Column(_("Tỷ lệ đúng hạn"), sort_key="rate"),
        Column(_("Số ngày trả lời (trung vị)"), sort_key="median"),
        Column(_("Nhiệm vụ đang thực hiện"), sort_key="open_assignments"),
        Column(_("Nhiệm vụ quá hạn"), sort_key="late_assignments"),
        Column(_("Báo cáo tiến độ gần nhất"), sort_key="last_report"),
    ]


def score_cells(score: Score, item_link, assignment_link) -> list[Cell]:
    """The figures of one row; `item_link(**filters)` and `assignment_link(**filters)` open the
    lists behind them."""
    last = timezone.localtime(score.last_report).date() if score.last_report else None
    return [
        Cell(score.routed, item_link(deadline=ROUTED_ANY)),
        Cell(score.answered, item_link(deadline=ANSWERED_ANY)),
        Cell(score.states[D.ANSWERED_ON_TIME], item_link(deadline=D.ANSWERED_ON_TIME.value)),
        Cell(score.states[D.ANSWERED_LATE], item_link(deadline=D.ANSWERED_LATE.value)),
        Cell(score.states[D.OPEN_OVERDUE], item_link(deadline=D.OPEN_OVERDUE.value)),
        percent(score.states[D.ANSWERED_ON_TIME], score.answered),
        days(score.median_days),
        Cell(score.open_assignments, assignment_link(state=OPEN_ASSIGNMENTS)),
        Cell(score.late_assignments, assignment_link(state=AssignmentState.OPEN_OVERDUE.value)),
        Cell(last, text=last.strftime("%d/%m/%Y") if last else "–"),
    ]


def scorecard(user, province, program=None, sort: str = "overdue") -> Dashboard:
    """Every agency of the province with something to answer or to do, sorted by `sort`."""
    program_id = program.pk if program else None
    by_agency = scores(user, province.pk, program_id)
    names = agency_names(province.pk, by_agency)
    sort_key = SORTS.get(sort, SORTS["overdue"])
    table = Table(score_columns(_("Cơ quan")))
    total = Score()
    for agency_id in sorted(by_agency, key=lambda pk: (sort_key(names.get(pk, ""), by_agency[pk]), names.get(pk, ""))):
        score = by_agency[agency_id]
        total.add(score)

        def item_link(agency_id=agency_id, **filters):
            return drill_url("submissions", province=province.pk, program=program_id, agency=agency_id, **filters)

        def assignment_link(agency_id=agency_id, **filters):
            return drill_url("assignments", province=province.pk, program=program_id, agency=agency_id, **filters)

        table.add(
            Cell(names.get(agency_id, ""), reverse("dashboards:agency", args=[agency_id])),
            *score_cells(score, item_link, assignment_link),
        )
    table.footer = [
        Cell(_("Tổng số")),
        *score_cells(
            total,
            lambda **f: drill_url("submissions", province=province.pk, program=program_id, **f),
            lambda **f: drill_url("assignments", province=province.pk, program=program_id, **f),
        ),
    ]
    where = program_label(program) if program else province.full_name
    dashboard = Dashboard(
        title=_("Bảng theo dõi các cơ quan trả lời, thực hiện: %(where)s") % {"where": where},
        subtitle=_("Số liệu đến ngày %(day)s") % {"day": timezone.localdate().strftime("%d/%m/%Y")},
    )
    late_agencies = sum(1 for s in by_agency.values() if s.states[D.OPEN_OVERDUE] or s.late_assignments)
    dashboard.metrics = [
        Metric(_("Cơ quan được giao"), len(by_agency)),
        Metric(_("Cơ quan có việc quá hạn"), late_agencies, tone="danger" if late_agencies else ""),
        Metric(_("Tỷ lệ trả lời đúng hạn"), percent(total.states[D.ANSWERED_ON_TIME], total.answered).text),
        Metric(_("Số ngày trả lời (trung vị)"), str(days(total.median_days))),
    ]
    dashboard.sections = [Section("agencies", _("Các cơ quan"), table, wide=True)]
    return dashboard


def agency_dashboard(user, agency: Agency) -> Dashboard:
    """One agency, program by program, with its assignments still open."""
    from programs.models import Program

    by_program = scores(user, agency.province_id, by_program=True)
    mine = {program_id: score for (agency_id, program_id), score in by_program.items() if agency_id == agency.pk}
    programs = {p.pk: p for p in Program.objects.filter(pk__in=list(mine)).order_by("-start_date")}
    table = Table(score_columns(_("Chương trình")))
    total = Score()
    for program_id, program in programs.items():
        score = mine[program_id]
        total.add(score)

        def item_link(program_id=program_id, **filters):
            return drill_url(
                "submissions", province=agency.province_id, program=program_id, agency=agency.pk, **filters
            )

        def assignment_link(program_id=program_id, **filters):
            return drill_url(
                "assignments", province=agency.province_id, program=program_id, agency=agency.pk, **filters
            )

        label = program_label(program)
        table.add(
            Cell(label, reverse("programs:detail", args=[program_id])), *score_cells(score, item_link, assignment_link)
        )
    dashboard = Dashboard(
        title=agency.name,
        subtitle=_("Kết quả trả lời và thực hiện nhiệm vụ qua các chương trình, đến ngày %(day)s")
        % {"day": timezone.localdate().strftime("%d/%m/%Y")},
    )

    def all_items(**filters):
        return drill_url("submissions", province=agency.province_id, agency=agency.pk, **filters)

    def all_assignments(**filters):
        return drill_url("assignments", province=agency.province_id, agency=agency.pk, **filters)

    dashboard.metrics = [
        Metric(_("Được giao trả lời"), total.routed, all_items(deadline=ROUTED_ANY)),
        Metric(
            _("Đã trả lời"),
            total.answered,
            all_items(deadline=ANSWERED_ANY),
            percent(total.answered, total.routed).text,
        ),
        Metric(
            _("Chưa trả lời – quá hạn"),
            total.states[D.OPEN_OVERDUE],
            all_items(deadline=D.OPEN_OVERDUE.value),
            tone="danger" if total.states[D.OPEN_OVERDUE] else "",
        ),
        Metric(
            _("Tỷ lệ trả lời đúng hạn"),
            percent(total.states[D.ANSWERED_ON_TIME], total.answered).text,
            all_items(deadline=D.ANSWERED_ON_TIME.value),
        ),
        Metric(_("Số ngày trả lời (trung vị)"), str(days(total.median_days))),
        Metric(_("Nhiệm vụ đang thực hiện"), total.open_assignments, all_assignments(state=OPEN_ASSIGNMENTS)),
        Metric(
            _("Nhiệm vụ quá hạn"),
            total.late_assignments,
            all_assignments(state=AssignmentState.OPEN_OVERDUE.value),
            tone="danger" if total.late_assignments else "",
        ),
    ]
    dashboard.sections = [
        Section("programs", _("Qua các chương trình"), table, wide=True),
        open_assignments_section(user, agency),
    ]
    return dashboard


OPEN_LIST_LIMIT = 50


def open_assignments_section(user, agency: Agency) -> Section:
    """The agency's assignments still open, the oldest date first (at most 50; the list behind
    the heading's number has them all)."""
    from conclusions.status import with_state

    today = timezone.localdate()
    rows = (
        with_state(
            assignments_in(user, agency.province_id).filter(lead_agency=agency, next_due_on__isnull=False), today
        )
        .select_related("notice", "notice__program")
        .order_by("next_due_on", "id")[:OPEN_LIST_LIMIT]
    )
    labels = dict(AssignmentState.choices)
    table = Table(
        [
            Column(_("Nhiệm vụ"), numeric=False),
            Column(_("Thông báo"), numeric=False),
            Column(_("Hạn gần nhất"), numeric=False),
            Column(_("Tình trạng"), numeric=False),
        ]
    )
    for row in rows:
        text = " ".join(row.text.split())
        table.add(
            Cell(
                text if len(text) <= 120 else text[:119] + "…", reverse("conclusions:assignment_detail", args=[row.pk])
            ),
            Cell(f"{row.notice.number} ({row.notice.program.start_date.year})"),
            Cell(row.next_due_on, text=row.next_due_on.strftime("%d/%m/%Y")),
            Cell(labels[row.state]),
        )
    return Section(
        "open_assignments",
        _("Nhiệm vụ đang thực hiện"),
        table,
        note=_("Hạn gần nhất trước; tối đa %(n)s dòng.") % {"n": OPEN_LIST_LIMIT},
        wide=True,
    )
