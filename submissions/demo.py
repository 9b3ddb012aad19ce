"""Demo data: the questions, proposals and recommendations of Nghệ An's 2023 program (97) and
of its 2018 predecessor (60), so the dashboards can compare the two editions.

Built through the workflow (submit, classify, merge, route, answer, publish) as the organizers
would have, then the timestamps and deadlines are moved back to when things happened — dates
only, never a status — so the demo shows answers on time and late, and items still open and
overdue. The action-log and history rows the workflow writes are kept as they are.
Texts are written for the demo; communes are the real communes of Nghệ An as they were when
each program ran. 2018 comes back in 2023: the same fields recur (roads, land, allowances of
non-specialised staff, schools and clinics), some communes raised items in both programs, and
the communes of the demo commune leaders appear in both years.
Idempotent: nothing is added to a program that already has submissions.
"""

from __future__ import annotations

import datetime
import random
from itertools import zip_longest
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone

from directory.calendar import deadline_after
from directory.models import AdminUnit, Agency, Role, User
from programs import demo as programs_demo
from programs.models import Program

from . import workflow
from .deadlines import refresh_facts
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


def _sent(program, commune, sent_on, *, by, note: str, acknowledge_due, created_at, **fields) -> Submission:
    """An item the organizers entered for `commune` and sent through the workflow, then dated
    back to the day it was sent."""
    draft = Submission(
        program=program,
        commune=commune,
        location=f"{commune.full_name}, {commune.parent.full_name}",
        source=Submission.Source.STAFF,
        source_note=note,
        **fields,
    )
    item = workflow.submit(workflow.save_draft(draft, by=by), by=by, today=sent_on)
    Submission.objects.filter(pk=item.pk).update(
        submitted_at=_moment(sent_on), acknowledge_due=acknowledge_due, created_at=created_at
    )
    return item


def seed() -> None:
    """Both programs, 2023 first: the 2018 items pick some of the communes heard in 2023."""
    program = Program.objects.filter(title=programs_demo.TITLE_2023).first()
    if program is not None and not program.submissions.exists():
        seed_2023(program)
        refresh_facts(program.submissions.all())  # the dates were moved back around the workflow
    earlier = Program.objects.filter(title=programs_demo.TITLE_2018).first()
    if earlier is not None and not earlier.submissions.exists():
        seed_2018(earlier, later=program)
        refresh_facts(earlier.submissions.all())


