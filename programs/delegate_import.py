"""The delegate list from the districts' Excel files, in two steps: `preview` reads the file
and marks each row new / update / unchanged / error (every error naming its row and column as
Excel shows them), `apply` writes an error-free preview in one transaction. Both load the
program's communes, seats and delegates once and write with bulk operations, so a file of
1,121 rows costs the same number of queries as one of 20. Applying the same file again, or a
second upload of it, changes nothing: every row then reads "unchanged".

Columns: STT, Họ và tên, Chức vụ (one post, or two joined by "," or " kiêm "), Xã/phường/thị
trấn, Huyện/thị xã/thành phố (needed only when two communes share a name), Điện thoại, Ghi chú
("Dự thay: <lý do>" marks a deputy attending in place of the post holder). A row whose name
is empty is a seat not filled yet (the downloadable template lists every seat) and is skipped.

Files over `DIALOGUE_DELEGATE_IMPORT_BACKGROUND_ROWS` rows (300) are read and applied by a
Celery worker through `directory.jobs`, with a progress bar; smaller ones in the request.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.styles import Font
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from dialogue import excel
from dialogue.text import nfc, search_key
from directory import audit, jobs
from directory.models import AdminUnit
from directory.permissions import can

from . import delegates
from .models import Delegate, DelegateImport, DelegatePost, Program, Seat

audit.register_verb("delegates.import", gettext_lazy("Nhập danh sách đại biểu từ Excel"))

PREVIEW_KIND = "programs.delegate_import_preview"
APPLY_KIND = "programs.delegate_import_apply"

NEW, UPDATE, UNCHANGED, ERROR = "new", "update", "unchanged", "error"
STATUS_LABELS = {
    NEW: gettext_lazy("Thêm mới"),
    UPDATE: gettext_lazy("Cập nhật"),
    UNCHANGED: gettext_lazy("Không đổi"),
    ERROR: gettext_lazy("Lỗi"),
}
BATCH = 1000


def background_rows() -> int:
    """Files with more data rows than this are read and applied by a worker."""
    return getattr(settings, "DIALOGUE_DELEGATE_IMPORT_BACKGROUND_ROWS", 300)


# --- columns ---------------------------------------------------------------------------------


def columns() -> list[excel.Column]:
    return [
        excel.Column("number", _("STT"), aliases=("TT", "Số thứ tự"), width=6, parser=excel.text(20)),
        excel.Column("full_name", _("Họ và tên"), aliases=("Họ tên", "Tên"), width=28, parser=excel.text(150)),
        excel.Column(
            "posts",
            _("Chức vụ"),
            aliases=("Chức danh",),
            required=True,
            width=34,
            parser=excel.text(300),
            example=_("Bí thư Đảng ủy, Chủ tịch HĐND"),
            note=_(
                "Một chức vụ, hoặc hai chức vụ của cùng một người ghi trên một dòng, nối bằng dấu phẩy hoặc “kiêm”."
            ),
        ),
        excel.Column(
            "commune",
            _("Xã/phường/thị trấn"),
            aliases=("Xã", "Xã, phường, thị trấn", "Đơn vị"),
            required=True,
            width=24,
            parser=excel.text(150),
            example="Xã Nghi Phú",
        ),
        excel.Column(
            "district",
            _("Huyện/thị xã/thành phố"),
            aliases=("Huyện", "Huyện, thị xã, thành phố"),
            width=24,
            parser=excel.text(150),
            example=_("Huyện Nghi Lộc"),
            note=_("Chỉ cần khi hai xã trùng tên."),
        ),
        excel.Column("phone", _("Điện thoại"), aliases=("Số điện thoại", "SĐT", "ĐT"), width=16, parser=excel.phone()),
        excel.Column(
            "note",
            _("Ghi chú"),
            width=30,
            parser=excel.text(300),
            example="",
            note=_("Người dự thay ghi “Dự thay: <lý do>”, ví dụ “Dự thay: Bí thư đi công tác”."),
        ),
    ]


# --- posts -------------------------------------------------------------------------------------

_POST_SPLIT = re.compile(r"\s*(?:,|;|\+|/|&|\bkiem\b|\bva\b)\s*")
_POST_WORDS = [
    (re.compile(r"\bhoi dong nhan dan\b"), "hdnd"),
    (re.compile(r"\buy ban nhan dan\b"), "ubnd"),
    (re.compile(r"\bdang uy\b"), "du"),
    (re.compile(r"\bdang bo\b"), "du"),
    (re.compile(r"\bchu tich\b"), "ct"),
]
_TRAILING_UNIT = re.compile(r"\s+(?:xa|phuong|thi tran|tt)$")
# After the rewrites above: "Bí thư Đảng ủy xã" -> "bi thu du", "Chủ tịch Hội đồng nhân dân" -> "ct hdnd".
POST_ALIASES = {
    "bi thu": DelegatePost.PARTY_SECRETARY,
    "bi thu du": DelegatePost.PARTY_SECRETARY,
    "bt": DelegatePost.PARTY_SECRETARY,
    "btdu": DelegatePost.PARTY_SECRETARY,
    "bt du": DelegatePost.PARTY_SECRETARY,
    "ct hdnd": DelegatePost.COUNCIL_CHAIR,
    "cthdnd": DelegatePost.COUNCIL_CHAIR,
    "ct ubnd": DelegatePost.COMMITTEE_CHAIR,
    "ctubnd": DelegatePost.COMMITTEE_CHAIR,
}


def _post_key(text: str) -> str:
    key = search_key(text.replace(".", " "))
    for pattern, short in _POST_WORDS:
        key = pattern.sub(short, key)
    return _TRAILING_UNIT.sub("", key).strip()


def parse_posts(text: str) -> tuple[list[str], list[str]]:
    """(posts recognised, parts not recognised) of a "Chức vụ" cell."""
    posts, unknown = [], []
    for part in _POST_SPLIT.split(search_key(text)):
        if not part:
            continue
        post = POST_ALIASES.get(_post_key(part))
        if post is None:
            unknown.append(part)
        else:
            posts.append(str(post))
    if unknown:
        # Report what the user wrote, with its diacritics, not the search key.
        originals = [nfc(p) for p in re.split(r"\s*(?:,|;|\+|/|&|\bkiêm\b|\bvà\b)\s*", nfc(text), flags=re.I) if p]
        unknown = [p for p in originals if POST_ALIASES.get(_post_key(p)) is None] or unknown
    return posts, unknown


# --- units -------------------------------------------------------------------------------------

_COMMUNE_PREFIX = re.compile(r"^(?:xa|phuong|thi tran|tt|p|x)\s+")
_DISTRICT_PREFIX = re.compile(r"^(?:huyen|thi xa|thanh pho|quan|tp|tx|h|q)\s+")


def _unit_key(text: str) -> str:
    return search_key((text or "").replace(".", " "))


class UnitIndex:
    """The program's communes by every way a district may write them: "Xã Nghi Phú", "nghi
    phu", "NGHI PHÚ", in NFD or NFC."""

    def __init__(self, communes: Iterable[AdminUnit]):
        self.by_id: dict[int, AdminUnit] = {}
        self.by_key: dict[str, list[AdminUnit]] = defaultdict(list)
        for unit in communes:
            self.by_id[unit.pk] = unit
            for key in {_unit_key(unit.name), _unit_key(unit.full_name)}:
                self.by_key[key].append(unit)

    def find(self, text: str) -> list[AdminUnit]:
        key = _unit_key(text)
        return self.by_key.get(key) or self.by_key.get(_COMMUNE_PREFIX.sub("", key), [])

    @staticmethod
    def in_district(units: list[AdminUnit], district: str) -> list[AdminUnit]:
        """Those of `units` under the district written as `district` ("Huyện Nghi Lộc", "nghi loc")."""
        key = _unit_key(district)
        short = _DISTRICT_PREFIX.sub("", key)
        found = []
        for unit in units:
            parent = unit.parent
            if parent is not None and (
                key in {_unit_key(parent.name), _unit_key(parent.full_name)} or short == _unit_key(parent.name)
            ):
                found.append(unit)
        return found


