"""Topic groups, forums with people from the program's own committee, the notes recorded
during a forum, and the consolidated report read back from its PDF."""

import datetime
import io
import re
import unicodedata
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from pypdf import PdfReader

from directory.models import ActionLog, Role
from programs.models import CommitteeMember, Forum, ForumNote, TopicGroup
from tests.factories import CommitteeMemberFactory
from tests.helpers import assert_constant_queries, count_queries

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NOT_IN_COMMITTEE = "Người chủ trì phải là thành viên Ban tổ chức của chương trình."


def as_user(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def page_text(response) -> str:
    return unicodedata.normalize("NFC", response.content.decode())


def forum_data(w, **overrides):
    data = {
        "title": "Diễn đàn về phát triển kinh tế - xã hội, quốc phòng - an ninh",
        "topic_group": w.topic_group.pk,
        "chair": w.head.pk,
        "co_chairs": [w.member_x.pk],
        "rapporteur": w.member_x.pk,
        "room": "Phòng họp số 2",
        "capacity": "400",
        "day": "03/08/2023",
        "start_time": "15:45",
        "end_time": "17:45",
    }
    data.update(overrides)
    return data


@pytest.fixture
def outsider(world):
    """A member of the other province's program committee."""
    return CommitteeMemberFactory(program=world.other_program, agency=world.agency_y, full_name="Trần Văn Ngoài")


# --- topic groups ---------------------------------------------------------------------------------


def test_topic_groups_added_edited_and_kept_unique(client, world):
    as_user(client, world.users[Role.ORGANIZER])
    add = reverse("programs:topic_add", args=[world.program.pk])
    response = client.post(add, {"name": "Nắm bắt tâm tư,  nguyện vọng của Nhân dân", "order": 3})
    assert response.status_code == 302
    group = world.program.topic_groups.get(order=3)
    assert group.name == "Nắm bắt tâm tư, nguyện vọng của Nhân dân"
    response = client.post(add, {"name": "công tác xây dựng đảng", "order": 4})
    assert "Chương trình đã có nhóm vấn đề này." in page_text(response)
    assert world.program.topic_groups.count() == 2
    client.post(reverse("programs:topic_edit", args=[world.program.pk, group.pk]), {"name": "Tâm tư", "order": 2})
    group.refresh_from_db()
    assert group.name == "Tâm tư" and group.order == 2
    listing = page_text(client.get(reverse("programs:topic_groups", args=[world.program.pk])))
    assert "Tâm tư" in listing and "Công tác xây dựng Đảng" in listing


def test_a_topic_group_in_use_is_not_deleted(client, world):
    as_user(client, world.users[Role.ORGANIZER])
    response = client.post(reverse("programs:topic_delete", args=[world.program.pk, world.topic_group.pk]), follow=True)
    assert "Nhóm vấn đề đang được dùng cho diễn đàn “Diễn đàn xây dựng Đảng”" in page_text(response)
    assert TopicGroup.objects.filter(pk=world.topic_group.pk).exists()
    spare = TopicGroup.objects.create(program=world.program, name="Nhóm dự phòng")
    client.post(reverse("programs:topic_delete", args=[world.program.pk, spare.pk]))
    assert not TopicGroup.objects.filter(pk=spare.pk).exists()


# --- forums ---------------------------------------------------------------------------------------


def test_organizer_adds_a_forum_with_committee_members(client, world):
    as_user(client, world.users[Role.ORGANIZER])
    response = client.post(reverse("programs:forum_add", args=[world.program.pk]), forum_data(world))
    forum = Forum.objects.get(title__startswith="Diễn đàn về phát triển")
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:forum_detail", args=[world.program.pk, forum.pk])
    assert forum.chair == world.head and list(forum.co_chairs.all()) == [world.member_x]
    assert forum.rapporteur == world.member_x and forum.capacity == 400
    assert forum.starts_at == datetime.datetime(2023, 8, 3, 15, 45, tzinfo=HCM)
    assert forum.ends_at == datetime.datetime(2023, 8, 3, 10, 45, tzinfo=datetime.UTC)
    assert ActionLog.objects.filter(verb="forum.save", target_id=str(forum.pk)).exists()


def test_forum_form_offers_only_this_committee(client, world, outsider):
    as_user(client, world.users[Role.ORGANIZER])
    form = page_text(client.get(reverse("programs:forum_add", args=[world.program.pk])))
    assert world.member_x.full_name in form and outsider.full_name not in form


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        (lambda w, o: {"chair": o.pk}, NOT_IN_COMMITTEE),
        (lambda w, o: {"chair": 987654}, NOT_IN_COMMITTEE),
        (lambda w, o: {"chair": "abc"}, NOT_IN_COMMITTEE),
        (
            lambda w, o: {"co_chairs": [w.member_x.pk, o.pk]},
            "Người đồng chủ trì phải là thành viên Ban tổ chức của chương trình.",
        ),
        (lambda w, o: {"rapporteur": o.pk}, "Thư ký tổng hợp phải là thành viên Ban tổ chức của chương trình."),
        (lambda w, o: {"co_chairs": [w.head.pk]}, "Người chủ trì không thể đồng thời là đồng chủ trì."),
        (lambda w, o: {"start_time": "17:45", "end_time": "15:45"}, "Giờ kết thúc phải sau giờ bắt đầu."),
        (
            lambda w, o: {"day": "21/07/2023"},
            "Diễn đàn phải diễn ra trong thời gian của chương trình (03/08/2023 – 04/08/2023).",
        ),
        (
            lambda w, o: {"topic_group": TopicGroup.objects.create(program=w.other_program, name="Khác").pk},
            "Nhóm vấn đề phải thuộc chương trình này.",
        ),
    ],
)
def test_bad_forum_input_is_refused_and_nothing_saved(client, world, outsider, overrides, field_message):
    as_user(client, world.users[Role.ORGANIZER])
    forums, logs = Forum.objects.count(), ActionLog.objects.count()
    response = client.post(
        reverse("programs:forum_add", args=[world.program.pk]), forum_data(world, **overrides(world, outsider))
    )
    assert response.status_code == 200
    assert field_message in page_text(response)
    assert Forum.objects.count() == forums and ActionLog.objects.count() == logs


