"""Every change to a notice of conclusions and to the work it assigns. Each function checks the
move is allowed, runs in one transaction with the rows locked, and writes the action log;
nothing else assigns a status or a date the status is computed from.

    notice:    draft → submitted → approved → issued (frozen) → superseded by a correction
               submitted → draft (returned with a remark)
    assignment: its dues are created at issue; a progress report fulfils a due; an approved
               extension moves a due's date and keeps the original.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dialogue.uploads import store_upload
from directory import audit
from notifications.delivery import notify

from .models import Assignment, ConclusionNotice, Due, Evidence, Extension, KeyTask, ProgressReport, SupervisionRemark
from .schedule import planned_dues

N = ConclusionNotice.Status

for verb, label in {
    "notice.create": gettext_lazy("Lập dự thảo thông báo kết luận"),
    "notice.update": gettext_lazy("Sửa dự thảo thông báo kết luận"),
    "notice.submit": gettext_lazy("Trình duyệt thông báo kết luận"),
    "notice.return": gettext_lazy("Trả lại dự thảo thông báo kết luận"),
    "notice.approve": gettext_lazy("Duyệt thông báo kết luận"),
    "notice.issue": gettext_lazy("Ban hành thông báo kết luận"),
    "notice.correct": gettext_lazy("Lập bản đính chính thông báo kết luận"),
    "notice.supersede": gettext_lazy("Thông báo được thay thế"),
    "assignment.save": gettext_lazy("Lưu nhiệm vụ được giao"),
    "assignment.delete": gettext_lazy("Xóa nhiệm vụ được giao"),
    "assignment.report": gettext_lazy("Báo cáo tiến độ"),
    "extension.request": gettext_lazy("Đề nghị gia hạn"),
    "extension.approve": gettext_lazy("Đồng ý gia hạn"),
    "extension.refuse": gettext_lazy("Không đồng ý gia hạn"),
    "assignment.remark": gettext_lazy("Ý kiến giám sát"),
}.items():
    audit.register_verb(verb, label)

# Fields of a notice that a correction copies and an editor may change while it is a draft.
NOTICE_FIELDS = [
    "doc_type",
    "issuer_code",
    "issuing_body",
    "place",
    "summary",
    "assessment",
    "key_tasks_intro",
    "closing",
    "recipients",
    "signing_form",
    "signing_body",
    "signer_title",
    "signer_name",
]
ASSIGNMENT_FIELDS = [
    "order",
    "lead_agency",
    "text",
    "output",
    "output_detail",
    "schedule",
    "deadline",
    "working_days",
    "cycle",
    "report_day",
    "cycle_until",
]


class WorkflowError(ValidationError):
    """A refused change, with a message fit to show the user."""


def _locked(notice: ConclusionNotice) -> ConclusionNotice:
    return ConclusionNotice.objects.select_for_update().get(pk=notice.pk)


def _require_status(notice: ConclusionNotice, *allowed: str) -> None:
    if notice.status in allowed:
        return
    if notice.is_frozen:
        raise WorkflowError(_("Thông báo đã ban hành không sửa được; muốn thay đổi, hãy lập bản đính chính, thay thế."))
    raise WorkflowError(
        _("Không thể thực hiện thao tác này khi thông báo đang ở trạng thái “%(status)s”.")
        % {"status": notice.get_status_display()}
    )


def _require_draft(notice: ConclusionNotice) -> None:
    _require_status(notice, N.DRAFT)


def _notify_agencies(notice: ConclusionNotice, *, what: str, url: str, agencies=None) -> None:
    """Tell the agencies (the notice's lead and coordinating agencies unless `agencies` is
    given), in the app and by e-mail after commit."""
    if agencies is None:
        through = Assignment.coordinating_agencies.through.objects.filter(assignment__notice=notice)
        agencies = {*notice.assignments.values_list("lead_agency_id", flat=True)}
        agencies |= set(through.values_list("agency_id", flat=True))
    notify(
        "conclusions.update", agencies=sorted(getattr(a, "pk", a) for a in agencies), url=url, context={"what": what}
    )


# --- the notice ----------------------------------------------------------------------------------


def _clean_notice(notice: ConclusionNotice) -> None:
    try:
        notice.full_clean(exclude=["created_by", "program", "replaces", "approved_by"])
    except ValidationError as exc:
        raise WorkflowError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from exc


@transaction.atomic
def create_notice(program, *, by, **fields) -> ConclusionNotice:
    notice = ConclusionNotice(program=program, created_by=by, **fields)
    _clean_notice(notice)
    notice.save()
    audit.record(by, "notice.create", notice)
    return notice


@transaction.atomic
def update_notice(notice: ConclusionNotice, *, by, **fields) -> ConclusionNotice:
    locked = _locked(notice)
    _require_draft(locked)
    changed = {name: value for name, value in fields.items() if getattr(locked, name) != value}
    for name, value in changed.items():
        setattr(locked, name, value)
    _clean_notice(locked)
    locked.save()
    if changed:
        audit.record(by, "notice.update", locked, fields=sorted(changed))
    return locked


@transaction.atomic
def save_key_tasks(notice: ConclusionNotice, texts: list[str], *, by) -> list[KeyTask]:
    """Set the key tasks in order; rows are updated in place so assignments keep their link."""
    locked = _locked(notice)
    _require_draft(locked)
    texts = [text.strip() for text in texts if text and text.strip()]
    existing = list(locked.key_tasks.order_by("order", "id"))
    tasks = []
    for position, text in enumerate(texts, start=1):
        task = existing[position - 1] if position <= len(existing) else KeyTask(notice=locked)
        task.order, task.text = position, text
        task.save()
        tasks.append(task)
    for task in existing[len(texts) :]:
        task.delete()
    audit.record(by, "notice.update", locked, key_tasks=len(tasks))
    return tasks


def check_assignment(assignment: Assignment, coordinating=(), submissions=()) -> None:
    """The rules an assignment's schedule and agencies follow, with messages for the form."""
    errors: dict[str, str] = {}
    if assignment.lead_agency_id and any(a.pk == assignment.lead_agency_id for a in coordinating):
        errors["coordinating_agencies"] = _("Cơ quan chủ trì không đồng thời là cơ quan phối hợp.")
    if assignment.schedule == Assignment.Schedule.DEADLINE:
        if assignment.deadline and assignment.working_days:
            errors["deadline"] = _("Chỉ nhập hạn theo ngày hoặc theo số ngày làm việc, không nhập cả hai.")
        elif not assignment.deadline and not assignment.working_days:
            errors["deadline"] = _("Hãy nhập hạn hoàn thành (ngày, hoặc số ngày làm việc).")
    else:
        if not assignment.cycle:
            errors["cycle"] = _("Hãy chọn kỳ báo cáo.")
        if not assignment.cycle_until:
            errors["cycle_until"] = _("Hãy nhập ngày kết thúc việc báo cáo định kỳ.")
    if assignment.key_task_id and assignment.key_task.notice_id != assignment.notice_id:
        errors["key_task"] = _("Nhiệm vụ trọng tâm không thuộc thông báo này.")
    program_id = assignment.notice.program_id
    foreign = [s for s in submissions if s.program_id != program_id]
    if foreign:
        errors["submissions"] = _("Câu hỏi, kiến nghị %(refs)s không thuộc chương trình này.") % {
            "refs": ", ".join(s.reference or str(s.pk) for s in foreign)
        }
    if errors:
        raise WorkflowError(errors)


