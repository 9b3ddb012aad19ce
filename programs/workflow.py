"""State changes of the programs app. Views, imports, tasks and the demo seeder call these;
nothing else assigns a status. Each function validates, runs in one transaction and writes
the action log; field changes are also kept by the models' history."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory import audit

from .models import PLAN_SECTIONS, CommitteeMember, Plan, PlanComment, PlanVersion, Program, RoadmapTask

audit.register_verb("program.create", gettext_lazy("Tạo chương trình"))
audit.register_verb("program.status", gettext_lazy("Chuyển trạng thái chương trình"))
audit.register_verb("plan.new_version", gettext_lazy("Tạo phiên bản kế hoạch"))
audit.register_verb("plan.submit", gettext_lazy("Trình kế hoạch"))
audit.register_verb("plan.approve", gettext_lazy("Phê duyệt kế hoạch"))
audit.register_verb("plan.return", gettext_lazy("Trả lại dự thảo kế hoạch"))
audit.register_verb("task.status", gettext_lazy("Cập nhật tiến độ nhiệm vụ"))


class WorkflowError(ValidationError):
    """A refused state change, with a message fit to show the user."""


# Which program status may follow which.
PROGRAM_TRANSITIONS = {
    Program.Status.PLANNING: {Program.Status.PREPARING},
    Program.Status.PREPARING: {Program.Status.PLANNING, Program.Status.HELD},
    Program.Status.HELD: {Program.Status.FOLLOWING_UP},
    Program.Status.FOLLOWING_UP: {Program.Status.CLOSED},
    Program.Status.CLOSED: set(),
}


@transaction.atomic
def create_program(*, by, **fields) -> Program:
    program = Program(created_by=by, **fields)
    program.full_clean()
    program.save()
    plan = Plan.objects.create(program=program)
    PlanVersion.objects.create(plan=plan, number=1, sections={key: "" for key, _label in PLAN_SECTIONS}, created_by=by)
    audit.record(by, "program.create", program)
    return program


@transaction.atomic
def set_program_status(program: Program, status: str, *, by) -> Program:
    program = Program.objects.select_for_update().get(pk=program.pk)
    if status not in PROGRAM_TRANSITIONS[program.status]:
        raise WorkflowError(
            _("Không thể chuyển chương trình từ “%(old)s” sang “%(new)s”.")
            % {"old": program.get_status_display(), "new": Program.Status(status).label}
        )
    if (
        status == Program.Status.PREPARING
        and not program.plan.versions.filter(status=PlanVersion.Status.APPROVED).exists()
    ):
        raise WorkflowError(_("Kế hoạch chưa được phê duyệt: chưa thể chuyển sang giai đoạn chuẩn bị."))
    old = program.status
    program.status = status
    program.save(update_fields=["status"])
    audit.record(by, "program.status", program, old=old, new=status)
    return program


# --- organizing committee --------------------------------------------------------------------


def check_unique_roles(member: CommitteeMember) -> None:
    """One head and one standing deputy head per committee, said in Vietnamese before the
    database constraint would refuse it."""
    for role in (CommitteeMember.Role.HEAD, CommitteeMember.Role.STANDING_DEPUTY):
        if member.role == role:
            taken = CommitteeMember.objects.filter(program_id=member.program_id, role=role).exclude(pk=member.pk)
            if taken.exists():
                raise WorkflowError(
                    _("Ban tổ chức đã có %(role)s: %(name)s.") % {"role": role.label.lower(), "name": taken.first()}
                )


@transaction.atomic
def save_member(member: CommitteeMember, *, by) -> CommitteeMember:
    check_unique_roles(member)
    member.save()
    return member


@transaction.atomic
def remove_member(member: CommitteeMember, *, by) -> None:
    if member.chaired_forums.exists() or member.reported_forums.exists():
        raise WorkflowError(_("Thành viên đang chủ trì hoặc làm thư ký một diễn đàn: hãy đổi người ở diễn đàn trước."))
    if member.tasks.exists():
        raise WorkflowError(_("Thành viên đang được giao nhiệm vụ trong lộ trình: hãy giao lại nhiệm vụ trước."))
    member.delete()


# --- plan ---------------------------------------------------------------------------------------


def _locked_plan(plan: Plan) -> Plan:
    return Plan.objects.select_for_update().get(pk=plan.pk)


@transaction.atomic
def update_draft(version: PlanVersion, sections: dict[str, str], *, by, change_note: str = "") -> PlanVersion:
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_editable:
        raise WorkflowError(
            _("Phiên bản %(n)s đang ở trạng thái “%(status)s” nên không được sửa; hãy tạo phiên bản mới.")
            % {"n": version.number, "status": version.get_status_display()}
        )
    version.sections = {key: sections.get(key, "") for key, _label in PLAN_SECTIONS}
    version.change_note = change_note
    version.save(update_fields=["sections", "change_note"])
    return version


@transaction.atomic
def new_version(plan: Plan, *, by) -> PlanVersion:
    """A new draft copied from the latest version. Only one draft or submitted version at a time."""
    plan = _locked_plan(plan)
    if plan.versions.filter(status__in=[PlanVersion.Status.DRAFT, PlanVersion.Status.SUBMITTED]).exists():
        raise WorkflowError(_("Đã có một phiên bản dự thảo hoặc đang trình; hãy hoàn tất phiên bản đó trước."))
    latest = plan.versions.order_by("-number").first()
    version = PlanVersion.objects.create(
        plan=plan,
        number=(latest.number + 1) if latest else 1,
        based_on=latest,
        sections=dict(latest.sections) if latest else {},
        created_by=by,
    )
    audit.record(by, "plan.new_version", version, number=version.number)
    return version


@transaction.atomic
def submit_version(version: PlanVersion, *, by) -> PlanVersion:
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != PlanVersion.Status.DRAFT:
        raise WorkflowError(_("Chỉ phiên bản dự thảo mới trình được."))
    empty = [str(label) for key, label in PLAN_SECTIONS if not version.sections.get(key, "").strip()]
    if empty:
        raise WorkflowError(_("Chưa thể trình: còn trống các mục %(sections)s.") % {"sections": ", ".join(empty)})
    version.status = PlanVersion.Status.SUBMITTED
    version.submitted_at = timezone.now()
    version.save(update_fields=["status", "submitted_at"])
    audit.record(by, "plan.submit", version, number=version.number)
    return version


@transaction.atomic
def approve_version(version: PlanVersion, *, by) -> PlanVersion:
    _locked_plan(version.plan)
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != PlanVersion.Status.SUBMITTED:
        raise WorkflowError(_("Chỉ phiên bản đã trình mới phê duyệt được."))
    version.plan.versions.filter(status=PlanVersion.Status.APPROVED).update(status=PlanVersion.Status.SUPERSEDED)
    version.status = PlanVersion.Status.APPROVED
    version.approved_at = timezone.now()
    version.approved_by = by
    version.save(update_fields=["status", "approved_at", "approved_by"])
    audit.record(by, "plan.approve", version, number=version.number)
    return version


@transaction.atomic
def return_version(version: PlanVersion, *, by, remark: str) -> PlanVersion:
    """Send a submitted version back to draft, with the reason as a comment."""
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != PlanVersion.Status.SUBMITTED:
        raise WorkflowError(_("Chỉ phiên bản đã trình mới trả lại được."))
    if not remark.strip():
        raise WorkflowError(_("Hãy ghi lý do trả lại."))
    version.status = PlanVersion.Status.DRAFT
    version.submitted_at = None
    version.save(update_fields=["status", "submitted_at"])
    PlanComment.objects.create(version=version, author=by, text=remark)
    audit.record(by, "plan.return", version, remark=remark)
    return version


@transaction.atomic
def add_comment(version: PlanVersion, *, by, text: str, section: str = "") -> PlanComment:
    if not text.strip():
        raise WorkflowError(_("Ý kiến không được để trống."))
    return PlanComment.objects.create(version=version, author=by, text=text.strip(), section=section)


# --- roadmap ------------------------------------------------------------------------------------


def check_task(task: RoadmapTask) -> None:
    """The rules of a roadmap task, in Vietnamese (the database checks them again)."""
    errors = {}
    if task.start_date and task.due_date and task.due_date < task.start_date:
        errors["due_date"] = _("Hạn hoàn thành không được trước ngày bắt đầu.")
    if not task.assignee_member_id and not task.assignee_agency_id:
        errors["assignee_agency"] = _("Hãy giao nhiệm vụ cho một thành viên Ban tổ chức hoặc một cơ quan.")
    if task.assignee_member_id and task.assignee_member.program_id != task.program_id:
        errors["assignee_member"] = _("Người phụ trách phải là thành viên Ban tổ chức của chương trình này.")
    if errors:
        raise WorkflowError(errors)


@transaction.atomic
def save_task(task: RoadmapTask, *, by) -> RoadmapTask:
    check_task(task)
    if task.status == RoadmapTask.Status.DONE and task.completed_on is None:
        task.completed_on = timezone.localdate()
    if task.status != RoadmapTask.Status.DONE:
        task.completed_on = None
    task.save()
    return task


@transaction.atomic
def set_task_status(task: RoadmapTask, status: str, *, by, on: datetime.date | None = None) -> RoadmapTask:
    task = RoadmapTask.objects.select_for_update().get(pk=task.pk)
    if status not in RoadmapTask.Status.values:
        raise WorkflowError(_("Trạng thái không hợp lệ."))
    old = task.status
    task.status = status
    task.completed_on = (on or timezone.localdate()) if status == RoadmapTask.Status.DONE else None
    task.save(update_fields=["status", "completed_on"])
    audit.record(by, "task.status", task, old=old, new=status)
    return task


# --- agenda and forums --------------------------------------------------------------------------
# Imported here rather than at the top so that this section stays one appended block.
from django.db.models import ProtectedError  # noqa: E402

from .models import AgendaSession, Forum, TopicGroup  # noqa: E402

audit.register_verb("forum.save", gettext_lazy("Lưu thông tin diễn đàn"))
audit.register_verb("forum.delete", gettext_lazy("Xóa diễn đàn"))


def program_span(program: Program) -> str:
    """The program's dates as the messages write them: "03/08/2023 – 04/08/2023"."""
    first, last = program.start_date.strftime("%d/%m/%Y"), program.end_date.strftime("%d/%m/%Y")
    return first if first == last else f"{first} – {last}"


