"""Demo data: the notices of conclusions of Nghệ An's 2023 and 2018 programs and how their
assignments were carried out.

The 2023 notice is Notice 1029-TB/TU of 28/8/2023 as the press described it: six key tasks for
the commune leaders, and work for four bodies — Ban Tuyên giáo publicises; Ban Tổ chức answers
the proposals on personnel and drafts the pilot regulation on sending department cadres to the
communes; the People's Committee's Party group has the departments answer the proposals in their
authority and review the policies that hold the communes back; Ban Dân vận sends the answers,
monitors and reports every year until the end of the term (2025). The texts are written for the
demo; facts (bodies, number, dates) are the real ones.

Everything goes through `conclusions.workflow` (create, key tasks, assignments, submit, approve,
issue, progress reports, extensions, supervision remarks) as the organizers and agencies would
have done it; afterwards only the timestamps the workflow stamped "now" are moved back to the day
each step happened. Statuses are never written here: with today's date the follow-up shows work
done on time, done late (one), done after an approved extension (the original deadline kept) and
overdue. Idempotent: nothing is added once a program has a notice.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from directory.models import ActionLog, Agency, User
from programs import demo as programs_demo
from programs.models import Program
from submissions.models import Submission

from . import workflow
from .models import (
    Assignment,
    ConclusionNotice,
    Evidence,
    Extension,
    KeyTask,
    ProgressReport,
    ReportingCycle,
    SupervisionRemark,
)

NOTICE_2023_SEQUENCE = 1029
NOTICE_2023_ISSUED_ON = datetime.date(2023, 8, 28)
# Illustrative: the seed articles give neither the number nor the date of the 2018 notice.
NOTICE_2018_SEQUENCE = 1452
NOTICE_2018_ISSUED_ON = datetime.date(2018, 9, 12)
TERM_ENDS = datetime.date(2025, 12, 31)  # the Party congresses' term 2020–2025
TERM_2015_ENDS = datetime.date(2020, 12, 31)

# Proposals Ban Tổ chức answers (personnel, Party organization); the departments answer the rest.
PERSONNEL_FIELDS = ("xay-dung-dang", "chinh-sach-can-bo")

RECIPIENTS = "\n".join(
    [
        "Ban Thường vụ Tỉnh ủy (để báo cáo)",
        "Các ban đảng, Văn phòng Tỉnh ủy",
        "Ban cán sự đảng UBND tỉnh, Đảng đoàn HĐND tỉnh",
        "Các đảng đoàn, đảng ủy trực thuộc Tỉnh ủy",
        "Các huyện ủy, thành ủy, thị ủy",
        "Đảng ủy các xã, phường, thị trấn",
        "Lưu Văn phòng Tỉnh ủy",
    ]
)
SIGNATURE = {
    "issuing_body": "TỈNH ỦY NGHỆ AN",
    "place": "Nghệ An",
    "signing_form": ConclusionNotice.SigningForm.BY_ORDER,
    "signing_body": "BAN THƯỜNG VỤ",
    "signer_title": "CHÁNH VĂN PHÒNG",
    "signer_name": "Trần Quốc Hưng",  # invented, as every person in the demo
}

KEY_TASKS_2023 = [
    "Làm tốt việc sơ kết giữa nhiệm kỳ thực hiện nghị quyết đại hội đảng bộ các cấp; kịp thời bổ sung nhiệm "
    "vụ, giải pháp theo những định hướng mới của tỉnh, của huyện và sát với điều kiện của địa phương, phấn đấu "
    "đạt ở mức cao nhất các chỉ tiêu của nhiệm kỳ.",
    "Thực hiện nghiêm quy chế làm việc, giữ vững nguyên tắc lãnh đạo tập thể đi đôi với đề cao trách nhiệm cá "
    "nhân, trước hết là người đứng đầu; nâng cao năng lực quản lý, điều hành của chính quyền gắn với chuyển đổi "
    "số, cải cách hành chính và dân chủ ở cơ sở. Các địa phương thuộc diện sắp xếp đơn vị hành chính giai đoạn "
    "2 chủ động chuẩn bị phương án khả thi và làm tốt công tác vận động để Nhân dân đồng thuận.",
    "Chủ động tìm và huy động nguồn lực cho phát triển kinh tế - xã hội của địa phương, trọng tâm là giảm "
    "nghèo, xây dựng nông thôn mới, chương trình mỗi xã một sản phẩm (OCOP) và chương trình hỗ trợ xây nhà ở "
    "cho hộ nghèo, hộ khó khăn về nhà ở giai đoạn 2023 - 2025.",
    "Tăng cường đối thoại trực tiếp với Nhân dân, phát huy quyền làm chủ và sức mạnh của Nhân dân; giải quyết "
    "theo thẩm quyền hoặc kiến nghị cấp có thẩm quyền giải quyết kịp thời những nguyện vọng chính đáng; tổng "
    "hợp, đề xuất điều chỉnh những chủ trương, chính sách còn vướng mắc khi thực hiện ở cơ sở.",
    "Phát hiện, xây dựng và nhân rộng các mô hình hay, cách làm sáng tạo; khơi dậy các phong trào thi đua yêu "
    "nước từ cơ sở; chăm lo đời sống vật chất, tinh thần của Nhân dân, xây dựng đời sống văn hóa gắn với nông "
    "thôn mới, đô thị văn minh.",
    "Giữ nghiêm kỷ luật, kỷ cương; người đứng đầu cấp ủy, chính quyền cơ sở phải nêu gương, thường xuyên rèn "
    "luyện đạo đức, lối sống giản dị, gần dân; tích cực học tập nâng cao trình độ, bám sát cơ sở, tận tụy với "
    "công việc, góp phần vào sự phát triển chung của tỉnh.",
]

KEY_TASKS_2018 = [
    "Nâng cao năng lực lãnh đạo của cấp ủy và hiệu lực quản lý, điều hành của chính quyền cơ sở; thực hiện tốt "
    "quy chế dân chủ ở cơ sở.",
    "Tập trung phát triển kinh tế, xây dựng nông thôn mới; quan tâm giải quyết việc làm, giảm nghèo bền vững.",
    "Thường xuyên tiếp xúc, đối thoại với Nhân dân; giải quyết kịp thời, dứt điểm các kiến nghị chính đáng ngay "
    "từ cơ sở.",
    "Xây dựng đội ngũ cán bộ cơ sở gương mẫu, tận tụy, gần dân, có năng lực thực thi nhiệm vụ.",
]


# --- moving the workflow's "now" back to when things happened ------------------------------------


def _moment(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


def _stamped_models() -> list[tuple[type, str]]:
    return [
        (ActionLog, "created_at"),
        (ConclusionNotice.history.model, "history_date"),
        (KeyTask.history.model, "history_date"),
        (Assignment.history.model, "history_date"),
    ]


@contextmanager
def _on(day: datetime.date, hour: int = 9) -> Iterator[None]:
    """Run workflow steps, then date the action-log and history rows they wrote on `day`."""
    marks = [(model, field, model.objects.aggregate(top=Max("pk"))["top"] or 0) for model, field in _stamped_models()]
    yield
    for model, field, mark in marks:
        model.objects.filter(pk__gt=mark).update(**{field: _moment(day, hour)})


# --- evidence files ------------------------------------------------------------------------------


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch) and ord(ch) < 128)
    return plain.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def minimal_pdf(title: str, lines: list[str] = ()) -> bytes:
    """A valid one-page PDF (A4) naming the document it stands for. Its standard font has no
    Vietnamese letters, so the text is written without diacritics; the real file would be the
    agency's scanned document."""
    text = ["BT /F1 14 Tf 72 770 Td", f"({_ascii(title)}) Tj", "/F1 11 Tf"]
    for line in lines:
        text += ["0 -20 Td", f"({_ascii(line)}) Tj"]
    text.append("ET")
    stream = "\n".join(text).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _evidence(name: str, title: str, lines: list[str] = ()) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, minimal_pdf(title, lines), content_type="application/pdf")


