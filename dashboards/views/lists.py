"""The lists behind the dashboards' numbers: questions, proposals and recommendations, and the
notices' assignments, with the filters the numbers carry in their links. Rows come through
`dashboards.queries` (the same functions the numbers are counted with) and so through the
user's scope: every role may open them and sees only what it may see. A page of 50 rows costs a
fixed number of queries: the page's ids first, then their columns."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from conclusions import exports as assignment_exports
from conclusions.models import ConclusionNotice
from conclusions.queries import page_rows as assignment_page_rows
from conclusions.status import BADGE, AssignmentState, days_late, state_of
from dialogue import excel
from directory.models import AdminUnit, Agency
from directory.permissions import province_id_of
from programs.models import Program
from programs.rules import programs_for
from submissions import exports as item_exports
from submissions.deadlines import DeadlineState
from submissions.deadlines import state_of as item_state_of
from submissions.models import Field
from submissions.queries import page_rows as item_page_rows

from ..forms import AssignmentFilterForm, ItemFilterForm
from ..queries import assignments_in, filter_assignments, filter_items, items_in
from ..rules import dashboard_provinces

PAGE_SIZE = 50


def _province_id(request) -> int:
    """The province of the list: the one asked for if the user may see its dashboards (an
    administrator, any), else the user's own (0, none, finds nothing)."""
    raw = request.GET.get("province", "")
    if raw.isdigit() and dashboard_provinces(request.user).filter(pk=raw).exists():
        return int(raw)
    return province_id_of(request.user) or 0


def _chips(form, names: dict) -> list[dict]:
    """The active filters as removable labels ("Cơ quan: Sở Y tế ✕")."""
    chips = []
    data = form.cleaned_data
    for key, label in names.items():
        value = data.get(key)
        if value in (None, ""):
            continue
        query = form.data.copy()
        query.pop(key, None)
        query.pop("page", None)
        chips.append({"label": label, "url": "?" + query.urlencode()})
    return chips


def _describe_filters(form) -> dict[str, str]:
    """A label for each active filter, with names read in a few small queries."""
    data = form.cleaned_data
    labels = {}
    for key in form.fields:
        value = data.get(key)
        if value in (None, "") or key in ("province", "page"):
            continue
        field = form.fields[key]
        if key == "agency":
            name = Agency.objects.filter(pk=value).values_list("name", flat=True).first() or value
        elif key in ("commune", "district"):
            unit = AdminUnit.objects.filter(pk=value).first()
            name = unit.full_name if unit else value
        elif key == "topic_group":
            from programs.models import TopicGroup

            name = TopicGroup.objects.filter(pk=value).values_list("name", flat=True).first() or value
        elif key == "notice":
            notice = ConclusionNotice.objects.filter(pk=value).first()
            name = str(notice) if notice else value
        elif isinstance(value, Field):
            name = value.name
        elif hasattr(field, "choices"):
            name = dict((str(k), v) for k, v in field.choices).get(str(value), value)
        else:
            name = value
        labels[key] = f"{field.label}: {name}"
    return labels


def _programs(request, province_id) -> list[Program]:
    return list(programs_for(request.user).filter(province_id=province_id).order_by("-start_date"))


def _paginate(request, ids_queryset, count: int):
    paginator = Paginator(ids_queryset, PAGE_SIZE)
    paginator.count = count
    return paginator.get_page(request.GET.get("page"))


def _valid_filters(form) -> dict:
    """The filters that are set and valid (an invalid one is shown with its error and ignored)."""
    if not (form.is_bound and form.is_valid()):
        return {}
    filters = {key: value for key, value in form.cleaned_data.items() if value not in (None, "")}
    if isinstance(filters.get("field"), Field):
        filters["field"] = filters["field"].pk
    filters.pop("province", None)
    return filters


def _items(request, today):
    """(the filter form, the user's programs of the province, the filtered items)."""
    province_id = _province_id(request)
    programs = _programs(request, province_id)
    form = ItemFilterForm(request.GET or None, programs=programs)
    filters = _valid_filters(form)
    program_id = filters.pop("program", None)
    return form, programs, filter_items(items_in(request.user, province_id, program_id), filters, today)


