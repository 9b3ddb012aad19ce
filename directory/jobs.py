"""Background jobs: slow work (a yearly report of hundreds of pages, a large export) done by a
Celery worker while the user watches a progress bar, the file kept for them to download.

    register("conclusions.followup_pdf", _("Báo cáo ... (PDF)"), runner)   # in the higher app
    job = start("conclusions.followup_pdf", {"notice": 7, "year": 2025}, by=user, title="…")
    # -> a queued BackgroundJob; after commit the task `directory.run_job` gets its id

A runner is `runner(job, progress) -> JobResult`: it reads `job.params` (and `job.created_by`
to check, at run time, that the user may still have what they asked for), calls
`progress(done, total, stage)` as it goes, and returns the file's bytes, name and type. To
refuse with a message for the user it raises `JobError("…")`; any other exception is logged
and the user sees a general message.

Higher apps register their kinds in a module named `jobs` (found the way the admin finds
`admin` modules) or in their `AppConfig.ready()`; this app imports none of them.

`run(job_id)` is what the task calls. It claims the row under `select_for_update`, so a second
delivery of the same message (acks_late) finds it running or done and does nothing; a job left
"running" by a worker that died is taken up again once it is older than `STALE_AFTER`.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from dialogue.celery import send_quickly

from .models import BackgroundJob

__all__ = ["JobError", "JobResult", "Progress", "jobs_for", "kind_of", "register", "run", "start"]

logger = logging.getLogger(__name__)

Status = BackgroundJob.Status
# A running job older than this is taken to belong to a worker that died (the broker redelivers
# its message after the visibility timeout, one hour): a redelivery may take it up again.
STALE_AFTER = timedelta(minutes=getattr(settings, "DIALOGUE_JOB_STALE_MINUTES", 70))
# Progress is written when it has moved by this many percent (and when the stage changes).
PROGRESS_STEP = 5


class JobError(Exception):
    """A refusal or failure whose message (Vietnamese) is shown to the user as it is."""


@dataclass(frozen=True)
class JobResult:
    content: bytes
    filename: str
    content_type: str


Runner = Callable[[BackgroundJob, "Progress"], JobResult]


@dataclass(frozen=True)
class JobKind:
    kind: str
    label: Any  # lazy text
    runner: Runner
    # (label, url) of the page the job was started from, for the status page's "back" link.
    back_link: Callable[[BackgroundJob], tuple[str, str] | None] | None = None


_KINDS: dict[str, JobKind] = {}
_discovered = False


def register(kind: str, label, runner: Runner, *, back_link=None) -> None:
    """Register what a kind of job does. Registering the same runner again is harmless."""
    existing = _KINDS.get(kind)
    if existing is not None and _qualname(existing.runner) != _qualname(runner):
        raise ValueError(f"background job kind {kind!r} registered twice")
    _KINDS[kind] = JobKind(kind, label, runner, back_link)


def _qualname(fn) -> str:
    return f"{getattr(fn, '__module__', '')}.{getattr(fn, '__qualname__', repr(fn))}"


def _discover() -> None:
    # A worker never loads the URLconf: find the apps' `jobs` modules the first time a kind is asked for.
    global _discovered
    if not _discovered:
        _discovered = True
        autodiscover_modules("jobs")


def kind_of(kind: str) -> JobKind | None:
    if kind not in _KINDS:
        _discover()
    return _KINDS.get(kind)


def jobs_for(user):
    """Jobs a user may see: their own; administrators see every job."""
    from .permissions import is_admin, role_of

    if role_of(user) is None:
        return BackgroundJob.objects.none()
    if is_admin(user):
        return BackgroundJob.objects.all()
    return BackgroundJob.objects.filter(created_by=user)


def start(kind: str, params: dict, by, *, title: str = "") -> BackgroundJob:
    """Create a queued job and hand its id to a worker once the transaction commits."""
    job_kind = kind_of(kind)
    if job_kind is None:
        raise KeyError(f"no background job kind named {kind!r}")
    job = BackgroundJob.objects.create(kind=kind, params=params, created_by=by, title=title or str(job_kind.label))
    transaction.on_commit(lambda: send(job.pk))
    return job


def send(job_id: int) -> None:
    from .tasks import run_job

    queue = getattr(settings, "DIALOGUE_JOB_QUEUE", "") or None  # large jobs may get workers of their own
    try:
        send_quickly(run_job, args=[job_id], queue=queue)
    except Exception as exc:  # the broker is down: the job stays queued; its page says it waits
        logger.warning("background job %s left queued, the broker is unavailable: %s", job_id, exc)


class Progress:
    """The callback a runner reports through: `progress(done, total, stage="")`. It writes to the
    row only when the percentage has moved by PROGRESS_STEP or the stage text changed, so a
    runner may call it for every row it handles."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.written_percent = -PROGRESS_STEP
        self.stage = ""
        self.writes = 0

    def __call__(self, done: int, total: int, stage: str | None = None) -> None:
        total = max(int(total), 0)
        done = min(max(int(done), 0), total)
        percent = done * 100 // total if total else 0
        stage_changed = stage is not None and stage != self.stage
        if not stage_changed and percent - self.written_percent < PROGRESS_STEP and not (done == total and total):
            return
        if not stage_changed and percent == self.written_percent:
            return
        fields = {"progress_done": done, "progress_total": total}
        if stage_changed:
            self.stage = stage
            fields["stage"] = stage[:200]
        BackgroundJob.objects.filter(pk=self.job_id, status=Status.RUNNING).update(**fields)
        self.written_percent = percent
        self.writes += 1