@transaction.atomic
def save_assignment(assignment: Assignment, *, by, coordinating=(), submissions=()) -> Assignment:
    notice = _locked(assignment.notice)
    _require_draft(notice)
    if assignment.schedule == Assignment.Schedule.DEADLINE:
        assignment.cycle, assignment.cycle_until = "", None
    else:
        assignment.deadline, assignment.working_days = None, None
    if not assignment.order:
        assignment.order = (notice.assignments.aggregate(top=Max("order"))["top"] or 0) + 1
    check_assignment(assignment, coordinating, submissions)
    assignment.save()
    assignment.coordinating_agencies.set(coordinating)
    assignment.submissions.set(submissions)
    audit.record(by, "assignment.save", notice, assignment=assignment.pk, agency=str(assignment.lead_agency))
    return assignment


@transaction.atomic
def delete_assignment(assignment: Assignment, *, by) -> None:
    notice = _locked(assignment.notice)
    _require_draft(notice)
    audit.record(by, "assignment.delete", notice, assignment=assignment.pk, text=assignment.text[:200])
    assignment.delete()


@transaction.atomic
def submit(notice: ConclusionNotice, *, by) -> ConclusionNotice:
    locked = _locked(notice)
    _require_draft(locked)
    if not locked.assignments.exists() and not locked.key_tasks.exists():
        raise WorkflowError(_("Thông báo chưa có nhiệm vụ trọng tâm hay nhiệm vụ được giao nào."))
    locked.status, locked.remark = N.SUBMITTED, ""
    locked.save()
    audit.record(by, "notice.submit", locked, old=N.DRAFT, new=N.SUBMITTED)
    return locked


