"""The reminder sweep and the weekly digests: two sweeps at once in real PostgreSQL
transactions send each reminder once, finished work reminds nobody, the agency digest lists
what the agency owes once a week, the late digest reaches organizers at once and the Standing
Committee only after the escalation delay, and the number of queries does not grow with the
number of obligations."""

from __future__ import annotations

import datetime
import threading
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from directory.models import Agency, Role, User
from notifications import obligations, outbox, sweep
from notifications.models import Notification, OutgoingEmail, Reminder, SweepRun
from notifications.obligations import Obligation
from programs.models import RoadmapTask
from tests.factories import AgencyFactory, ProvinceFactory, UserFactory, make_program

D = datetime.date
MONDAY = D(2026, 11, 23)


@dataclass
class Place:
    province: object
    standing: Agency
    x: Agency
    y: Agency
    organizer: User
    standing_committee: User
    officer_x: User
    officer_y: User
    other_organizer: User


@pytest.fixture
def place(db) -> Place:
    """A province with its standing agency (an organizer and a Standing Committee member), two
    agencies with an officer each, and an organizer of another province."""
    province = ProvinceFactory(name="Nghệ An", code="40")
    standing = AgencyFactory(province=province, code="na-bdv", name="Ban Dân vận Tỉnh ủy", kind="party_board")
    x = AgencyFactory(province=province, code="na-gtvt", name="Sở Giao thông vận tải", email="gtvt@nghean.gov.vn")
    y = AgencyFactory(province=province, code="na-yte", name="Sở Y tế", email="yte@nghean.gov.vn")
    other = AgencyFactory(province=ProvinceFactory(name="Hà Tĩnh", code="42"), code="ht-bdv", kind="party_board")
    return Place(
        province=province,
        standing=standing,
        x=x,
        y=y,
        organizer=UserFactory(username="tochuc", role=Role.ORGANIZER, agency=standing),
        standing_committee=UserFactory(username="thuongtruc", role=Role.STANDING_COMMITTEE, agency=standing),
        officer_x=UserFactory(username="canbo_x", role=Role.AGENCY_OFFICER, agency=x),
        officer_y=UserFactory(username="canbo_y", role=Role.AGENCY_OFFICER, agency=y),
        other_organizer=UserFactory(username="tochuc_ht", role=Role.ORGANIZER, agency=other),
    )


@pytest.fixture
def source():
    """A registered source whose obligations the test sets (the apps' own sources stay, and
    find nothing in this data)."""
    items: list[Obligation] = []

    def fetch(until):
        return [o for o in items if until is None or o.deadline <= until]

    obligations.register("test", fetch)
    yield items
    obligations.SOURCES.pop("test", None)


@pytest.fixture
def published(monkeypatch):
    """The e-mail ids handed to the broker after commit (nothing reaches a real broker)."""
    ids: list[int] = []
    monkeypatch.setattr(outbox, "publish", lambda batch, countdown=None: ids.extend(batch) or True)
    return ids


def owed(place: Place, key: str, deadline: D, agency: Agency | None = None, title: str = "") -> Obligation:
    agency = agency or place.x
    return Obligation(
        key=key,
        what="Nhiệm vụ theo Thông báo 1029-TB/TU",
        title=title or f"Việc {key}",
        deadline=deadline,
        url=f"/viec/{key}/",
        responsible=agency.name,
        agencies=(agency.pk,),
        escalate_to=(place.standing.pk,),
        province_id=place.province.pk,
    )


