"""The plan and the committee decision as official PDFs, rendered by WeasyPrint through the
views and read back with pypdf."""

from __future__ import annotations

import io
import re
import unicodedata

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from dialogue.dates import document_date_line
from directory.models import Role
from programs import workflow
from programs.models import PLAN_SECTIONS, PlanVersion
from programs.views.plan import plan_document_context
from tests.factories import AgencyFactory, CommitteeMemberFactory

pytestmark = pytest.mark.django_db

# Every section a sentence of its own, with the letters that old fonts miss (ơ, ư, ỹ, ậ ...).
TEXTS = {
    "purpose": "Nâng cao vai trò lãnh đạo của cấp ủy đảng đối với việc xây dựng, củng cố hệ thống chính trị ở cơ sở.",
    "requirements": "Chuẩn bị chu đáo, an toàn, tiết kiệm; bảo đảm dân chủ, cởi mở, thẳng thắn.",
    "content": "Thường trực Tỉnh ủy gặp mặt, đối thoại với người đứng đầu cấp ủy, chính quyền cấp xã.",
    "participants": "Bí thư đảng ủy, Chủ tịch HĐND, Chủ tịch UBND các xã, phường, thị trấn: khoảng 1.121 đại biểu.",
    "time_place": "Ngày 03 và 04/8/2023, tại Nhà Văn hóa Lao động tỉnh, thành phố Vinh.",
    "agenda": "Lễ dâng hoa tại Quảng trường Hồ Chí Minh; ba diễn đàn thảo luận; gặp mặt, đối thoại chính.",
    "assignments": "Ban Dân vận Tỉnh ủy chủ trì, phối hợp các ban, sở, ngành chuẩn bị nội dung.",
    "budget": "Kinh phí do ngân sách tỉnh bảo đảm theo quy định hiện hành.",
    "logistics": "Văn phòng Tỉnh ủy bố trí hội trường, âm thanh, ánh sáng, xe đưa đón đại biểu.",
    "communication": "Báo Nghệ An, Đài Phát thanh và Truyền hình tỉnh tuyên truyền trước, trong và sau chương trình.",
}