@transaction.atomic
def return_to_draft(notice: ConclusionNotice, *, by, remark: str) -> ConclusionNotice:
    locked = _locked(notice)
    _require_status(locked, N.SUBMITTED, N.APPROVED)
    if not remark.strip():
        raise WorkflowError(_("Hãy ghi lý do trả lại."))
    old = locked.status
    locked.status, locked.remark = N.DRAFT, remark.strip()
    locked.approved_by, locked.approved_at = None, None
    locked.save()
    audit.record(by, "notice.return", locked, old=old, new=N.DRAFT, remark=remark.strip())
    return locked


@transaction.atomic
def approve(notice: ConclusionNotice, *, by) -> ConclusionNotice:
    locked = _locked(notice)
    _require_status(locked, N.SUBMITTED)
    locked.status, locked.approved_by, locked.approved_at = N.APPROVED, by, timezone.now()
    locked.save()
    audit.record(by, "notice.approve", locked, old=N.SUBMITTED, new=N.APPROVED)
    return locked


def number_taken(notice: ConclusionNotice, sequence: int, issued_on: datetime.date) -> bool:
    return (
        ConclusionNotice.objects.filter(
            issuer_code=notice.issuer_code, doc_type=notice.doc_type, issued_year=issued_on.year, sequence=sequence
        )
        .exclude(pk=notice.pk)
        .exists()
    )


@transaction.atomic
def issue(notice: ConclusionNotice, *, by, sequence: int, issued_on: datetime.date) -> ConclusionNotice:
    """Give the approved notice its number and date, freeze it and create what each
    assignment owes. A correction takes over the work of the notice it replaces."""
    locked = _locked(notice)
    _require_status(locked, N.APPROVED)
    if not sequence or sequence < 1:
        raise WorkflowError({"sequence": _("Hãy nhập số văn bản.")})
    if issued_on > timezone.localdate():
        raise WorkflowError({"issued_on": _("Ngày ban hành không được sau hôm nay.")})
    if number_taken(locked, sequence, issued_on):
        raise WorkflowError(
            {
                "sequence": _("Số %(number)s năm %(year)s đã được dùng cho văn bản khác.")
                % {"number": f"{sequence}-{locked.doc_type}/{locked.issuer_code}", "year": issued_on.year}
            }
        )
    locked.sequence, locked.issued_on, locked.issued_at = sequence, issued_on, timezone.now()
    locked.status = N.ISSUED
    locked.save()
    for assignment in locked.assignments.all():
        create_dues(assignment, issued_on)
    if locked.replaces_id:
        _take_over(locked, by=by)
    audit.record(by, "notice.issue", locked, old=N.APPROVED, new=N.ISSUED, number=locked.number)
    _notify_agencies(
        locked,
        what=_("Thông báo kết luận %(number)s giao nhiệm vụ cho cơ quan.") % {"number": locked.number},
        url=reverse("conclusions:notice_detail", kwargs={"notice_pk": locked.pk}),
    )
    return locked


def create_dues(assignment: Assignment, issued_on: datetime.date) -> list[Due]:
    dues = [
        Due(
            assignment=assignment,
            label=planned.label,
            due_on=planned.due_on,
            original_due_on=planned.due_on,
            period_start=planned.period_start,
            period_end=planned.period_end,
        )
        for planned in planned_dues(assignment, issued_on)
    ]
    Due.objects.bulk_create(dues)
    refresh(assignment)
    return dues


def refresh(assignment: Assignment) -> Assignment:
    """Keep the columns the status is computed from in step with the dues."""
    dues = list(Due.objects.filter(assignment=assignment).values("due_on", "done_on"))
    open_dates = [d["due_on"] for d in dues if d["done_on"] is None]
    assignment.next_due_on = min(open_dates) if open_dates else None
    done = [d["done_on"] for d in dues if d["done_on"] is not None]
    assignment.completed_on = max(done) if dues and not open_dates else None
    assignment.late_dues = sum(1 for d in dues if d["done_on"] and d["done_on"] > d["due_on"])
    Assignment.objects.filter(pk=assignment.pk).update(
        next_due_on=assignment.next_due_on, completed_on=assignment.completed_on, late_dues=assignment.late_dues
    )
    return assignment