# --- rows --------------------------------------------------------------------------------------


@dataclass
class Row:
    """One row of the preview, stored as JSON in `DelegateImport.preview`."""

    number: int
    full_name: str = ""
    posts: list[str] = field(default_factory=list)
    commune: int | None = None
    commune_name: str = ""
    district_name: str = ""
    phone: str = ""
    substitute: bool = False
    reason: str = ""
    status: str = NEW
    errors: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)

    @property
    def post_labels(self) -> str:
        return ", ".join(str(DelegatePost(p).label) for p in self.posts)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    def as_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Row:
        return cls(**{key: data[key] for key in cls.__dataclass_fields__ if key in data})


_SUBSTITUTE = re.compile(r"^\s*d[uự]\s*thay\b\s*[:：\-–]?\s*(.*)$", re.IGNORECASE | re.DOTALL)


def _substitute_reason(note: str) -> tuple[bool, str]:
    if not note or not search_key(note).startswith("du thay"):
        return False, ""
    match = _SUBSTITUTE.match(nfc(note))
    return True, nfc(match.group(1)) if match else ""


def _header_letters(content: bytes, header_row: int, cols: list[excel.Column]) -> dict[str, tuple[str, str]]:
    """Column key -> (letter, header label) as the file has them, for the errors found after
    `read_table` (unknown commune, duplicates), which it cannot name itself."""
    from openpyxl.utils import get_column_letter

    wanted = {}
    for column in cols:
        for name in (column.label, *column.aliases):
            wanted.setdefault(search_key(str(name)), column)
    letters = {}
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(min_row=header_row, max_row=header_row, values_only=True):
            for index, value in enumerate(values):
                key = search_key(str(value).replace("*", "").rstrip(": ")) if value is not None else ""
                column = wanted.get(key)
                if column is not None and column.key not in letters:
                    letters[column.key] = (get_column_letter(index + 1), column.label)
    finally:
        workbook.close()
    return letters