def normal(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    return normal(" ".join(page.extract_text() for page in reader.pages))


def fill(w, version=None) -> PlanVersion:
    version = version or w.program.plan.versions.get(number=1)
    return workflow.update_draft(version, TEXTS, by=w.users[Role.ORGANIZER])


def approve(w, version: PlanVersion) -> PlanVersion:
    workflow.submit_version(version, by=w.users[Role.ORGANIZER])
    return workflow.approve_version(version, by=w.users[Role.STANDING_COMMITTEE])


def version_pdf(client, w, number: int) -> str:
    return pdf_text(client.get(reverse("programs:plan_version_pdf", args=[w.program.pk, number])))


def test_draft_plan_is_marked_and_carries_every_section(world, login):
    fill(world)
    text = version_pdf(login(world.users[Role.ORGANIZER]), world, 1)
    assert "DỰ THẢO" in text
    assert "Phiên bản 1 – dự thảo" in text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "TỈNH ỦY NGHỆ AN *" in text  # signed T/M Ban Thường vụ: issued by the Tỉnh ủy itself
    assert "KẾ HOẠCH tổ chức Chương trình gặp mặt, đối thoại năm 2023" in text
    positions = []
    for numeral, (key, label) in zip(
        ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"], PLAN_SECTIONS, strict=True
    ):
        heading = f"{numeral}. {str(label).upper()}"
        assert heading in text, heading
        positions.append(text.index(heading))
        sentence = TEXTS[key] if key != "communication" else TEXTS[key].rstrip(".") + "./."
        assert sentence in text, sentence
    assert positions == sorted(positions)  # the official order
    assert "Nghệ An, ngày tháng năm" in text  # a draft is dated when signed
    assert "Số" not in text.split("ĐẢNG CỘNG SẢN VIỆT NAM")[1].split("KẾ HOẠCH")[0]  # no number yet


def test_approved_plan_is_the_official_one(world, login):
    version = approve(world, fill(world))
    workflow.set_plan_number(world.program.plan, "186-KH/TU", by=world.users[Role.ORGANIZER])
    client = login(world.users[Role.SUPERVISOR])
    response = client.get(reverse("programs:plan_version_pdf", args=[world.program.pk, 1]))
    assert "Ke-hoach-186-KH-TU.pdf" in response["Content-Disposition"]
    text = pdf_text(response)
    assert "DỰ THẢO" not in text
    assert "Số 186-KH/TU" in text
    assert normal(document_date_line("Nghệ An", timezone.localdate(version.approved_at))) in text
    assert "T/M BAN THƯỜNG VỤ PHÓ BÍ THƯ" in text
    assert world.head.full_name in text
    assert "Nơi nhận:" in text
    assert "- Thường trực Tỉnh ủy (để b/c)," in text
    assert f"- {world.agency_x.name}," in text  # the agency of a committee member
    assert "- Lưu Ban Dân vận Tỉnh ủy Nghệ An." in text


def test_plan_pdf_is_the_approved_version_even_with_a_newer_draft(world, login):
    approve(world, fill(world))
    draft = workflow.new_version(world.program.plan, by=world.users[Role.ORGANIZER])
    workflow.update_draft(draft, {**TEXTS, "budget": "Kinh phí xã hội hóa một phần."}, by=world.users[Role.ORGANIZER])
    client = login(world.users[Role.STANDING_COMMITTEE])
    official = pdf_text(client.get(reverse("programs:plan_pdf", args=[world.program.pk])))
    assert "DỰ THẢO" not in official
    assert TEXTS["budget"] in official
    newer = version_pdf(client, world, 2)
    assert "DỰ THẢO" in newer
    assert "Kinh phí xã hội hóa một phần." in newer
    approve(world, world.program.plan.versions.get(number=2))
    superseded = version_pdf(client, world, 1)
    assert "ĐÃ ĐƯỢC THAY THẾ" in superseded  # once official, now replaced: never mistaken for the plan
    assert "DỰ THẢO" not in superseded


def test_plan_pdf_without_approval_is_the_draft(world, login):
    fill(world)
    text = pdf_text(login(world.users[Role.ADMIN]).get(reverse("programs:plan_pdf", args=[world.program.pk])))
    assert "DỰ THẢO" in text


def test_committee_decision_lists_members_by_role(world, login):
    program = world.program
    labour = AgencyFactory(province=world.province, name="Liên đoàn Lao động tỉnh Nghệ An")
    # Created out of order: the decision must sort them by role.
    CommitteeMemberFactory(
        program=program, role="secretariat", full_name="Hồ Thị Thư Ký", position="Chuyên viên", agency=world.board
    )
    CommitteeMemberFactory(program=program, role="deputy", full_name="Phạm Văn Phó", position="Chủ tịch", agency=labour)
    CommitteeMemberFactory(
        program=program,
        role="standing_deputy",
        full_name="Ngọc Kim Nam",
        position="Trưởng ban Dân vận Tỉnh ủy",
        agency=world.board,
    )
    response = login(world.users[Role.ORGANIZER]).get(reverse("programs:committee_decision", args=[program.pk]))
    assert "filename*=UTF-8''Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh" in response["Content-Disposition"]
    text = pdf_text(response)
    assert "QUYẾT ĐỊNH về việc thành lập Ban tổ chức Chương trình gặp mặt, đối thoại năm 2023" in text
    assert "TỈNH ỦY NGHỆ AN" in text
    order = [
        "1. Trưởng ban:",
        f"Đồng chí {world.head.full_name}, Phó Bí thư Tỉnh ủy",
        "2. Phó Trưởng ban Thường trực:",
        "Đồng chí Ngọc Kim Nam, Trưởng ban Dân vận Tỉnh ủy",
        "3. Phó Trưởng ban:",
        "Đồng chí Phạm Văn Phó, Chủ tịch, Liên đoàn Lao động tỉnh Nghệ An",
        "4. Thành viên:",
        f"Đồng chí {world.member_x.full_name}",
        "5. Tổ giúp việc:",
        "Đồng chí Hồ Thị Thư Ký, Chuyên viên, Ban Dân vận Tỉnh ủy Nghệ An",
    ]
    positions = [text.index(item) for item in order]
    assert positions == sorted(positions)
    # Điều 1 lists, Điều 2 gives the tasks, Điều 3 the effect, in that order.
    articles = [text.index(f"Điều {n}.") for n in (1, 2, 3)]
    assert articles == sorted(articles)
    assert articles[0] < positions[0] and positions[-1] < articles[1]
    assert "Quyết định có hiệu lực kể từ ngày ký." in text
    assert "Ban Thường vụ Tỉnh ủy quyết định:".upper() in text.upper()
    assert "T/M BAN THƯỜNG VỤ PHÓ BÍ THƯ" in text
    assert "DỰ THẢO" not in text
    # The position already names the board: it is not repeated.
    assert "Trưởng ban Dân vận Tỉnh ủy, Ban Dân vận" not in text


def test_position_abbreviations_do_not_repeat_the_agency(world, login):
    government = AgencyFactory(province=world.province, name="Ủy ban nhân dân tỉnh Nghệ An")
    CommitteeMemberFactory(
        program=world.program,
        role="deputy",
        full_name="Phan Văn Khải",
        position="Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh",
        agency=government,
    )
    text = pdf_text(
        login(world.users[Role.SUPERVISOR]).get(reverse("programs:committee_decision", args=[world.program.pk]))
    )
    assert "Đồng chí Phan Văn Khải, Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh." in text


def test_host_issuing_alone_and_no_head(world):
    """A program whose host is its own standing agency, with no committee head yet."""
    program = world.other_program
    version = program.plan.versions.get(number=1)
    context = plan_document_context(program, version)
    assert context["issuer"] == ["TỈNH ỦY HÀ TĨNH"]
    assert context["place"] == "Hà Tĩnh"
    assert context["signature"] == {"form": "T/M BAN THƯỜNG VỤ"}
    assert context["recipients"][0] == "Thường trực Tỉnh ủy (để b/c)"
    assert context["recipients"][-1] == "Lưu Văn phòng Tỉnh ủy"
    assert context["mark"] == "DỰ THẢO"
    assert context["number"] == ""
