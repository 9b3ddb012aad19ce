"""The reminder sweep at scale: 100,000 open roadmap tasks, of which 1,000 are due within the
7-day horizon or overdue, spread over 50 agencies of a benchmark province. Times
`notifications.sweep.run()` twice (the first run sends, the second finds everything sent) and
counts its queries, then does the same with 10,000 tasks to show the count does not grow.

    python -m benchmarks.reminders        # on its own (the benchmark database, dialogue_bench)
    from benchmarks.reminders import run  # from benchmarks/run.py: run(print)

The tasks are written with bulk_create and removed at the end, with the reminders,
notifications and e-mails the sweep made; the province, agencies, people and program stay
for the next run. E-mails are not handed to the broker (that happens after commit, one
message per 50 e-mails, and is not part of the sweep)."""

from __future__ import annotations

import datetime
import os
import sys
import time
from collections.abc import Callable
from unittest import mock

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dialogue_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dialogue.settings")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DIALOGUE_MANIFEST_STATIC", "0")

TOTAL = int(os.environ.get("BENCH_REMINDER_OBLIGATIONS", "100000"))
DUE = 1_000
SMALL = 10_000
AGENCIES = 50
LIMIT_SECONDS = 5.0
PREFIX = "bench-rem"
PROGRAM_TITLE = "Chương trình thử tải: nhắc hạn 100.000 nhiệm vụ"


def world():
    """The benchmark province with a standing agency and 50 agencies of two officers each,
    and one program; made once, then reused."""
    from directory.models import AdminUnit, Agency, Role, User
    from programs import workflow
    from programs.models import Program

    province, _ = AdminUnit.objects.get_or_create(
        level=AdminUnit.Level.PROVINCE,
        code=PREFIX,
        valid_from=datetime.date(2025, 7, 1),
        defaults={"kind": AdminUnit.Kind.TINH, "name": "Tỉnh thử tải nhắc hạn"},
    )

    def agency(code: str, name: str, kind=Agency.Kind.DEPARTMENT) -> Agency:
        found, _ = Agency.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "province": province, "email": f"{code}@example.org"}
        )
        return found

    host = agency(f"{PREFIX}-tu", "Tỉnh ủy thử tải", Agency.Kind.PARTY_COMMITTEE)
    standing = agency(f"{PREFIX}-bdv", "Ban Dân vận thử tải", Agency.Kind.PARTY_BOARD)
    agencies = [agency(f"{PREFIX}-{i:02d}", f"Sở thử tải nhắc hạn số {i}") for i in range(AGENCIES)]
    people = [(f"{PREFIX}-tochuc", Role.ORGANIZER, standing)]
    people += [(f"{PREFIX}-thuongtruc", Role.STANDING_COMMITTEE, standing)]
    people += [(f"{a.code}-{j}", Role.AGENCY_OFFICER, a) for a in agencies for j in (1, 2)]
    existing = set(User.objects.filter(username__startswith=PREFIX).values_list("username", flat=True))
    for username, role, where in people:
        if username not in existing:
            User.objects.create(
                username=username,
                full_name=f"Cán bộ {username}",
                email=f"{username}@example.org",
                role=role,
                agency=where,
                password="!",
            )
    program = Program.objects.filter(title=PROGRAM_TITLE).first() or workflow.create_program(
        by=None,
        title=PROGRAM_TITLE,
        host=host,
        standing_agency=standing,
        area=province,
        audience=Program.Audience.COMMUNE_HEADS,
        start_date=datetime.date(2027, 8, 3),
        end_date=datetime.date(2027, 8, 4),
    )
    return program, agencies


def load(program, agencies, total: int) -> None:
    """`total` open tasks: DUE of them from 4 days overdue to 7 days ahead, the others later
    than the horizon (8 days to a year ahead)."""
    from django.utils import timezone

    from programs.models import RoadmapTask

    RoadmapTask.objects.filter(program=program).delete()
    today = timezone.localdate()
    tasks = []
    for i in range(total):
        ahead = (i % 12) - 4 if i < DUE else 8 + i % 358
        due = today + datetime.timedelta(days=ahead)
        tasks.append(
            RoadmapTask(
                program=program,
                title=f"Nhiệm vụ chuẩn bị thử tải số {i}",
                category=RoadmapTask.Category.LOGISTICS,
                assignee_agency=agencies[i % len(agencies)],
                start_date=min(due, today) - datetime.timedelta(days=30),
                due_date=due,
            )
        )
        if len(tasks) == 5000:
            RoadmapTask.objects.bulk_create(tasks)
            tasks = []
    RoadmapTask.objects.bulk_create(tasks)
    settle()