def _take_over(correction: ConclusionNotice, *, by) -> None:
    """The corrected notice replaces the old one: its assignments carry the old ones' reports,
    fulfilled dues and remarks; the old notice is marked superseded (kept, never deleted)."""
    old = ConclusionNotice.objects.select_for_update().get(pk=correction.replaces_id)
    for assignment in correction.assignments.exclude(carried_from=None):
        previous = assignment.carried_from
        ProgressReport.objects.filter(assignment=previous).update(assignment=assignment)
        SupervisionRemark.objects.filter(assignment=previous).update(assignment=assignment)
        new_dues = {d.original_due_on: d for d in assignment.dues.all()}
        for old_due in previous.dues.all():
            match = new_dues.get(old_due.original_due_on)
            if match is None:
                continue
            match.due_on, match.done_on = old_due.due_on, old_due.done_on
            match.save(update_fields=["due_on", "done_on"])
            ProgressReport.objects.filter(due=old_due).update(due=match)
        refresh(assignment)
    old.status = N.SUPERSEDED
    old.save()
    audit.record(by, "notice.supersede", old, old=N.ISSUED, new=N.SUPERSEDED, by_notice=correction.pk)


@transaction.atomic
def correct(notice: ConclusionNotice, *, by) -> ConclusionNotice:
    """Start a correction of an issued notice: a new draft with the same content that points
    to the old one. The old notice stays as issued until the correction is issued."""
    locked = _locked(notice)
    _require_status(locked, N.ISSUED)
    if ConclusionNotice.objects.filter(replaces=locked).exists():
        raise WorkflowError(_("Thông báo này đã có bản đính chính, thay thế."))
    copy = ConclusionNotice.objects.create(
        program=locked.program,
        replaces=locked,
        created_by=by,
        **{name: getattr(locked, name) for name in NOTICE_FIELDS},
    )
    tasks = {}
    for task in locked.key_tasks.all():
        tasks[task.pk] = KeyTask.objects.create(notice=copy, order=task.order, text=task.text)
    for assignment in locked.assignments.prefetch_related("coordinating_agencies", "submissions"):
        new = Assignment.objects.create(
            notice=copy,
            key_task=tasks.get(assignment.key_task_id),
            carried_from=assignment,
            **{name: getattr(assignment, name) for name in ASSIGNMENT_FIELDS},
        )
        new.coordinating_agencies.set(assignment.coordinating_agencies.all())
        new.submissions.set(assignment.submissions.all())
    audit.record(by, "notice.correct", locked, correction=copy.pk)
    audit.record(by, "notice.create", copy, replaces=locked.number)
    return copy


# --- follow-up -----------------------------------------------------------------------------------


def _locked_assignment(assignment: Assignment) -> Assignment:
    locked = Assignment.objects.select_for_update().select_related("notice").get(pk=assignment.pk)
    if locked.notice.status != N.ISSUED:
        raise WorkflowError(_("Chỉ theo dõi, báo cáo nhiệm vụ của thông báo đang có hiệu lực."))
    return locked


def open_dues(assignment: Assignment):
    return assignment.dues.filter(done_on__isnull=True).order_by("due_on", "id")


def _stored_names(report: ProgressReport, files, *, by) -> list[str]:
    stored = []
    try:
        for upload in files:
            evidence = Evidence(report=report)
            store_upload(evidence, upload, by=by)
            stored.append(evidence.file.name)
            evidence.save()
    except Exception:
        _discard(stored)
        raise
    return stored


