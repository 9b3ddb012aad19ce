"""The agenda: the page by day, adding and editing sessions with Vietnamese validation, the
printable programme (PDF) and the iCalendar export read back."""

import datetime
import io
import re
import unicodedata
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from pypdf import PdfReader

from directory.models import Role
from programs import ical
from programs.models import AgendaSession, Forum
from tests.helpers import assert_constant_queries

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def as_user(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def session_data(**overrides):
    data = {
        "kind": "flower_ceremony",
        "title": "Dâng hoa tưởng niệm Chủ tịch Hồ Chí Minh",
        "day": "03/08/2023",
        "start_time": "06:30",
        "end_time": "07:30",
        "place": "Quảng trường Hồ Chí Minh, thành phố Vinh",
        "chair": "Thường trực Tỉnh ủy",
        "presenters": "",
    }
    data.update(overrides)
    return data


def errors_of(response) -> str:
    return unicodedata.normalize("NFC", response.content.decode())


# --- the page ---------------------------------------------------------------------------------


def test_agenda_groups_sessions_by_day_for_every_reader(client, world):
    AgendaSession.objects.create(
        program=world.program,
        kind="study_session",
        title="Học tập, quán triệt chuyên đề",
        starts_at=datetime.datetime(2023, 8, 3, 14, 0, tzinfo=HCM),
        ends_at=datetime.datetime(2023, 8, 3, 15, 30, tzinfo=HCM),
        place="Nhà Văn hóa Lao động tỉnh",
        chair="Thường trực Tỉnh ủy",
        presenters="Báo cáo viên Trung ương",
    )
    as_user(client, world.users[Role.COMMUNE_LEADER])
    page = client.get(reverse("programs:agenda", args=[world.program.pk])).content.decode()
    thursday, friday = page.index("Thứ Năm, 03/08/2023"), page.index("Thứ Sáu, 04/08/2023")
    study, plenary = page.index("Học tập, quán triệt chuyên đề"), page.index("Gặp mặt, đối thoại")
    assert thursday < study < friday < plenary
    assert "14:00 – 15:30" in page and "07:30 – 11:30" in page
    assert "Học tập, quán triệt" in page and "Báo cáo viên Trung ương" in page and "Thường trực Tỉnh ủy" in page
    assert reverse("programs:session_add", args=[world.program.pk]) not in page  # no edit controls
    assert reverse("programs:programme_pdf", args=[world.program.pk]) in page


def test_managers_see_edit_controls(client, world):
    as_user(client, world.users[Role.ORGANIZER])
    page = client.get(reverse("programs:agenda", args=[world.program.pk])).content.decode()
    assert reverse("programs:session_add", args=[world.program.pk]) in page
    assert reverse("programs:session_edit", args=[world.program.pk, world.session.pk]) in page


def test_forums_session_lists_the_days_forums(client, world):
    AgendaSession.objects.create(
        program=world.program,
        kind="forums",
        title="Ba diễn đàn thảo luận",
        starts_at=datetime.datetime(2023, 8, 3, 14, 0, tzinfo=HCM),
        ends_at=datetime.datetime(2023, 8, 3, 17, 0, tzinfo=HCM),
        place="Nhà Văn hóa Lao động tỉnh",
    )
    as_user(client, world.users[Role.AGENCY_OFFICER])
    page = client.get(reverse("programs:agenda", args=[world.program.pk])).content.decode()
    assert reverse("programs:forum_detail", args=[world.program.pk, world.forum.pk]) in page
    assert "Diễn đàn xây dựng Đảng" in page


def test_agenda_query_count_does_not_grow_with_sessions(client, world):
    as_user(client, world.users[Role.ORGANIZER])

    def add(n):
        for i in range(n):
            start = datetime.datetime(2023, 8, 3 + i % 2, 7, 0, tzinfo=HCM) + datetime.timedelta(minutes=5 * i)
            AgendaSession.objects.create(
                program=world.program,
                kind="forums" if i % 3 == 0 else "speeches",
                title=f"Hoạt động {i}",
                starts_at=start,
                ends_at=start + datetime.timedelta(minutes=30),
                place="Hội trường",
            )
            Forum.objects.create(
                program=world.program,
                title=f"Diễn đàn {i}",
                topic_group=world.topic_group,
                chair=world.member_x,
                room="Phòng họp",
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=2),
            )

    assert_constant_queries(client, reverse("programs:agenda", args=[world.program.pk]), add, few=1, many=30)


# --- adding and editing -------------------------------------------------------------------------


