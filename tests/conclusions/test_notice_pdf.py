"""The notice of conclusions and the assignment letters as official PDFs, rendered through the
views and read back with pypdf: the text matches the source, and the header, number, date
line, title, recipients and signature are where Hướng dẫn 36-HD/VPTW puts them (positions on
the page, not only text). The PDFs are kept in test-artifacts/ to look at."""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from conclusions.models import Assignment, ReportingCycle
from conclusions.views.notices import assignment_sentence
from dialogue.dates import document_date_line
from directory.models import Role
from tests.factories import add_assignment, issue_notice, make_notice

pytestmark = pytest.mark.django_db

A4 = (595.28, 841.89)
MM = 72 / 25.4
LEFT, RIGHT = 30 * MM, A4[0] - 15 * MM
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

ASSESSMENT = (
    "Ngày 04/8/2023, tại thành phố Vinh, Thường trực Tỉnh ủy đã gặp mặt, đối thoại với người đứng đầu cấp ủy, "
    "chính quyền các xã, phường, thị trấn. Chương trình được chuẩn bị chu đáo, diễn ra dân chủ, cởi mở; các đại "
    "biểu thẳng thắn nêu những khó khăn, vướng mắc ở cơ sở, nhiều ý kiến tâm huyết, sát thực tiễn."
)
KEY_TASKS = [
    "Nâng cao vai trò lãnh đạo của cấp ủy, phát huy sức mạnh tổng hợp của hệ thống chính trị ở cơ sở.",
    "Ưu tiên phát triển kinh tế - xã hội bền vững; chăm lo đời sống của Nhân dân vùng sâu, vùng xa.",
    "Thường xuyên tiếp xúc, đối thoại với Nhân dân; giải quyết dứt điểm những kiến nghị chính đáng.",
    "Đẩy mạnh cải cách hành chính, chuyển đổi số; xây dựng đội ngũ cán bộ dám nghĩ, dám làm.",
]


