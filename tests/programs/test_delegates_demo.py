"""The demo's 1,121 delegates of the 2023 program: seats of the 460 communes of 2023, people in
two posts, vacancies and deputies, guests, forums by district, ~95 % checked in on the morning
of 03/08/2023 with a few undone scans; seeding twice changes nothing."""

import datetime
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from directory.models import ActionLog
from programs import checkin, delegates_demo
from programs.demo import TITLE_2023
from programs.models import CheckIn, Delegate, DelegatePost, Program, Seat

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    call_command("import_admin_units", "--province", "40", verbosity=0)
    call_command("seed_demo", verbosity=0)
    delegates_demo.seed()  # also registered with seed_demo (programs/apps.py)
    return Program.objects.get(title=TITLE_2023)


def counts(program):
    return (
        Delegate.objects.count(),
        Delegate.history.count(),
        Seat.objects.filter(delegate__isnull=False).count(),
        CheckIn.objects.count(),
        ActionLog.objects.count(),
        list(Delegate.objects.order_by("pk").values_list("full_name", "forum_id", "status")[:50]),
    )


def test_the_2023_program_has_its_1121_delegates(program):
    people = Delegate.objects.filter(program=program)
    assert people.count() == 1121
    kinds = Counter(people.values_list("kind", flat=True))
    assert kinds == {"commune": 1082, "guest": 39}
    seats = Seat.objects.filter(program=program)
    assert seats.count() == 460 * 3
    assert Counter(seats.values_list("post", flat=True)) == {post: 460 for post in DelegatePost.values}
    filled = seats.filter(delegate__isnull=False)
    assert filled.count() == 1350  # 30 vacant seats
    # Some people hold two posts (the Party secretary chairing the People's Council).
    two_posts = Counter(filled.values_list("delegate_id", flat=True))
    assert sum(1 for n in two_posts.values() if n == 2) == 268
    assert people.exclude(substitute_for="").count() == 42
    assert all(d.seats.exists() for d in people.filter(kind="commune").prefetch_related("seats")[:200])
    # Realistic names and phones, search keys filled as Delegate.save would.
    sample = people.select_related("commune__parent").order_by("pk")[:300]
    for person in sample:
        words = person.full_name.split()
        assert 3 <= len(words) <= 4 and person.full_name == " ".join(words)
        assert len(person.phone) == 10 and person.phone.startswith("0")
        before = person.search_text
        person.save()
        assert person.search_text == before
    assert len(set(people.values_list("full_name", flat=True))) > 1000
    assert checkin.find_delegates(program, "nguyen van")


def test_forums_by_district_and_check_ins_on_the_morning(program):
    people = Delegate.objects.filter(program=program)
    per_forum = Counter(people.values_list("forum_id", flat=True))
    assert set(per_forum) == set(program.forums.values_list("pk", flat=True))
    assert all(360 <= n <= 390 for n in per_forum.values()), per_forum
    # One forum per district.
    pairs = set(people.filter(kind="commune").values_list("commune__parent_id", "forum_id"))
    district_forums = Counter(district for district, _forum in pairs)
    assert len(district_forums) == 21 and set(district_forums.values()) == {1}
    active = CheckIn.objects.filter(delegate__program=program, undone_at__isnull=True)
    assert active.count() == 1066  # 95 %
    assert active.values("delegate").distinct().count() == active.count()
    undone = CheckIn.objects.filter(delegate__program=program, undone_at__isnull=False)
    assert undone.count() == 4 and all(c.undo_reason for c in undone)
    tz = timezone.get_current_timezone()
    start = datetime.datetime(2023, 8, 3, 7, 0, tzinfo=tz)
    assert all(start <= c.at <= start + datetime.timedelta(minutes=56) for c in CheckIn.objects.all())
    assert not people.filter(status="excused", checkins__undone_at__isnull=True, checkins__isnull=False).exists()
    logs = ActionLog.objects.filter(verb="delegate.check_in")
    assert logs.count() == 1070 and {timezone.localtime(log.created_at).date() for log in logs} == {
        datetime.date(2023, 8, 3)
    }
    figures = checkin.attendance(program)
    assert (figures.total.expected, figures.total.present) == (1121, 1066)
    assert len(figures.districts) == 21 and sum(len(d.communes) for d in figures.districts) == 460


def test_seeding_twice_changes_nothing(program):
    before = counts(program)
    delegates_demo.seed()
    call_command("seed_demo", verbosity=0)
    assert counts(program) == before
