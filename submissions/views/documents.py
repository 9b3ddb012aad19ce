"""Documents of the submissions: the list of every question, proposal and recommendation for
the leaders before the program (PDF, grouped by topic group and field), and the answers
compendium after it (PDF grouped by topic group, and Excel with one row per item), in the
official frame of templates/documents/base_official.html, issued by the standing agency.

Who may have them: the list is for the organizers and the Standing Committee (and
administrators); the compendium, which holds published answers only, also for the supervisor.
Items come through `submissions_for`, so nobody gets more than they may see.
"""

from __future__ import annotations

import itertools
from collections import Counter

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F, Prefetch, QuerySet
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dialogue import excel
from dialogue.pdf import pdf_response, render_pdf
from directory.models import AdminUnit, Role
from directory.permissions import role_of
from programs.models import Program
from programs.views.documents import document_place, host_short_name, issuer_lines, program_name
from programs.views.forums import ROMAN, issuing_body, report_signature

from ..deadlines import deadline_state, with_deadlines
from ..models import Answer, Submission, SubmissionOrigin
from ..queries import NOT_LISTED
from ..rules import RESULT_STATUSES, submissions_for
from .common import get_program

LIST_READERS = frozenset({Role.ADMIN, Role.ORGANIZER, Role.STANDING_COMMITTEE})
COMPENDIUM_READERS = LIST_READERS | {Role.SUPERVISOR}


def _program_for(request, program_pk: int, readers: frozenset) -> Program:
    program = get_program(request, program_pk)
    if role_of(request.user) not in readers:
        raise PermissionDenied
    return program


def _numeral(index: int) -> str:
    return ROMAN[index] if index < len(ROMAN) else str(index + 1)


def commune_label(commune: AdminUnit) -> str:
    """ "Xã Nghi Phú, huyện Nghi Lộc"; a commune directly under the province (after 2025) alone."""
    parent = commune.parent
    if parent is None or parent.level == AdminUnit.Level.PROVINCE:
        return commune.full_name
    name = parent.full_name
    return f"{commune.full_name}, {name[:1].lower()}{name[1:]}"


def origins_text(item: Submission) -> str:
    communes = [link.commune for link in item.origin_links.all()] or [item.commune]
    return "; ".join(commune_label(c) for c in communes)


def _origins() -> Prefetch:
    return Prefetch(
        "origin_links",
        queryset=SubmissionOrigin.objects.select_related("commune", "commune__parent").order_by("id"),
    )


def _ordered(items: QuerySet[Submission], *, by_field: bool) -> QuerySet[Submission]:
    order = [F("topic_group__order").asc(nulls_last=True), F("topic_group__id").asc(nulls_last=True)]
    if by_field:
        order += [F("field__order").asc(nulls_last=True), F("field__name").asc(nulls_last=True)]
    return items.order_by(*order, "number", "id")


def _issuer_context(program: Program) -> dict:
    body = issuing_body(program)
    return {
        "program": program,
        "program_name": program_name(program),
        "issuer": issuer_lines(program, with_standing_agency=True),
        "issuing_body": body,
        "number": "",  # numbered and dated by the standing agency when signed
        "place": document_place(program),
        "date": None,
        "recipients": [
            f"Thường trực {host_short_name(program)} (để b/c)",
            "Các đồng chí thành viên Ban tổ chức chương trình",
            f"Lưu {body}",
        ],
        "signature": report_signature(program),
    }


# --- the list before the program -----------------------------------------------------------------


def list_context(program: Program, user) -> dict:
    """Every item sent for the program, grouped by topic group, then field, numbered through."""
    items = list(
        _ordered(
            submissions_for(user).filter(program=program).exclude(status__in=NOT_LISTED),
            by_field=True,
        )
        .select_related("field", "topic_group", "commune", "commune__parent")
        .prefetch_related(_origins())
    )
    groups = []
    number = 0
    for index, (topic_group, in_group) in enumerate(itertools.groupby(items, key=lambda i: i.topic_group)):
        fields = []
        for field_index, (field, in_field) in enumerate(itertools.groupby(in_group, key=lambda i: i.field)):
            rows = []
            for item in in_field:
                number += 1
                item.row_number = number
                item.origins_text = origins_text(item)
                rows.append(item)
            fields.append({"number": field_index + 1, "field": field, "items": rows})
        groups.append({"numeral": _numeral(index), "topic_group": topic_group, "fields": fields})
    communes = {link.commune_id for item in items for link in item.origin_links.all()}
    kinds = Counter(item.kind for item in items)
    return {
        **_issuer_context(program),
        "doc_type": "DANH SÁCH",
        "summary": f"câu hỏi, đề xuất, kiến nghị của các xã, phường, thị trấn gửi {program_name(program)}",
        "groups": groups,
        "total": len(items),
        "commune_count": len(communes),
        "kind_counts": [(label, kinds[value]) for value, label in Submission.Kind.choices if kinds[value]],
    }


@login_required
def list_pdf(request, program_pk: int):
    program = _program_for(request, program_pk, LIST_READERS)
    pdf = render_pdf("documents/submission_list.html", list_context(program, request.user), request=request)
    return pdf_response(
        pdf, _("Danh sách câu hỏi, đề xuất, kiến nghị - %(title)s.pdf") % {"title": program.title[:100]}
    )


