"""Pages of background jobs (`directory.jobs`): the progress bar, which polls itself with htmx
while the job waits or runs (a refresh does the same without JavaScript), and the download of
the file it produced. Only the user who started a job and administrators see it; for
everyone else it does not exist (404)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from dialogue.uploads import private_file_response

from .jobs import jobs_for, kind_of
from .models import BackgroundJob


def _job(request, job_pk: int) -> BackgroundJob:
    return get_object_or_404(jobs_for(request.user), pk=job_pk)


@login_required
def job_status(request, job_pk: int):
    job = _job(request, job_pk)
    job_kind = kind_of(job.kind)
    context = {
        "job": job,
        "kind_label": job_kind.label if job_kind else job.kind,
        "back": job_kind.back_link(job) if job_kind and job_kind.back_link else None,
    }
    if getattr(request, "htmx", False):
        return render(request, "directory/job_progress.html", context)
    return render(request, "directory/job_status.html", context)


@login_required
def job_download(request, job_pk: int):
    job = _job(request, job_pk)
    if job.status != BackgroundJob.Status.DONE or not job.result:
        raise Http404
    return private_file_response(job.result, job.result_name, job.content_type)
