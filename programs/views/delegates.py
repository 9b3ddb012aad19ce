"""Delegates (đại biểu) of a program: the list with its filters and counts, the seats generated
from the audience, delegates added by hand, the two-step Excel import, the export, forum
assignment (by rule and by hand, with the balance against room capacity), and a commune's own
page where its leader confirms who comes, sends apologies or names a substitute.

The list and everything that changes it need `programs.view_delegates` / `programs.manage_delegates`;
a commune leader is sent from the list to their commune's page and reaches seats only through
`seats_for`, so another commune's seat is a 404. Changes go through `programs.delegates` and
`programs.delegate_import`.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dialogue import excel
from dialogue.text import search_terms
from dialogue.uploads import ValidatedFileField
from directory.models import AdminUnit, Role
from directory.permissions import can, require, role_of
from directory.views import paginate

from .. import delegate_import as importer
from .. import delegates as workflow
from ..checkin import active_checkins
from ..forms import DATE_ERRORS, DateInput
from ..models import Delegate, DelegateImport, DelegatePost, Program, Seat
from ..rules import leader_communes
from .common import get_program, program_context

TAB = "programs:delegates"
PAGE_SIZE = 50
PREVIEW_PAGE_SIZE = 200


# --- scoping -------------------------------------------------------------------------------------


def seats_for(user, program: Program) -> QuerySet[Seat]:
    """Seats a user may see and act on: all for the program's readers, a commune leader's own
    commune's (and those of the communes it absorbed), nothing for anyone else."""
    seats = Seat.objects.filter(program=program)
    role = role_of(user)
    if can(user, "programs.view_delegates", program) and role != Role.COMMUNE_LEADER:
        return seats
    if role == Role.COMMUNE_LEADER:
        return seats.filter(commune_id__in=leader_communes(user))
    return seats.none()


def _program(request, pk: int, permission: str = "programs.view_delegates") -> Program:
    program = get_program(request, pk)
    require(request.user, permission, program)
    return program


def _is_leader(user) -> bool:
    return role_of(user) == Role.COMMUNE_LEADER


# --- forms ---------------------------------------------------------------------------------------

UNFILLED = "unfilled"


class DelegateFilterForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Tìm kiếm"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("Tên, xã… (không cần dấu)")}),
    )
    district = forms.ModelChoiceField(
        label=gettext_lazy("Huyện"),
        queryset=AdminUnit.objects.none(),
        required=False,
        empty_label=gettext_lazy("Mọi huyện"),
    )
    commune = forms.ModelChoiceField(
        label=gettext_lazy("Xã"), queryset=AdminUnit.objects.none(), required=False, empty_label=gettext_lazy("Mọi xã")
    )
    post = forms.ChoiceField(
        label=gettext_lazy("Chức vụ"),
        required=False,
        choices=[("", gettext_lazy("Mọi chức vụ")), *DelegatePost.choices],
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Xác nhận"),
        required=False,
        choices=[("", gettext_lazy("Mọi trạng thái")), *Delegate.Status.choices],
    )
    forum = forms.ChoiceField(label=gettext_lazy("Diễn đàn"), required=False)
    presence = forms.ChoiceField(
        label=gettext_lazy("Điểm danh"),
        required=False,
        choices=[
            ("", gettext_lazy("Có mặt và vắng")),
            ("present", gettext_lazy("Có mặt")),
            ("absent", gettext_lazy("Vắng mặt")),
        ],
    )

    def __init__(self, data=None, *, program: Program, communes: QuerySet[AdminUnit], **kwargs):
        super().__init__(data, **kwargs)
        self.fields["commune"].queryset = communes.order_by("name")
        self.fields["district"].queryset = AdminUnit.objects.filter(
            pk__in=communes.values("parent_id"), level=AdminUnit.Level.DISTRICT
        ).order_by("name")
        self.fields["forum"].choices = [
            ("", _("Mọi diễn đàn")),
            ("none", _("Chưa xếp diễn đàn")),
            *[(str(f.pk), f.title) for f in program.forums.order_by("starts_at", "id")],
        ]