def _assignments(request, today):
    province_id = _province_id(request)
    programs = _programs(request, province_id)
    form = AssignmentFilterForm(request.GET or None, programs=programs)
    filters = _valid_filters(form)
    program_id = filters.pop("program", None)
    return form, filter_assignments(assignments_in(request.user, province_id, program_id), filters, today)


def _export_url(request, name: str) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return reverse(name) + (f"?{query.urlencode()}" if query else "")


ITEM_ORDER = ("-program__start_date", "program_id", "number")
ASSIGNMENT_ORDER = ("next_due_on", "-completed_on", "notice_id", "order", "id")


def _list_page(request, *, template: str, title: str, form, rows, order, load_page, export_name: str, detail_name: str):
    """One page of a drill-down list: the filtered rows are counted once, the page's ids found
    in `order`, and only those rows loaded with their columns (`load_page(ids)`)."""
    count = rows.order_by().count()
    page = _paginate(request, rows.order_by(*order).values_list("pk", flat=True), count)
    page.object_list = load_page(list(page.object_list))
    labels = _describe_filters(form) if form.is_bound and form.is_valid() else {}
    context = {
        "title": title,
        "form": form,
        "page": page,
        "count": count,
        "chips": _chips(form, labels) if labels else [],
        "detail_prefix": reverse(detail_name, args=[0]).removesuffix("0/"),
        "export_url": _export_url(request, export_name),
    }
    return render(request, template, context)


@login_required
def submissions(request):
    today = timezone.localdate()
    form, programs, items = _items(request, today)
    programs_by_pk = {p.pk: p for p in programs}
    labels = dict(DeadlineState.choices)

    def load_page(ids):
        rows = item_page_rows(ids)
        for row in rows:
            row.program_label = programs_by_pk.get(row.program_id)
            row.deadline_state = item_state_of(row)
            row.deadline_label = labels.get(row.deadline_state, _("Chưa giao cơ quan trả lời"))
        return rows

    return _list_page(
        request,
        template="dashboards/submission_list.html",
        title=_("Danh sách câu hỏi, đề xuất, kiến nghị"),
        form=form,
        rows=items,
        order=ITEM_ORDER,
        load_page=load_page,
        export_name="dashboards:submissions_xlsx",
        detail_name="submissions:detail",
    )


@login_required
def submissions_xlsx(request):
    """The whole filtered list (not one page) as .xlsx."""
    items = _items(request, timezone.localdate())[2].order_by(*ITEM_ORDER)
    title = _("Danh sách câu hỏi, đề xuất, kiến nghị")
    return excel.xlsx_response(item_exports.items_workbook(items, title), title)


@login_required
def assignments(request):
    today = timezone.localdate()
    form, rows = _assignments(request, today)
    states = dict(AssignmentState.choices)

    def load_page(ids):
        loaded = assignment_page_rows(ids, today)
        notices = ConclusionNotice.objects.filter(pk__in={row.notice_id for row in loaded}).select_related("program")
        by_pk = {notice.pk: notice for notice in notices}
        for row in loaded:
            state = row.state or state_of(row, today)
            row.state_label = states.get(state, "")
            row.badge = BADGE.get(state, "secondary")
            row.days_late = days_late(row, today)
            row.notice_obj = by_pk.get(row.notice_id)
        return loaded

    return _list_page(
        request,
        template="dashboards/assignment_list.html",
        title=_("Danh sách nhiệm vụ theo thông báo kết luận"),
        form=form,
        rows=rows,
        order=ASSIGNMENT_ORDER,
        load_page=load_page,
        export_name="dashboards:assignments_xlsx",
        detail_name="conclusions:assignment_detail",
    )


@login_required
def assignments_xlsx(request):
    today = timezone.localdate()
    rows = _assignments(request, today)[1].order_by(*ASSIGNMENT_ORDER)
    title = _("Danh sách nhiệm vụ theo thông báo kết luận")
    return excel.xlsx_response(assignment_exports.assignments_workbook(rows, title, today, with_notice=True), title)


urlpatterns = [
    path("danh-sach/cau-hoi/", submissions, name="submissions"),
    path("danh-sach/cau-hoi/xuat-excel/", submissions_xlsx, name="submissions_xlsx"),
    path("danh-sach/nhiem-vu/", assignments, name="assignments"),
    path("danh-sach/nhiem-vu/xuat-excel/", assignments_xlsx, name="assignments_xlsx"),
]
