"""The read side of the door and the attendance (issue 7, items 6–7): finding a delegate by name,
commune or district typed without diacritics (or by the token a badge's QR holds), the live
counts by district, commune, post and forum, and the lists of those not yet in.

Changes (check in, undo) go through `programs.delegates`; this module only reads, in a fixed
number of queries whatever the size of the program.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Subquery, Value, When

from dialogue.text import search_terms
from directory.models import AdminUnit

from .models import CheckIn, Delegate, DelegatePost, Program, Seat

# What a badge's QR holds (`delegate_models.new_token`): 22 URL-safe base64 characters.
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,40}$")


def active_checkins() -> QuerySet[CheckIn]:
    """The check-in of the delegate of the outer query that is not undone (at most one)."""
    return CheckIn.objects.filter(delegate_id=OuterRef("pk"), undone_at__isnull=True)


def with_checkin(delegates: QuerySet[Delegate]) -> QuerySet[Delegate]:
    """Delegates annotated with their active check-in's time and id (None when not in)."""
    active = active_checkins()
    return delegates.annotate(
        checked_in_at=Subquery(active.values("at")[:1]), checkin_id=Subquery(active.values("pk")[:1])
    ).select_related("commune__parent", "forum")


def by_token(program: Program, token: str) -> Delegate | None:
    token = (token or "").strip()
    if not TOKEN.match(token):
        return None
    return with_checkin(Delegate.objects.filter(program=program, token=token)).first()


def find_delegates(program: Program, query: str, limit: int = 20) -> list[Delegate]:
    """Delegates of `program` whose name, organization, commune and district contain every word
    of `query` ("nguyen van an", "nghi phu"), served by the trigram index on `search_text`; a
    query that is a badge's token finds its one delegate. One query (two for a token-like word
    that is not a token)."""
    query = (query or "").strip()
    if TOKEN.match(query) and not query.isalpha():
        found = by_token(program, query)
        if found is not None:
            return [found]
    terms = search_terms(query)
    if not terms:
        return []
    delegates = Delegate.objects.filter(program=program)
    for term in terms:
        delegates = delegates.filter(search_text__contains=term)
    # Best first: the name starting with what was typed ("nguyen van an…"), then the words
    # together elsewhere (a commune "nghi phu"), then the rest ("an" inside "van", "nguyen" of
    # Hưng Nguyên); alphabetical within each, on search_text (it starts with the name).
    phrase = " ".join(terms)
    rank = Case(
        When(search_text__startswith=phrase, then=Value(0)),
        When(search_text__contains=f" {phrase}", then=Value(1)),
        default=Value(2),
    )
    return list(with_checkin(delegates).annotate(rank=rank).order_by("rank", "search_text", "pk")[:limit])


# --- attendance ----------------------------------------------------------------------------------


@dataclass
class Tally:
    """People expected, confirmed by their commune, excused, and present (checked in)."""

    expected: int = 0
    confirmed: int = 0
    excused: int = 0
    present: int = 0

    def add(self, status: str, present: bool, n: int) -> None:
        self.expected += n
        if status == Delegate.Status.CONFIRMED:
            self.confirmed += n
        elif status == Delegate.Status.EXCUSED:
            self.excused += n
        if present:
            self.present += n

    @property
    def absent(self) -> int:
        return self.expected - self.present

    @property
    def percent(self) -> int:
        return round(self.present * 100 / self.expected) if self.expected else 0


@dataclass
class Place:
    """A commune or a district with its tally (a district holds its communes)."""

    pk: int | None
    name: str
    tally: Tally = field(default_factory=Tally)
    communes: list[Place] = field(default_factory=list)


@dataclass
class PostTally:
    """One post (Bí thư, Chủ tịch HĐND, Chủ tịch UBND): seats expected, filled, and their holders
    confirmed and present. A person holding two posts counts in both."""

    post: str
    label: str
    seats: int = 0
    filled: int = 0
    confirmed: int = 0
    present: int = 0

    @property
    def absent(self) -> int:
        return self.filled - self.present

    @property
    def percent(self) -> int:
        return round(self.present * 100 / self.seats) if self.seats else 0