# --- the answers compendium after the program ------------------------------------------------------


def compendium_items(program: Program, user) -> list[Submission]:
    """The items with a published answer, in topic-group order, each with `published` (its
    published answers), `origins_text` and `state` (the deadline state)."""
    published = Answer.objects.filter(status=Answer.Status.PUBLISHED).select_related("agency").order_by("published_at")
    items = list(
        _ordered(
            with_deadlines(submissions_for(user).filter(program=program, status__in=RESULT_STATUSES)),
            by_field=False,
        )
        .select_related("topic_group", "field", "commune", "commune__parent")
        .prefetch_related(_origins(), Prefetch("answers", queryset=published, to_attr="published"))
    )
    for item in items:
        item.origins_text = origins_text(item)
        first = min((a.answered_on for a in item.published if a.answered_on), default=None)
        item.answered_on = first
        item.state = deadline_state(item.current_deadline, first) if first else None
    return [item for item in items if item.published]


def compendium_context(program: Program, user) -> dict:
    items = compendium_items(program, user)
    groups = []
    for index, (topic_group, in_group) in enumerate(itertools.groupby(items, key=lambda i: i.topic_group)):
        groups.append({"numeral": _numeral(index), "topic_group": topic_group, "items": list(in_group)})
    modes = Counter(answer.mode for item in items for answer in item.published[:1])
    received = submissions_for(user).filter(program=program).exclude(status__in=NOT_LISTED).count()
    return {
        **_issuer_context(program),
        "doc_type": "BÁO CÁO",
        "summary": "tổng hợp trả lời câu hỏi, đề xuất, kiến nghị của các xã, phường, thị trấn tại "
        + program_name(program),
        "groups": groups,
        "total": len(items),
        "received": received,
        "on_spot": modes[Submission.AnswerMode.ON_SPOT],
        "in_writing": modes[Submission.AnswerMode.IN_WRITING],
    }


@login_required
def answers_pdf(request, program_pk: int):
    program = _program_for(request, program_pk, COMPENDIUM_READERS)
    pdf = render_pdf("documents/answers_compendium.html", compendium_context(program, request.user), request=request)
    return pdf_response(pdf, _("Tổng hợp trả lời - %(title)s.pdf") % {"title": program.title[:110]})


ANSWER_COLUMNS = [
    excel.Column("number", gettext_lazy("STT"), width=6),
    excel.Column("reference", gettext_lazy("Số hiệu"), width=14),
    excel.Column("topic_group", gettext_lazy("Nhóm vấn đề"), width=28),
    excel.Column("communes", gettext_lazy("Đơn vị nêu"), width=34),
    excel.Column("title", gettext_lazy("Tiêu đề"), width=44),
    excel.Column("agency", gettext_lazy("Cơ quan trả lời"), width=32),
    excel.Column("answered_by", gettext_lazy("Người trả lời"), width=28),
    excel.Column("mode", gettext_lazy("Hình thức trả lời"), width=24),
    excel.Column("answered_on", gettext_lazy("Ngày trả lời"), width=13),
    excel.Column("deadline", gettext_lazy("Hạn trả lời"), width=13),
    excel.Column("state", gettext_lazy("Tình trạng thời hạn"), width=24),
    excel.Column("answer", gettext_lazy("Nội dung trả lời"), width=80),
]


def answer_rows(items: list[Submission]):
    for number, item in enumerate(items, start=1):
        answers = item.published
        yield {
            "number": number,
            "reference": item.reference,
            "topic_group": item.topic_group.name if item.topic_group else "",
            "communes": item.origins_text,
            "title": item.title,
            "agency": "; ".join(a.agency.name for a in answers if a.agency),
            "answered_by": "; ".join(a.answered_by for a in answers if a.answered_by),
            "mode": "; ".join(str(a.get_mode_display()) for a in answers),
            "answered_on": item.answered_on,
            "deadline": item.current_deadline,
            "state": str(item.state.label) if item.state else "",
            "answer": "\n\n".join(a.text for a in answers),
        }


@login_required
def answers_xlsx(request, program_pk: int):
    program = _program_for(request, program_pk, COMPENDIUM_READERS)
    items = compendium_items(program, request.user)
    columns = [excel.Column(c.key, str(c.label), width=c.width) for c in ANSWER_COLUMNS]
    title = _("Tổng hợp trả lời câu hỏi, đề xuất, kiến nghị – %(program)s") % {"program": program.title}
    content = excel.write_table(columns, answer_rows(items), title=title, sheet_name=_("Trả lời"))
    return excel.xlsx_response(content, _("Tổng hợp trả lời - %(title)s") % {"title": program.title[:100]})


urlpatterns = [
    path("chuong-trinh/<int:program_pk>/cau-hoi/danh-sach.pdf", list_pdf, name="list_pdf"),
    path("chuong-trinh/<int:program_pk>/cau-hoi/tra-loi.pdf", answers_pdf, name="answers_pdf"),
    path("chuong-trinh/<int:program_pk>/cau-hoi/tra-loi.xlsx", answers_xlsx, name="answers_xlsx"),
]