def _outside_program(program: Program, *moments) -> bool:
    return any(
        m is not None and not program.start_date <= timezone.localtime(m).date() <= program.end_date for m in moments
    )


def check_session(session: AgendaSession) -> None:
    """The rules of an agenda session, in Vietnamese; keys are the model's field names."""
    errors = {}
    if session.starts_at and session.ends_at and session.ends_at <= session.starts_at:
        errors["ends_at"] = _("Giờ kết thúc phải sau giờ bắt đầu.")
    if _outside_program(session.program, session.starts_at, session.ends_at):
        errors["starts_at"] = _("Hoạt động phải diễn ra trong thời gian của chương trình (%(span)s).") % {
            "span": program_span(session.program)
        }
    if errors:
        raise WorkflowError(errors)


@transaction.atomic
def save_session(session: AgendaSession, *, by) -> AgendaSession:
    check_session(session)
    session.save()
    return session


def check_forum(forum: Forum, co_chairs) -> None:
    """The rules of a forum; people come from this program's committee only (the database
    cannot say so: the foreign keys accept any committee member)."""
    program_id = forum.program_id
    errors = {}
    if forum.topic_group_id and forum.topic_group.program_id != program_id:
        errors["topic_group"] = _("Nhóm vấn đề phải thuộc chương trình này.")
    if forum.chair_id and forum.chair.program_id != program_id:
        errors["chair"] = _("Người chủ trì phải là thành viên Ban tổ chức của chương trình.")
    if forum.rapporteur_id and forum.rapporteur.program_id != program_id:
        errors["rapporteur"] = _("Thư ký tổng hợp phải là thành viên Ban tổ chức của chương trình.")
    co_chairs = list(co_chairs)
    if any(member.program_id != program_id for member in co_chairs):
        errors["co_chairs"] = _("Người đồng chủ trì phải là thành viên Ban tổ chức của chương trình.")
    elif forum.chair_id and any(member.pk == forum.chair_id for member in co_chairs):
        errors["co_chairs"] = _("Người chủ trì không thể đồng thời là đồng chủ trì.")
    if forum.starts_at and forum.ends_at and forum.ends_at <= forum.starts_at:
        errors["ends_at"] = _("Giờ kết thúc phải sau giờ bắt đầu.")
    if _outside_program(forum.program, forum.starts_at, forum.ends_at):
        errors["starts_at"] = _("Diễn đàn phải diễn ra trong thời gian của chương trình (%(span)s).") % {
            "span": program_span(forum.program)
        }
    if errors:
        raise WorkflowError(errors)


