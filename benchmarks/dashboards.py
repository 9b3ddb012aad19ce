"""The Standing Committee's dashboards (issue 8) on national-scale data: 34 provinces, 68
programs, 500,000 submissions, 20,000 assignments (`benchmarks/national.py`). Each dashboard is
requested through Django's test Client, signed in as the administrator `quantri` and as a
Standing Committee user of Hà Nội (`nat-thuongtruc`), and its median server time over
BENCH_ROUNDS rounds is printed with its ratio to the bare view measured in the same run and its
query count. The target: each under 300 ms. The query count of each dashboard must be the same
for Nghệ An's demo (its 2023 program of 97 items and 7 assignments, a demo agency and commune)
as for Hà Nội's national-scale data.

    python -m benchmarks.dashboards        # on its own (its own database, dialogue_bench_national)
    BENCH_ONLY=dashboards python -m benchmarks.run   # the same, through the runner (make bench-dashboards)

URL names that do not resolve yet are skipped with a printed line (the views are being built).
Note that Nghệ An has national data too (its 2025 and 2026 programs), so on the province-wide
pages (overview, agencies, map) the "small" side is Nghệ An with its demo programs and more.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dialogue_bench_national")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dialogue.settings")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DIALOGUE_MANIFEST_STATIC", "0")

from benchmarks.run import ROUNDS, count_queries, measure

LIMIT_MS = 300.0
BIG_PROVINCE = "01"  # Hà Nội: national-scale data only
SMALL_PROVINCE = "40"  # Nghệ An: the demo
STANDING_USERNAME = "nat-thuongtruc"
BACKEND = "django.contrib.auth.backends.ModelBackend"


@dataclass
class Target:
    """What a dashboard is asked about: a province, one of its programs, agencies and communes."""

    label: str
    province: object
    program: object
    agency: object
    commune: object


@dataclass
class Page:
    label: str
    name: str
    args: Callable[[Target], list]
    query: Callable[[Target], dict]


PAGES = [
    Page("overview", "dashboards:overview", lambda t: [], lambda t: {"province": t.province.pk}),
    Page("program", "dashboards:program", lambda t: [t.program.pk], lambda t: {}),
    Page("agencies (scorecard)", "dashboards:agencies", lambda t: [], lambda t: {"province": t.province.pk}),
    Page(
        "agencies, one program",
        "dashboards:agencies",
        lambda t: [],
        lambda t: {"province": t.province.pk, "program": t.program.pk},
    ),
    Page("agency", "dashboards:agency", lambda t: [t.agency.pk], lambda t: {}),
    Page("commune", "dashboards:commune", lambda t: [t.commune.pk], lambda t: {}),
    Page(
        "map: submissions",
        "dashboards:map",
        lambda t: [],
        lambda t: {"province": t.province.pk, "metric": "submissions"},
    ),
    Page(
        "map: unresolved",
        "dashboards:map",
        lambda t: [],
        lambda t: {"province": t.province.pk, "metric": "unresolved"},
    ),
    Page(
        "submissions: open overdue",
        "dashboards:submissions",
        lambda t: [],
        lambda t: {"province": t.province.pk, "program": t.program.pk, "deadline": "open_overdue"},
    ),
    Page(
        "assignments: open overdue",
        "dashboards:assignments",
        lambda t: [],
        lambda t: {"province": t.province.pk, "program": t.program.pk, "state": "open_overdue"},
    ),
]


def targets() -> tuple[Target, Target]:
    """(national-scale: Hà Nội's 2026 program (edition 2, after the 2025 one, as the demo's 2023
    program follows its 2018 one), its busiest commune and a department; small:
    Nghệ An's 2023 demo program, Diễn Châu (the demo commune leader's) and the demo agriculture
    department)."""
    from django.db.models import Count

    from benchmarks.national import prefix_of
    from conclusions.models import ConclusionNotice
    from directory.models import AdminUnit, Agency, User
    from programs.models import Program
    from submissions.models import Submission

    provinces = AdminUnit.objects.provinces().current()
    big_province = provinces.get(code=BIG_PROVINCE)
    big_program = Program.objects.get(reference_prefix=prefix_of(2026, big_province))
    busiest = (
        Submission.objects.filter(program=big_program)
        .values("commune")
        .annotate(n=Count("id"))
        .order_by("-n", "commune")
        .first()
    )
    big_agency = (
        Agency.objects.filter(lead_routings__submission__program=big_program).order_by("code").distinct().first()
    )
    big = Target("national", big_province, big_program, big_agency, AdminUnit.objects.get(pk=busiest["commune"]))

    small_province = provinces.get(code=SMALL_PROVINCE)
    demo_notice = ConclusionNotice.objects.filter(sequence=1029, issued_year=2023).select_related("program").first()
    small_program = demo_notice.program if demo_notice else Program.objects.get(reference_prefix="ĐT2023")
    leader = User.objects.filter(username="xa.dienchau").select_related("commune").first()
    small_commune = (
        leader.commune if leader else AdminUnit.objects.communes().current().filter(parent=small_province).first()
    )
    small_agency = (
        Agency.objects.filter(code="na-so-nong-nghiep").first()
        or Agency.objects.filter(province=small_province).order_by("code").first()
    )
    small = Target("demo", small_province, small_program, small_agency, small_commune)
    return big, small


def standing_user(province):
    """`nat-thuongtruc`: Standing Committee of the province, in its party committee."""
    from benchmarks.national import province_agencies
    from directory.models import Role, User

    host, _standing, _departments = province_agencies(province)
    user = User.objects.filter(username=STANDING_USERNAME).first()
    if user is None:
        user = User.objects.create(
            username=STANDING_USERNAME,
            full_name="Thường trực thử tải toàn quốc",
            role=Role.STANDING_COMMITTEE,
            agency=host,
            password="!",
        )
    elif user.role != Role.STANDING_COMMITTEE or user.agency_id != host.pk:
        user.role, user.agency = Role.STANDING_COMMITTEE, host
        user.save()
    return user


def url_of(page: Page, target: Target) -> str:
    """The page's URL for the target; NoReverseMatch when the view is not there yet."""
    from django.urls import reverse

    url = reverse(page.name, args=page.args(target))
    query = page.query(target)
    return f"{url}?{urlencode(query)}" if query else url


