"""The 2023 program's 97 submissions and the 2018 program's 60, built through the workflow, once."""

import pytest
from django.core.management import call_command

from directory.models import AdminUnit
from programs import demo as programs_demo
from programs.models import Program
from submissions.deadlines import DeadlineState, state_of, with_deadlines
from submissions.models import Answer, Routing, Submission, SubmissionOrigin

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


def test_2018_items_answered_in_2018_on_themes_that_recur(program):
    earlier = program.previous
    assert earlier.title == programs_demo.TITLE_2018
    items = earlier.submissions.all()
    assert items.count() == 60
    assert set(items.values_list("reference", flat=True)) >= {"ĐT2018-001", "ĐT2018-060"}
    live = items.exclude(status="merged")
    resolved = live.filter(status__in=["answered", "published", "closed"]).count()
    assert 0.8 <= resolved / live.count() <= 0.9
    assert live.filter(answer_mode=Submission.AnswerMode.ON_SPOT, status="published").count() >= 5
    states = {state_of(item) for item in with_deadlines(items)}
    assert {DeadlineState.ANSWERED_ON_TIME, DeadlineState.ANSWERED_LATE, DeadlineState.OPEN_OVERDUE} <= states
    # Sent before the program, answered and published weeks after it, all in 2018.
    assert {d.year for d in items.values_list("submitted_at", flat=True)} == {2018}
    assert max(items.values_list("submitted_at", flat=True)).date() < earlier.start_date
    answers = Answer.objects.filter(submission__program=earlier)
    assert {d.year for d in answers.values_list("submitted_at", flat=True)} == {2018}
    assert {d.year for d in answers.values_list("published_at", flat=True)} == {2018}
    assert {d.year for d in Routing.objects.filter(submission__program=earlier).values_list("deadline", flat=True)} == {
        2018
    }
    # The communes as they were in 2018; several of them raised items in 2023 too, on fields that recur.
    valid = AdminUnit.objects.communes().valid_on(earlier.start_date).filter(parent__parent=earlier.area)
    assert not items.exclude(commune__in=valid).exists()
    communes = set(SubmissionOrigin.objects.filter(submission__program=earlier).values_list("commune", flat=True))
    later = set(SubmissionOrigin.objects.filter(submission__program=program).values_list("commune", flat=True))
    assert 5 <= len(communes & later) < len(communes) / 2
    fields = set(items.values_list("field__code", flat=True))
    assert {"ha-tang-giao-thong", "dat-dai-moi-truong", "chinh-sach-can-bo", "van-hoa-giao-duc-y-te"} <= fields
    assert fields <= set(program.submissions.values_list("field__code", flat=True))


def test_seed_again_adds_nothing(program):
    before = Submission.objects.count()
    call_command("seed_demo", verbosity=0)
    assert Submission.objects.count() == before
