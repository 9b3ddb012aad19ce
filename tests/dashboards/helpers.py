"""Data and checks shared by the dashboard tests."""

from __future__ import annotations

import datetime
from urllib.parse import parse_qsl, urlsplit

from django.urls import resolve
from django.utils import timezone

from dashboards.sections import Dashboard
from directory.models import Role


def add_variety(w) -> dict:
    """Around the world's three items: an item overdue at agency X, one answered late by Y, one
    answered on the spot, a duplicate merged into item A, an item of commune A routed to Y and
    withdrawn later (not counted), and a check-in. Returns the new items by name."""
    from programs import delegates as delegate_workflow
    from programs.models import Delegate
    from submissions import workflow
    from submissions.deadlines import refresh_facts
    from submissions.models import Answer, Field, Routing, Submission

    organizer = w.users[Role.ORGANIZER]
    leader_a, leader_b = w.users[Role.COMMUNE_LEADER], w.users["commune_leader_b"]
    today = timezone.localdate()
    field = Field.objects.order_by("order").first()

    def sent(commune, leader, title, kind="recommendation"):
        item = workflow.save_draft(
            Submission(program=w.program, kind=kind, field=field, title=title, content=title, commune=commune),
            by=leader,
        )
        return workflow.submit(item, by=leader)

    def routed(item, agency, days_ago):
        # Routed with today's deadline, then moved back as if that many days had passed.
        routing = workflow.route(item, lead_agency=agency, deadline=today, by=organizer)
        Routing.objects.filter(pk=routing.pk).update(deadline=today - datetime.timedelta(days=days_ago))
        refresh_facts(Submission.objects.filter(pk=item.pk))  # written around the workflow, as the demo does

    overdue = sent(w.commune_a, leader_a, "Cấp nước sạch cho xóm 3")
    routed(overdue, w.agency_x, 5)
    late = sent(w.commune_b, leader_b, "Sửa trạm bơm Nghi Đức", kind="question")
    routed(late, w.agency_y, 3)
    answer = workflow.save_answer_draft(
        Answer(submission=late, agency=w.agency_y, text="Đã bố trí kinh phí."), by=w.users["agency_officer_y"]
    )
    workflow.submit_answer(answer, by=w.users["agency_officer_y"])
    on_spot = sent(w.commune_a, leader_a, "Chế độ cho cán bộ không chuyên trách", kind="question")
    workflow.record_on_spot_answer(
        on_spot, by=organizer, text="Đã giải đáp tại hội nghị.", answered_by="Bí thư Tỉnh ủy"
    )
    duplicate = sent(w.commune_b, leader_b, "Nâng cấp đường liên xã (trùng)")
    workflow.merge([duplicate], into=w.item_a, by=organizer)
    withdrawn = sent(w.commune_a, leader_a, "Nội dung rút lại")
    workflow.withdraw(withdrawn, by=leader_a)
    delegate = Delegate.objects.create(program=w.program, full_name="Nguyễn Văn An", commune=w.commune_a)
    delegate_workflow.check_in(delegate, by=organizer)
    Delegate.objects.create(program=w.program, full_name="Trần Thị Bình", commune=w.commune_b, status="confirmed")
    return {"overdue": overdue, "late": late, "on_spot": on_spot, "duplicate": duplicate, "withdrawn": withdrawn}


def list_count(client, url: str) -> int:
    """How many rows the list at `url` has: the drill-down lists and the delegate list."""
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    if "count" in response.context:
        return response.context["count"]
    return response.context["page"].paginator.count


LISTS = {"dashboards:submissions", "dashboards:assignments", "programs:delegates"}


def linked_numbers(dashboard: Dashboard) -> list[tuple[str, int, str]]:
    """(where, number, url) of every number on the dashboard that links to a list."""
    found = []
    for metric in dashboard.metrics:
        if metric.url and isinstance(metric.value, int):
            found.append((f"metric {metric.label}", metric.value, metric.url))
    for section in dashboard.sections:
        rows = [*section.table.rows, *([section.table.footer] if section.table.footer else [])]
        for row in rows:
            for index, cell in enumerate(row):
                if cell.url and isinstance(cell.value, int) and not isinstance(cell.value, bool):
                    label = f"{section.key} / {row[0]} / {section.table.columns[index].label}"
                    found.append((label, cell.value, cell.url))
    return [(where, value, url) for where, value, url in found if resolve(urlsplit(url).path).view_name in LISTS]


def assert_numbers_match_lists(client, dashboard: Dashboard) -> int:
    """Every linked number equals the length of its list; returns how many were checked."""
    wrong = []
    checked = linked_numbers(dashboard)
    for where, value, url in checked:
        count = list_count(client, url)
        if count != value:
            wrong.append(f"{where}: {value} on the dashboard, {count} in {url}")
    assert not wrong, "\n".join(wrong)
    return len(checked)


def query_of(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))
