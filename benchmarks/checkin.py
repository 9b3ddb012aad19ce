"""The door's search at scale: the `checkin_search` view (the htmx fragment the door staff's
phone asks for as they type) timed server side with Django's test Client, median of 20, on a
program of 1,121 delegates and one of 30,000, for a few queries typed without diacritics and a
badge's token; with each request's query count, the number of results, and the ratio to a bare
Django view (as benchmarks/run.py prints). The target: under 100 ms at both sizes.

    python -m benchmarks.checkin        # on its own (the benchmark database, dialogue_bench)
    from benchmarks.checkin import run  # from benchmarks/run.py: run(print)

The two programs live in a benchmark province of their own (500 communes in 20 districts),
with invented Vietnamese names (the demo's generator) and half of the delegates checked in;
they are made once with bulk_create and kept for the next run.
"""

from __future__ import annotations

import datetime
import os
import statistics
import sys
import time
from collections.abc import Callable

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dialogue_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dialogue.settings")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DIALOGUE_MANIFEST_STATIC", "0")

PREFIX = "bench-ci"
CODE = "bci"  # unit codes have at most 10 characters
SIZES = (1_121, 30_000)
ROUNDS = int(os.environ.get("BENCH_CHECKIN_ROUNDS", "20"))
LIMIT_MS = 100.0
DISTRICT_NAMES = [
    "Nghi Lộc", "Diễn Châu", "Quỳnh Lưu", "Yên Thành", "Đô Lương", "Thanh Chương", "Nam Đàn", "Hưng Nguyên",
    "Anh Sơn", "Con Cuông", "Tân Kỳ", "Nghĩa Đàn", "Quỳ Hợp", "Quỳ Châu", "Quế Phong", "Tương Dương", "Kỳ Sơn",
    "Hoàng Mai", "Thái Hòa", "Cửa Lò",
]  # fmt: skip
FIRST = ["Nghi", "Diễn", "Quỳnh", "Hưng", "Thanh", "Nam", "Yên", "Đức", "Minh", "Hòa", "Tân", "Phúc", "Long"]
SECOND = ["Phú", "Lộc", "Thịnh", "Sơn", "Thành", "Hải", "Trung", "Kim", "Mỹ", "Xuân", "Vinh", "Đồng", "Lâm", "Tiến"]


def title(size: int) -> str:
    return f"Chương trình thử tải điểm danh {size:,} đại biểu".replace(",", ".")


def world():
    """The benchmark province, its 20 districts × 25 communes, an administrator; made once."""
    from directory.models import AdminUnit, Agency, Role, User

    start = datetime.date(2020, 1, 1)
    province, _ = AdminUnit.objects.get_or_create(
        level=AdminUnit.Level.PROVINCE,
        code=CODE,
        valid_from=start,
        defaults={"kind": AdminUnit.Kind.TINH, "name": "Tỉnh thử tải điểm danh"},
    )
    communes = list(AdminUnit.objects.filter(parent__parent=province).select_related("parent"))
    if not communes:
        for d, name in enumerate(DISTRICT_NAMES):
            district = AdminUnit.objects.create(
                level=AdminUnit.Level.DISTRICT,
                code=f"{CODE}{d:02d}",
                valid_from=start,
                kind=AdminUnit.Kind.HUYEN,
                name=name,
                parent=province,
            )
            for c in range(25):
                AdminUnit.objects.create(
                    level=AdminUnit.Level.COMMUNE,
                    code=f"{CODE}{d:02d}{c:02d}",
                    valid_from=start,
                    kind=AdminUnit.Kind.XA,
                    name=f"{FIRST[(d + c) % len(FIRST)]} {SECOND[(c * 7 + d) % len(SECOND)]}",
                    parent=district,
                )
        communes = list(AdminUnit.objects.filter(parent__parent=province).select_related("parent"))
    host, _ = Agency.objects.get_or_create(
        code=f"{PREFIX}-tu",
        defaults={"name": "Tỉnh ủy thử tải điểm danh", "kind": Agency.Kind.PARTY_COMMITTEE, "province": province},
    )
    admin = User.objects.filter(username=f"{PREFIX}-quantri").first() or User.objects.create(
        username=f"{PREFIX}-quantri", full_name="Quản trị thử tải", role=Role.ADMIN, agency=host, password="!"
    )
    return province, host, sorted(communes, key=lambda c: c.code), admin