@transaction.atomic
def save_forum(forum: Forum, co_chairs, *, by) -> Forum:
    """Create or update a forum with its co-chairs, all or nothing."""
    co_chairs = list(co_chairs)
    check_forum(forum, co_chairs)
    created = forum.pk is None
    forum.save()
    forum.co_chairs.set(co_chairs)
    audit.record(by, "forum.save", forum, created=created, chair=forum.chair_id, co_chairs=[m.pk for m in co_chairs])
    return forum


@transaction.atomic
def delete_forum(forum: Forum, *, by) -> None:
    if forum.notes.exists():
        raise WorkflowError(_("Diễn đàn đã có ghi chép ý kiến nên không xóa được."))
    audit.record(by, "forum.delete", forum)
    forum.delete()


@transaction.atomic
def delete_topic_group(group: TopicGroup, *, by) -> None:
    forum = group.forums.first()
    if forum is not None:
        raise WorkflowError(
            _("Nhóm vấn đề đang được dùng cho diễn đàn “%(forum)s”: hãy đổi nhóm của diễn đàn trước.")
            % {"forum": forum}
        )
    try:
        group.delete()
    except ProtectedError as exc:  # used by another app (questions filed under the group)
        raise WorkflowError(_("Nhóm vấn đề đang được sử dụng nên không xóa được.")) from exc


