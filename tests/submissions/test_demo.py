"""The 2023 program's 97 submissions, built through the workflow, once."""

import pytest
from django.core.management import call_command

from programs import demo as programs_demo
from programs.models import Program
from submissions.deadlines import DeadlineState, state_of, with_deadlines
from submissions.models import Submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    call_command("import_admin_units", "--province", "40", verbosity=0)
    call_command("seed_demo", verbosity=0)
    return Program.objects.get(title=programs_demo.TITLE_2023)


def test_97_items_with_every_outcome(program):
    items = program.submissions.all()
    assert items.count() == 97
    assert set(items.values_list("reference", flat=True)) >= {"ĐT2023-001", "ĐT2023-097"}
    statuses = set(items.values_list("status", flat=True))
    assert {"merged", "routed", "answered", "published"} <= statuses
    merged_target = items.get(number=1)
    assert merged_target.origin_links.count() > 1  # the duplicates' communes stay with it
    states = {state_of(item) for item in with_deadlines(items)}
    assert {DeadlineState.ANSWERED_ON_TIME, DeadlineState.ANSWERED_LATE, DeadlineState.OPEN_OVERDUE} <= states
    assert items.filter(answer_mode=Submission.AnswerMode.ON_SPOT).count() >= 15
    # Every item's commune is one of Nghệ An's 2023 communes.
    assert not items.exclude(commune__parent__parent=program.area).exists()


def test_seed_again_adds_nothing(program):
    before = Submission.objects.count()
    call_command("seed_demo", verbosity=0)
    assert Submission.objects.count() == before
