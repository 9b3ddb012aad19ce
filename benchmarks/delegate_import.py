"""The delegate import at full size: a 1,121-row Excel list (374 communes × 3 posts, one person
holding two posts) read and applied in-process with the functions the background jobs call
(`programs.delegate_import.store_preview` for `programs.delegate_import_preview`, `apply` for
`programs.delegate_import_apply`), timed with their query counts; then the same file uploaded a
second time, every row "unchanged". The target: preview + apply of the first import under 5 s.

    python -m benchmarks.delegate_import        # on its own (the benchmark database, dialogue_bench)
    from benchmarks.delegate_import import run  # from benchmarks/run.py: run(print)

The program lives in a benchmark province of its own (22 districts × 17 communes, names repeated
across districts, so every row names its district too), made once and kept; its seats, delegates
and imports are removed at the start of each run so the first import is all "new". The file is
typed the way districts type: "Xã Nghi Phú" or "nghi phu", "CT UBND", phones with dots or spaces.
The uploaded files go to a temporary MEDIA_ROOT, removed afterwards.
"""

from __future__ import annotations

import datetime
import io
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dialogue_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dialogue.settings")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DIALOGUE_MANIFEST_STATIC", "0")

PREFIX = "bench-di"
CODE = "bdi"  # unit codes have at most 10 characters
ROWS = 1_121
COMMUNES_PER_DISTRICT = 17
LIMIT_S = 5.0
TITLE = "Chương trình thử tải nhập danh sách 1.121 đại biểu"
DISTRICT_NAMES = [
    "Nghi Lộc", "Diễn Châu", "Quỳnh Lưu", "Yên Thành", "Đô Lương", "Thanh Chương", "Nam Đàn", "Hưng Nguyên",
    "Anh Sơn", "Con Cuông", "Tân Kỳ", "Nghĩa Đàn", "Quỳ Hợp", "Quỳ Châu", "Quế Phong", "Tương Dương", "Kỳ Sơn",
    "Hoàng Mai", "Thái Hòa", "Cửa Lò", "Vinh", "Nghĩa Hưng",
]  # fmt: skip
FIRST = ["Nghi", "Diễn", "Quỳnh", "Hưng", "Thanh", "Nam", "Yên", "Đức", "Minh", "Hòa", "Tân", "Phúc", "Long"]
SECOND = ["Phú", "Lộc", "Thịnh", "Sơn", "Thành", "Hải", "Trung", "Kim", "Mỹ", "Xuân", "Vinh", "Đồng", "Lâm", "Tiến"]
HEADER = ["STT", "Họ và tên", "Chức vụ", "Xã/phường/thị trấn", "Huyện/thị xã/thành phố", "Điện thoại", "Ghi chú"]
# The three posts as different districts write them.
POSTS = [
    ["Bí thư Đảng ủy", "Bí thư Đảng ủy xã", "BT ĐU", "Bí thư"],
    ["Chủ tịch HĐND", "CT HĐND", "Chủ tịch Hội đồng nhân dân xã", "Chủ tịch HĐND xã"],
    ["Chủ tịch UBND", "CT UBND", "Chủ tịch Ủy ban nhân dân", "Chủ tịch UBND xã"],
]