def _cell_error(row: int, letters: dict, key: str, message: str) -> excel.CellError:
    letter, header = letters.get(key, (None, ""))
    return excel.CellError(row, letter, header, message)


def read_rows(program: Program, content: bytes, communes: UnitIndex) -> list[Row]:
    """Every data row of the file, its values cleaned and checked against the program: the
    commune, the posts, the phone, duplicates within the file. Raises `excel.ExcelError`."""
    cols = columns()
    table = excel.read_table(content, cols, header_row=None)
    if any(error.column is None for error in table.errors):
        raise excel.ExcelError(" ".join(str(error) for error in table.errors))
    letters = _header_letters(content, table.header_row, cols)
    expected = set(delegates.expected_posts(program))
    expected_labels = "; ".join(str(DelegatePost(p).label) for p in delegates.expected_posts(program))
    rows: list[Row] = []
    seen_seats: dict[tuple[int, str], int] = {}
    seen_people: dict[tuple[int, str], int] = {}
    for cells in table.rows:
        person_columns = {letters.get(key, ("",))[0] for key in ("full_name", "phone", "note")}
        if not any(cells.get(key) for key in ("full_name", "phone", "note")) and not any(
            error.column in person_columns for error in cells.errors
        ):
            continue  # a seat of the template nobody is named for yet (or only its STT)
        row = Row(number=cells.number, errors=list(cells.errors))
        row.full_name = " ".join(nfc(cells.get("full_name") or "").split())
        row.phone = cells.get("phone") or ""
        row.substitute, row.reason = _substitute_reason(cells.get("note") or "")
        if not row.full_name:
            row.errors.append(_cell_error(row.number, letters, "full_name", _("không được để trống")))
        if row.substitute and not row.reason:
            row.errors.append(
                _cell_error(
                    row.number, letters, "note", _("hãy ghi lý do dự thay sau “Dự thay:”, ví dụ “Dự thay: đi công tác”")
                )
            )
        if cells.get("posts"):
            posts, unknown = parse_posts(cells["posts"])
            for text in unknown:
                row.errors.append(
                    _cell_error(
                        row.number,
                        letters,
                        "posts",
                        _("không nhận ra chức vụ “%(post)s” (cần: %(posts)s)")
                        % {"post": text, "posts": expected_labels},
                    )
                )
            for post in posts:
                if post not in expected:
                    row.errors.append(
                        _cell_error(
                            row.number,
                            letters,
                            "posts",
                            _("chức vụ “%(post)s” không thuộc thành phần đại biểu của chương trình")
                            % {"post": DelegatePost(post).label},
                        )
                    )
                elif post in row.posts:
                    row.errors.append(
                        _cell_error(
                            row.number,
                            letters,
                            "posts",
                            _("chức vụ “%(post)s” ghi hai lần") % {"post": DelegatePost(post).label},
                        )
                    )
                else:
                    row.posts.append(post)
        if cells.get("commune"):
            found = communes.find(cells["commune"])
            if len(found) > 1 and cells.get("district"):
                found = communes.in_district(found, cells["district"])
                if not found:
                    row.errors.append(
                        _cell_error(
                            row.number,
                            letters,
                            "district",
                            _("không có “%(commune)s” thuộc “%(district)s” trong các xã của chương trình")
                            % {"commune": cells["commune"], "district": cells["district"]},
                        )
                    )
            elif len(found) == 1 and cells.get("district") and not communes.in_district(found, cells["district"]):
                row.errors.append(
                    _cell_error(
                        row.number,
                        letters,
                        "district",
                        _("“%(commune)s” thuộc %(district)s, không thuộc “%(given)s”")
                        % {
                            "commune": found[0].full_name,
                            "district": found[0].parent.full_name if found[0].parent else "—",
                            "given": cells["district"],
                        },
                    )
                )
                found = []
            if not found and not cells.get("district"):
                row.errors.append(
                    _cell_error(
                        row.number,
                        letters,
                        "commune",
                        _("không tìm thấy “%(name)s” trong các xã của chương trình") % {"name": cells["commune"]},
                    )
                )
            elif len(found) > 1:
                districts = sorted({unit.parent.full_name for unit in found if unit.parent})
                row.errors.append(
                    _cell_error(
                        row.number,
                        letters,
                        "commune",
                        _("có %(n)s xã tên “%(name)s” (%(districts)s): hãy ghi thêm cột “%(column)s”")
                        % {
                            "n": len(found),
                            "name": cells["commune"],
                            "districts": ", ".join(districts),
                            "column": _("Huyện/thị xã/thành phố"),
                        },
                    )
                )
            elif found:
                unit = found[0]
                row.commune, row.commune_name = unit.pk, unit.full_name
                row.district_name = unit.parent.full_name if unit.parent and unit.parent.level == "district" else ""
        if row.commune and row.posts:
            clash = [(post, seen_seats[(row.commune, post)]) for post in row.posts if (row.commune, post) in seen_seats]
            for post, first in clash:
                row.errors.append(
                    _cell_error(
                        row.number,
                        letters,
                        "posts",
                        _("%(post)s %(commune)s đã có ở dòng %(first)s")
                        % {"post": DelegatePost(post).label, "commune": row.commune_name, "first": first},
                    )
                )
            person = (row.commune, search_key(row.full_name))
            if not clash and row.full_name and person in seen_people:
                row.errors.append(
                    _cell_error(
                        row.number,
                        letters,
                        "full_name",
                        _(
                            "“%(name)s” của %(commune)s đã có ở dòng %(first)s; một người giữ hai chức vụ ghi trên "
                            "một dòng, ví dụ “Bí thư Đảng ủy, Chủ tịch HĐND”"
                        )
                        % {"name": row.full_name, "commune": row.commune_name, "first": seen_people[person]},
                    )
                )
            for post in row.posts:
                seen_seats.setdefault((row.commune, post), row.number)
            if row.full_name:
                seen_people.setdefault(person, row.number)
        if row.errors:  # as text, left to right across the row
            ordered = sorted(row.errors, key=lambda error: (len(error.column or ""), error.column or ""))
            row.errors = [str(error) for error in ordered]
            row.status = ERROR
        rows.append(row)
    return rows


