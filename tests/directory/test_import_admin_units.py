"""The administrative-unit import: real codes and names from the shipped snapshots, the link
from each merged unit to its successor, and a second run that changes nothing."""

from __future__ import annotations

import datetime
import gzip
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from directory.admin_units import (
    DATA_DIR,
    ImportResult,
    SnapshotError,
    import_admin_units,
    load_snapshot,
    normalize_province_codes,
)
from directory.models import REORGANIZATION_2025, AdminUnit

PRE_2025 = datetime.date(2004, 1, 1)
Level, Kind = AdminUnit.Level, AdminUnit.Kind


def old(level: str, code: str) -> AdminUnit:
    return AdminUnit.objects.get(level=level, code=code, valid_from=PRE_2025)


def new(level: str, code: str) -> AdminUnit:
    return AdminUnit.objects.get(level=level, code=code, valid_from=REORGANIZATION_2025)


def totals(result: ImportResult) -> tuple[int, int, int]:
    counts = result.counts.values()
    return sum(c.created for c in counts), sum(c.updated for c in counts), sum(c.unchanged for c in counts)


@pytest.fixture
def nghe_an(db) -> ImportResult:
    result, _ = import_admin_units(provinces=["40"])
    return result


# --------------------------------------------------------------------------- snapshots


def test_snapshots_are_small_and_well_formed():
    total = sum(path.stat().st_size for path in DATA_DIR.glob("admin_units_*.json.gz"))
    assert total < 2 * 1024 * 1024
    before, after = load_snapshot("2023"), load_snapshot("2025")
    assert (before.valid_from, before.valid_to) == (PRE_2025, REORGANIZATION_2025)
    assert (after.valid_from, after.valid_to) == (REORGANIZATION_2025, None)
    kinds = {choice.value for choice in Kind}
    for snapshot in (before, after):
        assert {row.kind for row in snapshot.rows} <= kinds
        keys = [(row.level, row.code) for row in snapshot.rows]
        assert len(keys) == len(set(keys)), "a code is listed twice in one era"
        assert snapshot.sources, "the snapshot names where its data came from"
    # Names without their kind prefix, and every successor a unit of the 2025 list.
    prefixed = [r.name for r in before.rows if r.name.startswith(("Xã ", "Phường ", "Thị trấn ", "Huyện ", "Tỉnh "))]
    assert prefixed == ["Phường Đúc"]  # in Huế, "Phường Phường Đúc" is the real name
    current = {(row.level, row.code) for row in after.rows}
    assert all((row.level, row.successor) in current for row in before.rows if row.successor)


def test_a_snapshot_of_the_wrong_format_is_refused(tmp_path):
    with gzip.open(tmp_path / "admin_units_2025.json.gz", "wt", encoding="utf-8") as handle:
        json.dump({"format": 99, "era": "2025"}, handle)
    with pytest.raises(SnapshotError):
        load_snapshot("2025", tmp_path)
    with pytest.raises(SnapshotError):
        load_snapshot("2023", tmp_path)  # missing


def test_province_codes_are_normalized():
    assert normalize_province_codes(["40", "8", " 02 "]) == {"40", "08", "02"}
    with pytest.raises(ValueError):
        normalize_province_codes(["Nghệ An"])


# --------------------------------------------------------------------------- Nghệ An


def test_nghe_an_before_2025(nghe_an):
    province = old(Level.PROVINCE, "40")
    assert (province.kind, province.name, province.valid_to) == (Kind.TINH, "Nghệ An", REORGANIZATION_2025)
    districts = AdminUnit.objects.filter(level=Level.DISTRICT, parent=province)
    assert districts.count() == 21
    communes = AdminUnit.objects.filter(level=Level.COMMUNE, parent__parent=province)
    assert communes.count() == 460
    by_kind = {kind: communes.filter(kind=kind).count() for kind in (Kind.XA, Kind.PHUONG, Kind.THI_TRAN)}
    assert by_kind == {Kind.XA: 411, Kind.PHUONG: 32, Kind.THI_TRAN: 17}
    assert AdminUnit.objects.valid_on(datetime.date(2024, 5, 1)).communes().count() == 460


