"""Demo data: the 1,121 delegates of Nghệ An's 2023 program (issue 7 item 8).

The seats are every commune, ward and town of the province as it was on 3 August 2023 (460)
× the three posts. Most communes send three people; in many the Party secretary also chairs the
People's Council (one person, two seats); a few seats are vacant and some are filled by a
deputy (dự thay); 39 leaders of provincial bodies come as guests. People's names are invented
with a fixed random seed from common Vietnamese family, middle and given names (Thái and
Khơ Mú family names in the western districts); phones are invented too. Forums are assigned by
district (three forums of about 374), and about 95 % checked in on 03/08/2023 between 07:00 and
07:55, a few check-ins undone as mistaken scans.

Delegates are written with bulk_create (with their history rows); seats, forums and check-ins
go through `programs.delegates`. Idempotent: a program that has delegates is left as it is.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import DateTimeField
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from directory.models import ActionLog, AdminUnit, Agency, User

from . import delegates as workflow
from .demo import TITLE_2023
from .models import CheckIn, Delegate, DelegatePost, Program, Seat

TOTAL = 1121
SEED = 2023
DAY = datetime.date(2023, 8, 3)
VACANT_SEATS = 30
SUBSTITUTES = 42
EXCUSED = 31
NO_SHOWS = 24
UNDONE = 4
SEATS_PER_ROW = 40

FAMILY = [
    ("Nguyễn", 300),
    ("Trần", 90),
    ("Lê", 90),
    ("Phạm", 50),
    ("Hoàng", 45),
    ("Phan", 45),
    ("Võ", 40),
    ("Hồ", 40),
    ("Đặng", 25),
    ("Bùi", 20),
    ("Đinh", 20),
    ("Ngô", 18),
    ("Đỗ", 15),
    ("Thái", 15),
    ("Cao", 14),
    ("Chu", 10),
    ("Dương", 10),
    ("Vương", 8),
    ("Lương", 8),
    ("Trương", 8),
    ("Tạ", 6),
    ("Hà", 6),
    ("Mai", 5),
    ("Lưu", 5),
    ("Kiều", 3),
]
# Thái, Khơ Mú and H'Mông family names of the western districts.
WESTERN_FAMILY = ["Lô", "Vi", "Lương", "Kha", "Lữ", "Moong", "Lầu", "Xồng", "Lò", "Sầm", "Quang", "Hà"]
WESTERN_DISTRICTS = {"Kỳ Sơn", "Tương Dương", "Quế Phong", "Quỳ Châu", "Con Cuông", "Quỳ Hợp"}
MALE_MIDDLE = ["Văn", "Văn", "Văn", "Đình", "Hữu", "Đức", "Xuân", "Quang", "Minh", "Công", "Sỹ", "Bá", "Trọng", "Ngọc"]
MALE_MIDDLE += ["Khắc", "Thanh", "Doãn", "Cảnh"]
FEMALE_MIDDLE = ["Thị", "Thị", "Thị", "Thị Thu", "Thị Hồng", "Thị Minh", "Thị Thanh", "Thị Kim", "Thị Lan", "Ngọc"]
MALE_GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hùng",
    "Hải",
    "Hoàng",
    "Hưng",
    "Huy",
    "Khánh",
    "Lâm",
    "Long",
    "Lực",
    "Mạnh",
    "Nam",
    "Nghĩa",
    "Phong",
    "Phúc",
    "Quân",
    "Quang",
    "Sơn",
    "Tài",
    "Thắng",
    "Thành",
    "Thịnh",
    "Tiến",
    "Toàn",
    "Trung",
    "Tuấn",
    "Tùng",
    "Vinh",
    "Việt",
    "Hòa",
    "Đức",
    "Định",
    "Hiếu",
    "Kiên",
    "Lộc",
    "Thuận",
    "Tâm",
    "Trường",
    "Tư",
    "Hào",
    "Chiến",
    "Công",
    "Duy",
    "Giang",
    "Hậu",
    "Khoa",
    "Luận",
    "Nhân",
    "Quyết",
    "Sáng",
    "Thái",
    "Thông",
    "Tình",
    "Vũ",
    "Yên",
]
FEMALE_GIVEN = [
    "Anh",
    "Dung",
    "Giang",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hiền",
    "Hoa",
    "Hồng",
    "Hương",
    "Lan",
    "Liên",
    "Linh",
    "Loan",
    "Mai",
    "Nga",
    "Ngọc",
    "Nhung",
    "Oanh",
    "Phương",
    "Quyên",
    "Thảo",
    "Thủy",
    "Trang",
    "Tuyết",
    "Vân",
    "Yến",
    "Xuân",
    "Thắm",
    "Huyền",
]
PHONE_PREFIXES = [
    "086",
    "096",
    "097",
    "098",
    "032",
    "033",
    "034",
    "035",
    "036",
    "037",
    "038",
    "039",
    "088",
    "091",
    "094",
    "083",
    "084",
    "085",
    "081",
    "082",
    "090",
    "093",
    "070",
    "079",
]
SUBSTITUTE_REASONS = [
    "Đi học lớp bồi dưỡng kiến thức quốc phòng - an ninh",
    "Ốm, đang điều trị tại bệnh viện",
    "Chỉ đạo phòng, chống thiên tai tại địa phương",
    "Tham gia đoàn công tác của huyện",
    "Việc gia đình đột xuất",
]
DEPUTY_POSTS = {
    DelegatePost.PARTY_SECRETARY: "Phó Bí thư Đảng ủy",
    DelegatePost.COUNCIL_CHAIR: "Phó Chủ tịch HĐND",
    DelegatePost.COMMITTEE_CHAIR: "Phó Chủ tịch UBND",
}
# The post each guest holds in their agency, by agency code (else by the agency's kind).
GUEST_POSTS = {
    "na-van-phong-tinh-uy": "Phó Chánh Văn phòng",
    "na-ubkt-tinh-uy": "Phó Chủ nhiệm",
    "na-hdnd": "Phó Chủ tịch",
    "na-ubnd": "Phó Chủ tịch",
    "na-thanh-tra": "Phó Chánh Thanh tra",
    "na-bchqs": "Phó Chỉ huy trưởng",
    "na-tinh-doan": "Phó Bí thư",
    "na-ban-dan-toc": "Phó Trưởng ban",
    "na-bql-kkt-dong-nam": "Phó Trưởng ban",
    "na-dai-ptth": "Phó Giám đốc",
}
GUEST_KIND_POSTS = {
    "department": "Phó Giám đốc",
    "party_board": "Phó Trưởng ban",
    "mass_organization": "Phó Chủ tịch",
    "party_group": "Ủy viên",
    "government": "Phó Chủ tịch",
    "press": "Phó Tổng Biên tập",
}
UNIT_WORD = {AdminUnit.Kind.XA: "xã", AdminUnit.Kind.PHUONG: "phường", AdminUnit.Kind.THI_TRAN: "thị trấn"}


def _program() -> Program | None:
    return Program.objects.filter(title=TITLE_2023, start_date=DAY).select_related("area").first()


class Names:
    """Invented names, the same ones on every run (one random generator, fixed seed)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.families = [name for name, _w in FAMILY]
        self.weights = [w for _n, w in FAMILY]
        self.seen: set[str] = set()

    def person(self, *, western: bool = False, female: bool | None = None) -> str:
        rng = self.rng
        if female is None:
            female = rng.random() < 0.14  # women among commune heads
        for _attempt in range(20):
            if western and rng.random() < 0.55:
                family = rng.choice(WESTERN_FAMILY)
            else:
                family = rng.choices(self.families, self.weights)[0]
            middle = rng.choice(FEMALE_MIDDLE if female else MALE_MIDDLE)
            given = rng.choice(FEMALE_GIVEN if female else MALE_GIVEN)
            name = f"{family} {middle} {given}"
            if name not in self.seen or _attempt == 19:
                self.seen.add(name)
                return name
        return name  # pragma: no cover

    def phone(self) -> str:
        return self.rng.choice(PHONE_PREFIXES) + "".join(str(self.rng.randrange(10)) for _ in range(7))


