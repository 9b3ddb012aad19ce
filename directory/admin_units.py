"""Import of Vietnam's administrative units from the snapshots shipped in directory/data/.

Two eras are kept side by side, each unit a row with its period:

- "2023": the three-level list (province, district, commune) as of 2023, valid from a fixed
  early date until the reorganization of 1 July 2025; each province and commune points to
  the unit that took it over (`successor`), districts end without one.
- "2025": the two-level list (province, commune) from 1 July 2025 on.

Rows are keyed on (level, code, valid_from). The import compares each wanted row with the
database and writes only what differs, with bulk queries and history rows, in one
transaction, so a second run changes nothing. The snapshots and how they are built are
described in docs/data-sources.md; this module reads only them.
"""

from __future__ import annotations

import collections
import datetime
import gzip
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from dialogue.text import nfc, search_key

from .models import REORGANIZATION_2025, AdminUnit

DATA_DIR = Path(__file__).resolve().parent / "data"
ERAS = ("2023", "2025")
SNAPSHOT_FORMAT = 1
CHANGE_REASON = "import_admin_units"
BATCH_SIZE = 2000

Level = AdminUnit.Level
# The fields the import owns; anything else on a row (none today) is left alone.
MANAGED_FIELDS = ("kind", "name", "parent_id", "valid_to", "successor_id", "search_key")


class SnapshotError(ValueError):
    """The snapshot file is missing or not in the expected format."""


@dataclass(frozen=True)
class UnitRow:
    """One unit as the snapshot describes it; parent and successor are codes."""

    level: str
    code: str
    kind: str
    name: str
    parent: str | None
    successor: str | None = None
    basis: str | None = None  # how the successor was found (see docs/data-sources.md)


@dataclass
class Snapshot:
    era: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    rows: list[UnitRow]
    sources: list[dict] = field(default_factory=list)

    def of_level(self, level: str) -> list[UnitRow]:
        return [row for row in self.rows if row.level == level]

    def province_of(self) -> dict[tuple[str, str], str]:
        """(level, code) -> code of the province the unit lies in."""
        parents = {(row.level, row.code): row.parent for row in self.rows}
        province = {}
        for row in self.rows:
            key, up = (row.level, row.code), row.parent
            if row.level == Level.PROVINCE:
                province[key] = row.code
            elif row.level == Level.DISTRICT or self.era == "2025":
                province[key] = up
            else:
                province[key] = parents[(Level.DISTRICT, up)]
        return province


def snapshot_path(era: str, data_dir: Path = DATA_DIR) -> Path:
    return data_dir / f"admin_units_{era}.json.gz"


def load_snapshot(era: str, data_dir: Path = DATA_DIR) -> Snapshot:
    """Read one era's snapshot file."""
    if era not in ERAS:
        raise SnapshotError(f"unknown era {era!r}; expected one of {', '.join(ERAS)}")
    path = snapshot_path(era, data_dir)
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError) as exc:
        raise SnapshotError(f"cannot read {path}: {exc}") from exc
    if data.get("format") != SNAPSHOT_FORMAT or data.get("era") != era:
        raise SnapshotError(f"{path}: expected format {SNAPSHOT_FORMAT} of era {era}")
    columns = data["columns"]
    rows = []
    for values in data["units"]:
        record = dict(zip(columns, values, strict=True))
        rows.append(
            UnitRow(
                level=record["level"],
                code=record["code"],
                kind=record["kind"],
                name=nfc(record["name"]),
                parent=record["parent"],
                successor=record.get("successor"),
                basis=record.get("basis"),
            )
        )
    valid_to = data["valid_to"]
    boundary = REORGANIZATION_2025.isoformat()
    if (era == "2023" and valid_to != boundary) or (era == "2025" and data["valid_from"] != boundary):
        raise SnapshotError(f"{path}: the eras must meet on {boundary}")
    return Snapshot(
        era=era,
        valid_from=datetime.date.fromisoformat(data["valid_from"]),
        valid_to=datetime.date.fromisoformat(valid_to) if valid_to else None,
        rows=rows,
        sources=data.get("sources", []),
    )


