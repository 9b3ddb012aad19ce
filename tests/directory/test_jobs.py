"""Background jobs (directory.jobs): start after commit, run once however often the message is
delivered, progress written sparingly, failures with a message, the status page and the
download only for the job's creator and administrators."""

from __future__ import annotations

import datetime

import pytest
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dialogue.celery import app as celery_app
from directory import jobs
from directory.models import BackgroundJob, Role
from directory.tasks import MAX_RETRIES, run_job
from tests.factories import UserFactory

KIND = "tests.echo"
ran: list[int] = []


def echo_runner(job, progress):
    """Counts to `params["rows"]`, telling progress at every row, and returns a text file."""
    rows = job.params.get("rows", 10)
    progress(0, rows, "Đang đếm")
    for done in range(1, rows + 1):
        progress(done, rows)
    ran.append(job.pk)
    if job.params.get("fail") == "refuse":
        raise jobs.JobError("Không có dữ liệu cho năm đã chọn.")
    if job.params.get("fail") == "crash":
        raise RuntimeError("internal detail")
    if job.params.get("fail") == "database":
        raise OperationalError("server closed the connection unexpectedly")
    return jobs.JobResult("Xin chào, Nghệ An".encode(), "Kết quả đếm.pdf", "application/pdf")


jobs.register(KIND, "Đếm thử", echo_runner, back_link=lambda job: ("Trang chủ", "/"))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ran.clear()


