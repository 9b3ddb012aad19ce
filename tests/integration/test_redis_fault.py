"""Redis down: submitting, routing, answering and publishing still succeed at once and leave
their e-mails queued in the outbox; when Redis is back, a worker's outbox sweep sends every
one of them (including those whose messages the broker lost when it died)."""

from __future__ import annotations

import time
import uuid

import pytest

from dialogue.celery import ping
from directory.models import Role
from notifications import tasks
from notifications.models import Notification, OutgoingEmail
from submissions import workflow
from submissions.models import Answer, Field, Submission
from tests.notifications.smtp import smtp_server

from .test_reminders_worker import app_using, celery_worker, database_url, log_tail, redis_server, wait_until

pytestmark = pytest.mark.integration
__all__ = ["redis_server"]  # the fixture, imported for this module's tests

# A web request must not hang on a broker that is down.
QUICK = 3.0


@pytest.fixture
def broker(redis_server):
    """This process's Celery app on the private Redis, results stored there too as in the test
    settings (set up before the world, whose e-mails are handed to it)."""
    with app_using(redis_server.url(0), redis_server.url(1)):
        yield redis_server


def timed(action, *args, **kwargs):
    start = time.perf_counter()
    result = action(*args, **kwargs)
    return result, time.perf_counter() - start


def act_without_redis(world, broker) -> tuple[Submission, dict[str, float]]:
    """Kill Redis, then send, route, answer and publish an item of commune A."""
    leader, organizer, officer = (world.users[r] for r in (Role.COMMUNE_LEADER, Role.ORGANIZER, Role.AGENCY_OFFICER))
    broker.kill()
    item = workflow.save_draft(
        Submission(
            program=world.program,
            kind="proposal",
            field=Field.objects.get(code="ha-tang-giao-thong"),
            title="Sửa cầu tràn thôn Hồng Lĩnh",
            content="Cầu tràn bị sạt lở sau mưa lũ, học sinh đi lại nguy hiểm.",
            commune=world.commune_a,
        ),
        by=leader,
    )
    durations = {}
    item, durations["submit"] = timed(workflow.submit, item, by=leader)
    _routing, durations["route"] = timed(
        workflow.route, item, lead_agency=world.agency_x, working_days=15, by=organizer
    )
    answer = workflow.save_answer_draft(
        Answer(submission=item, agency=world.agency_x, text="Sở Giao thông vận tải đã bố trí vốn sửa chữa."),
        by=officer,
    )
    answer, durations["answer"] = timed(workflow.submit_answer, answer, by=officer)
    answer, durations["publish"] = timed(workflow.publish_answer, answer, by=organizer)
    item.refresh_from_db()
    assert item.status == Submission.Status.PUBLISHED and answer.status == Answer.Status.PUBLISHED
    return item, durations


@pytest.mark.django_db(transaction=True)
def test_a_broker_that_is_down_does_not_hold_up_the_workflow(broker, world):
    _item, durations = act_without_redis(world, broker)
    assert all(seconds < QUICK for seconds in durations.values()), durations


@pytest.mark.django_db(transaction=True)
def test_nothing_is_lost_and_the_queued_emails_go_out_when_redis_is_back(broker, world, tmp_path, caplog):
    leader = world.users[Role.COMMUNE_LEADER]
    before = set(OutgoingEmail.objects.values_list("pk", flat=True))  # the world's own, handed to Redis
    item, durations = act_without_redis(world, broker)

    assert "broker unavailable" in caplog.text, durations  # the hand-over failed, and said so
    # The commune's leader was told twice (received, answered): in the app and in the outbox.
    told = Notification.objects.filter(recipient=leader, kind="submission.update", url__contains=f"/{item.pk}/")
    assert told.count() == 2
    new = OutgoingEmail.objects.exclude(pk__in=before)
    assert sorted(new.values_list("to", "status")) == [(leader.email, "queued")] * 2
    waiting = OutgoingEmail.objects.filter(status="queued").count()
    assert waiting == OutgoingEmail.objects.count() > 2  # the world's e-mails too: Redis lost them

    # Redis is back (empty: its messages died with it). A worker's outbox sweep sends them all.
    broker.start()
    queue = f"fault-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "worker.log"
    with smtp_server() as smtp:
        env = {
            "CELERY_BROKER_URL": broker.url(0),
            "CELERY_RESULT_BACKEND": broker.url(1),
            "DATABASE_URL": database_url(),
            "EMAIL_URL": smtp.url,
        }
        with celery_worker(env, ["celery", queue], log, "--pool=solo"):
            # This process publishes again through the same app, without being restarted.
            assert ping.apply_async(queue=queue).get(timeout=60) == "pong", log_tail(log)
            swept = tasks.dispatch_outbox.apply_async(queue=queue).get(timeout=90)
            assert swept == {"due": waiting, "sent": waiting, "stuck": 0}, log_tail(log)
            wait_until(lambda: len(smtp.received) >= waiting, 30, "the queued e-mails at the SMTP server")
        assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {"sent"}
        delivered = sorted(address for message in smtp.received for address in message.rcpt_tos)
        assert delivered == sorted(OutgoingEmail.objects.values_list("to", flat=True))  # each once
        answered = [m for m in smtp.to(leader.email) if "Đã có câu trả lời" in m.subject]
        assert len(answered) == 1 and item.reference in answered[0].subject