def test_known_units_by_code_and_name(nghe_an):
    vinh = old(Level.DISTRICT, "412")
    assert (vinh.kind, vinh.name, vinh.full_name) == (Kind.THANH_PHO, "Vinh", "Thành phố Vinh")
    assert vinh.parent == old(Level.PROVINCE, "40")
    assert vinh.search_key == "thanh pho vinh"
    assert (old(Level.DISTRICT, "413").kind, old(Level.DISTRICT, "413").name) == (Kind.THI_XA, "Cửa Lò")
    nghi_phu = old(Level.COMMUNE, "16702")
    assert (nghi_phu.kind, nghi_phu.name, nghi_phu.parent) == (Kind.XA, "Nghi Phú", vinh)
    assert nghi_phu.province.code == "40"
    assert (old(Level.COMMUNE, "16678").kind, old(Level.COMMUNE, "16678").name) == (Kind.PHUONG, "Cửa Nam")
    assert old(Level.COMMUNE, "17227").kind == Kind.THI_TRAN  # Thị trấn Con Cuông


def test_nghe_an_after_2025(nghe_an):
    province = new(Level.PROVINCE, "40")
    assert (province.kind, province.name, province.valid_to) == (Kind.TINH, "Nghệ An", None)
    communes = AdminUnit.objects.current().communes().filter(parent=province)
    assert communes.count() == 130
    assert not AdminUnit.objects.current().filter(level=Level.DISTRICT).exists()
    thanh_vinh = new(Level.COMMUNE, "16681")
    assert (thanh_vinh.kind, thanh_vinh.full_name, thanh_vinh.parent) == (Kind.PHUONG, "Phường Thành Vinh", province)
    assert new(Level.COMMUNE, "16702").full_name == "Phường Vinh Phú"


def test_successors_in_nghe_an(nghe_an):
    assert old(Level.PROVINCE, "40").successor == new(Level.PROVINCE, "40")
    # Merged: phường Cửa Nam and xã Hưng Chính went into phường Thành Vinh; xã Nghi Phú kept
    # its code in the new phường Vinh Phú, and xã Nghi Ân went there too.
    thanh_vinh, vinh_phu = new(Level.COMMUNE, "16681"), new(Level.COMMUNE, "16702")
    assert old(Level.COMMUNE, "16678").successor == thanh_vinh
    assert old(Level.COMMUNE, "18013").successor == thanh_vinh
    assert old(Level.COMMUNE, "16702").successor == vinh_phu
    assert old(Level.COMMUNE, "17914").successor == vinh_phu
    assert set(vinh_phu.predecessors.values_list("name", flat=True)) >= {"Nghi Phú", "Nghi Ân"}
    # Every Nghệ An commune of 2023 points at a current commune of Nghệ An.
    communes = AdminUnit.objects.filter(level=Level.COMMUNE, valid_from=PRE_2025)
    assert not communes.filter(successor__isnull=True).exists()
    assert not communes.exclude(successor__valid_to__isnull=True).exists()
    assert not communes.exclude(successor__parent=new(Level.PROVINCE, "40")).exists()
    # Districts were abolished: they end, and nothing takes their place.
    districts = AdminUnit.objects.filter(level=Level.DISTRICT)
    assert not districts.filter(successor__isnull=False).exists()
    assert not districts.exclude(valid_to=REORGANIZATION_2025).exists()


def test_second_run_changes_nothing(nghe_an):
    assert totals(nghe_an) == (1 + 21 + 460 + 1 + 130, 0, 0)
    history = AdminUnit.history.count()
    assert history == AdminUnit.objects.count()  # one "created" record per unit
    again, _ = import_admin_units(provinces=["40"])
    assert totals(again) == (0, 0, 613)
    assert not again.changed
    assert AdminUnit.history.count() == history
    assert AdminUnit.objects.count() == 613


