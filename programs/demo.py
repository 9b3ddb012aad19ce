"""Demo data: Nghệ An's 2023 program (lần thứ 2) and its 2018 predecessor, built through the
workflow as the organizers would, with the dates, venues, theme and forums the press reported.
People's names are invented; posts and bodies are real. Idempotent: a program that exists
(same host, title and start date) is left as it is."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from directory.demo import NGHE_AN_CODE
from directory.models import AdminUnit, Agency, User

from . import workflow
from .models import (
    PLAN_SECTIONS,
    AgendaSession,
    CommitteeMember,
    Forum,
    ForumNote,
    PlanVersion,
    Program,
    RoadmapTask,
    TopicGroup,
)

TITLE_2023 = (
    "Chương trình gặp mặt, đối thoại giữa Thường trực Tỉnh ủy với người đứng đầu cấp ủy, chính quyền "
    "các xã, phường, thị trấn năm 2023"
)
TITLE_2018 = (
    "Chương trình tiếp xúc, đối thoại giữa Thường trực Tỉnh ủy với người đứng đầu cấp ủy, chính quyền "
    "các xã, phường, thị trấn năm 2018"
)
THEME_2023 = "Đoàn kết - Dân chủ - Sáng tạo - Phát triển"
MAIN_HALL = "Nhà Văn hóa Lao động tỉnh, thành phố Vinh"
SQUARE = "Quảng trường Hồ Chí Minh, thành phố Vinh"

# (full name, role, agency code, position, demo username or "")
COMMITTEE_2023 = [
    ("Hồ Sỹ Nguyên", "head", "na-tinh-uy", "Phó Bí thư Tỉnh ủy", ""),
    ("Cao Thị Minh Tâm", "standing_deputy", "na-ban-dan-van", "Trưởng Ban Dân vận Tỉnh ủy", ""),
    ("Lê Đức Thịnh", "deputy", "na-tinh-uy", "Phó Bí thư Thường trực Tỉnh ủy", "thuongtruc"),
    ("Phan Văn Khải", "deputy", "na-ubnd", "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh", ""),
    ("Trần Thị Thu Hà", "deputy", "na-ban-dan-van", "Phó Trưởng Ban Dân vận Tỉnh ủy", "btc.danvan"),
    ("Nguyễn Thị Hương Giang", "member", "na-ban-tuyen-giao", "Trưởng Ban Tuyên giáo Tỉnh ủy", ""),
    ("Đinh Công Bằng", "member", "na-ban-to-chuc", "Phó Trưởng Ban Tổ chức Tỉnh ủy", ""),
    ("Vương Đình Lộc", "member", "na-van-phong-tinh-uy", "Phó Chánh Văn phòng Tỉnh ủy", ""),
    ("Thái Văn Sơn", "member", "na-lien-doan-lao-dong", "Chủ tịch Liên đoàn Lao động tỉnh", ""),
    ("Lương Thị Mai", "member", "na-bao-nghe-an", "Phó Tổng Biên tập Báo Nghệ An", ""),
    ("Chu Văn Kiên", "member", "na-cong-an", "Phó Giám đốc Công an tỉnh", ""),
    ("Nguyễn Hữu Phước", "secretariat", "na-ban-dan-van", "Trưởng phòng Dân vận Chính quyền - Mặt trận", ""),
    ("Hồ Thị Lan Anh", "secretariat", "na-ban-dan-van", "Chuyên viên Ban Dân vận Tỉnh ủy", ""),
]

TOPIC_GROUPS = [
    "Công tác xây dựng Đảng và hệ thống chính trị",
    "Quản lý, điều hành phát triển kinh tế - xã hội, bảo đảm quốc phòng - an ninh",
    "Nắm bắt tâm tư, nguyện vọng và tình hình Nhân dân",
]

PLAN_TEXT = {
    "purpose": (
        "Nâng cao vai trò lãnh đạo của cấp ủy đối với việc xây dựng, củng cố hệ thống chính trị ở cơ sở; "
        "thống nhất nhận thức và hành động trong toàn hệ thống chính trị; lắng nghe khó khăn, vướng mắc "
        "của cơ sở để tháo gỡ, góp phần thực hiện Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XIX."
    ),
    "requirements": (
        "Chuẩn bị chu đáo, thiết thực, không phô trương; nội dung đối thoại tập trung vào những vấn đề "
        "cơ sở đang vướng; các ý kiến, kiến nghị được tổng hợp, giao trả lời và theo dõi đến cùng."
    ),
    "content": (
        "Lễ dâng hoa tưởng niệm Chủ tịch Hồ Chí Minh; học tập, quán triệt chuyên đề về phòng, chống tham "
        "nhũng, tiêu cực; ba diễn đàn thảo luận theo ba nhóm vấn đề; gặp mặt, đối thoại chính; trình chiếu "
        "phóng sự và tham luận của người đứng đầu cấp ủy, chính quyền cấp xã."
    ),
    "participants": (
        "Bí thư đảng ủy, Chủ tịch HĐND, Chủ tịch UBND các xã, phường, thị trấn trên toàn tỉnh (khoảng "
        "1.121 đại biểu); lãnh đạo các sở, ban, ngành, đoàn thể cấp tỉnh; lãnh đạo các huyện, thành, thị."
    ),
    "time_place": "Ngày 21 và 22/7/2023 tại thành phố Vinh.",
    "agenda": (
        "Ngày thứ nhất: dâng hoa, học tập chuyên đề, ba diễn đàn thảo luận. Ngày thứ hai: phóng sự, "
        "gặp mặt, đối thoại và kết luận của Thường trực Tỉnh ủy."
    ),
    "assignments": (
        "Ban Dân vận Tỉnh ủy là cơ quan thường trực, tham mưu kế hoạch, lộ trình và tổng hợp ý kiến; "
        "Ban Tuyên giáo phụ trách tuyên truyền; Văn phòng Tỉnh ủy bảo đảm hậu cần; Công an tỉnh bảo đảm "
        "an ninh, trật tự, giao thông; UBND thành phố Vinh chỉnh trang đô thị."
    ),
    "budget": "Từ nguồn kinh phí hoạt động của Tỉnh ủy năm 2023, chi theo quy định hiện hành.",
    "logistics": (
        "Đón tiếp, bố trí chỗ nghỉ cho đại biểu các huyện xa; xe đưa đón; hội trường, âm thanh, "
        "ánh sáng; tài liệu, thẻ đại biểu."
    ),
    "communication": (
        "Tuyên truyền trước, trong và sau chương trình trên Báo Nghệ An, Đài Phát thanh và Truyền hình tỉnh, "
        "cổng thông tin điện tử; tường thuật trực tiếp phiên gặp mặt, đối thoại."
    ),
}

# (title, category, agency code, start, due, done on or None)
ROADMAP_2023 = [
    (
        "Dự thảo kế hoạch, lộ trình tổ chức chương trình",
        "content",
        "na-ban-dan-van",
        "2023-04-10",
        "2023-05-10",
        "2023-05-08",
    ),
    (
        "Rà soát kết quả thực hiện kết luận chương trình năm 2018",
        "content",
        "na-ban-dan-van",
        "2023-04-15",
        "2023-06-15",
        "2023-06-12",
    ),
    (
        "Đề nghị các xã gửi câu hỏi, đề xuất, kiến nghị",
        "content",
        "na-ban-dan-van",
        "2023-05-15",
        "2023-06-30",
        "2023-06-30",
    ),
    (
        "Tổng hợp, phân loại câu hỏi, đề xuất theo ba nhóm vấn đề",
        "content",
        "na-ban-dan-van",
        "2023-07-01",
        "2023-07-20",
        "2023-07-24",
    ),
    (
        "Chuẩn bị đề cương tham luận của người đứng đầu cấp xã",
        "speeches",
        "na-ban-dan-van",
        "2023-06-15",
        "2023-07-25",
        "2023-07-25",
    ),
    (
        "Xây dựng phóng sự trình chiếu tại hội nghị",
        "documentary",
        "na-dai-ptth",
        "2023-06-01",
        "2023-07-28",
        "2023-07-31",
    ),
    (
        "Phương án hậu cần, đón tiếp, bố trí chỗ nghỉ đại biểu",
        "logistics",
        "na-van-phong-tinh-uy",
        "2023-06-15",
        "2023-07-28",
        "2023-07-27",
    ),
    ("In ấn tài liệu, thẻ đại biểu", "logistics", "na-van-phong-tinh-uy", "2023-07-10", "2023-08-01", "2023-08-01"),
    (
        "Phương án an ninh, trật tự, phân luồng giao thông",
        "security_traffic",
        "na-cong-an",
        "2023-07-01",
        "2023-08-01",
        "2023-07-31",
    ),
    (
        "Trang trí hội trường, chỉnh trang tuyến phố trung tâm",
        "decoration",
        "na-so-xay-dung",
        "2023-07-10",
        "2023-08-02",
        "2023-08-02",
    ),
    (
        "Tuyên truyền trước chương trình trên báo, đài",
        "communication_before",
        "na-ban-tuyen-giao",
        "2023-07-01",
        "2023-08-02",
        "2023-08-02",
    ),
    (
        "Tường thuật trực tiếp phiên gặp mặt, đối thoại",
        "communication_during",
        "na-dai-ptth",
        "2023-08-03",
        "2023-08-04",
        "2023-08-04",
    ),
    (
        "Báo cáo tổng hợp kết quả ba diễn đàn gửi đại biểu",
        "content",
        "na-ban-dan-van",
        "2023-08-04",
        "2023-08-18",
        "2023-08-25",
    ),
    (
        "Dự thảo thông báo kết luận của Thường trực Tỉnh ủy",
        "content",
        "na-ban-dan-van",
        "2023-08-05",
        "2023-08-25",
        "2023-08-25",
    ),
    (
        "Loạt bài phản ánh việc thực hiện kết luận sau chương trình",
        "communication_after",
        "na-bao-nghe-an",
        "2023-08-10",
        "2023-10-31",
        None,
    ),
    (
        "Phóng sự về kết quả giải quyết kiến nghị của cơ sở",
        "communication_after",
        "na-dai-ptth",
        "2023-09-01",
        "2023-12-15",
        None,
    ),
    ("Quyết toán kinh phí tổ chức chương trình", "logistics", "na-van-phong-tinh-uy", "2023-08-10", "2023-09-30", None),
]

# (kind, title, day, start, end, place, chair, presenters)
AGENDA_2023 = [
    (
        "flower_ceremony",
        "Dâng hoa tưởng niệm Chủ tịch Hồ Chí Minh",
        3,
        "06:30",
        "07:30",
        SQUARE,
        "Thường trực Tỉnh ủy",
        "",
    ),
    (
        "study_session",
        "Học tập, quán triệt chuyên đề về phòng, chống tham nhũng, tiêu cực",
        3,
        "14:00",
        "15:30",
        MAIN_HALL,
        "Thường trực Tỉnh ủy",
        "Báo cáo viên Trung ương",
    ),
    ("forums", "Ba diễn đàn thảo luận theo nhóm vấn đề", 3, "15:45", "17:45", MAIN_HALL, "", ""),
    ("documentary", "Trình chiếu phóng sự về hệ thống chính trị cơ sở", 4, "07:30", "07:50", MAIN_HALL, "", ""),
    (
        "plenary",
        "Gặp mặt, đối thoại giữa Thường trực Tỉnh ủy với người đứng đầu cấp ủy, chính quyền cấp xã",
        4,
        "07:50",
        "10:30",
        MAIN_HALL,
        "Thường trực Tỉnh ủy",
        "",
    ),
    (
        "speeches",
        "Tham luận của người đứng đầu cấp ủy, chính quyền cấp xã",
        4,
        "10:30",
        "11:15",
        MAIN_HALL,
        "",
        "Đại biểu cấp xã",
    ),
    ("conclusion", "Kết luận của đồng chí Bí thư Tỉnh ủy", 4, "11:15", "11:45", MAIN_HALL, "Bí thư Tỉnh ủy", ""),
]

# forum title, topic group index, chair's name, rapporteur's name, room, notes [(kind, speaker, unit, content)]
FORUMS_2023 = [
    (
        "Diễn đàn về công tác xây dựng Đảng và hệ thống chính trị",
        0,
        "Lê Đức Thịnh",
        "Nguyễn Hữu Phước",
        "Hội trường tầng 1",
        [
            (
                "point",
                "Bí thư Đảng ủy xã",
                "huyện Quỳnh Lưu",
                "Cán bộ không chuyên trách ở xóm kiêm nhiệm nhiều việc, phụ cấp thấp nên khó giữ người.",
            ),
            (
                "answer",
                "Đại diện Ban Tổ chức Tỉnh ủy",
                "",
                "Tỉnh đang rà soát để tham mưu điều chỉnh chế độ phụ cấp và sắp xếp chức danh ở thôn, xóm.",
            ),
        ],
    ),
    (
        "Diễn đàn về phát triển kinh tế - xã hội, quốc phòng - an ninh",
        1,
        "Phan Văn Khải",
        "Hồ Thị Lan Anh",
        "Phòng họp số 2",
        [
            (
                "point",
                "Chủ tịch UBND xã",
                "huyện Tương Dương",
                "Đường giao thông liên xã xuống cấp, mùa mưa bị chia cắt.",
            ),
            (
                "answer",
                "Đại diện Sở Giao thông vận tải",
                "",
                "Tuyến đường đã có trong danh mục đầu tư trung hạn; Sở sẽ khảo sát, sửa chữa tạm trước mùa mưa.",
            ),
        ],
    ),
    (
        "Diễn đàn về nắm bắt tâm tư, nguyện vọng và tình hình Nhân dân",
        2,
        "Hồ Sỹ Nguyên",
        "Nguyễn Hữu Phước",
        "Phòng họp số 3",
        [
            (
                "point",
                "Chủ tịch HĐND phường",
                "thị xã Hoàng Mai",
                "Người dân mong sớm được cấp giấy chứng nhận quyền sử dụng đất ở khu tái định cư.",
            ),
            (
                "answer",
                "Đại diện Sở Tài nguyên và Môi trường",
                "",
                "Sở phối hợp với thị xã hoàn thiện hồ sơ, dự kiến cấp giấy trong quý IV.",
            ),
        ],
    ),
]


def _d(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


def _at(day: datetime.date, hhmm: str) -> datetime.datetime:
    hour, minute = (int(part) for part in hhmm.split(":"))
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone())


def _province_on(day: datetime.date) -> AdminUnit:
    return AdminUnit.objects.provinces().valid_on(day).get(code=NGHE_AN_CODE)


def _existing(title: str, start: datetime.date) -> Program | None:
    return Program.objects.filter(title=title, start_date=start).first()


def _approve_plan(program: Program, versions: list[dict[str, str]], *, organizer: User, approver: User, when) -> None:
    """Write, submit and approve each version in turn, as the committee did."""
    for index, sections in enumerate(versions):
        version = program.plan.versions.filter(status=PlanVersion.Status.DRAFT).first()
        if version is None:
            version = workflow.new_version(program.plan, by=organizer)
        note = "Dự thảo ban đầu" if index == 0 else "Tiếp thu ý kiến cuộc họp Ban tổ chức, đổi thời gian tổ chức"
        workflow.update_draft(version, sections, by=organizer, change_note=note)
        workflow.submit_version(version, by=organizer)
        workflow.approve_version(version, by=approver)
        # Keep the demo's dates in 2023 rather than today.
        PlanVersion.objects.filter(pk=version.pk).update(
            submitted_at=when[index] - datetime.timedelta(days=3), approved_at=when[index]
        )


@transaction.atomic
def seed_2018(agencies: dict[str, Agency], organizer: User, approver: User) -> Program:
    start = datetime.date(2018, 8, 17)
    program = _existing(TITLE_2018, start)
    if program:
        return program
    program = workflow.create_program(
        by=organizer,
        title=TITLE_2018,
        host=agencies["na-tinh-uy"],
        area=_province_on(start),
        audience=Program.Audience.COMMUNE_HEADS,
        edition=1,
        theme="",
        start_date=start,
        end_date=start,
        venue=MAIN_HALL,
        standing_agency=agencies["na-ban-dan-van"],
        reference_prefix="ĐT2018",
    )
    workflow.save_member(
        CommitteeMember(
            program=program,
            full_name="Hồ Sỹ Nguyên",
            role=CommitteeMember.Role.HEAD,
            agency=agencies["na-tinh-uy"],
            position="Phó Bí thư Tỉnh ủy",
        ),
        by=organizer,
    )
    sections = {key: PLAN_TEXT[key] for key, _label in PLAN_SECTIONS}
    sections["time_place"] = "Ngày 17/8/2018 tại Nhà Văn hóa Lao động tỉnh."
    _approve_plan(program, [sections], organizer=organizer, approver=approver, when=[_at(_d("2018-06-20"), "09:00")])
    for title, category, code, begin, due in [
        ("Dự thảo kế hoạch tổ chức chương trình", "content", "na-ban-dan-van", "2018-05-02", "2018-06-15"),
        ("Tổng hợp câu hỏi, kiến nghị của cơ sở", "content", "na-ban-dan-van", "2018-06-20", "2018-08-05"),
        ("Hậu cần, đón tiếp đại biểu", "logistics", "na-van-phong-tinh-uy", "2018-07-15", "2018-08-15"),
    ]:
        task = RoadmapTask(
            program=program,
            title=title,
            category=category,
            assignee_agency=agencies[code],
            start_date=_d(begin),
            due_date=_d(due),
            status=RoadmapTask.Status.DONE,
            completed_on=_d(due),
        )
        workflow.save_task(task, by=organizer)
    for status in (Program.Status.PREPARING, Program.Status.HELD, Program.Status.FOLLOWING_UP, Program.Status.CLOSED):
        workflow.set_program_status(program, status, by=organizer)
    return program


@transaction.atomic
def seed_2023(agencies: dict[str, Agency], organizer: User, approver: User, previous: Program) -> Program:
    start = datetime.date(2023, 8, 3)
    program = _existing(TITLE_2023, start)
    if program:
        return program
    program = workflow.create_program(
        by=organizer,
        title=TITLE_2023,
        host=agencies["na-tinh-uy"],
        area=_province_on(start),
        audience=Program.Audience.COMMUNE_HEADS,
        edition=2,
        previous=previous,
        theme=THEME_2023,
        start_date=start,
        end_date=datetime.date(2023, 8, 4),
        venue=f"{SQUARE}; {MAIN_HALL}",
        standing_agency=agencies["na-ban-dan-van"],
        reference_prefix="ĐT2023",
    )
    users = {u.username: u for u in User.objects.filter(username__in=[row[4] for row in COMMITTEE_2023 if row[4]])}
    members = {}
    for order, (name, role, code, position, username) in enumerate(COMMITTEE_2023):
        members[name] = workflow.save_member(
            CommitteeMember(
                program=program,
                full_name=name,
                role=role,
                agency=agencies[code],
                position=position,
                user=users.get(username),
                order=order,
            ),
            by=organizer,
        )
    first = {key: PLAN_TEXT[key] for key, _label in PLAN_SECTIONS}
    second = dict(first, time_place="Ngày 03 và 04/8/2023 tại thành phố Vinh (điều chỉnh từ 21 và 22/7/2023).")
    second["agenda"] = (
        "Ngày 03/8: dâng hoa, học tập chuyên đề, ba diễn đàn thảo luận. Ngày 04/8: phóng sự, gặp mặt, "
        "đối thoại, tham luận và kết luận của Thường trực Tỉnh ủy."
    )
    _approve_plan(
        program,
        [first, second],
        organizer=organizer,
        approver=approver,
        when=[_at(_d("2023-05-30"), "16:00"), _at(_d("2023-07-12"), "10:00")],
    )
    for title, category, code, begin, due, done in ROADMAP_2023:
        task = RoadmapTask(
            program=program,
            title=title,
            category=category,
            assignee_agency=agencies[code],
            start_date=_d(begin),
            due_date=_d(due),
            status=RoadmapTask.Status.DONE if done else RoadmapTask.Status.IN_PROGRESS,
            completed_on=_d(done) if done else None,
        )
        workflow.save_task(task, by=organizer)
    groups = [TopicGroup.objects.create(program=program, name=name, order=i) for i, name in enumerate(TOPIC_GROUPS, 1)]
    for kind, title, day, begin, end, place, chair, presenters in AGENDA_2023:
        when = datetime.date(2023, 8, day)
        AgendaSession.objects.create(
            program=program,
            kind=kind,
            title=title,
            starts_at=_at(when, begin),
            ends_at=_at(when, end),
            place=place,
            chair=chair,
            presenters=presenters,
        )
    for title, group, chair, rapporteur, room, notes in FORUMS_2023:
        forum = Forum.objects.create(
            program=program,
            title=title,
            topic_group=groups[group],
            chair=members[chair],
            rapporteur=members[rapporteur],
            room=f"{room}, {MAIN_HALL}",
            starts_at=_at(start, "15:45"),
            ends_at=_at(start, "17:45"),
            capacity=400,
            summary="Các ý kiến tập trung vào những vướng mắc của cơ sở; các sở, ngành đã giải đáp trực tiếp một phần.",
        )
        for order, (kind, speaker, unit, content) in enumerate(notes):
            ForumNote.objects.create(
                forum=forum, kind=kind, speaker=speaker, speaker_unit=unit, content=content, order=order
            )
    for status in (Program.Status.PREPARING, Program.Status.HELD, Program.Status.FOLLOWING_UP):
        workflow.set_program_status(program, status, by=organizer)
    return program


def seed() -> None:
    agencies = {a.code: a for a in Agency.objects.filter(code__startswith="na-")}
    organizer = User.objects.get(username="btc.danvan")
    approver = User.objects.get(username="thuongtruc")
    previous = seed_2018(agencies, organizer, approver)
    seed_2023(agencies, organizer, approver, previous)
