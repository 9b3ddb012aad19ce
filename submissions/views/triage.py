"""Triage by the organizers (Ban tổ chức): the program's list of items with its filters,
accent-free search, bulk classification and Excel export; classifying one item or returning it
to the commune; merging duplicates (with similar items suggested); splitting an item.

Items come through `get_submission` / `submissions_for`, programs through `get_program`, so
another province's item is a 404; every page then needs `submissions.triage` (organizers of the
province and administrators), else 403. Every change goes through `submissions.workflow`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dialogue import excel
from directory.permissions import require
from directory.queries import filter_by_search
from directory.views import paginate

from .. import exports, workflow
from ..deadlines import state_of
from ..models import Submission
from ..queries import filter_triage, page_rows, triage_items
from ..rules import submissions_for
from ..similar import candidates, similar_items
from ..triage_forms import (
    MAX_PARTS,
    BulkClassifyForm,
    ClassifyForm,
    MergeForm,
    ReturnForm,
    TriageFilterForm,
    part_formset,
)
from .common import get_program, get_submission, program_context

S = Submission.Status
CLASSIFIABLE = workflow.ALLOWED_FROM["classify"]
RETURNABLE = workflow.ALLOWED_FROM["return"]
MERGEABLE = workflow.ALLOWED_FROM["merge"]
# The program tab the triage pages sit under.
TAB = "submissions:program_items"
SEARCH_RESULTS = 20


# --- helpers ---------------------------------------------------------------------------------


def _triage_program(request, program_pk: int):
    program = get_program(request, program_pk)
    require(request.user, "submissions.triage", program)
    return program


def _triage_item(request, pk: int) -> Submission:
    item = get_submission(request, pk)
    require(request.user, "submissions.triage", item.program)
    return item


def _filtered(request, program):
    """The filter form and the filtered rows. An invalid filter (a commune of another district)
    is shown with its error and left out; the valid ones still apply."""
    form = TriageFilterForm(request.GET or None, program=program)
    filters = {}
    if form.is_bound:
        form.is_valid()  # fills cleaned_data with the fields that are valid
        filters = form.cleaned_data
    items = triage_items(program, submissions_for(request.user))
    return form, filter_triage(items, filters)


def _filter_query(request) -> str:
    """The filters in use, for the export link and the address bar (empty fields left out)."""
    query = request.GET.copy()
    query.pop("page", None)
    for key in [key for key, values in query.lists() if not any(value.strip() for value in values)]:
        del query[key]
    return query.urlencode()


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def _to_item(request, item: Submission) -> HttpResponse:
    """After a change: back to the item's page; asked by htmx, reload it whole so the status,
    the panels and the timeline all show the change."""
    url = reverse("submissions:detail", args=[item.pk])
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


# --- the list --------------------------------------------------------------------------------


@login_required
def triage(request, program_pk: int):
    program = _triage_program(request, program_pk)
    form, rows = _filtered(request, program)
    page = paginate(request, rows.order_by("number").values_list("pk", flat=True))
    page.object_list = page_rows(list(page.object_list))
    today = timezone.localdate()
    # Labels looked up once per page (get_FOO_display() rebuilds its choices on every call).
    kinds, statuses = dict(Submission.Kind.choices), dict(S.choices)
    modes = dict(Submission.AnswerMode.choices)
    for item in page:
        item.kind_label, item.status_label = kinds[item.kind], statuses[item.status]
        item.answer_mode_label = modes.get(item.answer_mode, "")
        item.deadline_state = state_of(item)
        item.can_classify = item.status in CLASSIFIABLE
        item.ack_overdue = item.acknowledged_at is None and item.acknowledge_due and item.acknowledge_due < today
    context = program_context(
        request,
        program,
        TAB,
        form=form,
        page=page,
        filter_query=_filter_query(request),
        bulk_form=BulkClassifyForm(program=program, items=Submission.objects.none()),
        any_classifiable=any(item.can_classify for item in page),
        # One reverse() for the whole page rather than two per row: the id is the last segment.
        detail_prefix=reverse("submissions:detail", args=[0]).removesuffix("0/"),
    )
    template = "submissions/triage_main.html" if request.htmx else "submissions/triage.html"
    response = render(request, template, context)
    if request.htmx:  # the address bar shows the filters in use, not every empty field
        query = context["filter_query"]
        response["HX-Push-Url"] = f"{request.path}?{query}" if query else request.path
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_POST
def triage_bulk(request, program_pk: int):
    """Classify the selected rows with the same values: all of them, or none (with the reason)."""
    program = _triage_program(request, program_pk)
    items = triage_items(program, submissions_for(request.user))
    form = BulkClassifyForm(request.POST, program=program, items=items)
    back = _safe_next(request, reverse("submissions:triage", args=[program.pk]))
    if not form.is_valid():
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
        return redirect(back)
    selected = list(form.cleaned_data["items"].order_by("number"))
    try:
        workflow.classify_many(selected, by=request.user, **form.changes())
    except workflow.WorkflowError as exc:
        messages.error(request, _("Chưa phân loại nội dung nào. %(reason)s") % {"reason": " ".join(exc.messages)})
    else:
        messages.success(
            request,
            _("Đã phân loại %(count)s nội dung: %(refs)s.")
            % {"count": len(selected), "refs": ", ".join(item.reference for item in selected)},
        )
    return redirect(back)


@login_required
def triage_export(request, program_pk: int):
    """The filtered list as .xlsx, every row (not one page)."""
    program = _triage_program(request, program_pk)
    _form, rows = _filtered(request, program)

    title = _("Câu hỏi, đề xuất, kiến nghị – %(program)s") % {"program": program.title}
    content = exports.items_workbook(rows, title)
    filename = _("Câu hỏi, đề xuất, kiến nghị - %(program)s") % {"program": program.title[:80]}
    return excel.xlsx_response(content, filename)


# --- one item: classify, return --------------------------------------------------------------


def _classify_page(request, item: Submission, form: ClassifyForm, return_form: ReturnForm) -> HttpResponse:
    context = {
        "item": item,
        "form": form,
        "return_form": return_form,
        "can_classify": item.status in CLASSIFIABLE,
        "can_return": item.status in RETURNABLE,
    }
    template = "submissions/triage_classify_fragment.html" if request.htmx else "submissions/triage_classify.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def classify(request, pk: int):
    """GET: the classification form (a page, or the item page's panel through htmx);
    POST: `workflow.classify`."""
    item = _triage_item(request, pk)
    form = ClassifyForm(request.POST or None, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.classify(item, by=request.user, **form.changes())
        except workflow.WorkflowError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã phân loại %(ref)s.") % {"ref": item.reference})
            return _to_item(request, item)
    return _classify_page(request, item, form, ReturnForm())


@login_required
@require_POST
def return_to_sender(request, pk: int):
    item = _triage_item(request, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            workflow.return_to_sender(item, by=request.user, remark=form.cleaned_data["remark"])
        except workflow.WorkflowError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Đã trả lại %(ref)s cho %(commune)s.") % {"ref": item.reference, "commune": item.commune}
            )
            return _to_item(request, item)
    return _classify_page(request, item, ClassifyForm(item=item), form)


# --- similar items and merging ---------------------------------------------------------------


@login_required
def similar(request, pk: int):
    """Items like this one: a fragment for the item page's panel (htmx), or a page."""
    item = _triage_item(request, pk)
    limit = 5 if request.htmx else 10
    matches = similar_items(item, limit=limit, scope=submissions_for(request.user))
    context = {"item": item, "matches": matches, "can_merge": item.status in MERGEABLE}
    template = "submissions/similar_fragment.html" if request.htmx else "submissions/similar_page.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _selected_ids(request) -> set[int]:
    values = request.POST.getlist("duplicates") if request.method == "POST" else request.GET.getlist("chon")
    return {int(value) for value in values if value.isdigit()}


@login_required
def merge(request, pk: int):
    """Merge duplicates into this item: similar items suggested with their score, a search box
    for others; the item keeps every origin commune and each one is told (workflow.merge)."""
    item = _triage_item(request, pk)
    form = MergeForm(request.POST or None, items=submissions_for(request.user))
    if request.method == "POST" and form.is_valid():
        duplicates = list(form.cleaned_data["duplicates"].order_by("number"))
        try:
            workflow.merge(duplicates, into=item, by=request.user)
        except workflow.WorkflowError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Đã gộp %(refs)s vào %(ref)s; các đơn vị nêu được giữ lại và được thông báo.")
                % {"refs": ", ".join(d.reference for d in duplicates), "ref": item.reference},
            )
            return redirect("submissions:detail", item.pk)
    query = request.GET.get("q", "").strip()[:200]
    can_merge = item.status in MERGEABLE
    scope = submissions_for(request.user)
    matches = similar_items(item, scope=scope) if item.status != S.MERGED else []
    found = []
    if query:
        found = list(
            filter_by_search(candidates(item, scope), query, "search_text").order_by("number")[:SEARCH_RESULTS]
        )
    selected = _selected_ids(request)
    shown = {match.item.pk for match in matches} | {row.pk for row in found}
    # Ticked before the last search and not in today's lists: still listed, still ticked.
    chosen = (
        list(candidates(item, scope).filter(pk__in=selected - shown).order_by("number")) if selected - shown else []
    )
    for row in [match.item for match in matches] + found + chosen:
        row.mergeable = row.status in MERGEABLE
        row.selected = row.pk in selected
    context = {
        "item": item,
        "form": form,
        "matches": matches,
        "found": found,
        "chosen": chosen,
        "query": query,
        "can_merge": can_merge,
        "origin_count": item.origin_links.count(),
        "limit": SEARCH_RESULTS,
        "selected": sorted(selected),
    }
    return render(request, "submissions/merge.html", context)


