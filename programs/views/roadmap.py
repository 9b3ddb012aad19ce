"""The preparation roadmap (lộ trình chuẩn bị): the task list with its filters and quick status
changes, the timeline, the Excel export, the task form, and a task's page with its history and
attachments.

Every view reaches tasks through `tasks_for`, so another program's task, or another agency's
for an agency officer, is a 404; the roadmap itself needs `programs.view_roadmap`, changes
`programs.update_task` (status, attachments) or `programs.manage` (the form).
"""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dialogue import excel
from dialogue.text import nfc
from dialogue.uploads import ValidatedFileField, private_file_response
from directory.audit import actions_for, field_history
from directory.models import Agency
from directory.permissions import can, require
from directory.views import paginate

from .. import queries, workflow
from ..forms import DateInput
from ..models import CommitteeMember, Program, RoadmapTask
from ..roadmap_timeline import build as build_timeline
from ..roadmap_timeline import task_state
from ..rules import tasks_for
from .common import get_program, program_context

OVERDUE = "overdue"
STATUS_FILTERS = [
    (RoadmapTask.Status.NOT_STARTED.value, RoadmapTask.Status.NOT_STARTED.label),
    (RoadmapTask.Status.IN_PROGRESS.value, RoadmapTask.Status.IN_PROGRESS.label),
    (RoadmapTask.Status.DONE.value, RoadmapTask.Status.DONE.label),
    (OVERDUE, gettext_lazy("Quá hạn")),
]


# --- forms ---------------------------------------------------------------------------------------


class TaskFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Tìm nhiệm vụ"), required=False, max_length=100)
    agency = forms.ModelChoiceField(
        label=gettext_lazy("Cơ quan thực hiện"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=gettext_lazy("Mọi cơ quan"),
    )
    member = forms.ModelChoiceField(
        label=gettext_lazy("Thành viên phụ trách"),
        queryset=CommitteeMember.objects.none(),
        required=False,
        empty_label=gettext_lazy("Mọi thành viên"),
    )
    category = forms.ChoiceField(
        label=gettext_lazy("Nhóm việc"),
        required=False,
        choices=[("", gettext_lazy("Mọi nhóm việc")), *RoadmapTask.Category.choices],
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Trạng thái"),
        required=False,
        choices=[("", gettext_lazy("Mọi trạng thái")), *STATUS_FILTERS],
    )

    def __init__(self, data=None, *, tasks: QuerySet[RoadmapTask], **kwargs):
        super().__init__(data, **kwargs)
        # Only who has work the user can see: an agency officer does not learn the others' names.
        self.fields["agency"].queryset = Agency.objects.filter(roadmap_tasks__in=tasks).distinct().order_by("name")
        self.fields["member"].queryset = (
            CommitteeMember.objects.filter(tasks__in=tasks).distinct().order_by("order", "full_name", "id")
        )
        self.fields["member"].label_from_instance = lambda member: member.full_name


def filter_tasks(tasks: QuerySet[RoadmapTask], filters: dict, today: datetime.date) -> QuerySet[RoadmapTask]:
    """Apply the valid filters. A status filter matches the status as shown: an open task past
    its due date is "Quá hạn", not "Chưa thực hiện" or "Đang thực hiện"."""
    for term in nfc(filters.get("q", "")).split():
        tasks = tasks.filter(title__icontains=term)
    if filters.get("agency"):
        tasks = tasks.filter(assignee_agency=filters["agency"])
    if filters.get("member"):
        tasks = tasks.filter(assignee_member=filters["member"])
    if filters.get("category"):
        tasks = tasks.filter(category=filters["category"])
    status = filters.get("status")
    if status == OVERDUE:
        tasks = tasks.overdue(today)
    elif status == RoadmapTask.Status.DONE:
        tasks = tasks.filter(status=status)
    elif status:
        tasks = tasks.filter(status=status, due_date__gte=today)
    return tasks


class TaskForm(forms.ModelForm):
    class Meta:
        model = RoadmapTask
        fields = [
            "title",
            "category",
            "assignee_member",
            "assignee_agency",
            "start_date",
            "due_date",
            "status",
            "notes",
        ]
        widgets = {
            "start_date": DateInput(),
            "due_date": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.program = program
        self.fields["assignee_member"].queryset = program.committee.order_by("order", "id")
        self.fields["assignee_member"].empty_label = _("— Không giao cho cá nhân —")
        current = self.instance.assignee_agency_id or 0
        self.fields["assignee_agency"].queryset = Agency.objects.filter(
            Q(province_id=program.province_id, is_active=True) | Q(pk=current)
        ).order_by("name")
        self.fields["assignee_agency"].empty_label = _("— Không giao cho cơ quan —")
        self.fields["assignee_agency"].help_text = _("Giao cho một cơ quan, một thành viên Ban tổ chức, hoặc cả hai.")

    def clean(self):
        data = super().clean()
        if self.has_error("start_date") or self.has_error("due_date"):
            return data
        # The workflow's rules, said on the right fields before anything is saved.
        candidate = RoadmapTask(
            program=self.instance.program,
            start_date=data.get("start_date"),
            due_date=data.get("due_date"),
            assignee_member=data.get("assignee_member"),
            assignee_agency=data.get("assignee_agency"),
        )
        try:
            workflow.check_task(candidate)
        except ValidationError as exc:
            self.add_error(None, exc)
        return data


class AttachmentForm(forms.Form):
    file = ValidatedFileField(label=gettext_lazy("Tệp đính kèm"))


# --- helpers -------------------------------------------------------------------------------------


def _roadmap(request, pk: int) -> tuple[Program, QuerySet[RoadmapTask]]:
    program = get_program(request, pk)
    require(request.user, "programs.view_roadmap", program)
    return program, tasks_for(request.user, program)


def _task(request, pk: int, task_pk: int) -> tuple[Program, RoadmapTask]:
    program, tasks = _roadmap(request, pk)
    task = get_object_or_404(tasks.select_related("assignee_agency", "assignee_member"), pk=task_pk)
    task.program = program  # the permission rules read it; no second query
    return program, task


def _filtered(request, tasks: QuerySet[RoadmapTask]):
    form = TaskFilterForm(request.GET or None, tasks=tasks)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = filter_tasks(tasks, filters, timezone.localdate()).select_related("assignee_agency", "assignee_member")
    return form, rows


def _filter_query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _mark_updatable(request, program: Program, tasks) -> bool:
    """Set `can_update` on each task (no queries: program and assignee are loaded)."""
    any_updatable = False
    for task in tasks:
        task.program = program
        task.can_update = can(request.user, "programs.update_task", task)
        any_updatable = any_updatable or task.can_update
    return any_updatable


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def _roadmap_context(request, program: Program, tasks: QuerySet[RoadmapTask], form, view: str, **extra) -> dict:
    return program_context(
        request,
        program,
        "programs:roadmap",
        form=form,
        view=view,
        counts=queries.task_counts(tasks),
        filter_query=_filter_query(request),
        status_choices=RoadmapTask.Status.choices,
        **extra,
    )


# --- pages ---------------------------------------------------------------------------------------


@login_required
def roadmap(request, pk: int):
    program, tasks = _roadmap(request, pk)
    form, rows = _filtered(request, tasks)
    page = paginate(request, rows)
    show_update = _mark_updatable(request, program, page)
    context = _roadmap_context(
        request, program, tasks, form, "list", page=page, show_update=show_update, next_url=request.get_full_path()
    )
    return render(request, "programs/roadmap_list.html", context)


@login_required
def roadmap_timeline(request, pk: int):
    program, tasks = _roadmap(request, pk)
    form, rows = _filtered(request, tasks)
    # One reverse() for the whole chart rather than one per task: the id is the last segment.
    prefix = reverse("programs:task_detail", args=[program.pk, 0]).removesuffix("0/")
    timeline = build_timeline(
        rows,
        today=timezone.localdate(),
        event=(program.start_date, program.end_date),
        url_of=lambda task: f"{prefix}{task.pk}/",
    )
    context = _roadmap_context(request, program, tasks, form, "timeline", timeline=timeline)
    return render(request, "programs/roadmap_timeline.html", context)


EXPORT_COLUMNS = [
    excel.Column("number", gettext_lazy("STT"), width=6),
    excel.Column("title", gettext_lazy("Nhiệm vụ"), width=50),
    excel.Column("category", gettext_lazy("Nhóm việc"), width=26),
    excel.Column("agency", gettext_lazy("Cơ quan thực hiện"), width=36),
    excel.Column("member", gettext_lazy("Thành viên phụ trách"), width=28),
    excel.Column("start_date", gettext_lazy("Ngày bắt đầu"), width=14),
    excel.Column("due_date", gettext_lazy("Hạn hoàn thành"), width=14),
    excel.Column("status", gettext_lazy("Trạng thái"), width=18),
    excel.Column("completed_on", gettext_lazy("Ngày hoàn thành"), width=14),
    excel.Column("notes", gettext_lazy("Ghi chú"), width=40),
]


@login_required
def roadmap_export(request, pk: int):
    program, tasks = _roadmap(request, pk)
    _form, rows = _filtered(request, tasks)
    data = (
        {
            "number": number,
            "title": task.title,
            "category": task.get_category_display(),
            "agency": task.assignee_agency.name if task.assignee_agency else "",
            "member": task.assignee_member.full_name if task.assignee_member else "",
            "start_date": task.start_date,
            "due_date": task.due_date,
            "status": task.display_status,
            "completed_on": task.completed_on,
            "notes": task.notes,
        }
        for number, task in enumerate(rows.iterator(chunk_size=500), start=1)
    )
    columns = [excel.Column(c.key, str(c.label), width=c.width) for c in EXPORT_COLUMNS]
    title = _("Lộ trình chuẩn bị – %(program)s") % {"program": program.title}
    content = excel.write_table(columns, data, title=title, sheet_name=_("Lộ trình"))
    filename = _("Lộ trình chuẩn bị - %(program)s") % {"program": program.title[:80]}
    return excel.xlsx_response(content, filename)


@login_required
def task_detail(request, pk: int, task_pk: int):
    program, task = _task(request, pk, task_pk)
    return _task_page(request, program, task, AttachmentForm())


def readable_history(task: RoadmapTask) -> list[dict]:
    """`field_history` merged with the action log, newest first, so each act (a status change,
    an attachment) sits next to the field change it made. A fixed number of queries."""
    entries = field_history(task)
    # The action log (status changes, attachments) in the same list, newest first, so each act
    # sits next to the field change it made.
    for action in actions_for(task)[:20]:
        label = action.get_verb_display()
        if action.changes.get("name"):
            label = f"{label}: {action.changes['name']}"
        entries.append({"date": action.created_at, "user": action.actor, "type": label, "changes": []})
    entries.sort(key=lambda entry: entry["date"], reverse=True)
    return entries


def _task_page(request, program: Program, task: RoadmapTask, upload_form: AttachmentForm):
    task.can_update = can(request.user, "programs.update_task", task)
    context = program_context(
        request,
        program,
        "programs:roadmap",
        task=task,
        title=task.title,
        state=task_state(task, timezone.localdate()),
        attachments=task.attachments.select_related("uploaded_by"),
        history=readable_history(task),
        upload_form=upload_form,
        status_choices=RoadmapTask.Status.choices,
        next_url=request.path,
    )
    return render(request, "programs/task_detail.html", context)


@login_required
def task_form(request, pk: int, task_pk: int | None = None):
    if task_pk is None:
        program = get_program(request, pk)
        require(request.user, "programs.manage", program)
        task = None
    else:
        program, task = _task(request, pk, task_pk)
        require(request.user, "programs.manage", program)
    form = TaskForm(request.POST or None, instance=task, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            task = workflow.edit_task(form.save(commit=False), by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu nhiệm vụ “%(title)s”.") % {"title": task.title})
            return redirect("programs:task_detail", program.pk, task.pk)
    title = _("Sửa nhiệm vụ") if task else _("Thêm nhiệm vụ vào lộ trình")
    context = program_context(request, program, "programs:roadmap", form=form, title=title)
    return render(request, "programs/form_page.html", context)


@login_required
@require_POST
def task_status(request, pk: int, task_pk: int):
    """The quick status change: a plain form that redirects back, or, asked by htmx, the
    task's row of the list, re-rendered."""
    program, task = _task(request, pk, task_pk)
    require(request.user, "programs.update_task", task)
    status = request.POST.get("status", "")
    error = ""
    changed = False
    if status != task.status:
        try:
            workflow.set_task_status(task, status, by=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            changed = True
    if request.htmx:
        task.refresh_from_db(fields=["status", "completed_on"])
        task.can_update = True
        context = {
            "program": program,
            "obj": task,
            "show_update": True,
            "status_choices": RoadmapTask.Status.choices,
            "next_url": _safe_next(request, reverse("programs:roadmap", args=[program.pk])),
            "row_error": error,
            "row_saved": changed,
        }
        return render(request, "programs/roadmap_row.html", context)
    if error:
        messages.error(request, error)
    elif not changed:
        messages.info(request, _("Trạng thái không thay đổi."))
    else:
        messages.success(
            request,
            _("Đã cập nhật “%(title)s”: %(status)s.")
            % {"title": task.title, "status": RoadmapTask.Status(status).label},
        )
    return redirect(_safe_next(request, reverse("programs:task_detail", args=[program.pk, task.pk])))


@login_required
@require_POST
def task_upload(request, pk: int, task_pk: int):
    program, task = _task(request, pk, task_pk)
    require(request.user, "programs.update_task", task)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = workflow.attach_task_file(task, form.cleaned_data["file"], by=request.user)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(request, _("Đã đính kèm tệp “%(name)s”.") % {"name": attachment.original_name})
            return redirect("programs:task_detail", program.pk, task.pk)
    return _task_page(request, program, task, form)


@login_required
def task_file(request, pk: int, task_pk: int, file_pk: int):
    """A task's attachment, to those who may see the task; never a public media URL."""
    _program, task = _task(request, pk, task_pk)
    attachment = get_object_or_404(task.attachments, pk=file_pk)
    return private_file_response(attachment.file, attachment.original_name, attachment.content_type)


urlpatterns = [
    path("<int:pk>/lo-trinh/", roadmap, name="roadmap"),
    path("<int:pk>/lo-trinh/bieu-do/", roadmap_timeline, name="roadmap_timeline"),
    path("<int:pk>/lo-trinh/xuat-excel/", roadmap_export, name="roadmap_export"),
    path("<int:pk>/lo-trinh/them/", task_form, name="task_add"),
    path("<int:pk>/lo-trinh/<int:task_pk>/", task_detail, name="task_detail"),
    path("<int:pk>/lo-trinh/<int:task_pk>/sua/", task_form, name="task_edit"),
    path("<int:pk>/lo-trinh/<int:task_pk>/trang-thai/", task_status, name="task_status"),
    path("<int:pk>/lo-trinh/<int:task_pk>/tep/", task_upload, name="task_upload"),
    path("<int:pk>/lo-trinh/<int:task_pk>/tep/<int:file_pk>/", task_file, name="task_file"),
]