def _try(fn, *args):
    """fn(*args), or the exception's one-line description (a view being built may fail)."""
    try:
        return fn(*args), None
    except Exception as exc:  # reported; the benchmark goes on
        return None, f"{type(exc).__name__}: {str(exc).splitlines()[0][:150] if str(exc) else ''}"


def run(print_fn: Callable[[str], None] = print, client_factory: Callable | None = None) -> dict:
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import NoReverseMatch, reverse

    from benchmarks.national import generate_national
    from directory.models import User

    client_factory = client_factory or Client
    data = generate_national(print_fn)
    big, small = targets()
    users = [("admin", User.objects.get(username="quantri")), ("standing", standing_user(big.province))]
    print_fn(
        f"national: {big.province} / {big.program.reference_prefix} ({big.program.submissions.count():,} items) / "
        f"{big.agency.code} / {big.commune}; demo: {small.province} / {small.program.reference_prefix} "
        f"({small.program.submissions.count():,} items) / {small.agency.code} / {small.commune}"
    )
    rows, skipped, counts = [], [], {}
    with override_settings(ROOT_URLCONF="benchmarks.urls", ALLOWED_HOSTS=["*"], DEBUG=False):
        clients = {}
        for role, user in users:
            clients[role] = client_factory()
            clients[role].force_login(user, backend=BACKEND)
        bare_ms, _status = measure(clients["admin"], reverse("bench_bare"), ROUNDS)
        for page in PAGES:
            try:
                big_url, small_url = url_of(page, big), url_of(page, small)
            except NoReverseMatch:
                skipped.append(page.name)
                print_fn(f"  {page.name} does not resolve yet: '{page.label}' skipped")
                continue
            for role, client in clients.items():
                timing, error = _try(measure, client, big_url, ROUNDS)
                queries, query_error = _try(count_queries, client, big_url) if not error else (None, None)
                row = {
                    "page": page.label,
                    "user": role,
                    "url": big_url,
                    "status": timing[1] if timing else None,
                    "median_ms": round(timing[0], 2) if timing else None,
                    "ratio": round(timing[0] / bare_ms, 1) if timing else None,
                    "queries": queries,
                    "error": error or query_error,
                }
                if role == "admin":
                    small_queries, small_error = _try(count_queries, client, small_url)
                    row["queries_demo"] = small_queries
                    row["url_demo"] = small_url
                    row["error"] = row["error"] or small_error
                    counts[page.label] = {"national": queries, "demo": small_queries}
                rows.append(row)

    print_fn(
        f"\ndashboards on national data (median of {ROUNDS}; bare view {bare_ms:.2f} ms; target {LIMIT_MS:.0f} ms)"
    )
    print_fn(
        f"{'page':<28}{'user':<10}{'status':>7}{'median ms':>11}{'× bare':>8}{'queries':>9}{'demo q.':>9}  verdict"
    )
    for row in rows:
        ok = row["status"] == 200 and row["median_ms"] is not None and row["median_ms"] < LIMIT_MS
        row["verdict"] = "PASS" if ok else ("SLOW" if row["status"] == 200 else "FAIL")
        median = f"{row['median_ms']:.1f}" if row["median_ms"] is not None else "-"
        ratio = f"{row['ratio']:.0f}" if row["ratio"] is not None else "-"
        demo = row.get("queries_demo")
        print_fn(
            f"{row['page']:<28}{row['user']:<10}{row['status'] or '-'!s:>7}{median:>11}{ratio:>8}"
            f"{row['queries'] if row['queries'] is not None else '-'!s:>9}"
            f"{(demo if demo is not None else '') if row['user'] == 'admin' else '':>9}  {row['verdict']}"
        )
        if row["error"]:
            print_fn(f"    {row['error']}")
    constant = all(c["national"] is not None and c["national"] == c["demo"] for c in counts.values())
    different = [name for name, c in counts.items() if c["national"] != c["demo"]]
    if counts:
        print_fn(
            "queries the same for the demo and the national data: "
            + ("yes" if constant else "NO (" + ", ".join(different) + ")")
        )
    if skipped:
        print_fn(f"skipped (not built yet): {', '.join(sorted(set(skipped)))}")
    return {
        "data": data,
        "bare_ms": round(bare_ms, 3),
        "rounds": ROUNDS,
        "limit_ms": LIMIT_MS,
        "national": {
            "province": str(big.province),
            "program": big.program.pk,
            "agency": big.agency.code,
            "commune": str(big.commune),
        },
        "demo": {
            "province": str(small.province),
            "program": small.program.pk,
            "agency": small.agency.code,
            "commune": str(small.commune),
        },
        "rows": rows,
        "query_counts": counts,
        "constant_queries": constant,
        "under_limit": all(row["verdict"] == "PASS" for row in rows),
        "skipped": sorted(set(skipped)),
    }


def main() -> int:
    import django

    django.setup()
    from benchmarks.run import prepare_database

    prepare_database()
    result = run(print)
    return 0 if result["under_limit"] and result["constant_queries"] else 1


if __name__ == "__main__":
    sys.exit(main())