def test_a_refused_edit_changes_nothing(client, world, outsider):
    world.forum.co_chairs.add(world.member_x)
    as_user(client, world.users[Role.ORGANIZER])
    url = reverse("programs:forum_edit", args=[world.program.pk, world.forum.pk])
    form = page_text(client.get(url))
    assert 'value="03/08/2023"' in form and 'value="14:00"' in form and 'value="17:00"' in form
    response = client.post(url, forum_data(world, chair=outsider.pk, co_chairs=[], title="Đổi tên"))
    assert NOT_IN_COMMITTEE in page_text(response)
    world.forum.refresh_from_db()
    assert world.forum.title == "Diễn đàn xây dựng Đảng" and world.forum.chair == world.head
    assert list(world.forum.co_chairs.all()) == [world.member_x]


def test_workflow_refuses_another_committee_too(world, outsider):
    """The rule holds for callers other than the form (imports, the demo seeder)."""
    from django.core.exceptions import ValidationError

    from programs import workflow

    world.forum.chair = outsider
    with pytest.raises(ValidationError) as refused:
        workflow.save_forum(world.forum, [], by=world.users[Role.ORGANIZER])
    assert refused.value.message_dict["chair"] == [NOT_IN_COMMITTEE]
    assert Forum.objects.get(pk=world.forum.pk).chair == world.head


def test_forums_page_shows_each_forum_to_delegates(client, world):
    world.forum.co_chairs.add(world.member_x)
    world.forum.rapporteur = world.member_x
    world.forum.capacity = 350
    world.forum.save()
    ForumNote.objects.create(forum=world.forum, kind="point", speaker="Bí thư xã", content="Phụ cấp cán bộ thôn thấp")
    as_user(client, world.users[Role.COMMUNE_LEADER])
    page = page_text(client.get(reverse("programs:forums", args=[world.program.pk])))
    for text in [
        "Diễn đàn xây dựng Đảng",
        "Công tác xây dựng Đảng",
        world.head.full_name,
        "Lê Văn Giao Thông",
        "Hội trường A",
        "350 chỗ",
        "14:00 – 17:00, Thứ Năm, 03/08/2023",
    ]:
        assert text in page, text
    assert "ý kiến, giải đáp" not in page  # the notes are not counted for delegates
    assert reverse("programs:forum_add", args=[world.program.pk]) not in page


def test_forums_page_query_count_does_not_grow(client, world):
    as_user(client, world.users[Role.SUPERVISOR])

    def add(n):
        for i in range(n):
            group = TopicGroup.objects.create(program=world.program, name=f"Nhóm {TopicGroup.objects.count()}")
            chair = CommitteeMemberFactory(program=world.program, agency=world.agency_x)
            forum = Forum.objects.create(
                program=world.program,
                title=f"Diễn đàn {i}",
                topic_group=group,
                chair=chair,
                rapporteur=world.member_x,
                room="Phòng họp",
                starts_at=datetime.datetime(2023, 8, 3, 14, 0, tzinfo=HCM),
                ends_at=datetime.datetime(2023, 8, 3, 16, 0, tzinfo=HCM),
            )
            forum.co_chairs.add(world.member_x, world.head)
            ForumNote.objects.create(forum=forum, kind="point", speaker="Đại biểu", content="Ý kiến")

    assert_constant_queries(client, reverse("programs:forums", args=[world.program.pk]), add, few=1, many=25)


