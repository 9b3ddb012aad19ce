"""Every status change of a submission, its routing and its answers. Each function checks
the move is allowed from the current status, runs in one transaction with the rows locked,
and writes the action log; nothing else assigns a status.

    draft → submitted → classified → routed → answered → published → closed
    returned (to the commune, which edits and sends again), merged, withdrawn
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory import audit
from directory.calendar import deadline_after
from notifications.delivery import notify
from programs.models import Program

from .deadlines import store_facts
from .models import Answer, Routing, Submission, SubmissionOrigin

S = Submission.Status

# The statuses each transition may start from.
ALLOWED_FROM = {
    "submit": {S.DRAFT, S.RETURNED},
    "classify": {S.SUBMITTED, S.CLASSIFIED},
    "return": {S.SUBMITTED, S.CLASSIFIED},
    "withdraw": {S.DRAFT, S.SUBMITTED, S.RETURNED},
    "merge": {S.SUBMITTED, S.CLASSIFIED, S.ROUTED},
    "route": {S.SUBMITTED, S.CLASSIFIED},
    "answer": {S.SUBMITTED, S.CLASSIFIED, S.ROUTED},
    "publish": {S.ANSWERED},
    "close": {S.PUBLISHED},
}

# Within this many working days the sender is told the item was received and where it went
# (Quy định 11-QĐi/TW on heads of Party committees receiving and answering the people).
ACKNOWLEDGE_WORKING_DAYS = 10

for verb, label in {
    "submission.submit": gettext_lazy("Gửi câu hỏi, đề xuất, kiến nghị"),
    "submission.classify": gettext_lazy("Phân loại"),
    "submission.return": gettext_lazy("Trả lại để bổ sung"),
    "submission.withdraw": gettext_lazy("Rút lại"),
    "submission.merge": gettext_lazy("Gộp nội dung trùng"),
    "submission.split": gettext_lazy("Tách nội dung"),
    "submission.route": gettext_lazy("Giao cơ quan trả lời"),
    "submission.acknowledge": gettext_lazy("Thông báo đã tiếp nhận cho đơn vị gửi"),
    "routing.reassign_request": gettext_lazy("Cơ quan đề nghị giao lại"),
    "routing.reassign_accept": gettext_lazy("Đồng ý giao lại"),
    "routing.reassign_refuse": gettext_lazy("Không đồng ý giao lại"),
    "answer.submit": gettext_lazy("Gửi câu trả lời"),
    "answer.on_spot": gettext_lazy("Ghi nhận trả lời trực tiếp"),
    "answer.return": gettext_lazy("Trả lại câu trả lời"),
    "answer.publish": gettext_lazy("Công bố câu trả lời"),
    "submission.close": gettext_lazy("Kết thúc"),
    "notify.sent": gettext_lazy("Thông báo cho đơn vị gửi"),
}.items():
    audit.register_verb(verb, label)


class WorkflowError(ValidationError):
    """A refused change, with a message fit to show the user."""


def _locked(submission: Submission) -> Submission:
    return Submission.objects.select_for_update().get(pk=submission.pk)


def _check(submission: Submission, action: str) -> None:
    if submission.status not in ALLOWED_FROM[action]:
        raise WorkflowError(
            _("Không thể thực hiện thao tác này khi nội dung đang ở trạng thái “%(status)s”.")
            % {"status": submission.get_status_display()}
        )


def _set_status(submission: Submission, status: str, *, by, verb: str, **details) -> None:
    old = submission.status
    submission.status = status
    # Every change of routing or answer comes with a change of status (or goes through
    # `decide_reassignment`, which stores them itself): keep the item's deadline facts in step.
    store_facts(submission)
    submission.save()
    audit.record(by, verb, submission, old=old, new=status, **details)


def notify_origins(submission: Submission, *, by, what: str) -> None:
    """Tell every origin commune's leaders, in the app and by e-mail (sent after commit), and
    keep in the item's trail which communes were told what."""
    links = list(submission.origin_links.select_related("commune"))
    for link in links:
        audit.record(by, "notify.sent", submission, commune_id=link.commune_id, commune=str(link.commune), what=what)
    notify(
        "submission.update",
        units=[link.commune_id for link in links],
        url=reverse("submissions:detail", args=[submission.pk]),
        context={"reference": submission.reference, "title": submission.title, "what": what},
    )


