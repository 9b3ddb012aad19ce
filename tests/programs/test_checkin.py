"""The door and the attendance (issue 7, items 6–7): search without diacritics, a scan recorded
once (a repeated scan says when the delegate came in, two door staff at once record one
check-in, through the view, on PostgreSQL), undo by an organizer with a reason, the counts equal
to the lists, constant queries, and the Excel export."""

import datetime
import io
import json
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from directory.models import ActionLog, Role
from programs import checkin, delegates
from programs.models import CheckIn, Delegate, DelegatePost, Forum, Seat
from tests.helpers import assert_constant_queries

pytestmark = pytest.mark.django_db
BACKEND = "django.contrib.auth.backends.ModelBackend"
P = DelegatePost


def login(client, user):
    client.force_login(user, backend=BACKEND)
    return client


@pytest.fixture
def organizer(world):
    return world.users[Role.ORGANIZER]


@pytest.fixture
def people(world, organizer):
    """Commune A: Nguyễn Văn An (secretary and council chair) and Trần Thị Bình (committee chair);
    commune B: Lê Văn Cường (secretary); a guest from the provincial newspaper."""
    program = world.program
    delegates.generate_seats(program, by=organizer)
    seats = {(s.commune_id, s.post): s for s in Seat.objects.filter(program=program)}
    a = world.commune_a.pk

    def add(name, commune, posts, **fields):
        person = Delegate(program=program, commune=commune, full_name=name, **fields)
        return delegates.save_delegate(person, by=organizer, seats=[seats[(commune.pk, p)] for p in posts])

    return {
        "an": add("Nguyễn Văn An", world.commune_a, [P.PARTY_SECRETARY, P.COUNCIL_CHAIR], forum=world.forum),
        "binh": add("Trần Thị Bình", world.commune_a, [P.COMMITTEE_CHAIR], status=Delegate.Status.CONFIRMED),
        "cuong": add("Lê Văn Cường", world.commune_b, [P.PARTY_SECRETARY], status=Delegate.Status.EXCUSED),
        "guest": delegates.save_delegate(
            Delegate(program=program, kind="guest", full_name="Hồ Thị Dung", organization="Báo Nghệ An"),
            by=organizer,
        ),
        "seat_a": seats[(a, P.PARTY_SECRETARY)],
    }


def url(name, world, *args):
    return reverse(f"programs:{name}", args=[world.program.pk, *args])


# --- search --------------------------------------------------------------------------------------


def test_search_without_diacritics(world, people):
    program = world.program
    names = lambda query: [d.full_name for d in checkin.find_delegates(program, query)]  # noqa: E731
    assert names("nguyen van an") == ["Nguyễn Văn An"]
    assert names("NGHI PHU") == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert names("nghi phu binh") == ["Trần Thị Bình"]
    assert names("nghi loc cuong") == ["Lê Văn Cường"]  # the district
    assert names("bao nghe an") == ["Hồ Thị Dung"]  # the organization
    assert names("Hoà") == [] and names("  ") == [] and names("nguyen xyz") == []
    # Best matches first: the typed words together, then words found apart ("an" in "Văn").
    Delegate.objects.create(program=program, commune=world.commune_a, full_name="Lê Văn Tuấn")
    assert names("van an") == ["Nguyễn Văn An", "Lê Văn Cường", "Lê Văn Tuấn"]
    assert names("nguyen van an") == ["Nguyễn Văn An"]
    # A badge's token finds its one delegate; an id does not.
    assert names(people["binh"].token) == ["Trần Thị Bình"]
    assert names(str(people["binh"].pk)) == []
    # Another program's delegate is not found through this one.
    Delegate.objects.create(program=world.other_program, kind="guest", full_name="Nguyễn Văn An Hà Tĩnh")
    assert names("nguyen van an") == ["Nguyễn Văn An"]


