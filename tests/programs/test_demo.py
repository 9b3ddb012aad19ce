"""The demo's 2023 program and its 2018 predecessor, built through the workflow, once."""

import datetime

import pytest
from django.core.management import call_command

from directory.models import ActionLog
from programs import demo
from programs.models import AgendaSession, Forum, PlanVersion, Program, RoadmapTask

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("import_admin_units", "--province", "40", verbosity=0)
    call_command("seed_demo", verbosity=0)


def counts():
    return (
        Program.objects.count(),
        RoadmapTask.objects.count(),
        PlanVersion.objects.count(),
        Forum.objects.count(),
        AgendaSession.objects.count(),
        ActionLog.objects.count(),
        RoadmapTask.history.count(),
    )


def test_2023_program_as_the_press_described_it(seeded):
    program = Program.objects.get(title=demo.TITLE_2023)
    assert (program.start_date, program.end_date) == (datetime.date(2023, 8, 3), datetime.date(2023, 8, 4))
    assert program.theme == "Đoàn kết - Dân chủ - Sáng tạo - Phát triển"
    assert program.edition == 2 and program.previous.title == demo.TITLE_2018
    assert program.standing_agency.name == "Ban Dân vận Tỉnh ủy Nghệ An"
    assert program.area.valid_to == datetime.date(2025, 7, 1)  # the units as they were in 2023
    assert program.status == Program.Status.FOLLOWING_UP
    versions = dict(program.plan.versions.values_list("number", "status"))
    assert versions == {1: PlanVersion.Status.SUPERSEDED, 2: PlanVersion.Status.APPROVED}
    assert program.forums.count() == 3
    assert all(f.chair.program_id == program.pk for f in program.forums.select_related("chair"))
    assert program.topic_groups.count() == 3
    assert program.tasks.overdue().exists() and program.tasks.filter(status="done").count() >= 10
    assert program.committee.get(role="head").position == "Phó Bí thư Tỉnh ủy"


def test_seed_twice_changes_nothing(seeded):
    before = counts()
    call_command("seed_demo", verbosity=0)
    assert counts() == before


def test_todays_organizers_see_the_programs_of_2023_units(seeded):
    """The 2023 program ran on the pre-2025 province; today's organizers, whose agency belongs
    to the province as it is now, still see it."""
    from directory.models import User
    from programs.rules import programs_for

    organizer = User.objects.get(username="btc.danvan")
    leader = User.objects.get(username="phuong.truongvinh")
    titles = set(programs_for(organizer).values_list("title", flat=True))
    assert {demo.TITLE_2018, demo.TITLE_2023} <= titles
    assert demo.TITLE_2023 in set(programs_for(leader).values_list("title", flat=True))