# --- splitting -------------------------------------------------------------------------------


@login_required
def split(request, pk: int):
    """Split an item that raises several matters into new items, one per part (title and
    content); the new items keep the origins and classification (workflow.split)."""
    item = _triage_item(request, pk)
    wanted = request.GET.get("so-phan", "")
    parts = int(wanted) if wanted.isdigit() else 2
    formset = part_formset(parts)(request.POST or None, prefix="phan")
    error = ""
    if request.method == "POST" and formset.is_valid():
        try:
            created = workflow.split(item, formset.parts(), by=request.user)
        except workflow.WorkflowError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _("Đã tách %(ref)s thành %(refs)s.")
                % {"ref": item.reference, "refs": ", ".join(new.reference for new in created)},
            )
            return redirect("submissions:detail", item.pk)
    context = {
        "item": item,
        "formset": formset,
        "error": error,
        "can_split": item.status in CLASSIFIABLE,
        "more_parts": min(formset.total_form_count() + 1, MAX_PARTS),
        "max_parts": MAX_PARTS,
    }
    return render(request, "submissions/split.html", context)


urlpatterns = [
    path("chuong-trinh/<int:program_pk>/cau-hoi/phan-loai/", triage, name="triage"),
    path("chuong-trinh/<int:program_pk>/cau-hoi/phan-loai/xuat-excel/", triage_export, name="triage_export"),
    path("chuong-trinh/<int:program_pk>/cau-hoi/phan-loai/hang-loat/", triage_bulk, name="triage_bulk"),
    path("cau-hoi/<int:pk>/phan-loai/", classify, name="classify"),
    path("cau-hoi/<int:pk>/tra-lai/", return_to_sender, name="return_to_sender"),
    path("cau-hoi/<int:pk>/tuong-tu/", similar, name="similar"),
    path("cau-hoi/<int:pk>/gop/", merge, name="merge"),
    path("cau-hoi/<int:pk>/tach/", split, name="split"),
]
