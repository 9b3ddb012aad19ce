"""The delegates pages: the list and its filters, the import through the pages, forum assignment
by rule and by hand with the balance, a commune leader's own page (another commune's is a 404),
confirm / excuse / substitute through POST, and the reminder source for late communes."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from directory.models import ActionLog, Role
from programs import delegates
from programs.models import Delegate, DelegateImport, DelegatePost, Program, Seat
from programs.obligations import unconfirmed_delegates
from tests.helpers import assert_constant_queries

pytestmark = pytest.mark.django_db
P = DelegatePost
BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def program(world):
    """The world's program moved a month ahead (confirmation is open), with its seats and one
    delegate per seat of commune A, none yet for commune B."""
    today = timezone.localdate()
    program = world.program
    program.start_date, program.end_date = today + datetime.timedelta(days=30), today + datetime.timedelta(days=31)
    program.delegates_confirm_by = today + datetime.timedelta(days=20)
    program.save()
    organizer = world.users[Role.ORGANIZER]
    delegates.generate_seats(program, by=organizer)
    for seat in Seat.objects.filter(program=program, commune=world.commune_a):
        person = Delegate(program=program, commune=world.commune_a, full_name=f"Người Giữ {seat.get_post_display()}")
        delegates.save_delegate(person, by=organizer, seats=[seat])
    return program


def login(client, world, role):
    client.force_login(world.users[role], backend=BACKEND)
    return client


def seat(world, commune, post):
    return Seat.objects.select_related("delegate").get(program=world.program, commune=commune, post=post)


def test_the_list_counts_and_filters(client, world, program):
    delegates.save_delegate(
        Delegate(program=program, kind=Delegate.Kind.GUEST, full_name="Đặng Thị Khách", organization="Báo Nghệ An"),
        by=world.users[Role.ORGANIZER],
    )
    page = login(client, world, Role.ORGANIZER).get(reverse("programs:delegates", args=[program.pk]))
    assert page.status_code == 200
    assert page.context["counts"]["seats"] == {"expected": 6, "filled": 3, "confirmed": 0, "excused": 0}
    assert page.context["counts"]["people"]["guests"] == 1
    text = page.content.decode()
    assert "Tạo danh sách suất đại biểu" in text and "Đặng Thị Khách" in text
    url = reverse("programs:delegates", args=[program.pk])
    found = client.get(url, {"q": "dang thi khach"}).context["page"].object_list
    assert [d.full_name for d in found] == ["Đặng Thị Khách"]
    by_post = client.get(url, {"post": P.COUNCIL_CHAIR}).context["page"].object_list
    assert [d.full_name for d in by_post] == ["Người Giữ Chủ tịch HĐND"]
    by_commune = client.get(url, {"commune": world.commune_a.pk}).context["page"].paginator.count
    assert by_commune == 3


def test_the_list_keeps_its_query_count(client, world, program):
    login(client, world, Role.ORGANIZER)
    counter = iter(range(10_000))

    def add(n):
        Delegate.objects.bulk_create(
            Delegate(program=program, commune=world.commune_b, full_name=f"Đại Biểu {next(counter)}", forum=world.forum)
            for _ in range(n)
        )

    assert_constant_queries(client, reverse("programs:delegates", args=[program.pk]), add)


def test_readers_cannot_change_the_list(client, world, program):
    login(client, world, Role.STANDING_COMMITTEE)
    url = reverse("programs:delegates", args=[program.pk])
    page = client.get(url).content.decode()
    assert "Tạo danh sách suất đại biểu" not in page
    assert client.post(url, {"action": "generate"}).status_code == 403


def test_generate_seats_and_the_deadline_from_the_list(client, world):
    login(client, world, Role.ORGANIZER)
    url = reverse("programs:delegates", args=[world.program.pk])
    client.post(url, {"action": "generate"})
    assert Seat.objects.filter(program=world.program).count() == 6
    client.post(url, {"action": "deadline", "delegates_confirm_by": "25/07/2023"})
    world.program.refresh_from_db()
    assert world.program.delegates_confirm_by == datetime.date(2023, 7, 25)
    logged = ActionLog.objects.get(verb="delegates.confirm_deadline", target_id=str(world.program.pk))
    assert logged.changes["new"] == "2023-07-25" and logged.actor == world.users[Role.ORGANIZER]
    refused = client.post(url, {"action": "deadline", "delegates_confirm_by": "25/09/2023"})
    assert "Hạn xác nhận phải trước khi chương trình kết thúc." in refused.content.decode()


def test_add_a_guest_and_a_commune_delegate_by_hand(client, world, program):
    login(client, world, Role.ORGANIZER)
    url = reverse("programs:delegate_add", args=[program.pk])
    client.post(url, {"kind": "guest", "full_name": "Võ Văn Khách", "organization": "Đài PT-TH tỉnh"})
    assert Delegate.objects.filter(program=program, kind="guest", full_name="Võ Văn Khách").exists()
    missing = client.post(url, {"kind": "commune", "full_name": "Ai Đó"})
    assert "Đại biểu cấp xã cần chọn xã, phường, thị trấn." in missing.content.decode()
    client.post(
        url,
        {
            "kind": "commune",
            "full_name": "Lê Văn Hai Chức",
            "commune": world.commune_b.pk,
            "posts": [P.PARTY_SECRETARY, P.COUNCIL_CHAIR],
        },
    )
    person = Delegate.objects.get(full_name="Lê Văn Hai Chức")
    assert person.title == "Bí thư Đảng ủy, Chủ tịch HĐND Nghi Đức" and person.seats.count() == 2
    edit = reverse("programs:delegate_edit", args=[program.pk, person.pk])
    assert sorted(client.get(edit).context["form"].initial["posts"]) == sorted([P.PARTY_SECRETARY, P.COUNCIL_CHAIR])


def xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        ["STT", "Họ và tên", "Chức vụ", "Xã/phường/thị trấn", "Huyện/thị xã/thành phố", "Điện thoại", "Ghi chú"]
    )
    for number, row in enumerate(rows, start=1):
        sheet.append([number, *row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, program, content):
    file = SimpleUploadedFile("Danh sách Nghi Lộc.xlsx", content)
    response = client.post(reverse("programs:delegate_import", args=[program.pk]), {"file": file})
    assert response.status_code == 302, response.content.decode()[:2000]
    return DelegateImport.objects.filter(program=program).latest("id"), response["Location"]


def test_import_through_the_pages(client, world, program):
    login(client, world, Role.ORGANIZER)
    bad, location = upload(
        client, program, xlsx([("Nguyễn Văn Bê", "Bí thư", "Nghi Đứcc"), ("Lê Thị Xê", "CT UBND", "Nghi Đức")])
    )
    preview = client.get(location).content.decode()
    assert "Dòng 2, cột D (Xã/phường/thị trấn): không tìm thấy “Nghi Đứcc” trong các xã của chương trình" in preview
    assert 'disabled aria-disabled="true">Xác nhận nhập' in preview
    refused = client.post(reverse("programs:delegate_import_apply", args=[program.pk, bad.pk]), follow=True)
    assert "Tệp còn lỗi" in refused.content.decode()
    assert not Delegate.objects.filter(full_name="Lê Thị Xê").exists()

    good, location = upload(
        client, program, xlsx([("Nguyễn Văn Bê", "Bí thư", "Nghi Đức"), ("Lê Thị Xê", "CT UBND", "Nghi Đức")])
    )
    page = client.get(location).content.decode()
    assert "Thêm mới" in page and "disabled" not in page.split("Xác nhận nhập")[0][-80:]
    done = client.post(reverse("programs:delegate_import_apply", args=[program.pk, good.pk]))
    assert done.status_code == 302
    assert seat(world, world.commune_b, P.COMMITTEE_CHAIR).delegate.full_name == "Lê Thị Xê"
    listing = client.get(reverse("programs:delegate_import", args=[program.pk])).content.decode()
    assert "Đã nhập" in listing and "Có lỗi, chưa nhập" in listing


def test_the_template_and_the_export_download(client, world, program):
    login(client, world, Role.ORGANIZER)
    template = client.get(reverse("programs:delegate_template", args=[program.pk]))
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxmlformats")
    export = client.get(reverse("programs:delegate_export", args=[program.pk]))
    assert export.status_code == 200 and "filename" in export["Content-Disposition"]


def test_forums_by_rule_by_hand_and_the_balance(client, world, program):
    world.forum.capacity = 2
    world.forum.save()
    login(client, world, Role.ORGANIZER)
    url = reverse("programs:delegate_forums", args=[program.pk])
    client.post(
        url, {"action": "rule", "rule": "district", f"map_{world.district.pk}": world.forum.pk, "only_unassigned": "on"}
    )
    assert Delegate.objects.filter(program=program, forum=world.forum).count() == 3
    page = client.get(url)
    balance = {row["forum"]: row for row in page.context["balance"]}
    assert balance[world.forum]["count"] == 3 and balance[world.forum]["over"]
    assert "Vượt sức chứa" in page.content.decode()
    one = seat(world, world.commune_a, P.PARTY_SECRETARY).delegate
    client.post(url, {"action": "manual", "delegates": [one.pk], "forum": "none"})
    one.refresh_from_db()
    assert one.forum is None
    client.post(url, {"action": "rule", "rule": "post", f"map_{P.PARTY_SECRETARY}": world.forum.pk})
    balance = {row["forum"]: row["count"] for row in delegates.forum_balance(program)}
    assert balance[world.forum] == 3 and balance[None] == 0
    # Readers see the balance but cannot assign.
    login(client, world, Role.SUPERVISOR)
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "manual", "delegates": [one.pk], "forum": "none"}).status_code == 403


def test_the_commune_leader_sees_and_confirms_only_their_commune(client, world, program):
    login(client, world, Role.COMMUNE_LEADER)
    assert client.get(reverse("programs:delegates", args=[program.pk]))["Location"] == reverse(
        "programs:commune_delegates", args=[program.pk]
    )
    page = client.get(reverse("programs:commune_delegates", args=[program.pk]))
    assert page.context["commune"] == world.commune_a
    text = page.content.decode()
    assert "Người Giữ Bí thư Đảng ủy" in text and world.commune_b.name not in text
    other = reverse("programs:commune_delegates", args=[program.pk]) + f"?commune={world.commune_b.pk}"
    assert client.get(other).status_code == 404
    seat_b = seat(world, world.commune_b, P.PARTY_SECRETARY)
    for name in ("programs:delegate_confirm", "programs:delegate_excuse", "programs:seat_substitute"):
        response = client.post(reverse(name, args=[program.pk, seat_b.pk]), {"full_name": "X", "reason": "Y"})
        assert response.status_code == 404, name
    assert not Delegate.objects.filter(program=program, commune=world.commune_b).exists()

    secretary = seat(world, world.commune_a, P.PARTY_SECRETARY)
    client.post(reverse("programs:delegate_confirm", args=[program.pk, secretary.pk]))
    assert seat(world, world.commune_a, P.PARTY_SECRETARY).delegate.status == Delegate.Status.CONFIRMED

    council = seat(world, world.commune_a, P.COUNCIL_CHAIR)
    no_reason = client.post(
        reverse("programs:delegate_excuse", args=[program.pk, council.pk]), {"reason": ""}, follow=True
    )
    assert "Hãy ghi lý do vắng mặt." in no_reason.content.decode()
    client.post(reverse("programs:delegate_excuse", args=[program.pk, council.pk]), {"reason": "Ốm"})
    assert seat(world, world.commune_a, P.COUNCIL_CHAIR).delegate.status == Delegate.Status.EXCUSED

    chair = seat(world, world.commune_a, P.COMMITTEE_CHAIR)
    holder = chair.delegate.full_name
    client.post(
        reverse("programs:seat_substitute", args=[program.pk, chair.pk]),
        {"full_name": "Phó Chủ Tịch Dự Thay", "phone": "0912 345 678", "reason": "Chủ tịch đi công tác"},
    )
    deputy = seat(world, world.commune_a, P.COMMITTEE_CHAIR).delegate
    assert deputy.full_name == "Phó Chủ Tịch Dự Thay" and deputy.substitute_for == holder
    assert deputy.phone == "0912345678" and deputy.substitute_reason == "Chủ tịch đi công tác"


def test_organizers_open_any_commune_and_fill_an_empty_seat(client, world, program):
    login(client, world, Role.ORGANIZER)
    url = reverse("programs:commune_delegates", args=[program.pk])
    picker = client.get(url)
    assert picker.context["commune"] is None and world.commune_b.name in picker.content.decode()
    page = client.get(url, {"commune": world.commune_b.pk})
    assert page.context["commune"] == world.commune_b and page.context["may_confirm"]
    empty = seat(world, world.commune_b, P.PARTY_SECRETARY)
    client.post(reverse("programs:seat_substitute", args=[program.pk, empty.pk]), {"full_name": "Trần Văn Mới"})
    filled = seat(world, world.commune_b, P.PARTY_SECRETARY).delegate
    assert filled.full_name == "Trần Văn Mới" and not filled.substitute_reason
    # The Standing Committee reads a commune's page but cannot act.
    login(client, world, Role.STANDING_COMMITTEE)
    assert not client.get(url, {"commune": world.commune_b.pk}).context["may_confirm"]
    assert client.post(reverse("programs:delegate_confirm", args=[program.pk, empty.pk])).status_code == 403


def test_confirming_after_the_program_is_refused(client, world, program):
    program.start_date = program.end_date = timezone.localdate() - datetime.timedelta(days=1)
    program.save()
    login(client, world, Role.COMMUNE_LEADER)
    secretary = seat(world, world.commune_a, P.PARTY_SECRETARY)
    response = client.post(reverse("programs:delegate_confirm", args=[program.pk, secretary.pk]), follow=True)
    assert "Chương trình đã diễn ra" in response.content.decode()


def test_the_reminder_source_names_late_communes(world, program):
    organizer = world.users[Role.ORGANIZER]
    deadline = program.delegates_confirm_by
    assert list(unconfirmed_delegates(deadline - datetime.timedelta(days=1))) == []
    owed = {o.units: o for o in unconfirmed_delegates(deadline)}
    assert set(owed) == {(world.commune_a.pk,), (world.commune_b.pk,)}
    late = owed[(world.commune_a.pk,)]
    assert late.deadline == deadline and late.escalate_to == (program.standing_agency_id,)
    assert late.key == f"programs.delegates:{program.pk}:{world.commune_a.pk}"
    assert late.url.endswith(f"?commune={world.commune_a.pk}") and late.province_id == program.province_id
    for s in Seat.objects.filter(program=program, commune=world.commune_a).select_related("delegate"):
        s.delegate.program = program
        delegates.confirm(s.delegate, by=organizer)
    assert [o.units for o in unconfirmed_delegates(None)] == [(world.commune_b.pk,)]
    Program.objects.filter(pk=program.pk).update(status=Program.Status.HELD)
    assert list(unconfirmed_delegates(None)) == []


def test_the_forums_page_keeps_its_query_count(client, world, program):
    login(client, world, Role.ORGANIZER)
    counter = iter(range(10_000))

    def add(n):
        Delegate.objects.bulk_create(
            Delegate(program=program, commune=world.commune_b, full_name=f"Đại Biểu {next(counter)}", forum=world.forum)
            for _ in range(n)
        )

    assert_constant_queries(client, reverse("programs:delegate_forums", args=[program.pk]), add)


def test_a_wrong_or_oversized_file_is_refused_and_nothing_is_kept(client, world, program, settings):
    login(client, world, Role.ORGANIZER)
    url = reverse("programs:delegate_import", args=[program.pk])
    pdf = SimpleUploadedFile("Danh sách.xlsx", b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    page = client.post(url, {"file": pdf}).content.decode()
    assert "Hãy chọn tệp Excel (.xlsx)." in page
    settings.DIALOGUE_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("Danh sách lớn.xlsx", xlsx([("Nguyễn Văn Bê", "Bí thư", "Nghi Đức")]) + b"\0" * 1_100_000)
    page = client.post(url, {"file": big}).content.decode()
    assert "Tệp quá lớn: tối đa 1 MB." in page
    assert not DelegateImport.objects.filter(program=program).exists()