def test_search_through_the_page_and_the_fragment(client, world, people, organizer):
    login(client, organizer)
    fragment = client.get(url("checkin_search", world), {"q": "nguyen van an"})
    text = fragment.content.decode()
    assert "Nguyễn Văn An" in text and "Trần Thị Bình" not in text
    assert url("checkin_do", world, people["an"].pk) in text and "<html" not in text
    # Without JavaScript the page itself answers ?q=.
    page = client.get(url("checkin", world), {"q": "nghi phu"}).content.decode()
    assert "Trần Thị Bình" in page and "Quét mã QR" in page and "BarcodeDetector" not in page
    assert 'src="/static/js/checkin.js"' in page
    assert (
        "Không tìm thấy đại biểu nào" in client.get(url("checkin_search", world), {"q": "khong co ai"}).content.decode()
    )


# --- check-in ------------------------------------------------------------------------------------


def scan(client, world, token, json_answer=True):
    headers = {"HTTP_ACCEPT": "application/json"} if json_answer else {}
    return client.post(url("checkin_scan", world), {"token": token}, **headers)


def test_a_scan_checks_in_once_and_a_repeat_says_when(client, world, people, organizer):
    login(client, organizer)
    an = people["an"]
    first = scan(client, world, an.token).json()
    assert first["status"] == "checked_in" and first["name"] == "Nguyễn Văn An"
    assert first["present"] == 1 and first["total"] == 4
    entry = CheckIn.objects.get(delegate=an)
    at = timezone.localtime(entry.at).strftime("%H:%M")
    assert first["message"] == f"Đã điểm danh Nguyễn Văn An lúc {at}."
    again = scan(client, world, an.token).json()
    assert again["status"] == "already" and again["message"] == f"Nguyễn Văn An đã điểm danh lúc {at}."
    assert CheckIn.objects.filter(delegate=an).count() == 1
    assert ActionLog.objects.filter(verb="delegate.check_in", target_id=str(an.pk)).count() == 1
    # The search shows it, with the time.
    text = client.get(url("checkin_search", world), {"q": "nguyen van an"}).content.decode()
    assert f"Đã điểm danh lúc {at}" in text and url("checkin_do", world, an.pk) not in text


def test_a_repeat_names_the_time_of_the_first_check_in(client, world, people, organizer):
    """ "Already checked in at 07:42": the time of day in Vietnam, whatever the server's clock."""
    login(client, organizer)
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    delegates.check_in(people["binh"], by=organizer, at=datetime.datetime.combine(today, datetime.time(7, 42), tz))
    answer = scan(client, world, people["binh"].token).json()
    assert answer == {
        "status": "already",
        "message": "Trần Thị Bình đã điểm danh lúc 07:42.",
        "name": "Trần Thị Bình",
        "at": "07:42",
        "present": 1,
        "total": 4,
    }
    # An htmx click on "Điểm danh" answers with the row, the count out of band.
    row = client.post(url("checkin_do", world, people["binh"].pk), HTTP_HX_REQUEST="true").content.decode()
    assert "Trần Thị Bình đã điểm danh lúc 07:42." in row and "Đã điểm danh lúc 07:42" in row
    assert 'id="checkin-count" class="text-end lh-sm" hx-swap-oob="true"' in row
    # Without JavaScript: back to the page with a message.
    plain = client.post(url("checkin_do", world, people["binh"].pk), {"q": "binh"}, follow=True)
    assert plain.redirect_chain[-1][0] == url("checkin", world) + "?q=binh"
    assert "Trần Thị Bình đã điểm danh lúc 07:42." in plain.content.decode()


