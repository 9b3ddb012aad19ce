"""The conclusions section of the agency's to-do list: the agency's assignments (lead or
coordinating) of notices in force, open ones first (the overdue first), each with its next date,
its state and a link to its page; nothing for other roles; a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from conclusions import workflow
from conclusions.models import Assignment
from conclusions.status import AssignmentState
from conclusions.views.todo import todo_section
from directory.models import Role
from tests.factories import add_assignment, issue_notice, make_notice
from tests.helpers import assert_constant_queries

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
TODO = "submissions:agency_todo"


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def section_of(response):
    sections = [s for s in response.context["sections"] if s.template == "conclusions/todo_section.html"]
    assert len(sections) == 1
    return sections[0]


def test_officer_sees_its_assignments_open_and_overdue_first(world, login):
    organizer = world.users[Role.ORGANIZER]
    notice = make_notice(world.program, by=organizer)
    overdue = add_assignment(notice, world.agency_x, by=organizer, text="Sửa cầu quá hạn", deadline=days(-4))
    coordinated = add_assignment(
        notice, world.agency_y, by=organizer, coordinating=[world.agency_x], text="Phối hợp y tế", deadline=days(8)
    )
    done = add_assignment(notice, world.agency_x, by=organizer, text="Đã xong", deadline=days(3))
    not_ours = add_assignment(notice, world.agency_y, by=organizer, text="Việc riêng của Sở Y tế", deadline=days(2))
    issue_notice(notice, organizer=organizer, approver=world.users[Role.STANDING_COMMITTEE], sequence=1200)
    workflow.report_progress(done, by=organizer, text="Xong", completes=True)

    response = login(world.users[Role.AGENCY_OFFICER]).get(reverse(TODO))
    assert response.status_code == 200
    section = section_of(response)
    rows = list(section.context["page"])
    # Overdue, then open by date (assignment_x is due in 20 days), then done; the draft notice's is left out.
    assert [a.pk for a in rows] == [overdue.pk, coordinated.pk, world.assignment_x.pk, done.pk]
    assert rows[0].state == AssignmentState.OPEN_OVERDUE and rows[0].days_late == 4
    assert rows[1].is_lead is False and rows[2].is_lead is True
    assert rows[3].state == AssignmentState.DONE_ON_TIME
    assert section.context["counts"] == {"open": 3, "overdue": 1, "done": 1}
    page = response.content.decode()
    assert "Nhiệm vụ được giao theo thông báo kết luận" in page
    assert "Chưa hoàn thành – quá hạn" in page and "quá 4 ngày" in page and "còn 8 ngày" in page
    assert days(8).strftime("%d/%m/%Y") in page
    for assignment in (overdue, coordinated, done):
        assert reverse("conclusions:assignment_detail", args=[assignment.pk]) in page
    assert reverse("conclusions:report_add", args=[overdue.pk]) in page  # lead: report from the list
    assert reverse("conclusions:report_add", args=[coordinated.pk]) not in page  # coordinating: view only
    assert not_ours.text not in page
    draft_assignment = world.draft_notice.assignments.get()
    assert reverse("conclusions:assignment_detail", args=[draft_assignment.pk]) not in page


def test_section_is_only_for_agency_officers(world):
    factory = RequestFactory()
    for role in (Role.ORGANIZER, Role.ADMIN, Role.STANDING_COMMITTEE, Role.SUPERVISOR, Role.COMMUNE_LEADER):
        request = factory.get("/")
        request.user = world.users[role]
        assert todo_section(request) is None
    request = factory.get("/")
    request.user = world.users[Role.AGENCY_OFFICER]
    assert todo_section(request) is not None


def test_an_agency_without_assignments_gets_an_empty_state(world, login):
    world.assignment_x.delete()
    response = login(world.users[Role.AGENCY_OFFICER]).get(reverse(TODO))
    assert "Chưa có nhiệm vụ nào được giao cho cơ quan" in response.content.decode()


def test_todo_keeps_a_constant_number_of_queries_with_assignments(world, login):
    notice = world.notice
    counter = iter(range(1000))

    def add_rows(n):
        for _ in range(n):
            number = next(counter)
            lead = world.agency_x if number % 2 else world.agency_y
            assignment = Assignment.objects.create(
                notice=notice,
                order=100 + number,
                lead_agency=lead,
                text=f"Việc {number}",
                deadline=days(number % 7 - 3),
            )
            if lead == world.agency_y:
                assignment.coordinating_agencies.set([world.agency_x])
            workflow.create_dues(assignment, notice.issued_on)

    assert_constant_queries(login(world.users[Role.AGENCY_OFFICER]), reverse(TODO), add_rows, few=1, many=30)


def test_section_pages_with_its_own_parameter(world, login):
    notice = world.notice
    for number in range(25):
        assignment = Assignment.objects.create(
            notice=notice, order=100 + number, lead_agency=world.agency_x, text=f"Việc {number}", deadline=days(number)
        )
        workflow.create_dues(assignment, notice.issued_on)
    client = login(world.users[Role.AGENCY_OFFICER])
    first = section_of(client.get(reverse(TODO)))
    assert len(first.context["page"]) == 20
    assert "trang_nhiem_vu=2" in client.get(reverse(TODO)).content.decode()
    second = section_of(client.get(reverse(TODO), {"trang_nhiem_vu": 2}))
    assert len(second.context["page"]) == 6  # 25 + assignment_x
