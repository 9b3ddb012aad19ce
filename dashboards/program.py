"""The program dashboard: how one program and its follow-up stand, for a leader in a minute —
delegates expected, confirmed and present (by district and post); questions, proposals and
recommendations by field, topic group, kind and stage; answered on the spot or in writing; the
time agencies took to answer and the on-time rate; the notice's assignments by state; and who is
late. A fixed number of queries whatever the program's size; every number links to its list."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from conclusions.status import AssignmentState, state_q
from programs.checkin import attendance
from programs.models import Program
from programs.rules import programs_for
from programs.views.documents import program_name
from submissions.deadlines import DeadlineState, current_facts
from submissions.models import Field, Submission

from .overview import program_series
from .queries import (
    ANSWERED_ANY,
    ASSIGNMENT_STATE_CHOICES,
    DONE_ASSIGNMENTS,
    OPEN_ASSIGNMENTS,
    STAGE_LABELS,
    STAGE_OF,
    agency_names,
    assignments_in,
    drill_url,
    items_in,
)
from .sections import Cell, Chart, Column, Dashboard, Metric, Section, Table, days, median_and_p90, percent

DEADLINE_LABELS = dict(DeadlineState.choices)


def program_dashboard(program: Program, user) -> Dashboard:
    today = timezone.localdate()
    dashboard = Dashboard(
        title=_("Bảng điều khiển chương trình"),
        subtitle=_("Số liệu đến ngày %(day)s") % {"day": today.strftime("%d/%m/%Y")},
        summary=_("Tình hình tổ chức và thực hiện kết luận %(program)s") % {"program": program_name(program)},
    )
    delegates = _delegate_sections(program, dashboard)
    items = _item_sections(program, user, dashboard, today)
    assignments = _assignment_sections(program, user, dashboard, today, items["late_by_agency"], items["names"])
    dashboard.metrics = [*delegates, *items["metrics"], *assignments]
    previous = programs_for(user).filter(pk=program.previous_id).first() if program.previous_id else None
    if previous is not None:
        series = program_series(user, program.province, [previous, program], today)
        dashboard.sections.insert(
            0,
            Section(
                "compare",
                _("So với chương trình lần trước"),
                series.table,
                note=_("Cùng các chỉ tiêu của chương trình lần trước, để thấy nhiệm kỳ này so với nhiệm kỳ trước."),
                wide=True,
            ),
        )
    return dashboard


# --- delegates ---------------------------------------------------------------------------------


def _delegate_sections(program: Program, dashboard: Dashboard) -> list[Metric]:
    """From `programs.checkin.attendance` (three queries); links open the delegate list."""
    counts = attendance(program)
    base = reverse("programs:delegates", args=[program.pk])

    def link(**filters) -> str:
        query = "&".join(f"{key}={value}" for key, value in filters.items())
        return f"{base}?{query}" if query else base

    total = counts.total
    metrics = [
        Metric(_("Đại biểu dự kiến"), total.expected, link()),
        Metric(
            _("Đã xác nhận dự"),
            total.confirmed,
            link(status="confirmed"),
            percent(total.confirmed, total.expected).text,
        ),
        Metric(
            _("Có mặt (đã điểm danh)"),
            total.present,
            link(presence="present"),
            percent(total.present, total.expected).text,
        ),
    ]
    by_district = Table(
        [
            Column(_("Huyện, thị xã, thành phố"), numeric=False),
            Column(_("Dự kiến")),
            Column(_("Đã xác nhận")),
            Column(_("Có mặt")),
            Column(_("Tỷ lệ có mặt")),
        ]
    )
    for district in counts.districts:
        tally = district.tally
        where = {"district": district.pk} if district.pk else {}
        by_district.add(
            Cell(district.name),
            Cell(tally.expected, link(**where)),
            Cell(tally.confirmed, link(**where, status="confirmed")),
            Cell(tally.present, link(**where, presence="present")),
            percent(tally.present, tally.expected),
        )
    by_district.footer = [
        Cell(_("Tổng số")),
        Cell(total.expected, link()),
        Cell(total.confirmed, link(status="confirmed")),
        Cell(total.present, link(presence="present")),
        percent(total.present, total.expected),
    ]
    by_post = Table(
        [
            Column(_("Chức danh"), numeric=False),
            Column(_("Suất đại biểu")),
            Column(_("Đã có người")),
            Column(_("Đã xác nhận")),
            Column(_("Có mặt")),
            Column(_("Tỷ lệ có mặt")),
        ]
    )
    for post in counts.posts:
        by_post.add(
            Cell(post.label),
            Cell(post.seats),
            Cell(post.filled, link(post=post.post)),
            Cell(post.confirmed, link(post=post.post, status="confirmed")),
            Cell(post.present, link(post=post.post, presence="present")),
            percent(post.present, post.seats),
        )
    dashboard.sections += [
        Section(
            "delegates_district", _("Đại biểu theo huyện"), by_district, Chart(value_column=3, max_bars=40), wide=True
        ),
        Section(
            "delegates_post",
            _("Đại biểu theo chức danh"),
            by_post,
            note=_("Một người giữ hai chức danh được tính ở cả hai."),
        ),
    ]
    return metrics


# --- questions, proposals and recommendations --------------------------------------------------


def _item_sections(program: Program, user, dashboard: Dashboard, today) -> dict:
    province = program.province_id
    items = items_in(user, province, program.pk)
    grouped = list(
        items.values_list("kind", "field_id", "topic_group_id", "status", "answer_mode")
        .annotate(n=Count("pk"))
        .order_by()
    )
    facts = current_facts(items)
    field_names = dict(Field.objects.values_list("pk", "name"))
    group_names = dict(program.topic_groups.values_list("pk", "name"))
    names = agency_names(province, {fact.lead_id for fact in facts.values() if fact.lead_id})

    def link(**filters) -> str:
        return drill_url("submissions", province=province, program=program.pk, **filters)

    total = sum(n for *_rest, n in grouped)
    by = {name: Counter() for name in ("kind", "field", "topic_group", "stage", "mode")}
    for kind, field_id, group_id, status, mode, n in grouped:
        by["kind"][kind] += n
        by["field"][field_id] += n
        by["topic_group"][group_id] += n
        by["stage"][STAGE_OF.get(status)] += n
        if STAGE_OF.get(status) == "answered":
            by["mode"][mode or ""] += n

    def count_table(heading, counter, labels, param) -> Table:
        table = Table([Column(heading, numeric=False), Column(_("Số lượng")), Column(_("Tỷ lệ"))])
        keys = sorted(counter, key=lambda key: (-counter[key], str(labels.get(key, ""))))
        for key in keys:
            label = labels.get(key) or _("Chưa xác định")
            if key not in (None, ""):
                url = link(**{param: key})
            else:  # not classified yet: the list of items without it
                url = link(missing=param) if param in ("field", "topic_group") else ""
            table.add(Cell(label), Cell(counter[key], url), percent(counter[key], total))
        table.footer = [Cell(_("Tổng số")), Cell(total, link()), percent(total, total)]
        return table

    states = Counter()
    by_agency: dict[int, Counter] = defaultdict(Counter)
    waits = []
    for fact in facts.values():
        state = fact.state(today)
        states[state] += 1
        if fact.lead_id:
            by_agency[fact.lead_id][state] += 1
        wait = fact.days_to_answer()
        if wait is not None and state in (DeadlineState.ANSWERED_ON_TIME, DeadlineState.ANSWERED_LATE):
            waits.append(wait)
    not_routed = total - sum(n for state, n in states.items() if state is not None)
    answered = states[DeadlineState.ANSWERED_ON_TIME] + states[DeadlineState.ANSWERED_LATE]
    median, p90 = median_and_p90(waits)
    on_time = percent(states[DeadlineState.ANSWERED_ON_TIME], answered)

    deadline_table = Table(
        [Column(_("Tình trạng hạn trả lời"), numeric=False), Column(_("Số lượng")), Column(_("Tỷ lệ"))]
    )
    for state in DeadlineState:
        deadline_table.add(
            Cell(DEADLINE_LABELS[state]), Cell(states[state], link(deadline=state.value)), percent(states[state], total)
        )
    deadline_table.add(
        Cell(_("Chưa giao cơ quan trả lời")), Cell(not_routed, link(deadline="no_deadline")), percent(not_routed, total)
    )
    modes = dict(Submission.AnswerMode.choices)
    mode_table = Table([Column(_("Hình thức trả lời"), numeric=False), Column(_("Số lượng")), Column(_("Tỷ lệ"))])
    answered_items = sum(by["mode"].values())
    for mode, label in modes.items():
        mode_table.add(
            Cell(label),
            Cell(by["mode"][mode], link(stage="answered", answer_mode=mode)),
            percent(by["mode"][mode], answered_items),
        )
    time_table = Table([Column(_("Chỉ tiêu"), numeric=False), Column(_("Giá trị"))])
    time_table.add(
        Cell(_("Số nội dung đã trả lời bằng văn bản sau khi giao")), Cell(len(waits), link(deadline=ANSWERED_ANY))
    )
    time_table.add(Cell(_("Thời gian trả lời, trung vị")), days(median))
    time_table.add(Cell(_("Thời gian trả lời, 90% nội dung trong vòng")), days(p90))
    time_table.add(Cell(_("Tỷ lệ trả lời đúng hạn")), on_time)

    late_by_agency = {agency: counter[DeadlineState.OPEN_OVERDUE] for agency, counter in by_agency.items()}
    agency_table = Table(
        [
            Column(_("Cơ quan chủ trì trả lời"), numeric=False),
            Column(_("Được giao")),
            Column(_("Đã trả lời")),
            Column(_("Đúng hạn")),
            Column(_("Chưa trả lời – quá hạn")),
        ]
    )
    for agency_id in sorted(by_agency, key=lambda pk: (-sum(by_agency[pk].values()), names.get(pk, ""))):
        counter = by_agency[agency_id]
        agency_table.add(
            Cell(names.get(agency_id, ""), reverse("dashboards:agency", args=[agency_id])),
            Cell(sum(counter.values()), link(agency=agency_id)),
            Cell(
                counter[DeadlineState.ANSWERED_ON_TIME] + counter[DeadlineState.ANSWERED_LATE],
                link(agency=agency_id, deadline=ANSWERED_ANY),
            ),
            Cell(
                counter[DeadlineState.ANSWERED_ON_TIME],
                link(agency=agency_id, deadline=DeadlineState.ANSWERED_ON_TIME.value),
            ),
            Cell(
                counter[DeadlineState.OPEN_OVERDUE], link(agency=agency_id, deadline=DeadlineState.OPEN_OVERDUE.value)
            ),
        )

    kinds = dict(Submission.Kind.choices)
    dashboard.sections += [
        Section(
            "items_field",
            _("Câu hỏi, đề xuất, kiến nghị theo lĩnh vực"),
            count_table(_("Lĩnh vực"), by["field"], field_names, "field"),
            Chart(),
        ),
        Section(
            "items_topic",
            _("Theo nhóm vấn đề"),
            count_table(_("Nhóm vấn đề"), by["topic_group"], group_names, "topic_group"),
            Chart(),
        ),
        Section("items_kind", _("Theo loại"), count_table(_("Loại"), by["kind"], kinds, "kind"), Chart()),
        Section(
            "items_stage",
            _("Theo tình trạng xử lý"),
            count_table(_("Tình trạng"), by["stage"], STAGE_LABELS, "stage"),
            Chart(),
        ),
        Section("items_deadline", _("Tình trạng hạn trả lời"), deadline_table, Chart()),
        Section("items_mode", _("Trả lời trực tiếp và bằng văn bản"), mode_table, Chart()),
        Section(
            "answer_time",
            _("Thời gian trả lời"),
            time_table,
            note=_("Tính từ ngày giao cơ quan trả lời đến ngày cơ quan gửi câu trả lời, theo ngày lịch."),
        ),
        Section("items_agency", _("Cơ quan được giao trả lời"), agency_table, wide=True),
    ]
    overdue = states[DeadlineState.OPEN_OVERDUE]
    metrics = [
        Metric(_("Câu hỏi, đề xuất, kiến nghị"), total, link()),
        Metric(
            _("Đã trả lời"),
            by["stage"]["answered"],
            link(stage="answered"),
            percent(by["stage"]["answered"], total).text,
        ),
        Metric(
            _("Chưa trả lời – quá hạn"),
            overdue,
            link(deadline=DeadlineState.OPEN_OVERDUE.value),
            tone="danger" if overdue else "",
        ),
        Metric(
            _("Trả lời đúng hạn"),
            on_time.text,
            link(deadline=DeadlineState.ANSWERED_ON_TIME.value),
            _("%(n)s trên %(m)s nội dung đã trả lời") % {"n": states[DeadlineState.ANSWERED_ON_TIME], "m": answered},
        ),
        Metric(
            _("Thời gian trả lời (trung vị)"),
            str(days(median)),
            link(deadline=ANSWERED_ANY),
            _("90%% trong vòng %(p90)s") % {"p90": days(p90)},
        ),
    ]
    return {"metrics": metrics, "late_by_agency": late_by_agency, "names": names}


# --- the notice's assignments ------------------------------------------------------------------


def _assignment_sections(
    program: Program, user, dashboard: Dashboard, today, late_items: dict[int, int], names: dict[int, str]
) -> list[Metric]:
    province = program.province_id
    rows = assignments_in(user, province, program.pk)
    states = [value for value, _label in ASSIGNMENT_STATE_CHOICES if value not in (OPEN_ASSIGNMENTS, DONE_ASSIGNMENTS)]
    by_lead = list(
        rows.values("lead_agency_id", "lead_agency__name")
        .annotate(**{state: Count("pk", filter=state_q(state, today)) for state in states})
        .order_by("lead_agency__name")
    )

    def link(**filters) -> str:
        return drill_url("assignments", province=province, program=program.pk, **filters)

    totals = Counter()
    for row in by_lead:
        for state in states:
            totals[state] += row[state]
    total = sum(totals.values())
    labels = dict(ASSIGNMENT_STATE_CHOICES)
    state_table = Table([Column(_("Tình trạng"), numeric=False), Column(_("Số nhiệm vụ")), Column(_("Tỷ lệ"))])
    for state in states:
        state_table.add(Cell(labels[state]), Cell(totals[state], link(state=state)), percent(totals[state], total))
    state_table.footer = [Cell(_("Tổng số")), Cell(total, link()), percent(total, total)]

    late_table = Table(
        [
            Column(_("Cơ quan"), numeric=False),
            Column(_("Nhiệm vụ quá hạn")),
            Column(_("Câu hỏi, kiến nghị quá hạn trả lời")),
        ]
    )
    names = {**names, **{row["lead_agency_id"]: row["lead_agency__name"] for row in by_lead}}
    late_assignments = {row["lead_agency_id"]: row[AssignmentState.OPEN_OVERDUE] for row in by_lead}
    late_agencies = {pk for pk, n in late_assignments.items() if n} | {pk for pk, n in late_items.items() if n}
    for agency_id in sorted(
        late_agencies, key=lambda pk: (-(late_assignments.get(pk, 0) + late_items.get(pk, 0)), names.get(pk, ""))
    ):
        late_table.add(
            Cell(names.get(agency_id, ""), reverse("dashboards:agency", args=[agency_id])),
            Cell(late_assignments.get(agency_id, 0), link(agency=agency_id, state=AssignmentState.OPEN_OVERDUE.value)),
            Cell(
                late_items.get(agency_id, 0),
                drill_url(
                    "submissions",
                    province=province,
                    program=program.pk,
                    agency=agency_id,
                    deadline=DeadlineState.OPEN_OVERDUE.value,
                ),
            ),
        )
    dashboard.sections += [
        Section("assignments_state", _("Nhiệm vụ theo thông báo kết luận"), state_table, Chart()),
        Section(
            "late_by_agency",
            _("Cơ quan có việc quá hạn"),
            late_table,
            note=_(
                "Nhiệm vụ của thông báo kết luận chưa hoàn thành quá hạn và câu hỏi, kiến nghị chưa trả lời quá hạn."
            ),
            wide=True,
        ),
    ]
    overdue = totals[AssignmentState.OPEN_OVERDUE]
    done = totals[AssignmentState.DONE_ON_TIME] + totals[AssignmentState.DONE_LATE]
    return [
        Metric(_("Nhiệm vụ được giao"), total, link()),
        Metric(_("Nhiệm vụ đã hoàn thành"), done, link(state=DONE_ASSIGNMENTS), percent(done, total).text),
        Metric(
            _("Nhiệm vụ quá hạn"),
            overdue,
            link(state=AssignmentState.OPEN_OVERDUE.value),
            tone="danger" if overdue else "",
        ),
    ]