# --- the daily sweep ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_reminder_once(place, source, published):
    today = timezone.localdate()
    for n in range(20):
        source.append(owed(place, f"test:{n}", today + datetime.timedelta(days=n % 4), place.x if n % 2 else place.y))
    barrier = threading.Barrier(2)
    runs: list[SweepRun] = []
    errors: list[BaseException] = []

    def run(name):
        try:
            barrier.wait()
            runs.append(sweep.run(trigger=name))
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(f"thread-{n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors and len(runs) == 2
    # 20 obligations × (the agency's officer + its address) = 40 reminders, and once each.
    assert sum(r.reminders for r in runs) == 40
    assert Reminder.objects.count() == 40
    assert Notification.objects.count() == 20 and OutgoingEmail.objects.count() == 40
    assert sorted(published) == sorted(OutgoingEmail.objects.values_list("pk", flat=True))
    assert sweep.run().reminders == 0 and Notification.objects.count() == 20


@pytest.mark.django_db
def test_finished_work_reminds_nobody(place, published):
    today = timezone.localdate()
    program = make_program(place.province, place.standing, place.standing)
    due = today + datetime.timedelta(days=3)

    def task(title, **fields):
        return RoadmapTask.objects.create(
            program=program,
            title=title,
            category="logistics",
            assignee_agency=place.x,
            start_date=due - datetime.timedelta(days=10),
            due_date=due,
            **fields,
        )

    open_task = task("Thuê âm thanh, ánh sáng")
    done = task("In giấy mời đại biểu", status=RoadmapTask.Status.DONE, completed_on=today)
    late_done = task("Chạy thử màn hình LED", status=RoadmapTask.Status.DONE, completed_on=today)
    RoadmapTask.objects.filter(pk=late_done.pk).update(start_date=today - datetime.timedelta(days=40), due_date=today)

    first = sweep.run()
    assert set(Reminder.objects.values_list("obligation", flat=True)) == {f"programs.task:{open_task.pk}"}
    assert first.reminders == 2 and first.obligations == 1

    # Done before the next milestone: the next sweep says nothing more about it.
    RoadmapTask.objects.filter(pk=open_task.pk).update(status=RoadmapTask.Status.DONE, completed_on=today)
    later = sweep.run(today=today + datetime.timedelta(days=2))
    assert later.reminders == 0 and later.obligations == 0
    assert not Notification.objects.filter(title__contains=done.title).exists()
    assert Notification.objects.count() == 1


@pytest.mark.django_db
def test_each_milestone_reminds_once_as_the_days_pass(place, source, published):
    deadline = D(2026, 12, 10)
    source.append(owed(place, "test:milestones", deadline))
    sent = {}
    for offset in range(-8, 17):  # from 8 days before to 16 days after
        day = deadline + datetime.timedelta(days=offset)
        sent[offset] = sweep.run(today=day).reminders
        assert sweep.run(today=day).reminders == 0  # the same day again: nothing
    reminded = sorted(offset for offset, count in sent.items() if count)
    # 7, 3 and 1 days before, the day itself, then every 7 days overdue (with the escalation).
    assert reminded == [-7, -3, -1, 0, 1, 8, 15]
    assert set(Reminder.objects.values_list("milestone", flat=True)) == {
        "before-7",
        "before-3",
        "before-1",
        "due",
        "overdue-0",
        "overdue-1",
        "overdue-2",
        "escalate-overdue-0",
        "escalate-overdue-1",
        "escalate-overdue-2",
    }


def sweep_queries(count: int, place: Place, start: int) -> int:
    """Queries of one sweep that finds `count` new obligations, spread over two agencies."""
    program = RoadmapTask.objects.first().program
    today = timezone.localdate()
    RoadmapTask.objects.bulk_create(
        [
            RoadmapTask(
                program=program,
                title=f"Nhiệm vụ số {start + n}",
                category="logistics",
                assignee_agency=place.x if n % 2 else place.y,
                start_date=today - datetime.timedelta(days=30),
                due_date=today + datetime.timedelta(days=n % 8 - 2),  # 2 days late to 5 days ahead
            )
            for n in range(count)
        ]
    )
    before = Reminder.objects.count()
    with CaptureQueriesContext(connection) as queries:
        run = sweep.run()
    assert run.reminders == Reminder.objects.count() - before > count  # officer + address (+ escalation)
    return len(queries)


@pytest.mark.django_db
def test_the_sweep_costs_the_same_queries_for_10_and_200_obligations(place, published):
    program = make_program(place.province, place.standing, place.standing)
    RoadmapTask.objects.create(
        program=program,
        title="Đã xong",
        category="other",
        assignee_agency=place.x,
        start_date=D(2023, 6, 1),
        due_date=D(2023, 7, 1),
        status=RoadmapTask.Status.DONE,
        completed_on=D(2023, 7, 1),
    )
    sweep.run()  # warm-up
    few = sweep_queries(10, place, 0)
    many = sweep_queries(200, place, 10)
    assert few == many, f"{few} queries for 10 obligations, {many} for 200 more"


# --- weekly digests --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_agency_digest_lists_what_it_owes_once_a_week(place, source, published):
    source.extend(
        [
            owed(place, "test:late", MONDAY - datetime.timedelta(days=5), title="Báo cáo sơ kết 6 tháng"),
            owed(place, "test:soon", MONDAY + datetime.timedelta(days=4), title="Phương án phân luồng giao thông"),
            owed(place, "test:far", MONDAY + datetime.timedelta(days=60), title="Tổng kết năm"),
            owed(place, "test:y", MONDAY + datetime.timedelta(days=2), agency=place.y, title="Phương án y tế"),
        ]
    )
    run = sweep.send_digests(today=MONDAY)
    assert run.kind == SweepRun.Kind.AGENCY_DIGEST and run.obligations == 4

    mine = Notification.objects.get(recipient=place.officer_x, kind="digest.agency")
    assert mine.title == "[Tổng hợp tuần] Sở Giao thông vận tải: 3 việc cần thực hiện"
    body = mine.body
    # Earliest first, each with its deadline and link; the late one says by how much.
    assert body.index("Báo cáo sơ kết") < body.index("Phương án phân luồng") < body.index("Tổng kết năm")
    assert "hạn 18/11/2026 (quá hạn 5 ngày)" in body and "hạn 27/11/2026\n" in body
    assert "/viec/test:soon/" in body and "Phương án y tế" not in body
    assert OutgoingEmail.objects.filter(kind="digest.agency", to="gtvt@nghean.gov.vn").count() == 1
    assert Notification.objects.filter(recipient=place.officer_y, kind="digest.agency").count() == 1

    # Again in the same week (a duplicate beat tick): nothing; next Monday: again.
    assert sweep.send_digests(today=MONDAY + datetime.timedelta(days=3)).reminders == 0
    assert Notification.objects.filter(kind="digest.agency").count() == 2
    assert sweep.send_digests(today=MONDAY + datetime.timedelta(days=7)).reminders > 0
    assert Notification.objects.filter(recipient=place.officer_x, kind="digest.agency").count() == 2


@pytest.mark.django_db
def test_the_late_digest_reaches_the_standing_committee_after_the_delay(place, source, published, settings):
    settings.REMINDER_ESCALATE_AFTER_DAYS = 14
    source.extend(
        [
            owed(place, "test:3", MONDAY - datetime.timedelta(days=3), title="Chậm 3 ngày"),
            owed(place, "test:14", MONDAY - datetime.timedelta(days=14), agency=place.y, title="Chậm đúng 14 ngày"),
            owed(place, "test:20", MONDAY - datetime.timedelta(days=20), agency=place.y, title="Chậm 20 ngày"),
            owed(place, "test:ok", MONDAY + datetime.timedelta(days=1), title="Chưa đến hạn"),
        ]
    )
    sweep.send_digests(today=MONDAY)
    late = Notification.objects.filter(kind="digest.late")

    organizer = late.get(recipient=place.organizer)
    assert organizer.title == "[Tổng hợp tuần] 3 việc quá hạn"
    body = organizer.body
    assert "Chậm 3 ngày" in body and "Chậm đúng 14 ngày" in body and "Chậm 20 ngày" in body
    assert "Chưa đến hạn" not in body
    # Grouped by the responsible agency.
    assert "Sở Giao thông vận tải: 1 việc" in body and "Sở Y tế: 2 việc" in body
    assert "quá 20 ngày" in body

    standing = late.get(recipient=place.standing_committee)
    assert standing.title == "[Tổng hợp tuần] 1 việc quá hạn"  # only what is late longer than 14 days
    assert "Chậm 20 ngày" in standing.body and "Chậm đúng 14 ngày" not in standing.body
    assert not late.filter(recipient=place.other_organizer).exists()  # another province
    assert late.count() == 2

    assert sweep.send_digests(today=MONDAY + datetime.timedelta(days=1)).reminders == 0
    assert late.count() == 2


@pytest.mark.django_db
def test_nothing_late_means_no_late_digest(place, source, published):
    source.append(owed(place, "test:ok", MONDAY + datetime.timedelta(days=3)))
    sweep.send_digests(today=MONDAY)
    assert not Notification.objects.filter(kind="digest.late").exists()
    assert Notification.objects.filter(kind="digest.agency").count() == 1