def test_forum_page_query_count_does_not_grow_with_notes(client, world):
    as_user(client, world.users[Role.STANDING_COMMITTEE])
    world.forum.co_chairs.add(world.member_x)

    def add(n):
        for i in range(n):
            ForumNote.objects.create(
                forum=world.forum,
                kind="answer" if i % 2 else "point",
                speaker=f"Đại biểu {i}",
                content="Nội dung",
                recorded_by=world.users[Role.STANDING_COMMITTEE if i % 2 else Role.ORGANIZER],
            )

    url = reverse("programs:forum_detail", args=[world.program.pk, world.forum.pk])
    assert_constant_queries(client, url, add, few=1, many=30)


def test_an_empty_forum_is_deleted_and_one_with_notes_is_kept(client, world):
    as_user(client, world.users[Role.ORGANIZER])
    ForumNote.objects.create(forum=world.forum, kind="point", speaker="Đại biểu", content="Ý kiến")
    url = reverse("programs:forum_delete", args=[world.program.pk, world.forum.pk])
    assert "Diễn đàn đã có ghi chép ý kiến nên không xóa được." in page_text(client.post(url, follow=True))
    assert Forum.objects.filter(pk=world.forum.pk).exists()
    world.forum.notes.all().delete()
    client.post(url)
    assert not Forum.objects.filter(pk=world.forum.pk).exists()


# --- notes ----------------------------------------------------------------------------------------


@pytest.fixture
def rapporteur(world):
    """The agency officer of X, made the forum's rapporteur through a committee seat."""
    officer = world.users[Role.AGENCY_OFFICER]
    member = CommitteeMember.objects.create(
        program=world.program,
        full_name=officer.full_name,
        user=officer,
        agency=world.agency_x,
        position="Chuyên viên",
        role="secretariat",
    )
    world.forum.rapporteur = member
    world.forum.save()
    return officer


