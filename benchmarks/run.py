"""`make bench`: each page, server side, against a bare Django view, in one run.

Prints a table of medians and their ratio to the baseline and writes benchmarks/results.json.
Runs on its own PostgreSQL database (dialogue_bench) so the development data is untouched.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dialogue_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dialogue.settings")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DIALOGUE_MANIFEST_STATIC", "0")

RESULTS = Path(__file__).resolve().parent / "results.json"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
SCALE = int(os.environ.get("BENCH_SCALE", "1"))


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


def main() -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    ensure_database()
    call_command("migrate", verbosity=0)
    call_command("import_admin_units", verbosity=0)
    call_command("seed_demo", verbosity=0)
    from benchmarks.generate import generate, roadmap_program, triage_program
    from directory.models import AdminUnit, Agency, User

    sizes = generate(SCALE)
    settle()
    admin = User.objects.get(username="quantri")
    nghe_an = AdminUnit.objects.provinces().current().get(code="40")
    agency = Agency.objects.get(code="na-ban-dan-van")
    program = roadmap_program()  # made by generate(); this only finds it
    triage = reverse("submissions:triage", args=[triage_program().pk])  # likewise

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
        rows = []
        for name, url in pages:
            rounds = max(3, ROUNDS // 10) if url.endswith(".pdf") else ROUNDS
            median_ms, status = measure(client, url, rounds)
            rows.append(
                {"page": name, "url": url, "status": status, "median_ms": round(median_ms, 3), "rounds": rounds}
            )

    base = rows[0]["median_ms"]
    for row in rows:
        row["ratio"] = round(row["median_ms"] / base, 1)
    print(f"\n{'page':<38}{'status':>7}{'median ms':>12}{'× bare':>9}")
    for row in rows:
        print(f"{row['page']:<38}{row['status']:>7}{row['median_ms']:>12.2f}{row['ratio']:>9.1f}")
    RESULTS.write_text(
        json.dumps(
            {
                "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
                "database": settings.DATABASES["default"]["ENGINE"],
                "data": sizes,
                "pages": rows,
            },
            ensure_ascii=False,
            indent=2,
        )
    )
    print(f"\nwritten to {RESULTS.relative_to(Path.cwd()) if RESULTS.is_relative_to(Path.cwd()) else RESULTS}")
    return 0 if all(row["status"] == 200 for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
