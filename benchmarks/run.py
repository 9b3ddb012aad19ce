"""`make bench`: each page, server side, against a bare Django view, in one run.

Prints a table of medians, their ratio to the baseline and each page's query count, and writes
benchmarks/results.json. Runs on its own PostgreSQL database (dialogue_bench), its own Redis
database (13) and its own media folder, so development and test data are untouched.

The conclusions part: the follow-up list of a notice with 20,000 assignments (all, and only the
overdue ones) with its query count compared with notices of 200 and of 7 assignments (it must
not grow with the data); the yearly follow-up report of a notice with 200 assignments and 1,000
progress reports, gathered and rendered to PDF in-process, then once as a background job through
a real Celery worker on Redis, with the progress values seen while it ran.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import IO

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dialogue_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dialogue.settings")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DIALOGUE_MANIFEST_STATIC", "0")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/13")
os.environ.setdefault("MEDIA_ROOT", os.path.join(tempfile.gettempdir(), "dialogue-bench-media"))

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results.json"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
SCALE = int(os.environ.get("BENCH_SCALE", "1"))
# BENCH_ONLY=dashboards: only the dashboards on national data (`make bench-dashboards`, in a
# database of its own: 500,000 items would change what the other benchmarks measure).
ONLY = os.environ.get("BENCH_ONLY", "")
WORKER = [sys.executable, "-m", "celery", "-A", "dialogue", "worker", "--pool=solo"]


def ensure_database() -> None:
    import psycopg2
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        return
    conn = psycopg2.connect(
        dbname="postgres", user=db["USER"], host=db["HOST"], port=db["PORT"] or 5432, password=db["PASSWORD"] or None
    )
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{db["NAME"]}"')
    conn.close()


def prepare_database() -> None:
    """The benchmark database with its schema, the administrative units and the demo data."""
    from django.core.management import call_command

    ensure_database()
    call_command("migrate", verbosity=0)
    call_command("import_admin_units", verbosity=0)
    call_command("seed_demo", verbosity=0)


def settle() -> None:
    """What autovacuum does some minutes after a bulk load: statistics for the planner and the
    visibility map for index-only scans, so the first run measures the steady state."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def measure(client, url: str, rounds: int) -> tuple[float, int]:
    status = client.get(url).status_code  # warm caches
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        client.get(url)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000, status


def count_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


def timed(fn, rounds: int, *, warm: bool = True) -> tuple[float, object]:
    """Median milliseconds of `fn()` over `rounds` calls (after one warm-up call unless `warm` is
    false), and its last result."""
    result = fn() if warm else None
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000, result


def pdf_pages(pdf: bytes) -> int | None:
    """Pages of a PDF (WeasyPrint packs its page objects into compressed streams: ask pypdf, a
    development requirement)."""
    try:
        import io

        from pypdf import PdfReader
    except ImportError:
        return None
    return len(PdfReader(io.BytesIO(pdf)).pages)