def test_organizer_adds_a_session_in_local_time(client, world):
    as_user(client, world.users[Role.ORGANIZER])
    response = client.post(reverse("programs:session_add", args=[world.program.pk]), session_data())
    session = AgendaSession.objects.get(title="Dâng hoa tưởng niệm Chủ tịch Hồ Chí Minh")
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:agenda", args=[world.program.pk]) + f"#session-{session.pk}"
    # 06:30 in Vinh is 23:30 UTC the day before.
    assert session.starts_at == datetime.datetime(2023, 8, 2, 23, 30, tzinfo=datetime.UTC)
    assert session.ends_at.astimezone(HCM).time() == datetime.time(7, 30)
    assert session.program == world.program


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"day": "05/08/2023"},
            "Hoạt động phải diễn ra trong thời gian của chương trình (03/08/2023 – 04/08/2023).",
        ),
        (
            {"day": "02/08/2023"},
            "Hoạt động phải diễn ra trong thời gian của chương trình (03/08/2023 – 04/08/2023).",
        ),
        ({"start_time": "08:00", "end_time": "07:30"}, "Giờ kết thúc phải sau giờ bắt đầu."),
        ({"start_time": "08:00", "end_time": "08:00"}, "Giờ kết thúc phải sau giờ bắt đầu."),
        ({"day": "08/31/2023"}, "Nhập ngày theo dạng dd/mm/yyyy, ví dụ 03/08/2023."),  # month first is not a date here
        ({"start_time": "25:00"}, "Nhập giờ theo dạng hh:mm, ví dụ 07:30."),
        ({"title": ""}, "Trường này là bắt buộc."),
    ],
)
def test_bad_session_input_is_refused_and_nothing_saved(client, world, overrides, message):
    as_user(client, world.users[Role.ORGANIZER])
    before = AgendaSession.objects.count()
    response = client.post(reverse("programs:session_add", args=[world.program.pk]), session_data(**overrides))
    assert response.status_code == 200
    assert message in errors_of(response)
    assert AgendaSession.objects.count() == before


def test_editing_keeps_the_session_when_refused(client, world):
    as_user(client, world.users[Role.ORGANIZER])
    url = reverse("programs:session_edit", args=[world.program.pk, world.session.pk])
    form = client.get(url).content.decode()
    assert 'value="04/08/2023"' in form and 'value="07:30"' in form and 'value="11:30"' in form
    response = client.post(url, session_data(day="10/08/2023", title="Đổi tên"))
    assert "Hoạt động phải diễn ra trong thời gian của chương trình" in errors_of(response)
    world.session.refresh_from_db()
    assert world.session.title == "Gặp mặt, đối thoại"
    assert world.session.starts_at == datetime.datetime(2023, 8, 4, 7, 30, tzinfo=HCM)

    client.post(url, session_data(day="04/08/2023", start_time="08:00", end_time="11:00", kind="plenary"))
    world.session.refresh_from_db()
    assert world.session.starts_at == datetime.datetime(2023, 8, 4, 8, 0, tzinfo=HCM)
    assert world.session.kind == "plenary"


def test_organizer_deletes_a_session(client, world):
    as_user(client, world.users[Role.ORGANIZER])
    response = client.post(reverse("programs:session_delete", args=[world.program.pk, world.session.pk]))
    assert response.status_code == 302
    assert not AgendaSession.objects.filter(pk=world.session.pk).exists()


def test_another_programs_session_is_not_reachable(client, world):
    as_user(client, world.users[Role.ADMIN])
    url = reverse("programs:session_delete", args=[world.other_program.pk, world.session.pk])
    assert client.post(url).status_code == 404
    assert AgendaSession.objects.filter(pk=world.session.pk).exists()


