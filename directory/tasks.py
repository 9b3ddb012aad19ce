"""Celery tasks of the directory: the runner of background jobs (`directory.jobs`)."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError
from django.utils.translation import gettext as _

from . import jobs

MAX_RETRIES = 5


@shared_task(
    bind=True,
    name="directory.run_job",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
    # Rendering hundreds of pages takes minutes, not hours: past this the job is failed.
    soft_time_limit=30 * 60,
    time_limit=31 * 60,
)
def run_job(self, job_id: int) -> str:
    """Run one background job by id. Idempotent: a job already running or done is left alone.
    Only a database OperationalError (the database restarting, a lost connection) is retried,
    with growing delays; when the retries run out the job is marked failed."""
    try:
        return jobs.run(job_id)
    except OperationalError as exc:
        if self.request.retries >= MAX_RETRIES:
            jobs.fail(job_id, _("Cơ sở dữ liệu tạm thời không truy cập được. Hãy thử lại sau ít phút."))
            raise
        raise self.retry(exc=exc, countdown=min(600, 10 * 2**self.request.retries)) from exc


@shared_task(name="directory.resend_waiting_jobs", acks_late=True)
def resend_waiting_jobs() -> int:
    """Periodic: jobs whose hand-over to the broker failed are sent again (see jobs.resend_waiting)."""
    return jobs.resend_waiting()