def window_error(program: Program) -> str:
    if not program.intake_opens or not program.intake_closes:
        return _("Chương trình chưa mở tiếp nhận câu hỏi, đề xuất, kiến nghị.")
    return _("Chương trình chỉ tiếp nhận câu hỏi, đề xuất, kiến nghị từ %(opens)s đến %(closes)s.") % {
        "opens": formats.date_format(program.intake_opens, "SHORT_DATE_FORMAT"),
        "closes": formats.date_format(program.intake_closes, "SHORT_DATE_FORMAT"),
    }


# --- intake ----------------------------------------------------------------------------------


@transaction.atomic
def save_draft(submission: Submission, *, by) -> Submission:
    if submission.pk and submission.status not in (S.DRAFT, S.RETURNED):
        raise WorkflowError(_("Nội dung đã gửi không sửa được; hãy liên hệ Ban tổ chức."))
    if not submission.pk:
        submission.created_by = by
    submission.full_clean(exclude=["created_by"])
    submission.save()
    return submission


@transaction.atomic
def submit(submission: Submission, *, by, today: datetime.date | None = None) -> Submission:
    """Send a draft (or a returned item): within the intake window, numbered once, in order."""
    program = Program.objects.select_for_update().get(pk=submission.program_id)  # serializes numbering
    submission = _locked(submission)
    _check(submission, "submit")
    if submission.status == S.DRAFT and not program.intake_is_open(today):
        raise WorkflowError(window_error(program))  # a returned item may come back after the window
    if not submission.title.strip() or not submission.content.strip():
        raise WorkflowError(_("Tiêu đề và nội dung không được để trống."))
    if submission.number is None:
        last = program.submissions.aggregate(last=Max("number"))["last"] or 0
        submission.number = last + 1
        prefix = program.reference_prefix or f"ĐT{program.start_date:%Y}"
        submission.reference = f"{prefix}-{submission.number:03d}"
        submission.submitted_at = timezone.now()
        submission.acknowledge_due = deadline_after(timezone.localdate(), ACKNOWLEDGE_WORKING_DAYS)
    SubmissionOrigin.objects.get_or_create(submission=submission, commune=submission.commune)
    _set_status(submission, S.SUBMITTED, by=by, verb="submission.submit")
    return submission


@transaction.atomic
def withdraw(submission: Submission, *, by) -> Submission:
    submission = _locked(submission)
    _check(submission, "withdraw")
    _set_status(submission, S.WITHDRAWN, by=by, verb="submission.withdraw")
    return submission


# --- triage ----------------------------------------------------------------------------------


@transaction.atomic
def classify(submission: Submission, *, by, **fields) -> Submission:
    """Set kind, field, topic group, answer mode and public flag; a sent item becomes classified."""
    submission = _locked(submission)
    _check(submission, "classify")
    allowed = {"kind", "field", "topic_group", "answer_mode", "public", "title"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"cannot classify {unknown}")
    topic_group = fields.get("topic_group")
    if topic_group is not None and topic_group.program_id != submission.program_id:
        raise WorkflowError(_("Nhóm vấn đề phải thuộc chương trình của nội dung này."))
    for name, value in fields.items():
        setattr(submission, name, value)
    _set_status(submission, S.CLASSIFIED, by=by, verb="submission.classify")
    return submission


@transaction.atomic
def return_to_sender(submission: Submission, *, by, remark: str) -> Submission:
    submission = _locked(submission)
    _check(submission, "return")
    if not remark.strip():
        raise WorkflowError(_("Hãy ghi rõ nội dung cần bổ sung."))
    _set_status(submission, S.RETURNED, by=by, verb="submission.return", remark=remark.strip())
    return submission