def _prepare(delegate: Delegate) -> Delegate:
    """What `Delegate.save()` does before writing (bulk_create skips save): NFC text and the
    accent-free `search_text`."""
    delegate.normalize()
    return delegate


def _title(posts: list[str], commune: AdminUnit) -> str:
    order = list(DelegatePost)
    labels = [str(DelegatePost(post).label) for post in sorted(posts, key=order.index)]
    return f"{', '.join(labels)} {UNIT_WORD.get(commune.kind, '').strip()} {commune.name}".replace("  ", " ")


def _plan_communes(program: Program, communes: list[AdminUnit], guests: int, rng: random.Random) -> dict:
    """Which communes have one person in two seats, which seats are vacant, which filled by a
    deputy, so that the program has TOTAL delegates in all."""
    seats = len(communes) * len(workflow.expected_posts(program))
    people = TOTAL - guests
    merged = min(max(seats - VACANT_SEATS - people, 0), len(communes))
    vacant = max(seats - merged - people, 0)
    order = list(range(len(communes)))
    rng.shuffle(order)
    merged_at = set(order[:merged])
    # Vacancies among the seats of communes where each post has its own holder (else the chair).
    candidates = [(i, DelegatePost.COUNCIL_CHAIR) for i in order[merged:]] + [
        (i, DelegatePost.COMMITTEE_CHAIR) for i in order[:merged]
    ]
    rng.shuffle(candidates)
    vacant_at = set(candidates[: max(vacant, 0)])
    return {"merged": merged_at, "vacant": vacant_at}


