"""The Excel export of a list of questions, proposals and recommendations: one row per item
with its classification, origin, routing and deadline state. The triage list and the
dashboards' list export through it."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dialogue import excel

from .deadlines import state_of
from .queries import with_triage_columns

COLUMNS = [
    excel.Column("reference", gettext_lazy("Số hiệu"), width=14),
    excel.Column("title", gettext_lazy("Tiêu đề"), width=50),
    excel.Column("kind", gettext_lazy("Loại"), width=12),
    excel.Column("field", gettext_lazy("Lĩnh vực"), width=30),
    excel.Column("topic_group", gettext_lazy("Nhóm vấn đề"), width=30),
    excel.Column("commune", gettext_lazy("Xã, phường, thị trấn gửi"), width=24),
    excel.Column("district", gettext_lazy("Huyện, thị xã, thành phố"), width=24),
    excel.Column("origin_count", gettext_lazy("Số đơn vị nêu"), width=10),
    excel.Column("status", gettext_lazy("Trạng thái"), width=22),
    excel.Column("answer_mode", gettext_lazy("Hình thức trả lời"), width=24),
    excel.Column("agency", gettext_lazy("Cơ quan trả lời"), width=36),
    excel.Column("deadline", gettext_lazy("Hạn trả lời"), width=14),
    excel.Column("deadline_state", gettext_lazy("Tình trạng hạn"), width=24),
    excel.Column("submitted_at", gettext_lazy("Ngày gửi"), width=14),
    excel.Column("acknowledge_due", gettext_lazy("Hạn báo đã tiếp nhận"), width=14),
    excel.Column("acknowledged_at", gettext_lazy("Ngày báo đã tiếp nhận"), width=14),
]


def _local_day(moment):
    return timezone.localdate(moment) if moment else None


def item_rows(items: QuerySet):
    """One mapping per item of `items` (any filtered queryset), read in chunks."""
    for item in with_triage_columns(items).iterator(chunk_size=1000):
        yield {
            "reference": item.reference,
            "title": item.title,
            "kind": item.get_kind_display(),
            "field": item.field.name if item.field else "",
            "topic_group": item.topic_group.name if item.topic_group else "",
            "commune": item.commune.full_name,
            "district": item.commune.parent.full_name if item.commune.parent_id else "",
            "origin_count": item.origin_count,
            "status": item.get_status_display(),
            "answer_mode": item.get_answer_mode_display() if item.answer_mode else "",
            "agency": item.current_lead_name or "",
            "deadline": item.current_deadline,
            "deadline_state": state.label if (state := state_of(item)) else "",
            "submitted_at": _local_day(item.submitted_at),
            "acknowledge_due": item.acknowledge_due,
            "acknowledged_at": _local_day(item.acknowledged_at),
        }


def items_workbook(items: QuerySet, title: str) -> bytes:
    columns = [excel.Column(c.key, str(c.label), width=c.width) for c in COLUMNS]
    return excel.write_table(columns, item_rows(items), title=title, sheet_name=_("Câu hỏi, đề xuất"))