@transaction.atomic
def merge(duplicates: list[Submission], *, into: Submission, by) -> Submission:
    """Merge duplicates into one item that keeps every origin commune; each origin is told."""
    target = _locked(into)
    _check(target, "merge")
    if not duplicates:
        raise WorkflowError(_("Hãy chọn ít nhất một nội dung trùng để gộp."))
    for duplicate in duplicates:
        duplicate = _locked(duplicate)
        if duplicate.pk == target.pk:
            raise WorkflowError(_("Không thể gộp một nội dung vào chính nó."))
        if duplicate.program_id != target.program_id:
            raise WorkflowError(_("Chỉ gộp được các nội dung của cùng một chương trình."))
        _check(duplicate, "merge")
        if duplicate.routings.filter(status__in=[Routing.Status.ACTIVE, Routing.Status.REASSIGN_REQUESTED]).exists():
            duplicate.routings.filter(status__in=[Routing.Status.ACTIVE, Routing.Status.REASSIGN_REQUESTED]).update(
                status=Routing.Status.REASSIGNED
            )
        for link in duplicate.origin_links.all():
            SubmissionOrigin.objects.get_or_create(
                submission=target, commune_id=link.commune_id, defaults={"via": duplicate}
            )
        duplicate.merged_into = target
        _set_status(duplicate, S.MERGED, by=by, verb="submission.merge", into=target.reference)
        notify_origins(
            duplicate,
            by=by,
            what=_("Nội dung %(ref)s được gộp vào %(into)s.") % {"ref": duplicate.reference, "into": target.reference},
        )
    audit.record(by, "submission.merge", target, merged=[d.reference for d in duplicates])
    return target


@transaction.atomic
def split(submission: Submission, parts: list[tuple[str, str]], *, by) -> list[Submission]:
    """Make a new item of each (title, content) part, numbered after the last one, with the
    same origins and classification; the original keeps its own text."""
    original = _locked(submission)
    _check(original, "classify")
    program = Program.objects.select_for_update().get(pk=original.program_id)
    if not parts or any(not title.strip() or not content.strip() for title, content in parts):
        raise WorkflowError(_("Mỗi phần tách ra cần có tiêu đề và nội dung."))
    last = program.submissions.aggregate(last=Max("number"))["last"] or 0
    created = []
    for offset, (title, content) in enumerate(parts, 1):
        number = last + offset
        item = Submission.objects.create(
            program=program,
            number=number,
            reference=f"{original.reference.rsplit('-', 1)[0]}-{number:03d}",
            kind=original.kind,
            field=original.field,
            topic_group=original.topic_group,
            title=title,
            content=content,
            location=original.location,
            commune=original.commune,
            source=original.source,
            status=S.CLASSIFIED,
            split_from=original,
            created_by=by,
            submitted_at=original.submitted_at,
            acknowledge_due=original.acknowledge_due,
            acknowledged_at=original.acknowledged_at,
        )
        SubmissionOrigin.objects.bulk_create(
            [SubmissionOrigin(submission=item, commune_id=link.commune_id) for link in original.origin_links.all()]
        )
        audit.record(by, "submission.split", item, split_from=original.reference)
        created.append(item)
    return created


# --- routing ---------------------------------------------------------------------------------


def resolve_deadline(deadline: datetime.date | None, working_days: int | None) -> datetime.date:
    """A deadline given as a date, or as a number of working days from today."""
    if deadline and working_days:
        raise WorkflowError(_("Chỉ nhập hạn trả lời theo ngày hoặc theo số ngày làm việc, không nhập cả hai."))
    if working_days:
        return deadline_after(timezone.localdate(), working_days)
    if deadline is None:
        raise WorkflowError(_("Hãy nhập hạn trả lời (ngày, hoặc số ngày làm việc)."))
    if deadline < timezone.localdate():
        raise WorkflowError(_("Hạn trả lời không được trước hôm nay."))
    return deadline


@transaction.atomic
def acknowledge(submission: Submission, *, by) -> Submission:
    """Record that the sender was told the item was received and where it went."""
    submission = _locked(submission)
    if submission.acknowledged_at is None:
        submission.acknowledged_at = timezone.now()
        submission.save(update_fields=["acknowledged_at"])
        audit.record(by, "submission.acknowledge", submission)
        notify_origins(submission, by=by, what=_("Đã tiếp nhận %(ref)s.") % {"ref": submission.reference})
    return submission


