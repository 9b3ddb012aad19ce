"""Data for the benchmarks at a scale factor: the real units (imported), the demo catalogue,
and `scale` × 100 extra agencies and users spread over the provinces. Idempotent."""

from __future__ import annotations

from django.db import models, transaction

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
    triage = triage_program()
    return {
        "agencies": Agency.objects.count(),
        "users": User.objects.count(),
        "units": AdminUnit.objects.count(),
        "roadmap_tasks": roadmap.tasks.count(),
        "triage_submissions": triage.submissions.count(),
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


TRIAGE_PROGRAM_TITLE = "Chương trình thử tải: 10.000 câu hỏi, đề xuất, kiến nghị"
TRIAGE_ITEMS = 10_000
# (title, content) templates; {commune} is the sending commune's name.
TRIAGE_TEXTS = [
    (
        "Đề nghị hỗ trợ nhà ở cho hộ nghèo xã {commune}",
        "Trên địa bàn xã {commune} còn nhiều hộ nghèo đang ở nhà tạm, nhà xuống cấp. Đề nghị tỉnh bố trí kinh phí "
        "hỗ trợ nhà ở cho hộ nghèo, hộ có hoàn cảnh khó khăn.",
    ),
    (
        "Nâng cấp tuyến đường liên xã qua {commune}",
        "Tuyến đường liên xã qua {commune} đã xuống cấp nghiêm trọng, mùa mưa đi lại khó khăn. Đề nghị tỉnh đầu tư "
        "nâng cấp, mở rộng mặt đường.",
    ),
    (
        "Đầu tư xây dựng trường mầm non xã {commune}",
        "Trường mầm non xã {commune} thiếu phòng học, nhiều lớp học nhờ nhà văn hóa thôn. Đề nghị hỗ trợ vốn xây "
        "dựng thêm phòng học.",
    ),
    (
        "Chế độ phụ cấp cho người hoạt động không chuyên trách ở {commune}",
        "Mức phụ cấp cho người hoạt động không chuyên trách ở cấp xã và thôn, xóm còn thấp so với khối lượng công "
        "việc. Đề nghị tỉnh xem xét nâng mức phụ cấp.",
    ),
    (
        "Giải quyết dứt điểm tranh chấp đất đai tại {commune}",
        "Một số vụ tranh chấp đất đai giữa hộ dân và nông trường tại {commune} kéo dài nhiều năm. Đề nghị các sở, "
        "ngành phối hợp giải quyết dứt điểm.",
    ),
    (
        "Xây dựng trạm y tế xã {commune} đạt chuẩn",
        "Trạm y tế xã {commune} xây dựng đã lâu, xuống cấp, thiếu trang thiết bị. Đề nghị đầu tư xây mới để đạt "
        "chuẩn quốc gia về y tế xã.",
    ),
    (
        "Hỗ trợ chuyển đổi cơ cấu cây trồng, vật nuôi ở {commune}",
        "Nông dân xã {commune} mong được hỗ trợ giống, kỹ thuật và vốn vay ưu đãi để chuyển đổi cây trồng, vật nuôi "
        "có giá trị kinh tế cao hơn.",
    ),
    (
        "Xử lý ô nhiễm môi trường khu chăn nuôi tập trung {commune}",
        "Khu chăn nuôi tập trung của xã {commune} gây ô nhiễm nguồn nước, ảnh hưởng đời sống Nhân dân. Đề nghị tỉnh "
        "chỉ đạo kiểm tra, xử lý.",
    ),
    (
        "Bố trí vốn xây dựng nhà văn hóa thôn ở {commune}",
        "Sau sáp nhập thôn, xóm, nhiều nhà văn hóa ở {commune} không đủ chỗ sinh hoạt. Đề nghị hỗ trợ kinh phí xây "
        "dựng, sửa chữa nhà văn hóa.",
    ),
    (
        "Tăng cường bảo đảm an ninh trật tự vùng giáp ranh {commune}",
        "Tình hình trộm cắp, tệ nạn xã hội ở vùng giáp ranh {commune} còn phức tạp. Đề nghị công an tỉnh tăng cường "
        "tuần tra, kiểm soát.",
    ),
    (
        "Kiện toàn đội ngũ cán bộ cấp xã sau sắp xếp ở {commune}",
        "Sau sắp xếp đơn vị hành chính, xã {commune} dôi dư cán bộ, công chức. Đề nghị có chính sách bố trí, giải "
        "quyết chế độ phù hợp.",
    ),
    (
        "Cấp giấy chứng nhận quyền sử dụng đất cho hộ dân {commune}",
        "Nhiều hộ dân ở {commune} sử dụng đất ổn định lâu dài nhưng chưa được cấp giấy chứng nhận. Đề nghị tháo gỡ "
        "vướng mắc thủ tục.",
    ),
]


def triage_program():
    """A Nghệ An program (the province as it was in 2023, with its districts) with 10,000 sent
    items over its communes, fields and topic groups: a fifth waiting for triage, a fifth
    classified, the rest routed to the province's agencies with deadlines around today, some
    answered, some published. Written in bulk (search_text computed here, since bulk_create does
    not call save()); made once, then completed or reused."""
    import datetime

    from django.utils import timezone

    from dialogue.text import search_key
    from programs import workflow
    from programs.models import Program, TopicGroup
    from submissions.models import Answer, Field, Routing, Submission, SubmissionOrigin

    held = datetime.date(2023, 8, 3)
    program = Program.objects.filter(title=TRIAGE_PROGRAM_TITLE).first()
    if program is None:
        provinces = AdminUnit.objects.provinces().filter(code="40")
        area = provinces.valid_on(held).first() or provinces.current().get()
        program = workflow.create_program(
            by=None,
            title=TRIAGE_PROGRAM_TITLE,
            host=Agency.objects.get(code="na-tinh-uy"),
            standing_agency=Agency.objects.get(code="na-ban-dan-van"),
            area=area,
            audience=Program.Audience.COMMUNE_HEADS,
            start_date=held,
            end_date=held + datetime.timedelta(days=1),
            reference_prefix="TT2023",
        )
    groups = [
        TopicGroup.objects.get_or_create(program=program, name=name, defaults={"order": order})[0]
        for order, name in enumerate(
            [
                "Công tác xây dựng Đảng và hệ thống chính trị",
                "Phát triển kinh tế - xã hội, quốc phòng, an ninh",
                "Tâm tư, nguyện vọng của Nhân dân",
            ],
            start=1,
        )
    ]
    existing = program.submissions.count()
    if existing >= TRIAGE_ITEMS:
        return program
    area = program.area
    communes = list(
        AdminUnit.objects.communes()
        .valid_on(program.start_date)
        .filter(models.Q(parent=area) | models.Q(parent__parent=area))
        .order_by("code")
    )
    fields = list(Field.objects.order_by("order"))
    agencies = list(Agency.objects.filter(province_id=program.province_id).order_by("code"))
    author = User.objects.filter(is_superuser=True).order_by("pk").first()
    today = timezone.localdate()
    now = timezone.now()
    S = Submission.Status
    # By position in ten: 2 sent, 2 classified, 3 routed, 1 answered, 2 published.
    statuses = [S.SUBMITTED, S.SUBMITTED, S.CLASSIFIED, S.CLASSIFIED, S.ROUTED, S.ROUTED, S.ROUTED]
    statuses += [S.ANSWERED, S.PUBLISHED, S.PUBLISHED]
    items = []
    for i in range(existing, TRIAGE_ITEMS):
        number = i + 1
        commune = communes[(i * 7) % len(communes)]
        title, content = TRIAGE_TEXTS[i % len(TRIAGE_TEXTS)]
        title, content = title.format(commune=commune.name), content.format(commune=commune.name)
        reference = f"TT2023-{number:05d}"
        status = statuses[i % 10]
        sent = now - datetime.timedelta(days=90 - i % 60)
        items.append(
            Submission(
                program=program,
                number=number,
                reference=reference,
                kind=Submission.Kind.values[i % 3],
                field=fields[i % len(fields)],
                topic_group=groups[i % len(groups)] if status != S.SUBMITTED else None,
                title=title,
                content=content,
                commune=commune,
                status=status,
                answer_mode=Submission.AnswerMode.IN_WRITING if status not in (S.SUBMITTED, S.CLASSIFIED) else "",
                created_by=author,
                submitted_at=sent,
                acknowledge_due=timezone.localdate(sent) + datetime.timedelta(days=14),
                acknowledged_at=sent + datetime.timedelta(days=5) if i % 10 >= 4 else None,
                search_text=search_key(f"{reference} {title} {content}"),
            )
        )
    created = Submission.objects.bulk_create(items, batch_size=2000)
    SubmissionOrigin.objects.bulk_create(
        [SubmissionOrigin(submission=item, commune_id=item.commune_id) for item in created], batch_size=5000
    )
    routed = [item for item in created if item.status not in (S.SUBMITTED, S.CLASSIFIED)]
    Routing.objects.bulk_create(
        [
            Routing(
                submission=item,
                lead_agency=agencies[item.number % len(agencies)],
                deadline=today + datetime.timedelta(days=item.number % 90 - 45),
                status=Routing.Status.DONE if item.status == S.PUBLISHED else Routing.Status.ACTIVE,
                routed_by=author,
                routed_at=item.submitted_at + datetime.timedelta(days=3),
            )
            for item in routed
        ],
        batch_size=5000,
    )
    answered = [item for item in routed if item.status in (S.ANSWERED, S.PUBLISHED)]
    Answer.objects.bulk_create(
        [
            Answer(
                submission=item,
                agency=agencies[item.number % len(agencies)],
                mode=Submission.AnswerMode.IN_WRITING,
                text="Cơ quan đã tiếp thu, giao đơn vị chuyên môn rà soát và bố trí nguồn lực thực hiện.",
                status=Answer.Status.PUBLISHED if item.status == S.PUBLISHED else Answer.Status.SUBMITTED,
                created_by=author,
                submitted_at=now - datetime.timedelta(days=item.number % 40),
                published_at=now if item.status == S.PUBLISHED else None,
            )
            for item in answered
        ],
        batch_size=5000,
    )
    return program
