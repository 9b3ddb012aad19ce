"""Every change to a program's delegates: the expected seats, filling them (one person may
hold two posts; a deputy may substitute), guests, confirmation by the commune, forum and seat
assignment, and check-in at the door. Each function runs in one transaction and writes the
action log; views, the Excel import, the demo and tasks call these."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory import audit
from directory.models import AdminUnit

from .models import CheckIn, Delegate, DelegatePost, Forum, Program, Seat

for verb, label in {
    "delegates.generate_seats": gettext_lazy("Lập danh sách suất đại biểu"),
    "delegates.confirm_deadline": gettext_lazy("Đặt hạn xã xác nhận đại biểu"),
    "delegate.save": gettext_lazy("Cập nhật đại biểu"),
    "delegate.fill": gettext_lazy("Xếp đại biểu vào suất"),
    "delegate.substitute": gettext_lazy("Cử người dự thay"),
    "delegate.confirm": gettext_lazy("Xác nhận dự"),
    "delegate.excuse": gettext_lazy("Báo vắng"),
    "delegate.forum": gettext_lazy("Xếp diễn đàn"),
    "delegate.check_in": gettext_lazy("Điểm danh"),
    "delegate.check_in_undo": gettext_lazy("Hủy điểm danh"),
}.items():
    audit.register_verb(verb, label)

# The posts each audience expects from every commune.
AUDIENCE_POSTS = {
    Program.Audience.COMMUNE_HEADS: [
        DelegatePost.PARTY_SECRETARY,
        DelegatePost.COUNCIL_CHAIR,
        DelegatePost.COMMITTEE_CHAIR,
    ]
}


class DelegateError(ValidationError):
    """A refused change, with a message fit to show the user."""


def expected_posts(program: Program) -> list[str]:
    return list(AUDIENCE_POSTS.get(program.audience, []))


def expected_communes(program: Program) -> QuerySet[AdminUnit]:
    """The communes of the program's area as they were when it ran (under districts before
    the 2025 reorganization, directly under the province after it)."""
    area = program.area_id
    return (
        AdminUnit.objects.communes()
        .valid_on(program.start_date)
        .filter(Q(parent_id=area) | Q(parent__parent_id=area) | Q(pk=area))
    )


@transaction.atomic
def generate_seats(program: Program, *, by) -> int:
    """Create the missing seats (each commune × each post); existing seats are kept."""
    posts = expected_posts(program)
    communes = list(expected_communes(program).values_list("pk", flat=True))
    existing = set(Seat.objects.filter(program=program).values_list("commune_id", "post"))
    new = [
        Seat(program=program, commune_id=commune, post=post)
        for commune in communes
        for post in posts
        if (commune, post) not in existing
    ]
    Seat.objects.bulk_create(new, batch_size=2000)
    if new:
        audit.record(by, "delegates.generate_seats", program, created=len(new))
    return len(new)


@transaction.atomic
def set_confirm_deadline(program: Program, day: datetime.date | None, *, by) -> Program:
    """The date communes confirm their delegates by (the reminder sweep reads it)."""
    program = Program.objects.select_for_update().get(pk=program.pk)
    old = program.delegates_confirm_by
    if old != day:
        program.delegates_confirm_by = day
        program.save(update_fields=["delegates_confirm_by"])
        audit.record(by, "delegates.confirm_deadline", program, old=str(old or ""), new=str(day or ""))
    return program


def _check_same_program(delegate: Delegate, seats: Iterable[Seat]) -> list[Seat]:
    seats = list(seats)
    for seat in seats:
        if seat.program_id != delegate.program_id:
            raise DelegateError(_("Suất đại biểu không thuộc chương trình này."))
        if delegate.commune_id and seat.commune_id != delegate.commune_id:
            raise DelegateError(
                _("%(name)s thuộc %(commune)s, không nhận được suất của %(other)s.")
                % {"name": delegate.full_name, "commune": delegate.commune, "other": seat.commune}
            )
    return seats


def describe_posts(seats: Iterable[Seat], commune: AdminUnit | None) -> str:
    """ "Bí thư Đảng ủy, Chủ tịch HĐND xã Nghi Phú": the title printed on the badge."""
    posts = [DelegatePost(seat.post).label for seat in sorted(seats, key=lambda s: list(DelegatePost).index(s.post))]
    if not posts:
        return ""
    text = ", ".join(str(p) for p in posts)
    return f"{text} {commune.name}" if commune else text


@transaction.atomic
def save_delegate(delegate: Delegate, *, by, seats: Iterable[Seat] | None = None) -> Delegate:
    """Create or update a delegate; `seats` (if given) are the posts the person fills, taken
    from whoever filled them before."""
    if not delegate.full_name or not delegate.full_name.strip():
        raise DelegateError({"full_name": _("Hãy nhập họ và tên.")})
    if delegate.forum_id and delegate.forum.program_id != delegate.program_id:
        raise DelegateError({"forum": _("Diễn đàn không thuộc chương trình này.")})
    creating = delegate.pk is None
    try:
        delegate.full_clean(exclude=["confirmed_by", "program", "forum", "commune"])
    except ValidationError as exc:
        raise DelegateError(exc.message_dict) from exc
    if seats is not None:
        seats = _check_same_program(delegate, seats)
        if not delegate.title:
            delegate.title = describe_posts(seats, delegate.commune)
    delegate.save()
    if seats is not None:
        Seat.objects.filter(delegate=delegate).exclude(pk__in=[s.pk for s in seats]).update(delegate=None)
        Seat.objects.filter(pk__in=[s.pk for s in seats]).update(delegate=delegate)
    audit.record(by, "delegate.save", delegate, created=creating, seats=[s.post for s in seats or []])
    return delegate


@transaction.atomic
def substitute(seat: Seat, *, by, full_name: str, reason: str, title: str = "", phone: str = "") -> Delegate:
    """A deputy attends in place of the post holder: a new delegate takes the seat; the one
    who held it keeps any other seat."""
    seat = Seat.objects.select_for_update(of=("self",)).select_related("delegate", "commune").get(pk=seat.pk)
    if not reason.strip():
        raise DelegateError({"reason": _("Hãy ghi lý do dự thay.")})
    holder = seat.delegate
    deputy = Delegate(
        program_id=seat.program_id,
        commune=seat.commune,
        full_name=full_name,
        title=title
        or _("Dự thay %(post)s %(commune)s") % {"post": seat.get_post_display(), "commune": seat.commune.name},
        phone=phone,
        substitute_for=holder.full_name if holder else "",
        substitute_reason=reason.strip(),
    )
    save_delegate(deputy, by=by)
    seat.delegate = deputy
    seat.save(update_fields=["delegate"])
    audit.record(by, "delegate.substitute", deputy, seat=seat.post, instead_of=deputy.substitute_for, reason=reason)
    if holder is not None and not holder.seats.exists():
        # The holder keeps no other post here: they are not coming (the deputy is).
        _set_status(holder, Delegate.Status.EXCUSED, by=by, verb="delegate.excuse", reason=reason.strip())
    return deputy


def _set_status(delegate: Delegate, status: str, *, by, verb: str, **details) -> Delegate:
    delegate = Delegate.objects.select_for_update().get(pk=delegate.pk)
    old = delegate.status
    delegate.status = status
    delegate.confirmed_at, delegate.confirmed_by = timezone.now(), by
    delegate.save(update_fields=["status", "confirmed_at", "confirmed_by"])
    audit.record(by, verb, delegate, old=old, new=status, **details)
    return delegate


@transaction.atomic
def confirm(delegate: Delegate, *, by, today: datetime.date | None = None) -> Delegate:
    _check_confirm_window(delegate, today)
    return _set_status(delegate, Delegate.Status.CONFIRMED, by=by, verb="delegate.confirm")


@transaction.atomic
def excuse(delegate: Delegate, *, by, reason: str, today: datetime.date | None = None) -> Delegate:
    _check_confirm_window(delegate, today)
    if not reason.strip():
        raise DelegateError({"reason": _("Hãy ghi lý do vắng mặt.")})
    return _set_status(delegate, Delegate.Status.EXCUSED, by=by, verb="delegate.excuse", reason=reason.strip())


def _check_confirm_window(delegate: Delegate, today: datetime.date | None) -> None:
    program = delegate.program
    today = today or timezone.localdate()
    if today > program.end_date:
        raise DelegateError(_("Chương trình đã diễn ra; không xác nhận được nữa."))


@transaction.atomic
def assign_forum(delegates: Iterable[Delegate], forum: Forum | None, *, by) -> int:
    delegates = list(delegates)
    if forum is not None and any(d.program_id != forum.program_id for d in delegates):
        raise DelegateError(_("Diễn đàn không thuộc chương trình này."))
    ids = [d.pk for d in delegates]
    changed = Delegate.objects.filter(pk__in=ids).update(forum=forum)
    if delegates:  # on the program, whichever forum (or none) they went to
        audit.record(by, "delegate.forum", delegates[0].program, forum=str(forum or "—"), delegates=ids)
    return changed


@transaction.atomic
def assign_forums_by_rule(program: Program, mapping: dict[str, Forum], *, rule: str, by, only_unassigned=True) -> int:
    """Assign forums by post (mapping post -> forum) or by district (mapping district id ->
    forum). Returns how many delegates were assigned."""
    delegates = Delegate.objects.filter(program=program)
    if only_unassigned:
        delegates = delegates.filter(forum__isnull=True)
    total = 0
    for key, forum in mapping.items():
        if forum is None:
            continue
        if rule == "post":
            chosen = delegates.filter(seats__post=key)
        elif rule == "district":
            chosen = delegates.filter(commune__parent_id=int(key))
        else:
            raise DelegateError(_("Quy tắc xếp diễn đàn không hợp lệ."))
        total += Delegate.objects.filter(pk__in=chosen.values("pk")).update(forum=forum)
    audit.record(by, "delegate.forum", program, rule=rule, delegates=total)
    return total


def forum_balance(program: Program) -> list[dict]:
    """Delegates per forum against its capacity (one query)."""
    counts = Counter(Delegate.objects.filter(program=program).values_list("forum_id", flat=True))
    return [
        {
            "forum": forum,
            "count": counts.get(forum.pk, 0),
            "capacity": forum.capacity,
            "over": bool(forum.capacity and counts.get(forum.pk, 0) > forum.capacity),
        }
        for forum in program.forums.order_by("starts_at", "id")
    ] + [{"forum": None, "count": counts.get(None, 0), "capacity": None, "over": False}]


# --- check-in ---------------------------------------------------------------------------------


def active_check_in(delegate: Delegate) -> CheckIn | None:
    return delegate.checkins.filter(undone_at__isnull=True).first()


def check_in(delegate: Delegate, *, by, at: datetime.datetime | None = None) -> tuple[CheckIn, bool]:
    """Record that the delegate is here. Returns (the check-in, True) the first time and
    (the existing check-in, False) on a repeated scan. Two door staff at once: the database's
    unique index lets one insert win; the other reads it back."""
    try:
        with transaction.atomic():
            checkin = CheckIn.objects.create(delegate=delegate, by=by, at=at or timezone.now())
            audit.record(by, "delegate.check_in", delegate, at=checkin.at.isoformat())
            return checkin, True
    except IntegrityError:
        existing = active_check_in(delegate)
        if existing is None:  # undone in between: try once more
            return check_in(delegate, by=by, at=at)
        return existing, False


@transaction.atomic
def undo_check_in(checkin: CheckIn, *, by, reason: str) -> CheckIn:
    checkin = CheckIn.objects.select_for_update().get(pk=checkin.pk)
    if checkin.undone_at is not None:
        raise DelegateError(_("Lượt điểm danh này đã được hủy."))
    if not reason.strip():
        raise DelegateError({"reason": _("Hãy ghi lý do hủy điểm danh.")})
    checkin.undone_at, checkin.undone_by, checkin.undo_reason = timezone.now(), by, reason.strip()
    checkin.save(update_fields=["undone_at", "undone_by", "undo_reason"])
    audit.record(by, "delegate.check_in_undo", checkin.delegate, at=checkin.at.isoformat(), reason=reason.strip())
    return checkin
