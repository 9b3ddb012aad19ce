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
    roadmap = roadmap_program()
    return {
        "agencies": Agency.objects.count(),
        "users": User.objects.count(),
        "units": AdminUnit.objects.count(),
        "roadmap_tasks": roadmap.tasks.count(),
    }


ROADMAP_PROGRAM_TITLE = "Chương trình thử tải: lộ trình 500 nhiệm vụ"
ROADMAP_TASKS = 500


def roadmap_program():
    """A Nghệ An program with a committee and 500 roadmap tasks over 16 weeks around today,
    some done, some late, assigned across the province's agencies. Made once, then reused."""
    import datetime

    from django.utils import timezone

    from programs import workflow
    from programs.models import CommitteeMember, Program, RoadmapTask

    program = Program.objects.filter(title=ROADMAP_PROGRAM_TITLE).first()
    if program is None:
        today = timezone.localdate()
        program = workflow.create_program(
            by=None,
            title=ROADMAP_PROGRAM_TITLE,
            host=Agency.objects.get(code="na-tinh-uy"),
            standing_agency=Agency.objects.get(code="na-ban-dan-van"),
            area=AdminUnit.objects.provinces().current().get(code="40"),
            audience=Program.Audience.COMMUNE_HEADS,
            start_date=today + datetime.timedelta(days=40),
            end_date=today + datetime.timedelta(days=41),
        )
    agencies = list(Agency.objects.filter(province_id=program.province_id).order_by("code"))
    if not program.committee.exists():
        CommitteeMember.objects.bulk_create(
            CommitteeMember(
                program=program,
                full_name=f"Thành viên thử tải {i}",
                agency=agencies[i % len(agencies)],
                position="Phó Trưởng ban",
                order=i,
            )
            for i in range(12)
        )
    members = list(program.committee.order_by("order"))
    existing = program.tasks.count()
    categories = RoadmapTask.Category.values
    first = program.start_date - datetime.timedelta(weeks=14)
    tasks = []
    for i in range(existing, ROADMAP_TASKS):
        start = first + datetime.timedelta(days=(i * 3) % 90)
        status = RoadmapTask.Status.values[i % 3]
        tasks.append(
            RoadmapTask(
                program=program,
                title=f"Nhiệm vụ chuẩn bị số {i + 1}: {RoadmapTask.Category(categories[i % len(categories)]).label}",
                category=categories[i % len(categories)],
                assignee_agency=agencies[i % len(agencies)],
                assignee_member=members[i % len(members)] if i % 4 == 0 else None,
                start_date=start,
                due_date=start + datetime.timedelta(days=7 + i % 21),
                status=status,
                completed_on=start if status == RoadmapTask.Status.DONE else None,
            )
        )
    RoadmapTask.objects.bulk_create(tasks)
    return program
