"""Data for the benchmarks at a scale factor: the real units (imported), the demo catalogue,
and `scale` × 100 extra agencies and users spread over the provinces. Idempotent."""

from __future__ import annotations

import datetime

from django.db import models, transaction

from directory.models import AdminUnit, Agency, Role, User


@transaction.atomic
def generate(scale: int = 1) -> dict[str, int]:
    from conclusions.models import ProgressReport

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
    followup = followup_notice()
    report = report_notice()
    return {
        "agencies": Agency.objects.count(),
        "users": User.objects.count(),
        "units": AdminUnit.objects.count(),
        "roadmap_tasks": roadmap.tasks.count(),
        "triage_submissions": triage.submissions.count(),
        "followup_assignments": followup.assignments.count(),
        "followup_reports": ProgressReport.objects.filter(assignment__notice=followup).count(),
        "report_assignments": report.assignments.count(),
        "report_progress_reports": ProgressReport.objects.filter(assignment__notice=report).count(),
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
    from submissions.deadlines import refresh_facts
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
    refresh_facts(program.submissions.all())  # bulk rows skip the workflow that keeps them
    return program


# --- conclusions: the follow-up of 20,000 assignments and a yearly report of 200 ---------------------

FOLLOWUP_PROGRAM_TITLE = "Chương trình thử tải: theo dõi 20.000 nhiệm vụ được giao"
FOLLOWUP_ASSIGNMENTS = 20_000
REPORT_PROGRAM_TITLE = "Chương trình thử tải: báo cáo thực hiện 200 nhiệm vụ"
REPORT_ASSIGNMENTS = 200
REPORT_PROGRESS_REPORTS = 1_000
# Numbers no real notice uses (the demo has 1029-TB/TU of 2023 and 1452-TB/TU of 2018).
FOLLOWUP_SEQUENCE, REPORT_SEQUENCE = 9001, 9002
ASSIGNMENT_TEXTS = [
    ("Trả lời kiến nghị về nâng cấp đường giao thông liên xã", "Văn bản trả lời kiến nghị"),
    ("Tham mưu chính sách hỗ trợ nhà ở cho hộ nghèo, hộ có hoàn cảnh khó khăn", "Nghị quyết của HĐND tỉnh"),
    ("Rà soát chế độ phụ cấp cho người hoạt động không chuyên trách ở thôn, xóm", "Báo cáo rà soát"),
    ("Tuyên truyền, quán triệt nội dung kết luận đến cán bộ chủ chốt cơ sở", "Tin, bài trên báo, đài"),
    ("Giải quyết dứt điểm tranh chấp đất đai kéo dài", "Báo cáo kết quả giải quyết"),
    ("Đầu tư trạm y tế xã đạt chuẩn quốc gia", "Danh mục đầu tư trung hạn"),
    ("Hỗ trợ chuyển đổi cây trồng trên đất lúa kém hiệu quả", "Đề án hỗ trợ"),
    ("Thí điểm điều động cán bộ cấp sở về tăng cường cho cấp xã", "Quy định thí điểm"),
]


def _issued_notice(title: str, sequence: int, issued_on, *, key_tasks: int = 6):
    """A program and its issued notice with key tasks and no assignments yet (the generators add
    those in bulk: 20,000 workflow calls would take longer than the benchmark). Made once."""
    from conclusions import workflow as conclusions_workflow
    from conclusions.models import ConclusionNotice
    from programs import workflow
    from programs.models import Program

    notice = ConclusionNotice.objects.filter(program__title=title).first()
    if notice is not None:
        return notice
    held = issued_on - datetime.timedelta(days=25)
    provinces = AdminUnit.objects.provinces().filter(code="40")
    program = workflow.create_program(
        by=None,
        title=title,
        host=Agency.objects.get(code="na-tinh-uy"),
        standing_agency=Agency.objects.get(code="na-ban-dan-van"),
        area=provinces.valid_on(held).first() or provinces.current().get(),
        audience=Program.Audience.COMMUNE_HEADS,
        start_date=held,
        end_date=held + datetime.timedelta(days=1),
    )
    author = User.objects.filter(is_superuser=True).order_by("pk").first()
    notice = conclusions_workflow.create_notice(
        program,
        by=author,
        issuing_body="TỈNH ỦY NGHỆ AN",
        place="Nghệ An",
        summary=f"kết luận của Thường trực Tỉnh ủy tại {title[0].lower()}{title[1:]}",
        signing_form="T/L",
        signing_body="BAN THƯỜNG VỤ",
        signer_title="CHÁNH VĂN PHÒNG",
        signer_name="Cán bộ thử tải",
    )
    conclusions_workflow.save_key_tasks(
        notice, [f"Nhiệm vụ trọng tâm thử tải số {n}" for n in range(1, key_tasks + 1)], by=author
    )
    conclusions_workflow.submit(notice, by=author)
    conclusions_workflow.approve(notice, by=author)
    return conclusions_workflow.issue(notice, by=author, sequence=sequence, issued_on=issued_on)


def _plan(i: int, issued_on, today):
    """What assignment `i` owes and how it stands: (schedule fields, [(label, due_on, done_on)]).
    By position in ten: four done (on time), two done late where the date has passed, four
    open; one in five reports yearly instead. Deadlines spread over 30–930 days after issue, so
    about half of them have passed today: open ones among those are overdue."""
    from conclusions.models import Assignment, ReportingCycle

    if i % 5 == 4:
        until = datetime.date(issued_on.year + 2, 12, 31)
        fields = {"schedule": Assignment.Schedule.CYCLE, "cycle": ReportingCycle.YEARLY, "cycle_until": until}
        dues = []
        for year in range(issued_on.year, until.year + 1):
            due_on = datetime.date(year, 12, 15)
            if due_on <= issued_on:
                continue
            done_on = None
            if due_on < today and i % 7:  # one in seven has missed a report
                late = i % 3 == 0 and due_on + datetime.timedelta(days=5) <= today
                done_on = due_on + datetime.timedelta(days=5) if late else due_on - datetime.timedelta(days=3)
            dues.append((f"Năm {year}", due_on, done_on))
        return fields, dues
    deadline = issued_on + datetime.timedelta(days=30 + (i * 53) % 900)
    done_on, kind = None, i % 10
    if kind < 4:
        done_on = min(deadline, today) - datetime.timedelta(days=i % 20)
        done_on = max(done_on, issued_on + datetime.timedelta(days=1))
    elif kind < 6 and deadline + datetime.timedelta(days=1 + i % 40) <= today:
        done_on = deadline + datetime.timedelta(days=1 + i % 40)
    fields = {"schedule": Assignment.Schedule.DEADLINE, "deadline": deadline}
    return fields, [("Hạn hoàn thành", deadline, done_on)]


def _bulk_assignments(notice, count: int, *, reports_for, evidence_every: int = 0) -> dict[str, int]:
    """Add assignments `existing..count` to `notice` in bulk: the dues each owes, the kept status
    columns computed from them exactly as `conclusions.workflow.refresh` does, coordinating
    agencies for one in eight, and the progress reports `reports_for(i, dues)` returns as
    [(due index or None, reported_on, percent, completes)]."""
    from django.utils import timezone

    from conclusions.models import Assignment, Due, Evidence, ProgressReport, assignment_search_text

    existing = notice.assignments.count()
    if existing >= count:
        return {"assignments": existing}
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    issued_on = notice.issued_on
    agencies = list(Agency.objects.filter(province_id=notice.program.province_id).order_by("code"))
    tasks = list(notice.key_tasks.order_by("order"))
    author = User.objects.filter(is_superuser=True).order_by("pk").first()
    outputs = Assignment.Output.values
    plans, rows = {}, []
    for i in range(existing, count):
        fields, dues = _plan(i, issued_on, today)
        plans[i] = dues
        open_dates = [due_on for _label, due_on, done_on in dues if done_on is None]
        text, detail = ASSIGNMENT_TEXTS[i % len(ASSIGNMENT_TEXTS)]
        rows.append(
            Assignment(
                notice=notice,
                order=i + 1,
                key_task=tasks[i % len(tasks)] if tasks else None,
                lead_agency=agencies[i % len(agencies)],
                text=f"{text} (nhiệm vụ số {i + 1})",
                output=outputs[i % len(outputs)],
                output_detail=detail,
                search_text=assignment_search_text(
                    f"{text} (nhiệm vụ số {i + 1})", detail, agencies[i % len(agencies)].name
                ),
                next_due_on=min(open_dates) if open_dates else None,
                completed_on=max(done_on for _label, _due_on, done_on in dues) if dues and not open_dates else None,
                late_dues=sum(1 for _label, due_on, done_on in dues if done_on and done_on > due_on),
                **fields,
            )
        )
    created = Assignment.objects.bulk_create(rows, batch_size=2000)
    through = Assignment.coordinating_agencies.through
    through.objects.bulk_create(
        [
            through(assignment_id=a.pk, agency_id=agencies[(a.order + 7) % len(agencies)].pk)
            for a in created
            if a.order % 8 == 0 and agencies[(a.order + 7) % len(agencies)].pk != a.lead_agency_id
        ],
        batch_size=5000,
    )
    due_rows = [
        Due(assignment=a, label=label, due_on=due_on, original_due_on=due_on, done_on=done_on)
        for a in created
        for label, due_on, done_on in plans[a.order - 1]
    ]
    Due.objects.bulk_create(due_rows, batch_size=5000)
    dues_of = {}
    for due in due_rows:
        dues_of.setdefault(due.assignment_id, []).append(due)
    reports = []
    for a in created:
        own = dues_of.get(a.pk, [])
        for due_index, reported_on, percent, completes in reports_for(a.order - 1, own, today):
            reports.append(
                ProgressReport(
                    assignment=a,
                    due=own[due_index] if due_index is not None else None,
                    text=f"Báo cáo tiến độ nhiệm vụ số {a.order}: đã triển khai theo kế hoạch.",
                    percent=percent,
                    completes=completes,
                    reported_by=author,
                    reported_at=datetime.datetime.combine(reported_on, datetime.time(9), tzinfo=tz),
                )
            )
    ProgressReport.objects.bulk_create(reports, batch_size=5000)
    evidence = []
    if evidence_every:
        evidence = [
            # Names only: the report lists evidence by name and never opens the file.
            Evidence(
                report=r,
                file=f"conclusions/bench/{r.pk}.pdf",
                original_name=f"Minh chứng báo cáo {r.pk}.pdf",
                content_type="application/pdf",
                size=1024,
                uploaded_by=author,
            )
            for position, r in enumerate(reports)
            if position % evidence_every == 0
        ]
        Evidence.objects.bulk_create(evidence, batch_size=5000)
    return {"assignments": notice.assignments.count(), "reports": len(reports), "evidence": len(evidence)}


def _followup_reports(i: int, dues, today) -> list:
    """One in three assignments has a report for each due it fulfilled; one in seven of the open
    ones a partial report. About 4,000 reports for 20,000 assignments."""
    reports = []
    if i % 3 == 0:
        reports += [(n, due.done_on, 100, True) for n, due in enumerate(dues) if due.done_on]
    if i % 7 == 0 and any(due.done_on is None for due in dues):
        reports.append((None, min(today, dues[0].due_on) - datetime.timedelta(days=10), 40 + i % 50, False))
    return reports


def followup_notice():
    """An issued notice of 20,000 assignments across the province's agencies, issued 500 days
    ago: done on time, done late, open within the deadline and overdue, a fifth reporting yearly,
    about 4,000 progress reports. Made once, then reused."""
    from django.utils import timezone

    issued_on = timezone.localdate() - datetime.timedelta(days=500)
    notice = _issued_notice(FOLLOWUP_PROGRAM_TITLE, FOLLOWUP_SEQUENCE, issued_on)
    with transaction.atomic():
        _bulk_assignments(notice, FOLLOWUP_ASSIGNMENTS, reports_for=_followup_reports)
    return notice


def _report_year_reports(i: int, dues, today) -> list:
    """Five reports this year for every assignment (1,000 for 200), the last one fulfilling a
    due when the plan says it was done this year."""
    start = datetime.date(today.year, 1, 10)
    reports = []
    for n in range(REPORT_PROGRESS_REPORTS // REPORT_ASSIGNMENTS):
        reported_on = min(start + datetime.timedelta(days=30 * n + i % 25), today)
        reports.append((None, reported_on, min(20 * (n + 1), 90), False))
    done_this_year = [n for n, due in enumerate(dues) if due.done_on and due.done_on.year == today.year]
    if done_this_year:
        index = done_this_year[-1]
        reports[-1] = (index, dues[index].done_on, 100, True)
    return reports


def report_notice():
    """An issued notice of 200 assignments with 1,000 progress reports this year (one in four with
    an evidence file's name), for the yearly follow-up report. Made once, then reused."""
    from django.utils import timezone

    today = timezone.localdate()
    issued_on = datetime.date(today.year, 1, 5) if today >= datetime.date(today.year, 1, 6) else today
    notice = _issued_notice(REPORT_PROGRAM_TITLE, REPORT_SEQUENCE, issued_on)
    with transaction.atomic():
        _bulk_assignments(notice, REPORT_ASSIGNMENTS, reports_for=_report_year_reports, evidence_every=4)
    return notice
