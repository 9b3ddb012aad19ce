"""The monthly briefing to the Standing Committee: one message per member and month, in the app
and by e-mail, with the province's figures; a second run sends nothing; the periodic task is
created after migrate."""

from __future__ import annotations

import datetime

import pytest
from django_celery_beat.models import PeriodicTask

from dashboards import briefing
from directory.models import Role
from notifications.models import Notification, OutgoingEmail
from tests.dashboards.helpers import add_variety

pytestmark = pytest.mark.django_db


def test_sent_once_a_month_to_each_member(world):
    add_variety(world)
    member = world.users[Role.STANDING_COMMITTEE]
    member.email = "thuongtruc@example.vn"
    member.save()
    day = datetime.date(2026, 12, 1)
    assert briefing.send_monthly(day) == 1  # the one Standing Committee member of the world's province
    note = Notification.objects.get(recipient=member, kind=briefing.KIND)
    assert note.title == "Bản tin tháng 12/2026: các chương trình gặp mặt, đối thoại của Tỉnh Nghệ An"
    email = OutgoingEmail.objects.get(to="thuongtruc@example.vn", kind=briefing.KIND)
    assert "- Câu hỏi, đề xuất, kiến nghị qua các chương trình: 6" in email.body
    assert f"- {world.agency_x.name}: 1 việc quá hạn" in email.body
    assert "/bang-dieu-khien/ban-tin.pdf?province=" in email.body
    # The same month again (a second beat tick, a restarted worker): nothing more.
    assert briefing.send_monthly(day + datetime.timedelta(days=3)) == 0
    assert Notification.objects.filter(kind=briefing.KIND).count() == 1
    # Next month: again.
    assert briefing.send_monthly(datetime.date(2027, 1, 1)) == 1


def test_not_for_other_roles(world):
    briefing.send_monthly(datetime.date(2026, 12, 1))
    recipients = set(Notification.objects.filter(kind=briefing.KIND).values_list("recipient__role", flat=True))
    assert recipients == {Role.STANDING_COMMITTEE}


def test_periodic_task_on_the_first_of_the_month():
    task = PeriodicTask.objects.get(task="dashboards.send_monthly_briefings")
    assert (task.crontab.day_of_month, task.crontab.hour) == ("1", "7")
