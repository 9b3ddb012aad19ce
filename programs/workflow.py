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
            _("Phiên bản %(n)s đã %(status)s nên không được sửa; hãy tạo phiên bản mới.")
            % {"n": version.number, "status": version.get_status_display().lower()}
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
