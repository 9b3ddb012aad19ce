"""Routing: the route form (deadline as a date or in working days), the receipt notice, the
reassignment request and the organizers' decision, deadline states, the agency's to-do list."""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.calendar import deadline_after
from directory.models import ActionLog, CalendarDay, Role
from submissions import workflow
from submissions.deadlines import DeadlineState, deadline_state
from submissions.models import Answer, Routing, Submission
from tests.factories import AgencyFactory
from tests.helpers import assert_constant_queries

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2023, 10, 12)  # a Thursday without public holidays around it


@pytest.fixture
def thursday(monkeypatch):
    """Today is Thursday 12/10/2023 for everything that asks `timezone.localdate()`."""
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return TODAY if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return TODAY


def sent_item(w, title="Sửa cầu tràn thôn 3", commune=None, leader=None):
    commune = commune or w.commune_a
    leader = leader or w.users[Role.COMMUNE_LEADER]
    item = workflow.save_draft(
        Submission(program=w.program, kind="proposal", title=title, content=f"{title}.", commune=commune), by=leader
    )
    return workflow.submit(item, by=leader)


def route_url(item):
    return reverse("submissions:route", args=[item.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- route ---------------------------------------------------------------------------------------


def test_deadline_in_working_days_skips_the_weekend_and_a_day_off(world, login, thursday):
    # Monday 16/10/2023 is declared a day off: from Thursday, 3 working days are
    # Friday 13, (Saturday, Sunday, Monday off) Tuesday 17 and Wednesday 18.
    CalendarDay.objects.create(date=datetime.date(2023, 10, 16), kind=CalendarDay.Kind.DAY_OFF, note="Nghỉ bù")
    assert deadline_after(thursday, 3) == datetime.date(2023, 10, 18)
    client = login(world.users[Role.ORGANIZER])

    page = client.get(route_url(world.item_b))
    preview = json.loads(page.context["deadline_dates"])
    assert preview["3"] == "18/10/2023"  # shown live as the officer types "3"

    response = client.post(route_url(world.item_b), {"lead_agency": world.agency_x.pk, "working_days": "3"})
    assert response.status_code == 302
    routing = world.item_b.routings.get()
    assert routing.deadline == datetime.date(2023, 10, 18)
    assert routing.working_days == 3
    assert routing.lead_agency == world.agency_x
    follow = client.get(response["Location"])
    assert "hạn trả lời 18/10/2023" in " ".join(messages_of(follow))


def test_route_with_a_date_and_coordinating_agencies(world, login):
    client = login(world.users[Role.ORGANIZER])
    deadline = timezone.localdate() + datetime.timedelta(days=20)
    response = client.post(
        route_url(world.item_b),
        {"lead_agency": world.agency_x.pk, "coordinating": [world.agency_y.pk], "deadline": f"{deadline:%d/%m/%Y}"},
    )
    assert response.status_code == 302
    item = Submission.objects.get(pk=world.item_b.pk)
    assert item.status == Submission.Status.ROUTED
    assert item.acknowledged_at is not None  # routing tells the commune where the item went
    routing = item.routings.get()
    assert routing.deadline == deadline and routing.working_days is None
    assert list(routing.coordinating_agencies.all()) == [world.agency_y]
    assert ActionLog.objects.filter(verb="submission.route", target_id=str(item.pk)).exists()
    # The trail on the item page shows it, with the date as dd/mm/yyyy.
    page = client.get(reverse("submissions:detail", args=[item.pk])).content.decode()
    assert "Quá trình giao trả lời" in page
    assert f"hạn {deadline:%d/%m/%Y}" in page
    assert world.agency_y.name in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"deadline": "01/01/2020"}, "Hạn trả lời không được trước hôm nay."),
        ({}, "Hãy nhập hạn trả lời (ngày, hoặc số ngày làm việc)."),
        ({"deadline": "31/02/2030"}, "Nhập ngày theo dạng dd/mm/yyyy"),
        ({"deadline": "01/01/2030", "working_days": "5"}, "không nhập cả hai"),
        ({"working_days": "0"}, "Số ngày làm việc là một số nguyên từ 1 đến 365."),
    ],
)
def test_bad_deadline_refused_and_nothing_saved(world, login, data, message):
    client = login(world.users[Role.ORGANIZER])
    response = client.post(route_url(world.item_b), {"lead_agency": world.agency_x.pk, **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not world.item_b.routings.exists()
    assert Submission.objects.get(pk=world.item_b.pk).status == Submission.Status.SUBMITTED


def test_lead_agency_cannot_also_coordinate(world, login):
    client = login(world.users[Role.ORGANIZER])
    response = client.post(
        route_url(world.item_b),
        {"lead_agency": world.agency_x.pk, "coordinating": [world.agency_x.pk, world.agency_y.pk], "working_days": 5},
    )
    assert "Cơ quan chủ trì không đồng thời là cơ quan phối hợp." in response.content.decode()
    assert not world.item_b.routings.exists()
    # The workflow says the same to any other caller.
    with pytest.raises(workflow.WorkflowError):
        workflow.route(
            world.item_b,
            lead_agency=world.agency_x,
            coordinating=[world.agency_x],
            working_days=5,
            by=world.users[Role.ORGANIZER],
        )
    assert not world.item_b.routings.exists()


def test_agency_of_another_province_refused(world, login):
    stranger = AgencyFactory(province=world.other_program.province, name="Sở Xây dựng tỉnh Hà Tĩnh")
    client = login(world.users[Role.ORGANIZER])
    response = client.post(route_url(world.item_b), {"lead_agency": stranger.pk, "working_days": 5})
    assert "Cơ quan này không thuộc tỉnh của chương trình." in response.content.decode()
    assert not world.item_b.routings.exists()


def test_routed_item_cannot_be_routed_again(world, login):
    client = login(world.users[Role.ORGANIZER])
    page = client.get(route_url(world.item_a)).content.decode()
    assert "không giao cơ quan trả lời được" in page
    response = client.post(route_url(world.item_a), {"lead_agency": world.agency_y.pk, "working_days": 5}, follow=True)
    assert "Không thể thực hiện thao tác này khi nội dung đang ở trạng thái" in response.content.decode()
    assert world.item_a.routings.count() == 1


def test_route_form_in_the_item_panel_through_htmx(world, login):
    client = login(world.users[Role.ORGANIZER])
    page = client.get(reverse("submissions:detail", args=[world.item_b.pk])).content.decode()
    assert f'hx-get="{route_url(world.item_b)}"' in page  # the panel loads the form
    fragment = client.get(route_url(world.item_b), headers={"HX-Request": "true"})
    body = fragment.content.decode()
    assert "<html" not in body and 'name="lead_agency"' in body and 'name="working_days"' in body
    # An error comes back in the fragment; success asks the browser to open the item page.
    bad = client.post(route_url(world.item_b), {"lead_agency": world.agency_x.pk}, headers={"HX-Request": "true"})
    assert "<html" not in bad.content.decode() and "Hãy nhập hạn trả lời" in bad.content.decode()
    good = client.post(
        route_url(world.item_b), {"lead_agency": world.agency_x.pk, "working_days": 5}, headers={"HX-Request": "true"}
    )
    assert good["HX-Redirect"] == reverse("submissions:detail", args=[world.item_b.pk])


def test_standing_committee_reads_the_trail_but_does_not_route(world, login):
    client = login(world.users[Role.STANDING_COMMITTEE])
    page = client.get(reverse("submissions:detail", args=[world.item_a.pk])).content.decode()
    assert "Quá trình giao trả lời" in page and world.agency_x.name in page
    assert (
        client.post(route_url(world.item_b), {"lead_agency": world.agency_x.pk, "working_days": 5}).status_code == 403
    )


# --- receipt notice -------------------------------------------------------------------------------


def test_receipt_notice_recorded_once_for_an_item_not_routed(world, login):
    client = login(world.users[Role.ORGANIZER])
    url = reverse("submissions:acknowledge", args=[world.item_b.pk])
    page = client.get(reverse("submissions:detail", args=[world.item_b.pk])).content.decode()
    assert f"hạn {world.item_b.acknowledge_due:%d/%m/%Y}" in page and url in page

    client.post(url)
    item = Submission.objects.get(pk=world.item_b.pk)
    assert item.acknowledged_at is not None
    notices = ActionLog.objects.filter(verb="notify.sent", target_id=str(item.pk))
    assert [n.changes["commune_id"] for n in notices] == [world.commune_b.pk]

    again = client.post(url, follow=True)
    assert "Đã báo tiếp nhận nội dung này ngày" in again.content.decode()
    assert notices.count() == 1


def test_receipt_notice_refused_for_a_draft(world, login):
    leader = world.users[Role.COMMUNE_LEADER]
    draft = workflow.save_draft(
        Submission(program=world.program, kind="question", title="Nháp", content="Nháp.", commune=world.commune_a),
        by=leader,
    )
    client = login(world.users[Role.ORGANIZER])
    response = client.post(reverse("submissions:acknowledge", args=[draft.pk]), follow=True)
    assert "Không thể báo đã tiếp nhận khi nội dung đang ở trạng thái “Bản nháp”." in response.content.decode()
    assert Submission.objects.get(pk=draft.pk).acknowledged_at is None


def test_receipt_notice_is_for_organizers(world, login):
    url = reverse("submissions:acknowledge", args=[world.item_a.pk])
    assert login(world.users[Role.STANDING_COMMITTEE]).post(url).status_code == 403
    assert login(world.users[Role.COMMUNE_LEADER]).post(url).status_code == 403


# --- reassignment ---------------------------------------------------------------------------------


def request_reassignment(client, item, reason="Nội dung thuộc thẩm quyền của Sở Y tế."):
    return client.post(reverse("submissions:request_reassign", args=[item.pk]), {"reason": reason}, follow=True)


def decide(client, item, **data):
    return client.post(reverse("submissions:decide_reassign", args=[item.pk]), data)


def test_reassignment_accepted_opens_a_new_routing_and_keeps_the_old_one(world, login):
    officer = login(world.users[Role.AGENCY_OFFICER])
    empty = request_reassignment(officer, world.item_a, reason="   ")
    assert "Hãy nêu lý do cơ quan không thuộc thẩm quyền trả lời." in empty.content.decode()
    assert world.item_a.routings.get().status == Routing.Status.ACTIVE

    done = request_reassignment(officer, world.item_a)
    assert "Đã gửi đề nghị giao lại" in done.content.decode()
    old = world.item_a.routings.get()
    assert old.status == Routing.Status.REASSIGN_REQUESTED
    assert old.reassign_reason == "Nội dung thuộc thẩm quyền của Sở Y tế."

    organizer = login(world.users[Role.ORGANIZER])
    page = organizer.get(reverse("submissions:detail", args=[world.item_a.pk])).content.decode()
    assert reverse("submissions:decide_reassign", args=[world.item_a.pk]) in page
    response = decide(organizer, world.item_a, decision="accept", new_lead=world.agency_y.pk, working_days=5)
    assert response.status_code == 302

    old.refresh_from_db()
    assert old.status == Routing.Status.REASSIGNED
    new = world.item_a.routings.get(status=Routing.Status.ACTIVE)
    assert new.lead_agency == world.agency_y
    assert new.deadline == deadline_after(timezone.localdate(), 5)
    assert ActionLog.objects.filter(verb="routing.reassign_accept", target_id=str(world.item_a.pk)).exists()
    # Agency X still sees the item it had, but no longer answers it; agency Y does.
    officer = login(world.users[Role.AGENCY_OFFICER])
    assert officer.get(reverse("submissions:detail", args=[world.item_a.pk])).status_code == 200
    assert officer.get(reverse("submissions:answer_edit", args=[world.item_a.pk])).status_code == 403
    todo = officer.get(reverse("submissions:agency_todo"))
    assert world.item_a.reference not in todo.content.decode()
    officer_y = login(world.users["agency_officer_y"])
    assert officer_y.get(reverse("submissions:answer_edit", args=[world.item_a.pk])).status_code == 200


def test_reassignment_accepted_without_a_new_deadline_keeps_the_old_one(world, login):
    request_reassignment(login(world.users[Role.AGENCY_OFFICER]), world.item_a)
    old_deadline = world.item_a.routings.get().deadline
    decide(login(world.users[Role.ORGANIZER]), world.item_a, decision="accept", new_lead=world.agency_y.pk)
    assert world.item_a.routings.get(status=Routing.Status.ACTIVE).deadline == old_deadline


def test_reassignment_accept_needs_another_agency(world, login):
    request_reassignment(login(world.users[Role.AGENCY_OFFICER]), world.item_a)
    organizer = login(world.users[Role.ORGANIZER])
    response = decide(organizer, world.item_a, decision="accept")
    assert "Hãy chọn cơ quan khác để giao lại." in response.content.decode()
    same = decide(organizer, world.item_a, decision="accept", new_lead=world.agency_x.pk)
    assert "Cơ quan này không thuộc tỉnh của chương trình." in same.content.decode()  # not among the choices
    assert world.item_a.routings.get().status == Routing.Status.REASSIGN_REQUESTED


def test_refusing_a_reassignment_needs_a_note(world, login):
    request_reassignment(login(world.users[Role.AGENCY_OFFICER]), world.item_a)
    organizer = login(world.users[Role.ORGANIZER])
    response = decide(organizer, world.item_a, decision="refuse", note="  ")
    assert response.status_code == 200
    assert "Hãy ghi lý do không đồng ý giao lại." in response.content.decode()
    routing = world.item_a.routings.get()
    assert routing.status == Routing.Status.REASSIGN_REQUESTED and routing.decision_note == ""

    decide(
        organizer, world.item_a, decision="refuse", note="Nội dung về đường giao thông, thuộc Sở Giao thông vận tải."
    )
    routing.refresh_from_db()
    assert routing.status == Routing.Status.ACTIVE
    assert routing.decision_note == "Nội dung về đường giao thông, thuộc Sở Giao thông vận tải."
    assert world.item_a.routings.count() == 1
    # The decision is in the trail on the item page.
    page = login(world.users[Role.AGENCY_OFFICER]).get(reverse("submissions:detail", args=[world.item_a.pk]))
    assert "thuộc Sở Giao thông vận tải" in page.content.decode()


def test_decision_without_a_pending_request_refused(world, login):
    organizer = login(world.users[Role.ORGANIZER])
    page = organizer.get(reverse("submissions:decide_reassign", args=[world.item_a.pk])).content.decode()
    assert "Không có đề nghị giao lại nào đang chờ quyết định." in page
    response = decide(organizer, world.item_a, decision="refuse", note="Không")
    assert response.status_code == 302
    assert world.item_a.routings.get().status == Routing.Status.ACTIVE


def test_only_the_lead_agency_requests_reassignment(world, login):
    url = reverse("submissions:request_reassign", args=[world.item_a.pk])
    assert login(world.users["agency_officer_y"]).post(url, {"reason": "x"}).status_code == 404
    assert login(world.users[Role.COMMUNE_LEADER]).post(url, {"reason": "x"}).status_code == 403
    assert login(world.users[Role.ORGANIZER]).post(url, {"reason": "x"}).status_code == 403
    assert world.item_a.routings.get().status == Routing.Status.ACTIVE


# --- deadline states and the to-do list -----------------------------------------------------------


def test_deadline_states():
    day = datetime.date(2023, 9, 15)
    assert deadline_state(day, None, today=day) == DeadlineState.OPEN_WITHIN
    assert deadline_state(day, None, today=day + datetime.timedelta(days=1)) == DeadlineState.OPEN_OVERDUE
    assert deadline_state(day, day, today=day + datetime.timedelta(days=9)) == DeadlineState.ANSWERED_ON_TIME
    late = day + datetime.timedelta(days=2)
    assert deadline_state(day, late, today=late) == DeadlineState.ANSWERED_LATE
    assert deadline_state(None, None) is None


def routed_to_x(w, title, *, deadline_offset: int, answered_offset: int | None = None, publish=False):
    """An item routed to agency X with its deadline `deadline_offset` days from today, answered
    (sent) `answered_offset` days from today if given."""
    item = sent_item(w, title)
    routing = workflow.route(item, lead_agency=w.agency_x, working_days=10, by=w.users[Role.ORGANIZER])
    today = timezone.localdate()
    Routing.objects.filter(pk=routing.pk).update(deadline=today + datetime.timedelta(days=deadline_offset))
    if answered_offset is not None:
        officer = w.users[Role.AGENCY_OFFICER]
        answer = workflow.save_answer(item, by=officer, agency=w.agency_x, text=f"Trả lời: {title}", send=True)
        moment = timezone.now() + datetime.timedelta(days=answered_offset)
        Answer.objects.filter(pk=answer.pk).update(submitted_at=moment)
        if publish:
            workflow.publish_answer(answer, by=w.users[Role.ORGANIZER])
    return item


def test_todo_lists_states_days_and_puts_the_overdue_first(world, login):
    world.item_a.delete()
    within = routed_to_x(world, "Trong hạn", deadline_offset=5)
    overdue = routed_to_x(world, "Quá hạn", deadline_offset=-3)
    waiting = routed_to_x(world, "Đã gửi chờ duyệt", deadline_offset=4, answered_offset=-1)
    on_time = routed_to_x(world, "Đúng hạn", deadline_offset=-2, answered_offset=-5, publish=True)
    late = routed_to_x(world, "Trễ hạn", deadline_offset=-10, answered_offset=-6, publish=True)
    coordinated = sent_item(world, "Phối hợp với Sở Y tế")
    workflow.route(
        coordinated,
        lead_agency=world.agency_y,
        coordinating=[world.agency_x],
        working_days=10,
        by=world.users[Role.ORGANIZER],
    )

    response = login(world.users[Role.AGENCY_OFFICER]).get(reverse("submissions:agency_todo"))
    rows = list(response.context["page"])
    titles = [r.submission.title for r in rows]
    # To answer (the most overdue first), then waiting for the organizers, then done (latest deadline first).
    assert titles == ["Quá hạn", "Trong hạn", "Phối hợp với Sở Y tế", "Đã gửi chờ duyệt", "Đúng hạn", "Trễ hạn"]
    by_title = {r.submission.title: r for r in rows}
    assert by_title["Trong hạn"].state == DeadlineState.OPEN_WITHIN and by_title["Trong hạn"].days == 5
    assert by_title["Quá hạn"].state == DeadlineState.OPEN_OVERDUE and by_title["Quá hạn"].days == 3
    assert by_title["Đã gửi chờ duyệt"].state == DeadlineState.ANSWERED_ON_TIME
    assert by_title["Đúng hạn"].state == DeadlineState.ANSWERED_ON_TIME
    assert by_title["Trễ hạn"].state == DeadlineState.ANSWERED_LATE and by_title["Trễ hạn"].days == 4
    assert not by_title["Phối hợp với Sở Y tế"].is_lead
    assert response.context["counts"] == {"needs_action": 3, "overdue": 1, "waiting": 1, "done": 2}
    page = response.content.decode()
    assert "còn 5 ngày" in page and "quá 3 ngày" in page and "trễ 4 ngày" in page
    assert "Chưa trả lời – quá hạn" in page and "Đã trả lời – trễ hạn" in page
    assert reverse("submissions:answer_edit", args=[within.pk]) in page
    assert reverse("submissions:answer_edit", args=[coordinated.pk]) not in page  # coordinating: no answer form
    for item in (overdue, waiting, on_time, late):
        assert item.reference in page

    only_overdue = login(world.users[Role.AGENCY_OFFICER]).get(
        reverse("submissions:agency_todo"), {"hien_thi": "qua-han"}
    )
    assert [r.submission.title for r in only_overdue.context["page"]] == ["Quá hạn"]


def test_todo_keeps_a_constant_number_of_queries(world, login):
    client = login(world.users[Role.AGENCY_OFFICER])
    counter = iter(range(1000))

    def add_rows(n):
        for _ in range(n):
            number = next(counter)
            if number % 3 == 2:  # some answered, some coordinated
                item = sent_item(world, f"Phối hợp {number}")
                workflow.route(
                    item,
                    lead_agency=world.agency_y,
                    coordinating=[world.agency_x],
                    working_days=5,
                    by=world.users[Role.ORGANIZER],
                )
            else:
                routed_to_x(
                    world,
                    f"Nội dung {number}",
                    deadline_offset=number % 7 - 3,
                    answered_offset=-1 if number % 3 else None,
                )

    assert_constant_queries(client, reverse("submissions:agency_todo"), add_rows, few=1, many=12)


def test_todo_is_for_agency_officers_only(world, login):
    for role in (Role.ORGANIZER, Role.ADMIN, Role.STANDING_COMMITTEE, Role.SUPERVISOR, Role.COMMUNE_LEADER):
        assert login(world.users[role]).get(reverse("submissions:agency_todo")).status_code == 403
