"""Demo data of the directory: Nghệ An's agencies and one user per role.

Idempotent: everything is keyed (agency code, username) and only changed rows are written,
so `seed_demo` can run on every `make run`. Later apps add their demo data in their own
modules and are called from the same command.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from dialogue.text import search_key

from .models import AdminUnit, Agency, Role, User

DATA_DIR = Path(__file__).resolve().parent / "data"
DEMO_PASSWORD = "DoiThoai@2023"
DEMO_EMAIL_DOMAIN = "nghean.doithoai.local"
NGHE_AN_CODE = "40"


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    position: str
    role: str
    agency: str = ""  # agency code
    commune: str = ""  # current commune's name, looked up in Nghệ An


# Invented people; posts and bodies are the real ones of a provincial dialogue program.
DEMO_USERS = [
    DemoUser("quantri", "Nguyễn Văn Quản", "Quản trị hệ thống", Role.ADMIN, agency="na-van-phong-tinh-uy"),
    DemoUser(
        "btc.danvan", "Trần Thị Thu Hà", "Phó Trưởng Ban Dân vận Tỉnh ủy", Role.ORGANIZER, agency="na-ban-dan-van"
    ),
    DemoUser(
        "thuongtruc", "Lê Đức Thịnh", "Phó Bí thư Thường trực Tỉnh ủy", Role.STANDING_COMMITTEE, agency="na-tinh-uy"
    ),
    DemoUser("mttq", "Phạm Thị Hồng Nhung", "Phó Chủ tịch Ủy ban MTTQ tỉnh", Role.SUPERVISOR, agency="na-mttq"),
    DemoUser(
        "so.nongnghiep",
        "Hoàng Văn Lực",
        "Chánh Văn phòng Sở Nông nghiệp và PTNT",
        Role.AGENCY_OFFICER,
        agency="na-so-nong-nghiep",
    ),
    DemoUser(
        "so.giaothong",
        "Võ Thị Minh Châu",
        "Trưởng phòng Kế hoạch Sở GTVT",
        Role.AGENCY_OFFICER,
        agency="na-so-giao-thong",
    ),
    DemoUser("xa.nghiloc", "Đặng Văn Hưng", "Bí thư Đảng ủy xã", Role.COMMUNE_LEADER, commune="Nghi Lộc"),
    DemoUser("xa.dienchau", "Ngô Thị Lan", "Chủ tịch UBND xã", Role.COMMUNE_LEADER, commune="Diễn Châu"),
    DemoUser("phuong.truongvinh", "Bùi Quang Minh", "Chủ tịch UBND phường", Role.COMMUNE_LEADER, commune="Trường Vinh"),
]


class DemoDataMissing(Exception):
    pass


def nghe_an() -> AdminUnit:
    province = AdminUnit.objects.provinces().current().filter(code=NGHE_AN_CODE).first()
    if province is None:
        raise DemoDataMissing("Chưa có đơn vị hành chính của Nghệ An: chạy `manage.py import_admin_units` trước.")
    return province


def load_agency_catalog() -> list[dict]:
    with open(DATA_DIR / "agencies_nghe_an.json", encoding="utf-8") as fh:
        return json.load(fh)["agencies"]


def _update_or_create(model, lookup: dict, values: dict) -> tuple[object, bool]:
    """Like update_or_create, but saves only when a value differs (no empty history rows)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values), True
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save()
    return obj, bool(changed)


@transaction.atomic
def seed_agencies() -> dict[str, Agency]:
    province = nghe_an()
    agencies: dict[str, Agency] = {}
    for row in load_agency_catalog():
        values = {
            "name": row["name"],
            "short_name": row.get("short_name", ""),
            "kind": row["kind"],
            "province": province,
            "parent": agencies.get(row.get("parent", "")),
            "email": f"{row['code'].removeprefix('na-')}@{DEMO_EMAIL_DOMAIN}",
        }
        agencies[row["code"]], _ = _update_or_create(Agency, {"code": row["code"]}, values)
    return agencies


def find_current_commune(name: str) -> AdminUnit:
    province = nghe_an()
    key = search_key(name)
    units = [u for u in AdminUnit.objects.communes().current().filter(parent=province) if search_key(u.name) == key]
    if len(units) != 1:
        raise DemoDataMissing(f"Không tìm thấy đúng một xã/phường “{name}” của Nghệ An (tìm thấy {len(units)}).")
    return units[0]


@transaction.atomic
def seed_users() -> list[User]:
    agencies = {a.code: a for a in Agency.objects.all()}
    users = []
    for spec in DEMO_USERS:
        values = {
            "full_name": spec.full_name,
            "position": spec.position,
            "role": spec.role,
            "email": f"{spec.username}@{DEMO_EMAIL_DOMAIN}",
            "agency": agencies[spec.agency] if spec.agency else None,
            "commune": find_current_commune(spec.commune) if spec.commune else None,
            "is_staff": spec.role == Role.ADMIN,
            "is_superuser": spec.role == Role.ADMIN,
        }
        user, created = _update_or_create(User, {"username": spec.username}, values)
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        users.append(user)
    return users


# Higher apps add their demo data here from their AppConfig.ready() (directory imports none
# of them): (order, callable) pairs, run after the directory's own.
_SEEDERS: list[tuple[int, object]] = []


def register(seeder, order: int = 100) -> None:
    if all(existing is not seeder for _order, existing in _SEEDERS):
        _SEEDERS.append((order, seeder))


def seed() -> None:
    seed_agencies()
    seed_users()
    for _order, seeder in sorted(_SEEDERS, key=lambda pair: pair[0]):
        seeder()
