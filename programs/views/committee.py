"""The organizing committee: members with their role, agency and position."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directory.permissions import require

from .. import workflow
from ..forms import CommitteeMemberForm
from ..models import CommitteeMember
from .common import get_program, program_context

ROLE_RANK = Case(
    *[When(role=role, then=Value(rank)) for rank, role in enumerate(CommitteeMember.ROLE_ORDER)],
    output_field=IntegerField(),
)


def ordered_committee(program):
    return (
        program.committee.select_related("agency", "user")
        .annotate(role_rank=ROLE_RANK)
        .order_by("role_rank", "order", "id")
    )


@login_required
def committee(request, pk: int):
    program = get_program(request, pk)
    require(request.user, "programs.view_internals", program)
    context = program_context(request, program, "programs:committee", members=ordered_committee(program))
    return render(request, "programs/committee.html", context)


@login_required
def member_form(request, pk: int, member_pk: int | None = None):
    program = get_program(request, pk)
    require(request.user, "programs.manage", program)
    member = get_object_or_404(program.committee, pk=member_pk) if member_pk else None
    form = CommitteeMemberForm(request.POST or None, instance=member, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.save_member(form.save(commit=False), by=request.user)
        except ValidationError as exc:
            form.add_error("role", exc)
        else:
            messages.success(request, _("Đã lưu thành viên Ban tổ chức."))
            return redirect("programs:committee", program.pk)
    title = _("Sửa thành viên Ban tổ chức") if member else _("Thêm thành viên Ban tổ chức")
    context = program_context(request, program, "programs:committee", form=form, title=title)
    return render(request, "programs/form_page.html", context)


@login_required
@require_POST
def member_remove(request, pk: int, member_pk: int):
    program = get_program(request, pk)
    require(request.user, "programs.manage", program)
    member = get_object_or_404(program.committee, pk=member_pk)
    try:
        workflow.remove_member(member, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã xóa thành viên khỏi Ban tổ chức."))
    return redirect("programs:committee", program.pk)


urlpatterns = [
    path("<int:pk>/ban-to-chuc/", committee, name="committee"),
    path("<int:pk>/ban-to-chuc/them/", member_form, name="member_add"),
    path("<int:pk>/ban-to-chuc/<int:member_pk>/sua/", member_form, name="member_edit"),
    path("<int:pk>/ban-to-chuc/<int:member_pk>/xoa/", member_remove, name="member_remove"),
]
