"""Data for the benchmarks at a scale factor: the real units (imported), the demo catalogue,
and `scale` × 100 extra agencies and users spread over the provinces. Idempotent."""

from __future__ import annotations

from django.db import transaction

from directory.models import AdminUnit, Agency, Role, User


@transaction.atomic
def generate(scale: int = 1) -> dict[str, int]:
    provinces = list(AdminUnit.objects.provinces().current().order_by("code"))
    communes = list(AdminUnit.objects.communes().current().order_by("code")[: 100 * scale])
    wanted = 100 * scale
    existing = Agency.objects.filter(code__startswith="bench-").count()
    Agency.objects.bulk_create(
        [
            Agency(
                code=f"bench-{i}",
                name=f"Sở Thử tải số {i}",
                kind=Agency.Kind.DEPARTMENT,
                province=provinces[i % len(provinces)],
                search_key=f"so thu tai so {i}",
            )
            for i in range(existing, wanted)
        ]
    )
    agencies = list(Agency.objects.filter(code__startswith="bench-").order_by("pk"))
    existing_users = User.objects.filter(username__startswith="bench-").count()
    User.objects.bulk_create(
        [
            User(
                username=f"bench-{i}",
                full_name=f"Cán bộ thử tải {i}",
                search_key=f"can bo thu tai {i} bench-{i}",
                role=Role.COMMUNE_LEADER if i % 2 else Role.AGENCY_OFFICER,
                commune=communes[i % len(communes)] if i % 2 else None,
                agency=None if i % 2 else agencies[i % len(agencies)],
                password="!",
            )
            for i in range(existing_users, wanted)
        ]
    )
    return {"agencies": Agency.objects.count(), "users": User.objects.count(), "units": AdminUnit.objects.count()}