def _commune_delegates(program, communes, plan, names: Names, rng) -> tuple[list[Delegate], list[list[str]]]:
    delegates, seat_posts = [], []
    for index, commune in enumerate(communes):
        western = commune.parent.name in WESTERN_DISTRICTS if commune.parent_id else False
        holders: list[list[str]] = []
        if index in plan["merged"]:
            holders.append([DelegatePost.PARTY_SECRETARY, DelegatePost.COUNCIL_CHAIR])
            holders.append([DelegatePost.COMMITTEE_CHAIR])
        else:
            holders += [[DelegatePost.PARTY_SECRETARY], [DelegatePost.COUNCIL_CHAIR], [DelegatePost.COMMITTEE_CHAIR]]
        for posts in holders:
            posts = [post for post in posts if (index, post) not in plan["vacant"]]
            if not posts:
                continue
            delegates.append(
                Delegate(
                    program=program,
                    kind=Delegate.Kind.COMMUNE,
                    commune=commune,
                    full_name=names.person(western=western),
                    title=_title(posts, commune),
                    phone=names.phone(),
                )
            )
            seat_posts.append(posts)
    # Deputies attend for some single-post holders (the seat is theirs; the holder is named).
    single = [i for i, posts in enumerate(seat_posts) if len(posts) == 1]
    for i in rng.sample(single, min(SUBSTITUTES, len(single))):
        person, post = delegates[i], seat_posts[i][0]
        person.substitute_for = person.full_name
        person.substitute_reason = rng.choice(SUBSTITUTE_REASONS)
        western = person.commune.parent.name in WESTERN_DISTRICTS
        person.full_name = names.person(western=western, female=rng.random() < 0.2)
        word = UNIT_WORD.get(person.commune.kind, "")
        person.title = f"{DEPUTY_POSTS[post]} {word} {person.commune.name} (dự thay {DelegatePost(post).label})"
    return delegates, seat_posts


def _guests(program: Program, names: Names) -> list[Delegate]:
    agencies = Agency.objects.filter(code__startswith="na-").exclude(code="na-tinh-uy").order_by("code")
    guests = []
    for agency in agencies:
        post = GUEST_POSTS.get(agency.code) or GUEST_KIND_POSTS.get(agency.kind, "Lãnh đạo")
        guests.append(
            Delegate(
                program=program,
                kind=Delegate.Kind.GUEST,
                full_name=names.person(female=names.rng.random() < 0.25),
                title=post,
                organization=agency.name,
                phone=names.phone(),
            )
        )
    return guests


def _balanced_forums(forums, counts: dict[int, int]) -> dict[str, object]:
    """District id -> forum, the largest districts first onto the emptiest forum."""
    load = {forum.pk: 0 for forum in forums}
    by_pk = {forum.pk: forum for forum in forums}
    mapping = {}
    for district, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        emptiest = min(load, key=lambda pk: (load[pk], pk))
        mapping[str(district)] = by_pk[emptiest]
        load[emptiest] += count
    return mapping


def _arrival(rng: random.Random, tz) -> datetime.datetime:
    """Between 07:00 and 07:55, most around 07:30."""
    minutes = rng.triangular(0, 55, 32)
    at = datetime.datetime.combine(DAY, datetime.time(7, 0), tzinfo=tz)
    return at + datetime.timedelta(minutes=int(minutes), seconds=rng.randrange(60))