@transaction.atomic
def route(
    submission: Submission,
    *,
    lead_agency,
    coordinating=(),
    deadline: datetime.date | None = None,
    working_days: int | None = None,
    by,
) -> Routing:
    submission = _locked(submission)
    _check(submission, "route")
    if lead_agency in coordinating:
        raise WorkflowError(_("Cơ quan chủ trì không đồng thời là cơ quan phối hợp."))
    routing = Routing.objects.create(
        submission=submission,
        lead_agency=lead_agency,
        deadline=resolve_deadline(deadline, working_days),
        working_days=working_days,
        routed_by=by,
    )
    routing.coordinating_agencies.set(coordinating)
    submission.answer_mode = submission.answer_mode or Submission.AnswerMode.IN_WRITING
    _set_status(
        submission, S.ROUTED, by=by, verb="submission.route", agency=str(lead_agency), deadline=str(routing.deadline)
    )
    acknowledge(submission, by=by)
    return routing


@transaction.atomic
def request_reassignment(routing: Routing, *, by, reason: str) -> Routing:
    routing = Routing.objects.select_for_update().get(pk=routing.pk)
    if routing.status != Routing.Status.ACTIVE:
        raise WorkflowError(_("Chỉ đề nghị giao lại được khi nội dung đang được giao cho cơ quan."))
    if not reason.strip():
        raise WorkflowError(_("Hãy nêu lý do cơ quan không thuộc thẩm quyền trả lời."))
    routing.status = Routing.Status.REASSIGN_REQUESTED
    routing.reassign_reason = reason.strip()
    routing.save(update_fields=["status", "reassign_reason"])
    audit.record(by, "routing.reassign_request", routing.submission, reason=routing.reassign_reason)
    return routing


@transaction.atomic
def decide_reassignment(
    routing: Routing,
    *,
    by,
    accept: bool,
    note: str = "",
    new_lead=None,
    deadline: datetime.date | None = None,
    working_days: int | None = None,
) -> Routing:
    """Accept (route to `new_lead`, keeping the old row as reassigned) or refuse (back to active)."""
    routing = Routing.objects.select_for_update().get(pk=routing.pk)
    if routing.status != Routing.Status.REASSIGN_REQUESTED:
        raise WorkflowError(_("Không có đề nghị giao lại nào đang chờ quyết định."))
    routing.decision_note = note.strip()
    if not accept:
        if not routing.decision_note:
            raise WorkflowError(_("Hãy ghi lý do không đồng ý giao lại."))
        routing.status = Routing.Status.ACTIVE
        routing.save(update_fields=["status", "decision_note"])
        audit.record(by, "routing.reassign_refuse", routing.submission, note=routing.decision_note)
        return routing
    if new_lead is None or new_lead == routing.lead_agency:
        raise WorkflowError(_("Hãy chọn cơ quan khác để giao lại."))
    routing.status = Routing.Status.REASSIGNED
    routing.save(update_fields=["status", "decision_note"])
    audit.record(by, "routing.reassign_accept", routing.submission, new=str(new_lead))
    new = Routing.objects.create(
        submission=routing.submission,
        lead_agency=new_lead,
        deadline=resolve_deadline(deadline, working_days) if (deadline or working_days) else routing.deadline,
        working_days=working_days,
        routed_by=by,
    )
    new.coordinating_agencies.set(routing.coordinating_agencies.exclude(pk=new_lead.pk))
    submission = routing.submission
    store_facts(submission)
    submission.save(update_fields=["lead_agency", "answer_due", "routed_at", "answered_at"])
    return new


# --- answers ---------------------------------------------------------------------------------


def open_routing(submission: Submission) -> Routing | None:
    return submission.routings.filter(status__in=[Routing.Status.ACTIVE, Routing.Status.REASSIGN_REQUESTED]).first()


@transaction.atomic
def save_answer_draft(answer: Answer, *, by) -> Answer:
    if answer.pk and answer.status not in (Answer.Status.DRAFT, Answer.Status.RETURNED):
        raise WorkflowError(_("Câu trả lời đã gửi không sửa được."))
    if not answer.text.strip():
        raise WorkflowError(_("Nội dung trả lời không được để trống."))
    if not answer.pk:
        answer.created_by = by
        answer.mode = Submission.AnswerMode.IN_WRITING
    answer.save()
    return answer