# --- planning against the program's current state ----------------------------------------------


@dataclass
class State:
    """The program's communes, seats and commune delegates, loaded once (three queries)."""

    communes: UnitIndex
    seats: dict[tuple[int, str], Seat]
    delegates: dict[int, Delegate]
    seats_of: dict[int, set[tuple[int, str]]]

    @classmethod
    def load(cls, program: Program) -> State:
        communes = UnitIndex(delegates.expected_communes(program).select_related("parent"))
        seats = {(s.commune_id, s.post): s for s in Seat.objects.filter(program=program).order_by()}
        people = {d.pk: d for d in Delegate.objects.filter(program=program, kind=Delegate.Kind.COMMUNE).order_by()}
        seats_of: dict[int, set] = defaultdict(set)
        for key, seat in seats.items():
            if seat.delegate_id:
                seats_of[seat.delegate_id].add(key)
        return cls(communes, seats, people, seats_of)


@dataclass
class Plan:
    row: Row
    target: Delegate | None  # the delegate who will fill the row's seats (None: a new one)
    values: dict[str, Any]
    keys: set[tuple[int, str]]
    renamed: bool = False


def _title(row: Row, commune: AdminUnit) -> str:
    if row.substitute:
        return _("Dự thay %(post)s %(commune)s") % {"post": row.post_labels, "commune": commune.name}
    return delegates.describe_posts([Seat(post=p) for p in row.posts], commune)