def filter_delegates(delegates: QuerySet[Delegate], filters: dict) -> QuerySet[Delegate]:
    for term in search_terms(filters.get("q")):
        delegates = delegates.filter(search_text__contains=term)
    if filters.get("district"):
        delegates = delegates.filter(commune__parent=filters["district"])
    if filters.get("commune"):
        delegates = delegates.filter(commune=filters["commune"])
    if filters.get("post"):
        delegates = delegates.filter(pk__in=Seat.objects.filter(post=filters["post"]).values("delegate_id"))
    if filters.get("status"):
        delegates = delegates.filter(status=filters["status"])
    forum = filters.get("forum")
    if forum == "none":
        delegates = delegates.filter(forum__isnull=True)
    elif forum:
        delegates = delegates.filter(forum_id=forum)
    # Present: checked in at the door and not undone (as `checkin.attendance` counts them).
    if filters.get("presence") == "present":
        delegates = delegates.filter(Exists(active_checkins()))
    elif filters.get("presence") == "absent":
        delegates = delegates.exclude(Exists(active_checkins()))
    return delegates


class DelegateForm(forms.ModelForm):
    posts = forms.MultipleChoiceField(
        label=gettext_lazy("Chức vụ giữ (suất đại biểu)"),
        required=False,
        choices=DelegatePost.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Một người có thể giữ hai chức vụ. Khách mời và Ban tổ chức để trống."),
    )

    class Meta:
        model = Delegate
        fields = ["kind", "full_name", "title", "organization", "commune", "phone", "forum"]

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.program = program
        self.program = program
        self.fields["commune"].queryset = workflow.expected_communes(program).select_related("parent").order_by("name")
        self.fields["commune"].label_from_instance = lambda unit: (
            f"{unit.full_name} ({unit.parent.full_name})" if unit.parent else unit.full_name
        )
        self.fields["forum"].queryset = program.forums.order_by("starts_at", "id")
        posts = workflow.expected_posts(program)
        self.fields["posts"].choices = [(p, DelegatePost(p).label) for p in posts]
        if not posts:
            del self.fields["posts"]
        elif self.instance.pk:
            self.initial["posts"] = list(self.instance.seats.values_list("post", flat=True))

    def clean(self):
        data = super().clean()
        kind, commune, posts = data.get("kind"), data.get("commune"), data.get("posts") or []
        if kind == Delegate.Kind.COMMUNE and not commune:
            self.add_error("commune", _("Đại biểu cấp xã cần chọn xã, phường, thị trấn."))
        if posts and kind != Delegate.Kind.COMMUNE:
            self.add_error("posts", _("Chỉ đại biểu cấp xã giữ suất của xã."))
        if posts and commune:
            seats = list(Seat.objects.filter(program=self.program, commune=commune, post__in=posts))
            if len(seats) != len(posts):
                self.add_error("posts", _("Chưa có suất đại biểu này: hãy bấm “Tạo danh sách suất đại biểu” trước."))
            self.seats = seats
        else:
            self.seats = [] if "posts" in self.fields else None
        return data