def test_rapporteur_records_points_and_answers(client, world, rapporteur):
    as_user(client, rapporteur)
    url = reverse("programs:note_add", args=[world.program.pk, world.forum.pk])
    detail = reverse("programs:forum_detail", args=[world.program.pk, world.forum.pk])
    response = client.post(
        url,
        {
            "kind": "point",
            "speaker": "Bí thư Đảng ủy xã Nghi Phú",
            "speaker_unit": "huyện Nghi Lộc",
            "content": "Cán bộ không chuyên trách ở xóm kiêm nhiệm nhiều việc, phụ cấp thấp.",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"{detail}#notes"
    client.post(
        url,
        {"kind": "answer", "speaker": "Đại diện Ban Tổ chức Tỉnh ủy", "content": "Tỉnh đang rà soát chế độ phụ cấp."},
    )
    point, answer = world.forum.notes.order_by("id")
    assert point.kind == "point" and point.recorded_by == rapporteur and point.speaker_unit == "huyện Nghi Lộc"
    assert answer.kind == "answer" and answer.recorded_by == rapporteur
    page = page_text(client.get(detail))
    assert "Cán bộ không chuyên trách ở xóm" in page and "Tỉnh đang rà soát chế độ phụ cấp." in page
    assert reverse("programs:note_edit", args=[world.program.pk, world.forum.pk, point.pk]) in page


def test_an_empty_note_is_refused(client, world, rapporteur):
    as_user(client, rapporteur)
    response = client.post(
        reverse("programs:note_add", args=[world.program.pk, world.forum.pk]),
        {"kind": "point", "speaker": "", "content": " "},
    )
    assert response.status_code == 200 and "Trường này là bắt buộc." in page_text(response)
    assert not world.forum.notes.exists()


def test_recorders_change_their_own_notes_only(client, world, rapporteur):
    mine = ForumNote.objects.create(
        forum=world.forum, kind="point", speaker="Đại biểu", content="Bản nháp", recorded_by=rapporteur
    )
    chairs = ForumNote.objects.create(
        forum=world.forum,
        kind="answer",
        speaker="Chủ trì",
        content="Trả lời",
        recorded_by=world.users[Role.STANDING_COMMITTEE],
    )
    as_user(client, rapporteur)
    edit = reverse("programs:note_edit", args=[world.program.pk, world.forum.pk, mine.pk])
    client.post(edit, {"kind": "point", "speaker": "Đại biểu xã Nghi Phú", "content": "Bản đã sửa"})
    mine.refresh_from_db()
    assert mine.content == "Bản đã sửa" and mine.speaker == "Đại biểu xã Nghi Phú"
    other_edit = reverse("programs:note_edit", args=[world.program.pk, world.forum.pk, chairs.pk])
    assert client.get(other_edit).status_code == 403
    delete_other = reverse("programs:note_delete", args=[world.program.pk, world.forum.pk, chairs.pk])
    assert client.post(delete_other).status_code == 403
    assert ForumNote.objects.filter(pk=chairs.pk).exists()
    client.post(reverse("programs:note_delete", args=[world.program.pk, world.forum.pk, mine.pk]))
    assert not ForumNote.objects.filter(pk=mine.pk).exists()
    # A manager may correct anyone's note.
    as_user(client, world.users[Role.ORGANIZER])
    client.post(other_edit, {"kind": "answer", "speaker": "Chủ trì diễn đàn", "content": "Trả lời"})
    chairs.refresh_from_db()
    assert chairs.speaker == "Chủ trì diễn đàn"


def test_a_recorder_of_another_forum_records_nothing_here(client, world, rapporteur):
    other_forum = Forum.objects.create(
        program=world.program,
        title="Diễn đàn khác",
        topic_group=world.topic_group,
        chair=world.member_x,
        room="Phòng 3",
        starts_at=world.forum.starts_at,
        ends_at=world.forum.ends_at,
    )
    as_user(client, rapporteur)
    url = reverse("programs:note_add", args=[world.program.pk, other_forum.pk])
    assert client.post(url, {"kind": "point", "speaker": "A", "content": "B"}).status_code == 403
    assert not other_forum.notes.exists()


def test_chair_writes_the_summary(client, world):
    as_user(client, world.users[Role.STANDING_COMMITTEE])
    url = reverse("programs:forum_summary", args=[world.program.pk, world.forum.pk])
    response = client.post(url, {"summary": "Các ý kiến tập trung vào chế độ cho cán bộ cơ sở."})
    assert response.status_code == 302
    world.forum.refresh_from_db()
    assert world.forum.summary == "Các ý kiến tập trung vào chế độ cho cán bộ cơ sở."


@pytest.mark.parametrize("role", [Role.COMMUNE_LEADER, Role.AGENCY_OFFICER])
def test_delegates_see_the_forum_but_not_the_draft_notes(client, world, role):
    ForumNote.objects.create(forum=world.forum, kind="point", speaker="Đại biểu", content="Ý kiến còn là bản nháp")
    world.forum.summary = "Tóm tắt chưa gửi"
    world.forum.save()
    as_user(client, world.users[role])
    page = page_text(client.get(reverse("programs:forum_detail", args=[world.program.pk, world.forum.pk])))
    assert "Diễn đàn xây dựng Đảng" in page and "Hội trường A" in page
    assert "Ý kiến còn là bản nháp" not in page and "Tóm tắt chưa gửi" not in page
    assert reverse("programs:forum_report", args=[world.program.pk]) in page


def test_internal_readers_see_the_notes(client, world):
    ForumNote.objects.create(forum=world.forum, kind="point", speaker="Đại biểu", content="Ý kiến đã ghi")
    as_user(client, world.users[Role.SUPERVISOR])
    page = page_text(client.get(reverse("programs:forum_detail", args=[world.program.pk, world.forum.pk])))
    assert "Ý kiến đã ghi" in page
    assert reverse("programs:note_add", args=[world.program.pk, world.forum.pk]) not in page  # reads only


# --- the consolidated report ------------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def test_report_pdf_carries_every_forum_for_every_delegate(client, world):
    world.forum.co_chairs.add(world.member_x)
    world.forum.rapporteur = world.member_x
    world.forum.summary = "Các ý kiến tập trung vào chế độ phụ cấp; các sở, ngành đã giải đáp trực tiếp."
    world.forum.save()
    ForumNote.objects.create(
        forum=world.forum,
        kind="point",
        speaker="Bí thư Đảng ủy xã Nghi Phú",
        speaker_unit="huyện Nghi Lộc",
        content="Cán bộ không chuyên trách ở xóm kiêm nhiệm nhiều việc, phụ cấp thấp nên khó giữ người.",
    )
    ForumNote.objects.create(
        forum=world.forum,
        kind="answer",
        speaker="Đại diện Ban Tổ chức Tỉnh ủy",
        content="Tỉnh đang rà soát để tham mưu điều chỉnh chế độ phụ cấp ở thôn, xóm.",
    )
    second_group = TopicGroup.objects.create(program=world.program, name="Tâm tư, nguyện vọng của Nhân dân")
    Forum.objects.create(
        program=world.program,
        title="Diễn đàn về tâm tư, nguyện vọng",
        topic_group=second_group,
        chair=world.member_x,
        room="Phòng họp số 3",
        starts_at=datetime.datetime(2023, 8, 3, 15, 0, tzinfo=HCM),
        ends_at=datetime.datetime(2023, 8, 3, 17, 0, tzinfo=HCM),
    )
    as_user(client, world.users[Role.COMMUNE_LEADER])
    response = client.get(reverse("programs:forum_report", args=[world.program.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in [
        "TỈNH ỦY NGHỆ AN",
        "BAN DÂN VẬN",
        "BÁO CÁO",
        "tổng hợp kết quả các diễn đàn thảo luận tại Chương trình gặp mặt, đối thoại năm 2023",
        "I. DIỄN ĐÀN XÂY DỰNG ĐẢNG",
        f"Chủ trì: đồng chí {world.head.full_name}, Phó Bí thư Tỉnh ủy; đồng chủ trì: đồng chí Lê Văn Giao Thông",
        "Thời gian: từ 14:00 đến 17:00, Thứ Năm, 03/08/2023; địa điểm: Hội trường A.",
        "Bí thư Đảng ủy xã Nghi Phú (huyện Nghi Lộc): Cán bộ không chuyên trách ở xóm kiêm nhiệm nhiều việc",
        "Đại diện Ban Tổ chức Tỉnh ủy: Tỉnh đang rà soát để tham mưu điều chỉnh chế độ phụ cấp ở thôn, xóm.",
        "Các ý kiến tập trung vào chế độ phụ cấp; các sở, ngành đã giải đáp trực tiếp.",
        "II. DIỄN ĐÀN VỀ TÂM TƯ, NGUYỆN VỌNG",
        "Phòng họp số 3",
        "Thường trực Tỉnh ủy (để b/c)",
        "Các đại biểu dự chương trình",
        "TRƯỞNG BAN",
    ]:
        assert expected in text, expected
    assert text.index("Bí thư Đảng ủy xã Nghi Phú") < text.index("II. DIỄN ĐÀN VỀ TÂM TƯ")


def test_report_query_count_does_not_grow(client, world):
    as_user(client, world.users[Role.ORGANIZER])
    url = reverse("programs:forum_report", args=[world.program.pk])
    client.get(url)
    few = count_queries(client, url)
    for i in range(10):
        ForumNote.objects.create(forum=world.forum, kind="point", speaker=f"Đại biểu {i}", content="Ý kiến")
        forum = Forum.objects.create(
            program=world.program,
            title=f"Diễn đàn thêm {i}",
            topic_group=world.topic_group,
            chair=world.member_x,
            rapporteur=world.head,
            room="Phòng",
            starts_at=world.forum.starts_at,
            ends_at=world.forum.ends_at,
        )
        forum.co_chairs.add(world.head)
    assert count_queries(client, url) == few


@pytest.mark.parametrize(
    ("position", "role", "expected"),
    [
        ("Trưởng Ban Dân vận Tỉnh ủy", "standing_deputy", {"title": "TRƯỞNG BAN", "signer": "Cao Thị Minh Tâm"}),
        (
            "Phó Trưởng Ban Dân vận Tỉnh ủy",
            "deputy",
            {"form": "K/T TRƯỞNG BAN", "title": "PHÓ TRƯỞNG BAN", "signer": "Cao Thị Minh Tâm"},
        ),
    ],
)
def test_report_is_signed_by_the_standing_agency(world, position, role, expected):
    from programs.views.forums import report_signature

    CommitteeMemberFactory(
        program=world.program, agency=world.board, full_name="Cao Thị Minh Tâm", position=position, role=role
    )
    CommitteeMemberFactory(program=world.program, agency=world.board, role="secretariat", position="Chuyên viên")
    assert report_signature(world.program) == expected


def test_a_host_that_is_its_own_standing_agency_signs_for_the_standing_board(world):
    from programs.views.forums import report_signature

    CommitteeMemberFactory(
        program=world.other_program, role="head", full_name="Võ Văn Trưởng", position="Phó Bí thư Tỉnh ủy"
    )
    signature = report_signature(world.other_program)
    assert signature["form"] == "T/M BAN THƯỜNG VỤ" and signature["signer"] == "Võ Văn Trưởng"
