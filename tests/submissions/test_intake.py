"""Intake: a commune sends its questions, proposals and recommendations within the window;
drafts, numbering, files checked by content, organizers entering on behalf of a commune,
returned items sent again, the commune's lists and who may open what."""

from __future__ import annotations

import datetime
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from directory.models import ActionLog, Role
from submissions import workflow
from submissions.models import Answer, Attachment, Field, Submission
from tests.helpers import assert_constant_queries

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00" + b"\x00" * 200


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _seed_reference_fields() -> None:
    from importlib import import_module

    for code, name, order in import_module("submissions.migrations.0002_trigram_search_and_fields").FIELDS:
        Field.objects.get_or_create(code=code, defaults={"name": name, "order": order})


@pytest.fixture(autouse=True)
def _reference_fields(db):
    """Browser tests run on a transactional database that is emptied afterwards, data
    migrations' rows included: put the fields back before each test needs them."""
    _seed_reference_fields()


@pytest.fixture(scope="module", autouse=True)
def _restore_reference_fields(django_db_blocker):
    """...and after this module's browser test, so the next session (--reuse-db) finds them."""
    yield
    with django_db_blocker.unblock():
        _seed_reference_fields()


@pytest.fixture
def leader(login, world):
    return login(world.users[Role.COMMUNE_LEADER])


@pytest.fixture
def organizer(login, world):
    return login(world.users[Role.ORGANIZER])


def media_files(settings) -> list[str]:
    root = settings.MEDIA_ROOT
    return [os.path.join(d, f) for d, _dirs, files in os.walk(root) for f in files] if os.path.exists(root) else []