def _claim(job_id: int) -> BackgroundJob | None:
    with transaction.atomic():
        job = BackgroundJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            return None  # deleted meanwhile: nothing to do
        if job.status in (Status.DONE, Status.FAILED):
            return None
        if job.status == Status.RUNNING and job.started_at and timezone.now() - job.started_at < STALE_AFTER:
            return None  # another delivery of the same message is working on it
        job.status, job.started_at, job.finished_at = Status.RUNNING, timezone.now(), None
        job.attempts += 1
        job.progress_done, job.stage, job.error = 0, "", ""
        job.save(update_fields=["status", "started_at", "finished_at", "attempts", "progress_done", "stage", "error"])
        return job


def run(job_id: int) -> str:
    """Run job `job_id` if nobody has; returns its status afterwards ("skipped" if untouched).

    A database OperationalError puts the job back in the queue and is raised again, for the
    task to retry later; any other error marks the job failed."""
    job = _claim(job_id)
    if job is None:
        return "skipped"
    job_kind = kind_of(job.kind)
    try:
        if job_kind is None:
            raise JobError(_("Loại công việc “%(kind)s” không còn được hỗ trợ.") % {"kind": job.kind})
        result = job_kind.runner(job, Progress(job.pk))
    except OperationalError:
        BackgroundJob.objects.filter(pk=job.pk, status=Status.RUNNING).update(status=Status.QUEUED, started_at=None)
        raise
    except JobError as exc:
        return fail(job.pk, str(exc))
    except Exception:
        logger.exception("background job %s (%s) failed", job.pk, job.kind)
        return fail(job.pk, _("Đã xảy ra lỗi khi tạo tệp. Hãy thử lại; nếu vẫn lỗi, xin báo quản trị hệ thống."))
    return _finish(job.pk, result)


def _finish(job_id: int, result: JobResult) -> str:
    extension = result.filename.rsplit(".", 1)[-1].lower() if "." in result.filename else "bin"
    stored_name = ""
    try:
        with transaction.atomic():
            job = BackgroundJob.objects.select_for_update().get(pk=job_id)
            if job.status != Status.RUNNING:
                return job.status
            job.result.save(f"{secrets.token_hex(16)}.{extension}", ContentFile(result.content), save=False)
            stored_name = job.result.name
            job.result_name = result.filename[:255]
            job.content_type = result.content_type
            job.status, job.finished_at = Status.DONE, timezone.now()
            job.progress_done = job.progress_total = max(job.progress_total, 1)
            job.stage = ""
            job.save()
    except Exception:
        if stored_name:
            BackgroundJob._meta.get_field("result").storage.delete(stored_name)
        raise
    return Status.DONE


def fail(job_id: int, message: str) -> str:
    """Mark a job failed with a message for the user (also used when retries run out)."""
    BackgroundJob.objects.filter(pk=job_id).exclude(status=Status.DONE).update(
        status=Status.FAILED, error=message, finished_at=timezone.now(), stage=""
    )
    return Status.FAILED


def resend_waiting(older_than: timedelta = timedelta(minutes=2), limit: int = 100) -> int:
    """Hand again to the broker the jobs still queued a while after they were created (their
    first hand-over failed: the broker was down), and those stuck running past `STALE_AFTER`.
    Safe to repeat: `run` claims a job with a row lock and leaves one already taken alone."""
    now = timezone.now()
    waiting = BackgroundJob.objects.filter(status=BackgroundJob.Status.QUEUED, created_at__lt=now - older_than)
    stuck = BackgroundJob.objects.filter(status=BackgroundJob.Status.RUNNING, started_at__lt=now - STALE_AFTER)
    ids = list(waiting.union(stuck).values_list("pk", flat=True)[:limit])
    for job_id in ids:
        send(job_id)
    if ids:
        logger.info("re-sent %d waiting background job(s) to the broker", len(ids))
    return len(ids)
