"""The Excel export of a list of assignments: one row per assignment with its lead and
coordinating agencies, schedule, state and last report. The follow-up list of a notice and the
dashboards' list export through it (the latter with the notice's number in front)."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dialogue import excel

from . import queries
from .models import Assignment
from .schedule import describe
from .status import AssignmentState, days_late, with_state

STATES = dict(AssignmentState.choices)
NOTICE_COLUMN = excel.Column("notice", gettext_lazy("Thông báo kết luận"), width=16)

COLUMNS = [
    excel.Column("order", gettext_lazy("STT"), width=6),
    excel.Column("text", gettext_lazy("Nội dung nhiệm vụ"), width=60),
    excel.Column("key_task", gettext_lazy("Nhiệm vụ trọng tâm"), width=36),
    excel.Column("lead", gettext_lazy("Cơ quan chủ trì"), width=36),
    excel.Column("coordinating", gettext_lazy("Cơ quan phối hợp"), width=36),
    excel.Column("output", gettext_lazy("Sản phẩm"), width=22),
    excel.Column("schedule", gettext_lazy("Thời hạn"), width=40),
    excel.Column("next_due_on", gettext_lazy("Hạn gần nhất chưa thực hiện"), width=16),
    excel.Column("days_late", gettext_lazy("Số ngày quá hạn"), width=10),
    excel.Column("state", gettext_lazy("Tình trạng"), width=26),
    excel.Column("completed_on", gettext_lazy("Ngày hoàn thành"), width=14),
    excel.Column("last_report", gettext_lazy("Báo cáo gần nhất"), width=14),
    excel.Column("percent", gettext_lazy("Tỷ lệ hoàn thành (%)"), width=12),
]


def assignment_rows(rows: QuerySet[Assignment], today: datetime.date, *, with_notice: bool = False):
    """One mapping per assignment of `rows` (any filtered queryset), in its order, in chunks."""
    coordinating = queries.coordinating_names(rows)
    if "state" not in rows.query.annotations:
        rows = with_state(rows, today)
    rows = queries.with_last_report(rows).select_related("lead_agency", "key_task", "notice")
    outputs = dict(Assignment.Output.choices)
    for row in rows.iterator(chunk_size=1000):
        line = {
            "order": row.order,
            "text": row.text,
            "key_task": str(row.key_task) if row.key_task else "",
            "lead": row.lead_agency.name,
            "coordinating": coordinating.get(row.pk, ""),
            "output": outputs.get(row.output, ""),
            "schedule": describe(row),
            "next_due_on": row.next_due_on,
            "days_late": days_late(row, today) or None,
            "state": STATES.get(row.state, ""),
            "completed_on": row.completed_on,
            "last_report": timezone.localdate(row.last_report_at) if row.last_report_at else None,
            "percent": row.last_percent,
        }
        if with_notice:
            line["notice"] = row.notice.number
        yield line


def assignments_workbook(rows: QuerySet[Assignment], title: str, today: datetime.date, *, with_notice=False) -> bytes:
    columns = [
        excel.Column(c.key, str(c.label), width=c.width) for c in ([NOTICE_COLUMN] if with_notice else []) + COLUMNS
    ]
    lines = assignment_rows(rows, today, with_notice=with_notice)
    return excel.write_table(columns, lines, title=title, sheet_name=_("Theo dõi thực hiện"))
