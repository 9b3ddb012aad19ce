"""Programs: creation, the program page, status changes and the organizing committee."""

import datetime

import pytest
from django.urls import reverse

from directory.models import ActionLog, Role
from programs import workflow
from programs.models import CommitteeMember, PlanVersion, Program
from tests.factories import CommitteeMemberFactory, RoadmapTaskFactory, make_program
from tests.helpers import assert_constant_queries

pytestmark = pytest.mark.django_db


def as_user(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def program_data(w, **overrides):
    data = {
        "title": "Chương trình đối thoại năm 2028",
        "host": w.party_committee.pk,
        "area": w.province.pk,
        "audience": "commune_heads",
        "edition": 3,
        "previous": w.program.pk,
        "theme": "Đoàn kết - Đổi mới",
        "start_date": "05/08/2028",
        "end_date": "06/08/2028",
        "venue": "Thành phố Vinh",
        "standing_agency": w.board.pk,
        "reference_prefix": "ĐT2028",
    }
    data.update(overrides)
    return data


def test_organizer_creates_a_program_with_its_first_plan_draft(client, world):
    as_user(client, world.users[Role.ORGANIZER])
    response = client.post(reverse("programs:create"), program_data(world))
    program = Program.objects.get(title="Chương trình đối thoại năm 2028")
    assert response.status_code == 302 and response["Location"] == reverse("programs:detail", args=[program.pk])
    assert program.start_date == datetime.date(2028, 8, 5)  # typed day first
    assert program.province == world.province and program.previous == world.program
    assert program.plan.versions.get().status == PlanVersion.Status.DRAFT
    assert ActionLog.objects.filter(verb="program.create", target_id=str(program.pk)).exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"end_date": "04/08/2028"}, "Ngày kết thúc không được trước ngày bắt đầu."),
        ({"start_date": "01/01/2020", "end_date": "02/01/2020"}, "Chương trình lần trước phải diễn ra trước"),
        ({"start_date": "08/25/2028"}, "Nhập ngày theo dạng dd/mm/yyyy"),
    ],
)
def test_bad_program_input_is_refused_and_nothing_saved(client, world, overrides, message):
    as_user(client, world.users[Role.ORGANIZER])
    before = Program.objects.count()
    response = client.post(reverse("programs:create"), program_data(world, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Program.objects.count() == before


def test_status_needs_an_approved_plan_then_follows_the_order(client, world):
    as_user(client, world.users[Role.ORGANIZER])
    url = reverse("programs:status", args=[world.program.pk])
    page = client.post(url, {"status": "preparing"}, follow=True).content.decode()
    assert "Kế hoạch chưa được phê duyệt" in page
    world.program.refresh_from_db()
    assert world.program.status == Program.Status.PLANNING

    version = world.program.plan.versions.get()
    workflow.update_draft(version, {k: "Nội dung" for k in version.sections}, by=world.users[Role.ORGANIZER])
    workflow.submit_version(version, by=world.users[Role.ORGANIZER])
    workflow.approve_version(version, by=world.users[Role.STANDING_COMMITTEE])
    client.post(url, {"status": "preparing"})
    page = client.post(url, {"status": "closed"}, follow=True).content.decode()
    assert "Không thể chuyển chương trình" in page
    world.program.refresh_from_db()
    assert world.program.status == Program.Status.PREPARING
    assert ActionLog.objects.filter(verb="program.status", target_id=str(world.program.pk)).count() == 1


def test_only_managers_change_status(client, world):
    as_user(client, world.users[Role.STANDING_COMMITTEE])
    response = client.post(reverse("programs:status", args=[world.program.pk]), {"status": "preparing"})
    assert response.status_code == 403


def test_second_head_is_refused_in_vietnamese(client, world):
    as_user(client, world.users[Role.ORGANIZER])
    url = reverse("programs:member_add", args=[world.program.pk])
    data = {
        "full_name": "Người Thứ Hai",
        "position": "Phó Bí thư",
        "role": "head",
        "agency": world.agency_x.pk,
        "order": 1,
    }
    response = client.post(url, data)
    assert "Ban tổ chức đã có trưởng ban" in response.content.decode()
    assert world.program.committee.filter(role="head").count() == 1


def test_member_who_chairs_a_forum_cannot_be_removed(client, world):
    as_user(client, world.users[Role.ORGANIZER])
    url = reverse("programs:member_remove", args=[world.program.pk, world.head.pk])
    page = client.post(url, follow=True).content.decode()
    assert "đang chủ trì" in page
    assert CommitteeMember.objects.filter(pk=world.head.pk).exists()


def test_program_page_shows_late_and_upcoming(client, world):
    today = datetime.date.today()
    RoadmapTaskFactory(
        program=world.program,
        assignee_agency=world.agency_x,
        title="Việc trễ hạn",
        start_date=today - datetime.timedelta(days=20),
        due_date=today - datetime.timedelta(days=2),
    )
    RoadmapTaskFactory(
        program=world.program,
        assignee_agency=world.agency_x,
        title="Việc sắp đến hạn",
        start_date=today,
        due_date=today + datetime.timedelta(days=5),
    )
    page = as_user(client, world.users[Role.ORGANIZER]).get(reverse("programs:detail", args=[world.program.pk]))
    text = page.content.decode()
    assert "Việc trễ hạn" in text and "Việc sắp đến hạn" in text
    # A commune leader sees the program but none of its preparation.
    client.logout()
    text = as_user(client, world.users[Role.COMMUNE_LEADER]).get(reverse("programs:detail", args=[world.program.pk]))
    assert "Việc trễ hạn" not in text.content.decode()


def test_program_list_constant_queries(client, world):
    as_user(client, world.users[Role.ORGANIZER])

    def add(n):
        for i in range(n):
            program = make_program(world.province, world.party_committee, world.board, title=f"Chương trình số {i}")
            RoadmapTaskFactory(program=program, assignee_agency=world.agency_x)

    assert_constant_queries(client, reverse("programs:list"), add, few=1, many=20)


def test_program_page_constant_queries(client, world):
    as_user(client, world.users[Role.ORGANIZER])
    today = datetime.date.today()

    def add(n):
        RoadmapTaskFactory.create_batch(
            n, program=world.program, assignee_agency=world.agency_x, start_date=today, due_date=today
        )
        CommitteeMemberFactory.create_batch(n, program=world.program, agency=world.agency_y)

    assert_constant_queries(client, reverse("programs:detail", args=[world.program.pk]), add)


def test_committee_page_constant_queries(client, world):
    as_user(client, world.users[Role.ORGANIZER])
    assert_constant_queries(
        client,
        reverse("programs:committee", args=[world.program.pk]),
        lambda n: CommitteeMemberFactory.create_batch(n, program=world.program, agency=world.agency_y),
    )