# --- steps ---------------------------------------------------------------------------------------


def _agencies(*codes: str) -> dict[str, Agency]:
    found = {a.code: a for a in Agency.objects.filter(code__in=codes)}
    missing = sorted(set(codes) - set(found))
    if missing:  # the directory's catalogue has them all; say so plainly if it ever changes
        raise LookupError(f"Demo agencies missing from the catalogue: {', '.join(missing)}")
    return found


def _draft(program: Program, *, by: User, created: datetime.date, key_tasks: list[str], **fields) -> ConclusionNotice:
    with _on(created):
        notice = workflow.create_notice(program, by=by, **SIGNATURE, **fields)
        workflow.save_key_tasks(notice, key_tasks, by=by)
    ConclusionNotice.objects.filter(pk=notice.pk).update(created_at=_moment(created))
    return notice


def _assign(
    notice, order: int, lead: Agency, *, by: User, on: datetime.date, coordinating=(), submissions=(), **fields
):
    with _on(on, 14):
        return workflow.save_assignment(
            Assignment(notice=notice, order=order, lead_agency=lead, **fields),
            by=by,
            coordinating=coordinating,
            submissions=submissions,
        )


def _issue(notice, *, organizer: User, approver: User, submitted, approved, sequence: int, issued_on: datetime.date):
    with _on(submitted, 16):
        workflow.submit(notice, by=organizer)
    with _on(approved, 10):
        workflow.approve(notice, by=approver)
    with _on(issued_on, 15):
        workflow.issue(notice, by=organizer, sequence=sequence, issued_on=issued_on)
    ConclusionNotice.objects.filter(pk=notice.pk).update(
        approved_at=_moment(approved, 10), issued_at=_moment(issued_on, 15)
    )