def _discard(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


def report_progress(
    assignment: Assignment,
    *,
    by,
    text: str,
    due: Due | None = None,
    percent: int | None = None,
    milestone: str = "",
    completes: bool = False,
    files=(),
    today: datetime.date | None = None,
) -> ProgressReport:
    """Record a progress report. A report on a cycle's period fulfils that period; on a
    deadline it fulfils the deadline when it says the work is complete (or 100 %). The date
    that counts is the day the report is sent."""
    today = today or timezone.localdate()
    if not text or not text.strip():
        raise WorkflowError({"text": _("Hãy ghi nội dung báo cáo.")})
    if percent is not None and not 0 <= percent <= 100:
        raise WorkflowError({"percent": _("Tỷ lệ hoàn thành phải từ 0 đến 100.")})
    stored: list[str] = []
    try:
        with transaction.atomic():
            locked = _locked_assignment(assignment)
            if due is None:
                due = open_dues(locked).first()
            elif due.assignment_id != locked.pk:
                raise WorkflowError({"due": _("Kỳ báo cáo không thuộc nhiệm vụ này.")})
            if due is not None:
                due = Due.objects.select_for_update().get(pk=due.pk)
            is_cycle = locked.schedule == Assignment.Schedule.CYCLE
            completes = completes or percent == 100
            report = ProgressReport.objects.create(
                assignment=locked,
                due=due,
                text=text.strip(),
                percent=percent,
                milestone=milestone.strip(),
                completes=completes or is_cycle,
                reported_by=by,
            )
            stored = _stored_names(report, files, by=by)
            fulfils = due is not None and due.done_on is None and (is_cycle or completes)
            if fulfils:
                due.done_on = today
                due.save(update_fields=["done_on"])
                if not is_cycle:  # the work is done: nothing further is owed
                    locked.dues.filter(done_on__isnull=True).update(done_on=today)
                refresh(locked)
            audit.record(
                by,
                "assignment.report",
                locked,
                report=report.pk,
                due=due.label if due else "",
                percent=percent,
                completes=report.completes,
                files=len(stored),
            )
    except Exception:
        _discard(stored)
        raise
    return report


@transaction.atomic
def request_extension(due: Due, *, by, until: datetime.date, reason: str) -> Extension:
    locked_assignment = _locked_assignment(due.assignment)
    due = Due.objects.select_for_update().get(pk=due.pk)
    if due.done_on is not None:
        raise WorkflowError(_("Kỳ này đã thực hiện xong, không cần gia hạn."))
    if not reason or not reason.strip():
        raise WorkflowError({"reason": _("Hãy ghi lý do đề nghị gia hạn.")})
    if until <= due.due_on:
        raise WorkflowError(
            {
                "until": _("Ngày đề nghị gia hạn phải sau hạn hiện tại (%(date)s).")
                % {"date": due.due_on.strftime("%d/%m/%Y")}
            }
        )
    if due.extensions.filter(status=Extension.Status.PENDING).exists():
        raise WorkflowError(_("Đã có một đề nghị gia hạn đang chờ quyết định."))
    extension = Extension.objects.create(
        due=due, previous_due_on=due.due_on, requested_until=until, reason=reason.strip(), requested_by=by
    )
    audit.record(by, "extension.request", locked_assignment, due=due.label, until=str(until), reason=reason.strip())
    return extension


@transaction.atomic
def decide_extension(extension: Extension, *, by, approve: bool, note: str = "") -> Extension:
    extension = Extension.objects.select_for_update().select_related("due__assignment").get(pk=extension.pk)
    if extension.status != Extension.Status.PENDING:
        raise WorkflowError(_("Đề nghị gia hạn này đã được quyết định."))
    if not approve and not note.strip():
        raise WorkflowError({"note": _("Hãy ghi lý do không đồng ý.")})
    assignment = _locked_assignment(extension.due.assignment)
    extension.status = Extension.Status.APPROVED if approve else Extension.Status.REFUSED
    extension.decided_by, extension.decided_at, extension.decision_note = by, timezone.now(), note.strip()
    extension.save()
    due = Due.objects.select_for_update().get(pk=extension.due_id)
    if approve:
        due.due_on = extension.requested_until
        due.save(update_fields=["due_on"])
        refresh(assignment)
    audit.record(
        by,
        "extension.approve" if approve else "extension.refuse",
        assignment,
        due=due.label,
        original=str(due.original_due_on),
        old=str(extension.previous_due_on),
        new=str(due.due_on),
        note=note.strip(),
    )
    _notify_agencies(
        assignment.notice,
        what=(_("Đồng ý gia hạn “%(due)s” đến %(date)s.") if approve else _("Không đồng ý gia hạn “%(due)s”."))
        % {"due": due.label, "date": due.due_on.strftime("%d/%m/%Y")},
        url=reverse("conclusions:assignment_detail", kwargs={"assignment_pk": assignment.pk}),
        agencies=[assignment.lead_agency_id],
    )
    return extension


@transaction.atomic
def add_remark(assignment: Assignment, *, by, text: str) -> SupervisionRemark:
    locked = _locked_assignment(assignment)
    if not text or not text.strip():
        raise WorkflowError({"text": _("Hãy ghi ý kiến giám sát.")})
    remark = SupervisionRemark.objects.create(assignment=locked, text=text.strip(), author=by)
    audit.record(by, "assignment.remark", locked, remark=remark.pk)
    return remark