def program_of(size: int, province, host, communes, admin):
    """A program with `size` delegates, half of them checked in; made once."""
    import random

    from programs import delegates_demo, workflow
    from programs.models import CheckIn, Delegate, Program

    program = Program.objects.filter(title=title(size)).first()
    if program is not None and Delegate.objects.filter(program=program).count() == size:
        return program
    if program is None:
        program = workflow.create_program(
            by=None,
            title=title(size),
            host=host,
            standing_agency=host,
            area=province,
            audience=Program.Audience.COMMUNE_HEADS,
            start_date=datetime.date(2027, 8, 3),
            end_date=datetime.date(2027, 8, 4),
        )
    Delegate.objects.filter(program=program).delete()
    rng = random.Random(size)
    names = delegates_demo.Names(rng)
    people = []
    for i in range(size):
        commune = communes[i % len(communes)]
        western = commune.parent.name in delegates_demo.WESTERN_DISTRICTS
        person = Delegate(program=program, commune=commune, full_name=names.person(western=western))
        person.title = f"Chủ tịch UBND xã {commune.name}"
        person.phone = names.phone()
        people.append(delegates_demo._prepare(person))
    Delegate.objects.bulk_create(people, batch_size=2000)
    when = datetime.datetime(2027, 8, 3, 7, 30, tzinfo=datetime.UTC)
    CheckIn.objects.bulk_create(
        [CheckIn(delegate=p, by=admin, at=when) for p in people if rng.random() < 0.5], batch_size=2000
    )
    return program


def queries_for(program) -> list[tuple[str, str]]:
    from programs.models import Delegate

    some = Delegate.objects.filter(program=program).select_related("commune").order_by("pk")[7]
    return [
        ("full name", "nguyen van an"),
        ("name + commune", f"{some.full_name.split()[-1]} {some.commune.name}"),
        ("commune", "nghi phu"),
        ("family name (common)", "nguyen"),
        ("short word", "an"),
        ("no match", "khong co ai"),
        ("badge token", some.token),
    ]


def median_ms(client, url: str, rounds: int) -> tuple[float, int]:
    status = client.get(url).status_code  # warm
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        client.get(url)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000, status


def query_count(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


def uses_trigram_index(program, query: str) -> bool:
    from django.db import connection

    from programs import checkin
    from programs.models import Delegate

    delegates = Delegate.objects.filter(program=program)
    for term in checkin.search_terms(query):
        delegates = delegates.filter(search_text__contains=term)
    sql, params = delegates.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return "delegate_search_trgm" in plan


def run(report: Callable[[str], None] = print) -> dict:
    from urllib.parse import urlencode

    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    province, host, communes, admin = world()
    programs = {size: program_of(size, province, host, communes, admin) for size in SIZES}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE programs_delegate")
            cursor.execute("ANALYZE programs_checkin")
    rows = []
    with override_settings(ROOT_URLCONF="benchmarks.urls", ALLOWED_HOSTS=["*"], DEBUG=False):
        client = Client()
        client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
        bare, _status = median_ms(client, reverse("bench_bare"), ROUNDS)
        for size, program in programs.items():
            base = reverse("programs:checkin_search", args=[program.pk])
            for label, query in queries_for(program):
                url = f"{base}?{urlencode({'q': query})}"
                ms, status = median_ms(client, url, ROUNDS)
                body = client.get(url).content.decode()
                rows.append(
                    {
                        "delegates": size,
                        "query": label,
                        "q": query,
                        "status": status,
                        "median_ms": round(ms, 2),
                        "ratio": round(ms / bare, 1),
                        "queries": query_count(client, url),
                        "results": body.count('class="list-group-item checkin-row'),
                        "trigram_index": uses_trigram_index(program, query) if label != "badge token" else None,
                    }
                )
    report(f"\ncheck-in search (checkin_search view, median of {ROUNDS}; bare view {bare:.2f} ms)")
    report(
        f"{'delegates':>10}  {'query':<22}{'status':>7}{'median ms':>11}{'× bare':>8}{'queries':>9}{'results':>9}"
        "  index"
    )
    for row in rows:
        index = {True: "trigram", False: "-", None: "token"}[row["trigram_index"]]
        report(
            f"{row['delegates']:>10,}  {row['query']:<22}{row['status']:>7}{row['median_ms']:>11.2f}"
            f"{row['ratio']:>8.1f}{row['queries']:>9}{row['results']:>9}  {index}"
        )
    worst = max(row["median_ms"] for row in rows)
    ok = worst < LIMIT_MS and all(row["status"] == 200 for row in rows)
    same_queries = len({row["queries"] for row in rows if row["results"]}) == 1
    report(
        f"slowest {worst:.1f} ms: {'under' if worst < LIMIT_MS else 'NOT under'} {LIMIT_MS:.0f} ms; "
        f"queries per search the same at {SIZES[0]:,} and {SIZES[1]:,}: {'yes' if same_queries else 'NO'}"
    )
    return {"bare_ms": round(bare, 3), "rows": rows, "under_limit": ok, "constant_queries": same_queries}


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