def test_an_unknown_badge_is_refused(client, world, people, organizer):
    login(client, organizer)
    other = Delegate.objects.create(program=world.other_program, kind="guest", full_name="Khách Hà Tĩnh")
    for token in ("khong-phai-ma-the-1234567", other.token, str(people["an"].pk), ""):
        answer = scan(client, world, token).json()
        assert answer["status"] == "unknown" and "Không nhận ra thẻ này" in answer["message"]
    assert not CheckIn.objects.exists()
    assert (
        "Không nhận ra thẻ này" in client.post(url("checkin_scan", world), {"token": "x"}, follow=True).content.decode()
    )
    # A delegate of another program through this program's URL: not found.
    assert client.post(url("checkin_do", world, other.pk)).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_two_door_staff_at_once_through_the_view_record_one(world):
    person = Delegate.objects.create(program=world.program, commune=world.commune_a, full_name="Đặng Văn Hải")
    target = url("checkin_do", world, person.pk)
    barrier = threading.Barrier(2)
    answers = []

    def press(user):
        try:
            client = login(Client(), user)
            barrier.wait()
            answers.append(client.post(target, HTTP_ACCEPT="application/json"))
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(world.users[r],)) for r in (Role.ORGANIZER, Role.ADMIN)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a.status_code for a in answers] == [200, 200]
    assert sorted(json.loads(a.content)["status"] for a in answers) == ["already", "checked_in"]
    assert CheckIn.objects.filter(delegate=person).count() == 1
    assert ActionLog.objects.filter(verb="delegate.check_in", target_id=str(person.pk)).count() == 1


