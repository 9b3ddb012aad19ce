"""The yearly follow-up report (báo cáo kết quả thực hiện thông báo kết luận) the standing agency
sends the Standing Committee: every assignment of a notice with how it stands, what was owed
and reported that year with its evidence, extensions and the Fatherland Front's remarks, and
how the program's questions, proposals and recommendations were answered.

`collect(notice, year)` gathers it all in a fixed number of queries, however many assignments
and reports there are; `render_pdf_bytes(data)` prints it in the official frame
(templates/documents/followup_report.html) and `render_xlsx_bytes(data)` writes the same rows
to Excel (assignments, reports, submissions). A notice with hundreds of assignments is
rendered by a background job (`conclusions.jobs`).

States are taken at the report's date: today for the current year, 31 December for a past one,
computed from the dues with the rule of `conclusions.status` (the same answer as
`status.state_of` on today's date).
"""

from __future__ import annotations

import datetime
import io
import os
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dialogue import excel
from dialogue.pdf import render_pdf
from programs.views.documents import document_place, host_short_name, issuer_lines, program_name
from programs.views.forums import issuing_body, report_signature
from submissions.deadlines import DeadlineState, deadline_state, with_deadlines
from submissions.models import Submission

from .models import Assignment, ConclusionNotice, Due, Evidence, Extension, ProgressReport, SupervisionRemark
from .schedule import describe
from .status import BADGE, RANK, AssignmentState

ProgressCallback = Callable[..., None]

# Items that never reached the agencies are not counted: drafts, withdrawn, merged into another.
NOT_COUNTED = [Submission.Status.DRAFT, Submission.Status.WITHDRAWN, Submission.Status.MERGED]
NO_DEADLINE = "no_deadline"
SUBMISSION_STATES = [
    *(
        (state.value, state.label)
        for state in (
            DeadlineState.ANSWERED_ON_TIME,
            DeadlineState.ANSWERED_LATE,
            DeadlineState.OPEN_WITHIN,
            DeadlineState.OPEN_OVERDUE,
        )
    ),
    (NO_DEADLINE, gettext_lazy("Chưa giao cơ quan trả lời")),
]
# The order the report counts assignments in: done first, as results are reported.
REPORT_STATE_ORDER = [
    AssignmentState.DONE_ON_TIME,
    AssignmentState.DONE_LATE,
    AssignmentState.OPEN_WITHIN,
    AssignmentState.OPEN_OVERDUE,
    AssignmentState.NOT_STARTED,
]
DONE_STATES = frozenset({AssignmentState.DONE_ON_TIME, AssignmentState.DONE_LATE})


# --- the data --------------------------------------------------------------------------------------


@dataclass
class EvidenceEntry:
    name: str
    extension: str


@dataclass
class ReportEntry:
    reported_on: datetime.date
    text: str
    percent: int | None
    milestone: str
    completes: bool
    due_label: str
    evidence: list[EvidenceEntry] = field(default_factory=list)


@dataclass
class DueEntry:
    label: str
    due_on: datetime.date
    original_due_on: datetime.date
    done_on: datetime.date | None
    state: AssignmentState

    @property
    def state_label(self) -> str:
        return str(self.state.label)

    @property
    def is_extended(self) -> bool:
        return self.due_on != self.original_due_on


@dataclass
class ExtensionEntry:
    due_label: str
    previous_due_on: datetime.date
    requested_until: datetime.date
    reason: str
    status_label: str
    requested_on: datetime.date


@dataclass
class RemarkEntry:
    created_on: datetime.date
    text: str


@dataclass
class SubmissionRow:
    pk: int
    reference: str
    title: str
    commune: str
    agency: str
    deadline: datetime.date | None
    answered_on: datetime.date | None
    state: str  # a DeadlineState value or NO_DEADLINE
    assignments: list[int] = field(default_factory=list)  # numbers of the assignments it belongs to

    @property
    def state_label(self) -> str:
        return str(dict(SUBMISSION_STATES)[self.state])

    @property
    def is_open(self) -> bool:
        return self.state in (DeadlineState.OPEN_WITHIN, DeadlineState.OPEN_OVERDUE, NO_DEADLINE)


