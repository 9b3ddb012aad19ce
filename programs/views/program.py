"""Program list, creation, editing, the program page ("at a glance") and status changes."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from directory.permissions import can, require
from directory.views import list_page

from .. import queries, workflow
from ..forms import ProgramForm
from ..models import Program
from ..rules import programs_for, tasks_for
from .common import get_program, program_context


class ProgramFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Tìm kiếm"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=gettext_lazy("Trạng thái"),
        required=False,
        choices=[("", gettext_lazy("Mọi trạng thái")), *Program.Status.choices],
    )
    year = forms.IntegerField(label=gettext_lazy("Năm"), required=False, min_value=2000, max_value=2100)


@login_required
def program_list(request):
    return list_page(
        request,
        form_class=ProgramFilterForm,
        rows=lambda f: queries.program_list(
            programs_for(request.user), query=f.get("q", ""), status=f.get("status", ""), year=f.get("year")
        ),
        template="programs/program_list.html",
        title=_("Chương trình gặp mặt, đối thoại"),
        empty_title=_("Chưa có chương trình nào"),
        empty_hint=_("Ban tổ chức tạo chương trình mới bằng nút “Tạo chương trình”."),
        extra={"can_create": can(request.user, "programs.create")},
    )


@login_required
def program_create(request):
    require(request.user, "programs.create")
    form = ProgramForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            program = workflow.create_program(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã tạo chương trình. Bước tiếp theo: lập Ban tổ chức và dự thảo kế hoạch."))
            return redirect("programs:detail", program.pk)
    return render(request, "programs/program_form.html", {"form": form, "title": _("Tạo chương trình")})


@login_required
def program_edit(request, pk: int):
    program = get_program(request, pk)
    require(request.user, "programs.manage", program)
    form = ProgramForm(request.POST or None, instance=program, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Đã lưu thông tin chương trình."))
        return redirect("programs:detail", program.pk)
    context = program_context(request, program, "programs:detail", form=form, title=_("Sửa thông tin chương trình"))
    return render(request, "programs/program_form.html", context)


@login_required
def program_detail(request, pk: int):
    program = get_program(request, pk, "plan")
    tasks = tasks_for(request.user, program)
    context = program_context(
        request,
        program,
        "programs:detail",
        deadlines=queries.deadlines(tasks),
        task_counts=queries.task_counts(tasks),
        approved_version=program.plan.versions.filter(status="approved").first(),
        open_version=program.plan.versions.filter(status__in=["draft", "submitted"]).first(),
        committee_size=program.committee.count(),
        forums=program.forums.select_related("chair", "topic_group").order_by("starts_at"),
        # In the order of the status list, so the buttons do not move between page loads.
        next_statuses=[s for s in Program.Status if s in workflow.PROGRAM_TRANSITIONS[program.status]],
        backward_statuses=[Program.Status.PLANNING] if program.status == Program.Status.PREPARING else [],
        show_internals=can(request.user, "programs.view_internals", program),
        next_editions=program.next_editions.all(),
    )
    return render(request, "programs/program_detail.html", context)


@login_required
@require_POST
def program_status(request, pk: int):
    program = get_program(request, pk)
    require(request.user, "programs.manage", program)
    try:
        workflow.set_program_status(program, request.POST.get("status", ""), by=request.user)
    except (ValidationError, KeyError, ValueError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [_("Trạng thái không hợp lệ.")])))
    else:
        messages.success(request, _("Đã chuyển trạng thái chương trình."))
    return redirect("programs:detail", program.pk)


urlpatterns = [
    path("", program_list, name="list"),
    path("tao-moi/", program_create, name="create"),
    path("<int:pk>/", program_detail, name="detail"),
    path("<int:pk>/sua/", program_edit, name="edit"),
    path("<int:pk>/trang-thai/", program_status, name="status"),
]