@dataclass
class Attendance:
    total: Tally
    commune_delegates: Tally
    guests: Tally
    districts: list[Place]
    posts: list[PostTally]
    forums: list[tuple[object, Tally]]  # (Forum or None for "not assigned", tally)


def attendance(program: Program) -> Attendance:
    """Counts by district, commune, post and forum: expected, confirmed, excused and present.
    Three queries, whatever the number of delegates."""
    rows = (
        Delegate.objects.filter(program=program)
        .annotate(present=Exists(active_checkins()))
        .values(
            "kind",
            "status",
            "present",
            "forum_id",
            "commune_id",
            "commune__kind",
            "commune__name",
            "commune__parent_id",
            "commune__parent__kind",
            "commune__parent__name",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    total, communal, guests = Tally(), Tally(), Tally()
    districts: dict[int | None, Place] = {}
    communes: dict[int, Place] = {}
    forum_tallies: dict[int | None, Tally] = {}
    for row in rows:
        status, present, n = row["status"], row["present"], row["n"]
        total.add(status, present, n)
        forum_tallies.setdefault(row["forum_id"], Tally()).add(status, present, n)
        if row["commune_id"] is None:
            guests.add(status, present, n)
            continue
        if row["kind"] == Delegate.Kind.COMMUNE:
            communal.add(status, present, n)
        else:
            guests.add(status, present, n)
        district_id = row["commune__parent_id"]
        district = districts.get(district_id)
        if district is None:
            name = AdminUnit.label(row["commune__parent__kind"], row["commune__parent__name"])
            district = districts[district_id] = Place(district_id, name)
        district.tally.add(status, present, n)
        commune = communes.get(row["commune_id"])
        if commune is None:
            commune = communes[row["commune_id"]] = Place(
                row["commune_id"], AdminUnit.label(row["commune__kind"], row["commune__name"])
            )
            district.communes.append(commune)
        commune.tally.add(status, present, n)
    ordered = sorted(districts.values(), key=lambda d: d.name)
    for district in ordered:
        district.communes.sort(key=lambda c: c.name)

    present_seat = Exists(CheckIn.objects.filter(delegate_id=OuterRef("delegate_id"), undone_at__isnull=True))
    seat_rows = (
        Seat.objects.filter(program=program)
        .values("post")
        .annotate(
            seats=Count("pk"),
            filled=Count("delegate_id"),
            confirmed=Count("pk", filter=Q(delegate__status=Delegate.Status.CONFIRMED)),
            present=Count("pk", filter=present_seat),
        )
        .order_by()
    )
    by_post = {row["post"]: row for row in seat_rows}
    posts = []
    for post in DelegatePost:
        row = by_post.get(post.value)
        if row:
            posts.append(
                PostTally(
                    post.value,
                    str(post.label),
                    row["seats"],
                    row["filled"],
                    row["confirmed"],
                    row["present"],
                )
            )

    forums = [(forum, forum_tallies.pop(forum.pk, Tally())) for forum in program.forums.order_by("starts_at", "id")]
    unassigned = Tally()
    for tally in forum_tallies.values():  # None, or a forum of another program (cannot happen)
        unassigned.expected += tally.expected
        unassigned.confirmed += tally.confirmed
        unassigned.excused += tally.excused
        unassigned.present += tally.present
    if unassigned.expected:
        forums.append((None, unassigned))
    return Attendance(total, communal, guests, ordered, posts, forums)


def absent_delegates(program: Program, *, district: int | None = None) -> QuerySet[Delegate]:
    """Delegates without an active check-in, by district, commune and name (excused ones too:
    the list shows their status)."""
    delegates = Delegate.objects.filter(program=program).exclude(Exists(active_checkins()))
    if district:
        delegates = delegates.filter(commune__parent_id=district)
    return delegates.select_related("commune__parent", "forum").order_by(
        "commune__parent__name", "commune__name", "full_name", "pk"
    )


def attendance_rows(program: Program) -> QuerySet[Delegate]:
    """Every delegate with their check-in time (None when absent), for the Excel export."""
    return with_checkin(Delegate.objects.filter(program=program)).order_by(
        "commune__parent__name", "commune__name", "full_name", "pk"
    )
