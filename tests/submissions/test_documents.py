"""The submissions' documents: the list before the program (PDF, by topic group and field) and
the answers compendium after it (PDF and Excel), read back with pypdf and openpyxl."""

from __future__ import annotations

import datetime
import io
import re
import unicodedata

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from directory.models import Role
from programs.models import TopicGroup
from submissions import workflow
from submissions.models import Answer, Field, Routing, Submission
from tests.helpers import assert_constant_queries

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def sent(w, title, *, commune=None, leader=None, kind="proposal", field=None, topic_group=None):
    commune = commune or w.commune_a
    leader = leader or w.users[Role.COMMUNE_LEADER]
    item = workflow.save_draft(
        Submission(
            program=w.program,
            kind=kind,
            title=title,
            content=f"{title}: đề nghị tỉnh quan tâm, hỗ trợ kinh phí để người dân yên tâm sản xuất.",
            commune=commune,
            field=field,
        ),
        by=leader,
    )
    item = workflow.submit(item, by=leader)
    if topic_group is not None:
        item = workflow.classify(item, by=w.users[Role.ORGANIZER], topic_group=topic_group)
    return item


@pytest.fixture
def economy(world):
    return TopicGroup.objects.create(program=world.program, name="Phát triển kinh tế - xã hội", order=2)


def test_list_pdf_groups_by_topic_group_then_field(world, login, economy):
    land = Field.objects.create(code="dat-dai-thu-nghiem", name="Đất đai", order=0)
    roads = Field.objects.get(code="ha-tang-giao-thong")
    sent(world, "Cấp giấy chứng nhận quyền sử dụng đất ở Nghi Phú", field=land, topic_group=economy)
    sent(
        world,
        "Đường ven biển qua xã Nghi Đức",
        field=roads,
        topic_group=economy,
        commune=world.commune_b,
        leader=world.users["commune_leader_b"],
    )
    sent(world, "Kiện toàn chi bộ thôn", kind="question", topic_group=world.topic_group)
    draft = workflow.save_draft(
        Submission(
            program=world.program, kind="question", title="Bản nháp chưa gửi", content="x", commune=world.commune_a
        ),
        by=world.users[Role.COMMUNE_LEADER],
    )
    withdrawn = sent(world, "Nội dung đã rút")
    workflow.withdraw(withdrawn, by=world.users[Role.COMMUNE_LEADER])

    text = pdf_text(
        login(world.users[Role.STANDING_COMMITTEE]).get(reverse("submissions:list_pdf", args=[world.program.pk]))
    )
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "TỈNH ỦY NGHỆ AN" in text and "BAN DÂN VẬN" in text
    assert "DANH SÁCH" in text
    assert (
        "câu hỏi, đề xuất, kiến nghị của các xã, phường, thị trấn gửi Chương trình gặp mặt, đối thoại năm 2023" in text
    )
    # Six items: the world's three (two proposals of the road field, one already published) and three here.
    assert "đã tiếp nhận 6 câu hỏi, đề xuất, kiến nghị của 2 xã, phường, thị trấn (1 câu hỏi, 5 đề xuất)" in text
    # Topic groups in their order, then fields in theirs; items without a group last.
    party = text.index("I. CÔNG TÁC XÂY DỰNG ĐẢNG")
    econ = text.index("II. PHÁT TRIỂN KINH TẾ - XÃ HỘI")
    rest = text.index("III. CÁC NỘI DUNG CHƯA XẾP NHÓM VẤN ĐỀ")
    assert party < text.index("Kiện toàn chi bộ thôn") < econ
    assert econ < text.index("1. Lĩnh vực: Đất đai") < text.index("Cấp giấy chứng nhận quyền sử dụng đất") < rest
    assert (
        text.index("2. Lĩnh vực: Hạ tầng, giao thông, xây dựng") < text.index("Đường ven biển qua xã Nghi Đức") < rest
    )
    assert rest < text.index("Nâng cấp đường liên xã Nghi Phú")
    assert "Xã Nghi Đức, huyện Nghi Lộc" in text and "Xã Nghi Phú, huyện Nghi Lộc" in text
    assert world.item_a.reference in text
    assert draft.title not in text and withdrawn.title not in text
    assert "Nơi nhận:" in text and "Danh sách gồm 6 câu hỏi, đề xuất, kiến nghị./." in text


def test_list_pdf_names_every_origin_of_a_merged_item(world, login):
    workflow.merge([world.item_b], into=world.item_a, by=world.users[Role.ORGANIZER])
    text = pdf_text(login(world.users[Role.ORGANIZER]).get(reverse("submissions:list_pdf", args=[world.program.pk])))
    assert "Xã Nghi Phú, huyện Nghi Lộc; Xã Nghi Đức, huyện Nghi Lộc" in text
    assert world.item_b.title not in text  # merged into item A, listed there