def test_undo_by_an_organizer_with_a_reason_is_audited(client, world, people, organizer):
    an = people["an"]
    entry, _created = delegates.check_in(an, by=organizer)
    undo = url("checkin_undo", world, entry.pk)
    # Read-only roles may not; commune leaders and agency officers neither.
    for role in (Role.STANDING_COMMITTEE, Role.SUPERVISOR, Role.COMMUNE_LEADER, Role.AGENCY_OFFICER):
        assert login(Client(), world.users[role]).post(undo, {"reason": "Nhầm"}).status_code == 403
    login(client, organizer)
    refused = client.post(undo, {"reason": "  "}, HTTP_HX_REQUEST="true").content.decode()
    assert "Hãy ghi lý do hủy điểm danh." in refused
    entry.refresh_from_db()
    assert entry.undone_at is None
    done = client.post(undo, {"reason": "Quét nhầm thẻ"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Đã hủy lượt điểm danh" in done and url("checkin_do", world, an.pk) in done
    entry.refresh_from_db()
    assert entry.undone_by == organizer and entry.undo_reason == "Quét nhầm thẻ"
    log = ActionLog.objects.get(verb="delegate.check_in_undo", target_id=str(an.pk))
    assert log.actor == organizer and log.changes["reason"] == "Quét nhầm thẻ"
    # Undone twice: refused; checked in again: a second row, one active.
    assert "đã được hủy" in client.post(undo, {"reason": "Lần nữa"}, HTTP_HX_REQUEST="true").content.decode()
    assert scan(client, world, an.token).json()["status"] == "checked_in"
    assert CheckIn.objects.filter(delegate=an).count() == 2
    assert CheckIn.objects.filter(delegate=an, undone_at__isnull=True).count() == 1
    # A check-in of another program through this one: not found.
    other = Delegate.objects.create(program=world.other_program, kind="guest", full_name="Khách Hà Tĩnh")
    foreign, _ = delegates.check_in(other, by=world.users[Role.ADMIN])
    assert client.post(url("checkin_undo", world, foreign.pk), {"reason": "x"}).status_code == 404


# --- attendance ----------------------------------------------------------------------------------


def test_attendance_counts_equal_the_lists(client, world, people, organizer):
    program = world.program
    delegates.check_in(people["an"], by=organizer)
    delegates.check_in(people["guest"], by=organizer)
    undone, _ = delegates.check_in(people["cuong"], by=organizer)
    delegates.undo_check_in(undone, by=organizer, reason="Nhầm")
    figures = checkin.attendance(program)
    assert (figures.total.expected, figures.total.present, figures.total.absent) == (4, 2, 2)
    assert (figures.total.confirmed, figures.total.excused) == (1, 1)
    assert (figures.commune_delegates.expected, figures.commune_delegates.present) == (3, 1)
    assert (figures.guests.expected, figures.guests.present) == (1, 1)
    absent = list(checkin.absent_delegates(program))
    assert [d.full_name for d in absent] == ["Trần Thị Bình", "Lê Văn Cường"]
    assert len(absent) == figures.total.absent
    present = CheckIn.objects.filter(delegate__program=program, undone_at__isnull=True).count()
    assert present == figures.total.present
    [district] = figures.districts
    assert district.name == "Huyện Nghi Lộc" and (district.tally.expected, district.tally.present) == (3, 1)
    communes = {c.name: (c.tally.expected, c.tally.present) for c in district.communes}
    assert communes == {"Xã Nghi Phú": (2, 1), "Xã Nghi Đức": (1, 0)}
    posts = {p.post: (p.seats, p.filled, p.confirmed, p.present) for p in figures.posts}
    assert posts == {
        P.PARTY_SECRETARY: (2, 2, 0, 1),
        P.COUNCIL_CHAIR: (2, 1, 0, 1),  # the same person holds two posts
        P.COMMITTEE_CHAIR: (2, 1, 1, 0),
    }
    forums = {(f.title if f else None): (t.expected, t.present) for f, t in figures.forums}
    assert forums == {world.forum.title: (1, 1), None: (3, 1)}
    assert sum(t.expected for _f, t in figures.forums) == figures.total.expected
    # The page shows the same, for every reader; the district filter narrows the list.
    page = login(client, world.users[Role.SUPERVISOR]).get(url("attendance", world))
    assert page.status_code == 200 and page.context["figures"].total.present == 2
    text = page.content.decode()
    assert "Trần Thị Bình" in text and "Lê Văn Cường" in text and 'hx-trigger="every 30s"' in text
    assert "Trang điểm danh" not in text  # the supervisor does not work the door
    live = client.get(url("attendance", world), HTTP_HX_REQUEST="true").content.decode()
    assert live.lstrip().startswith('<div id="attendance-live">')
    other = client.get(url("attendance", world), {"huyen": world.district.pk + 999}).context["district"]
    assert other is None


def test_search_and_attendance_keep_their_query_counts(client, world, people, organizer):
    login(client, organizer)
    program = world.program
    forum2 = Forum.objects.create(
        program=program,
        title="Diễn đàn kinh tế",
        starts_at=world.forum.starts_at,
        ends_at=world.forum.ends_at,
        chair=world.head,
        topic_group=world.topic_group,
    )
    made = []

    def add(n):
        for _ in range(n):
            i = len(made)
            commune = world.commune_a if i % 2 else world.commune_b
            person = Delegate.objects.create(
                program=program, commune=commune, full_name=f"Nguyễn Văn Phụ {i}", forum=[world.forum, forum2][i % 2]
            )
            made.append(person)
            if i % 3:
                delegates.check_in(person, by=organizer)

    search = url("checkin_search", world) + "?q=nguyen+van"
    queries = assert_constant_queries(client, search, add, few=1, many=19)
    assert queries <= 6, queries
    assert assert_constant_queries(client, url("attendance", world), add, few=1, many=30) <= 12


def test_excel_export_of_attendance(client, world, people, organizer):
    tz = timezone.get_current_timezone()
    delegates.check_in(people["an"], by=organizer, at=datetime.datetime(2023, 8, 3, 7, 42, tzinfo=tz))
    login(client, world.users[Role.STANDING_COMMITTEE])
    response = client.get(url("attendance_export", world))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    assert rows[0] == [
        "STT",
        "Họ và tên",
        "Chức vụ",
        "Xã/phường/thị trấn",
        "Huyện/thị xã/thành phố",
        "Diễn đàn",
        "Xác nhận",
        "Có mặt",
        "Giờ điểm danh",
    ]
    by_name = {row[1]: row for row in rows[1:]}
    assert set(by_name) == {"Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Hồ Thị Dung"}
    an = by_name["Nguyễn Văn An"]
    assert an[3:9] == ["Xã Nghi Phú", "Huyện Nghi Lộc", world.forum.title, "Chưa xác nhận", "Có", "07:42 03/08/2023"]
    assert by_name["Lê Văn Cường"][6:8] == ["Báo vắng", "Không"]
    assert by_name["Hồ Thị Dung"][3] == "Báo Nghệ An"
    absent = load_workbook(io.BytesIO(client.get(url("attendance_export", world), {"vang": "1"}).content)).active
    names = [row[1].value for row in absent.iter_rows(min_row=4)]
    assert sorted(names) == sorted(["Trần Thị Bình", "Lê Văn Cường", "Hồ Thị Dung"])
