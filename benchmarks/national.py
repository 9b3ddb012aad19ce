"""National-scale data for the dashboards (issue 8): the 34 provinces of today, each with its
agencies, two programs (15/08/2025, edition 1, and 15/08/2026, edition 2, following the first),
their delegates, seats and check-ins, 500,000 questions, proposals and recommendations in all
with their routings and answers, and one issued notice of conclusions per program with 20,000
assignments in all, their dues and progress reports.

    python -m benchmarks.national        # on its own (the benchmark database, dialogue_bench)
    from benchmarks.national import generate_national

The few rows that have workflow rules (agencies, programs, topic groups, notices, key tasks) are
made through the ORM; the bulk is written by `INSERT … SELECT … FROM generate_series(…)` in one
transaction, with every NOT NULL column given (Django's defaults are not database defaults) and
the kept columns (`search_text`, `next_due_on`, `completed_on`, `late_dues`) computed as `save()`
and `conclusions.workflow.refresh` compute them. Spreads come from `hashint8` of the row's
position, so a rebuild gives the same data. Made once: a second call counts and returns.

Shape (fractions of the items of each program, by a hash of the item's number):
submitted 5 %, classified 5 %, routed 20 %, answered 10 %, published 50 %, closed 5 %, merged 3 %
(into an earlier item of the program), withdrawn 2 %. Routed and later items are answered in
writing, 15 % of the answered and published ones on the spot (routed before the program and
answered on its day). One routing per routed or later item (open while the answer is not
published, as `workflow.publish_answer` leaves it; done once published), 3 % with an older routing
handed over to another agency. Assignments: 30 % done (a quarter of those late), 25 % open and
overdue, 45 % open within the deadline, on the day of generation. Delegates: 1,100 per program,
over the province's communes in turn; the first three of a commune hold its three seats (a seat
is unique per program, commune and post, and provinces have 38–168 communes), the others are its
deputies without a seat; 10 % excused, 12 % not confirmed, about 80 % (2025) and 85 % (2026)
checked in.
"""

from __future__ import annotations

import datetime
import os
import random
import sys
import time

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dialogue_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dialogue.settings")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DIALOGUE_MANIFEST_STATIC", "0")

SUBMISSIONS = 500_000
ASSIGNMENTS = 20_000
DELEGATES_PER_PROGRAM = 1_100
DEPARTMENTS = 5
KEY_TASKS = 6
PREFIX = "nat"
# The two programs of every province: (year, day held, edition).
EDITIONS = [(2025, datetime.date(2025, 8, 15), 1), (2026, datetime.date(2026, 8, 15), 2)]
TOPIC_GROUPS = [
    "Công tác xây dựng Đảng và hệ thống chính trị",
    "Phát triển kinh tế - xã hội, quốc phòng, an ninh",
    "Tâm tư, nguyện vọng của Nhân dân",
]
DEPARTMENT_NAMES = [
    "Sở Tài chính",
    "Sở Xây dựng",
    "Sở Nông nghiệp và Môi trường",
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Sở Nội vụ",
    "Sở Công Thương",
]
KEY_TASK_TEXTS = [
    "Tiếp tục nâng cao chất lượng công tác xây dựng Đảng và hệ thống chính trị ở cơ sở",
    "Vận hành hiệu quả chính quyền địa phương hai cấp sau sắp xếp",
    "Tháo gỡ khó khăn về đất đai, tài nguyên, môi trường",
    "Đầu tư hạ tầng giao thông, trường học, trạm y tế cấp xã",
    "Thực hiện chế độ, chính sách đối với cán bộ cơ sở",
    "Giải quyết tâm tư, nguyện vọng chính đáng của Nhân dân",
]
# Seated posts first (one seat each per commune), then delegates without a seat.
EXTRA_TITLES = ["Phó Bí thư Đảng ủy", "Phó Chủ tịch HĐND", "Phó Chủ tịch UBND", "Cán bộ, công chức"]
ANSWER_TEXT = (
    "Cơ quan đã tiếp thu, giao đơn vị chuyên môn rà soát, bố trí nguồn lực và sẽ báo cáo kết quả thực hiện "
    "với Thường trực cấp ủy."
)


def national_provinces():
    """The 34 provinces and cities of today (the benchmarks' invented provinces left out)."""
    from directory.models import AdminUnit

    return AdminUnit.objects.provinces().current().filter(code__regex=r"^[0-9]{2}$").order_by("code")


def prefix_of(year: int, province) -> str:
    """The reference prefix that marks a national program: "QG25-01" for Hà Nội's 2025 one."""
    return f"QG{year % 100}-{province.code}"


def national_programs():
    """The 68 national programs (2 per province), by province code then year."""
    from django.db.models import Q

    from programs.models import Program

    marks = Q()
    for year, _held, _edition in EDITIONS:
        marks |= Q(reference_prefix__startswith=f"QG{year % 100}-")
    return Program.objects.filter(marks).select_related("area").order_by("area__code", "start_date")


def admin_user():
    from directory.models import User

    return User.objects.filter(is_superuser=True).order_by("pk").first()


