"""Answers: the lead agency drafts its written answer (text and files) and sends it to the
organizers; the organizers publish it (the origin communes are notified) or return it with a
remark; answers given on the spot at the program are recorded by the organizers with who
answered; a published item is closed.

Items come through `get_submission` (another commune's, agency's or province's item is a
404); the agency's actions need `submissions.answer`, the organizers' `submissions.triage`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directory.permissions import can, require

from .. import workflow
from ..deadlines import deadline_state
from ..models import Answer, Submission
from ..routing_forms import AnswerForm, OnSpotAnswerForm
from .common import get_submission


def _item_page(item: Submission) -> str:
    return reverse("submissions:detail", args=[item.pk])


def _answer_of(item: Submission, answer_pk: int) -> Answer:
    """An answer of this item (another item's answer id is a 404)."""
    return get_object_or_404(item.answers.select_related("agency"), pk=answer_pk)


def _require_answering(request, item: Submission) -> None:
    if not can(request.user, "submissions.answer", item):
        raise PermissionDenied


# --- the agency's written answer ------------------------------------------------------------------


@login_required
def answer_edit(request, pk: int):
    """The lead agency's officer writes the answer, attaches files, saves it as a draft or
    sends it to the organizers."""
    item = get_submission(request, pk)
    _require_answering(request, item)
    agency = request.user.agency
    answer = workflow.working_answer(item, agency)
    answerable = item.status in workflow.ALLOWED_FROM["answer"]
    routing = workflow.open_routing(item)
    form = AnswerForm(request.POST or None, request.FILES or None, answer=answer)
    if request.method == "POST" and not answerable:
        messages.error(
            request,
            _("Không thể sửa câu trả lời khi nội dung đang ở trạng thái “%(status)s”.")
            % {"status": item.get_status_display()},
        )
        return redirect(_item_page(item))
    if request.method == "POST" and form.is_valid():
        send = "send" in request.POST
        try:
            answer = workflow.save_answer(
                item,
                by=request.user,
                agency=agency,
                text=form.cleaned_data["text"],
                files=form.cleaned_data["files"],
                remove=form.cleaned_data.get("remove") or [],
                send=send,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if send:
                messages.success(
                    request,
                    _("Đã gửi câu trả lời %(ref)s đến Ban tổ chức để xem xét, công bố.") % {"ref": item.reference},
                )
                return redirect(_item_page(item))
            messages.success(request, _("Đã lưu dự thảo câu trả lời %(ref)s.") % {"ref": item.reference})
            return redirect("submissions:answer_edit", item.pk)
    context = {
        "item": item,
        "title": _("Câu trả lời của %(agency)s") % {"agency": agency.name},
        "form": form,
        "answer": answer,
        "answerable": answerable,
        "attachments": list(answer.attachments.all()) if answer else [],
        "pending": item.answers.filter(agency=agency, status=Answer.Status.SUBMITTED).first(),
        "routing": routing,
        "deadline_state": deadline_state(routing.deadline, None) if routing else None,
    }
    return render(request, "submissions/answer_page.html", context)


@login_required
@require_POST
def answer_submit(request, pk: int, answer_pk: int):
    """Send a saved draft (or a returned answer, completed) to the organizers."""
    item = get_submission(request, pk)
    _require_answering(request, item)
    answer = _answer_of(item, answer_pk)
    if answer.agency_id != request.user.agency_id:
        raise PermissionDenied
    try:
        workflow.submit_answer(answer, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Đã gửi câu trả lời %(ref)s đến Ban tổ chức để xem xét, công bố.") % {"ref": item.reference}
        )
    return redirect(_item_page(item))


# --- the organizers' review -----------------------------------------------------------------------


@login_required
@require_POST
def answer_publish(request, pk: int, answer_pk: int):
    """Publish a submitted answer: the item is answered for the communes, which are notified."""
    item = get_submission(request, pk)
    require(request.user, "submissions.triage", item.program)
    answer = _answer_of(item, answer_pk)
    try:
        workflow.publish_answer(answer, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Đã công bố câu trả lời %(ref)s; các đơn vị nêu sẽ được thông báo.") % {"ref": item.reference},
        )
    return redirect(_item_page(item))


@login_required
@require_POST
def answer_return(request, pk: int, answer_pk: int):
    """Return a submitted answer to the agency with a remark on what to complete."""
    item = get_submission(request, pk)
    require(request.user, "submissions.triage", item.program)
    answer = _answer_of(item, answer_pk)
    try:
        workflow.return_answer(answer, by=request.user, remark=request.POST.get("remark", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Đã trả lại câu trả lời %(ref)s cho %(agency)s để hoàn thiện.")
            % {"ref": item.reference, "agency": answer.agency or _("cơ quan trả lời")},
        )
    return redirect(_item_page(item))


@login_required
def answer_on_spot(request, pk: int):
    """Organizers record an answer given at the program, with who gave it; optionally published
    at once (it was said in public)."""
    item = get_submission(request, pk)
    require(request.user, "submissions.triage", item.program)
    answerable = item.status in workflow.ALLOWED_FROM["answer"]
    form = OnSpotAnswerForm(request.POST or None, program=item.program, initial={"publish": True})
    if request.method == "POST" and not answerable:
        messages.error(
            request,
            _("Không thể ghi nhận trả lời khi nội dung đang ở trạng thái “%(status)s”.")
            % {"status": item.get_status_display()},
        )
        return redirect(_item_page(item))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():  # recorded and published together, or not at all
                answer = workflow.record_on_spot_answer(
                    item, by=request.user, text=data["text"], answered_by=data["answered_by"], agency=data["agency"]
                )
                if data["publish"]:
                    workflow.publish_answer(answer, by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if data["publish"]:
                text = _("Đã ghi nhận và công bố câu trả lời trực tiếp cho %(ref)s.")
            else:
                text = _("Đã ghi nhận câu trả lời trực tiếp cho %(ref)s; câu trả lời chờ công bố.")
            messages.success(request, text % {"ref": item.reference})
            return redirect(_item_page(item))
    context = {
        "item": item,
        "title": _("Ghi nhận trả lời trực tiếp tại chương trình"),
        "form": form,
        "answerable": answerable,
    }
    return render(request, "submissions/answer_on_spot_page.html", context)


@login_required
@require_POST
def close(request, pk: int):
    """Close an item whose answer is published: nothing more is expected on it."""
    item = get_submission(request, pk)
    require(request.user, "submissions.triage", item.program)
    try:
        workflow.close(item, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã kết thúc %(ref)s.") % {"ref": item.reference})
    return redirect(_item_page(item))


urlpatterns = [
    path("cau-hoi/<int:pk>/tra-loi/", answer_edit, name="answer_edit"),
    path("cau-hoi/<int:pk>/tra-loi/<int:answer_pk>/gui/", answer_submit, name="answer_submit"),
    path("cau-hoi/<int:pk>/tra-loi/<int:answer_pk>/cong-bo/", answer_publish, name="answer_publish"),
    path("cau-hoi/<int:pk>/tra-loi/<int:answer_pk>/tra-lai/", answer_return, name="answer_return"),
    path("cau-hoi/<int:pk>/tra-loi-truc-tiep/", answer_on_spot, name="answer_on_spot"),
    path("cau-hoi/<int:pk>/ket-thuc/", close, name="close"),
]