# --- roadmap: edits from the form, attachments ---------------------------------------------------
# Imported here rather than at the top so that this section stays one appended block.
from dialogue.uploads import store_upload  # noqa: E402

from .models import TaskAttachment  # noqa: E402

audit.register_verb("task.attach", gettext_lazy("Đính kèm tệp vào nhiệm vụ"))


@transaction.atomic
def edit_task(task: RoadmapTask, *, by) -> RoadmapTask:
    """Create or change a task from its form: `save_task`, and a status the form changed is
    logged as `set_task_status` logs it, so the action log misses no status change."""
    old = None
    if task.pk:
        old = RoadmapTask.objects.select_for_update().filter(pk=task.pk).values_list("status", flat=True).first()
    task = save_task(task, by=by)
    if task.status != (old or RoadmapTask.Status.NOT_STARTED):
        audit.record(by, "task.status", task, old=old or "", new=task.status)
    return task


def attach_task_file(task: RoadmapTask, upload, *, by) -> TaskAttachment:
    """Keep an uploaded file with the task, under a random storage name. The content is checked
    again here (not only by the form), and the file is removed if the row cannot be written."""
    attachment = TaskAttachment(task=task)
    checked = store_upload(attachment, upload, by=by)
    try:
        with transaction.atomic():
            attachment.save()
            audit.record(by, "task.attach", task, name=checked.name, size=checked.size)
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


# --- plan number ----------------------------------------------------------------------------------

audit.register_verb("plan.number", gettext_lazy("Ghi số kế hoạch"))


@transaction.atomic
def set_plan_number(plan: Plan, number: str, *, by) -> Plan:
    """The number the office gives the issued plan ("186-KH/TU"); printed on the approved version."""
    plan = _locked_plan(plan)
    number = (number or "").strip()
    if number == plan.number:
        return plan
    old = plan.number
    plan.number = number
    plan.full_clean(exclude=["program"])
    plan.save(update_fields=["number"])
    audit.record(by, "plan.number", plan, old=old, new=number)
    return plan