def _agency(code: str, name: str, kind: str, province):
    from directory.models import Agency

    found = Agency.objects.filter(code=code).first()
    return found or Agency.objects.create(code=code, name=name, kind=kind, province=province)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def province_agencies(province) -> tuple[object, object, list]:
    """(host party committee, standing agency, lead agencies) of a province: its own agencies
    when it has them (Nghệ An's demo catalogue), `nat-<code>-…` ones otherwise."""
    from directory.models import Agency

    own = Agency.objects.filter(province=province).exclude(code__startswith="bench").order_by("code")
    departments = [a for a in own if a.kind == Agency.Kind.DEPARTMENT and not a.code.startswith(f"{PREFIX}-")]
    if len(departments) < DEPARTMENTS:
        where = _lower_first(province.full_name)
        departments += [
            _agency(f"{PREFIX}-{province.code}-{i}", f"{DEPARTMENT_NAMES[i]} {where}", Agency.Kind.DEPARTMENT, province)
            for i in range(DEPARTMENTS - len(departments))
        ]
    committee_word = "Thành ủy" if province.kind == "thanh_pho_tw" else "Tỉnh ủy"
    host = next((a for a in own if a.kind == Agency.Kind.PARTY_COMMITTEE), None) or _agency(
        f"{PREFIX}-{province.code}-tu", f"{committee_word} {province.name}", Agency.Kind.PARTY_COMMITTEE, province
    )
    boards = [a for a in own if a.kind == Agency.Kind.PARTY_BOARD]
    standing = next((a for a in boards if "dan-van" in a.code), None) or _agency(
        f"{PREFIX}-{province.code}-bdv",
        f"Ban Dân vận {committee_word} {province.name}",
        Agency.Kind.PARTY_BOARD,
        province,
    )
    return host, standing, departments


def _world() -> list[dict]:
    """Agencies, programs, topic groups, notices and key tasks (ORM, 68 programs): made once."""
    from django.db import transaction
    from django.utils import timezone

    from conclusions.models import ConclusionNotice, KeyTask
    from programs import workflow
    from programs.models import Program, TopicGroup

    admin = admin_user()
    plan = []
    with transaction.atomic():
        for province in national_provinces():
            host, standing, departments = province_agencies(province)
            committee_word = "Thành ủy" if province.kind == "thanh_pho_tw" else "Tỉnh ủy"
            previous = None
            for year, held, edition in EDITIONS:
                prefix = prefix_of(year, province)
                program = Program.objects.filter(reference_prefix=prefix).first()
                if program is None:
                    program = workflow.create_program(
                        by=admin,
                        title=(
                            f"Chương trình gặp mặt, đối thoại giữa Thường trực {committee_word} {province.name} với "
                            f"người đứng đầu cấp ủy, chính quyền các xã, phường năm {year}"
                        ),
                        host=host,
                        standing_agency=standing,
                        area=province,
                        audience=Program.Audience.COMMUNE_HEADS,
                        edition=edition,
                        previous=previous,
                        theme="Chính quyền địa phương hai cấp gần dân, sát dân, phục vụ Nhân dân",
                        start_date=held,
                        end_date=held,
                        venue=f"Hội trường {committee_word} {province.name}",
                        intake_opens=held - datetime.timedelta(days=75),
                        intake_closes=held - datetime.timedelta(days=12),
                        delegates_confirm_by=held - datetime.timedelta(days=7),
                        reference_prefix=prefix,
                    )
                    Program.objects.filter(pk=program.pk).update(status=Program.Status.FOLLOWING_UP)
                groups = [
                    TopicGroup.objects.get_or_create(program=program, name=name, defaults={"order": order})[0].pk
                    for order, name in enumerate(TOPIC_GROUPS, start=1)
                ]
                notice = ConclusionNotice.objects.filter(program=program).first()
                if notice is None:
                    issued_on = held + datetime.timedelta(days=25)
                    issued_at = datetime.datetime.combine(
                        issued_on, datetime.time(16), tzinfo=timezone.get_current_timezone()
                    )
                    notice = ConclusionNotice.objects.create(
                        program=program,
                        status=ConclusionNotice.Status.ISSUED,
                        sequence=1000 + edition,
                        doc_type="TB",
                        issuer_code=f"TU-{province.code}",
                        issued_on=issued_on,
                        issuing_body=f"ĐẢNG BỘ {province.full_name.upper()}\n{committee_word.upper()}",
                        place=province.name,
                        summary=(
                            f"kết luận của Thường trực {committee_word} tại chương trình gặp mặt, đối thoại năm {year}"
                        ),
                        assessment="Chương trình được tổ chức chu đáo, dân chủ, thẳng thắn.",
                        signing_form=ConclusionNotice.SigningForm.BY_ORDER,
                        signing_body="BAN THƯỜNG VỤ",
                        signer_title="CHÁNH VĂN PHÒNG",
                        signer_name="Cán bộ thử tải",
                        created_by=admin,
                        approved_by=admin,
                        approved_at=issued_at - datetime.timedelta(days=1),
                        issued_at=issued_at,
                    )
                if not notice.key_tasks.exists():
                    KeyTask.objects.bulk_create(
                        KeyTask(notice=notice, order=order, text=text)
                        for order, text in enumerate(KEY_TASK_TEXTS[:KEY_TASKS], start=1)
                    )
                plan.append(
                    {
                        "program": program,
                        "province": province,
                        "held": held,
                        "prefix": prefix,
                        "groups": groups,
                        "notice": notice,
                        "key_tasks": list(notice.key_tasks.order_by("order").values_list("pk", flat=True)),
                        "agencies": departments,
                    }
                )
                previous = program
    return plan