FIELD_LABELS = {
    "full_name": gettext_lazy("Họ và tên"),
    "phone": gettext_lazy("Điện thoại"),
    "title": gettext_lazy("Chức vụ"),
    "substitute_reason": gettext_lazy("Lý do dự thay"),
    "substitute_for": gettext_lazy("Dự thay cho"),
}


def plan_rows(rows: list[Row], state: State) -> list[Plan]:
    """Who fills each valid row's seats, and what changes. Sets each row's status and changes."""
    plans, claimed = [], set()
    for row in rows:
        if row.status == ERROR:
            continue
        commune = state.communes.by_id[row.commune]
        keys = {(row.commune, post) for post in row.posts}
        holders = {state.seats[k].delegate_id for k in keys if k in state.seats and state.seats[k].delegate_id}
        name_key = search_key(row.full_name)
        target = None
        if len(holders) == 1:
            only = next(iter(holders))
            if state.seats_of.get(only, set()) == keys and only not in claimed:
                target = state.delegates.get(only)
        if target is None:
            same = [
                d for d in sorted(holders) if d not in claimed and search_key(state.delegates[d].full_name) == name_key
            ]
            target = state.delegates.get(same[0]) if same else None
        if target is not None:
            claimed.add(target.pk)
        others = [state.delegates[d].full_name for d in sorted(holders) if target is None or d != target.pk]
        values = {
            "full_name": row.full_name,
            "phone": row.phone or (target.phone if target else ""),
            "title": _title(row, commune),
            "substitute_reason": row.reason if row.substitute else "",
            "substitute_for": "",
        }
        if row.substitute:
            kept = target.substitute_for if target is not None else ""
            values["substitute_for"] = kept or ", ".join(n for n in others if search_key(n) != name_key)
        plan = Plan(row, target, values, keys)
        row.changes = []
        if target is None:
            row.status = UPDATE if holders else NEW
            if others:
                row.changes.append(_("Thay %(names)s") % {"names": ", ".join(others)})
        else:
            for name, value in values.items():
                old = getattr(target, name)
                if nfc(old) != value:
                    row.changes.append(f"{FIELD_LABELS[name]}: “{old or '—'}” → “{value or '—'}”")
            if state.seats_of.get(target.pk, set()) != keys:
                row.changes.append(_("Chức vụ giữ: %(posts)s") % {"posts": row.post_labels})
                if others:
                    row.changes.append(_("Thay %(names)s") % {"names": ", ".join(others)})
            plan.renamed = search_key(target.full_name) != name_key
            row.status = UPDATE if row.changes else UNCHANGED
        plans.append(plan)
    return plans


def count(rows: Iterable[Row]) -> dict[str, int]:
    counts = {"total": 0, NEW: 0, UPDATE: 0, UNCHANGED: 0, ERROR: 0}
    for row in rows:
        counts["total"] += 1
        counts[row.status] += 1
    return counts


# --- the two steps -------------------------------------------------------------------------------

Progress = Callable[[int, int, str | None], None]


def _no_progress(done: int, total: int, stage: str | None = None) -> None:
    return None


def preview(program: Program, file: Any, progress: Progress | None = None) -> list[Row]:
    """Read `file` (bytes, a path or a file object) and mark each row new / update / unchanged /
    error against the program's current seats. Writes nothing. Raises `excel.ExcelError` when
    the file as a whole cannot be read."""
    progress = progress or _no_progress
    content = file if isinstance(file, bytes) else _read_bytes(file)
    progress(0, 3, _("Đang đọc tệp"))
    state = State.load(program)
    rows = read_rows(program, content, state.communes)
    progress(2, 3, _("Đang đối chiếu với danh sách suất đại biểu"))
    plan_rows(rows, state)
    progress(3, 3, _("Đã đọc xong"))
    return rows


def _read_bytes(file: Any) -> bytes:
    if isinstance(file, (str, bytes)) or hasattr(file, "__fspath__"):
        with open(file, "rb") as handle:
            return handle.read()
    if hasattr(file, "open") and hasattr(file, "name") and not hasattr(file, "read"):
        file = file.open("rb")
    file.seek(0)
    data = file.read()
    file.seek(0)
    return data


