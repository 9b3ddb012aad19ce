"""The core of the notifications app: one call delivers in the app and by e-mail, the outbox
sends once, the reminder sweep sends each milestone once."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.utils import timezone

from directory.models import Role
from notifications import obligations, outbox, sweep
from notifications.delivery import notify
from notifications.models import EmailPreference, Notification, OutgoingEmail, Reminder
from notifications.obligations import Obligation, milestone

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def source(world):
    """The only registered source, whose obligations the test sets (the apps' sources are
    tested in test_sources.py)."""
    items: list[Obligation] = []

    def fetch(until):
        return [o for o in items if until is None or o.deadline <= until]

    saved = dict(obligations.SOURCES)
    obligations.SOURCES.clear()
    obligations.register("test", fetch)
    yield items
    obligations.SOURCES.clear()
    obligations.SOURCES.update(saved)


def owed(world, days: int, key: str = "test:1") -> Obligation:
    return Obligation(
        key=key,
        what="Nhiệm vụ thử",
        title="Báo cáo kết quả",
        deadline=timezone.localdate() + datetime.timedelta(days=days),
        url="/thu/1/",
        responsible=world.agency_x.name,
        agencies=(world.agency_x.pk,),
        escalate_to=(world.board.pk,),
        province_id=world.province.pk,
    )


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [
        (10, None),
        (7, "before-7"),
        (5, "before-7"),
        (3, "before-3"),
        (2, "before-3"),
        (1, "before-1"),
        (0, "due"),
        (-1, "overdue-0"),
        (-7, "overdue-0"),
        (-8, "overdue-1"),
    ],
)
def test_milestones(days_left, expected):
    today = D(2026, 11, 22)
    assert milestone(today + datetime.timedelta(days=days_left), today) == expected


def test_notify_reaches_the_agency_people_and_its_address(world):
    world.agency_x.email = "vanthu@sogtvt.nghean.gov.vn"
    world.agency_x.save()
    officer = world.users[Role.AGENCY_OFFICER]
    EmailPreference.objects.create(user=world.users["agency_officer_y"], kind="reminder", by_email=False)
    notes, emails = notify(
        "reminder",
        agencies=[world.agency_x, world.agency_y],
        url="/x/",
        context={"what": "Việc", "title": "Tiêu đề", "deadline": D(2026, 12, 1), "days_left": 3, "days_late": 0},
    )
    assert {n.recipient_id for n in notes} == {officer.pk, world.users["agency_officer_y"].pk}
    # Officer Y chose the app only; both agencies' registered addresses get the e-mail.
    assert sorted(e.to for e in emails) == sorted([officer.email, "vanthu@sogtvt.nghean.gov.vn", world.agency_y.email])
    assert "còn 3 ngày" in notes[0].title and "01/12/2026" in emails[0].body


def test_the_sweep_sends_each_milestone_once(world, source):
    source.append(owed(world, 3))
    first = sweep.run()
    assert first.reminders == 2  # the officer of X and X's registered address
    reminders = Notification.objects.filter(kind="reminder")
    emails = OutgoingEmail.objects.filter(kind="reminder")
    assert list(reminders.values_list("recipient", flat=True)) == [world.users[Role.AGENCY_OFFICER].pk]
    assert emails.count() == 2
    second = sweep.run()
    assert second.reminders == 0 and reminders.count() == 1 and emails.count() == 2


def test_overdue_items_escalate_to_the_standing_agency(world, source):
    source.append(owed(world, -2))
    sweep.run()
    organizer = world.users[Role.ORGANIZER]  # works in the Ban Dân vận, the standing agency
    assert Notification.objects.filter(recipient=organizer, kind="reminder.escalation").count() == 1
    assert set(Reminder.objects.values_list("milestone", flat=True)) == {"overdue-0", "escalate-overdue-0"}


def test_the_outbox_sends_once_and_marks_sent(world):
    _notes, emails = notify("reminder", users=[world.users[Role.AGENCY_OFFICER]], context={"days_left": 1})
    results = outbox.send_many([emails[0].pk])
    assert results == {emails[0].pk: OutgoingEmail.Status.SENT}
    assert outbox.send_many([emails[0].pk]) == {}
    assert len(mail.outbox) == 1


def test_failures_are_classified():
    assert outbox.is_temporary(smtplib.SMTPResponseException(451, b"try later"))
    assert not outbox.is_temporary(smtplib.SMTPResponseException(550, b"no such user"))
    assert outbox.is_temporary(ConnectionRefusedError())
    assert not outbox.is_temporary(smtplib.SMTPRecipientsRefused({"a@b": (550, b"no")}))