def test_answers_pdf_holds_published_answers_only(world, login):
    officer = world.users[Role.AGENCY_OFFICER]
    workflow.save_answer(world.item_a, by=officer, agency=world.agency_x, text="Dự thảo chưa công bố.", send=True)
    on_spot = workflow.record_on_spot_answer(
        world.item_b,
        by=world.users[Role.ORGANIZER],
        text="Tỉnh hỗ trợ 40 triệu đồng mỗi hộ nghèo.",
        answered_by="Đồng chí Nguyễn Văn Đệ, Phó Chủ tịch UBND tỉnh",
    )
    workflow.publish_answer(on_spot, by=world.users[Role.ORGANIZER])

    text = pdf_text(
        login(world.users[Role.SUPERVISOR]).get(reverse("submissions:answers_pdf", args=[world.program.pk]))
    )
    assert "BÁO CÁO" in text
    assert "tổng hợp trả lời câu hỏi, đề xuất, kiến nghị của các xã, phường, thị trấn tại Chương trình" in text
    counts = "(1 nội dung trả lời trực tiếp tại chương trình, 1 nội dung trả lời bằng văn bản)"
    assert f"Đến nay có 2 nội dung đã được trả lời và công bố {counts}" in text
    assert "Xây trạm y tế xã Nghi Đức" in text and "Sở Y tế đã bố trí vốn năm sau." in text
    assert "bằng văn bản: Sở Y tế tỉnh Nghệ An, ngày" in text
    assert "trực tiếp tại chương trình: Đồng chí Nguyễn Văn Đệ, Phó Chủ tịch UBND tỉnh" in text
    assert "Tỉnh hỗ trợ 40 triệu đồng mỗi hộ nghèo." in text
    assert "Dự thảo chưa công bố." not in text and world.item_a.title not in text
    assert text.index("./.") > text.index("Tỉnh hỗ trợ 40 triệu đồng")


def xlsx_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return rows[0][0], rows[2], rows[3:]


def test_answers_xlsx_one_row_per_item(world, login):
    # Item A answered late: its deadline moved back before the answer came.
    officer = world.users[Role.AGENCY_OFFICER]
    answer = workflow.save_answer(
        world.item_a, by=officer, agency=world.agency_x, text="Làm đường năm 2024.", send=True
    )
    Routing.objects.filter(submission=world.item_a).update(deadline=timezone.localdate() - datetime.timedelta(days=2))
    workflow.publish_answer(answer, by=world.users[Role.ORGANIZER])

    title, header, rows = xlsx_rows(
        login(world.users[Role.ORGANIZER]).get(reverse("submissions:answers_xlsx", args=[world.program.pk]))
    )
    assert title.startswith("Tổng hợp trả lời câu hỏi, đề xuất, kiến nghị")
    assert list(header) == [
        "STT",
        "Số hiệu",
        "Nhóm vấn đề",
        "Đơn vị nêu",
        "Tiêu đề",
        "Cơ quan trả lời",
        "Người trả lời",
        "Hình thức trả lời",
        "Ngày trả lời",
        "Hạn trả lời",
        "Tình trạng thời hạn",
        "Nội dung trả lời",
    ]
    by_reference = {row[1]: row for row in rows}
    assert set(by_reference) == {world.item_a.reference, world.item_published.reference}
    published = by_reference[world.item_published.reference]
    today = timezone.localdate()
    assert published[3] == "Xã Nghi Đức, huyện Nghi Lộc"
    assert published[4] == "Xây trạm y tế xã Nghi Đức"
    assert published[5] == "Sở Y tế tỉnh Nghệ An"
    assert published[7] == "Trả lời bằng văn bản"
    assert published[8].date() == today
    assert published[10] == "Đã trả lời – đúng hạn"
    assert published[11] == "Sở Y tế đã bố trí vốn năm sau."
    late = by_reference[world.item_a.reference]
    assert late[9].date() == today - datetime.timedelta(days=2)
    assert late[10] == "Đã trả lời – trễ hạn"


def test_answers_xlsx_keeps_a_constant_number_of_queries(world, login):
    client = login(world.users[Role.ORGANIZER])
    organizer = world.users[Role.ORGANIZER]
    counter = iter(range(1000))

    def add_rows(n):
        for _ in range(n):
            item = sent(world, f"Nội dung số {next(counter)}", topic_group=world.topic_group)
            answer = workflow.record_on_spot_answer(item, by=organizer, text="Đã trả lời.", answered_by="Lãnh đạo tỉnh")
            workflow.publish_answer(answer, by=organizer)

    assert_constant_queries(client, reverse("submissions:answers_xlsx", args=[world.program.pk]), add_rows, many=8)


def test_supervisor_reads_the_compendium_but_not_the_list(world, login):
    client = login(world.users[Role.SUPERVISOR])
    assert client.get(reverse("submissions:answers_xlsx", args=[world.program.pk])).status_code == 200
    assert client.get(reverse("submissions:list_pdf", args=[world.program.pk])).status_code == 403


def test_empty_compendium_still_a_document(world, login):
    Answer.objects.all().delete()
    Submission.objects.filter(pk=world.item_published.pk).update(status=Submission.Status.ROUTED)
    text = pdf_text(login(world.users[Role.ORGANIZER]).get(reverse("submissions:answers_pdf", args=[world.program.pk])))
    assert "Chưa có câu trả lời nào được công bố." in text
