"""The notifications pages: the bell and the inbox of every user, opening one (marked read,
never sent to another site), the e-mail choices, the staff's outbox with its resend, the
health page and its JSON, the manual reminder sweep (with the broker down too), the admin,
and screenshots in headless Chromium."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from directory.models import ActionLog, Role
from notifications import kinds
from notifications.models import EmailPreference, Heartbeat, Notification, OutgoingEmail, SweepRun
from tests.factories import AgencyFactory, CommuneFactory, DistrictFactory, ProvinceFactory, UserFactory
from tests.helpers import assert_constant_queries

pytestmark = pytest.mark.django_db
E = OutgoingEmail.Status
BACKEND = "django.contrib.auth.backends.ModelBackend"


@dataclass
class People:
    users: dict
    agency: object
    other_agency: object  # of another province


@pytest.fixture
def people(db) -> People:
    """One province with a user per role, and an agency of another province (lighter than `world`)."""
    province = ProvinceFactory(name="Nghệ An", code="40")
    commune = CommuneFactory(parent=DistrictFactory(parent=province, name="Nghi Lộc"), name="Nghi Phú")
    board = AgencyFactory(province=province, name="Ban Dân vận Tỉnh ủy Nghệ An", code="na-bdv", kind="party_board")
    agency = AgencyFactory(province=province, name="Sở Giao thông vận tải tỉnh Nghệ An", code="na-gtvt")
    other = AgencyFactory(province=ProvinceFactory(name="Hà Tĩnh", code="42"), name="Sở Y tế Hà Tĩnh", code="ht-yt")
    users = {
        Role.ADMIN: UserFactory(username="admin", role=Role.ADMIN, agency=board, is_staff=True, is_superuser=True),
        Role.ORGANIZER: UserFactory(username="organizer", role=Role.ORGANIZER, agency=board, full_name="Trần Thị Tổ"),
        Role.STANDING_COMMITTEE: UserFactory(username="standing", role=Role.STANDING_COMMITTEE, agency=board),
        Role.SUPERVISOR: UserFactory(username="supervisor", role=Role.SUPERVISOR, agency=board),
        Role.AGENCY_OFFICER: UserFactory(
            username="officer_x", role=Role.AGENCY_OFFICER, agency=agency, full_name="Lê Văn Đường"
        ),
        Role.COMMUNE_LEADER: UserFactory(username="leader_a", commune_leader=True, commune=commune),
        "other_officer": UserFactory(username="officer_ht", role=Role.AGENCY_OFFICER, agency=other),
    }
    return People(users, agency, other)


@pytest.fixture
def as_user(client):
    def _login(user):
        client.force_login(user, backend=BACKEND)
        return client

    return _login


def note(user, title="Nhắc hạn: Báo cáo kết quả", *, url="/", read=False, minutes_ago=0):
    at = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    return Notification.objects.create(
        recipient=user,
        kind="reminder",
        title=title,
        body="Kính gửi anh,\n\nNội dung nhắc hạn.",
        url=url,
        created_at=at,
        read_at=at if read else None,
    )


def email(to_user=None, *, agency=None, status=E.QUEUED, kind="reminder", subject="[Nhắc hạn] Báo cáo", **fields):
    address = to_user.email if to_user else agency.email
    return OutgoingEmail.objects.create(
        to=address,
        recipient=to_user,
        agency=agency,
        kind=kind,
        subject=subject,
        body="Kính gửi,\n\nNội dung thư có dấu: Nghệ An.",
        status=status,
        **fields,
    )


# --- each page, each role -----------------------------------------------------------------------

STAFF_ONLY = {Role.ADMIN: 200, Role.ORGANIZER: 200}
PAGES = {
    "notifications:inbox": {},
    "notifications:preferences": {},
    "notifications:outbox": STAFF_ONLY,
    "notifications:health": STAFF_ONLY,
    "notifications:health_json": STAFF_ONLY,
}


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("name", list(PAGES))
def test_each_page_each_role(people, as_user, role, name, monkeypatch):
    monkeypatch.setattr("notifications.views.health.check_broker", lambda: _fake_check("broker"))
    expected = PAGES[name].get(role, 200 if not PAGES[name] else 403)
    response = as_user(people.users[role]).get(reverse(name))
    assert response.status_code == expected


def test_anonymous_is_sent_to_login(client, people):
    for name in PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def _fake_check(key):
    from notifications.views.health import OK, Check

    return Check(key, "Hàng đợi tác vụ (broker)", OK, "Kết nối được (giả lập)")


# --- the bell and the inbox ----------------------------------------------------------------------


def test_bell_shows_the_unread_count_in_one_query(people, as_user):
    officer = people.users[Role.AGENCY_OFFICER]
    note(officer)
    note(officer)
    note(officer, read=True)
    note(people.users[Role.ORGANIZER])  # someone else's
    page = as_user(officer).get(reverse("home")).content.decode()
    assert 'class="app-bell-count" aria-hidden="true">2<' in page
    assert "Thông báo: 2 chưa đọc" in page
    with CaptureQueriesContext(connection) as ctx:
        as_user(officer).get(reverse("home"))
    counts = [q["sql"] for q in ctx.captured_queries if "notifications_notification" in q["sql"]]
    assert len(counts) == 1 and "COUNT(" in counts[0] and '"read_at" IS NULL' in counts[0]


def test_bell_without_unread_has_no_badge(people, as_user):
    page = as_user(people.users[Role.COMMUNE_LEADER]).get(reverse("home")).content.decode()
    assert "app-bell" in page and "app-bell-count" not in page
    assert "Thông báo: không có thông báo chưa đọc" in page


def test_inbox_lists_own_notifications_newest_first_unread_marked(people, as_user):
    officer = people.users[Role.AGENCY_OFFICER]
    note(officer, "Thông báo cũ đã đọc", read=True, minutes_ago=60)
    note(officer, "Thông báo mới chưa đọc", minutes_ago=1)
    note(people.users[Role.ORGANIZER], "Của người khác")
    page = as_user(officer).get(reverse("notifications:inbox")).content.decode()
    assert page.index("Thông báo mới chưa đọc") < page.index("Thông báo cũ đã đọc")
    assert "Của người khác" not in page
    assert page.count("notification-item is-unread") == 1 and "Chưa đọc" in page
    unread_only = as_user(officer).get(reverse("notifications:inbox"), {"state": "unread"}).content.decode()
    assert "Thông báo mới chưa đọc" in unread_only and "Thông báo cũ đã đọc" not in unread_only


def test_inbox_is_paginated(people, as_user):
    officer = people.users[Role.AGENCY_OFFICER]
    for n in range(35):
        note(officer, f"Thông báo số {n:02d}", minutes_ago=n)
    first = as_user(officer).get(reverse("notifications:inbox")).content.decode()
    second = as_user(officer).get(reverse("notifications:inbox"), {"page": 2}).content.decode()
    assert "Thông báo số 00" in first and "Thông báo số 34" not in first
    assert "Thông báo số 34" in second and "Trang 2/2" in second


def test_inbox_queries_do_not_grow_with_rows(people, as_user):
    officer = people.users[Role.AGENCY_OFFICER]
    client = as_user(officer)
    assert_constant_queries(
        client,
        reverse("notifications:inbox"),
        lambda n: Notification.objects.bulk_create(
            Notification(recipient=officer, kind="reminder", title=f"Việc {i}", url="/") for i in range(n)
        ),
        many=30,
    )


def test_another_users_notification_is_404(people, as_user):
    theirs = note(people.users[Role.ORGANIZER])
    response = as_user(people.users[Role.AGENCY_OFFICER]).get(reverse("notifications:open", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_open_marks_read_and_goes_to_its_page(people, as_user):
    mine = note(people.users[Role.AGENCY_OFFICER], url="/chuong-trinh/1/")
    response = as_user(people.users[Role.AGENCY_OFFICER]).get(reverse("notifications:open", args=[mine.pk]))
    assert response.status_code == 302 and response["Location"] == "/chuong-trinh/1/"
    mine.refresh_from_db()
    assert mine.read_at is not None


@pytest.mark.parametrize(
    "url", ["https://evil.example/phishing", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", ""]
)
def test_open_refuses_anything_but_a_local_path(people, as_user, url):
    mine = note(people.users[Role.AGENCY_OFFICER], url=url)
    response = as_user(people.users[Role.AGENCY_OFFICER]).get(reverse("notifications:open", args=[mine.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('notifications:inbox')}#thong-bao-{mine.pk}"
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_mark_all_read_only_touches_own(people, as_user):
    officer, organizer = people.users[Role.AGENCY_OFFICER], people.users[Role.ORGANIZER]
    note(officer)
    note(officer)
    theirs = note(organizer)
    client = as_user(officer)
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405
    response = client.post(reverse("notifications:mark_all_read"), follow=True)
    assert "Đã đánh dấu 2 thông báo là đã đọc." in response.content.decode()
    assert not Notification.objects.filter(recipient=officer, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


# --- e-mail choices ------------------------------------------------------------------------------


def test_preferences_show_defaults_and_are_saved(people, as_user):
    officer = people.users[Role.AGENCY_OFFICER]
    client = as_user(officer)
    page = client.get(reverse("notifications:preferences")).content.decode()
    for _code, label in kinds.choices():
        assert str(label) in page
    assert page.count("checked") == sum(1 for kind in kinds.KINDS.values() if kind.email_by_default)
    # Keep only the reminders by e-mail.
    response = client.post(reverse("notifications:preferences"), {"reminder": "on"})
    assert response.status_code == 302
    saved = dict(EmailPreference.objects.filter(user=officer).values_list("kind", "by_email"))
    assert saved == {code: code == "reminder" for code in kinds.KINDS}
    # Saving again updates the same rows.
    client.post(reverse("notifications:preferences"), {"digest.agency": "on"})
    saved = dict(EmailPreference.objects.filter(user=officer).values_list("kind", "by_email"))
    assert saved["reminder"] is False and saved["digest.agency"] is True
    assert EmailPreference.objects.filter(user=officer).count() == len(kinds.KINDS)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert page.count("checked") == 1


def test_preferences_warn_without_an_address(people, as_user):
    leader = people.users[Role.COMMUNE_LEADER]
    leader.email = ""
    leader.save()
    page = as_user(leader).get(reverse("notifications:preferences")).content.decode()
    assert "chưa có địa chỉ thư điện tử" in page


# --- the outbox ----------------------------------------------------------------------------------


def test_outbox_counts_filters_and_scope(people, as_user):
    officer, far = people.users[Role.AGENCY_OFFICER], people.users["other_officer"]
    email(officer, status=E.FAILED, subject="Thư lỗi của Sở GTVT", attempts=6, last_error="SMTPRecipientsRefused")
    email(officer, status=E.SENT, subject="Thư đã gửi", sent_at=timezone.now())
    email(agency=people.agency, kind="digest.agency", subject="Tổng hợp tuần Sở GTVT")
    email(far, status=E.FAILED, subject="Thư của Hà Tĩnh")
    email(agency=people.other_agency, subject="Thư cơ quan Hà Tĩnh")

    admin_page = as_user(people.users[Role.ADMIN]).get(reverse("notifications:outbox")).content.decode()
    assert "Thư của Hà Tĩnh" in admin_page and "Thư cơ quan Hà Tĩnh" in admin_page

    client = as_user(people.users[Role.ORGANIZER])
    page = client.get(reverse("notifications:outbox")).content.decode()
    assert "Thư lỗi của Sở GTVT" in page and "Tổng hợp tuần Sở GTVT" in page
    assert "Hà Tĩnh" not in page  # another province's people and agencies
    assert "SMTPRecipientsRefused" in page and "Gửi lại" in page
    counts = {row["status"]: row["count"] for row in client.get(reverse("notifications:outbox")).context["counts"]}
    assert counts == {E.QUEUED: 1, E.SENDING: 0, E.SENT: 1, E.FAILED: 1}

    failed = client.get(reverse("notifications:outbox"), {"status": "failed"}).content.decode()
    assert "Thư lỗi của Sở GTVT" in failed and "Thư đã gửi" not in failed
    digests = client.get(reverse("notifications:outbox"), {"kind": "digest.agency"}).content.decode()
    assert "Tổng hợp tuần Sở GTVT" in digests and "Thư lỗi của Sở GTVT" not in digests
    found = client.get(reverse("notifications:outbox"), {"q": "đã gửi"}).content.decode()
    assert "Thư đã gửi" in found and "Thư lỗi" not in found


def test_outbox_dates_are_vietnamese_local_time(people, as_user):
    at = datetime.datetime(2026, 3, 5, 1, 30, tzinfo=datetime.UTC)  # 08:30 in Hà Nội
    email(people.users[Role.AGENCY_OFFICER], status=E.SENT, created_at=at, sent_at=at)
    page = as_user(people.users[Role.ADMIN]).get(reverse("notifications:outbox")).content.decode()
    assert "05/03/2026 08:30" in page


def test_outbox_queries_do_not_grow_with_rows(people, as_user):
    def add(n):
        for i in range(n):
            person = UserFactory(agency=people.agency, role=Role.AGENCY_OFFICER)
            email(person, status=E.FAILED if i % 2 else E.SENT, last_error="Lỗi")
            email(agency=people.agency)

    assert_constant_queries(as_user(people.users[Role.ORGANIZER]), reverse("notifications:outbox"), add, many=20)


def test_outbox_detail_shows_the_body_and_another_province_is_404(people, as_user):
    mine = email(people.users[Role.AGENCY_OFFICER], status=E.FAILED, last_error="SMTPServerDisconnected")
    far = email(agency=people.other_agency)
    client = as_user(people.users[Role.ORGANIZER])
    page = client.get(reverse("notifications:outbox_detail", args=[mine.pk])).content.decode()
    assert "Nội dung thư có dấu: Nghệ An." in page and "SMTPServerDisconnected" in page and "Gửi lại" in page
    assert client.get(reverse("notifications:outbox_detail", args=[far.pk])).status_code == 404
    assert client.post(reverse("notifications:outbox_resend", args=[far.pk])).status_code == 404


def test_resend_puts_a_failed_email_back_in_the_queue_and_logs_it(people, as_user, django_capture_on_commit_callbacks):
    failed = email(people.users[Role.AGENCY_OFFICER], status=E.FAILED, attempts=6, last_error="550 no such user")
    client = as_user(people.users[Role.ORGANIZER])
    published = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("notifications.outbox.publish", lambda ids, **kw: published.append(ids) or True)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("notifications:outbox_resend", args=[failed.pk]), follow=True)
    assert "Đã đưa thư gửi" in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == E.QUEUED and failed.attempts == 0
    assert published == [[failed.pk]]
    log = ActionLog.objects.get(verb="outbox.resend")
    assert log.actor == people.users[Role.ORGANIZER] and log.target_id == str(failed.pk)
    # The detail page shows who resent it.
    page = client.get(reverse("notifications:outbox_detail", args=[failed.pk])).content.decode()
    assert "Gửi lại thư điện tử" in page


def test_resend_leaves_other_statuses_alone(people, as_user):
    sent = email(people.users[Role.AGENCY_OFFICER], status=E.SENT)
    response = as_user(people.users[Role.ADMIN]).post(
        reverse("notifications:outbox_resend", args=[sent.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("notifications:outbox_detail", args=[sent.pk])
    sent.refresh_from_db()
    assert sent.status == E.SENT and not ActionLog.objects.filter(verb="outbox.resend").exists()


def test_resend_is_refused_to_other_roles(people, as_user):
    failed = email(people.users[Role.AGENCY_OFFICER], status=E.FAILED)
    response = as_user(people.users[Role.AGENCY_OFFICER]).post(reverse("notifications:outbox_resend", args=[failed.pk]))
    assert response.status_code == 403


# --- the health page -----------------------------------------------------------------------------


def test_health_page_shows_each_check(people, as_user, settings, tmp_path):
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(tmp_path)}
    Heartbeat.objects.create(name="worker", at=timezone.now() - datetime.timedelta(seconds=40))
    SweepRun.objects.create(
        kind=SweepRun.Kind.REMINDERS, trigger="beat", obligations=12, reminders=5, finished_at=timezone.now()
    )
    email(people.users[Role.AGENCY_OFFICER], status=E.FAILED)
    response = as_user(people.users[Role.ORGANIZER]).get(reverse("notifications:health"))
    page = response.content.decode()
    checks = response.context["by_key"]
    assert {key: check.state for key, check in checks.items()} == {
        "database": "ok",
        "broker": "ok",
        "worker": "ok",
        "sweep": "ok",
        "digest": "warning",  # never ran
        "outbox": "warning",  # one failed e-mail
    }
    for text in (
        "Cơ sở dữ liệu",
        "SELECT 1 trả lời sau",
        "Hàng đợi tác vụ (broker)",
        "Worker (tín hiệu hoạt động)",
        "Worker ghi tín hiệu mỗi phút",
        "Lần quét nhắc hạn gần nhất",
        "xem xét 12 việc, gửi 5 nhắc mới",
        "Lần gửi tổng hợp tuần gần nhất",
        "Chưa chạy lần nào",
        "Gửi không được: 1",
        "Tác vụ định kỳ",
        "Quét nhắc hạn hằng ngày",
        "Hằng ngày lúc 06:30",
        "Mỗi 60 giây",
        "Chạy quét nhắc hạn ngay",
    ):
        assert text in page, text
    assert "Hoạt động bình thường" in page
    # Organizers are not staff of the admin site: no link to edit the schedule there.
    assert "/quan-tri/django_celery_beat/" not in page
    admin_page = as_user(people.users[Role.ADMIN]).get(reverse("notifications:health")).content.decode()
    assert "/quan-tri/django_celery_beat/periodictask/" in admin_page


def test_health_page_flags_a_stale_heartbeat(people, as_user, monkeypatch):
    monkeypatch.setattr("notifications.views.health.check_broker", lambda: _fake_check("broker"))
    Heartbeat.objects.create(name="worker", at=timezone.now() - datetime.timedelta(minutes=10))
    response = as_user(people.users[Role.ADMIN]).get(reverse("notifications:health"))
    worker = response.context["by_key"]["worker"]
    assert worker.state == "error" and "10 phút trước" in worker.summary
    assert "Có thành phần bị lỗi" in response.content.decode()


def test_health_page_without_any_heartbeat(people, as_user, monkeypatch):
    monkeypatch.setattr("notifications.views.health.check_broker", lambda: _fake_check("broker"))
    response = as_user(people.users[Role.ADMIN]).get(reverse("notifications:health"))
    assert "Chưa nhận được tín hiệu nào từ worker" in response.content.decode()


def test_health_page_with_the_broker_down(people, as_user, settings):
    settings.CELERY_BROKER_URL = "redis://:secret@127.0.0.1:1/0"  # nothing listens on port 1
    started = timezone.now()
    response = as_user(people.users[Role.ADMIN]).get(reverse("notifications:health"))
    assert (timezone.now() - started).total_seconds() < 10
    broker = response.context["by_key"]["broker"]
    assert broker.state == "error" and "Không kết nối được" in broker.summary
    page = response.content.decode()
    assert "secret" not in page  # the password is never shown
    assert "Chạy trực tiếp (khi hàng đợi không hoạt động)" in page  # the fallback is offered


def test_health_page_with_the_broker_up(people, as_user, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/15"
    response = as_user(people.users[Role.ADMIN]).get(reverse("notifications:health"))
    broker = response.context["by_key"]["broker"]
    assert broker.state == "ok", broker.summary
    assert "Chạy trực tiếp" not in response.content.decode()


def test_filesystem_broker_without_its_folder(people, as_user, settings, tmp_path):
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(tmp_path / "khong-co")}
    response = as_user(people.users[Role.ADMIN]).get(reverse("notifications:health"))
    assert response.context["by_key"]["broker"].state == "error"


def test_health_json_for_monitoring(people, as_user, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    Heartbeat.objects.create(name="worker", at=timezone.now())
    data = json.loads(as_user(people.users[Role.ORGANIZER]).get(reverse("notifications:health_json")).content)
    assert data["healthy"] is False
    assert set(data["checks"]) == {"database", "broker", "worker", "sweep", "digest", "outbox"}
    assert data["checks"]["broker"]["state"] == "error"
    assert data["checks"]["worker"]["state"] == "ok"
    assert data["checks"]["outbox"]["failed"] == 0
    assert "Quét nhắc hạn hằng ngày" in {task["name"] for task in data["periodic_tasks"]}
    assert as_user(people.users[Role.SUPERVISOR]).get(reverse("notifications:health_json")).status_code == 403


# --- the manual sweep ----------------------------------------------------------------------------


def test_run_sweep_hands_the_task_to_the_broker(people, as_user, monkeypatch):
    calls = []
    monkeypatch.setattr(
        "notifications.views.health.send_quickly", lambda task, **kwargs: calls.append((task.name, kwargs))
    )
    client = as_user(people.users[Role.ORGANIZER])
    assert client.get(reverse("notifications:run_sweep")).status_code == 405
    response = client.post(reverse("notifications:run_sweep"))
    assert response.status_code == 302 and response["Location"] == reverse("notifications:health")
    assert calls == [("notifications.run_reminders", {"kwargs": {"trigger": "manual:organizer"}})]
    assert ActionLog.objects.filter(verb="notifications.run_sweep", actor=people.users[Role.ORGANIZER]).exists()


def test_run_sweep_with_the_broker_down_offers_the_fallback(people, as_user, monkeypatch):
    def refuse(task, **kwargs):
        raise BrokerError("Error 111 connecting to 127.0.0.1:1. Connection refused.")

    monkeypatch.setattr("notifications.views.health.send_quickly", refuse)
    monkeypatch.setattr("notifications.views.health.check_broker", lambda: _fake_check("broker"))
    client = as_user(people.users[Role.ADMIN])
    response = client.post(reverse("notifications:run_sweep"))
    assert response["Location"] == reverse("notifications:health") + "?fallback=1#chay-quet"
    page = client.get(response["Location"]).content.decode()
    assert "Không gửi được yêu cầu quét nhắc hạn vào hàng đợi tác vụ" in page
    assert "Chạy trực tiếp (khi hàng đợi không hoạt động)" in page
    assert not SweepRun.objects.exists()
    # The fallback runs the sweep in the request.
    response = client.post(reverse("notifications:run_sweep"), {"inline": "1"}, follow=True)
    run = SweepRun.objects.get()
    assert run.trigger == "manual:admin" and run.finished_at is not None
    assert "Đã quét nhắc hạn ngay trong yêu cầu này" in response.content.decode()


def test_run_sweep_is_refused_to_other_roles(people, as_user):
    response = as_user(people.users[Role.STANDING_COMMITTEE]).post(reverse("notifications:run_sweep"), {"inline": "1"})
    assert response.status_code == 403 and not SweepRun.objects.exists()


# --- the admin -----------------------------------------------------------------------------------


def test_admin_message_template_shows_defaults_and_checks_syntax(people, as_user):
    from notifications.models import MessageTemplate

    client = as_user(people.users[Role.ADMIN])
    add = reverse("admin:notifications_messagetemplate_add")
    page = client.get(add).content.decode()
    assert "recipient_name" in page and "days_late" in page and "site_name" in page
    assert "Kính gửi {{ recipient_name }}" in page  # the default text
    response = client.post(add, {"kind": "reminder", "subject": "{% if %}", "body": "Nội dung"})
    assert response.status_code == 200 and "Mẫu có lỗi cú pháp" in response.content.decode()
    response = client.post(add, {"kind": "reminder", "subject": "[Nhắc] {{ title }}", "body": "Hạn {{ deadline }}"})
    assert response.status_code == 302
    assert MessageTemplate.objects.get(kind="reminder").subject == "[Nhắc] {{ title }}"
    for model in ("outgoingemail", "sweeprun", "reminder", "notification"):
        assert client.get(reverse(f"admin:notifications_{model}_changelist")).status_code == 200


def test_admin_resend_action(people, as_user):
    failed = email(people.users[Role.AGENCY_OFFICER], status=E.FAILED, attempts=3)
    sent = email(people.users[Role.AGENCY_OFFICER], status=E.SENT)
    client = as_user(people.users[Role.ADMIN])
    response = client.post(
        reverse("admin:notifications_outgoingemail_changelist"),
        {"action": "resend_failed", "_selected_action": [failed.pk, sent.pk]},
        follow=True,
    )
    assert "Đã đưa 1 thư vào hàng chờ gửi lại." in response.content.decode()
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert failed.status == E.QUEUED and sent.status == E.SENT


# --- in the browser ------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_screenshots_of_the_bell_inbox_outbox_and_health(browser, live_server, settings):
    from pathlib import Path

    from tests.e2e import journey

    shots = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    province = ProvinceFactory(name="Nghệ An", code="40")
    board = AgencyFactory(province=province, name="Ban Dân vận Tỉnh ủy Nghệ An", code="na-bdv", kind="party_board")
    agency = AgencyFactory(province=province, name="Sở Giao thông vận tải tỉnh Nghệ An", code="na-gtvt")
    organizer = UserFactory(username="tochuc", role=Role.ORGANIZER, agency=board, full_name="Trần Thị Hồng Nhung")
    officer = UserFactory(username="canbo", role=Role.AGENCY_OFFICER, agency=agency, full_name="Lê Văn Đường")
    for n, (title, read) in enumerate(
        [
            ("[Nhắc hạn] Trả lời kiến nghị ĐT2023-045 về đường liên xã Nghi Phú – còn 3 ngày", False),
            ("[Quá hạn] Sở Giao thông vận tải: Báo cáo kết quả thực hiện nhiệm vụ trọng tâm", False),
            ("[Tổng hợp tuần] Sở Giao thông vận tải tỉnh Nghệ An: 4 việc cần thực hiện", True),
        ]
    ):
        note(organizer, title, url="/", read=read, minutes_ago=n * 90)
    email(
        officer,
        status=E.FAILED,
        attempts=6,
        subject="[Nhắc hạn] Trả lời kiến nghị ĐT2023-045 – đến hạn hôm nay",
        last_error="SMTPRecipientsRefused: {'canbo@example.org': (550, b'5.1.1 Người nhận không tồn tại')}",
    )
    email(officer, status=E.SENT, sent_at=timezone.now(), subject="[Nhắc hạn] Phương án phân luồng giao thông")
    email(agency=agency, kind="digest.agency", subject="[Tổng hợp tuần] Sở Giao thông vận tải: 4 việc")
    Heartbeat.objects.create(name="worker", at=timezone.now() - datetime.timedelta(minutes=7))
    SweepRun.objects.create(trigger="beat", obligations=42, reminders=9, finished_at=timezone.now())
    from notifications.schedules import ensure_periodic_tasks

    ensure_periodic_tasks()  # a transactional test may have flushed them

    base = live_server.url
    for width, suffix in ((1280, ""), (390, "-390")):
        context = browser.new_context(
            locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport={"width": width, "height": 900}
        )
        page = context.new_page()
        journey.sign_in(page, base, organizer.username)
        bell = page.get_by_role("link", name="Thông báo: 2 chưa đọc")
        assert bell.is_visible()
        page.locator("header").screenshot(path=shots / f"notifications-navbar{suffix}.png")
        bell.click()
        page.wait_for_url(f"{base}/thong-bao/")
        assert page.get_by_role("heading", name="Thông báo của tôi").is_visible()
        page.screenshot(path=shots / f"notifications-inbox{suffix}.png", full_page=True)
        assert_no_sideways_scroll(page, width)
        page.goto(f"{base}/thong-bao/hop-thu-di/")
        assert page.get_by_role("button", name="Gửi lại").is_visible()
        page.screenshot(path=shots / f"notifications-outbox{suffix}.png", full_page=True)
        assert_no_sideways_scroll(page, width)
        page.goto(f"{base}/thong-bao/tinh-trang/")
        assert page.get_by_text("Chưa nhận được tín hiệu").count() == 0
        assert page.get_by_text("7 phút trước").is_visible()
        page.screenshot(path=shots / f"notifications-health{suffix}.png", full_page=True)
        assert_no_sideways_scroll(page, width)
        context.close()
    assert get_user_model().objects.filter(username="tochuc").exists()


def assert_no_sideways_scroll(page, width: int) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways at {width}px"
