"""Demo data: the 97 questions, proposals and recommendations of Nghệ An's 2023 program.

Built through the workflow (submit, classify, merge, route, answer, publish) as the organizers
would have, then the timestamps and deadlines are moved back to 2023 — dates only, never a
status — so the demo shows answers on time and late, and items still open and overdue.
Texts are written for the demo; communes are the real 2023 communes of Nghệ An.
Idempotent: nothing is added once the program has submissions.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from directory.models import AdminUnit, Agency, User
from programs import demo as programs_demo
from programs.models import Program

from . import workflow
from .fields import ensure_fields
from .models import Answer, Routing, Submission

COUNT = 97
INTAKE_OPENS = datetime.date(2023, 6, 1)
INTAKE_CLOSES = datetime.date(2023, 7, 20)

# (field code, topic group index, kind, title, content, lead agency code)
TEMPLATES = [
    (
        "chinh-sach-can-bo",
        0,
        "proposal",
        "Điều chỉnh phụ cấp cán bộ không chuyên trách ở thôn, xóm",
        "Phụ cấp hiện nay thấp trong khi khối lượng việc nhiều, nhiều người xin nghỉ; "
        "đề nghị tỉnh nghiên cứu nâng mức phụ cấp.",
        "na-so-noi-vu",
    ),
    (
        "xay-dung-dang",
        0,
        "question",
        "Điều động cán bộ cấp tỉnh tăng cường cho cấp xã",
        "Xin hỏi tỉnh có chủ trương đưa cán bộ các sở, ngành về công tác có thời hạn ở xã khó khăn không?",
        "na-ban-to-chuc",
    ),
    (
        "xay-dung-dang",
        0,
        "recommendation",
        "Sinh hoạt chi bộ ở các thôn có nhiều đảng viên đi làm ăn xa",
        "Nhiều chi bộ không đủ đảng viên dự sinh hoạt; đề nghị hướng dẫn hình thức sinh hoạt phù hợp.",
        "na-ban-to-chuc",
    ),
    (
        "ha-tang-giao-thong",
        1,
        "proposal",
        "Nâng cấp đường giao thông liên xã",
        "Tuyến đường liên xã xuống cấp nghiêm trọng, mùa mưa bị chia cắt; đề nghị bố trí vốn sửa chữa, nâng cấp.",
        "na-so-giao-thong",
    ),
    (
        "ha-tang-giao-thong",
        1,
        "proposal",
        "Xây dựng cầu tràn qua suối",
        "Người dân và học sinh phải lội suối vào mùa lũ; đề nghị đầu tư cầu tràn kiên cố.",
        "na-so-giao-thong",
    ),
    (
        "dat-dai-moi-truong",
        1,
        "recommendation",
        "Cấp giấy chứng nhận quyền sử dụng đất cho khu tái định cư",
        "Nhiều hộ đã ở khu tái định cư trên mười năm nhưng chưa được cấp giấy chứng nhận.",
        "na-so-tai-nguyen-moi-truong",
    ),
    (
        "dat-dai-moi-truong",
        1,
        "question",
        "Xử lý rác thải sinh hoạt ở vùng nông thôn",
        "Bãi rác tập trung đã quá tải, gây ô nhiễm; xin hỏi kế hoạch xây dựng khu xử lý rác liên xã.",
        "na-so-tai-nguyen-moi-truong",
    ),
    (
        "kinh-te-xa-hoi",
        1,
        "proposal",
        "Hỗ trợ chuyển đổi cây trồng trên đất lúa kém hiệu quả",
        "Đề nghị có chính sách hỗ trợ giống, kỹ thuật để chuyển đổi sang cây trồng có giá trị cao hơn.",
        "na-so-nong-nghiep",
    ),
    (
        "kinh-te-xa-hoi",
        1,
        "proposal",
        "Kiên cố hóa kênh mương nội đồng",
        "Hệ thống kênh mương đất gây thất thoát nước tưới; đề nghị hỗ trợ xi măng theo cơ chế của tỉnh.",
        "na-so-nong-nghiep",
    ),
    (
        "kinh-te-xa-hoi",
        1,
        "question",
        "Thu hút doanh nghiệp đầu tư vào cụm công nghiệp của huyện",
        "Cụm công nghiệp đã có hạ tầng nhưng ít doanh nghiệp vào; xin hỏi giải pháp thu hút đầu tư.",
        "na-so-ke-hoach-dau-tu",
    ),
    (
        "van-hoa-giao-duc-y-te",
        2,
        "proposal",
        "Bổ sung giáo viên cho các trường vùng cao",
        "Trường tiểu học thiếu giáo viên tiếng Anh và tin học; đề nghị bổ sung biên chế.",
        "na-so-giao-duc",
    ),
    (
        "van-hoa-giao-duc-y-te",
        2,
        "proposal",
        "Nâng cấp trạm y tế xã",
        "Trạm y tế xuống cấp, thiếu trang thiết bị; đề nghị đầu tư để đạt chuẩn quốc gia về y tế xã.",
        "na-so-y-te",
    ),
    (
        "tam-tu-nguyen-vong",
        2,
        "recommendation",
        "Hỗ trợ nhà ở cho hộ nghèo, gia đình chính sách",
        "Còn nhiều hộ nghèo ở nhà tạm, dột nát; đề nghị tỉnh tiếp tục hỗ trợ xây dựng nhà ở.",
        "na-so-lao-dong",
    ),
    (
        "tam-tu-nguyen-vong",
        2,
        "question",
        "Chi trả tiền đền bù giải phóng mặt bằng dự án đường ven biển",
        "Một số hộ dân chưa nhận đủ tiền bồi thường; xin hỏi khi nào được chi trả dứt điểm.",
        "na-ubnd",
    ),
    (
        "quoc-phong-an-ninh",
        1,
        "recommendation",
        "Lắp đặt camera an ninh ở các tuyến đường trọng điểm",
        "Tình hình trộm cắp vặt diễn biến phức tạp; đề nghị hỗ trợ kinh phí lắp camera giám sát.",
        "na-cong-an",
    ),
    (
        "quoc-phong-an-ninh",
        1,
        "question",
        "Chế độ cho lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở",
        "Xin hỏi chế độ hỗ trợ cho lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở theo luật mới.",
        "na-cong-an",
    ),
]

# Speakers for answers given at the program.
ON_SPOT_SPEAKERS = [
    "Phó Bí thư Tỉnh ủy, Trưởng Ban Tổ chức chương trình",
    "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh",
    "Giám đốc Sở Giao thông vận tải",
    "Giám đốc Sở Nông nghiệp và Phát triển nông thôn",
    "Trưởng Ban Tổ chức Tỉnh ủy",
]


def _moment(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


@transaction.atomic
def seed() -> None:
    program = Program.objects.filter(title=programs_demo.TITLE_2023).first()
    if program is None or program.submissions.exists():
        return
    rng = random.Random(2023)
    organizer = User.objects.get(username="btc.danvan")
    agencies = {a.code: a for a in Agency.objects.filter(code__startswith="na-")}
    fields = ensure_fields()
    groups = list(program.topic_groups.order_by("order"))
    communes = list(
        AdminUnit.objects.communes().valid_on(program.start_date).filter(parent__parent=program.area).order_by("code")
    )
    program.intake_opens, program.intake_closes = INTAKE_OPENS, INTAKE_CLOSES
    program.save(update_fields=["intake_opens", "intake_closes"])

    items: list[tuple[Submission, tuple]] = []
    for index in range(COUNT):
        template = TEMPLATES[index % len(TEMPLATES)]
        field_code, group, kind, title, content, _agency = template
        commune = rng.choice(communes)
        sent_on = INTAKE_OPENS + datetime.timedelta(days=rng.randrange(0, (INTAKE_CLOSES - INTAKE_OPENS).days))
        item = workflow.save_draft(
            Submission(
                program=program,
                kind=kind,
                field=fields[field_code],
                topic_group=groups[group],
                title=f"{title} ({commune.full_name})",
                content=content,
                location=f"{commune.full_name}, {commune.parent.full_name}",
                commune=commune,
                source=Submission.Source.STAFF,
                source_note="Tổng hợp từ văn bản của xã gửi Ban tổ chức",
            ),
            by=organizer,
        )
        item = workflow.submit(item, by=organizer, today=sent_on)
        Submission.objects.filter(pk=item.pk).update(
            submitted_at=_moment(sent_on),
            acknowledge_due=sent_on + datetime.timedelta(days=14),
            created_at=_moment(sent_on),
        )
        items.append((item, template))

    # The first template (allowances of village cadres) came from many communes: merge them.
    allowance = [item for item, template in items if template is TEMPLATES[0]]
    workflow.merge(allowance[1:], into=allowance[0], by=organizer)
    live = [(item, template) for item, template in items if item not in allowance[1:]]

    for position, (item, template) in enumerate(live):
        item.refresh_from_db()
        workflow.classify(item, by=organizer, topic_group=item.topic_group)
        sent_on = timezone.localdate(item.submitted_at)
        if position % 5 == 0:  # answered on the spot at the program
            answer = workflow.record_on_spot_answer(
                item,
                by=organizer,
                text="Đã giải đáp trực tiếp tại chương trình; nội dung cụ thể được gửi kèm báo cáo tổng hợp.",
                answered_by=ON_SPOT_SPEAKERS[position % len(ON_SPOT_SPEAKERS)],
                agency=agencies.get(template[5]),
            )
            Answer.objects.filter(pk=answer.pk).update(submitted_at=_moment(program.end_date, 10))
            workflow.publish_answer(answer, by=organizer)
            continue
        routing = workflow.route(item, lead_agency=agencies[template[5]], working_days=20, by=organizer)
        routed_on = max(sent_on, INTAKE_CLOSES) + datetime.timedelta(days=20)
        deadline = routed_on + datetime.timedelta(days=30)
        Routing.objects.filter(pk=routing.pk).update(routed_at=_moment(routed_on), deadline=deadline)
        Submission.objects.filter(pk=item.pk).update(acknowledged_at=_moment(routed_on))
        if position % 7 == 3:  # still open, now overdue
            continue
        officer_agency = agencies[template[5]]
        answer = workflow.save_answer_draft(
            Answer(
                submission=item,
                agency=officer_agency,
                text=f"{officer_agency.name} đã tiếp thu, rà soát và sẽ triển khai trong kế hoạch năm 2024; "
                "kết quả được báo cáo Thường trực Tỉnh ủy.",
            ),
            by=organizer,
        )
        workflow.submit_answer(answer, by=organizer)
        late = position % 4 == 1
        answered_on = deadline + datetime.timedelta(days=12) if late else deadline - datetime.timedelta(days=6)
        Answer.objects.filter(pk=answer.pk).update(submitted_at=_moment(answered_on))
        if position % 9 != 2:  # most are published; a few wait for the organizers' review
            workflow.publish_answer(answer, by=organizer)
            Answer.objects.filter(pk=answer.pk).update(published_at=_moment(answered_on + datetime.timedelta(days=3)))
