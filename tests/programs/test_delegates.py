"""Delegates: expected seats from the audience, one person in two posts, substitutes,
confirmation, forum assignment and check-in (once, even with two door staff at once)."""

import datetime
import threading

import pytest
from django.db import connection

from directory.models import ActionLog, Role
from programs import delegates
from programs.models import CheckIn, Delegate, DelegatePost, Seat

pytestmark = pytest.mark.django_db
P = DelegatePost


@pytest.fixture
def organizer(world):
    return world.users[Role.ORGANIZER]


def test_seats_are_each_commune_times_each_post_and_generating_twice_adds_nothing(world, organizer):
    assert delegates.generate_seats(world.program, by=organizer) == 6  # 2 communes × 3 posts
    assert delegates.generate_seats(world.program, by=organizer) == 0
    assert set(Seat.objects.filter(program=world.program).values_list("commune_id", flat=True)) == {
        world.commune_a.pk,
        world.commune_b.pk,
    }


def test_one_person_can_hold_two_posts(world, organizer):
    delegates.generate_seats(world.program, by=organizer)
    seats = Seat.objects.filter(commune=world.commune_a, post__in=[P.PARTY_SECRETARY, P.COUNCIL_CHAIR])
    person = Delegate(program=world.program, commune=world.commune_a, full_name="  Nguyễn  Văn An ")
    delegates.save_delegate(person, by=organizer, seats=seats)
    person.refresh_from_db()
    assert person.full_name == "Nguyễn Văn An"
    assert person.title == "Bí thư Đảng ủy, Chủ tịch HĐND Nghi Phú"
    assert person.seats.count() == 2 and Delegate.objects.filter(program=world.program).count() == 1
    assert "nguyen van an" in person.search_text and "nghi phu" in person.search_text


def test_a_delegate_cannot_take_another_communes_seat(world, organizer):
    delegates.generate_seats(world.program, by=organizer)
    seat_b = Seat.objects.get(commune=world.commune_b, post=P.COUNCIL_CHAIR)
    person = Delegate(program=world.program, commune=world.commune_a, full_name="Lê Thị Bình")
    with pytest.raises(delegates.DelegateError):
        delegates.save_delegate(person, by=organizer, seats=[seat_b])


def test_a_deputy_substitutes_and_keeps_the_trail(world, organizer):
    delegates.generate_seats(world.program, by=organizer)
    seat = Seat.objects.get(commune=world.commune_a, post=P.COMMITTEE_CHAIR)
    holder = delegates.save_delegate(
        Delegate(program=world.program, commune=world.commune_a, full_name="Trần Văn Cường"), by=organizer, seats=[seat]
    )
    with pytest.raises(delegates.DelegateError):
        delegates.substitute(seat, by=organizer, full_name="Hồ Văn Dũng", reason=" ")
    deputy = delegates.substitute(seat, by=organizer, full_name="Hồ Văn Dũng", reason="Đi công tác")
    seat.refresh_from_db()
    assert seat.delegate == deputy and deputy.substitute_for == holder.full_name
    assert deputy.title == "Dự thay Chủ tịch UBND Nghi Phú"
    holder.refresh_from_db()
    assert holder.status == Delegate.Status.EXCUSED  # no other post: the deputy comes instead


def test_confirm_and_excuse(world):
    leader = world.users[Role.COMMUNE_LEADER]
    person = Delegate.objects.create(program=world.program, commune=world.commune_a, full_name="Phan Văn Em")
    during = datetime.date(2023, 8, 1)
    delegates.confirm(person, by=leader, today=during)
    person.refresh_from_db()
    assert person.status == Delegate.Status.CONFIRMED and person.confirmed_by == leader
    with pytest.raises(delegates.DelegateError):
        delegates.excuse(person, by=leader, reason="", today=during)
    with pytest.raises(delegates.DelegateError, match="đã diễn ra"):
        delegates.confirm(person, by=leader, today=datetime.date(2023, 8, 5))


def test_forums_by_post_and_balance(world, organizer):
    delegates.generate_seats(world.program, by=organizer)
    for seat in Seat.objects.filter(program=world.program):
        delegates.save_delegate(
            Delegate(program=world.program, commune=seat.commune, full_name=f"Người {seat.pk}"),
            by=organizer,
            seats=[seat],
        )
    assigned = delegates.assign_forums_by_rule(
        world.program, {P.PARTY_SECRETARY: world.forum}, rule="post", by=organizer
    )
    assert assigned == 2
    balance = {row["forum"]: row["count"] for row in delegates.forum_balance(world.program)}
    assert balance[world.forum] == 2 and balance[None] == 4


def test_check_in_is_recorded_once(world):
    door = world.users[Role.ORGANIZER]
    person = Delegate.objects.create(program=world.program, commune=world.commune_a, full_name="Võ Thị Giang")
    first, created = delegates.check_in(person, by=door)
    again, created_again = delegates.check_in(person, by=door)
    assert created and not created_again and again.pk == first.pk
    assert ActionLog.objects.filter(verb="delegate.check_in", target_id=str(person.pk)).count() == 1
    delegates.undo_check_in(first, by=door, reason="Quét nhầm")
    _third, created_third = delegates.check_in(person, by=door)
    assert created_third and CheckIn.objects.filter(delegate=person).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_door_staff_at_once_record_one_check_in(world):
    person = Delegate.objects.create(program=world.program, commune=world.commune_a, full_name="Đặng Văn Hải")
    door = [world.users[Role.ORGANIZER], world.users[Role.ADMIN]]
    barrier = threading.Barrier(2)
    results = []

    def scan(user):
        try:
            barrier.wait()
            results.append(delegates.check_in(person, by=user)[1])
        finally:
            connection.close()

    threads = [threading.Thread(target=scan, args=(user,)) for user in door]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, True]
    assert CheckIn.objects.filter(delegate=person).count() == 1