def count_data_rows(content: bytes) -> int:
    """About how many rows the file has (the sheet's size as written), to choose where to read it."""
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True)
    except Exception:  # the preview will say what is wrong with it
        return 0
    try:
        sheet = workbook.worksheets[0]
        return max((sheet.max_row or 0) - 1, 0)
    finally:
        workbook.close()


def store_preview(delegate_import: DelegateImport, progress: Progress | None = None) -> DelegateImport:
    """Run the preview of an uploaded import and store it: previewed, or rejected with errors."""
    with delegate_import.file.open("rb") as handle:
        content = handle.read()
    try:
        rows = preview(delegate_import.program, content, progress)
    except excel.ExcelError as exc:
        delegate_import.preview = [Row(number=1, status=ERROR, errors=[str(exc)]).as_json()]
        delegate_import.counts = {"total": 0, NEW: 0, UPDATE: 0, UNCHANGED: 0, ERROR: 1, "file_error": str(exc)}
        delegate_import.status = DelegateImport.Status.REJECTED
    else:
        delegate_import.preview = [row.as_json() for row in rows]
        delegate_import.counts = count(rows)
        delegate_import.status = (
            DelegateImport.Status.REJECTED if delegate_import.counts[ERROR] else DelegateImport.Status.PREVIEWED
        )
    delegate_import.save(update_fields=["preview", "counts", "status"])
    return delegate_import


def upload(program: Program, file: Any, *, by) -> tuple[DelegateImport, Any]:
    """Keep the uploaded file and read it: here when it is small, through a background job (its
    progress bar) when it is large. Returns (the import, the job or None)."""
    checked = getattr(file, "checked", None)
    name = checked.name if checked else getattr(file, "name", "danh-sach.xlsx")
    content = _read_bytes(file)
    delegate_import = DelegateImport(program=program, original_name=name[:255], created_by=by)
    delegate_import.file.save(checked.storage_name() if checked else "danh-sach.xlsx", ContentFile(content), save=False)
    delegate_import.save()
    if count_data_rows(content) > background_rows():
        job = jobs.start(
            PREVIEW_KIND,
            {"import": delegate_import.pk},
            by,
            title=_("Đọc danh sách đại biểu “%(name)s”") % {"name": delegate_import.original_name},
        )
        return delegate_import, job
    return store_preview(delegate_import), None


class ImportRefused(delegates.DelegateError):
    """The import cannot be applied (errors in it, or already discarded)."""


@transaction.atomic
def apply(delegate_import: DelegateImport, by, progress: Progress | None = None) -> dict[str, int]:
    """Write an error-free preview in one transaction: generate missing seats, create and update
    delegates, fill the seats, one audit record with the counts, and mark the import applied.
    Applying an import a second time returns its counts and changes nothing."""
    progress = progress or _no_progress
    delegate_import = DelegateImport.objects.select_for_update().select_related("program").get(pk=delegate_import.pk)
    if delegate_import.status == DelegateImport.Status.APPLIED:
        return delegate_import.counts
    rows = [Row.from_json(data) for data in delegate_import.preview]
    if delegate_import.status != DelegateImport.Status.PREVIEWED or any(row.status == ERROR for row in rows):
        raise ImportRefused(_("Tệp còn lỗi: sửa các dòng bị báo lỗi rồi tải tệp lên lại; chưa có gì được nhập."))
    program = delegate_import.program
    progress(0, 4, _("Đang tạo các suất đại biểu còn thiếu"))
    delegates.generate_seats(program, by=by)
    state = State.load(program)
    for row in rows:
        if row.commune not in state.communes.by_id:  # the communes of a program do not change; be safe
            raise ImportRefused(_("Dòng %(row)s: xã không còn thuộc chương trình.") % {"row": row.number})
    plans = plan_rows(rows, state)
    progress(1, 4, _("Đang ghi đại biểu"))

    created, updated = [], []
    now = timezone.now()
    for plan in plans:
        if plan.row.status == UNCHANGED:
            continue
        commune = state.communes.by_id[plan.row.commune]
        if plan.target is None:
            person = Delegate(program=program, kind=Delegate.Kind.COMMUNE, commune=commune, created_at=now)
            created.append((plan, person))
        else:
            person = plan.target
            person.commune = commune
            updated.append((plan, person))
            if plan.renamed:  # another person now: their confirmation is still to come
                person.status, person.confirmed_at, person.confirmed_by = Delegate.Status.EXPECTED, None, None
        for name, value in plan.values.items():
            setattr(person, name, value)
        person.normalize()
    if created:
        bulk_create_with_history([p for _plan, p in created], Delegate, batch_size=BATCH, default_user=by)
    if updated:
        fields = ["full_name", "phone", "title", "substitute_for", "substitute_reason", "search_text"]
        fields += ["status", "confirmed_at", "confirmed_by"]
        bulk_update_with_history([p for _plan, p in updated], Delegate, fields, batch_size=BATCH, default_user=by)
    progress(2, 4, _("Đang xếp đại biểu vào suất"))

    changed: dict[int, Seat] = {}
    for plan, person in [*created, *updated]:
        for key in state.seats_of.get(person.pk, set()) - plan.keys:  # posts the person no longer holds
            seat = state.seats[key]
            seat.delegate_id = None
            changed[seat.pk] = seat
    for plan, person in [*created, *updated]:
        for key in plan.keys:
            seat = state.seats[key]
            if seat.delegate_id != person.pk:
                seat.delegate_id = person.pk
                changed[seat.pk] = seat
    if changed:
        Seat.objects.bulk_update(list(changed.values()), ["delegate"], batch_size=BATCH)
    progress(3, 4, _("Đang lưu kết quả"))

    counts = {**count(rows), "created": len(created), "updated": len(updated), "seats": len(changed)}
    delegate_import.status = DelegateImport.Status.APPLIED
    delegate_import.applied_at = now
    delegate_import.counts = counts
    delegate_import.preview = [row.as_json() for row in rows]
    delegate_import.save(update_fields=["status", "applied_at", "counts", "preview"])
    audit.record(
        by,
        "delegates.import",
        program,
        file=delegate_import.original_name,
        rows=counts["total"],
        created=len(created),
        updated=len(updated),
        unchanged=counts[UNCHANGED],
        seats=len(changed),
    )
    progress(4, 4, _("Đã nhập xong"))
    return counts