def world():
    """The benchmark province, its 22 districts × 17 communes (374) and an administrator; made once."""
    from directory.models import AdminUnit, Agency, Role, User

    start = datetime.date(2020, 1, 1)
    province, _ = AdminUnit.objects.get_or_create(
        level=AdminUnit.Level.PROVINCE,
        code=CODE,
        valid_from=start,
        defaults={"kind": AdminUnit.Kind.TINH, "name": "Tỉnh thử tải nhập đại biểu"},
    )
    communes = AdminUnit.objects.filter(parent__parent=province)
    if not communes.exists():
        for d, name in enumerate(DISTRICT_NAMES):
            district = AdminUnit.objects.create(
                level=AdminUnit.Level.DISTRICT,
                code=f"{CODE}{d:02d}",
                valid_from=start,
                kind=AdminUnit.Kind.HUYEN,
                name=name,
                parent=province,
            )
            AdminUnit.objects.bulk_create(
                AdminUnit(
                    level=AdminUnit.Level.COMMUNE,
                    code=f"{CODE}{d:02d}{c:02d}",
                    valid_from=start,
                    kind=AdminUnit.Kind.XA,
                    # Unique within a district, repeated across districts (as "Nghi Phú" may be).
                    name=f"{FIRST[c % len(FIRST)]} {SECOND[(c * 7 + d) % len(SECOND)]}",
                    parent=district,
                )
                for c in range(COMMUNES_PER_DISTRICT)
            )
    communes = sorted(AdminUnit.objects.filter(parent__parent=province).select_related("parent"), key=lambda c: c.code)
    host, _ = Agency.objects.get_or_create(
        code=f"{PREFIX}-tu",
        defaults={"name": "Tỉnh ủy thử tải nhập đại biểu", "kind": Agency.Kind.PARTY_COMMITTEE, "province": province},
    )
    admin = User.objects.filter(username=f"{PREFIX}-quantri").first() or User.objects.create(
        username=f"{PREFIX}-quantri", full_name="Quản trị thử tải nhập", role=Role.ADMIN, agency=host, password="!"
    )
    return province, host, communes, admin


def fresh_program(province, host):
    """The benchmark program with no seats, delegates or imports (made once, emptied every run)."""
    from programs import workflow
    from programs.models import Delegate, DelegateImport, Program, Seat

    program = Program.objects.filter(title=TITLE).first()
    if program is None:
        program = workflow.create_program(
            by=None,
            title=TITLE,
            host=host,
            standing_agency=host,
            area=province,
            audience=Program.Audience.COMMUNE_HEADS,
            start_date=datetime.date(2027, 8, 3),
            end_date=datetime.date(2027, 8, 4),
        )
    Seat.objects.filter(program=program).delete()
    Delegate.objects.filter(program=program).delete()
    DelegateImport.objects.filter(program=program).delete()
    return program