def normalize_province_codes(codes: Iterable[str]) -> set[str]:
    """'40', '4', ' 08 ' -> {'40', '04', '08'}; province codes have two digits."""
    normalized = set()
    for code in codes:
        code = str(code).strip()
        if not code.isdigit() or len(code) > 2:
            raise ValueError(f"not a province code: {code!r}")
        normalized.add(code.zfill(2))
    return normalized


def select_rows(snapshots: dict[str, Snapshot], provinces: set[str] | None) -> dict[str, list[UnitRow]]:
    """The rows of each era to import. With `provinces`, only the units in those provinces,
    and in 2025 also the provinces that the chosen pre-2025 provinces merged into, so that
    their successors can be linked."""
    if provinces is None:
        return {era: list(snapshot.rows) for era, snapshot in snapshots.items()}
    wanted = {era: set(provinces) for era in snapshots}
    if "2023" in snapshots and "2025" in snapshots:
        wanted["2025"] |= {
            row.successor
            for row in snapshots["2023"].of_level(Level.PROVINCE)
            if row.code in provinces and row.successor
        }
    selected = {}
    for era, snapshot in snapshots.items():
        province_of = snapshot.province_of()
        selected[era] = [row for row in snapshot.rows if province_of[(row.level, row.code)] in wanted[era]]
    return selected


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class ImportResult:
    """What an import did, per (era, level); `dry_run` results were rolled back."""

    counts: dict[tuple[str, str], Counts] = field(default_factory=dict)
    # 2023 units whose snapshot successor is not in the database (its era not imported yet).
    successors_missing: int = 0
    # 2023 communes for which the snapshot names no successor.
    communes_without_successor: int = 0
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated for c in self.counts.values())

    def lines(self, snapshots: dict[str, Snapshot]) -> list[str]:
        """A short human summary, one line per era and level."""
        out = []
        for era in ERAS:
            if era not in snapshots:
                continue
            snapshot = snapshots[era]
            until = snapshot.valid_to.isoformat() if snapshot.valid_to else "now"
            out.append(f"Era {era} ({snapshot.valid_from.isoformat()} to {until}):")
            for level in Level:
                counts = self.counts.get((era, level.value))
                if counts is None:
                    continue
                out.append(
                    f"  {level.value:<9} created {counts.created:>6}  updated {counts.updated:>6}  "
                    f"unchanged {counts.unchanged:>6}"
                )
        if self.communes_without_successor:
            out.append(f"Pre-2025 communes with no known successor in the data: {self.communes_without_successor}")
        if self.successors_missing:
            out.append(
                f"Successors not linked because their 2025 unit is not in the database: {self.successors_missing} "
                "(import --era 2025 or all)"
            )
        if self.dry_run:
            out.append("Dry run: nothing was saved.")
        return out


def _ids(level: str, valid_from: datetime.date) -> dict[str, int]:
    return dict(AdminUnit.objects.filter(level=level, valid_from=valid_from).values_list("code", "id"))