class UploadForm(forms.Form):
    file = ValidatedFileField(
        label=gettext_lazy("Tệp danh sách đại biểu (.xlsx)"),
        help_text=gettext_lazy("Tệp Excel theo mẫu; hệ thống đọc và cho xem trước, chưa ghi gì cho đến khi xác nhận."),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file and file.checked.content_type != excel.XLSX_CONTENT_TYPE:
            raise ValidationError(_("Hãy chọn tệp Excel (.xlsx)."))
        return file


class DeadlineForm(forms.ModelForm):
    class Meta:
        model = Program
        fields = ["delegates_confirm_by"]
        widgets = {"delegates_confirm_by": DateInput()}
        error_messages = {"delegates_confirm_by": DATE_ERRORS}
        help_texts = {"delegates_confirm_by": gettext_lazy("Các xã chưa xác nhận được nhắc trước và sau hạn này.")}

    def clean_delegates_confirm_by(self):
        value = self.cleaned_data["delegates_confirm_by"]
        if value and value > self.instance.end_date:
            raise ValidationError(_("Hạn xác nhận phải trước khi chương trình kết thúc."))
        return value


# --- the list ------------------------------------------------------------------------------------


def seat_counts(program: Program) -> dict:
    """Expected seats, filled, confirmed and excused, and the delegates by kind (two queries)."""
    seats = Seat.objects.filter(program=program).aggregate(
        expected=Count("pk"),
        filled=Count("pk", filter=Q(delegate__isnull=False)),
        confirmed=Count("pk", filter=Q(delegate__status=Delegate.Status.CONFIRMED)),
        excused=Count("pk", filter=Q(delegate__status=Delegate.Status.EXCUSED)),
    )
    people = Delegate.objects.filter(program=program).aggregate(
        total=Count("pk"),
        guests=Count("pk", filter=~Q(kind=Delegate.Kind.COMMUNE)),
        confirmed=Count("pk", filter=Q(status=Delegate.Status.CONFIRMED)),
    )
    return {"seats": seats, "people": people}


def _list_rows(request, program: Program):
    communes = workflow.expected_communes(program)
    form = DelegateFilterForm(request.GET or None, program=program, communes=communes)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = filter_delegates(Delegate.objects.filter(program=program), filters).select_related(
        "commune__parent", "forum"
    )
    return form, rows


def _filter_query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def delegate_list(request, pk: int):
    program = get_program(request, pk)
    if _is_leader(request.user):
        return redirect("programs:commune_delegates", program.pk)
    require(request.user, "programs.view_delegates", program)
    may_manage = can(request.user, "programs.manage_delegates", program)
    deadline_form = DeadlineForm(instance=program)
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        action = request.POST.get("action")
        if action == "generate":
            created = workflow.generate_seats(program, by=request.user)
            if created:
                messages.success(request, _("Đã tạo %(n)s suất đại biểu.") % {"n": created})
            else:
                messages.info(request, _("Danh sách suất đại biểu đã đủ; không có suất nào mới."))
            return redirect("programs:delegates", program.pk)
        if action == "deadline":
            deadline_form = DeadlineForm(request.POST, instance=program)
            if deadline_form.is_valid():
                day = deadline_form.cleaned_data["delegates_confirm_by"]
                workflow.set_confirm_deadline(program, day, by=request.user)
                messages.success(request, _("Đã lưu hạn xã xác nhận đại biểu."))
                return redirect("programs:delegates", program.pk)
    form, rows = _list_rows(request, program)
    page = paginate(request, rows, PAGE_SIZE)
    context = program_context(
        request,
        program,
        TAB,
        title=_("Đại biểu"),
        form=form,
        page=page,
        counts=seat_counts(program),
        filter_query=_filter_query(request),
        may_manage=may_manage,
        deadline_form=deadline_form,
        section="list",
        today=timezone.localdate(),
    )
    return render(request, "programs/delegates_list.html", context)


EXPORT_COLUMNS = [
    ("number", gettext_lazy("STT"), 6),
    ("full_name", gettext_lazy("Họ và tên"), 26),
    ("title", gettext_lazy("Chức vụ"), 40),
    ("commune", gettext_lazy("Xã/phường/thị trấn"), 22),
    ("district", gettext_lazy("Huyện/thị xã/thành phố"), 22),
    ("phone", gettext_lazy("Điện thoại"), 14),
    ("kind", gettext_lazy("Loại đại biểu"), 18),
    ("substitute", gettext_lazy("Dự thay cho"), 30),
    ("forum", gettext_lazy("Diễn đàn"), 30),
    ("seat", gettext_lazy("Ghế"), 8),
    ("status", gettext_lazy("Xác nhận"), 16),
]


@login_required
def delegate_export(request, pk: int):
    program = _program(request, pk)
    if _is_leader(request.user):
        raise PermissionDenied
    _form, rows = _list_rows(request, program)
    data = (
        {
            "number": number,
            "full_name": d.full_name,
            "title": d.title,
            "commune": d.commune.full_name if d.commune else d.organization,
            "district": d.commune.parent.full_name if d.commune and d.commune.parent else "",
            "phone": d.phone,
            "kind": d.get_kind_display(),
            "substitute": f"{d.substitute_for or '—'} ({d.substitute_reason})" if d.substitute_reason else "",
            "forum": d.forum.title if d.forum else "",
            "seat": f"{d.seat_row}{d.seat_number}",
            "status": d.get_status_display(),
        }
        for number, d in enumerate(rows.iterator(chunk_size=1000), start=1)
    )
    columns = [excel.Column(key, str(label), width=width) for key, label, width in EXPORT_COLUMNS]
    title = _("Danh sách đại biểu – %(program)s") % {"program": program.title}
    content = excel.write_table(columns, data, title=title, sheet_name=_("Đại biểu"))
    return excel.xlsx_response(content, _("Danh sách đại biểu - %(program)s") % {"program": program.title[:80]})


@login_required
def delegate_form(request, pk: int, delegate_pk: int | None = None):
    program = _program(request, pk, "programs.manage_delegates")
    delegate = get_object_or_404(Delegate.objects.filter(program=program), pk=delegate_pk) if delegate_pk else None
    initial = {} if delegate else {"kind": request.GET.get("kind") or Delegate.Kind.GUEST}
    form = DelegateForm(request.POST or None, instance=delegate, initial=initial, program=program)
    if request.method == "POST" and form.is_valid():
        person = form.save(commit=False)
        if "posts" in form.changed_data and not form.cleaned_data.get("title") and person.pk:
            person.title = ""  # describe the new posts
        try:
            workflow.save_delegate(person, by=request.user, seats=form.seats)
        except workflow.DelegateError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu đại biểu “%(name)s”.") % {"name": person.full_name})
            return redirect("programs:delegates", program.pk)
    title = _("Sửa đại biểu") if delegate else _("Thêm đại biểu")
    return render(request, "programs/form_page.html", program_context(request, program, TAB, form=form, title=title))


# --- import --------------------------------------------------------------------------------------


@login_required
def import_page(request, pk: int):
    program = _program(request, pk, "programs.manage_delegates")
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        delegate_import, job = importer.upload(program, form.cleaned_data["file"], by=request.user)
        if job is not None:
            messages.info(request, _("Tệp lớn: hệ thống đang đọc tệp, theo dõi tiến độ bên dưới."))
        return redirect("programs:delegate_import_preview", program.pk, delegate_import.pk)
    imports = program.delegate_imports.select_related("created_by")[:20]
    context = program_context(
        request,
        program,
        TAB,
        title=_("Nhập danh sách đại biểu từ Excel"),
        form=form,
        imports=imports,
        section="import",
        background_rows=importer.background_rows(),
    )
    return render(request, "programs/delegate_import.html", context)


def _import(request, pk: int, import_pk: int) -> tuple[Program, DelegateImport]:
    program = _program(request, pk, "programs.manage_delegates")
    return program, get_object_or_404(program.delegate_imports.select_related("created_by"), pk=import_pk)


PREVIEW_FILTERS = [
    ("", gettext_lazy("Tất cả")),
    (importer.ERROR, gettext_lazy("Lỗi")),
    (importer.NEW, gettext_lazy("Thêm mới")),
    (importer.UPDATE, gettext_lazy("Cập nhật")),
    (importer.UNCHANGED, gettext_lazy("Không đổi")),
]


@login_required
def import_preview(request, pk: int, import_pk: int):
    program, delegate_import = _import(request, pk, import_pk)
    job = importer.job_for(delegate_import)
    working = job is not None and job.is_active
    rows = [importer.Row.from_json(data) for data in delegate_import.preview]
    counts = delegate_import.counts or importer.count(rows)
    shown = request.GET.get("status", "")
    if shown not in dict(PREVIEW_FILTERS):
        shown = ""
    page = Paginator([row for row in rows if not shown or row.status == shown], PREVIEW_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    filters = [
        {"value": value, "label": label, "count": counts.get(value or "total", 0), "active": value == shown}
        for value, label in PREVIEW_FILTERS
    ]
    context = program_context(
        request,
        program,
        TAB,
        title=_("Xem trước: %(name)s") % {"name": delegate_import.original_name},
        delegate_import=delegate_import,
        job=job,
        working=working,
        page=page,
        counts=counts,
        filters=filters,
        shown=shown,
        file_error=counts.get("file_error", ""),
        can_apply=delegate_import.status == DelegateImport.Status.PREVIEWED and not working,
        section="import",
    )
    return render(request, "programs/delegate_import_preview.html", context)


@login_required
@require_POST
def import_apply(request, pk: int, import_pk: int):
    program, delegate_import = _import(request, pk, import_pk)
    back = redirect("programs:delegate_import_preview", program.pk, delegate_import.pk)
    if request.POST.get("action") == "discard":
        importer.discard(delegate_import, by=request.user)
        messages.info(request, _("Đã hủy lượt nhập này; không có gì được ghi."))
        return redirect("programs:delegate_import", program.pk)
    if delegate_import.status == DelegateImport.Status.APPLIED:
        messages.info(request, _("Tệp này đã được nhập; không có gì thay đổi."))
        return back
    job = importer.job_for(delegate_import)
    if job is not None and job.is_active:
        return back
    if len(delegate_import.preview) > importer.background_rows():
        jobs_title = _("Nhập danh sách đại biểu “%(name)s”") % {"name": delegate_import.original_name}
        importer.jobs.start(importer.APPLY_KIND, {"import": delegate_import.pk}, request.user, title=jobs_title)
        messages.info(request, _("Đang nhập danh sách; theo dõi tiến độ bên dưới."))
        return back
    try:
        counts = importer.apply(delegate_import, request.user)
    except workflow.DelegateError as exc:
        messages.error(request, " ".join(exc.messages))
        return back
    messages.success(
        request,
        _("Đã nhập danh sách: %(created)s đại biểu mới, %(updated)s cập nhật, %(unchanged)s không đổi.")
        % {"created": counts["created"], "updated": counts["updated"], "unchanged": counts["unchanged"]},
    )
    return redirect("programs:delegates", program.pk)


@login_required
def delegate_template(request, pk: int):
    program = _program(request, pk, "programs.manage_delegates")
    content = importer.template_xlsx(program)
    return excel.xlsx_response(content, _("Mẫu danh sách đại biểu - %(program)s") % {"program": program.title[:80]})


# --- forums --------------------------------------------------------------------------------------


RULE_CHOICES = [("post", gettext_lazy("Theo chức vụ")), ("district", gettext_lazy("Theo huyện"))]


def _rule_keys(program: Program, rule: str) -> list[tuple[str, str]]:
    if rule == "district":
        communes = workflow.expected_communes(program)
        districts = AdminUnit.objects.filter(pk__in=communes.values("parent_id"), level=AdminUnit.Level.DISTRICT)
        return [(str(d.pk), d.full_name) for d in districts.order_by("name")]
    return [(p, str(DelegatePost(p).label)) for p in workflow.expected_posts(program)]


@login_required
def delegate_forums(request, pk: int):
    program = _program(request, pk)
    if _is_leader(request.user):
        raise PermissionDenied
    may_manage = can(request.user, "programs.manage_delegates", program)
    forums = list(program.forums.order_by("starts_at", "id"))
    by_pk = {str(f.pk): f for f in forums}
    rule = request.POST.get("rule") or request.GET.get("rule") or "post"
    if rule not in dict(RULE_CHOICES):
        rule = "post"
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "rule":
                mapping = {
                    key: by_pk[request.POST.get(f"map_{key}")]
                    for key, _label in _rule_keys(program, rule)
                    if request.POST.get(f"map_{key}") in by_pk
                }
                if not mapping:
                    raise workflow.DelegateError(_("Hãy chọn diễn đàn cho ít nhất một nhóm."))
                only = request.POST.get("only_unassigned") == "on"
                count = workflow.assign_forums_by_rule(
                    program, mapping, rule=rule, by=request.user, only_unassigned=only
                )
                messages.success(request, _("Đã xếp %(n)s đại biểu vào diễn đàn.") % {"n": count})
            elif action == "manual":
                ids = [int(x) for x in request.POST.getlist("delegates") if x.isdigit()]
                chosen = list(Delegate.objects.filter(program=program, pk__in=ids))
                if not chosen:
                    raise workflow.DelegateError(_("Hãy chọn ít nhất một đại biểu."))
                target = request.POST.get("forum", "")
                if target not in by_pk and target != "none":
                    raise workflow.DelegateError(_("Hãy chọn diễn đàn."))
                count = workflow.assign_forum(chosen, by_pk.get(target), by=request.user)
                messages.success(request, _("Đã xếp %(n)s đại biểu.") % {"n": count})
            else:
                raise workflow.DelegateError(_("Thao tác không hợp lệ."))
        except workflow.DelegateError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(f"{reverse('programs:delegate_forums', args=[program.pk])}?{request.GET.urlencode()}")
    form, rows = _list_rows(request, program)
    page = paginate(request, rows, PAGE_SIZE)
    context = program_context(
        request,
        program,
        TAB,
        title=_("Xếp đại biểu vào diễn đàn"),
        balance=workflow.forum_balance(program),
        forums=forums,
        rule=rule,
        rule_choices=RULE_CHOICES,
        rule_keys=_rule_keys(program, rule),
        form=form,
        page=page,
        filter_query=_filter_query(request),
        may_manage=may_manage,
        section="forums",
    )
    return render(request, "programs/delegate_forums.html", context)


# --- a commune's page ----------------------------------------------------------------------------


def _commune_for(request, program: Program) -> AdminUnit | None:
    """The commune the page is about: a leader's own (or one it absorbed, by ?commune=); for
    readers of the whole list, ?commune= among the program's communes, else None (a picker)."""
    wanted = request.GET.get("commune", "")
    communes = workflow.expected_communes(program).select_related("parent")
    if _is_leader(request.user):
        mine = communes.filter(pk__in=leader_communes(request.user))
        if wanted:
            if not wanted.isdigit():
                raise Http404
            return get_object_or_404(mine, pk=wanted)
        unit = mine.order_by("name").first()
        if unit is None:
            raise Http404(_("Xã của bạn không có trong chương trình này."))
        return unit
    if not wanted:
        return None
    if not wanted.isdigit():
        raise Http404
    return get_object_or_404(communes, pk=wanted)


@login_required
def commune_delegates(request, pk: int):
    program = _program(request, pk)
    commune = _commune_for(request, program)
    seats = []
    if commune is not None:
        seats = list(
            seats_for(request.user, program)
            .filter(commune=commune)
            .select_related("delegate__confirmed_by", "delegate__forum")
            .order_by("post")
        )
    order = {post: index for index, post in enumerate(DelegatePost.values)}
    seats.sort(key=lambda seat: order.get(seat.post, 99))
    for seat in seats:
        seat.program = program
    today = timezone.localdate()
    # Organizers for any commune; a leader for the commune `_commune_for` let them open.
    may_confirm = commune is not None and can(request.user, "programs.confirm_delegates", program)
    communes = []
    if commune is None:
        communes = list(workflow.expected_communes(program).select_related("parent").order_by("parent__name", "name"))
    mine = []
    if _is_leader(request.user):
        mine = list(workflow.expected_communes(program).filter(pk__in=leader_communes(request.user)).order_by("name"))
    context = program_context(
        request,
        program,
        TAB,
        title=_("Đại biểu của %(commune)s") % {"commune": commune.full_name} if commune else _("Đại biểu theo xã"),
        commune=commune,
        seats=seats,
        communes=communes,
        my_communes=mine if len(mine) > 1 else [],
        may_confirm=may_confirm and today <= program.end_date,
        deadline=program.delegates_confirm_by,
        late=bool(program.delegates_confirm_by and today > program.delegates_confirm_by),
        held=today > program.end_date,
        section="commune",
        hide_nav=_is_leader(request.user),
    )
    return render(request, "programs/commune_delegates.html", context)


def _seat(request, pk: int, seat_pk: int) -> tuple[Program, Seat]:
    program = get_program(request, pk)
    seat = get_object_or_404(seats_for(request.user, program).select_related("commune", "delegate"), pk=seat_pk)
    seat.program = program
    require(request.user, "programs.confirm_delegates", seat)
    return program, seat


def _back_to_commune(program: Program, seat: Seat):
    return redirect(f"{reverse('programs:commune_delegates', args=[program.pk])}?commune={seat.commune_id}")


@login_required
@require_POST
def seat_action(request, pk: int, seat_pk: int, action: str):
    """Confirm, excuse (with reason) or name who fills a seat (a substitute, with reason)."""
    program, seat = _seat(request, pk, seat_pk)
    try:
        if action == "confirm":
            if seat.delegate is None:
                raise workflow.DelegateError(_("Suất này chưa có người: hãy ghi tên người dự trước."))
            seat.delegate.program = program
            workflow.confirm(seat.delegate, by=request.user)
            messages.success(request, _("Đã xác nhận %(name)s dự.") % {"name": seat.delegate.full_name})
        elif action == "excuse":
            if seat.delegate is None:
                raise workflow.DelegateError(_("Suất này chưa có người."))
            seat.delegate.program = program
            workflow.excuse(seat.delegate, by=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("Đã báo vắng %(name)s.") % {"name": seat.delegate.full_name})
        else:
            name = request.POST.get("full_name", "").strip()
            if not name:
                raise workflow.DelegateError(_("Hãy nhập họ và tên người dự."))
            phone = request.POST.get("phone", "").strip()
            if phone:
                phone = excel.normalize_phone(phone) or ""
                if not phone:
                    raise workflow.DelegateError(_("Số điện thoại không hợp lệ."))
            reason = request.POST.get("reason", "")
            if seat.delegate is None and not reason.strip():
                person = Delegate(program=program, commune=seat.commune, full_name=name, phone=phone)
                workflow.save_delegate(person, by=request.user, seats=[seat])
                messages.success(request, _("Đã ghi %(name)s vào suất này.") % {"name": person.full_name})
            else:
                deputy = workflow.substitute(seat, by=request.user, full_name=name, reason=reason, phone=phone)
                messages.success(request, _("Đã cử %(name)s dự thay.") % {"name": deputy.full_name})
    except workflow.DelegateError as exc:
        messages.error(request, " ".join(exc.messages))
    return _back_to_commune(program, seat)


urlpatterns = [
    path("<int:pk>/dai-bieu/", delegate_list, name="delegates"),
    path("<int:pk>/dai-bieu/them/", delegate_form, name="delegate_add"),
    path("<int:pk>/dai-bieu/<int:delegate_pk>/sua/", delegate_form, name="delegate_edit"),
    path("<int:pk>/dai-bieu/xuat-excel/", delegate_export, name="delegate_export"),
    path("<int:pk>/dai-bieu/nhap/", import_page, name="delegate_import"),
    path("<int:pk>/dai-bieu/nhap/mau.xlsx", delegate_template, name="delegate_template"),
    path("<int:pk>/dai-bieu/nhap/<int:import_pk>/", import_preview, name="delegate_import_preview"),
    path("<int:pk>/dai-bieu/nhap/<int:import_pk>/xac-nhan/", import_apply, name="delegate_import_apply"),
    path("<int:pk>/dai-bieu/dien-dan/", delegate_forums, name="delegate_forums"),
    path("<int:pk>/dai-bieu/xa/", commune_delegates, name="commune_delegates"),
    path(
        "<int:pk>/dai-bieu/suat/<int:seat_pk>/xac-nhan/",
        seat_action,
        {"action": "confirm"},
        name="delegate_confirm",
    ),
    path("<int:pk>/dai-bieu/suat/<int:seat_pk>/bao-vang/", seat_action, {"action": "excuse"}, name="delegate_excuse"),
    path(
        "<int:pk>/dai-bieu/suat/<int:seat_pk>/nguoi-du/", seat_action, {"action": "substitute"}, name="seat_substitute"
    ),
]