@dataclass
class AssignmentRow:
    number: int
    pk: int
    text: str
    key_task: str
    lead: str
    coordinating: list[str]
    schedule: str
    next_due_on: datetime.date | None
    state: AssignmentState
    days_late: int
    dues: list[DueEntry]
    reports: list[ReportEntry]
    extensions: list[ExtensionEntry]
    remarks: list[RemarkEntry]
    submissions: list[SubmissionRow]

    @property
    def state_label(self) -> str:
        return str(self.state.label)

    @property
    def badge(self) -> str:
        return BADGE[self.state]

    @property
    def latest(self) -> ReportEntry | None:
        return self.reports[0] if self.reports else None

    @property
    def evidence(self) -> list[EvidenceEntry]:
        return [e for report in self.reports for e in report.evidence]


@dataclass
class FollowupData:
    notice: ConclusionNotice
    year: int
    as_of: datetime.date
    rows: list[AssignmentRow]
    submissions: list[SubmissionRow]
    state_counts: list[tuple[str, str, int]]  # (state, label, count) in REPORT_STATE_ORDER
    submission_counts: list[tuple[str, str, int]]
    lead_count: int
    report_count: int
    evidence_count: int
    extension_count: int
    remark_count: int

    @property
    def program(self):
        return self.notice.program

    @property
    def late_rows(self) -> list[AssignmentRow]:
        return sorted(
            (r for r in self.rows if r.state == AssignmentState.OPEN_OVERDUE), key=lambda r: (-r.days_late, r.number)
        )

    @property
    def late_submissions(self) -> list[SubmissionRow]:
        return [s for s in self.submissions if s.state == DeadlineState.OPEN_OVERDUE]

    @property
    def linked_submissions(self) -> list[SubmissionRow]:
        return [s for s in self.submissions if s.assignments]

    @property
    def done_count(self) -> int:
        return sum(count for state, _label, count in self.state_counts if state in DONE_STATES)

    def count_of(self, state: str) -> int:
        return next((count for s, _label, count in self.state_counts if s == state), 0)


def report_day(year: int, today: datetime.date | None = None) -> datetime.date:
    """The date the report's states are taken at: today in the current year, else 31 December."""
    today = today or timezone.localdate()
    return today if year >= today.year else datetime.date(year, 12, 31)


def state_at(dues: list, day: datetime.date) -> AssignmentState:
    """How an assignment stood on `day`, from its dues (objects with due_on, done_on): the rule of
    `conclusions.workflow.refresh` and `conclusions.status.state_of`, with work done after
    `day` counted as not yet done."""
    open_dates = [d.due_on for d in dues if d.done_on is None or d.done_on > day]
    if open_dates:
        return AssignmentState.OPEN_OVERDUE if min(open_dates) < day else AssignmentState.OPEN_WITHIN
    if not dues:
        return AssignmentState.NOT_STARTED
    late = any(d.done_on > d.due_on for d in dues)
    return AssignmentState.DONE_LATE if late else AssignmentState.DONE_ON_TIME


def _due_state(due, day: datetime.date) -> AssignmentState:
    if due.done_on is None or due.done_on > day:
        return AssignmentState.OPEN_OVERDUE if due.due_on < day else AssignmentState.OPEN_WITHIN
    return AssignmentState.DONE_LATE if due.done_on > due.due_on else AssignmentState.DONE_ON_TIME


def _extension_of(name: str) -> str:
    return os.path.splitext(name)[1].lstrip(".").upper()


def _grouped(rows, key) -> dict:
    groups = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return groups


