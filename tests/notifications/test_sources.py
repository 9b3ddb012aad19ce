"""What each app registers as owed: open roadmap tasks, open routings, unacknowledged items
and open dues of issued notices — and nothing once it is done."""

import datetime

import pytest
from django.utils import timezone

from conclusions import workflow as conclusions_workflow
from conclusions.models import Due
from directory.models import Role
from notifications import obligations, sweep
from notifications.models import Notification, OutgoingEmail
from programs import workflow as programs_workflow
from programs.models import RoadmapTask

pytestmark = pytest.mark.django_db


def keys(until=None):
    return {o.key: o for o in obligations.open_obligations(until)}


def test_every_app_registers_its_obligations(world):
    found = keys()
    assert f"programs.task:{world.task_x.pk}" in found
    routing = world.item_a.routings.get()
    assert found[f"submissions.routing:{routing.pk}"].agencies == (world.agency_x.pk,)
    assert f"submissions.routing:{world.item_published.routings.get().pk}" not in found  # answered
    due = world.assignment_x.dues.get()
    owed = found[f"conclusions.due:{due.pk}"]
    assert owed.agencies == (world.agency_x.pk,) and owed.escalate_to == (world.board.pk,)
    assert "1029-TB/TU" in owed.what and owed.url.endswith(f"/{world.assignment_x.pk}/")
    assert not any(
        key.startswith("conclusions.due") and o.province_id != world.province.pk
        for key, o in found.items()
        if "1029" in o.what
    )


def test_finished_work_is_not_owed(world):
    officer = world.users[Role.AGENCY_OFFICER]
    conclusions_workflow.report_progress(world.assignment_x, by=officer, text="Xong", completes=True)
    programs_workflow.set_task_status(world.task_x, RoadmapTask.Status.DONE, by=world.users[Role.ORGANIZER])
    found = keys()
    assert f"conclusions.due:{world.assignment_x.dues.get().pk}" not in found
    assert f"programs.task:{world.task_x.pk}" not in found


def test_an_assignment_due_in_three_days_reminds_its_agency_once(world):
    today = timezone.localdate()
    due = world.assignment_x.dues.get()
    Due.objects.filter(pk=due.pk).update(due_on=today + datetime.timedelta(days=3))
    RoadmapTask.objects.update(due_date=today + datetime.timedelta(days=30))  # only the due is near
    conclusions_workflow.refresh(world.assignment_x)
    officer = world.users[Role.AGENCY_OFFICER]
    before = Notification.objects.filter(recipient=officer, kind="reminder").count()
    sweep.run()
    sweep.run()
    reminders = Notification.objects.filter(recipient=officer, kind="reminder")
    assert reminders.count() == before + 1
    assert "còn 3 ngày" in reminders.first().title
    assert OutgoingEmail.objects.filter(kind="reminder", to=officer.email).count() == 1


def test_issuing_a_notice_tells_its_agencies(world):
    officer_y = world.users["agency_officer_y"]
    told = Notification.objects.filter(recipient=officer_y, kind="conclusions.update")
    assert told.filter(title__contains="1029-TB/TU").exists()  # lead of one, coordinating the other