def discard(delegate_import: DelegateImport, *, by) -> None:
    if delegate_import.status in (DelegateImport.Status.PREVIEWED, DelegateImport.Status.REJECTED):
        delegate_import.status = DelegateImport.Status.DISCARDED
        delegate_import.save(update_fields=["status"])


# --- the template --------------------------------------------------------------------------------


def template_rows(program: Program) -> list[dict]:
    """One row per person holding seats (their posts joined) and one per empty seat, commune
    by commune: the list as it stands, ready to be completed and uploaded again."""
    order = {post: index for index, post in enumerate(DelegatePost.values)}
    seats = sorted(
        Seat.objects.filter(program=program).select_related("commune__parent", "delegate"),
        key=lambda s: (
            search_key(s.commune.parent.name) if s.commune.parent else "",
            search_key(s.commune.name),
            s.commune_id,
            order.get(s.post, 99),
        ),
    )
    rows, people = [], {}
    for seat in seats:
        district = (
            seat.commune.parent.full_name if seat.commune.parent and seat.commune.parent.level == "district" else ""
        )
        if seat.delegate_id is None:
            rows.append({"commune": seat.commune.full_name, "district": district, "posts": [seat.post], "d": None})
            continue
        row = people.get(seat.delegate_id)
        if row is None:
            row = {"commune": seat.commune.full_name, "district": district, "posts": [], "d": seat.delegate}
            people[seat.delegate_id] = row
            rows.append(row)
        row["posts"].append(seat.post)
    result = []
    for number, row in enumerate(rows, start=1):
        person = row["d"]
        posts = sorted(row["posts"], key=lambda p: order.get(p, 99))
        note = ""
        if person is not None and person.substitute_reason:
            note = _("Dự thay: %(reason)s") % {"reason": person.substitute_reason}
        result.append(
            {
                "number": number,
                "full_name": person.full_name if person else "",
                "posts": ", ".join(str(DelegatePost(p).label) for p in posts),
                "commune": row["commune"],
                "district": row["district"],
                "phone": person.phone if person else "",
                "note": note,
            }
        )
    return result