def _counts(program_ids: list[int]) -> dict[str, int]:
    from django.db import connection

    queries = {
        "programs": "SELECT count(*) FROM programs_program WHERE id = ANY(%s)",
        "delegates": "SELECT count(*) FROM programs_delegate WHERE program_id = ANY(%s)",
        "seats": "SELECT count(*) FROM programs_seat WHERE program_id = ANY(%s)",
        "checkins": "SELECT count(*) FROM programs_checkin c JOIN programs_delegate d ON d.id = c.delegate_id "
        "WHERE d.program_id = ANY(%s)",
        "submissions": "SELECT count(*) FROM submissions_submission WHERE program_id = ANY(%s)",
        "routings": "SELECT count(*) FROM submissions_routing r "
        "JOIN submissions_submission s ON s.id = r.submission_id "
        "WHERE s.program_id = ANY(%s)",
        "answers": "SELECT count(*) FROM submissions_answer a JOIN submissions_submission s ON s.id = a.submission_id "
        "WHERE s.program_id = ANY(%s)",
        "notices": "SELECT count(*) FROM conclusions_conclusionnotice WHERE program_id = ANY(%s)",
        "assignments": "SELECT count(*) FROM conclusions_assignment a JOIN conclusions_conclusionnotice n "
        "ON n.id = a.notice_id WHERE n.program_id = ANY(%s)",
        "progress_reports": "SELECT count(*) FROM conclusions_progressreport r JOIN conclusions_assignment a "
        "ON a.id = r.assignment_id JOIN conclusions_conclusionnotice n ON n.id = a.notice_id "
        "WHERE n.program_id = ANY(%s)",
    }
    with connection.cursor() as cursor:
        result = {}
        for name, sql in queries.items():
            cursor.execute(sql, [program_ids])
            result[name] = cursor.fetchone()[0]
    return result