def settle() -> None:
    """Planner statistics after the bulk load (what autovacuum does some minutes later)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE programs_roadmaptask")


def timed_sweep() -> tuple[float, int, object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notifications import sweep

    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = sweep.run(trigger="benchmark")
        seconds = time.perf_counter() - start
    return seconds, len(queries), result


def clean(program) -> None:
    """Remove the tasks and what the measured sweeps made (the warm-up's rows stay)."""
    from django.db.models import Q

    from notifications.models import Notification, OutgoingEmail, Reminder, SweepRun
    from programs.models import RoadmapTask

    Reminder.objects.filter(sweep__trigger="benchmark").delete()
    SweepRun.objects.filter(trigger="benchmark").delete()
    Notification.objects.filter(recipient__username__startswith=PREFIX).delete()
    mine = Q(recipient__username__startswith=PREFIX) | Q(agency__code__startswith=PREFIX)
    OutgoingEmail.objects.filter(mine).delete()
    RoadmapTask.objects.filter(program=program).delete()


def measure(program, agencies, total: int, report: Callable[[str], None]) -> dict:
    load(program, agencies, total)
    first_s, first_q, first = timed_sweep()
    second_s, second_q, second = timed_sweep()
    row = {
        "obligations": total,
        "found": first.obligations,
        "first_seconds": round(first_s, 3),
        "first_queries": first_q,
        "reminders": first.reminders,
        "second_seconds": round(second_s, 3),
        "second_queries": second_q,
        "second_reminders": second.reminders,
    }
    report(
        f"{total:>9,} open, {first.obligations:>5,} due: first sweep {first_s:6.2f} s, {first_q} queries, "
        f"{first.reminders:,} reminders; second {second_s:6.2f} s, {second_q} queries, {second.reminders} reminders"
    )
    return row


def run(report: Callable[[str], None] = print) -> dict:
    """Measure on the current database; returns the figures (and whether they hold)."""
    from notifications import outbox
    from notifications import sweep as reminder_sweep
    from notifications.models import Notification, OutgoingEmail

    program, agencies = world()
    with mock.patch.object(outbox, "enqueue", lambda ids: None):
        reminder_sweep.run(trigger="benchmark warm-up")  # whatever else the database owes, sent once
        # A long-running worker has its URL resolver and template engine warm: so does the benchmark.
        load(program, agencies, 50)
        reminder_sweep.run(trigger="benchmark")
        try:
            report(f"\nreminder sweep ({AGENCIES} agencies × 2 officers + their addresses; {DUE:,} due)")
            large = measure(program, agencies, TOTAL, report)
            small = measure(program, agencies, SMALL, report)
        finally:
            clean(program)
    result = {
        "large": large,
        "small": small,
        "notifications_left": Notification.objects.filter(recipient__username__startswith=PREFIX).count(),
        "emails_left": OutgoingEmail.objects.filter(agency__code__startswith=PREFIX).count(),
        "under_limit": large["first_seconds"] < LIMIT_SECONDS and large["second_seconds"] < LIMIT_SECONDS,
        "constant_queries": large["first_queries"] == small["first_queries"]
        and large["second_queries"] == small["second_queries"],
    }
    report(
        f"under {LIMIT_SECONDS:.0f} s: {'yes' if result['under_limit'] else 'NO'}; "
        f"queries the same for {TOTAL:,} and {SMALL:,} obligations: {'yes' if result['constant_queries'] else 'NO'}"
    )
    return result


def main() -> int:
    import django

    django.setup()
    from django.core.management import call_command

    from benchmarks.run import ensure_database

    ensure_database()
    call_command("migrate", verbosity=0)
    result = run(print)
    return 0 if result["under_limit"] and result["constant_queries"] else 1


if __name__ == "__main__":
    sys.exit(main())