@transaction.atomic
def submit_answer(answer: Answer, *, by) -> Answer:
    answer = Answer.objects.select_for_update().get(pk=answer.pk)
    submission = _locked(answer.submission)
    if answer.status not in (Answer.Status.DRAFT, Answer.Status.RETURNED):
        raise WorkflowError(_("Câu trả lời này đã được gửi."))
    _check(submission, "answer")
    answer.status = Answer.Status.SUBMITTED
    answer.submitted_at = timezone.now()
    answer.save(update_fields=["status", "submitted_at"])
    _set_status(submission, S.ANSWERED, by=by, verb="answer.submit", agency=str(answer.agency))
    return answer


@transaction.atomic
def record_on_spot_answer(submission: Submission, *, by, text: str, answered_by: str, agency=None) -> Answer:
    """An answer given at the program by a leader or an agency head, recorded by the organizers."""
    submission = _locked(submission)
    _check(submission, "answer")
    if not text.strip() or not answered_by.strip():
        raise WorkflowError(_("Hãy ghi nội dung trả lời và người trả lời tại chương trình."))
    answer = Answer.objects.create(
        submission=submission,
        agency=agency,
        mode=Submission.AnswerMode.ON_SPOT,
        text=text,
        answered_by=answered_by.strip(),
        status=Answer.Status.SUBMITTED,
        submitted_at=timezone.now(),
        created_by=by,
    )
    submission.answer_mode = Submission.AnswerMode.ON_SPOT
    _set_status(submission, S.ANSWERED, by=by, verb="answer.on_spot", answered_by=answer.answered_by)
    acknowledge(submission, by=by)
    return answer


@transaction.atomic
def return_answer(answer: Answer, *, by, remark: str) -> Answer:
    answer = Answer.objects.select_for_update().get(pk=answer.pk)
    submission = _locked(answer.submission)
    if answer.status != Answer.Status.SUBMITTED:
        raise WorkflowError(_("Chỉ trả lại được câu trả lời đã gửi và chưa công bố."))
    if not remark.strip():
        raise WorkflowError(_("Hãy ghi ý kiến để cơ quan hoàn thiện câu trả lời."))
    answer.status = Answer.Status.RETURNED
    answer.remark = remark.strip()
    answer.save(update_fields=["status", "remark"])
    audit.record(by, "answer.return", submission, remark=answer.remark)
    back = S.ROUTED if open_routing(submission) else S.CLASSIFIED
    _set_status(submission, back, by=by, verb="answer.return")
    return answer


@transaction.atomic
def publish_answer(answer: Answer, *, by) -> Answer:
    answer = Answer.objects.select_for_update().get(pk=answer.pk)
    submission = _locked(answer.submission)
    if answer.status != Answer.Status.SUBMITTED:
        raise WorkflowError(_("Chỉ công bố được câu trả lời đã gửi."))
    _check(submission, "publish")
    answer.status = Answer.Status.PUBLISHED
    answer.published_at = timezone.now()
    answer.published_by = by
    answer.save(update_fields=["status", "published_at", "published_by"])
    submission.routings.filter(status__in=[Routing.Status.ACTIVE, Routing.Status.REASSIGN_REQUESTED]).update(
        status=Routing.Status.DONE
    )
    _set_status(submission, S.PUBLISHED, by=by, verb="answer.publish")
    notify_origins(submission, by=by, what=_("Đã có câu trả lời cho %(ref)s.") % {"ref": submission.reference})
    return answer


@transaction.atomic
def close(submission: Submission, *, by) -> Submission:
    submission = _locked(submission)
    _check(submission, "close")
    _set_status(submission, S.CLOSED, by=by, verb="submission.close")
    return submission


# --- triage: several items at once ------------------------------------------------------------


@transaction.atomic
def classify_many(submissions: list[Submission], *, by, **fields) -> list[Submission]:
    """Classify several items with the same values (the triage list's bulk action): all of
    them or none, so a refused item leaves every other one as it was."""
    if not submissions:
        raise WorkflowError(_("Hãy chọn ít nhất một nội dung."))
    if not fields:
        raise WorkflowError(_("Hãy chọn lĩnh vực, nhóm vấn đề hoặc hình thức trả lời để áp dụng."))
    done = []
    for submission in submissions:
        try:
            done.append(classify(submission, by=by, **fields))
        except WorkflowError as exc:
            raise WorkflowError(
                _("%(ref)s: %(reason)s") % {"ref": submission.reference, "reason": " ".join(exc.messages)}
            ) from exc
    return done


