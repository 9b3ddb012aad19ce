"""Shared fixtures: a small world with two communes, two agencies and a user per role."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from directory.models import AdminUnit, Agency, Role, User
from tests.factories import AgencyFactory, CommuneFactory, DistrictFactory, ProvinceFactory, UserFactory

PASSWORD = "MatKhau@2023"

CHROMIUM = os.environ.get("DIALOGUE_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps trying to reach Google on a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


# One Chromium for the whole session, shared by every browser test (two sync Playwright
# instances cannot run in one thread).
@pytest.fixture(scope="session")
def browser():
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class World:
    province: AdminUnit
    district: AdminUnit
    commune_a: AdminUnit
    commune_b: AdminUnit
    agency_x: Agency
    agency_y: Agency
    users: dict[str, User]  # by role name, plus "commune_leader_b" and "agency_officer_y"
    party_committee: Agency | None = None
    board: Agency | None = None
    program: object = None  # programs.Program of this province, with committee, tasks, forum, session
    head: object = None  # its committee head (linked to the Standing Committee user)
    member_x: object = None  # a committee member from agency X
    task_x: object = None  # roadmap task of agency X
    task_y: object = None  # roadmap task of agency Y
    topic_group: object = None
    forum: object = None
    session: object = None
    other_program: object = None  # a program of another province
    item_a: object = None  # submission of commune A, routed to agency X
    item_b: object = None  # submission of commune B, sent, not yet routed
    item_published: object = None  # submission of commune B, answered by agency Y and published
    notice: object = None  # issued notice of conclusions of `program` (1029-TB/TU)
    assignment_x: object = None  # of `notice`: agency X leads (deadline, answers item_a), Y coordinates
    assignment_y: object = None  # of `notice`: agency Y leads, yearly report
    draft_notice: object = None  # a second notice of `program`, still a draft, one assignment for X
    other_notice: object = None  # issued notice of another province's program


def pytest_configure(config):
    from django.conf import settings

    # Whitenoise warns on every request when STATIC_ROOT does not exist (no collectstatic in tests).
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # PBKDF2 is slow by design; the suite creates many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_official_calendar():
    # The calendar is cached per process; a rolled-back test must not leave its days behind.
    from directory import calendar

    calendar.clear_cache()
    yield
    calendar.clear_cache()


@pytest.fixture
def world(db) -> World:
    province = ProvinceFactory(name="Nghệ An", code="40")
    district = DistrictFactory(parent=province, name="Nghi Lộc", code="429")
    commune_a = CommuneFactory(parent=district, name="Nghi Phú", code="17440")
    commune_b = CommuneFactory(parent=district, name="Nghi Đức", code="17443")
    agency_x = AgencyFactory(province=province, name="Sở Giao thông vận tải tỉnh Nghệ An", code="na-gtvt")
    agency_y = AgencyFactory(province=province, name="Sở Y tế tỉnh Nghệ An", code="na-yte")
    board = AgencyFactory(province=province, name="Ban Dân vận Tỉnh ủy Nghệ An", code="na-bdv", kind="party_board")
    users = {
        Role.ADMIN: UserFactory(username="admin", role=Role.ADMIN, agency=board, is_staff=True, is_superuser=True),
        Role.ORGANIZER: UserFactory(username="organizer", role=Role.ORGANIZER, agency=board),
        Role.STANDING_COMMITTEE: UserFactory(username="standing", role=Role.STANDING_COMMITTEE, agency=board),
        Role.SUPERVISOR: UserFactory(username="supervisor", role=Role.SUPERVISOR, agency=board),
        Role.AGENCY_OFFICER: UserFactory(username="officer_x", role=Role.AGENCY_OFFICER, agency=agency_x),
        "agency_officer_y": UserFactory(username="officer_y", role=Role.AGENCY_OFFICER, agency=agency_y),
        Role.COMMUNE_LEADER: UserFactory(username="leader_a", commune_leader=True, commune=commune_a),
        "commune_leader_b": UserFactory(username="leader_b", commune_leader=True, commune=commune_b),
    }
    world = World(province, district, commune_a, commune_b, agency_x, agency_y, users, board=board)
    _add_programs(world)
    return world


def _add_programs(w: World) -> None:
    import datetime

    from django.utils import timezone

    from programs.models import AgendaSession, Forum, TopicGroup
    from tests.factories import CommitteeMemberFactory, RoadmapTaskFactory, make_program

    w.party_committee = AgencyFactory(province=w.province, name="Tỉnh ủy Nghệ An", code="na-tu", kind="party_committee")
    w.program = make_program(w.province, w.party_committee, w.board, by=w.users[Role.ORGANIZER])
    w.head = CommitteeMemberFactory(
        program=w.program,
        role="head",
        full_name=w.users[Role.STANDING_COMMITTEE].full_name,
        user=w.users[Role.STANDING_COMMITTEE],
        agency=w.party_committee,
        position="Phó Bí thư Tỉnh ủy",
    )
    w.member_x = CommitteeMemberFactory(program=w.program, agency=w.agency_x, full_name="Lê Văn Giao Thông")
    w.task_x = RoadmapTaskFactory(program=w.program, assignee_agency=w.agency_x, title="Phân luồng giao thông")
    w.task_y = RoadmapTaskFactory(program=w.program, assignee_agency=w.agency_y, title="Phương án y tế")
    w.topic_group = TopicGroup.objects.create(program=w.program, name="Công tác xây dựng Đảng", order=1)
    tz = timezone.get_current_timezone()
    w.forum = Forum.objects.create(
        program=w.program,
        title="Diễn đàn xây dựng Đảng",
        topic_group=w.topic_group,
        chair=w.head,
        room="Hội trường A",
        starts_at=datetime.datetime(2023, 8, 3, 14, 0, tzinfo=tz),
        ends_at=datetime.datetime(2023, 8, 3, 17, 0, tzinfo=tz),
    )
    w.session = AgendaSession.objects.create(
        program=w.program,
        kind="plenary",
        title="Gặp mặt, đối thoại",
        starts_at=datetime.datetime(2023, 8, 4, 7, 30, tzinfo=tz),
        ends_at=datetime.datetime(2023, 8, 4, 11, 30, tzinfo=tz),
        place="Nhà Văn hóa Lao động tỉnh",
    )
    other_province = ProvinceFactory(name="Hà Tĩnh", code="42")
    other_committee = AgencyFactory(province=other_province, kind="party_committee", name="Tỉnh ủy Hà Tĩnh")
    w.other_program = make_program(other_province, other_committee, other_committee, title="Đối thoại Hà Tĩnh 2024")
    _add_submissions(w)
    _add_conclusions(w)


def _add_submissions(w: World) -> None:
    import datetime

    from django.utils import timezone

    from submissions import workflow
    from submissions.models import Answer, Field, Submission

    today = timezone.localdate()
    w.program.intake_opens = today - datetime.timedelta(days=10)
    w.program.intake_closes = today + datetime.timedelta(days=10)
    w.program.save()
    # Migration data may have been flushed by a transactional (browser) test: make sure it is there.
    field, _ = Field.objects.get_or_create(
        code="ha-tang-giao-thong", defaults={"name": "Hạ tầng, giao thông, xây dựng"}
    )
    organizer = w.users[Role.ORGANIZER]

    def sent(commune, leader, title):
        item = workflow.save_draft(
            Submission(
                program=w.program,
                kind="proposal",
                field=field,
                title=title,
                content=f"Nội dung: {title}.",
                commune=commune,
            ),
            by=leader,
        )
        return workflow.submit(item, by=leader)

    w.item_a = sent(w.commune_a, w.users[Role.COMMUNE_LEADER], "Nâng cấp đường liên xã Nghi Phú")
    workflow.route(w.item_a, lead_agency=w.agency_x, working_days=15, by=organizer)
    w.item_b = sent(w.commune_b, w.users["commune_leader_b"], "Hỗ trợ nhà ở cho hộ nghèo Nghi Đức")
    w.item_published = sent(w.commune_b, w.users["commune_leader_b"], "Xây trạm y tế xã Nghi Đức")
    workflow.route(w.item_published, lead_agency=w.agency_y, working_days=10, by=organizer)
    answer = workflow.save_answer_draft(
        Answer(submission=w.item_published, agency=w.agency_y, text="Sở Y tế đã bố trí vốn năm sau."),
        by=w.users["agency_officer_y"],
    )
    workflow.submit_answer(answer, by=w.users["agency_officer_y"])
    workflow.publish_answer(answer, by=organizer)
    for name in ("item_a", "item_b", "item_published"):
        getattr(w, name).refresh_from_db()


def _add_conclusions(w: World) -> None:
    import datetime

    from django.utils import timezone

    from conclusions.models import Assignment, ReportingCycle

    from .factories import AgencyFactory, add_assignment, issue_notice, make_notice

    organizer, approver = w.users[Role.ORGANIZER], w.users[Role.STANDING_COMMITTEE]
    today = timezone.localdate()
    w.notice = make_notice(w.program, by=organizer)
    w.assignment_x = add_assignment(
        w.notice,
        w.agency_x,
        by=organizer,
        coordinating=[w.agency_y],
        submissions=[w.item_a],
        text="Trả lời kiến nghị về đường liên xã",
        output=Assignment.Output.ANSWERS,
        deadline=today + datetime.timedelta(days=20),
    )
    w.assignment_y = add_assignment(
        w.notice,
        w.agency_y,
        by=organizer,
        text="Báo cáo hằng năm kết quả thực hiện",
        schedule=Assignment.Schedule.CYCLE,
        cycle=ReportingCycle.YEARLY,
        cycle_until=today.replace(year=today.year + 2),
    )
    issue_notice(w.notice, organizer=organizer, approver=approver)
    w.draft_notice = make_notice(w.program, by=organizer, summary="dự thảo kết luận bổ sung")
    add_assignment(w.draft_notice, w.agency_x, by=organizer)
    w.other_notice = make_notice(w.other_program, by=organizer, issuing_body="TỈNH ỦY HÀ TĨNH")
    other_agency = AgencyFactory(province=w.other_program.province, name="Sở Tài chính tỉnh Hà Tĩnh", code="ht-stc")
    add_assignment(w.other_notice, other_agency, by=organizer)
    issue_notice(w.other_notice, organizer=organizer, approver=approver, sequence=7)
    for name in ("notice", "assignment_x", "assignment_y", "draft_notice", "other_notice"):
        getattr(w, name).refresh_from_db()


@pytest.fixture
def login(client):
    """login(user) -> the test client signed in as that user."""

    def _login(user: User):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login