def _report(assignment, on: datetime.date, text: str, *, by: User, files=(), **fields) -> ProgressReport:
    """A progress report sent on `on`: that is the day that fulfils a due (on time or late)."""
    with _on(on, 10):
        report = workflow.report_progress(assignment, by=by, text=text, files=files, today=on, **fields)
    ProgressReport.objects.filter(pk=report.pk).update(reported_at=_moment(on, 10))
    Evidence.objects.filter(report=report).update(uploaded_at=_moment(on, 10))
    return report


def _extension(assignment, *, by: User, decided_by: User, asked, until, reason, decided, approve, note=""):
    due = workflow.open_dues(assignment).first()
    with _on(asked, 11):
        extension = workflow.request_extension(due, by=by, until=until, reason=reason)
    with _on(decided, 15):
        workflow.decide_extension(extension, by=decided_by, approve=approve, note=note)
    Extension.objects.filter(pk=extension.pk).update(requested_at=_moment(asked, 11), decided_at=_moment(decided, 15))
    return extension


def _remark(assignment, on: datetime.date, text: str, *, by: User) -> SupervisionRemark:
    with _on(on, 16):
        remark = workflow.add_remark(assignment, by=by, text=text)
    SupervisionRemark.objects.filter(pk=remark.pk).update(created_at=_moment(on, 16))
    return remark


# --- the 2023 notice: 1029-TB/TU -----------------------------------------------------------------


def _answered(items) -> int:
    return sum(1 for item in items if item.status in (Submission.Status.ANSWERED, Submission.Status.PUBLISHED))