# --- intake form: an item with its files ------------------------------------------------------

# A commune's item rarely needs more; the cap keeps one request (and one page) reasonable.
MAX_ATTACHMENTS = 10

for verb, label in {
    "submission.save_draft": gettext_lazy("Lưu nội dung (chưa gửi)"),
    "submission.attach": gettext_lazy("Đính kèm tệp"),
    "submission.detach": gettext_lazy("Gỡ tệp đính kèm"),
}.items():
    audit.register_verb(verb, label)


def _check_intake_open(submission: Submission, today: datetime.date | None) -> None:
    # Outside the window nothing new is accepted, not even a draft or a file: said with the
    # dates. An item the organizers returned may still be completed and sent back.
    if submission.status != S.RETURNED and not submission.program.intake_is_open(today):
        raise WorkflowError(window_error(submission.program))


def _check_editable(submission: Submission) -> None:
    if submission.status not in (S.DRAFT, S.RETURNED):
        raise WorkflowError(_("Nội dung đã gửi không sửa được; hãy liên hệ Ban tổ chức."))


def _store_file(attachment, upload, *, by, stored: list[str]):
    """Write one file with its row (of an item or an answer); `stored` collects the names
    written so the caller can remove them if the transaction fails."""
    from dialogue.uploads import store_upload

    checked = store_upload(attachment, upload, by=by)
    stored.append(attachment.file.name)
    attachment.save()
    return checked


def _store_attachment(submission: Submission, upload, *, by, stored: list[str]):
    from .models import Attachment

    attachment = Attachment(submission=submission)
    checked = _store_file(attachment, upload, by=by, stored=stored)
    audit.record(by, "submission.attach", submission, name=checked.name, size=checked.size)
    return attachment


def _check_attachment_count(submission: Submission) -> None:
    if submission.attachments.count() > MAX_ATTACHMENTS:
        raise WorkflowError(
            _("Mỗi nội dung đính kèm tối đa %(n)s tệp; hãy gộp bớt hoặc gỡ tệp không cần thiết.")
            % {"n": MAX_ATTACHMENTS}
        )


def _file_storage():
    from .models import Attachment

    return Attachment._meta.get_field("file").storage


def _discard_files(storage, names: list[str]) -> None:
    for name in names:
        storage.delete(name)  # a file already gone is no error


@transaction.atomic
def save_intake(
    submission: Submission,
    *,
    by,
    files=(),
    remove=(),
    send: bool = False,
    today: datetime.date | None = None,
) -> Submission:
    """Save an item from the intake form (new, a draft, or a returned item) with its new files
    and without the `remove`d ones, and send it when `send`: within the intake window only,
    all or nothing — a refused file or a failed send leaves no row and no file behind."""
    _check_intake_open(submission, today)
    if submission.pk:
        _check_editable(_locked(submission))
    _check_editable(submission)
    created = submission.pk is None
    stored: list[str] = []
    storage = _file_storage()
    try:
        save_draft(submission, by=by)
        removed = []
        for attachment in remove:
            if attachment.submission_id != submission.pk:
                raise WorkflowError(_("Tệp đính kèm không thuộc nội dung này."))
            removed.append(attachment.original_name)
            name = attachment.file.name
            attachment.delete()
            # The stored file goes only once the removal is committed.
            transaction.on_commit(lambda name=name: _discard_files(storage, [name]))
            audit.record(by, "submission.detach", submission, name=removed[-1])
        added = [_store_attachment(submission, upload, by=by, stored=stored).original_name for upload in files]
        _check_attachment_count(submission)
        audit.record(by, "submission.save_draft", submission, created=created, added=added, removed=removed)
        if send:
            submission = submit(submission, by=by, today=today)
    except BaseException:
        _discard_files(storage, stored)
        if created:  # the row is rolled back: the form's object is new again
            submission.pk = None
            submission._state.adding = True
        raise
    return submission