def report_in_process(notice, year: int, rounds: int) -> dict:
    """The yearly follow-up report gathered (`collect`) and rendered to PDF and Excel here."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from conclusions import followup_report

    with CaptureQueriesContext(connection) as captured:
        followup_report.collect(notice, year)
    collect_ms, data = timed(lambda: followup_report.collect(notice, year), rounds)
    # Rendering takes seconds: no warm-up, and fewer rounds (two by default).
    file_rounds = max(1, rounds // 15)
    pdf_ms, pdf = timed(lambda: followup_report.render_pdf_bytes(data), file_rounds, warm=False)
    xlsx_ms, xlsx = timed(lambda: followup_report.render_xlsx_bytes(data), file_rounds, warm=False)
    return {
        "assignments": len(data.rows),
        "progress_reports": data.report_count,
        "collect_queries": len(captured),
        "collect_ms": round(collect_ms, 1),
        "pdf_ms": round(pdf_ms, 1),
        "pdf_pages": pdf_pages(pdf),
        "pdf_kb": round(len(pdf) / 1024),
        "xlsx_ms": round(xlsx_ms, 1),
        "xlsx_kb": round(len(xlsx) / 1024),
        "rounds": rounds,
        "file_rounds": file_rounds,
    }


@contextlib.contextmanager
def celery_worker(queue: str) -> Iterator[IO[str]]:
    """A Celery worker in a subprocess on a queue of its own (as tests/integration does), stopped
    afterwards; yields the file its messages go to."""
    with tempfile.TemporaryFile(mode="w+") as log:
        worker = subprocess.Popen(
            [*WORKER, "-Q", queue, "--without-mingle", "--without-gossip", "--loglevel=WARNING"],
            cwd=ROOT,
            env=dict(os.environ),
            stdout=subprocess.DEVNULL,
            stderr=log,
            text=True,
        )
        try:
            yield log
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()


def report_through_worker(notice, year: int, user, timeout: float = 600) -> dict:
    """One PDF report as the user gets it: a background job run by a real Celery worker on Redis,
    its progress read from the job's row (as the page's progress bar reads it) every 20 ms."""
    from django.conf import settings
    from django.test.utils import override_settings

    from conclusions import jobs as conclusion_jobs
    from directory import jobs
    from directory.models import BackgroundJob

    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        return {"skipped": f"broker is {settings.CELERY_BROKER_URL}, not Redis"}
    queue = f"bench-{uuid.uuid4().hex[:8]}"
    with celery_worker(queue) as log:
        started = time.perf_counter()
        with override_settings(DIALOGUE_JOB_QUEUE=queue):
            job = jobs.start(conclusion_jobs.PDF_KIND, conclusion_jobs.params(notice, year), by=user)
        seen: list[tuple[int, str]] = []
        while time.perf_counter() - started < timeout:
            row = BackgroundJob.objects.get(pk=job.pk)
            if row.status == BackgroundJob.Status.RUNNING and row.progress_total:
                value = (row.progress_done * 100 // row.progress_total, row.stage)
                if not seen or seen[-1] != value:
                    seen.append(value)
            if row.status in (BackgroundJob.Status.DONE, BackgroundJob.Status.FAILED):
                break
            time.sleep(0.02)
        else:
            return {"status": "timeout", "progress_seen": [f"{p}% {stage}".strip() for p, stage in seen]}
        elapsed = time.perf_counter() - started
        if row.status == BackgroundJob.Status.FAILED:
            log.seek(0)
            print(log.read()[-3000:], file=sys.stderr)
    run_s = (row.finished_at - row.started_at).total_seconds() if row.started_at and row.finished_at else None
    return {
        "status": row.status,
        "error": row.error,
        "wall_s": round(elapsed, 2),
        "queued_s": round((row.started_at - row.created_at).total_seconds(), 2) if row.started_at else None,
        "run_s": round(run_s, 2) if run_s is not None else None,
        "result_kb": round(row.result.size / 1024) if row.result else 0,
        "progress_seen": [f"{percent}% {stage}".strip() for percent, stage in seen],
    }


def followup_url(notice) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("conclusions:followup", kwargs={"notice_pk": notice.pk})
    except NoReverseMatch:
        return None


def dashboards_only(client_factory) -> int:
    """BENCH_ONLY=dashboards: the dashboards alone; their figures replace the "dashboards" entry
    of results.json and leave the others as the last full run wrote them."""
    from benchmarks import dashboards

    print("dashboards (national data: 34 provinces, 500,000 submissions, 20,000 assignments):")
    figures = dashboards.run(print, client_factory)
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results["dashboards"] = {"when": time.strftime("%Y-%m-%dT%H:%M:%S%z"), **figures}
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print(f"\nwritten to {RESULTS}")
    return 0 if figures["under_limit"] and figures["constant_queries"] else 1


def main() -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    prepare_database()
    if ONLY == "dashboards":
        return dashboards_only(Client)
    from benchmarks.generate import followup_notice, generate, report_notice, roadmap_program, triage_program
    from conclusions.models import ConclusionNotice
    from directory.models import AdminUnit, Agency, User

    sizes = generate(SCALE)
    settle()
    admin = User.objects.get(username="quantri")
    nghe_an = AdminUnit.objects.provinces().current().get(code="40")
    agency = Agency.objects.get(code="na-ban-dan-van")
    program = roadmap_program()  # made by generate(); this only finds it
    triage = reverse("submissions:triage", args=[triage_program().pk])  # likewise
    big_notice, report = followup_notice(), report_notice()  # likewise
    small_notice = ConclusionNotice.objects.filter(sequence=1029, issued_year=2023).first()  # the demo's

    with override_settings(ROOT_URLCONF="benchmarks.urls", ALLOWED_HOSTS=["*"], DEBUG=False):
        client = Client()
        client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
        pages = [
            ("baseline: bare view", reverse("bench_bare")),
            ("home (admin)", reverse("home")),
            ("units: list", reverse("directory:unit_list")),
            ("units: search 'nghi'", reverse("directory:unit_list") + "?q=nghi"),
            ("units: Nghệ An with its communes", reverse("directory:unit_detail", args=[nghe_an.pk])),
            ("agencies: list", reverse("directory:agency_list")),
            ("agencies: detail", reverse("directory:agency_detail", args=[agency.pk])),
            ("users: list", reverse("directory:user_list")),
            ("calendar", reverse("directory:calendar")),
            ("sample PDF (WeasyPrint)", reverse("sample_document")),
            ("program page", reverse("programs:detail", args=[program.pk])),
            ("roadmap list (500 tasks)", reverse("programs:roadmap", args=[program.pk])),
            ("roadmap timeline (500 tasks)", reverse("programs:roadmap_timeline", args=[program.pk])),
            ("triage list (10,000 items)", triage),
            ("triage search 'ho tro nha o' (10,000)", f"{triage}?q=ho+tro+nha+o"),
        ]
        followup = followup_url(big_notice)
        if followup:
            pages += [
                ("follow-up list (20,000 assignments)", followup),
                ("follow-up: overdue (20,000)", f"{followup}?state=open_overdue"),
            ]
        else:
            print("conclusions:followup is not there yet: the follow-up pages are left out")
        rows = []
        for name, url in pages:
            rounds = max(3, ROUNDS // 10) if url.endswith(".pdf") else ROUNDS
            median_ms, status = measure(client, url, rounds)
            rows.append(
                {
                    "page": name,
                    "url": url,
                    "status": status,
                    "median_ms": round(median_ms, 3),
                    "rounds": rounds,
                    "queries": count_queries(client, url),
                }
            )
        # The follow-up list's query count must not grow with the notice: 20,000 vs 200 vs 7 rows.
        query_counts = {}
        if followup:
            for label, notice in [("20,000", big_notice), ("200", report), ("7 (demo 1029-TB/TU)", small_notice)]:
                if notice is not None:
                    url = followup_url(notice)
                    query_counts[f"follow-up, {label} assignments"] = count_queries(client, url)
                    query_counts[f"follow-up overdue, {label} assignments"] = count_queries(
                        client, f"{url}?state=open_overdue"
                    )

    year = report.issued_on.year  # its 1,000 reports are dated in the year it was issued
    report_rounds = ROUNDS
    report_figures = report_in_process(report, year, report_rounds)
    worker_figures = report_through_worker(report, year, admin)

    base = rows[0]["median_ms"]
    for row in rows:
        row["ratio"] = round(row["median_ms"] / base, 1)
    print(f"\n{'page':<40}{'status':>7}{'median ms':>12}{'× bare':>9}{'queries':>9}")
    for row in rows:
        print(f"{row['page']:<40}{row['status']:>7}{row['median_ms']:>12.2f}{row['ratio']:>9.1f}{row['queries']:>9}")
    # The 20,000-row notice may not need more queries than the small ones (an empty page may need
    # fewer: nothing to prefetch).
    constant = all(
        query_counts[f"{kind}, 20,000 assignments"] <= count
        for kind in ("follow-up", "follow-up overdue")
        for name, count in query_counts.items()
        if name.startswith(f"{kind},")
    )
    if query_counts:
        print("\nfollow-up list, queries per request (page of 50 rows):")
        for name, count in query_counts.items():
            print(f"  {name:<48}{count:>5}")
        same = len(set(query_counts.values())) == 1
        print("  " + ("constant" if same else "does not grow with the data" if constant else "GROWS with the data"))
    print(
        f"\nyearly follow-up report, {report_figures['assignments']} assignments, "
        f"{report_figures['progress_reports']} progress reports ({report_figures['rounds']} rounds, "
        f"{report_figures['file_rounds']} for the files):"
    )
    print(f"  collect: {report_figures['collect_ms']} ms in {report_figures['collect_queries']} queries")
    print(
        f"  render PDF: {report_figures['pdf_ms']} ms ({report_figures['pdf_pages']} pages, "
        f"{report_figures['pdf_kb']} KB); render Excel: {report_figures['xlsx_ms']} ms ({report_figures['xlsx_kb']} KB)"
    )
    if "skipped" in worker_figures:
        print(f"  through a Celery worker: skipped ({worker_figures['skipped']})")
    else:
        print(
            f"  through a Celery worker on Redis: {worker_figures['status']} in {worker_figures.get('wall_s')} s "
            f"(queued {worker_figures.get('queued_s')} s, ran {worker_figures.get('run_s')} s), "
            f"{worker_figures.get('result_kb')} KB"
        )
        print("  progress seen: " + " → ".join(worker_figures.get("progress_seen", [])))
    from benchmarks import checkin, delegate_import, reminders

    print("\nreminder sweep (notifications):")
    reminder_figures = reminders.run(print)
    print("\ncheck-in search (delegates):")
    checkin_figures = checkin.run(print)
    print("\ndelegate import (Excel, 1,121 rows):")
    delegate_import_figures = delegate_import.run(print)
    RESULTS.write_text(
        json.dumps(
            {
                "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
                "database": settings.DATABASES["default"]["ENGINE"],
                "data": sizes,
                "pages": rows,
                "followup_queries": query_counts,
                "followup_queries_constant": constant,
                "followup_report": report_figures,
                "followup_report_job": worker_figures,
                "reminders": reminder_figures,
                "checkin": checkin_figures,
                "delegate_import": delegate_import_figures,
            },
            ensure_ascii=False,
            indent=2,
        )
    )
    print(f"\nwritten to {RESULTS.relative_to(Path.cwd()) if RESULTS.is_relative_to(Path.cwd()) else RESULTS}")
    ok = all(row["status"] == 200 for row in rows) and constant and delegate_import_figures["under_limit"]
    return 0 if ok and worker_figures.get("status", "done") == "done" else 1


if __name__ == "__main__":
    sys.exit(main())