def _sync_level(
    era: str,
    level: str,
    rows: list[UnitRow],
    snapshot: Snapshot,
    parent_ids: dict[str, int] | None,
    successor_ids: dict[str, int] | None,
    result: ImportResult,
) -> None:
    """Create or update the rows of one level of one era, writing only what differs."""
    existing = {
        unit.code: unit for unit in AdminUnit.objects.filter(level=level, valid_from=snapshot.valid_from).order_by()
    }
    counts = result.counts.setdefault((era, level), Counts())
    to_create, to_update = [], []
    for row in rows:
        wanted = AdminUnit(
            level=level,
            code=row.code,
            kind=row.kind,
            name=row.name,
            valid_from=snapshot.valid_from,
            valid_to=snapshot.valid_to,
        )
        wanted.search_key = search_key(wanted.full_name)
        wanted.parent_id = parent_ids[row.parent] if parent_ids is not None else None
        current = existing.get(row.code)
        manage_successor = successor_ids is not None and row.successor is not None
        if manage_successor:
            wanted.successor_id = successor_ids.get(row.successor)
            if wanted.successor_id is None:
                result.successors_missing += 1
                # Keep what the database has rather than unlinking a unit we cannot resolve.
                wanted.successor_id = current.successor_id if current else None
        elif current is not None:
            # The data names no successor: leave any link someone made by hand.
            wanted.successor_id = current.successor_id
        if current is None:
            to_create.append(wanted)
            continue
        fields = [name for name in MANAGED_FIELDS if getattr(current, name) != getattr(wanted, name)]
        if not fields:
            counts.unchanged += 1
            continue
        for name in fields:
            setattr(current, name, getattr(wanted, name))
        to_update.append(current)
    if to_create:
        bulk_create_with_history(to_create, AdminUnit, batch_size=BATCH_SIZE, default_change_reason=CHANGE_REASON)
        counts.created += len(to_create)
    if to_update:
        fields = sorted({name.removesuffix("_id") for name in MANAGED_FIELDS})
        bulk_update_with_history(
            to_update, AdminUnit, fields, batch_size=BATCH_SIZE, default_change_reason=CHANGE_REASON
        )
        counts.updated += len(to_update)


def import_admin_units(
    eras: Iterable[str] = ERAS,
    provinces: Iterable[str] | None = None,
    *,
    data_dir: Path = DATA_DIR,
    dry_run: bool = False,
) -> tuple[ImportResult, dict[str, Snapshot]]:
    """Bring the database in line with the snapshots of `eras`, limited to `provinces`
    (province codes of either era) if given. Returns what was done and the snapshots read."""
    eras = [era for era in ERAS if era in set(eras)]
    # Both snapshots are read even for one era: a province code of either era is accepted,
    # and the pre-2025 data says which 2025 provinces the chosen ones went into.
    snapshots = {era: load_snapshot(era, data_dir) for era in ERAS}
    chosen = normalize_province_codes(provinces) if provinces is not None else None
    if chosen is not None:
        known = {row.code for s in snapshots.values() for row in s.of_level(Level.PROVINCE)}
        unknown = chosen - known
        if unknown:
            raise ValueError(f"unknown province code(s): {', '.join(sorted(unknown))}")
    selected = select_rows(snapshots, chosen)
    old, new = snapshots["2023"], snapshots["2025"]
    result = ImportResult(dry_run=dry_run)
    with transaction.atomic():
        # The 2025 units first: the pre-2025 units point at them.
        if "2025" in eras:
            rows = selected["2025"]
            provinces_2025 = [r for r in rows if r.level == Level.PROVINCE]
            _sync_level("2025", Level.PROVINCE, provinces_2025, new, None, None, result)
            communes_2025 = [r for r in rows if r.level == Level.COMMUNE]
            _sync_level("2025", Level.COMMUNE, communes_2025, new, _ids(Level.PROVINCE, new.valid_from), None, result)
        if "2023" in eras:
            by_level = collections.defaultdict(list)
            for row in selected["2023"]:
                by_level[row.level].append(row)
            province_ids, commune_ids = _ids(Level.PROVINCE, new.valid_from), _ids(Level.COMMUNE, new.valid_from)
            _sync_level("2023", Level.PROVINCE, by_level[Level.PROVINCE], old, None, province_ids, result)
            parents = _ids(Level.PROVINCE, old.valid_from)
            _sync_level("2023", Level.DISTRICT, by_level[Level.DISTRICT], old, parents, None, result)
            parents = _ids(Level.DISTRICT, old.valid_from)
            _sync_level("2023", Level.COMMUNE, by_level[Level.COMMUNE], old, parents, commune_ids, result)
            result.communes_without_successor = sum(1 for r in by_level[Level.COMMUNE] if not r.successor)
        if dry_run:
            transaction.set_rollback(True)
    return result, {era: snapshots[era] for era in eras}