def _submission_rows(notice: ConclusionNotice, day: datetime.date, numbers: dict[int, int]) -> list[SubmissionRow]:
    """Every item of the program that reached the agencies, with its answer state on `day` (2 queries)."""
    links = _grouped(
        Assignment.submissions.through.objects.filter(assignment__notice=notice).values(
            "assignment_id", "submission_id"
        ),
        key=lambda link: link["submission_id"],
    )
    items = (
        with_deadlines(Submission.objects.filter(program_id=notice.program_id).exclude(status__in=NOT_COUNTED))
        .select_related("commune")
        .order_by("number", "id")
    )
    from directory.models import Agency

    items = list(items)
    agencies = dict(
        Agency.objects.filter(pk__in={i.current_lead_id for i in items if i.current_lead_id}).values_list("pk", "name")
    )
    rows = []
    for item in items:
        answered = timezone.localdate(item.first_answer_at) if item.first_answer_at else None
        if answered and answered > day:
            answered = None
        state = deadline_state(item.current_deadline, answered, today=day)
        rows.append(
            SubmissionRow(
                pk=item.pk,
                reference=item.reference,
                title=item.title,
                commune=item.commune.name if item.commune_id else "",
                agency=agencies.get(item.current_lead_id, ""),
                deadline=item.current_deadline,
                answered_on=answered,
                state=state.value if state else NO_DEADLINE,
                assignments=sorted(numbers[link["assignment_id"]] for link in links.get(item.pk, [])),
            )
        )
    return rows