def template_xlsx(program: Program) -> bytes:
    """The downloadable template: the import columns with their notes sheet, filled with the
    program's seats (names and phones as known, empty where nobody is named yet)."""
    cols = columns()
    data = template_rows(program)
    content = excel.template_workbook(cols, sheet_name=_("Danh sách đại biểu"), template_rows=max(len(data), 1) + 200)
    if not data:
        return content
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    plain = Font()
    for offset, values in enumerate(data, start=2):
        for index, column in enumerate(cols, start=1):
            cell = sheet.cell(row=offset, column=index)
            cell.value = values.get(column.key) or None  # also clears the example row
            cell.font = plain
    notes = workbook.worksheets[1]
    extra = [
        _("Mẫu đã ghi sẵn mỗi suất đại biểu của chương trình (mỗi xã × mỗi chức vụ); hãy điền họ tên, điện thoại."),
        _("Dòng chưa điền họ tên được bỏ qua. Một người giữ hai chức vụ: ghi hai chức vụ trên một dòng, xóa dòng kia."),
    ]
    start = notes.max_row + 2
    for offset, line in enumerate(extra):
        notes.cell(row=start + offset, column=1, value=f"• {line}")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def preview_xlsx(delegate_import: DelegateImport) -> bytes:
    """The preview as a spreadsheet: each row's status and errors (the background job's file)."""
    cols = [
        excel.Column("number", _("Dòng"), width=7),
        excel.Column("status", _("Kết quả"), width=12),
        excel.Column("full_name", _("Họ và tên"), width=26),
        excel.Column("posts", _("Chức vụ"), width=30),
        excel.Column("commune", _("Xã/phường/thị trấn"), width=24),
        excel.Column("phone", _("Điện thoại"), width=14),
        excel.Column("detail", _("Lỗi, thay đổi"), width=80),
    ]
    rows = [Row.from_json(data) for data in delegate_import.preview]
    data = (
        {
            "number": row.number,
            "status": row.status_label,
            "full_name": row.full_name,
            "posts": row.post_labels,
            "commune": row.commune_name,
            "phone": row.phone,
            "detail": "\n".join(row.errors or row.changes),
        }
        for row in rows
    )
    title = _("Kết quả đọc tệp “%(name)s”") % {"name": delegate_import.original_name}
    return excel.write_table(cols, data, title=title, sheet_name=_("Kết quả"))


# --- background jobs -------------------------------------------------------------------------


def _job_import(job) -> DelegateImport:
    delegate_import = DelegateImport.objects.select_related("program").filter(pk=job.params.get("import")).first()
    if delegate_import is None or not can(job.created_by, "programs.manage_delegates", delegate_import.program):
        raise jobs.JobError(_("Không tìm thấy lượt nhập, hoặc bạn không còn quyền nhập danh sách đại biểu."))
    return delegate_import


def _result(delegate_import: DelegateImport) -> jobs.JobResult:
    name = _("Kết quả nhập đại biểu - %(name)s") % {"name": delegate_import.original_name.rsplit(".", 1)[0][:80]}
    return jobs.JobResult(preview_xlsx(delegate_import), f"{name}.xlsx", excel.XLSX_CONTENT_TYPE)


def preview_job(job, progress) -> jobs.JobResult:
    delegate_import = _job_import(job)
    if delegate_import.status == DelegateImport.Status.PREVIEWING:
        store_preview(delegate_import, progress)
    return _result(delegate_import)


def apply_job(job, progress) -> jobs.JobResult:
    delegate_import = _job_import(job)
    try:
        apply(delegate_import, job.created_by, progress)
    except delegates.DelegateError as exc:
        raise jobs.JobError(" ".join(exc.messages)) from exc
    delegate_import.refresh_from_db()
    return _result(delegate_import)


def job_for(delegate_import: DelegateImport):
    """The latest background job of an import (reading or applying it), if any."""
    from directory.models import BackgroundJob

    return (
        BackgroundJob.objects.filter(kind__in=(PREVIEW_KIND, APPLY_KIND), params__import=delegate_import.pk)
        .order_by("-created_at", "-id")
        .first()
    )


def _back_link(job):
    params = job.params or {}
    program = DelegateImport.objects.filter(pk=params.get("import")).values_list("program_id", flat=True).first()
    if program is None:
        return None
    url = reverse("programs:delegate_import_preview", args=[program, params["import"]])
    return str(_("Kết quả đọc danh sách đại biểu")), url


def register_jobs() -> None:
    """Called from `ProgramsConfig.ready()`, so a worker knows the kinds without the URLconf."""
    jobs.register(PREVIEW_KIND, gettext_lazy("Đọc danh sách đại biểu từ Excel"), preview_job, back_link=_back_link)
    jobs.register(APPLY_KIND, gettext_lazy("Nhập danh sách đại biểu"), apply_job, back_link=_back_link)