def seed_2023(program: Program, users: dict[str, User]) -> ConclusionNotice:
    organizer, approver, supervisor = users["btc.danvan"], users["thuongtruc"], users["mttq"]
    a = _agencies(
        "na-ban-tuyen-giao",
        "na-ban-to-chuc",
        "na-bcsd-ubnd",
        "na-ban-dan-van",
        "na-bao-nghe-an",
        "na-dai-ptth",
        "na-so-noi-vu",
    )
    # The proposals answered in writing (the rest were answered on the spot at the program).
    in_writing = list(
        program.submissions.filter(answer_mode=Submission.AnswerMode.IN_WRITING)
        .select_related("field")
        .prefetch_related("routings__lead_agency")
        .order_by("number")
    )
    personnel = [item for item in in_writing if item.field.code in PERSONNEL_FIELDS]
    departmental = [item for item in in_writing if item.field.code not in PERSONNEL_FIELDS]
    departments = sorted(
        {r.lead_agency for item in departmental for r in item.routings.all()} - {a["na-bcsd-ubnd"]},
        key=lambda agency: agency.code,
    )
    received = program.submissions.count()
    distinct = program.submissions.exclude(status=Submission.Status.MERGED).count()
    on_spot = program.submissions.filter(answer_mode=Submission.AnswerMode.ON_SPOT).count()

    notice = _draft(
        program,
        by=organizer,
        created=datetime.date(2023, 8, 14),
        key_tasks=KEY_TASKS_2023,
        summary=(
            "kết luận của Thường trực Tỉnh ủy tại Chương trình gặp mặt, đối thoại với người đứng đầu cấp ủy, "
            "chính quyền các xã, phường, thị trấn trên địa bàn tỉnh năm 2023"
        ),
        assessment=(
            "Trong hai ngày 03 và 04/8/2023, Thường trực Tỉnh ủy gặp mặt, đối thoại với người đứng đầu cấp ủy, "
            "chính quyền các xã, phường, thị trấn trên địa bàn tỉnh với chủ đề “Đoàn kết - Dân chủ - Sáng tạo - "
            "Phát triển”. Chương trình diễn ra vào năm thứ ba thực hiện nghị quyết đại hội đảng bộ các cấp, ngay "
            "sau khi Bộ Chính trị ban hành Nghị quyết số 39-NQ/TW ngày 18/7/2023 về xây dựng, phát triển tỉnh "
            "Nghệ An đến năm 2030, tầm nhìn đến năm 2045, và khi Quy hoạch tỉnh thời kỳ 2021 - 2030 đã được "
            "trình Thủ tướng Chính phủ phê duyệt.\n"
            f"Ban tổ chức Chương trình đã tiếp nhận {received} câu hỏi, đề xuất, kiến nghị của cơ sở (còn "
            f"{distinct} nội dung sau khi gộp các ý kiến trùng nhau); {on_spot} nội dung được lãnh đạo tỉnh và "
            "thủ trưởng các sở, ngành giải đáp ngay tại Chương trình, các nội dung còn lại được giao cơ quan có "
            "thẩm quyền trả lời bằng văn bản.\n"
            "Thường trực Tỉnh ủy ghi nhận đội ngũ cán bộ chủ chốt cấp xã ngày càng trưởng thành về trình độ, năng "
            "lực, là cầu nối gắn bó giữa Đảng với Nhân dân và có nhiều đóng góp cho sự phát triển của tỉnh. Tuy "
            "vậy, vẫn còn cán bộ chưa gương mẫu, vi phạm kỷ luật, kỷ cương hành chính; việc lãnh đạo, quản lý, "
            "điều hành ở một số lĩnh vực hiệu quả chưa cao."
        ),
        key_tasks_intro=(
            "Thường trực Tỉnh ủy đề nghị người đứng đầu cấp ủy, chính quyền các xã, phường, thị trấn tập trung "
            "thực hiện sáu nhiệm vụ trọng tâm sau:"
        ),
        closing=(
            "Thường trực Tỉnh ủy yêu cầu các cấp ủy, tổ chức đảng, chính quyền, Mặt trận Tổ quốc và các đoàn thể "
            "từ tỉnh đến cơ sở nghiêm túc tổ chức thực hiện các nội dung kết luận tại Thông báo này."
        ),
        recipients=RECIPIENTS,
    )
    day = datetime.date(2023, 8, 16)
    publicity = _assign(
        notice,
        1,
        a["na-ban-tuyen-giao"],
        by=organizer,
        on=day,
        coordinating=[a["na-bao-nghe-an"], a["na-dai-ptth"]],
        text=(
            "Tham mưu tuyên truyền về kết quả Chương trình và tổ chức quán triệt nội dung kết luận của "
            "Thường trực Tỉnh ủy, để cán bộ chủ chốt cơ sở thống nhất nhận thức, chuyển biến trong hành động và "
            "được các tầng lớp Nhân dân đồng tình, ủng hộ."
        ),
        output=Assignment.Output.PUBLICITY,
        output_detail="Kế hoạch tuyên truyền; tin, bài, phóng sự trên báo, đài của tỉnh",
        deadline=datetime.date(2023, 9, 30),
    )
    personnel_answers = _assign(
        notice,
        2,
        a["na-ban-to-chuc"],
        by=organizer,
        on=day,
        coordinating=[a["na-so-noi-vu"]],
        submissions=personnel,
        text=(
            "Tham mưu trả lời các đề xuất, kiến nghị gửi Ban tổ chức Chương trình về công tác tổ chức, "
            "cán bộ và cải cách hành chính trong Đảng."
        ),
        output=Assignment.Output.ANSWERS,
        output_detail="Văn bản trả lời từng đề xuất, kiến nghị",
        deadline=datetime.date(2023, 10, 31),
    )
    pilot = _assign(
        notice,
        3,
        a["na-ban-to-chuc"],
        by=organizer,
        on=day,
        text=(
            "Nghiên cứu, tham mưu cấp có thẩm quyền ban hành quy định thí điểm việc điều động cán bộ các sở, ban, "
            "ngành cấp tỉnh về tăng cường cho xã, phường, thị trấn."
        ),
        output=Assignment.Output.REGULATION,
        output_detail="Quy định thí điểm của Ban Thường vụ Tỉnh ủy",
        deadline=datetime.date(2024, 6, 30),
    )
    department_answers = _assign(
        notice,
        4,
        a["na-bcsd-ubnd"],
        by=organizer,
        on=day,
        coordinating=departments,
        submissions=departmental,
        text=(
            "Chỉ đạo UBND tỉnh và các sở, ngành liên quan trả lời các đề xuất, kiến nghị gửi Ban tổ "
            "chức Chương trình thuộc thẩm quyền giải quyết."
        ),
        output=Assignment.Output.ANSWERS,
        output_detail="Văn bản trả lời của UBND tỉnh, các sở, ngành",
        deadline=datetime.date(2023, 10, 31),
    )
    policies = _assign(
        notice,
        5,
        a["na-bcsd-ubnd"],
        by=organizer,
        on=day,
        text=(
            "Nghiên cứu, tham mưu cấp có thẩm quyền bổ sung, điều chỉnh những cơ chế, chính sách còn vướng mắc, "
            "bất cập khi thực hiện ở cơ sở về phát triển kinh tế - xã hội, bảo đảm quốc phòng, an ninh và đối ngoại."
        ),
        output=Assignment.Output.REPORT,
        output_detail="Báo cáo rà soát và danh mục chính sách đề nghị sửa đổi, bổ sung",
        deadline=datetime.date(2024, 6, 30),
    )
    sending = _assign(
        notice,
        6,
        a["na-ban-dan-van"],
        by=organizer,
        on=day,
        coordinating=[a["na-ban-to-chuc"], a["na-bcsd-ubnd"]],
        text=("Gửi nội dung trả lời các đề xuất, kiến nghị đến các tổ chức, cá nhân đã nêu."),
        output=Assignment.Output.OTHER,
        output_detail="Văn bản gửi nội dung trả lời đến các xã, phường, thị trấn",
        deadline=datetime.date(2023, 12, 31),
    )
    monitoring = _assign(
        notice,
        7,
        a["na-ban-dan-van"],
        by=organizer,
        on=day,
        text=(
            "Theo dõi, đôn đốc, kiểm tra việc thực hiện các nội dung kết luận tại Thông báo này; báo cáo Thường "
            "trực Tỉnh ủy kết quả thực hiện trong các báo cáo chuyên đề và định kỳ hằng năm."
        ),
        output=Assignment.Output.REPORT,
        output_detail="Báo cáo kết quả thực hiện kết luận hằng năm",
        schedule=Assignment.Schedule.CYCLE,
        cycle=ReportingCycle.YEARLY,
        report_day=15,
        cycle_until=TERM_ENDS,
    )
    _issue(
        notice,
        organizer=organizer,
        approver=approver,
        submitted=datetime.date(2023, 8, 22),
        approved=datetime.date(2023, 8, 25),
        sequence=NOTICE_2023_SEQUENCE,
        issued_on=NOTICE_2023_ISSUED_ON,
    )

    # Ban Tuyên giáo: done on time.
    _report(
        publicity,
        datetime.date(2023, 9, 8),
        "Đã ban hành kế hoạch tuyên truyền; Báo Nghệ An và Đài Phát thanh và Truyền hình tỉnh đăng tải loạt tin, "
        "bài về kết quả Chương trình.",
        by=organizer,
        percent=60,
        milestone="Kế hoạch tuyên truyền được ban hành",
    )
    _report(
        publicity,
        datetime.date(2023, 9, 27),
        "Đã tổ chức quán triệt nội dung kết luận tới các huyện ủy, thành ủy, thị ủy bằng hình thức trực tuyến "
        "đến điểm cầu cấp xã.",
        by=organizer,
        percent=100,
        files=[
            _evidence(
                "Báo cáo kết quả tuyên truyền.pdf",
                "Ban Tuyên giáo Tỉnh ủy Nghệ An",
                ["Bao cao ket qua tuyen truyen, quan triet Thong bao 1029-TB/TU", "Ngay 27/9/2023"],
            )
        ],
    )

    # Ban Tổ chức, proposals on personnel: partly answered, still overdue (never 100 %, which would complete it).
    answered = min(_answered(personnel), len(personnel) - 1)
    _report(
        personnel_answers,
        datetime.date(2023, 10, 26),
        f"Đã tham mưu trả lời {max(answered - 2, 0)}/{len(personnel)} đề xuất, kiến nghị; các nội dung liên quan "
        "chế độ phụ cấp đang phối hợp Sở Nội vụ rà soát.",
        by=organizer,
        percent=round(100 * max(answered - 2, 0) / max(len(personnel), 1)),
    )
    _report(
        personnel_answers,
        datetime.date(2024, 3, 14),
        f"Đã trả lời {answered}/{len(personnel)} đề xuất, kiến nghị; số còn lại chờ hướng dẫn của Trung ương về "
        "sắp xếp tổ chức bộ máy nên chưa trả lời được.",
        by=organizer,
        percent=round(100 * answered / max(len(personnel), 1)),
        files=[
            _evidence(
                "Văn bản trả lời kiến nghị về tổ chức cán bộ.pdf",
                "Ban To chuc Tinh uy Nghe An",
                ["Van ban tra loi de xuat, kien nghi ve cong tac to chuc can bo", "Ngay 14/3/2024"],
            )
        ],
    )

    # Ban Tổ chức, the pilot regulation: one extension approved, then done within it.
    _report(
        pilot,
        datetime.date(2024, 3, 20),
        "Đã xây dựng dự thảo đề án thí điểm, lấy ý kiến các sở, ngành và một số huyện miền núi.",
        by=organizer,
        percent=40,
        milestone="Dự thảo đề án lấy ý kiến",
    )
    _extension(
        pilot,
        by=organizer,
        decided_by=organizer,
        asked=datetime.date(2024, 6, 12),
        until=datetime.date(2024, 12, 31),
        reason=(
            "Ban Tổ chức Tỉnh ủy đề nghị gia hạn để chờ chủ trương của Trung ương về tinh gọn bộ máy và tiếp "
            "thu ý kiến của các huyện trước khi trình Ban Thường vụ."
        ),
        decided=datetime.date(2024, 6, 17),
        approve=True,
        note="Đồng ý gia hạn đến 31/12/2024; đề nghị báo cáo tiến độ trước 30/9/2024.",
    )
    _report(
        pilot,
        datetime.date(2024, 9, 26),
        "Đã tiếp thu ý kiến góp ý, hoàn thiện dự thảo quy định trình Thường trực Tỉnh ủy.",
        by=organizer,
        percent=80,
        milestone="Trình Thường trực Tỉnh ủy",
    )
    _report(
        pilot,
        datetime.date(2024, 12, 18),
        "Ban Thường vụ Tỉnh ủy đã ban hành quy định thí điểm điều động cán bộ cấp sở, ngành về tăng cường cho cấp "
        "xã; đợt đầu cử cán bộ về các xã miền núi.",
        by=organizer,
        percent=100,
        milestone="Quy định thí điểm được ban hành",
        files=[
            _evidence(
                "Quy định thí điểm.pdf",
                "Tinh uy Nghe An - Quy dinh thi diem",
                ["Dieu dong can bo cap so, nganh ve tang cuong cho cap xa", "Ngay 18/12/2024"],
            )
        ],
    )

    # The Party group of the People's Committee, proposals in its authority: an extension refused; overdue.
    answered = min(_answered(departmental), len(departmental) - 1)
    _report(
        department_answers,
        datetime.date(2023, 10, 30),
        f"UBND tỉnh đã chỉ đạo các sở, ngành trả lời; đến nay có {max(answered - 6, 0)}/{len(departmental)} nội "
        "dung được trả lời bằng văn bản.",
        by=organizer,
        percent=round(100 * max(answered - 6, 0) / max(len(departmental), 1)),
    )
    _extension(
        department_answers,
        by=organizer,
        decided_by=organizer,
        asked=datetime.date(2023, 11, 3),
        until=datetime.date(2024, 3, 31),
        reason="Một số kiến nghị về đất đai, đầu tư hạ tầng cần khảo sát thực địa và cân đối vốn trung hạn.",
        decided=datetime.date(2023, 11, 8),
        approve=False,
        note="Các kiến nghị đã quá thời hạn trả lời; đề nghị trả lời ngay những nội dung đã rõ, nêu lộ trình với "
        "nội dung cần khảo sát.",
    )
    _report(
        department_answers,
        datetime.date(2024, 5, 21),
        f"Đã trả lời {answered}/{len(departmental)} nội dung; các kiến nghị còn lại đang chờ bố trí vốn đầu tư "
        "công trung hạn.",
        by=organizer,
        percent=round(100 * answered / max(len(departmental), 1)),
    )
    _remark(
        department_answers,
        datetime.date(2024, 7, 10),
        "Qua giám sát tại một số xã miền núi, còn kiến nghị về đường giao thông, đất đai đã quá hạn nhưng chưa có "
        "văn bản trả lời; đề nghị Ban cán sự đảng UBND tỉnh chỉ đạo các sở trả lời dứt điểm và công khai kết quả.",
        by=supervisor,
    )

    # The Party group, the policy review: done on time.
    _report(
        policies,
        datetime.date(2024, 6, 24),
        "Đã rà soát các chính sách về hỗ trợ sản xuất nông nghiệp, nhà ở cho hộ nghèo và chế độ đối với lực lượng "
        "bảo vệ an ninh, trật tự ở cơ sở; trình HĐND tỉnh sửa đổi ba nghị quyết.",
        by=organizer,
        completes=True,
        milestone="Báo cáo rà soát trình Thường trực Tỉnh ủy",
    )

    # Ban Dân vận, sending the answers: done, but late.
    _report(
        sending,
        datetime.date(2024, 1, 19),
        "Đã gửi nội dung trả lời đến các xã, phường, thị trấn có đề xuất, kiến nghị và đăng trên trang thông tin "
        "của Ban Dân vận Tỉnh ủy; các trả lời đến sau sẽ được gửi tiếp.",
        by=organizer,
        completes=True,
    )

    # Ban Dân vận, the yearly reports 2023–2025: each before 15 December.
    for sent_on, text in [
        (datetime.date(2023, 12, 11), "Báo cáo năm 2023: các cơ quan đã triển khai kết luận; còn kiến nghị quá hạn."),
        (datetime.date(2024, 12, 12), "Báo cáo năm 2024: quy định thí điểm được ban hành; đôn đốc trả lời kiến nghị."),
        (datetime.date(2025, 12, 9), "Báo cáo năm 2025 và cả nhiệm kỳ: kết quả thực hiện Thông báo 1029-TB/TU."),
    ]:
        _report(
            monitoring,
            sent_on,
            text,
            by=organizer,
            files=[
                _evidence(
                    f"Báo cáo năm {sent_on.year}.pdf",
                    "Ban Dan van Tinh uy Nghe An",
                    [f"Bao cao ket qua thuc hien Thong bao 1029-TB/TU nam {sent_on.year}"],
                )
            ],
        )
    _remark(
        monitoring,
        datetime.date(2025, 12, 22),
        "Mặt trận Tổ quốc tỉnh thống nhất với báo cáo; đề nghị tiếp tục theo dõi các kiến nghị chưa được giải quyết "
        "sang nhiệm kỳ mới.",
        by=supervisor,
    )
    return notice