def collect(notice: ConclusionNotice, year: int, *, progress: ProgressCallback | None = None) -> FollowupData:
    """Everything the yearly report says about `notice` in `year`, in a fixed number of queries.
    `progress(done, total, stage)` is told as each assignment is put together."""
    day = report_day(year)
    notice = (
        ConclusionNotice.objects.select_related("program__host", "program__area", "program__standing_agency")
        .prefetch_related("program__committee")
        .get(pk=notice.pk)
    )
    assignments = list(
        Assignment.objects.filter(notice=notice).select_related("lead_agency", "key_task").order_by("order", "id")
    )
    numbers = {a.pk: position for position, a in enumerate(assignments, start=1)}
    coordinating = _grouped(
        Assignment.coordinating_agencies.through.objects.filter(assignment__notice=notice)
        .select_related("agency")
        .order_by("agency__name"),
        key=lambda link: link.assignment_id,
    )
    dues = _grouped(
        Due.objects.filter(assignment__notice=notice).order_by("original_due_on", "id"), key=lambda d: d.assignment_id
    )
    in_year = Q(reported_at__year=year)
    reports = _grouped(
        ProgressReport.objects.filter(in_year, assignment__notice=notice)
        .select_related("due")
        .order_by("-reported_at", "-id"),
        key=lambda r: r.assignment_id,
    )
    evidence = _grouped(
        Evidence.objects.filter(report__assignment__notice=notice, report__reported_at__year=year)
        .order_by("uploaded_at", "id")
        .values("report_id", "original_name"),
        key=lambda e: e["report_id"],
    )
    extensions = _grouped(
        Extension.objects.filter(due__assignment__notice=notice, requested_at__year=year)
        .select_related("due")
        .order_by("requested_at", "id"),
        key=lambda e: e.due.assignment_id,
    )
    remarks = _grouped(
        SupervisionRemark.objects.filter(assignment__notice=notice, created_at__year=year).order_by("created_at", "id"),
        key=lambda r: r.assignment_id,
    )
    submissions = _submission_rows(notice, day, numbers)
    by_submission_assignment = defaultdict(list)
    for row in submissions:
        for number in row.assignments:
            by_submission_assignment[number].append(row)

    total = len(assignments)
    if progress:
        progress(0, total, _("Đang tổng hợp số liệu"))
    rows = []
    for position, assignment in enumerate(assignments, start=1):
        own_dues = dues.get(assignment.pk, [])
        state = state_at(own_dues, day)
        open_dates = [d.due_on for d in own_dues if d.done_on is None or d.done_on > day]
        next_due = min(open_dates) if open_dates else None
        rows.append(
            AssignmentRow(
                number=position,
                pk=assignment.pk,
                text=assignment.text,
                key_task=assignment.key_task.text if assignment.key_task_id else "",
                lead=assignment.lead_agency.name,
                coordinating=[link.agency.name for link in coordinating.get(assignment.pk, [])],
                schedule=describe(assignment),
                next_due_on=next_due,
                state=state,
                days_late=(day - next_due).days if next_due and next_due < day else 0,
                dues=[
                    DueEntry(d.label, d.due_on, d.original_due_on, d.done_on, _due_state(d, day))
                    for d in own_dues
                    if d.due_on.year == year or d.original_due_on.year == year or (d.done_on and d.done_on.year == year)
                ],
                reports=[
                    ReportEntry(
                        reported_on=timezone.localdate(r.reported_at),
                        text=r.text,
                        percent=r.percent,
                        milestone=r.milestone,
                        completes=r.completes,
                        due_label=r.due.label if r.due_id else "",
                        evidence=[
                            EvidenceEntry(e["original_name"], _extension_of(e["original_name"]))
                            for e in evidence.get(r.pk, [])
                        ],
                    )
                    for r in reports.get(assignment.pk, [])
                ],
                extensions=[
                    ExtensionEntry(
                        due_label=e.due.label,
                        previous_due_on=e.previous_due_on,
                        requested_until=e.requested_until,
                        reason=e.reason,
                        status_label=str(e.get_status_display()),
                        requested_on=timezone.localdate(e.requested_at),
                    )
                    for e in extensions.get(assignment.pk, [])
                ],
                remarks=[RemarkEntry(timezone.localdate(r.created_at), r.text) for r in remarks.get(assignment.pk, [])],
                submissions=by_submission_assignment.get(position, []),
            )
        )
        if progress:
            progress(position, total)

    states = Counter(row.state for row in rows)
    answer_states = Counter(row.state for row in submissions)
    return FollowupData(
        notice=notice,
        year=year,
        as_of=day,
        rows=rows,
        submissions=submissions,
        state_counts=[(s.value, str(s.label), states[s]) for s in REPORT_STATE_ORDER],
        submission_counts=[(state, str(label), answer_states[state]) for state, label in SUBMISSION_STATES],
        lead_count=len({a.lead_agency_id for a in assignments}),
        report_count=sum(len(r.reports) for r in rows),
        evidence_count=sum(len(r.evidence) for r in rows),
        extension_count=sum(len(r.extensions) for r in rows),
        remark_count=sum(len(r.remarks) for r in rows),
    )


# --- the document ----------------------------------------------------------------------------------


def document_context(data: FollowupData) -> dict:
    notice, program = data.notice, data.program
    body = issuing_body(program)
    host = host_short_name(program)
    return {
        "data": data,
        "notice": notice,
        "program": program,
        "program_name": program_name(program),
        "issuer": issuer_lines(program, with_standing_agency=True),
        "issuing_body": body,
        "host": host,
        "standing": f"Thường trực {host}",
        "year": str(data.year),  # a year is not a number to group: never "2.026"
        "number": "",  # numbered and dated by the standing agency when signed
        "place": document_place(program),
        "date": None,
        "doc_type": "BÁO CÁO",
        "summary": f"kết quả thực hiện Thông báo kết luận số {notice.number}, năm {data.year}",
        "recipients": [
            f"Thường trực {host} (để b/c)",
            "Các đồng chí thành viên Ban tổ chức chương trình",
            "Các cơ quan được giao chủ trì thực hiện",
            f"Lưu {body}",
        ],
        "signature": report_signature(program),
        "rank": RANK,
    }


def render_pdf_bytes(data: FollowupData) -> bytes:
    return render_pdf("documents/followup_report.html", document_context(data))