def _split(total: int, parts: int) -> list[int]:
    """`total` shared as evenly as possible: 500,000 over 68 gives 7,352 or 7,353 each."""
    return [total * (i + 1) // parts - total * i // parts for i in range(parts)]


def _names(count: int) -> list[str]:
    from programs import delegates_demo

    names = delegates_demo.Names(random.Random(2025))
    return [names.person() for _ in range(count)]


def _reserve_ids(cursor, table: str, count: int) -> int:
    """The first of `count` ids taken for `table` (the rows are then inserted with explicit ids,
    so dependent rows can be computed in the same pass)."""
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    sequence = cursor.fetchone()[0]
    cursor.execute(f"SELECT greatest((SELECT coalesce(max(id), 0) FROM {table}), nextval(%s)) + 1", [sequence])
    first = cursor.fetchone()[0]
    cursor.execute("SELECT setval(%s, %s)", [sequence, first + count])
    return first


class _Timed:
    """A cursor that reports each statement taking more than a second (where generation spends
    its time)."""

    def __init__(self, cursor, report):
        self.cursor, self.report = cursor, report

    def execute(self, sql, params=None):
        started = time.perf_counter()
        self.cursor.execute(sql, params)
        seconds = time.perf_counter() - started
        if self.report and seconds > 1:
            label = next(line.strip() for line in sql.splitlines() if line.strip())
            self.report(f"  {seconds:6.1f} s  {label[:90]}")

    def __getattr__(self, name):
        return getattr(self.cursor, name)


def _load(plan: list[dict], report=None) -> None:
    """Everything else, in SQL (inside the caller's transaction)."""
    from django.db import connection
    from django.utils import timezone

    from benchmarks.generate import ASSIGNMENT_TEXTS, TRIAGE_TEXTS
    from conclusions.models import Assignment
    from dialogue.text import search_key
    from directory.models import AdminUnit
    from programs.models import DelegatePost
    from submissions.models import Field

    tz = timezone.get_current_timezone_name()
    today = timezone.localdate()
    admin = admin_user().pk
    items = _split(SUBMISSIONS, len(plan))
    assignments = _split(ASSIGNMENTS, len(plan))
    unit_word = {AdminUnit.Kind.XA: "xã", AdminUnit.Kind.PHUONG: "phường", AdminUnit.Kind.DAC_KHU: "đặc khu"}
    with connection.cursor() as raw:
        cursor = _Timed(raw, report)
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute("SET LOCAL gin_pending_list_limit = '32MB'")
        cursor.execute("SET LOCAL synchronous_commit = off")
        first_item = _reserve_ids(cursor, "submissions_submission", SUBMISSIONS)
        first_assignment = _reserve_ids(cursor, "conclusions_assignment", ASSIGNMENTS)

        # Small reference tables, each in one statement.
        cursor.execute(
            "CREATE TEMP TABLE nat_prog (pid bigint, idx int, prov bigint, held date, prefix text, n_items int,"
            " first_id bigint, tgs bigint[], notice bigint, issued date, n_assign int, first_assign bigint,"
            " key_tasks bigint[], checkin_rate int) ON COMMIT DROP"
        )
        offset_items = offset_assign = 0
        rows = []
        for idx, entry in enumerate(plan):
            rows.append(
                [
                    entry["program"].pk,
                    idx,
                    entry["province"].pk,
                    entry["held"],
                    entry["prefix"],
                    items[idx],
                    first_item + offset_items,
                    entry["groups"],
                    entry["notice"].pk,
                    entry["notice"].issued_on,
                    assignments[idx],
                    first_assignment + offset_assign,
                    entry["key_tasks"],
                    80 if entry["held"].year == 2025 else 85,
                ]
            )
            offset_items += items[idx]
            offset_assign += assignments[idx]
        for row in rows:
            cursor.execute("INSERT INTO nat_prog VALUES (" + ", ".join(["%s"] * len(row)) + ")", row)

        provinces = {entry["province"].pk: entry["province"] for entry in plan}
        communes = AdminUnit.objects.communes().current().filter(parent_id__in=provinces).order_by("parent_id", "code")
        c_rows: dict[str, list] = {key: [] for key in ("prov", "pos", "cid", "name", "label", "folded", "prov_f")}
        position: dict[int, int] = {}
        for commune in communes:
            pos = position.get(commune.parent_id, 0)
            position[commune.parent_id] = pos + 1
            c_rows["prov"].append(commune.parent_id)
            c_rows["pos"].append(pos)
            c_rows["cid"].append(commune.pk)
            c_rows["name"].append(commune.name)
            c_rows["label"].append(f"{unit_word.get(commune.kind, '')} {commune.name}".strip())
            c_rows["folded"].append(search_key(commune.name))
            c_rows["prov_f"].append(search_key(provinces[commune.parent_id].name))
        cursor.execute(
            "CREATE TEMP TABLE nat_commune ON COMMIT DROP AS SELECT * FROM unnest("
            "%s::bigint[], %s::int[], %s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[])"
            " AS t(prov, pos, cid, name, label, folded, prov_f)",
            list(c_rows.values()),
        )
        cursor.execute("CREATE UNIQUE INDEX ON nat_commune (prov, pos)")

        a_rows: dict[str, list] = {key: [] for key in ("prov", "pos", "aid", "name", "folded")}
        done_provinces = set()
        for entry in plan:
            if entry["province"].pk in done_provinces:
                continue
            done_provinces.add(entry["province"].pk)
            for pos, agency in enumerate(entry["agencies"]):
                a_rows["prov"].append(entry["province"].pk)
                a_rows["pos"].append(pos)
                a_rows["aid"].append(agency.pk)
                a_rows["name"].append(agency.name)
                a_rows["folded"].append(search_key(agency.name))
        cursor.execute(
            "CREATE TEMP TABLE nat_agency ON COMMIT DROP AS SELECT * FROM unnest("
            "%s::bigint[], %s::int[], %s::bigint[], %s::text[], %s::text[]) AS t(prov, pos, aid, name, folded)",
            list(a_rows.values()),
        )
        cursor.execute("CREATE UNIQUE INDEX ON nat_agency (prov, pos)")
        # How many of each a program's province has, on the program's row: the positions below
        # are then computed from one row and joined by equality (hash joins, not nested loops).
        cursor.execute(
            "ALTER TABLE nat_prog ADD COLUMN ncomm int, ADD COLUMN nag int;"
            " UPDATE nat_prog p SET ncomm = (SELECT count(*) FROM nat_commune c WHERE c.prov = p.prov),"
            " nag = (SELECT count(*) FROM nat_agency a WHERE a.prov = p.prov)"
        )
        cursor.execute("ANALYZE nat_prog; ANALYZE nat_commune; ANALYZE nat_agency")

        titles = [title for title, _content in TRIAGE_TEXTS]
        contents = [content for _title, content in TRIAGE_TEXTS]
        cursor.execute(
            "CREATE TEMP TABLE nat_text ON COMMIT DROP AS"
            " SELECT (ord - 1)::int AS pos, title, content, title_f, content_f"
            " FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[]) WITH ORDINALITY"
            " AS t(title, content, title_f, content_f, ord)",
            [titles, contents, [search_key(t) for t in titles], [search_key(c) for c in contents]],
        )
        fields = list(Field.objects.order_by("order").values_list("pk", flat=True))

        # --- submissions: one row per item with everything the four tables need -----------------
        # h and g: two independent hashes of (program, number); each spread takes its own digits.
        cursor.execute(
            """
            CREATE TEMP TABLE nat_item ON COMMIT DROP AS
            WITH base AS (
                SELECT p.*, n,
                       abs(hashint8(p.idx::bigint * 1000000 + n)::bigint) AS h,
                       abs(hashint8(p.idx::bigint * 1000000 + n + 500000000)::bigint) AS g
                FROM nat_prog p CROSS JOIN LATERAL generate_series(1, p.n_items) AS n
            ), shaped AS (
                SELECT b.*, b.first_id + b.n - 1 AS sid,
                       CASE WHEN mod(h, 100) < 5 THEN 'submitted'
                            WHEN mod(h, 100) < 10 THEN 'classified'
                            WHEN mod(h, 100) < 30 THEN 'routed'
                            WHEN mod(h, 100) < 40 THEN 'answered'
                            WHEN mod(h, 100) < 90 THEN 'published'
                            WHEN mod(h, 100) < 95 THEN 'closed'
                            WHEN mod(h, 100) < 98 THEN 'merged'
                            ELSE 'withdrawn' END AS status,
                       mod(g / 7, 100) < 15 AS spot_pick,
                       (b.held - (12 + mod(h / 100000, 60))::int)
                           + make_interval(mins => 420 + mod(g / 100000, 600)::int)
                           AS submitted_local
                FROM base b
            )
            SELECT s.pid, s.prov, s.held, s.prefix, s.n, s.h, s.g, s.sid, s.status,
                   NULL::bigint AS merged_into,
                   CASE WHEN s.status IN ('routed', 'answered', 'published', 'closed') THEN
                            CASE WHEN s.status IN ('answered', 'published') AND s.spot_pick THEN 'on_spot'
                                 ELSE 'in_writing' END
                        ELSE '' END AS answer_mode,
                   c.cid AS commune_id, c.name AS commune_name, c.folded AS commune_f,
                   mod(s.g / 1000, 12)::int AS text_pos,
                   (s.submitted_local AT TIME ZONE %(tz)s) AS submitted_at,
                   s.submitted_local::date + 14 AS acknowledge_due,
                   a.aid AS lead_id, a2.aid AS other_id
            FROM shaped s
            JOIN nat_commune c ON c.prov = s.prov AND c.pos = mod(s.g, s.ncomm)
            JOIN nat_agency a ON a.prov = s.prov AND a.pos = mod(s.h / 7, s.nag)
            JOIN nat_agency a2 ON a2.prov = s.prov AND a2.pos = mod(s.h / 7 + 1, s.nag)
            """,
            {"tz": tz},
        )
        # Merged into the last earlier item of the program that is neither merged nor withdrawn.
        cursor.execute(
            """
            UPDATE nat_item i SET merged_into = t.target
            FROM (
                SELECT sid, max(CASE WHEN status NOT IN ('merged', 'withdrawn') THEN sid END)
                       OVER (PARTITION BY pid ORDER BY n ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS target
                FROM nat_item
            ) t
            WHERE i.status = 'merged' AND t.sid = i.sid
            """
        )
        cursor.execute("UPDATE nat_item SET status = 'submitted' WHERE status = 'merged' AND merged_into IS NULL")
        cursor.execute("ANALYZE nat_item")
        # When it was routed, its deadline and when it was answered. On-spot items were routed
        # before the program and answered on its day; the 2026 programs' open items were routed
        # over a longer stretch, so some are still within their deadline.
        cursor.execute(
            """
            CREATE TEMP TABLE nat_route ON COMMIT DROP AS
            SELECT r.*, (r.routed_day + (15 + mod(r.g / 19, 31))::int) AS deadline,
                   CASE WHEN r.answer_mode = 'on_spot'
                            THEN (r.held + time '10:30') AT TIME ZONE %(tz)s
                        WHEN r.status IN ('answered', 'published', 'closed')
                            THEN least(r.routed_at + make_interval(days => (3 + mod(r.g / 29, 58))::int, hours => 2),
                                       now() - interval '3 hours')
                   END AS answered_at
            FROM (
                SELECT i.*, d.routed_day,
                       ((d.routed_day + time '08:00') + make_interval(mins => mod(i.g / 31, 480)::int))
                           AT TIME ZONE %(tz)s AS routed_at
                FROM nat_item i
                CROSS JOIN LATERAL (
                    SELECT CASE WHEN i.answer_mode = 'on_spot' THEN i.held - (3 + mod(i.g / 13, 8))::int
                                WHEN i.status = 'routed' AND extract(year FROM i.held) = 2026
                                    THEN i.held + (1 + mod(i.g / 17, 110))::int
                                ELSE i.held + (1 + mod(i.g / 17, 30))::int END AS routed_day
                ) d
                WHERE i.status IN ('routed', 'answered', 'published', 'closed')
            ) r
            """,
            {"tz": tz},
        )
        cursor.execute("ANALYZE nat_route")
        cursor.execute(
            """
            INSERT INTO submissions_submission (
                id, program_id, number, reference, kind, field_id, topic_group_id, title, content, location,
                commune_id, source, source_note, status, answer_mode, merged_into_id, split_from_id, public,
                created_by_id, created_at, submitted_at, acknowledge_due, acknowledged_at, search_text)
            SELECT i.sid, i.pid, i.n, i.prefix || '-' || lpad(i.n::text, 5, '0'),
                   CASE WHEN mod(i.h / 100, 10) < 3 THEN 'question'
                        WHEN mod(i.h / 100, 10) < 6 THEN 'proposal' ELSE 'recommendation' END,
                   (%(fields)s::bigint[])[1 + mod(i.h / 1000, %(nfields)s)],
                   CASE WHEN i.status IN ('submitted', 'withdrawn') THEN NULL ELSE p.tgs[1 + mod(i.h / 10000, 3)] END,
                   replace(t.title, '{commune}', i.commune_name), replace(t.content, '{commune}', i.commune_name), '',
                   i.commune_id, CASE WHEN mod(i.g / 3, 20) = 0 THEN 'village_meeting' ELSE 'commune' END, '',
                   i.status, i.answer_mode, i.merged_into, NULL, false,
                   %(admin)s, i.submitted_at - interval '1 day', i.submitted_at, i.acknowledge_due,
                   CASE WHEN i.status IN ('submitted', 'withdrawn') THEN NULL
                        ELSE i.submitted_at + make_interval(days => (2 + mod(i.g / 11, 8))::int) END,
                   lower(i.prefix || '-' || lpad(i.n::text, 5, '0')) || ' '
                       || replace(t.title_f, '{commune}', i.commune_f) || ' '
                       || replace(t.content_f, '{commune}', i.commune_f)
            FROM nat_item i
            JOIN nat_prog p ON p.pid = i.pid
            JOIN nat_text t ON t.pos = i.text_pos
            """,
            {"fields": fields, "nfields": len(fields), "admin": admin},
        )
        cursor.execute(
            "INSERT INTO submissions_submissionorigin (submission_id, commune_id, via_id)"
            " SELECT sid, commune_id, NULL FROM nat_item"
        )
        # Routings: the current one, and for 3 % an older one handed over to another agency.
        cursor.execute(
            """
            INSERT INTO submissions_routing (submission_id, lead_agency_id, deadline, working_days, status,
                                             routed_by_id, routed_at, reassign_reason, decision_note)
            SELECT sid, other_id, routed_day - 6 + 30, NULL::smallint, 'reassigned', %(admin)s,
                   routed_at - interval '6 days',
                   'Nội dung không thuộc chức năng, nhiệm vụ của cơ quan.', 'Đồng ý giao lại cho cơ quan khác.'
            FROM nat_route WHERE mod(g / 23, 100) < 3 AND other_id <> lead_id
            UNION ALL
            SELECT sid, lead_id, deadline, NULL,
                   CASE WHEN status IN ('published', 'closed') THEN 'done' ELSE 'active' END,
                   %(admin)s, routed_at, '', ''
            FROM nat_route
            """,
            {"admin": admin},
        )
        cursor.execute(
            """
            INSERT INTO submissions_answer (submission_id, agency_id, mode, text, answered_by, status, remark,
                                            created_by_id, created_at, submitted_at, published_at, published_by_id)
            SELECT sid, lead_id, answer_mode, %(text)s,
                   CASE WHEN answer_mode = 'on_spot' THEN 'Lãnh đạo ' || a.name ELSE '' END,
                   CASE WHEN status = 'answered' THEN 'submitted' ELSE 'published' END, '',
                   %(admin)s,
                   CASE WHEN answer_mode = 'on_spot' THEN answered_at ELSE answered_at - interval '1 day' END,
                   answered_at,
                   CASE WHEN status = 'answered' THEN NULL
                        ELSE least(answered_at + make_interval(days => (1 + mod(g, 10))::int),
                                   now() - interval '1 hour')
                   END,
                   CASE WHEN status = 'answered' THEN NULL ELSE %(admin)s END
            FROM nat_route r JOIN nat_agency a ON a.aid = r.lead_id AND a.prov = r.prov
            WHERE status IN ('answered', 'published', 'closed')
            """,
            {"admin": admin, "text": ANSWER_TEXT},
        )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('submissions_submission', 'id'),"
            " (SELECT max(id) FROM submissions_submission))"
        )
        # The deadline facts the workflow keeps on each item (`submissions.deadlines.store_facts`),
        # set-based: the latest routing that counts, and the first answer sent.
        cursor.execute(
            """
            UPDATE submissions_submission s
               SET lead_agency_id = r.lead_agency_id, answer_due = r.deadline, routed_at = r.routed_at
              FROM (SELECT DISTINCT ON (submission_id) submission_id, lead_agency_id, deadline, routed_at
                      FROM submissions_routing WHERE status <> 'reassigned'
                     ORDER BY submission_id, routed_at DESC, id DESC) r
             WHERE r.submission_id = s.id AND s.program_id = ANY(%(programs)s)
            """,
            {"programs": [entry["program"].pk for entry in plan]},
        )
        cursor.execute(
            """
            UPDATE submissions_submission s SET answered_at = a.first
              FROM (SELECT submission_id, min(submitted_at) AS first FROM submissions_answer
                     WHERE status IN ('submitted', 'published') AND submitted_at IS NOT NULL
                     GROUP BY submission_id) a
             WHERE a.submission_id = s.id AND s.program_id = ANY(%(programs)s)
            """,
            {"programs": [entry["program"].pk for entry in plan]},
        )

        # --- delegates, seats, check-ins -------------------------------------------------------------
        names = _names(2003)
        posts = [str(DelegatePost(post).label) for post in DelegatePost]
        cursor.execute(
            """
            CREATE TEMP TABLE nat_delegate ON COMMIT DROP AS
            SELECT p.pid, p.held, p.checkin_rate, p.idx, i, c.cid, c.label, c.folded, c.prov_f,
                   i / p.ncomm AS round, abs(hashint8(p.idx::bigint * 1000000 + i + 900000000)::bigint) AS h
            FROM nat_prog p
            CROSS JOIN LATERAL generate_series(0, %(count)s - 1) AS i
            JOIN nat_commune c ON c.prov = p.prov AND c.pos = mod(i, p.ncomm)
            """,
            {"count": DELEGATES_PER_PROGRAM},
        )
        cursor.execute("ALTER TABLE nat_delegate ADD COLUMN did bigint")
        first_delegate = _reserve_ids(cursor, "programs_delegate", DELEGATES_PER_PROGRAM * len(plan))
        cursor.execute("UPDATE nat_delegate SET did = %s + idx * %s + i", [first_delegate, DELEGATES_PER_PROGRAM])
        cursor.execute("ANALYZE nat_delegate")
        cursor.execute(
            """
            INSERT INTO programs_delegate (
                id, program_id, kind, full_name, title, organization, commune_id, phone, substitute_for,
                substitute_reason, forum_id, seat_row, seat_number, token, status, confirmed_at, confirmed_by_id,
                search_text, created_at)
            SELECT d.did, d.pid, 'commune', (%(names)s::text[])[1 + mod(d.h, %(nnames)s)],
                   CASE WHEN d.round < 3 THEN (%(posts)s::text[])[1 + d.round]
                        ELSE (%(extra)s::text[])[least(d.round - 2, %(nextra)s)] END || ' ' || d.label,
                   '', d.cid, '09' || lpad(mod(d.h / 7, 100000000)::text, 8, '0'), '', '', NULL, '', '',
                   md5('nat-delegate-' || d.did), st.status,
                   CASE WHEN st.status = 'confirmed'
                        THEN ((d.held - 10 + time '09:00') AT TIME ZONE %(tz)s) END,
                   NULL,
                   left((%(folded)s::text[])[1 + mod(d.h, %(nnames)s)] || ' ' || d.folded || ' ' || d.prov_f, 600),
                   (d.held - 30 + time '08:00') AT TIME ZONE %(tz)s
            FROM nat_delegate d
            CROSS JOIN LATERAL (
                SELECT CASE WHEN mod(d.h / 1000, 100) < 10 THEN 'excused'
                            WHEN mod(d.h / 1000, 100) < 22 THEN 'expected' ELSE 'confirmed' END AS status
            ) st
            """,
            {
                "names": names,
                "folded": [search_key(name) for name in names],
                "nnames": len(names),
                "posts": posts,
                "extra": EXTRA_TITLES,
                "nextra": len(EXTRA_TITLES),
                "tz": tz,
            },
        )
        cursor.execute(
            """
            INSERT INTO programs_seat (program_id, commune_id, post, delegate_id)
            SELECT pid, cid, (%(posts)s::text[])[1 + round], did FROM nat_delegate WHERE round < 3
            """,
            {"posts": list(DelegatePost.values)},
        )
        # Of those not excused, enough to make ~80 % (2025) or ~85 % (2026) of all delegates.
        cursor.execute(
            """
            INSERT INTO programs_checkin (delegate_id, at, by_id, undone_at, undone_by_id, undo_reason)
            SELECT did, ((held + time '07:00') + make_interval(mins => mod(h / 100000, 90)::int)) AT TIME ZONE %(tz)s,
                   %(admin)s, NULL, NULL, ''
            FROM nat_delegate
            WHERE mod(h / 1000, 100) >= 10 AND mod(h / 7, 90) < checkin_rate
            """,
            {"tz": tz, "admin": admin},
        )

        # --- assignments, dues, progress reports -------------------------------------------------------
        cursor.execute(
            """
            CREATE TEMP TABLE nat_assign ON COMMIT DROP AS
            WITH base AS (
                SELECT p.pid, p.prov, p.nag, p.notice, p.issued, p.key_tasks, p.first_assign + n - 1 AS aid, n,
                       abs(hashint8(p.idx::bigint * 1000000 + n + 1500000000)::bigint) AS h,
                       abs(hashint8(p.idx::bigint * 1000000 + n + 1800000000)::bigint) AS g
                FROM nat_prog p CROSS JOIN LATERAL generate_series(1, p.n_assign) AS n
            ), kinds AS (
                SELECT b.*, CASE WHEN mod(h, 100) < 30 THEN 'done' WHEN mod(h, 100) < 55 THEN 'overdue'
                                 ELSE 'within' END AS kind
                FROM base b
            ), dated AS (
                SELECT k.*,
                       CASE kind
                           WHEN 'done' THEN k.issued + (30 + mod(g, 400))::int
                           WHEN 'overdue'
                               THEN k.issued + (30 + mod(g, greatest(1, %(today)s::date - k.issued - 30)))::int
                           ELSE %(today)s::date + mod(g, 400)::int END AS deadline
                FROM kinds k
            ), finished AS (
                SELECT d.*,
                       CASE WHEN kind <> 'done' THEN NULL
                            WHEN d.deadline <= %(today)s::date - 2 AND mod(g / 400, 4) = 0
                                THEN least(d.deadline + (1 + mod(g / 1600, 40))::int, %(today)s::date)
                            ELSE greatest(d.issued + 1, least(d.deadline, %(today)s::date) - mod(g / 1600, 20)::int)
                       END AS done_on
                FROM dated d
            )
            SELECT f.*, mod(f.n - 1, %(ntexts)s)::int AS text_pos, a.aid AS lead_id, a.folded AS lead_f,
                   a2.aid AS other_id
            FROM finished f
            JOIN nat_agency a ON a.prov = f.prov AND a.pos = mod(f.h / 100, f.nag)
            JOIN nat_agency a2 ON a2.prov = f.prov AND a2.pos = mod(f.h / 100 + 1, f.nag)
            """,
            {"today": today, "ntexts": len(ASSIGNMENT_TEXTS)},
        )
        cursor.execute("ANALYZE nat_assign")
        texts = [text for text, _detail in ASSIGNMENT_TEXTS]
        details = [detail for _text, detail in ASSIGNMENT_TEXTS]
        outputs = list(Assignment.Output.values)
        cursor.execute(
            """
            INSERT INTO conclusions_assignment (
                id, notice_id, "order", key_task_id, lead_agency_id, text, output, output_detail, schedule, deadline,
                working_days, cycle, report_day, cycle_until, next_due_on, completed_on, late_dues, carried_from_id,
                search_text)
            SELECT aid, notice, n, key_tasks[1 + mod(n - 1, array_length(key_tasks, 1))], lead_id,
                   (%(texts)s::text[])[1 + text_pos] || ' (nhiệm vụ số ' || n || ')',
                   (%(outputs)s::text[])[1 + mod(n, %(noutputs)s)], (%(details)s::text[])[1 + text_pos],
                   'deadline', deadline, NULL, '', 15, NULL,
                   CASE WHEN done_on IS NULL THEN deadline END, done_on,
                   CASE WHEN done_on > deadline THEN 1 ELSE 0 END, NULL,
                   (%(texts_f)s::text[])[1 + text_pos] || ' (nhiem vu so ' || n || ') '
                       || (%(details_f)s::text[])[1 + text_pos] || ' ' || lead_f
            FROM nat_assign
            """,
            {
                "texts": texts,
                "details": details,
                "texts_f": [search_key(t) for t in texts],
                "details_f": [search_key(d) for d in details],
                "outputs": outputs,
                "noutputs": len(outputs),
            },
        )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('conclusions_assignment', 'id'),"
            " (SELECT max(id) FROM conclusions_assignment))"
        )
        cursor.execute(
            """
            INSERT INTO conclusions_assignment_coordinating_agencies (assignment_id, agency_id)
            SELECT aid, other_id FROM nat_assign WHERE mod(n, 8) = 0 AND other_id <> lead_id
            """
        )
        cursor.execute(
            """
            INSERT INTO conclusions_due (assignment_id, label, period_start, period_end, due_on, original_due_on,
                                         done_on)
            SELECT aid, 'Hạn hoàn thành', NULL, NULL, deadline, deadline, done_on FROM nat_assign
            """
        )
        # A completing report for every one done; a partial one for a third of the open ones.
        cursor.execute(
            """
            INSERT INTO conclusions_progressreport (assignment_id, due_id, text, percent, milestone, completes,
                                                    reported_by_id, reported_at)
            SELECT a.aid, d.id, 'Báo cáo kết quả thực hiện nhiệm vụ số ' || a.n || ': đã hoàn thành.', 100, '', true,
                   %(admin)s, (a.done_on + time '09:00') AT TIME ZONE %(tz)s
            FROM nat_assign a JOIN conclusions_due d ON d.assignment_id = a.aid
            WHERE a.done_on IS NOT NULL
            UNION ALL
            SELECT a.aid, NULL, 'Báo cáo tiến độ nhiệm vụ số ' || a.n || ': đang triển khai theo kế hoạch.',
                   (20 + 10 * mod(a.g, 7))::smallint, '', false, %(admin)s,
                   (least(%(today)s::date - 1, a.issued + (20 + mod(a.g / 7, 60))::int) + time '09:00')
                       AT TIME ZONE %(tz)s
            FROM nat_assign a
            WHERE a.done_on IS NULL AND mod(a.g / 3, 3) = 0
            """,
            {"admin": admin, "tz": tz, "today": today},
        )