def workbook_bytes(communes) -> bytes:
    """The list as an .xlsx in memory: 1,121 rows, the first commune's party secretary also
    chairing its council (one row, two posts), every other seat a row of its own."""
    import random

    from openpyxl import Workbook

    from dialogue.text import search_key
    from programs import delegates_demo

    rng = random.Random(ROWS)
    names = delegates_demo.Names(rng)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách đại biểu"
    sheet.append(HEADER)
    number = 0
    for c, commune in enumerate(communes):
        district = commune.parent
        western = district.name in delegates_demo.WESTERN_DISTRICTS
        seats = [[0, 1], [2]] if c == 0 else [[0], [1], [2]]
        for posts in seats:
            number += 1
            spelling = number % 4
            post = " kiêm ".join(POSTS[p][spelling] for p in posts)
            where = f"Xã {commune.name}" if spelling != 1 else search_key(commune.name)
            area = f"Huyện {district.name}" if spelling != 2 else search_key(district.name)
            phone = names.phone()
            phone = [phone, f"{phone[:4]}.{phone[4:7]}.{phone[7:]}", f"{phone[:4]} {phone[4:]}", ""][spelling]
            sheet.append([number, names.person(western=western), post, where, area, phone, None])
    assert number == ROWS, number
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def timed(fn) -> tuple[float, int, object]:
    """Seconds, queries, and the result of `fn()`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - start
    return seconds, len(captured), result


def one_import(program, content: bytes, admin, name: str) -> dict:
    """Keep the file as `upload` does, then the preview job's step and the apply job's step."""
    from django.core.files.base import ContentFile

    from programs import delegate_import as importer
    from programs.models import DelegateImport

    delegate_import = DelegateImport(program=program, original_name=name, created_by=admin)
    delegate_import.file.save(name, ContentFile(content), save=False)
    delegate_import.save()
    stages: list[str] = []

    def progress(done, total, stage=None):
        if stage and (not stages or stages[-1] != stage):
            stages.append(stage)

    preview_s, preview_q, _ = timed(lambda: importer.store_preview(delegate_import, progress))
    delegate_import.refresh_from_db()
    counts = dict(delegate_import.counts)
    if delegate_import.status != DelegateImport.Status.PREVIEWED:
        errors = [row["errors"] for row in delegate_import.preview if row["errors"]][:5]
        raise RuntimeError(f"the benchmark file has errors: {counts} {errors}")
    apply_s, apply_q, applied = timed(lambda: importer.apply(delegate_import, admin, progress))
    return {
        "preview_s": round(preview_s, 3),
        "preview_queries": preview_q,
        "apply_s": round(apply_s, 3),
        "apply_queries": apply_q,
        "total_s": round(preview_s + apply_s, 3),
        "rows": counts["total"],
        "new": counts["new"],
        "update": counts["update"],
        "unchanged": counts["unchanged"],
        "errors": counts["error"],
        "created": applied["created"],
        "updated": applied["updated"],
        "seats": applied["seats"],
        "stages": stages,
    }


def run(report: Callable[[str], None] = print) -> dict:
    from django.test.utils import override_settings

    from programs.models import Delegate, Seat

    province, host, communes, admin = world()
    program = fresh_program(province, host)
    started = time.perf_counter()
    content = workbook_bytes(communes)
    build_s = time.perf_counter() - started
    media = tempfile.mkdtemp(prefix="bench-delegate-import-")
    try:
        with override_settings(MEDIA_ROOT=media):
            first = one_import(program, content, admin, "danh-sach-dai-bieu.xlsx")
            delegates = Delegate.objects.filter(program=program).count()
            filled = Seat.objects.filter(program=program, delegate__isnull=False).count()
            second = one_import(program, content, admin, "danh-sach-dai-bieu-lan-2.xlsx")
            after = Delegate.objects.filter(program=program).count()
    finally:
        shutil.rmtree(media, ignore_errors=True)
    ok = (
        first["total_s"] < LIMIT_S
        and first["new"] == ROWS
        and second["unchanged"] == ROWS
        and second["created"] == second["updated"] == second["seats"] == 0
        and delegates == after == ROWS
        and filled == ROWS + 1
    )
    report(
        f"\ndelegate import ({ROWS:,} rows, {len(communes)} communes × 3 posts, "
        f"{len(content) / 1024:.0f} KB xlsx built in {build_s:.2f} s; in-process, as the background jobs run it)"
    )
    report(f"{'import':<22}{'preview s':>10}{'queries':>9}{'apply s':>9}{'queries':>9}{'total s':>9}  rows")
    for label, figures in (("first (all new)", first), ("second (same file)", second)):
        report(
            f"{label:<22}{figures['preview_s']:>10.2f}{figures['preview_queries']:>9}{figures['apply_s']:>9.2f}"
            f"{figures['apply_queries']:>9}{figures['total_s']:>9.2f}  {figures['new']} new, {figures['update']} "
            f"update, {figures['unchanged']} unchanged, {figures['errors']} errors"
        )
    report(
        f"first import: {first['created']} delegates created, {first['seats']} seats filled; "
        f"second: {second['created']} created, {second['updated']} updated, {second['seats']} seats changed"
    )
    report(
        f"preview + apply {first['total_s']:.2f} s: {'under' if first['total_s'] < LIMIT_S else 'NOT under'} "
        f"{LIMIT_S:.0f} s; the same file again changes nothing: "
        f"{'yes' if second['unchanged'] == ROWS and not (second['created'] or second['updated']) else 'NO'}"
    )
    return {
        "rows": ROWS,
        "communes": len(communes),
        "xlsx_kb": round(len(content) / 1024, 1),
        "first": first,
        "second": second,
        "delegates": after,
        "seats_filled": filled,
        "limit_s": LIMIT_S,
        "under_limit": ok,
    }


def main() -> int:
    import django

    django.setup()
    from django.core.management import call_command

    from benchmarks.run import ensure_database

    ensure_database()
    call_command("migrate", verbosity=0)
    result = run(print)
    return 0 if result["under_limit"] else 1


if __name__ == "__main__":
    sys.exit(main())