def file_stem(data: FollowupData) -> str:
    number = data.notice.number.replace("/", "-")
    return _("Báo cáo kết quả thực hiện %(number)s năm %(year)s") % {"number": number, "year": data.year}


# --- Excel -----------------------------------------------------------------------------------------

ASSIGNMENT_COLUMNS = [
    ("number", gettext_lazy("TT"), 6),
    ("key_task", gettext_lazy("Nhiệm vụ trọng tâm"), 30),
    ("text", gettext_lazy("Nội dung nhiệm vụ"), 50),
    ("lead", gettext_lazy("Cơ quan chủ trì"), 32),
    ("coordinating", gettext_lazy("Cơ quan phối hợp"), 32),
    ("schedule", gettext_lazy("Thời hạn"), 36),
    ("next_due_on", gettext_lazy("Hạn gần nhất chưa thực hiện"), 14),
    ("state", gettext_lazy("Tình trạng"), 26),
    ("days_late", gettext_lazy("Số ngày quá hạn"), 10),
    ("report_count", gettext_lazy("Số báo cáo trong năm"), 10),
    ("latest_on", gettext_lazy("Ngày báo cáo gần nhất"), 13),
    ("latest_percent", gettext_lazy("Tỷ lệ hoàn thành (%)"), 10),
    ("latest_text", gettext_lazy("Nội dung báo cáo gần nhất"), 60),
    ("evidence", gettext_lazy("Tài liệu minh chứng"), 40),
    ("extensions", gettext_lazy("Gia hạn"), 36),
    ("remarks", gettext_lazy("Ý kiến giám sát"), 50),
    ("submissions", gettext_lazy("Câu hỏi, kiến nghị liên quan"), 24),
]
REPORT_COLUMNS = [
    ("assignment", gettext_lazy("Nhiệm vụ số"), 8),
    ("lead", gettext_lazy("Cơ quan chủ trì"), 32),
    ("due", gettext_lazy("Kỳ báo cáo"), 18),
    ("reported_on", gettext_lazy("Ngày báo cáo"), 13),
    ("percent", gettext_lazy("Tỷ lệ hoàn thành (%)"), 10),
    ("milestone", gettext_lazy("Mốc đã đạt"), 30),
    ("completes", gettext_lazy("Đã hoàn thành"), 10),
    ("text", gettext_lazy("Nội dung báo cáo"), 70),
    ("evidence", gettext_lazy("Tài liệu minh chứng"), 40),
]
SUBMISSION_COLUMNS = [
    ("reference", gettext_lazy("Số hiệu"), 14),
    ("title", gettext_lazy("Tiêu đề"), 50),
    ("commune", gettext_lazy("Đơn vị nêu"), 22),
    ("agency", gettext_lazy("Cơ quan trả lời"), 32),
    ("deadline", gettext_lazy("Hạn trả lời"), 13),
    ("answered_on", gettext_lazy("Ngày trả lời"), 13),
    ("state", gettext_lazy("Tình trạng"), 26),
    ("assignments", gettext_lazy("Thuộc nhiệm vụ số"), 12),
]


def _columns(spec) -> list[excel.Column]:
    return [excel.Column(key, str(label), width=width) for key, label, width in spec]


def _names(evidence: list[EvidenceEntry]) -> str:
    return "\n".join(e.name for e in evidence)


def assignment_rows(data: FollowupData):
    for row in data.rows:
        latest = row.latest
        yield {
            "number": row.number,
            "key_task": row.key_task,
            "text": row.text,
            "lead": row.lead,
            "coordinating": "; ".join(row.coordinating),
            "schedule": row.schedule,
            "next_due_on": row.next_due_on,
            "state": row.state_label,
            "days_late": row.days_late or None,
            "report_count": len(row.reports),
            "latest_on": latest.reported_on if latest else None,
            "latest_percent": latest.percent if latest else None,
            "latest_text": latest.text if latest else "",
            "evidence": _names(row.evidence),
            "extensions": "\n".join(
                f"{e.due_label}: {e.previous_due_on:%d/%m/%Y} → {e.requested_until:%d/%m/%Y} ({e.status_label})"
                for e in row.extensions
            ),
            "remarks": "\n".join(f"{r.created_on:%d/%m/%Y}: {r.text}" for r in row.remarks),
            "submissions": ", ".join(s.reference for s in row.submissions),
        }