def normal(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def pdf_bytes(response) -> bytes:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(b"%PDF-")
    return content


def save(content: bytes, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / name).write_bytes(content)


def page_texts(content: bytes) -> list[str]:
    return [normal(page.extract_text()) for page in PdfReader(io.BytesIO(content)).pages]


def positioned_text(page) -> list[tuple[float, float, str]]:
    """(x, y, text) of each text run on the page, in PDF points from the bottom left."""
    items = []

    def visit(chunk, cm, tm, font_dict, font_size):
        if chunk.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            items.append((x, y, normal(chunk)))

    page.extract_text(visitor_text=visit)
    return items


def find(items, prefix: str) -> tuple[float, float, str]:
    found = [item for item in items if item[2].startswith(prefix)]
    assert found, f"{prefix!r} not on the page: {[t for _, _, t in items][:40]}"
    return found[0]


@pytest.fixture
def long_notice(world):
    """An issued notice long enough for two pages: four key tasks, four assignments."""
    organizer = world.users[Role.ORGANIZER]
    notice = make_notice(
        world.program,
        by=organizer,
        assessment=ASSESSMENT,
        key_tasks=KEY_TASKS,
        key_tasks_intro="Thường trực Tỉnh ủy đề nghị các cấp ủy, chính quyền tập trung thực hiện tốt các nhiệm vụ sau:",
        closing="Văn phòng Tỉnh ủy theo dõi, đôn đốc việc thực hiện Thông báo này.",
    )
    tasks = list(notice.key_tasks.order_by("order"))
    today = timezone.localdate()
    add_assignment(
        notice,
        world.agency_x,
        by=organizer,
        coordinating=[world.agency_y, world.board],
        submissions=[world.item_a],
        key_task=tasks[1],
        text="Trả lời kiến nghị về nâng cấp đường liên xã, báo cáo kết quả rà soát",
        output=Assignment.Output.ANSWERS,
        output_detail="Văn bản trả lời gửi các xã",
        deadline=today + datetime.timedelta(days=30),
    )
    add_assignment(
        notice,
        world.agency_y,
        by=organizer,
        key_task=tasks[2],
        text="Báo cáo kết quả chăm sóc sức khỏe Nhân dân vùng sâu, vùng xa",
        schedule=Assignment.Schedule.CYCLE,
        cycle=ReportingCycle.YEARLY,
        cycle_until=today.replace(year=today.year + 2),
    )
    add_assignment(
        notice,
        world.board,
        by=organizer,
        text="Tổng hợp tình hình thực hiện Thông báo, tham mưu Thường trực Tỉnh ủy sơ kết",
        working_days=45,
    )
    add_assignment(
        notice,
        world.agency_x,
        by=organizer,
        coordinating=[world.agency_y],
        text="Xây dựng quy định về phân luồng giao thông khu vực trung tâm",
        output=Assignment.Output.REGULATION,
        schedule=Assignment.Schedule.CYCLE,
        cycle=ReportingCycle.QUARTERLY,
        report_day=20,
        cycle_until=today.replace(year=today.year + 1),
    )
    issue_notice(notice, organizer=organizer, approver=world.users[Role.STANDING_COMMITTEE], sequence=1031)
    notice.refresh_from_db()
    return notice


def notice_pdf(client, notice) -> bytes:
    return pdf_bytes(client.get(reverse("conclusions:notice_pdf", args=[notice.pk])))


def test_issued_notice_text_reads_back_as_the_source(world, login, long_notice):
    client = login(world.users[Role.ORGANIZER])
    response = client.get(reverse("conclusions:notice_pdf", args=[long_notice.pk]))
    assert "Thong-bao-ket-luan-1031-TB-TU.pdf" in response["Content-Disposition"]
    content = pdf_bytes(response)
    save(content, "conclusions-notice-issued.pdf")
    pages = page_texts(content)
    assert len(pages) >= 2
    text = " ".join(pages)
    assert "DỰ THẢO" not in text
    for expected in [
        "TỈNH ỦY NGHỆ AN *",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 1031-TB/TU",
        normal(document_date_line("Nghệ An", long_notice.issued_on)),
        "THÔNG BÁO " + normal(long_notice.summary),
        "I. ĐÁNH GIÁ CHUNG",
        normal(ASSESSMENT),
        "II. NHỮNG NHIỆM VỤ TRỌNG TÂM",
        normal(long_notice.key_tasks_intro),
        "III. TỔ CHỨC THỰC HIỆN",
        "Văn phòng Tỉnh ủy theo dõi, đôn đốc việc thực hiện Thông báo này./.",
        "Nơi nhận:",
        "T/L BAN THƯỜNG VỤ CHÁNH VĂN PHÒNG",
        "Nguyễn Văn Hành",
    ]:
        assert expected in text, expected
    # Key tasks numbered, in order.
    positions = [text.index(normal(f"{i}. {task}")) for i, task in enumerate(KEY_TASKS, start=1)]
    assert positions == sorted(positions)
    # Every assignment as one sentence, in order: "Giao … chủ trì, phối hợp với …; thời hạn: …".
    sentences = [normal(f"- {assignment_sentence(a)}") for a in long_notice.assignments.order_by("order")]
    for sentence in sentences:
        assert sentence in text, sentence
    assert [text.index(s) for s in sentences] == sorted(text.index(s) for s in sentences)
    first = sentences[0]
    assert first.startswith(
        f"- Giao {world.agency_x.name} chủ trì, phối hợp với {world.board.name}, {world.agency_y.name} "
        "trả lời kiến nghị về nâng cấp đường liên xã"
    )
    assert f"(kiến nghị số {world.item_a.reference})" in first
    assert "thời hạn: hoàn thành trước ngày" in first
    assert "thời hạn: hằng năm, gửi báo cáo trước ngày 15 của tháng cuối kỳ" in text
    for recipient in long_notice.recipient_lines()[:-1]:
        assert f"- {normal(recipient)}," in text
    assert f"- {normal(long_notice.recipient_lines()[-1])}." in text


def test_header_number_and_date_line_are_where_the_guide_puts_them(world, login, long_notice):
    content = notice_pdf(login(world.users[Role.SUPERVISOR]), long_notice)
    items = positioned_text(PdfReader(io.BytesIO(content)).pages[0])
    middle = (LEFT + RIGHT) / 2
    issuer, star = find(items, "TỈNH ỦY NGHỆ AN"), find(items, "*")
    party, number = find(items, "ĐẢNG CỘNG SẢN VIỆT NAM"), find(items, "Số 1031-TB/TU")
    date_line = find(items, "Nghệ An, ngày")
    title = find(items, "THÔNG BÁO")
    top = A4[1] - 20 * MM
    # Left column: issuing body, asterisk, number; right column: the Party's name and the date line.
    for item in (issuer, star, number):
        assert LEFT - 1 <= item[0] < middle, item
    for item in (party, date_line):
        assert item[0] > LEFT + 0.41 * (RIGHT - LEFT) - 1, item
    # At the top of the page, in the order the guide gives.
    assert top - 30 < issuer[1] <= top and top - 30 < party[1] <= top
    assert issuer[1] > star[1] > number[1]
    assert party[1] > date_line[1]
    assert number[1] == pytest.approx(date_line[1], abs=1.5)  # the same baseline
    # The title below them, centred on the text area.
    assert title[1] < number[1] - 10
    width = 16 * 0.6 * len("THÔNG BÁO")  # about the title's width in 16 pt capitals
    assert title[0] + width / 2 == pytest.approx(middle, abs=25)
    # The date line is italic, the Party's name bold.
    fonts = {}

    def visit(chunk, cm, tm, font_dict, font_size):
        if chunk.strip() and font_dict:
            fonts[normal(chunk)] = str(font_dict.get("/BaseFont", ""))

    PdfReader(io.BytesIO(content)).pages[0].extract_text(visitor_text=visit)
    assert "Italic" in next(f for t, f in fonts.items() if t.startswith("Nghệ An, ngày"))
    assert "Bold" in next(f for t, f in fonts.items() if t.startswith("ĐẢNG CỘNG SẢN"))


def test_recipients_bottom_left_and_signer_bottom_right_on_the_last_page(world, login, long_notice):
    content = notice_pdf(login(world.users[Role.ORGANIZER]), long_notice)
    reader = PdfReader(io.BytesIO(content))
    last = positioned_text(reader.pages[-1])
    middle = (LEFT + RIGHT) / 2
    recipients, form = find(last, "Nơi nhận:"), find(last, "T/L BAN THƯỜNG VỤ")
    signer = find(last, "Nguyễn Văn Hành")
    assert recipients[0] == pytest.approx(LEFT, abs=2)
    assert form[0] > middle - 20 and signer[0] > middle
    assert recipients[1] == pytest.approx(form[1], abs=2)  # the closing starts on one line
    assert signer[1] < form[1] - 26 * MM + 5  # room for the signature and the seal
    body_end = find(last, "Văn phòng Tỉnh ủy theo dõi")
    assert recipients[1] < body_end[1]
    for page in reader.pages[:-1]:
        assert "Nơi nhận:" not in normal(page.extract_text())
    # The margins of the guide: 30 mm left, 20 mm bottom.
    for page in reader.pages:
        for x, y, chunk in positioned_text(page):
            assert x >= LEFT - 0.5, chunk
            assert y >= 20 * MM - 1, chunk


def test_a_notice_not_in_force_is_marked_on_every_page(world, login, long_notice):
    client = login(world.users[Role.ORGANIZER])
    correction = client.post(reverse("conclusions:notice_correct", args=[long_notice.pk]))
    draft = long_notice.replaced_by
    assert correction["Location"] == reverse("conclusions:notice_detail", args=[draft.pk])
    content = notice_pdf(client, draft)
    save(content, "conclusions-notice-draft.pdf")
    pages = page_texts(content)
    assert len(pages) >= 2
    for text in pages:
        assert "DỰ THẢO" in text
    first = pages[0]
    assert "Dự thảo – chưa ban hành" in first
    assert "Số -TB/TU" in first  # a blank for the number
    assert "Nghệ An, ngày tháng năm" in first  # dated when signed
    assert "Thông báo này đính chính, thay thế Thông báo số 1031-TB/TU" in first
    assert "filename*=UTF-8''" in client.get(reverse("conclusions:notice_pdf", args=[draft.pk]))["Content-Disposition"]


def test_draft_mark_is_top_right(world, login):
    content = notice_pdf(login(world.users[Role.ORGANIZER]), world.draft_notice)
    items = positioned_text(PdfReader(io.BytesIO(content)).pages[0])
    mark, issuer = find(items, "DỰ THẢO"), find(items, "TỈNH ỦY NGHỆ AN")
    assert mark[0] > (LEFT + RIGHT) / 2 and mark[1] > issuer[1]


def test_the_world_notice_reads_back(world, login):
    content = notice_pdf(login(world.users[Role.COMMUNE_LEADER]), world.notice)
    text = " ".join(page_texts(content))
    assert "Số 1029-TB/TU" in text and "DỰ THẢO" not in text
    for assignment in (world.assignment_x, world.assignment_y):
        assert normal(assignment_sentence(assignment)) in text


def test_assignment_letter_to_the_lead_agency(world, login, long_notice):
    client = login(world.users[Role.AGENCY_OFFICER])
    response = client.get(reverse("conclusions:assignment_letter", args=[long_notice.pk, world.agency_x.pk]))
    content = pdf_bytes(response)
    save(content, "conclusions-assignment-letter.pdf")
    text = " ".join(page_texts(content))
    reader = PdfReader(io.BytesIO(content))
    for expected in [
        "TỈNH ỦY NGHỆ AN VĂN PHÒNG *",
        "Số -CV/VPTU",
        "V/v thực hiện Thông báo kết luận số 1031-TB/TU",
        f"Kính gửi: {world.agency_x.name}",
        f"Thực hiện Thông báo số 1031-TB/TU ngày {long_notice.issued_on:%d/%m/%Y} {normal(long_notice.summary)}",
        "1. Nhiệm vụ chủ trì thực hiện",
        "CHÁNH VĂN PHÒNG",
        "Nguyễn Văn Hành",
        "- Như trên,",
        "- Lưu Văn phòng Tỉnh ủy.",
    ]:
        assert expected in text, expected
    mine = [a for a in long_notice.assignments.order_by("order") if a.lead_agency_id == world.agency_x.pk]
    assert len(mine) == 2
    for assignment in mine:
        assert normal(assignment_sentence(assignment)) in text
    others = [a for a in long_notice.assignments.all() if a.lead_agency_id != world.agency_x.pk]
    for assignment in others:
        assert normal(assignment.text) not in text
    # The subject stands under the number, in the left column.
    items = positioned_text(reader.pages[0])
    number, subject = find(items, "Số"), find(items, "V/v thực hiện")
    assert subject[1] < number[1] and subject[0] < (LEFT + RIGHT) / 2


def test_coordinating_agency_letter_lists_what_it_coordinates(world, login, long_notice):
    client = login(world.users[Role.ORGANIZER])
    content = pdf_bytes(client.get(reverse("conclusions:assignment_letter", args=[long_notice.pk, world.agency_y.pk])))
    text = " ".join(page_texts(content))
    assert "1. Nhiệm vụ chủ trì thực hiện" in text
    assert "2. Nhiệm vụ phối hợp thực hiện" in text
    assert "Trả lời kiến nghị về nâng cấp đường liên xã".lower() in text.lower()
