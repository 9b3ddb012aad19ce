"""Every number a dashboard shows that links to a list equals the length of that list, for each
role that sees the dashboard, and the figures themselves are right for a world whose answer is
known."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboards import agencies, overview
from dashboards.program import program_dashboard
from directory.models import Role
from submissions.deadlines import DeadlineState, current_facts, state_of, with_deadlines
from submissions.models import Submission
from tests.dashboards.helpers import add_variety, assert_numbers_match_lists, linked_numbers

pytestmark = pytest.mark.django_db
READERS = [Role.ORGANIZER, Role.STANDING_COMMITTEE, Role.SUPERVISOR, Role.ADMIN]


@pytest.fixture
def varied(world):
    world.extra = add_variety(world)
    return world


def metric(dashboard, label):
    return next(m for m in dashboard.metrics if m.label == label)


def test_program_figures(varied):
    w = varied
    dashboard = program_dashboard(w.program, w.users[Role.STANDING_COMMITTEE])
    # Counted: item A (with its merged duplicate folded in), B, published, overdue, late, on-spot.
    assert metric(dashboard, "Câu hỏi, đề xuất, kiến nghị").value == 6
    assert metric(dashboard, "Chưa trả lời – quá hạn").value == 1
    assert metric(dashboard, "Đã trả lời").value == 3  # published, late (answered), on the spot
    assert metric(dashboard, "Đại biểu dự kiến").value == 2
    assert metric(dashboard, "Có mặt (đã điểm danh)").value == 1
    assert metric(dashboard, "Nhiệm vụ được giao").value == 2
    deadline = {str(row[0]): row[1].value for row in dashboard.section("items_deadline").table.rows}
    assert deadline["Chưa trả lời – trong hạn"] == 1  # item A
    assert deadline["Chưa trả lời – quá hạn"] == 1
    assert deadline["Đã trả lời – trễ hạn"] == 1
    assert deadline["Đã trả lời – đúng hạn"] == 1  # the published one
    assert deadline["Chưa giao cơ quan trả lời"] == 2  # item B and the on-the-spot answer
    modes = {str(row[0]): row[1].value for row in dashboard.section("items_mode").table.rows}
    assert modes == {"Trả lời trực tiếp tại chương trình": 1, "Trả lời bằng văn bản": 2}
    late = {str(row[0]): (row[1].value, row[2].value) for row in dashboard.section("late_by_agency").table.rows}
    assert late == {w.agency_x.name: (0, 1)}


@pytest.mark.parametrize("role", READERS)
def test_program_numbers_equal_their_lists(client, varied, role):
    client.force_login(varied.users[role], backend="django.contrib.auth.backends.ModelBackend")
    dashboard = program_dashboard(varied.program, varied.users[role])
    assert assert_numbers_match_lists(client, dashboard) >= 20


@pytest.mark.parametrize("role", READERS)
def test_overview_scorecard_and_commune_numbers_equal_their_lists(client, varied, role):
    w = varied
    user = w.users[role]
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    checked = 0
    for dashboard in (
        overview.province_overview(user, w.province),
        agencies.scorecard(user, w.province),
        agencies.scorecard(user, w.province, w.program),
        agencies.agency_dashboard(user, w.agency_x),
        overview.commune_dashboard(user, w.commune_a)[0],
    ):
        checked += assert_numbers_match_lists(client, dashboard)
    assert checked >= 30


def test_agency_officer_numbers_equal_their_lists(client, varied):
    officer = varied.users[Role.AGENCY_OFFICER]
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    dashboard = agencies.agency_dashboard(officer, varied.agency_x)
    assert metric(dashboard, "Được giao trả lời").value == 2  # item A and the overdue one
    assert metric(dashboard, "Chưa trả lời – quá hạn").value == 1
    assert assert_numbers_match_lists(client, dashboard) >= 5


def test_commune_leader_numbers_equal_their_lists(client, varied):
    leader = varied.users[Role.COMMUNE_LEADER]
    client.force_login(leader, backend="django.contrib.auth.backends.ModelBackend")
    dashboard, items = overview.commune_dashboard(leader, varied.commune_a)
    # A's own: item A, the overdue item, the on-the-spot answer; B's duplicate merged into A counts on A.
    assert {item.pk for item in items} == {varied.item_a.pk, varied.extra["overdue"].pk, varied.extra["on_spot"].pk}
    assert assert_numbers_match_lists(client, dashboard) >= 3


def test_grid_counts_equal_their_lists(client, varied):
    w = varied
    user = w.users[Role.STANDING_COMMITTEE]
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    for metric_name in overview.METRICS:
        grid = overview.unit_grid(user, w.province, w.program, metric_name)
        tiles = {tile.pk: tile for district in grid.districts for tile in district.tiles}
        assert set(tiles) == {w.commune_a.pk, w.commune_b.pk}
        for tile in tiles.values():
            response = client.get(tile.list_url)
            assert response.context["count"] == tile.value, (metric_name, tile.name)
    unresolved = overview.unit_grid(user, w.province, w.program, "unresolved")
    values = {tile.pk: tile.value for district in unresolved.districts for tile in district.tiles}
    assert values == {w.commune_a.pk: 2, w.commune_b.pk: 2}  # A: item A, overdue; B: item B, item A via the merge


def test_facts_agree_with_the_list_annotations(varied):
    """`current_facts` (two plain queries, for dashboards) says what `with_deadlines` (per-row
    subqueries, for lists) says, item by item."""
    today = timezone.localdate()
    items = Submission.objects.filter(program=varied.program).exclude(status="draft")
    facts = current_facts(items)
    for item in with_deadlines(items):
        fact = facts.get(item.pk)
        assert (fact.state(today) if fact else None) == state_of(item), item.title
        assert (fact.lead_id if fact else None) == item.current_lead_id
    assert {f.state(today) for f in facts.values()} >= {DeadlineState.OPEN_OVERDUE, DeadlineState.ANSWERED_LATE}


def test_every_number_on_the_page_is_a_link(client, varied):
    """On the program page, every count in a table is an <a> to its list (drill-down)."""
    client.force_login(varied.users[Role.STANDING_COMMITTEE], backend="django.contrib.auth.backends.ModelBackend")
    html = client.get(reverse("dashboards:program", args=[varied.program.pk])).content.decode()
    dashboard = program_dashboard(varied.program, varied.users[Role.STANDING_COMMITTEE])
    for _where, _value, url in linked_numbers(dashboard):
        assert url.replace("&", "&amp;") in html


def test_program_compared_with_the_previous_one(client, varied):
    """The program dashboard sets this term beside the last: one row each, linked as everywhere."""
    from tests.factories import make_program

    w = varied
    before = make_program(w.province, w.party_committee, w.board, by=w.users[Role.ORGANIZER], title="Đối thoại 2018")
    w.program.previous = before
    w.program.save()
    user = w.users[Role.STANDING_COMMITTEE]
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    dashboard = program_dashboard(w.program, user)
    rows = dashboard.section("compare").table.rows
    assert [row[3].value for row in rows] == [0, 6]  # items: none in the earlier program, six now
    assert assert_numbers_match_lists(client, dashboard) >= 30


def test_items_not_classified_yet_have_their_list(client, varied):
    """ "Chưa xác định" (no field, no topic group) is a number like the others, with its list."""
    from submissions import workflow

    w = varied
    leader = w.users[Role.COMMUNE_LEADER]
    item = workflow.save_draft(
        Submission(program=w.program, kind="question", title="Chưa rõ lĩnh vực", content="…", commune=w.commune_a),
        by=leader,
    )
    workflow.submit(item, by=leader)
    user = w.users[Role.STANDING_COMMITTEE]
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    dashboard = program_dashboard(w.program, user)
    unclassified = {str(row[0]): row[1] for row in dashboard.section("items_field").table.rows}["Chưa xác định"]
    assert unclassified.value == 1 and "missing=field" in unclassified.url
    assert assert_numbers_match_lists(client, dashboard) >= 20