def generate_national(report=None) -> dict[str, int]:
    """Build the national data once (about two minutes on 2 cores), then count it."""
    from django.db import transaction

    from benchmarks.run import settle

    started = time.perf_counter()
    plan = _world()
    program_ids = [entry["program"].pk for entry in plan]
    counts = _counts(program_ids)
    loaded = counts["submissions"] >= SUBMISSIONS and counts["assignments"] >= ASSIGNMENTS
    if not loaded:
        if counts["submissions"] or counts["assignments"] or counts["delegates"]:
            raise RuntimeError(
                f"national data is incomplete ({counts}); drop the benchmark database (dialogue_bench) and run again"
            )
        with transaction.atomic():
            _load(plan, report)
        settle()
        counts = _counts(program_ids)
    counts["seconds"] = round(time.perf_counter() - started, 1)
    counts["provinces"] = len({entry["province"].pk for entry in plan})
    counts["built"] = not loaded
    if report:
        report(
            f"national data {'built' if not loaded else 'found'} in {counts['seconds']} s: "
            + ", ".join(f"{name} {value:,}" for name, value in counts.items() if name not in ("seconds", "built"))
        )
    return counts


def main() -> int:
    import django

    django.setup()
    from benchmarks.run import prepare_database

    prepare_database()
    generate_national(print)
    return 0


if __name__ == "__main__":
    sys.exit(main())