@pytest.fixture
def eager():
    """Tasks run in the test's process when sent (as with CELERY_TASK_ALWAYS_EAGER=1)."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def users(db) -> dict[str, object]:
    """A user per role (the jobs do not need the whole world)."""
    made = {role: UserFactory(role=role) for role in Role.values if role != Role.COMMUNE_LEADER}
    made[Role.COMMUNE_LEADER] = UserFactory(commune_leader=True)
    made[Role.ADMIN].is_superuser = made[Role.ADMIN].is_staff = True
    made[Role.ADMIN].save()
    return made


@pytest.fixture
def organizer(users):
    return users[Role.ORGANIZER]


def make_job(user, **params) -> BackgroundJob:
    return BackgroundJob.objects.create(kind=KIND, params=params, created_by=user, title="Đếm thử")


def test_start_queues_and_sends_after_commit(organizer, django_capture_on_commit_callbacks, monkeypatch):
    sent = []
    monkeypatch.setattr(jobs, "send", sent.append)
    with django_capture_on_commit_callbacks() as callbacks:
        job = jobs.start(KIND, {"rows": 3}, by=organizer, title="Đếm ba dòng")
        assert sent == []  # nothing leaves before the transaction commits
    assert job.status == BackgroundJob.Status.QUEUED and job.title == "Đếm ba dòng"
    for callback in callbacks:
        callback()
    assert sent == [job.pk]


def test_unknown_kind_is_refused(organizer):
    with pytest.raises(KeyError):
        jobs.start("tests.unknown", {}, by=organizer)


def test_eager_run_stores_the_file(organizer, eager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start(KIND, {"rows": 40}, by=organizer)
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE
    assert job.percent == 100 and job.attempts == 1
    assert job.result.name.startswith("jobs/") and job.result_name == "Kết quả đếm.pdf"
    assert job.started_at <= job.finished_at
    with job.result.open("rb") as handle:
        assert handle.read().decode() == "Xin chào, Nghệ An"


def test_a_repeated_delivery_does_nothing(organizer):
    job = make_job(organizer, rows=5)
    assert jobs.run(job.pk) == BackgroundJob.Status.DONE
    assert jobs.run(job.pk) == "skipped"
    assert run_job.apply(args=[job.pk]).get() == "skipped"
    assert ran == [job.pk]


def test_a_running_job_is_left_to_its_worker_until_stale(organizer):
    job = make_job(organizer)
    BackgroundJob.objects.filter(pk=job.pk).update(status="running", started_at=timezone.now())
    assert jobs.run(job.pk) == "skipped" and ran == []
    # The worker died long ago (acks_late: the broker delivers the message again): take it up.
    BackgroundJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - jobs.STALE_AFTER - datetime.timedelta(1))
    assert jobs.run(job.pk) == BackgroundJob.Status.DONE
    job.refresh_from_db()
    assert job.attempts == 1 and ran == [job.pk]


def test_jobs_whose_hand_over_failed_are_sent_again(organizer, monkeypatch):
    sent = []
    monkeypatch.setattr(jobs, "send", sent.append)
    old = timezone.now() - datetime.timedelta(minutes=10)
    waiting = make_job(organizer)
    fresh = make_job(organizer)  # just created: its own hand-over may still be on its way
    stuck = make_job(organizer)
    done = make_job(organizer)
    BackgroundJob.objects.filter(pk__in=[waiting.pk, stuck.pk, done.pk]).update(created_at=old)
    BackgroundJob.objects.filter(pk=stuck.pk).update(
        status="running", started_at=timezone.now() - jobs.STALE_AFTER - datetime.timedelta(minutes=1)
    )
    BackgroundJob.objects.filter(pk=done.pk).update(status="done")
    assert jobs.resend_waiting() == 2
    assert sorted(sent) == sorted([waiting.pk, stuck.pk]) and fresh.pk not in sent


def test_a_deleted_job_is_skipped(db):
    assert jobs.run(987654) == "skipped"


def test_progress_moves_and_is_written_sparingly(organizer):
    job = make_job(organizer)
    BackgroundJob.objects.filter(pk=job.pk).update(status="running")
    progress = jobs.Progress(job.pk)
    seen = []
    with CaptureQueriesContext(connection) as queries:
        progress(0, 1000, "Đang tổng hợp số liệu")
        for done in range(1, 1001):
            progress(done, 1000)
            if done % 250 == 0:
                seen.append(BackgroundJob.objects.get(pk=job.pk).percent)
    assert seen == [25, 50, 75, 100]
    writes = [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(writes) == progress.writes <= 22  # every 5 %, not every row
    job.refresh_from_db()
    assert (job.progress_done, job.progress_total, job.stage) == (1000, 1000, "Đang tổng hợp số liệu")


def test_a_refusal_fails_the_job_with_its_message(organizer):
    job = make_job(organizer, fail="refuse")
    assert jobs.run(job.pk) == BackgroundJob.Status.FAILED
    job.refresh_from_db()
    assert job.status == "failed" and job.error == "Không có dữ liệu cho năm đã chọn."
    assert job.finished_at and not job.result
    assert job.get_status_display() == "Không thành công"


def test_an_unexpected_error_fails_with_a_general_message(organizer, caplog):
    job = make_job(organizer, fail="crash")
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == "failed"
    assert "internal detail" not in job.error and "Đã xảy ra lỗi khi tạo tệp" in job.error
    assert "internal detail" in caplog.text  # logged for the administrators


def test_database_errors_requeue_and_the_task_retries(organizer, eager):
    job = make_job(organizer, fail="database")
    with pytest.raises(OperationalError):
        jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == "queued"  # another delivery may take it up
    # Eagerly, Celery runs each retry at once: the job is tried again MAX_RETRIES times, then
    # fails with a message for the user.
    ran.clear()
    result = run_job.apply(args=[job.pk])
    assert result.state == "FAILURE"
    assert len(ran) == MAX_RETRIES + 1
    job.refresh_from_db()
    assert job.status == "failed" and "Cơ sở dữ liệu" in job.error


def test_task_options():
    assert run_job.name == "directory.run_job"
    assert run_job.acks_late is True


# --- views --------------------------------------------------------------------------------------


def test_status_page_polls_while_queued(users, login, organizer):
    job = make_job(organizer)
    url = reverse("directory:job_status", args=[job.pk])
    page = login(organizer).get(url).content.decode()
    assert 'role="progressbar"' in page and 'aria-valuenow="0"' in page
    assert 'hx-trigger="every 1s"' in page and "Đang chờ xử lý" in page
    assert '<meta http-equiv="refresh"' in page  # without JavaScript the page refreshes itself
    fragment = login(organizer).get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="job-progress"') and "<html" not in fragment


def test_status_page_offers_the_download_when_done(users, login, organizer):
    job = make_job(organizer, rows=3)
    jobs.run(job.pk)
    page = login(organizer).get(reverse("directory:job_status", args=[job.pk])).content.decode()
    assert "hx-trigger" not in page and 'aria-valuenow="100"' in page
    assert reverse("directory:job_download", args=[job.pk]) in page and "Kết quả đếm.pdf" in page
    assert "Trang chủ" in page  # the way back to where the job was started


def test_status_page_shows_the_failure(users, login, organizer):
    job = make_job(organizer, fail="refuse")
    jobs.run(job.pk)
    page = login(organizer).get(reverse("directory:job_status", args=[job.pk])).content.decode()
    assert "Không tạo được tệp." in page and "Không có dữ liệu cho năm đã chọn." in page
    assert "hx-trigger" not in page


def test_download_for_the_creator_and_administrators_only(users, login, organizer):
    job = make_job(organizer)
    jobs.run(job.pk)
    url = reverse("directory:job_download", args=[job.pk])
    response = login(organizer).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode() == "Xin chào, Nghệ An"
    assert (
        "attachment" in response["Content-Disposition"]
        and "filename*=UTF-8''K%E1%BA%BFt" in (response["Content-Disposition"])
    )
    assert response["Cache-Control"] == "private, no-store"
    assert login(users[Role.ADMIN]).get(url).status_code == 200
    for role in (Role.STANDING_COMMITTEE, Role.SUPERVISOR, Role.AGENCY_OFFICER, Role.COMMUNE_LEADER):
        assert login(users[role]).get(url).status_code == 404, role
        assert login(users[role]).get(reverse("directory:job_status", args=[job.pk])).status_code == 404


def test_no_download_before_the_file_exists(users, login, organizer):
    job = make_job(organizer)
    assert login(organizer).get(reverse("directory:job_download", args=[job.pk])).status_code == 404