def report_rows(data: FollowupData):
    for row in data.rows:
        for report in row.reports:
            yield {
                "assignment": row.number,
                "lead": row.lead,
                "due": report.due_label,
                "reported_on": report.reported_on,
                "percent": report.percent,
                "milestone": report.milestone,
                "completes": report.completes,
                "text": report.text,
                "evidence": _names(report.evidence),
            }


def submission_rows(data: FollowupData):
    for row in data.submissions:
        yield {
            "reference": row.reference,
            "title": row.title,
            "commune": row.commune,
            "agency": row.agency,
            "deadline": row.deadline,
            "answered_on": row.answered_on,
            "state": row.state_label,
            "assignments": ", ".join(str(n) for n in row.assignments),
        }


def _combine(sheets: list[bytes]) -> bytes:
    """One workbook from the one-sheet workbooks `excel.write_table` writes, keeping values,
    formats, widths, the frozen header and the filter."""
    from copy import copy

    from openpyxl import Workbook, load_workbook

    combined = Workbook()
    combined.remove(combined.active)
    for content in sheets:
        source_book = load_workbook(io.BytesIO(content))
        source = source_book.active
        target = combined.create_sheet(source.title)
        for row in source.iter_rows():
            for cell in row:
                if cell.value is None and not cell.has_style:
                    continue
                new = target.cell(row=cell.row, column=cell.column, value=cell.value)
                if cell.data_type == "s":
                    new.data_type = "s"  # text starting with "=" stays text
                if cell.has_style:
                    new.font, new.fill, new.border = copy(cell.font), copy(cell.fill), copy(cell.border)
                    new.alignment, new.number_format = copy(cell.alignment), cell.number_format
        for letter, dimension in source.column_dimensions.items():
            target.column_dimensions[letter].width = dimension.width
        target.freeze_panes = source.freeze_panes
        target.auto_filter.ref = source.auto_filter.ref
        if not combined.properties.title:
            combined.properties.title = source_book.properties.title
            combined.properties.creator = source_book.properties.creator
    buffer = io.BytesIO()
    combined.save(buffer)
    return buffer.getvalue()


def render_xlsx_bytes(data: FollowupData, *, progress: ProgressCallback | None = None) -> bytes:
    """Three sheets: assignments, the year's progress reports, the program's submissions."""
    number, year = data.notice.number, data.year
    parts = [
        (
            ASSIGNMENT_COLUMNS,
            assignment_rows,
            _("Kết quả thực hiện Thông báo kết luận số %(number)s – năm %(year)s"),
            _("Nhiệm vụ"),
        ),
        (
            REPORT_COLUMNS,
            report_rows,
            _("Báo cáo tiến độ năm %(year)s – Thông báo kết luận số %(number)s"),
            _("Báo cáo tiến độ"),
        ),
        (
            SUBMISSION_COLUMNS,
            submission_rows,
            _("Tình hình trả lời câu hỏi, đề xuất, kiến nghị – Thông báo kết luận số %(number)s"),
            _("Câu hỏi, kiến nghị"),
        ),
    ]
    sheets = []
    for index, (spec, rows, title, sheet_name) in enumerate(parts):
        sheets.append(
            excel.write_table(
                _columns(spec), rows(data), title=title % {"number": number, "year": year}, sheet_name=sheet_name
            )
        )
        if progress:
            progress(index + 1, len(parts) + 1)
    return _combine(sheets)