# --- programme PDF --------------------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def test_programme_pdf_in_the_official_frame(client, world):
    AgendaSession.objects.create(
        program=world.program,
        kind="flower_ceremony",
        title="Dâng hoa tưởng niệm Chủ tịch Hồ Chí Minh",
        starts_at=datetime.datetime(2023, 8, 3, 6, 30, tzinfo=HCM),
        ends_at=datetime.datetime(2023, 8, 3, 7, 30, tzinfo=HCM),
        place="Quảng trường Hồ Chí Minh",
        chair="Thường trực Tỉnh ủy",
        presenters="Đồng chí Bí thư Tỉnh ủy",
    )
    as_user(client, world.users[Role.COMMUNE_LEADER])
    response = client.get(reverse("programs:programme_pdf", args=[world.program.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in [
        "TỈNH ỦY NGHỆ AN",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "CHƯƠNG TRÌNH",
        "gặp mặt, đối thoại năm 2023",
        "Chủ đề: “Đoàn kết - Dân chủ - Sáng tạo - Phát triển”",
        "Thứ Năm, 03/08/2023",
        "Thứ Sáu, 04/08/2023",
        "06:30 – 07:30",
        "Dâng hoa tưởng niệm Chủ tịch Hồ Chí Minh",
        "Quảng trường Hồ Chí Minh",
        "Chủ trì: Thường trực Tỉnh ủy",
        "Trình bày: Đồng chí Bí thư Tỉnh ủy",
        "Gặp mặt, đối thoại",
        "Nhà Văn hóa Lao động tỉnh",
    ]:
        assert expected in text, expected
    assert text.index("Thứ Năm, 03/08/2023") < text.index("Dâng hoa") < text.index("Thứ Sáu, 04/08/2023")


# --- iCalendar --------------------------------------------------------------------------------------


def parse_ics(data: bytes) -> tuple[dict[str, str], list[dict[str, str]]]:
    """A reader written from RFC 5545, independent of the writer: unfold, split, unescape."""
    text = data.decode("utf-8")
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", ""), "every line ends in CRLF"
    lines = text.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")[:-1]
    calendar, events, current = {}, [], None
    for line in lines:
        name, _, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            current[name] = value
        else:
            calendar[name] = value
    return calendar, events


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def test_ics_export_reads_back(client, world):
    tricky = AgendaSession.objects.create(
        program=world.program,
        kind="flower_ceremony",
        title="Dâng hoa tưởng niệm Chủ tịch Hồ Chí Minh; lễ chào cờ, ôn truyền thống " * 2,
        starts_at=datetime.datetime(2023, 8, 3, 6, 30, tzinfo=HCM),
        ends_at=datetime.datetime(2023, 8, 3, 7, 30, tzinfo=HCM),
        place="Quảng trường Hồ Chí Minh, thành phố Vinh",
        chair="Thường trực Tỉnh ủy",
        presenters="Đồng chí Bí thư\nĐồng chí Phó Bí thư",
    )
    as_user(client, world.users[Role.COMMUNE_LEADER])
    response = client.get(reverse("programs:agenda_ics", args=[world.program.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    data = response.content
    for physical in data.split(b"\r\n"):
        assert len(physical) <= 75, physical
        physical.decode("utf-8")  # no line cut inside a character
    calendar, events = parse_ics(data)
    assert calendar["BEGIN"] == "VCALENDAR" and calendar["VERSION"] == "2.0" and calendar["PRODID"]
    assert [e["UID"] for e in events] == [f"session-{tricky.pk}@doithoai", f"session-{world.session.pk}@doithoai"]
    first, plenary = events
    assert first["DTSTART"] == "20230802T233000Z" and first["DTEND"] == "20230803T003000Z"
    assert plenary["DTSTART"] == "20230804T003000Z" and plenary["DTEND"] == "20230804T043000Z"
    assert re.fullmatch(r"\d{8}T\d{6}Z", first["DTSTAMP"])
    assert unescape(first["SUMMARY"]) == tricky.title
    assert "\\;" in first["SUMMARY"] and "\\," in first["LOCATION"]
    assert unescape(first["LOCATION"]) == "Quảng trường Hồ Chí Minh, thành phố Vinh"
    description = unescape(first["DESCRIPTION"])
    assert "Loại hoạt động: Lễ dâng hoa\nChủ trì: Thường trực Tỉnh ủy" in description
    assert "Đồng chí Bí thư; Đồng chí Phó Bí thư" in description
    assert first["URL"].endswith(reverse("programs:agenda", args=[world.program.pk]))


def test_ics_uid_is_stable_across_edits(client, world):
    as_user(client, world.users[Role.ORGANIZER])
    url = reverse("programs:agenda_ics", args=[world.program.pk])
    before = parse_ics(client.get(url).content)[1][0]["UID"]
    world.session.title = "Gặp mặt, đối thoại (đã dời giờ)"
    world.session.save()
    after = parse_ics(client.get(url).content)[1][0]
    assert after["UID"] == before and unescape(after["SUMMARY"]) == "Gặp mặt, đối thoại (đã dời giờ)"


def test_fold_counts_octets_not_characters():
    line = "SUMMARY:" + "Đối thoại " * 30
    folded = ical.fold(line)
    pieces = folded.encode("utf-8").split(b"\r\n")
    assert all(len(p) <= 75 for p in pieces)
    assert all(p.startswith(b" ") for p in pieces[1:])
    assert folded.replace("\r\n ", "") == line
    assert ical.fold("UID:short") == "UID:short"


def test_escape_text_and_naive_times():
    assert ical.escape_text("a\\b;c,d\ne") == "a\\\\b\\;c\\,d\\ne"
    with pytest.raises(ValueError):
        ical.utc_stamp(datetime.datetime(2023, 8, 3, 7, 0))