@transaction.atomic
def seed() -> None:
    program = _program()
    if program is None or Delegate.objects.filter(program=program).exists():
        return
    organizer = User.objects.get(username="btc.danvan")
    rng = random.Random(SEED)
    names = Names(rng)
    tz = timezone.get_current_timezone()

    workflow.generate_seats(program, by=organizer)
    communes = list(workflow.expected_communes(program).select_related("parent").order_by("parent__code", "code", "pk"))
    guests = _guests(program, names)
    plan = _plan_communes(program, communes, len(guests), rng)
    people, seat_posts = _commune_delegates(program, communes, plan, names, rng)

    # Seats in the main hall: guests in the front rows, then the communes district by district.
    everyone = guests + people
    for number, person in enumerate(everyone):
        person.seat_row = str(number // SEATS_PER_ROW + 1)
        person.seat_number = f"{number % SEATS_PER_ROW + 1:02d}"
    # Confirmation by the communes before the program: most confirmed, some excused.
    excused = set(rng.sample(range(len(guests), len(everyone)), EXCUSED))
    for index, person in enumerate(everyone):
        day = datetime.date(2023, 7, rng.randint(10, 31))
        if index in excused:
            person.status = Delegate.Status.EXCUSED
        elif rng.random() < 0.985:
            person.status = Delegate.Status.CONFIRMED
        else:
            continue
        person.confirmed_at = datetime.datetime.combine(day, datetime.time(rng.randint(7, 16), rng.randrange(60)), tz)
    for person in everyone:
        _prepare(person)
        person.created_at = datetime.datetime.combine(datetime.date(2023, 7, 5), datetime.time(8, 0), tz)
    bulk_create_with_history(everyone, Delegate, batch_size=500, default_user=organizer)

    seats = {(s.commune_id, s.post): s for s in Seat.objects.filter(program=program)}
    filled = []
    for person, posts in zip(people, seat_posts, strict=True):
        for post in posts:
            seat = seats[(person.commune_id, post)]
            seat.delegate = person
            filled.append(seat)
    Seat.objects.bulk_update(filled, ["delegate"], batch_size=500)

    forums = list(program.forums.order_by("starts_at", "id"))
    if forums:
        per_district: dict[int, int] = {}
        for person in people:
            per_district[person.commune.parent_id] = per_district.get(person.commune.parent_id, 0) + 1
        workflow.assign_forums_by_rule(program, _balanced_forums(forums, per_district), rule="district", by=organizer)
        for i, forum in enumerate(forums):
            workflow.assign_forum(guests[i :: len(forums)], forum, by=organizer)

    _check_ins(everyone, excused, organizer, rng, tz)
    # The preparation's log entries are dated before the program, not when the demo ran.
    ActionLog.objects.filter(
        verb__in=["delegates.generate_seats", "delegate.forum"],
        target_type=ContentType.objects.get_for_model(Program),
        target_id=str(program.pk),
    ).update(created_at=datetime.datetime.combine(datetime.date(2023, 7, 20), datetime.time(9, 0), tz))


def _check_ins(everyone, excused, organizer, rng, tz) -> None:
    """About 95 % in at the door, through the workflow; a few mistaken scans undone."""
    absent = set(excused) | set(rng.sample([i for i in range(len(everyone)) if i not in excused], NO_SHOWS))
    arrivals = sorted((_arrival(rng, tz), i) for i in range(len(everyone)) if i not in absent)
    mistaken = rng.sample(arrivals[50:-50], UNDONE)
    undone = []
    for at, i in mistaken:  # someone else's badge scanned by mistake a few minutes earlier
        entry, _created = workflow.check_in(everyone[i], by=organizer, at=at - datetime.timedelta(minutes=3))
        workflow.undo_check_in(entry, by=organizer, reason="Quét nhầm thẻ của đại biểu khác")
        undone.append((entry.pk, at - datetime.timedelta(minutes=2)))
    for at, i in arrivals:
        workflow.check_in(everyone[i], by=organizer, at=at)
    for pk, when in undone:
        CheckIn.objects.filter(pk=pk).update(undone_at=when)
    # The action log says when things happened on the day, not when the demo ran.
    logs = ActionLog.objects.filter(verb__in=["delegate.check_in", "delegate.check_in_undo"])
    logs = logs.filter(target_id__in=[str(everyone[i].pk) for _at, i in arrivals])
    logs.filter(verb="delegate.check_in").update(created_at=Cast(KeyTextTransform("at", "changes"), DateTimeField()))
    logs.filter(verb="delegate.check_in_undo").update(
        created_at=Cast(KeyTextTransform("at", "changes"), DateTimeField()) + datetime.timedelta(minutes=1)
    )