def pdf(name="Biên bản họp dân.pdf", content=PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def item_data(world, **extra) -> dict:
    data = {
        "kind": "proposal",
        "field": Field.objects.get(code="ha-tang-giao-thong").pk,
        "topic_group": world.topic_group.pk,
        "title": "Đầu tư cầu qua sông Cấm nối xóm 5 và xóm 6",
        "content": "Cầu tạm xuống cấp, mùa mưa người dân và học sinh đi lại nguy hiểm; đề nghị tỉnh hỗ trợ vốn.",
        "location": "Xóm 5, xã Nghi Phú",
        "action": "draft",
    }
    data.update(extra)
    return data


def create_url(world, program=None) -> str:
    return reverse("submissions:create", args=[(program or world.program).pk])


def close_window(program) -> None:
    program.intake_opens = datetime.date(2023, 6, 1)
    program.intake_closes = datetime.date(2023, 7, 20)
    program.save()


# --- drafts, sending, numbering ------------------------------------------------------------------


def test_create_form_for_a_commune_leader(leader, world):
    response = leader.get(create_url(world))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Lưu nháp" in page and "Gửi" in page
    assert 'name="commune"' not in page  # the commune is the leader's own, never chosen
    assert "multiple" in page and 'name="files"' in page
    assert world.topic_group.name in page


def test_draft_then_send_gets_the_next_reference(leader, world):
    response = leader.post(create_url(world), item_data(world, files=[pdf()]))
    item = Submission.objects.get(title__startswith="Đầu tư cầu qua sông Cấm")
    assert response.status_code == 302 and response["Location"] == reverse("submissions:detail", args=[item.pk])
    assert item.status == Submission.Status.DRAFT and not item.reference and item.number is None
    assert item.commune == world.commune_a and item.source == Submission.Source.COMMUNE
    assert item.created_by == world.users[Role.COMMUNE_LEADER]
    assert item.attachments.get().original_name == "Biên bản họp dân.pdf"
    assert ActionLog.objects.filter(verb="submission.save_draft", target_id=str(item.pk)).exists()
    # The draft is in the commune's list, without a reference.
    assert "Bản nháp" in leader.get(reverse("submissions:program_items", args=[world.program.pk])).content.decode()

    response = leader.post(reverse("submissions:submit", args=[item.pk]))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Submission.Status.SUBMITTED
    assert item.reference == "ĐT2023-004"  # the world's items are 001–003
    assert list(item.origin_links.values_list("commune", flat=True)) == [world.commune_a.pk]
    page = leader.get(response["Location"]).content.decode()
    assert "Đã gửi, số hiệu ĐT2023-004." in page

    # Sent straight from the form: the next number.
    response = leader.post(create_url(world), item_data(world, title="Kè chống sạt lở bờ sông", action="send"))
    second = Submission.objects.get(title="Kè chống sạt lở bờ sông")
    assert second.reference == "ĐT2023-005" and second.status == Submission.Status.SUBMITTED
    assert "số hiệu ĐT2023-005" in leader.get(response["Location"]).content.decode()


def test_draft_edited_then_sent_from_the_form(leader, world):
    leader.post(create_url(world), item_data(world, files=[pdf("a.pdf"), pdf("b.pdf")]))
    item = Submission.objects.get(title__startswith="Đầu tư cầu")
    a = item.attachments.get(original_name="a.pdf")
    edit = reverse("submissions:edit", args=[item.pk])
    page = leader.get(edit).content.decode()
    assert "Đầu tư cầu qua sông Cấm" in page and "a.pdf" in page
    response = leader.post(
        edit, item_data(world, title="Đầu tư cầu sông Cấm", remove_attachments=[a.pk], action="send")
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Đầu tư cầu sông Cấm" and item.reference == "ĐT2023-004"
    assert list(item.attachments.values_list("original_name", flat=True)) == ["b.pdf"]
    # Once sent it is no longer editable.
    assert leader.get(edit).status_code == 403


# --- refusals: nothing half-saved ----------------------------------------------------------------


def test_outside_the_window_nothing_is_accepted(leader, world, settings):
    close_window(world.program)
    before = Submission.objects.count()
    page = leader.get(create_url(world)).content.decode()
    assert "từ 01/06/2023 đến 20/07/2023" in page
    assert "kể cả bản nháp" in page
    assert 'name="title"' not in page  # no form to fill
    for action in ("draft", "send"):
        response = leader.post(create_url(world), item_data(world, action=action, files=[pdf()]))
        assert response.status_code == 200
        page = response.content.decode()
        assert "Chương trình chỉ tiếp nhận câu hỏi, đề xuất, kiến nghị từ 01/06/2023 đến 20/07/2023." in page
        assert "Đầu tư cầu qua sông Cấm" in page  # what was typed stays on screen
    assert Submission.objects.count() == before
    assert not Attachment.objects.exists() and not media_files(settings)


def test_window_not_set(leader, world):
    world.program.intake_opens = world.program.intake_closes = None
    world.program.save()
    page = leader.get(create_url(world)).content.decode()
    assert "Chương trình chưa mở tiếp nhận câu hỏi, đề xuất, kiến nghị." in page
    tab = leader.get(reverse("submissions:program_items", args=[world.program.pk])).content.decode()
    assert "Chương trình chưa mở tiếp nhận" in tab
    assert reverse("submissions:create", args=[world.program.pk]) not in tab


def test_a_draft_cannot_be_sent_after_the_window(leader, world):
    leader.post(create_url(world), item_data(world))
    item = Submission.objects.get(title__startswith="Đầu tư cầu")
    close_window(world.program)
    response = leader.post(reverse("submissions:submit", args=[item.pk]), follow=True)
    assert "từ 01/06/2023 đến 20/07/2023" in response.content.decode()
    item.refresh_from_db()
    assert item.status == Submission.Status.DRAFT and item.number is None
    page = leader.get(reverse("submissions:detail", args=[item.pk])).content.decode()
    assert "Ngoài thời gian tiếp nhận (01/06/2023 – 20/07/2023)" in page
    assert reverse("submissions:submit", args=[item.pk]) not in page


def test_empty_content_refused(leader, world):
    before = Submission.objects.count()
    response = leader.post(create_url(world), item_data(world, content="   \n  ", action="send"))
    assert response.status_code == 200
    assert "Hãy nhập nội dung câu hỏi, đề xuất, kiến nghị." in response.content.decode()
    assert Submission.objects.count() == before


def test_missing_kind_and_field_refused(leader, world):
    response = leader.post(create_url(world), item_data(world, kind="", field=""))
    page = response.content.decode()
    assert "Hãy chọn loại: câu hỏi, đề xuất hay kiến nghị." in page and "Hãy chọn lĩnh vực." in page


def test_disguised_executable_refused_and_nothing_saved(leader, world, settings):
    before = Submission.objects.count()
    files = [pdf("Tờ trình.pdf"), pdf("Ảnh hiện trường.pdf", EXE)]
    response = leader.post(create_url(world), item_data(world, files=files, action="send"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "“Ảnh hiện trường.pdf”: Loại tệp không được phép: chỉ nhận PDF, DOCX, XLSX, JPG, PNG." in page
    assert Submission.objects.count() == before
    assert not Attachment.objects.exists() and not media_files(settings)


def test_oversized_file_refused(leader, world, settings):
    settings.DIALOGUE_MAX_UPLOAD_MB = 1
    before = Submission.objects.count()
    big = pdf("Hồ sơ.pdf", PDF + b"0" * (1024 * 1024))
    response = leader.post(create_url(world), item_data(world, files=[big]))
    assert "“Hồ sơ.pdf”: Tệp quá lớn: tối đa 1 MB." in response.content.decode()
    assert Submission.objects.count() == before and not media_files(settings)


def test_a_failed_send_keeps_no_file(leader, world, settings, monkeypatch):
    """A refusal after the files are written (here: sending fails) removes them again."""
    before = Submission.objects.count()

    def refuse(*args, **kwargs):
        raise workflow.WorkflowError("Không gửi được.")

    monkeypatch.setattr(workflow, "submit", refuse)
    response = leader.post(create_url(world), item_data(world, files=[pdf()], action="send"))
    assert "Không gửi được." in response.content.decode()
    assert Submission.objects.count() == before
    assert not Attachment.objects.exists() and not media_files(settings)


def test_topic_group_of_another_program_refused(leader, world):
    from programs.models import TopicGroup

    foreign = TopicGroup.objects.create(program=world.other_program, name="Nhóm của tỉnh khác")
    response = leader.post(create_url(world), item_data(world, topic_group=foreign.pk))
    assert response.status_code == 200
    assert not Submission.objects.filter(title__startswith="Đầu tư cầu").exists()


# --- organizers on behalf of a commune -----------------------------------------------------------


def test_organizer_enters_an_item_on_behalf_of_a_commune(organizer, world, login):
    page = organizer.get(create_url(world)).content.decode()
    assert "Xã Nghi Đức, Huyện Nghi Lộc" in page and "Hội nghị ở thôn, xóm, tổ dân phố" in page
    data = item_data(world, commune=world.commune_b.pk, source="village_meeting", source_note="", action="send")
    response = organizer.post(create_url(world), data)
    assert "Hãy ghi hội nghị ở thôn, xóm nào, ngày nào." in response.content.decode()
    data["source_note"] = "Hội nghị xóm 5, ngày 12/6/2023"
    response = organizer.post(create_url(world), data)
    assert response.status_code == 302
    item = Submission.objects.get(title__startswith="Đầu tư cầu")
    assert item.commune == world.commune_b and item.source == Submission.Source.VILLAGE_MEETING
    assert item.created_by == world.users[Role.ORGANIZER] and item.reference == "ĐT2023-004"
    # Commune B's leader follows it; commune A's does not see it.
    leader_b = login(world.users["commune_leader_b"])
    assert "ĐT2023-004" in leader_b.get(reverse("submissions:mine")).content.decode()
    leader_a = login(world.users[Role.COMMUNE_LEADER])
    assert leader_a.get(reverse("submissions:detail", args=[item.pk])).status_code == 404


def test_organizer_cannot_choose_a_commune_outside_the_program(organizer, world):
    from tests.factories import CommuneFactory

    outside = CommuneFactory(name="Thạch Hà Ngoài")  # another province's commune
    response = organizer.post(create_url(world), item_data(world, commune=outside.pk, source="staff"))
    assert response.status_code == 200
    assert not Submission.objects.filter(title__startswith="Đầu tư cầu").exists()


def test_commune_outside_the_program_area_is_refused(login, world):
    from tests.factories import CommuneFactory, UserFactory

    stranger = UserFactory(commune_leader=True, commune=CommuneFactory(name="Xa Lạ"))
    other = login(stranger)
    # A leader of another province does not see the program at all.
    assert other.get(create_url(world)).status_code == 404


def test_commune_outside_a_district_program_is_refused(leader, world):
    from tests.factories import DistrictFactory, make_program

    district = DistrictFactory(parent=world.province, name="Diễn Châu")
    program = make_program(
        world.province, world.party_committee, world.board, area=district, title="Đối thoại với Nhân dân huyện"
    )
    today = timezone.localdate()
    program.intake_opens, program.intake_closes = today, today
    program.save()
    page = leader.get(create_url(world, program)).content.decode()
    assert "Xã Nghi Phú không thuộc địa bàn của chương trình này." in page and 'name="title"' not in page
    response = leader.post(create_url(world, program), item_data(world, topic_group="", action="send"))
    assert "không thuộc địa bàn" in response.content.decode()
    assert not Submission.objects.filter(program=program).exists()
    tab = leader.get(reverse("submissions:program_items", args=[program.pk])).content.decode()
    assert create_url(world, program) not in tab


def test_leader_of_the_commune_that_absorbed_one_sends(login, world):
    """After the 2025 merger, the leader of the new commune sends for what their commune now carries."""
    from directory.models import REORGANIZATION_2025
    from tests.factories import CommuneFactory, UserFactory

    merged = CommuneFactory(parent=world.province, name="Nghi Phú Mới", valid_from=REORGANIZATION_2025)
    world.commune_a.valid_to, world.commune_a.successor = REORGANIZATION_2025, merged
    world.commune_a.save()
    client = login(UserFactory(commune_leader=True, commune=merged))
    response = client.post(create_url(world), item_data(world, action="send"))
    assert response.status_code == 302
    item = Submission.objects.get(title__startswith="Đầu tư cầu")
    assert item.commune == merged and item.reference == "ĐT2023-004"
    # Commune A's earlier item is the new commune's now.
    assert world.item_a.title in client.get(reverse("submissions:mine")).content.decode()


# --- returned items ------------------------------------------------------------------------------


def test_returned_item_edited_and_sent_again_keeps_its_number(login, world):
    organizer = world.users[Role.ORGANIZER]
    workflow.return_to_sender(world.item_b, by=organizer, remark="Bổ sung số hộ nghèo cần hỗ trợ.")
    leader_b = login(world.users["commune_leader_b"])
    detail = leader_b.get(reverse("submissions:detail", args=[world.item_b.pk])).content.decode()
    assert "Trả lại để bổ sung" in detail and reverse("submissions:edit", args=[world.item_b.pk]) in detail
    edit = reverse("submissions:edit", args=[world.item_b.pk])
    page = leader_b.get(edit).content.decode()
    assert "Bổ sung số hộ nghèo cần hỗ trợ." in page and "Gửi lại" in page
    data = item_data(world, title=world.item_b.title, content="Xã có 126 hộ nghèo cần hỗ trợ nhà ở.", action="send")
    response = leader_b.post(edit, data)
    assert response.status_code == 302
    world.item_b.refresh_from_db()
    assert world.item_b.status == Submission.Status.SUBMITTED
    assert world.item_b.reference == "ĐT2023-002" and world.item_b.number == 2
    assert world.item_b.content == "Xã có 126 hộ nghèo cần hỗ trợ nhà ở."
    assert Submission.objects.filter(program=world.program).exclude(number=None).count() == 3


def test_return_remark_helper(world):
    from submissions.views.intake import return_remark

    assert return_remark(world.item_b) == ""
    workflow.return_to_sender(world.item_b, by=world.users[Role.ORGANIZER], remark="Thiếu địa điểm.")
    world.item_b.refresh_from_db()
    assert return_remark(world.item_b) == "Thiếu địa điểm."


# --- the item page's panel: upload, withdraw -----------------------------------------------------


def test_upload_on_the_item_page(leader, world, settings):
    leader.post(create_url(world), item_data(world))
    item = Submission.objects.get(title__startswith="Đầu tư cầu")
    detail = reverse("submissions:detail", args=[item.pk])
    page = leader.get(detail).content.decode()
    assert reverse("submissions:attachment_upload", args=[item.pk]) in page
    upload = reverse("submissions:attachment_upload", args=[item.pk])
    png = SimpleUploadedFile("Ảnh cầu.png", PNG, content_type="image/png")
    response = leader.post(upload, {"files": [pdf("Tờ trình.pdf"), png]}, follow=True)
    assert "Đã đính kèm: Tờ trình.pdf, Ảnh cầu.png." in response.content.decode()
    assert item.attachments.count() == 2
    # A disguised file among good ones: none is kept.
    response = leader.post(upload, {"files": [pdf("c.pdf"), pdf("d.pdf", EXE)]}, follow=True)
    assert "“d.pdf”: Loại tệp không được phép" in response.content.decode()
    assert item.attachments.count() == 2 and len(media_files(settings)) == 2
    # Once sent, nothing more can be attached.
    workflow.submit(item, by=world.users[Role.COMMUNE_LEADER])
    response = leader.post(upload, {"files": [pdf("e.pdf")]})
    assert response.status_code == 403


def test_attachment_download(leader, world):
    leader.post(create_url(world), item_data(world, files=[pdf("Tờ trình số 12.pdf")]))
    attachment = Attachment.objects.get()
    assert "Tờ trình" not in attachment.file.name  # stored under a random name
    url = reverse("submissions:attachment", args=[attachment.pk])
    assert url in leader.get(reverse("submissions:detail", args=[attachment.submission_id])).content.decode()
    response = leader.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PDF
    response.close()


def test_answer_file_only_once_published(login, world):
    answer = workflow.save_answer_draft(
        Answer(submission=world.item_a, agency=world.agency_x, text="Sở đang khảo sát."),
        by=world.users[Role.AGENCY_OFFICER],
    )
    file = Attachment.objects.create(
        answer=answer, file="submissions/x.pdf", original_name="Trả lời.pdf", content_type="application/pdf", size=1
    )
    url = reverse("submissions:attachment", args=[file.pk])
    # Commune A reads its item but not the draft answer's file.
    assert login(world.users[Role.COMMUNE_LEADER]).get(url).status_code == 404


def test_withdraw(leader, world):
    leader.post(create_url(world), item_data(world, action="send"))
    item = Submission.objects.get(title__startswith="Đầu tư cầu")
    page = leader.get(reverse("submissions:detail", args=[item.pk])).content.decode()
    assert reverse("submissions:withdraw", args=[item.pk]) in page
    response = leader.post(reverse("submissions:withdraw", args=[item.pk]), follow=True)
    assert "Đã rút lại" in response.content.decode()
    item.refresh_from_db()
    assert item.status == Submission.Status.WITHDRAWN
    # Routed items are past withdrawing: no button, and a POST is refused.
    page = leader.get(reverse("submissions:detail", args=[world.item_a.pk])).content.decode()
    assert reverse("submissions:withdraw", args=[world.item_a.pk]) not in page
    assert leader.post(reverse("submissions:withdraw", args=[world.item_a.pk])).status_code == 403


def test_panel_hidden_from_readers(login, world):
    standing = login(world.users[Role.STANDING_COMMITTEE])
    page = standing.get(reverse("submissions:detail", args=[world.item_b.pk])).content.decode()
    assert reverse("submissions:withdraw", args=[world.item_b.pk]) not in page
    assert standing.post(reverse("submissions:withdraw", args=[world.item_b.pk])).status_code == 403
    assert standing.post(reverse("submissions:submit", args=[world.item_b.pk])).status_code == 403


def test_commune_b_is_not_found_for_commune_a(leader, world):
    b_file = Attachment.objects.create(
        submission=world.item_b, file="submissions/b.pdf", original_name="b.pdf", content_type="application/pdf", size=1
    )
    for name in ("submissions:detail", "submissions:edit"):
        assert leader.get(reverse(name, args=[world.item_b.pk])).status_code == 404
    assert leader.get(reverse("submissions:attachment", args=[b_file.pk])).status_code == 404
    for name in ("submissions:submit", "submissions:withdraw", "submissions:attachment_upload"):
        assert leader.post(reverse(name, args=[world.item_b.pk])).status_code == 404
    world.item_b.refresh_from_db()
    assert world.item_b.status == Submission.Status.SUBMITTED


# --- lists ---------------------------------------------------------------------------------------


def test_mine_lists_status_deadline_agency_and_answer_date(login, world):
    leader_b = login(world.users["commune_leader_b"])
    response = leader_b.get(reverse("submissions:mine"))
    page = response.content.decode()
    assert world.item_b.title in page and world.item_published.title in page
    assert world.item_a.title not in page  # commune A's
    assert world.agency_y.name in page  # the published answer's agency
    published = world.item_published.answers.get().published_at
    assert timezone.localdate(published).strftime("%d/%m/%Y") in page
    assert "Đã trả lời – đúng hạn" in page
    # Filters.
    page = leader_b.get(reverse("submissions:mine"), {"status": "submitted"}).content.decode()
    assert world.item_b.title in page and world.item_published.title not in page
    assert leader_b.get(reverse("submissions:mine"), {"program": world.program.pk}).status_code == 200


def test_mine_is_for_commune_leaders_only(login, world):
    for role in (Role.ORGANIZER, Role.AGENCY_OFFICER, Role.SUPERVISOR, Role.STANDING_COMMITTEE, Role.ADMIN):
        assert login(world.users[role]).get(reverse("submissions:mine")).status_code == 403


def test_unpublished_answer_not_counted_for_the_commune(login, world):
    """The commune's list says "answered" only once it can read the answer, as the item page does."""
    answer = workflow.save_answer_draft(
        Answer(submission=world.item_a, agency=world.agency_x, text="Sở đã khảo sát."),
        by=world.users[Role.AGENCY_OFFICER],
    )
    workflow.submit_answer(answer, by=world.users[Role.AGENCY_OFFICER])
    page = login(world.users[Role.COMMUNE_LEADER]).get(reverse("submissions:mine")).content.decode()
    assert "Chưa trả lời – trong hạn" in page
    assert "Sở đã khảo sát." not in page


def test_program_tab_for_each_role(login, world):
    url = reverse("submissions:program_items", args=[world.program.pk])
    leader = login(world.users[Role.COMMUNE_LEADER])
    page = leader.get(url).content.decode()
    assert "Gửi câu hỏi, đề xuất, kiến nghị" in page and reverse("submissions:create", args=[world.program.pk]) in page
    assert world.item_a.title in page and world.item_b.title not in page
    response = login(world.users[Role.ORGANIZER]).get(url)
    assert response.status_code == 302 and response["Location"] == reverse(
        "submissions:triage", args=[world.program.pk]
    )
    officer = login(world.users[Role.AGENCY_OFFICER]).get(url).content.decode()
    assert world.item_a.title in officer and world.item_b.title not in officer
    assert "Gửi câu hỏi, đề xuất, kiến nghị</a>" not in officer
    supervisor = login(world.users[Role.SUPERVISOR]).get(url).content.decode()
    assert world.item_published.title in supervisor and world.item_b.title not in supervisor
    standing = login(world.users[Role.STANDING_COMMITTEE]).get(url, {"status": "routed"}).content.decode()
    assert world.item_a.title in standing and world.item_b.title not in standing


def test_window_closed_on_the_tab(leader, world):
    close_window(world.program)
    page = leader.get(reverse("submissions:program_items", args=[world.program.pk])).content.decode()
    assert "từ 01/06/2023 đến 20/07/2023" in page
    assert reverse("submissions:create", args=[world.program.pk]) not in page


def _items_of(world, commune, leader):
    field = Field.objects.get(code="ha-tang-giao-thong")

    def add(n: int) -> None:
        for i in range(n):
            item = workflow.save_draft(
                Submission(
                    program=world.program,
                    kind="question",
                    field=field,
                    title=f"Câu hỏi số {i}",
                    content="Nội dung.",
                    commune=commune,
                ),
                by=leader,
            )
            if i % 2:
                item = workflow.submit(item, by=leader)
                if i % 4 == 1:
                    workflow.route(item, lead_agency=world.agency_x, working_days=5, by=world.users[Role.ORGANIZER])

    return add


def test_mine_keeps_a_constant_query_count(leader, world):
    add = _items_of(world, world.commune_a, world.users[Role.COMMUNE_LEADER])
    assert_constant_queries(leader, reverse("submissions:mine"), add, few=1, many=12)


def test_commune_tab_keeps_a_constant_query_count(leader, world):
    add = _items_of(world, world.commune_a, world.users[Role.COMMUNE_LEADER])
    url = reverse("submissions:program_items", args=[world.program.pk])
    assert_constant_queries(leader, url, add, few=1, many=12)


def test_readonly_tab_keeps_a_constant_query_count(login, world):
    standing = login(world.users[Role.STANDING_COMMITTEE])
    add = _items_of(world, world.commune_b, world.users["commune_leader_b"])
    url = reverse("submissions:program_items", args=[world.program.pk])
    assert_constant_queries(standing, url, add, few=2, many=12)


# --- phone layout --------------------------------------------------------------------------------


@pytest.fixture
def phone(browser):
    """A 390px-wide page in the session's headless Chromium."""
    context = browser.new_context(
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
    )
    yield context.new_page()
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_create_form_is_one_column_on_a_phone(phone, live_server, world):
    from tests.conftest import PASSWORD
    from tests.e2e.conftest import SCREENSHOTS

    page = phone
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(world.users[Role.COMMUNE_LEADER].username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(live_server.url + create_url(world))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "intake-create-phone.png"), full_page=True)
    # Nothing wider than the screen, and every control in one column, nearly full width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    controls = ("#id_title", "#id_content", "#id_field", "#id_topic_group", "#id_location", "#id_files")
    boxes = [page.locator(selector).bounding_box() for selector in controls]
    assert len({round(box["x"]) for box in boxes}) == 1
    assert all(box["width"] > 300 for box in boxes)
    # The two buttons: stacked, full width, thumb-sized.
    buttons = [page.get_by_role("button", name=name, exact=True).bounding_box() for name in ("Lưu nháp", "Gửi")]
    assert all(box["height"] >= 44 and box["width"] > 300 for box in buttons)
    assert buttons[0]["y"] < buttons[1]["y"]
    # The kind radios are large enough to tap.
    assert page.get_by_label("Đề xuất", exact=True).bounding_box()["height"] >= 20