@transaction.atomic
def seed_2023(program: Program) -> None:
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
        item = _sent(
            program,
            commune,
            sent_on,
            by=organizer,
            note="Tổng hợp từ văn bản của xã gửi Ban tổ chức",
            acknowledge_due=sent_on + datetime.timedelta(days=14),
            created_at=_moment(sent_on),
            kind=kind,
            field=fields[field_code],
            topic_group=groups[group],
            title=f"{title} ({commune.full_name})",
            content=content,
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


# --- 2018: the first edition, 17/8/2018 ---------------------------------------------------------

COUNT_2018 = 60
INTAKE_OPENS_2018 = datetime.date(2018, 6, 20)
INTAKE_CLOSES_2018 = datetime.date(2018, 8, 5)
ANSWER_WORKING_DAYS_2018 = 20


class Theme(NamedTuple):
    field: str
    kind: str
    title: str
    content: str
    lead: str  # agency code
    answer: str
    coordinating: tuple[str, ...] = ()
    # Raised again in 2023: its first item comes from a commune heard in 2023 on the same field.
    again: bool = False
    where: tuple[str, ...] = ()  # district names; any district when empty
    towns: bool = False  # also fits urban wards

    def fits(self, commune: AdminUnit) -> bool:
        if self.where and commune.parent.name not in self.where:
            return False
        return self.towns or commune.kind != AdminUnit.Kind.PHUONG


# Where a theme fits, by district (as they were until 2025); themes without one fit any rural
# commune, and urban wards only when `towns` says so.
HIGHLANDS = ("Quế Phong", "Quỳ Châu", "Kỳ Sơn", "Tương Dương", "Con Cuông", "Quỳ Hợp")
MOUNTAINS = (*HIGHLANDS, "Tân Kỳ", "Anh Sơn", "Thanh Chương", "Nghĩa Đàn")
BORDER = ("Quế Phong", "Kỳ Sơn", "Tương Dương", "Con Cuông", "Anh Sơn", "Thanh Chương")
RESETTLEMENT = ("Tương Dương", "Thanh Chương", "Quế Phong", "Con Cuông")  # hydropower reservoirs
COAST = ("Quỳnh Lưu", "Hoàng Mai", "Diễn Châu", "Nghi Lộc")
LAM_RIVER = ("Con Cuông", "Anh Sơn", "Đô Lương", "Thanh Chương", "Nam Đàn", "Hưng Nguyên")

# The notice of 2018 names three concerns: allowances of commune staff, mountain roads, crops.
THEMES_2018 = [
    Theme(
        "chinh-sach-can-bo",
        "proposal",
        "Nâng mức phụ cấp cho người hoạt động không chuyên trách ở xã, xóm",
        "Mức phụ cấp hiện hành quá thấp so với khối lượng công việc; nhiều xóm không tìm được người nhận "
        "làm trưởng xóm, công an viên. Đề nghị tỉnh sớm điều chỉnh mức phụ cấp.",
        "na-so-noi-vu",
        "Sở Nội vụ đang phối hợp Ban Tổ chức Tỉnh ủy rà soát chức danh và mức phụ cấp của người hoạt động "
        "không chuyên trách ở cấp xã, thôn, xóm để tham mưu UBND tỉnh trình HĐND tỉnh sửa đổi trong năm 2019.",
        ("na-ban-to-chuc",),
        again=True,
        towns=True,
    ),
    Theme(
        "chinh-sach-can-bo",
        "question",
        "Chế độ đối với trưởng xóm, bí thư chi bộ dôi dư khi sáp nhập xóm",
        "Khi sáp nhập các xóm nhỏ, một số trưởng xóm, bí thư chi bộ thôi đảm nhiệm chức danh. Xin hỏi có "
        "chính sách hỗ trợ một lần cho những người này không?",
        "na-so-noi-vu",
        "Người hoạt động không chuyên trách ở xóm dôi dư do sáp nhập được hỗ trợ một lần theo số năm công tác. "
        "UBND huyện lập danh sách gửi Sở Nội vụ thẩm định, Sở Tài chính cấp kinh phí.",
        ("na-so-tai-chinh",),
        towns=True,
    ),
    Theme(
        "xay-dung-dang",
        "recommendation",
        "Hướng dẫn thực hiện bí thư chi bộ đồng thời là trưởng xóm",
        "Đề nghị có hướng dẫn cụ thể về tiêu chuẩn, quy trình và phụ cấp khi bí thư chi bộ kiêm trưởng xóm "
        "để các xã triển khai thống nhất theo Nghị quyết số 18-NQ/TW.",
        "na-ban-to-chuc",
        "Ban Tổ chức Tỉnh ủy đã ban hành hướng dẫn thực hiện bí thư chi bộ đồng thời là trưởng thôn, xóm; "
        "người kiêm nhiệm được hưởng thêm phụ cấp theo nghị quyết của HĐND tỉnh.",
        again=True,
        towns=True,
    ),
    Theme(
        "xay-dung-dang",
        "question",
        "Phát triển đảng viên ở các bản vùng cao",
        "Nhiều bản chưa có đảng viên hoặc chưa có chi bộ riêng. Xin hỏi tỉnh có giải pháp gì để tạo nguồn, "
        "kết nạp đảng viên là người dân tộc thiểu số?",
        "na-ban-to-chuc",
        "Tỉnh ủy giao các huyện miền núi chỉ tiêu xóa bản chưa có đảng viên; Ban Tổ chức Tỉnh ủy phối hợp các "
        "huyện ủy mở lớp bồi dưỡng nhận thức về Đảng ngay tại bản, ưu tiên đoàn viên và quân nhân xuất ngũ.",
        where=HIGHLANDS,
    ),
    Theme(
        "ha-tang-giao-thong",
        "proposal",
        "Đầu tư tuyến đường liên xã bị chia cắt về mùa mưa",
        "Tuyến đường nối trung tâm xã với các bản vẫn là đường đất, mùa mưa sạt lở, xe không đi được. Đề nghị "
        "tỉnh đưa tuyến đường vào danh mục đầu tư.",
        "na-so-giao-thong",
        "Sở Giao thông vận tải đã khảo sát và đưa tuyến đường vào danh mục đề xuất đầu tư công trung hạn; "
        "trước mắt phối hợp UBND huyện xử lý các điểm sạt lở trước mùa mưa bão.",
        ("na-so-ke-hoach-dau-tu",),
        again=True,
        where=MOUNTAINS,
    ),
    Theme(
        "van-hoa-giao-duc-y-te",
        "proposal",
        "Bổ sung giáo viên mầm non",
        "Trường mầm non thiếu giáo viên, một cô phải trông hơn ba mươi cháu. Đề nghị bổ sung chỉ tiêu hợp đồng "
        "giáo viên.",
        "na-so-giao-duc",
        "Sở Giáo dục và Đào tạo đã trình UBND tỉnh giao thêm chỉ tiêu hợp đồng giáo viên mầm non cho các huyện "
        "thiếu nhiều, đồng thời điều chuyển giáo viên từ nơi thừa sang nơi thiếu.",
        ("na-so-noi-vu",),
        again=True,
        towns=True,
    ),
    Theme(
        "ha-tang-giao-thong",
        "proposal",
        "Xây dựng cầu treo dân sinh qua sông",
        "Người dân và học sinh phải đi đò qua sông, mùa lũ rất nguy hiểm. Đề nghị đầu tư cầu treo dân sinh.",
        "na-so-giao-thong",
        "Cầu đã được đề xuất vào dự án xây dựng cầu dân sinh và quản lý tài sản đường địa phương; Sở hướng "
        "dẫn UBND huyện hoàn thiện hồ sơ để khởi công trong năm 2019.",
        again=True,
        where=MOUNTAINS,
    ),
    Theme(
        "ha-tang-giao-thong",
        "proposal",
        "Công trình cấp nước sạch cho các xóm thường xuyên khô hạn",
        "Mùa hè giếng khơi cạn, nước giếng khoan nhiễm phèn; người dân phải mua nước sinh hoạt. Đề nghị đầu tư "
        "công trình cấp nước tập trung.",
        "na-so-nong-nghiep",
        "Sở Nông nghiệp và Phát triển nông thôn đã giao Trung tâm Nước sạch và Vệ sinh môi trường nông thôn "
        "khảo sát nguồn nước; công trình được đưa vào kế hoạch xây dựng nông thôn mới giai đoạn 2019 - 2020.",
        again=True,
    ),
    Theme(
        "ha-tang-giao-thong",
        "question",
        "Cơ chế hỗ trợ xi măng làm đường giao thông nông thôn",
        "Nhiều xóm đã góp công, hiến đất làm đường nhưng đang chờ xi măng. Xin hỏi cơ chế hỗ trợ xi măng có "
        "tiếp tục trong năm 2019 không?",
        "na-so-giao-thong",
        "Tỉnh tiếp tục cơ chế hỗ trợ xi măng làm đường giao thông nông thôn; xã đăng ký khối lượng qua UBND "
        "huyện để Sở tổng hợp, phân bổ theo tiến độ thi công thực tế.",
        ("na-so-tai-chinh",),
    ),
    Theme(
        "dat-dai-moi-truong",
        "recommendation",
        "Cấp giấy chứng nhận cho đất ở được giao trái thẩm quyền",
        "Nhiều hộ được giao đất ở từ những năm 1990 không đúng thẩm quyền, đã nộp tiền nhưng đến nay chưa được "
        "cấp giấy chứng nhận quyền sử dụng đất. Đề nghị tỉnh có hướng xử lý dứt điểm.",
        "na-so-tai-nguyen-moi-truong",
        "Sở Tài nguyên và Môi trường đã hướng dẫn các huyện rà soát, phân loại hồ sơ đất giao trái thẩm quyền; "
        "các trường hợp đủ điều kiện được xét cấp giấy chứng nhận trong năm 2019.",
        again=True,
        towns=True,
    ),
    Theme(
        "dat-dai-moi-truong",
        "recommendation",
        "Ô nhiễm từ trang trại chăn nuôi lợn gần khu dân cư",
        "Trang trại chăn nuôi xả nước thải ra kênh tưới, gây mùi hôi và ô nhiễm nguồn nước. Đề nghị các ngành "
        "kiểm tra, xử lý.",
        "na-so-tai-nguyen-moi-truong",
        "Sở đã phối hợp UBND huyện kiểm tra, yêu cầu chủ trang trại hoàn thiện hệ thống xử lý chất thải và xử "
        "phạt vi phạm hành chính; UBND xã tiếp tục giám sát, báo cáo nếu tái diễn.",
    ),
    Theme(
        "dat-dai-moi-truong",
        "question",
        "Khai thác cát, sỏi trái phép trên sông Lam",
        "Tình trạng hút cát vào ban đêm làm sạt lở bờ sông, mất đất sản xuất. Xin hỏi trách nhiệm quản lý và "
        "biện pháp xử lý.",
        "na-so-tai-nguyen-moi-truong",
        "Sở Tài nguyên và Môi trường phối hợp Công an tỉnh kiểm tra liên ngành, đình chỉ các bến bãi không phép; "
        "UBND xã có trách nhiệm phát hiện, ngăn chặn ngay từ đầu.",
        ("na-cong-an",),
        where=LAM_RIVER,
    ),
    Theme(
        "kinh-te-xa-hoi",
        "proposal",
        "Hỗ trợ chuyển đổi đất lúa kém hiệu quả sang cây ăn quả, cây dược liệu",
        "Ruộng vùng cao chỉ cấy được một vụ, năng suất thấp. Đề nghị hỗ trợ giống và kỹ thuật để chuyển sang "
        "cây ăn quả, cây dược liệu.",
        "na-so-nong-nghiep",
        "Sở Nông nghiệp và Phát triển nông thôn đang xây dựng chính sách hỗ trợ chuyển đổi cơ cấu cây trồng trên "
        "đất lúa; trước mắt hỗ trợ giống cho các mô hình trình diễn ở các huyện miền núi trong vụ Xuân 2019.",
        again=True,
        where=MOUNTAINS,
    ),
    Theme(
        "kinh-te-xa-hoi",
        "recommendation",
        "Bố trí vốn trả nợ các công trình xây dựng nông thôn mới",
        "Xã đã đạt chuẩn nông thôn mới nhưng còn nợ nhà thầu nhiều công trình. Đề nghị tỉnh ưu tiên bố trí vốn "
        "hỗ trợ trả nợ.",
        "na-so-tai-chinh",
        "Sở Tài chính đã tổng hợp nợ đọng xây dựng cơ bản của các xã; tỉnh ưu tiên dùng vốn thưởng cho xã đạt "
        "chuẩn để trả nợ. Đề nghị xã không khởi công công trình mới khi chưa cân đối được nguồn vốn.",
        ("na-so-ke-hoach-dau-tu",),
    ),
    Theme(
        "kinh-te-xa-hoi",
        "question",
        "Tiêu thụ nông sản khi giá xuống thấp",
        "Giá lợn hơi, giá lạc có thời điểm xuống dưới giá thành. Xin hỏi tỉnh có giải pháp kết nối tiêu thụ, "
        "bao tiêu sản phẩm cho nông dân không?",
        "na-so-cong-thuong",
        "Sở Công Thương tổ chức hội nghị kết nối cung cầu, giới thiệu doanh nghiệp thu mua, chế biến; khuyến "
        "khích các xã thành lập tổ hợp tác, liên kết sản xuất theo chuỗi.",
        ("na-so-nong-nghiep",),
    ),
    Theme(
        "tam-tu-nguyen-vong",
        "question",
        "Hỗ trợ nhà ở cho hộ nghèo năm 2019",
        "Trong xã còn nhiều hộ nghèo ở nhà tạm. Xin hỏi chương trình hỗ trợ nhà ở cho hộ nghèo năm 2019 có "
        "phân bổ cho xã không?",
        "na-so-xay-dung",
        "Sở Xây dựng tổng hợp danh sách hộ nghèo có nhu cầu theo đăng ký của các huyện để phân bổ vốn; đồng "
        "thời đề nghị Ủy ban MTTQ tỉnh vận động Quỹ Vì người nghèo hỗ trợ thêm.",
        again=True,
        towns=True,
    ),
    Theme(
        "van-hoa-giao-duc-y-te",
        "recommendation",
        "Thẻ bảo hiểm y tế khi xã ra khỏi diện bãi ngang ven biển",
        "Xã được công nhận thoát khỏi diện bãi ngang nên người dân không còn được cấp thẻ bảo hiểm y tế miễn "
        "phí; nhiều hộ cận nghèo gặp khó khăn. Đề nghị có chính sách chuyển tiếp.",
        "na-so-y-te",
        "Sở Y tế đã báo cáo Bộ Y tế; trong khi chờ hướng dẫn, tỉnh hỗ trợ một phần mức đóng bảo hiểm y tế cho hộ "
        "cận nghèo và hộ làm nông, lâm, ngư nghiệp có mức sống trung bình.",
        ("na-so-lao-dong",),
        where=COAST,
    ),
    Theme(
        "van-hoa-giao-duc-y-te",
        "proposal",
        "Bố trí bác sĩ về trạm y tế xã",
        "Trạm y tế chưa có bác sĩ làm việc thường xuyên, người dân phải lên bệnh viện huyện. Đề nghị luân "
        "phiên bác sĩ về xã.",
        "na-so-y-te",
        "Sở Y tế chỉ đạo trung tâm y tế huyện cử bác sĩ luân phiên về trạm y tế xã hai ngày mỗi tuần và cử y sĩ "
        "của trạm đi đào tạo liên thông lên bác sĩ.",
        again=True,
    ),
    Theme(
        "tam-tu-nguyen-vong",
        "recommendation",
        "Ổn định đời sống người dân ở khu tái định cư thủy điện",
        "Khu tái định cư thiếu đất sản xuất và nước tưới, nhiều hộ bỏ về nơi ở cũ. Đề nghị tỉnh có giải pháp "
        "hỗ trợ sinh kế lâu dài.",
        "na-ubnd",
        "UBND tỉnh giao các sở, ngành rà soát quỹ đất sản xuất, bổ sung công trình thủy lợi cho khu tái định cư "
        "và yêu cầu chủ đầu tư thủy điện hoàn thành nghĩa vụ hỗ trợ sinh kế cho người dân.",
        ("na-so-nong-nghiep", "na-ban-dan-toc"),
        where=RESETTLEMENT,
    ),
    Theme(
        "quoc-phong-an-ninh",
        "recommendation",
        "Phòng, chống ma túy ở các bản giáp biên giới",
        "Các đối tượng buôn bán ma túy lôi kéo thanh niên trong bản. Đề nghị tăng cường lực lượng truy quét và "
        "hỗ trợ cai nghiện tại cộng đồng.",
        "na-cong-an",
        "Công an tỉnh phối hợp Bộ đội Biên phòng mở các đợt cao điểm truy quét tội phạm ma túy trên tuyến biên "
        "giới; Sở Lao động - Thương binh và Xã hội hướng dẫn xã tổ chức cai nghiện tại cộng đồng.",
        ("na-so-lao-dong",),
        again=True,
        where=BORDER,
    ),
]

# Who answered at the program, by the lead agency of the item.
SPEAKERS_2018 = {
    "na-so-noi-vu": "Giám đốc Sở Nội vụ",
    "na-ban-to-chuc": "Trưởng Ban Tổ chức Tỉnh ủy",
    "na-so-giao-thong": "Giám đốc Sở Giao thông vận tải",
    "na-so-nong-nghiep": "Giám đốc Sở Nông nghiệp và Phát triển nông thôn",
    "na-so-tai-nguyen-moi-truong": "Giám đốc Sở Tài nguyên và Môi trường",
    "na-so-giao-duc": "Giám đốc Sở Giáo dục và Đào tạo",
    "na-so-y-te": "Giám đốc Sở Y tế",
    "na-cong-an": "Giám đốc Công an tỉnh",
}
SPEAKER_2018 = "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh"


def _working_day(day: datetime.date) -> datetime.date:
    """`day` when it is a working day, otherwise the next one."""
    return deadline_after(day, 0)


def _home_communes(communes: list[AdminUnit], heard: set[int]) -> list[AdminUnit]:
    """The 2018 communes now part of a demo commune leader's commune, taking each leader in turn
    (those heard in 2023 first), so every leader's page shows items of both years."""
    leaders = sorted(
        set(User.objects.filter(role=Role.COMMUNE_LEADER, commune__isnull=False).values_list("commune_id", flat=True))
    )
    by_leader = [
        sorted((c for c in communes if c.successor_id == leader), key=lambda c: (c.pk not in heard, c.code))
        for leader in leaders
    ]
    return [c for row in zip_longest(*by_leader) for c in row if c is not None]


@transaction.atomic
def seed_2018(program: Program, *, later: Program | None = None) -> None:
    rng = random.Random(2018)
    organizer = User.objects.get(username="btc.danvan")
    officers = {u.agency.code: u for u in User.objects.filter(role=Role.AGENCY_OFFICER).select_related("agency")}
    agencies = {a.code: a for a in Agency.objects.filter(code__startswith="na-")}
    fields = ensure_fields()
    communes = list(
        AdminUnit.objects.communes()
        .valid_on(program.start_date)
        .filter(parent__parent=program.area)
        .select_related("parent")
        .order_by("code")
    )
    known = {c.pk: c for c in communes}
    # The communes heard in 2023, by field, that existed in 2018.
    heard: dict[str, list[AdminUnit]] = {}
    if later is not None:
        for code, commune_id in later.submissions.order_by("number").values_list("field__code", "commune_id"):
            if commune_id in known and known[commune_id] not in heard.setdefault(code, []):
                heard[code].append(known[commune_id])
    heard_ids = {c.pk for group in heard.values() for c in group}
    home = _home_communes(communes, heard_ids)
    # The rest come from communes not heard in 2023, so only the chosen few are in both years.
    others = [c for c in communes if c.pk not in heard_ids] or communes
    program.intake_opens, program.intake_closes = INTAKE_OPENS_2018, INTAKE_CLOSES_2018
    program.save(update_fields=["intake_opens", "intake_closes"])

    items: list[tuple[Submission, Theme]] = []
    for index in range(COUNT_2018):
        theme = THEMES_2018[index % len(THEMES_2018)]
        again = [c for c in heard.get(theme.field, []) if theme.fits(c)] if index < len(THEMES_2018) else []
        home_fit = [c for c in home if theme.fits(c)] if index % 10 == 5 else []
        if theme.again and again:
            commune = rng.choice(again)
        elif home_fit:
            commune = home_fit[(index // 10) % len(home_fit)]
        else:  # a commune that fits and has not raised this theme yet (that would be merged)
            taken = {item.commune_id for item, earlier in items if earlier is theme}
            commune = rng.choice([c for c in others if theme.fits(c) and c.pk not in taken] or others)
        sent_on = INTAKE_OPENS_2018 + datetime.timedelta(
            days=rng.randrange(0, (INTAKE_CLOSES_2018 - INTAKE_OPENS_2018).days + 1)
        )
        item = _sent(
            program,
            commune,
            sent_on,
            by=organizer,
            note="Tổng hợp từ báo cáo của xã gửi Ban Dân vận Tỉnh ủy",
            acknowledge_due=deadline_after(sent_on, workflow.ACKNOWLEDGE_WORKING_DAYS),
            created_at=_moment(sent_on, 8),
            kind=theme.kind,
            field=fields[theme.field],
            title=f"{theme.title} ({commune.full_name})",
            content=theme.content,
        )
        items.append((item, theme))

    # The allowances of non-specialised staff came from several communes: one item keeps them all.
    allowance = [item for item, theme in items if theme is THEMES_2018[0]]
    workflow.merge(allowance[1:], into=allowance[0], by=organizer)
    live = [(item, theme) for item, theme in items if item not in allowance[1:]]

    for position, (item, theme) in enumerate(live):
        item.refresh_from_db()
        workflow.classify(item, by=organizer)
        sent_on = timezone.localdate(item.submitted_at)
        lead = agencies[theme.lead]
        if position % 8 == 0:  # answered on the spot at the program
            answer = workflow.record_on_spot_answer(
                item,
                by=organizer,
                text=f"{theme.answer} Nội dung giải đáp được gửi kèm báo cáo tổng hợp kết quả Chương trình.",
                answered_by=SPEAKERS_2018.get(theme.lead, SPEAKER_2018),
                agency=lead,
            )
            spoken = _moment(program.end_date, 10)
            Answer.objects.filter(pk=answer.pk).update(created_at=spoken, submitted_at=spoken)
            Submission.objects.filter(pk=item.pk).update(acknowledged_at=spoken)
            workflow.publish_answer(answer, by=organizer)
            published = _working_day(program.end_date + datetime.timedelta(days=rng.randint(4, 10)))
            Answer.objects.filter(pk=answer.pk).update(published_at=_moment(published, 15))
            continue
        routing = workflow.route(
            item,
            lead_agency=lead,
            coordinating=[agencies[code] for code in theme.coordinating],
            working_days=ANSWER_WORKING_DAYS_2018,
            by=organizer,
        )
        routed_on = deadline_after(max(sent_on, INTAKE_CLOSES_2018), rng.randint(5, 10))
        deadline = deadline_after(routed_on, ANSWER_WORKING_DAYS_2018)
        Routing.objects.filter(pk=routing.pk).update(routed_at=_moment(routed_on), deadline=deadline)
        Submission.objects.filter(pk=item.pk).update(acknowledged_at=_moment(routed_on))
        if position % 7 == 3:  # never answered: overdue since 2018
            continue
        author = officers.get(theme.lead, organizer)
        answer = workflow.save_answer_draft(Answer(submission=item, agency=lead, text=theme.answer), by=author)
        workflow.submit_answer(answer, by=author)
        if position % 5 == 2:  # late
            answered_on = _working_day(deadline + datetime.timedelta(days=rng.randint(5, 20)))
        else:
            answered_on = _working_day(deadline - datetime.timedelta(days=rng.randint(3, 14)))
        Answer.objects.filter(pk=answer.pk).update(
            created_at=_moment(answered_on - datetime.timedelta(days=2), 14), submitted_at=_moment(answered_on, 15)
        )
        workflow.publish_answer(answer, by=organizer)
        published = _working_day(answered_on + datetime.timedelta(days=rng.randint(2, 6)))
        Answer.objects.filter(pk=answer.pk).update(published_at=_moment(published, 10))