def test_a_changed_row_is_put_back_with_history(nghe_an):
    AdminUnit.objects.filter(level=Level.DISTRICT, code="412").update(name="Vinh cũ", search_key="x")
    AdminUnit.objects.filter(level=Level.COMMUNE, code="17914", valid_from=PRE_2025).update(successor=None)
    history = AdminUnit.history.count()
    result, _ = import_admin_units(provinces=["40"])
    assert totals(result) == (0, 2, 611)
    vinh = old(Level.DISTRICT, "412")
    assert (vinh.name, vinh.search_key) == ("Vinh", "thanh pho vinh")
    assert old(Level.COMMUNE, "17914").successor == new(Level.COMMUNE, "16702")
    assert AdminUnit.history.count() == history + 2
    assert vinh.history.first().history_change_reason == "import_admin_units"


def test_dry_run_saves_nothing(db):
    result, _ = import_admin_units(provinces=["40"], dry_run=True)
    assert result.changed and result.dry_run
    assert not AdminUnit.objects.exists()


def test_eras_can_be_imported_separately(db):
    result, _ = import_admin_units(eras=["2023"], provinces=["40"])
    assert not AdminUnit.objects.filter(valid_from=REORGANIZATION_2025).exists()
    assert result.successors_missing == 461  # the province and its 460 communes
    assert old(Level.COMMUNE, "16702").successor is None
    import_admin_units(eras=["2025"], provinces=["40"])
    result, _ = import_admin_units(eras=["2023"], provinces=["40"])
    assert totals(result) == (0, 461, 21)
    assert old(Level.COMMUNE, "16702").successor == new(Level.COMMUNE, "16702")


def test_a_merged_province_brings_its_successor(db):
    # Hà Giang (02) went into Tuyên Quang (08).
    import_admin_units(provinces=["02"])
    ha_giang = old(Level.PROVINCE, "02")
    assert ha_giang.successor == new(Level.PROVINCE, "08")
    assert not AdminUnit.objects.filter(level=Level.PROVINCE, valid_from=PRE_2025, code="08").exists()
    linked = AdminUnit.objects.filter(level=Level.COMMUNE, parent__parent=ha_giang, successor__isnull=False)
    assert linked.count() >= 190


def test_unknown_province_is_refused(db):
    with pytest.raises(ValueError):
        import_admin_units(provinces=["99"])


# --------------------------------------------------------------------------- command


def test_command_prints_a_summary(db):
    out = StringIO()
    call_command("import_admin_units", "--province", "40", "--era", "all", stdout=out)
    text = out.getvalue()
    assert "Era 2023 (2004-01-01 to 2025-07-01)" in text
    assert "commune   created    460" in text
    assert "commune   created    130" in text
    out = StringIO()
    call_command("import_admin_units", "--province=40,42", "--era=2025", stdout=out)
    assert "already up to date" not in out.getvalue()  # Hà Tĩnh is new
    assert AdminUnit.objects.current().communes().filter(parent__code="42").exists()
    with pytest.raises(CommandError):
        call_command("import_admin_units", "--province", "99", stdout=StringIO())


def test_full_import_of_all_provinces(db, django_assert_max_num_queries):
    result, _ = import_admin_units()
    counts = {key: c.total for key, c in result.counts.items()}
    assert counts == {
        ("2023", Level.PROVINCE): 63,
        ("2023", Level.DISTRICT): 705,
        ("2023", Level.COMMUNE): 10598,
        ("2025", Level.PROVINCE): 34,
        ("2025", Level.COMMUNE): 3321,
    }
    before = AdminUnit.objects.filter(valid_from=PRE_2025)
    assert before.filter(level=Level.PROVINCE).count() == 63
    assert 10_500 <= before.filter(level=Level.COMMUNE).count() <= 10_700
    assert AdminUnit.objects.current().provinces().count() == 34
    assert AdminUnit.objects.current().communes().count() == 3321
    assert AdminUnit.objects.current().filter(kind=Kind.DAC_KHU).count() == 13
    assert not before.filter(level=Level.PROVINCE, successor__isnull=True).exists()
    linked = before.filter(level=Level.COMMUNE, successor__isnull=False).count()
    assert linked / 10598 > 0.99
    assert result.communes_without_successor == 10598 - linked
    # Bulk all the way: the second run reads each level once and writes nothing.
    history = AdminUnit.history.count()
    with django_assert_max_num_queries(20):
        again, _ = import_admin_units()
    assert not again.changed
    assert AdminUnit.history.count() == history