@transaction.atomic
def attach_files(submission: Submission, uploads, *, by, today: datetime.date | None = None) -> list:
    """Add files to a draft or a returned item, within the intake window: all of them or none."""
    _check_intake_open(submission, today)
    submission = _locked(submission)
    _check_editable(submission)
    stored: list[str] = []
    try:
        attachments = [_store_attachment(submission, upload, by=by, stored=stored) for upload in uploads]
        _check_attachment_count(submission)
    except BaseException:
        _discard_files(_file_storage(), stored)
        raise
    return attachments


# --- routing and answer pages: receipt notice, the agency's answer with its files --------------

# An answer rarely needs more files than this; the cap keeps one request (and one page) reasonable.
MAX_ANSWER_ATTACHMENTS = 10

for verb, label in {
    "answer.save": gettext_lazy("Lưu dự thảo câu trả lời"),
}.items():
    audit.register_verb(verb, label)


def working_answer(submission: Submission, agency) -> Answer | None:
    """The agency's written answer still being worked on (a draft, or one returned with a
    remark), if there is one: the lead agency edits it rather than starting another."""
    return (
        submission.answers.filter(
            agency=agency,
            mode=Submission.AnswerMode.IN_WRITING,
            status__in=[Answer.Status.DRAFT, Answer.Status.RETURNED],
        )
        .order_by("-created_at", "-id")
        .first()
    )


@transaction.atomic
def acknowledge_receipt(submission: Submission, *, by) -> Submission:
    """The organizers record that the sender was told the item was received (Quy định
    11-QĐi/TW), for items answered on the spot or not routed yet: routing does it by itself."""
    submission = _locked(submission)
    if submission.status in (S.DRAFT, S.WITHDRAWN, S.MERGED) or submission.acknowledge_due is None:
        raise WorkflowError(
            _("Không thể báo đã tiếp nhận khi nội dung đang ở trạng thái “%(status)s”.")
            % {"status": submission.get_status_display()}
        )
    if submission.acknowledged_at is not None:
        raise WorkflowError(
            _("Đã báo tiếp nhận nội dung này ngày %(date)s.")
            % {"date": formats.date_format(timezone.localtime(submission.acknowledged_at), "SHORT_DATE_FORMAT")}
        )
    return acknowledge(submission, by=by)


def _store_answer_file(answer: Answer, upload, *, by, stored: list[str]):
    from .models import Attachment

    attachment = Attachment(answer=answer)
    _store_file(attachment, upload, by=by, stored=stored)
    return attachment


@transaction.atomic
def save_answer(submission: Submission, *, by, agency, text: str, files=(), remove=(), send: bool = False) -> Answer:
    """The lead agency's written answer, saved from the answer form: created on the first save,
    edited while it is a draft or returned, with its new files and without the `remove`d ones,
    and sent to the organizers when `send`. All or nothing: a refusal leaves no row and no
    stored file behind."""
    submission = _locked(submission)
    _check(submission, "answer")
    routing = open_routing(submission)
    if routing is None or routing.lead_agency_id != agency.pk:
        raise WorkflowError(_("Chỉ cơ quan chủ trì đang được giao mới soạn được câu trả lời cho nội dung này."))
    answer = working_answer(submission, agency) or Answer(submission=submission, agency=agency)
    created = answer.pk is None
    answer.text = text or ""
    stored: list[str] = []
    storage = _file_storage()
    try:
        save_answer_draft(answer, by=by)
        removed = []
        for attachment in remove:
            if attachment.answer_id != answer.pk:
                raise WorkflowError(_("Tệp đính kèm không thuộc câu trả lời này."))
            removed.append(attachment.original_name)
            name = attachment.file.name
            attachment.delete()
            # The stored file goes only once the removal is committed.
            transaction.on_commit(lambda name=name: storage.delete(name))
        added = [_store_answer_file(answer, upload, by=by, stored=stored).original_name for upload in files]
        if answer.attachments.count() > MAX_ANSWER_ATTACHMENTS:
            raise WorkflowError(
                _("Mỗi câu trả lời đính kèm tối đa %(n)s tệp; hãy gộp bớt hoặc gỡ tệp không cần thiết.")
                % {"n": MAX_ANSWER_ATTACHMENTS}
            )
        audit.record(by, "answer.save", submission, agency=str(agency), created=created, added=added, removed=removed)
        if send:
            answer = submit_answer(answer, by=by)
    except BaseException:
        for name in stored:
            storage.delete(name)
        raise
    return answer