# --- the 2018 notice: what the 2023 program carried over -----------------------------------------


def seed_2018(program: Program, users: dict[str, User]) -> ConclusionNotice:
    organizer, approver, supervisor = users["btc.danvan"], users["thuongtruc"], users["mttq"]
    a = _agencies(
        "na-ban-tuyen-giao", "na-ban-to-chuc", "na-ban-dan-van", "na-so-giao-thong", "na-so-nong-nghiep", "na-so-noi-vu"
    )
    notice = _draft(
        program,
        by=organizer,
        created=datetime.date(2018, 8, 27),
        key_tasks=KEY_TASKS_2018,
        summary=(
            "kết luận của Thường trực Tỉnh ủy tại Chương trình tiếp xúc, đối thoại với người đứng đầu cấp ủy, "
            "chính quyền các xã, phường, thị trấn năm 2018"
        ),
        assessment=(
            "Ngày 17/8/2018, Thường trực Tỉnh ủy lần đầu tổ chức tiếp xúc, đối thoại với người đứng đầu cấp ủy, "
            "chính quyền các xã, phường, thị trấn trên địa bàn tỉnh. Các ý kiến tập trung vào chế độ đối với cán "
            "bộ cơ sở, hạ tầng giao thông miền núi và chuyển đổi sản xuất nông nghiệp."
        ),
        key_tasks_intro="Thường trực Tỉnh ủy đề nghị cấp ủy, chính quyền cơ sở tập trung:",
        closing="Đề nghị các cơ quan, đơn vị nghiêm túc triển khai thực hiện.",
        recipients=RECIPIENTS,
    )
    day = datetime.date(2018, 8, 30)
    publicity = _assign(
        notice,
        1,
        a["na-ban-tuyen-giao"],
        by=organizer,
        on=day,
        text="Tuyên truyền kết quả Chương trình và nội dung kết luận trên các phương tiện thông tin đại chúng.",
        output=Assignment.Output.PUBLICITY,
        deadline=datetime.date(2018, 10, 31),
    )
    allowances = _assign(
        notice,
        2,
        a["na-ban-to-chuc"],
        by=organizer,
        on=day,
        coordinating=[a["na-so-noi-vu"]],
        text="Rà soát, tham mưu điều chỉnh chức danh, mức phụ cấp của người hoạt động không chuyên trách ở thôn, xóm.",
        output=Assignment.Output.REPORT,
        deadline=datetime.date(2019, 6, 30),
    )
    roads = _assign(
        notice,
        3,
        a["na-so-giao-thong"],
        by=organizer,
        on=day,
        text="Xây dựng phương án nâng cấp các tuyến đường liên xã bị chia cắt mùa mưa ở các huyện miền núi.",
        output=Assignment.Output.REPORT,
        deadline=datetime.date(2019, 12, 31),
    )
    crops = _assign(
        notice,
        4,
        a["na-so-nong-nghiep"],
        by=organizer,
        on=day,
        text="Tham mưu chính sách hỗ trợ chuyển đổi diện tích lúa kém hiệu quả sang cây trồng có giá trị cao hơn.",
        output=Assignment.Output.REGULATION,
        deadline=datetime.date(2020, 6, 30),
    )
    monitoring = _assign(
        notice,
        5,
        a["na-ban-dan-van"],
        by=organizer,
        on=day,
        text="Theo dõi, đôn đốc việc thực hiện kết luận; báo cáo Thường trực Tỉnh ủy hằng năm.",
        output=Assignment.Output.REPORT,
        schedule=Assignment.Schedule.CYCLE,
        cycle=ReportingCycle.YEARLY,
        report_day=15,
        cycle_until=TERM_2015_ENDS,
    )
    _issue(
        notice,
        organizer=organizer,
        approver=approver,
        submitted=datetime.date(2018, 9, 5),
        approved=datetime.date(2018, 9, 10),
        sequence=NOTICE_2018_SEQUENCE,
        issued_on=NOTICE_2018_ISSUED_ON,
    )
    _report(publicity, datetime.date(2018, 10, 22), "Đã đăng loạt bài về Chương trình.", by=organizer, percent=100)
    _report(
        allowances,
        datetime.date(2019, 9, 12),
        "HĐND tỉnh đã sửa đổi quy định về chức danh, mức phụ cấp ở thôn, xóm theo đề xuất.",
        by=organizer,
        completes=True,
    )
    officer_gt, officer_nn = users["so.giaothong"], users["so.nongnghiep"]
    _report(
        roads,
        datetime.date(2019, 12, 20),
        "Đã khảo sát 14 tuyến; lập danh mục ưu tiên đưa vào kế hoạch đầu tư công trung hạn.",
        by=officer_gt,
        percent=45,
    )
    _report(
        roads,
        datetime.date(2022, 6, 15),
        "Đã nâng cấp 9/14 tuyến; 5 tuyến còn lại chờ vốn giai đoạn 2021 - 2025.",
        by=officer_gt,
        percent=65,
    )
    _report(
        crops,
        datetime.date(2020, 6, 24),
        "Đã xây dựng dự thảo chính sách, đang lấy ý kiến các huyện.",
        by=officer_nn,
        percent=50,
    )
    for sent_on in (datetime.date(2018, 12, 12), datetime.date(2019, 12, 10), datetime.date(2020, 12, 11)):
        _report(monitoring, sent_on, f"Báo cáo năm {sent_on.year} về kết quả thực hiện kết luận.", by=organizer)
    _remark(
        roads,
        datetime.date(2023, 4, 20),
        "Kiến nghị về đường liên xã được cơ sở nêu lại tại Chương trình năm 2023; đề nghị sớm hoàn thành.",
        by=supervisor,
    )
    return notice


@transaction.atomic
def seed() -> None:
    program = Program.objects.filter(title=programs_demo.TITLE_2023).select_related("previous").first()
    if program is None or program.notices.exists():
        return
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["btc.danvan", "thuongtruc", "mttq", "so.giaothong", "so.nongnghiep"])
    }
    previous = program.previous
    if previous is not None and not previous.notices.exists():
        seed_2018(previous, users)
    seed_2023(program, users)
