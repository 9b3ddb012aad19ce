"""The roadmap pages: filters, fixed query counts, the task form, who may change what, the
action log, attachments checked by content, the Excel export, htmx rows and the timeline."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from directory.models import ActionLog, Role
from programs import roadmap_timeline
from programs.models import RoadmapTask, TaskAttachment
from tests.factories import AgencyFactory, CommitteeMemberFactory, RoadmapTaskFactory
from tests.helpers import assert_constant_queries

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
SOON = TODAY + datetime.timedelta(days=10)
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def organizer(login, world):
    return login(world.users[Role.ORGANIZER])


@pytest.fixture
def officer(login, world):
    return login(world.users[Role.AGENCY_OFFICER])


def roadmap_url(w, name="programs:roadmap"):
    return reverse(name, args=[w.program.pk])


def task_url(w, task, name="programs:task_detail"):
    return reverse(name, args=[w.program.pk, task.pk])


def listed_titles(response) -> set[str]:
    return {task.title for task in response.context["page"]}


# --- list and filters ----------------------------------------------------------------------------


def test_list_shows_columns_and_overdue_as_text(organizer, world):
    response = organizer.get(roadmap_url(world))
    assert response.status_code == 200
    page = response.content.decode()
    # The world's tasks were due in 2023 and are not done: shown as "Quá hạn", in words.
    assert "Quá hạn" in page
    assert world.task_x.title in page and world.agency_x.name in page
    assert "20/07/2023" in page and "01/06/2023" in page
    assert 'hx-post="' in page and 'hx-target="closest tr"' in page


def test_filters(organizer, world):
    member = world.member_x
    on_time = RoadmapTaskFactory(
        program=world.program,
        assignee_member=member,
        title="Trang trí khánh tiết hội trường",
        category="decoration",
        start_date=TODAY,
        due_date=SOON,
        status="in_progress",
    )
    done = RoadmapTaskFactory(
        program=world.program,
        assignee_agency=world.agency_y,
        title="In tài liệu đại biểu",
        category="content",
        status="done",
        completed_on=TODAY,
    )
    url = roadmap_url(world)
    everything = {world.task_x.title, world.task_y.title, on_time.title, done.title}
    assert listed_titles(organizer.get(url)) == everything
    assert listed_titles(organizer.get(url, {"status": "overdue"})) == {world.task_x.title, world.task_y.title}
    assert listed_titles(organizer.get(url, {"status": "in_progress"})) == {on_time.title}
    assert listed_titles(organizer.get(url, {"status": "done"})) == {done.title}
    # Not started, but past due: shown (and filtered) as overdue, not as "not started".
    assert listed_titles(organizer.get(url, {"status": "not_started"})) == set()
    assert listed_titles(organizer.get(url, {"agency": world.agency_y.pk})) == {world.task_y.title, done.title}
    assert listed_titles(organizer.get(url, {"member": member.pk})) == {on_time.title}
    assert listed_titles(organizer.get(url, {"category": "decoration"})) == {on_time.title}
    assert listed_titles(organizer.get(url, {"q": "khánh tiết"})) == {on_time.title}
    assert listed_titles(organizer.get(url, {"q": "luồng", "status": "overdue"})) == {world.task_x.title}
    # A bad filter value filters nothing rather than failing.
    assert listed_titles(organizer.get(url, {"status": "xyz"})) == everything


def test_agency_officer_sees_only_its_agency(officer, world):
    mine = RoadmapTaskFactory(program=world.program, assignee_member=world.member_x, title="Việc giao cá nhân")
    world.member_x.user = world.users[Role.AGENCY_OFFICER]
    world.member_x.save()
    response = officer.get(roadmap_url(world))
    assert listed_titles(response) == {world.task_x.title, mine.title}
    assert world.agency_y.name not in response.content.decode()  # not even in the filter's choices
    timeline = officer.get(roadmap_url(world, "programs:roadmap_timeline")).content.decode()
    assert world.task_x.title in timeline and world.task_y.title not in timeline


def test_commune_leader_is_refused(login, world):
    client = login(world.users[Role.COMMUNE_LEADER])
    for name in ("programs:roadmap", "programs:roadmap_timeline", "programs:roadmap_export"):
        assert client.get(roadmap_url(world, name)).status_code == 403


@pytest.mark.parametrize("name", ["programs:roadmap", "programs:roadmap_timeline"])
@pytest.mark.parametrize("role", [Role.ORGANIZER, Role.AGENCY_OFFICER])
def test_constant_queries(login, world, name, role):
    client = login(world.users[role])

    def add(n):
        members = CommitteeMemberFactory.create_batch(2, program=world.program, agency=world.agency_x)
        for i in range(n):
            RoadmapTaskFactory(
                program=world.program,
                assignee_agency=world.agency_x if i % 2 else AgencyFactory(province=world.province),
                assignee_member=members[i % 2],
                category=RoadmapTask.Category.values[i % len(RoadmapTask.Category.values)],
                status=RoadmapTask.Status.values[i % 3],
                completed_on=TODAY if i % 3 == 2 else None,
                start_date=TODAY - datetime.timedelta(days=30 + i),
                due_date=TODAY + datetime.timedelta(days=i % 20 - 5),
            )

    assert_constant_queries(client, roadmap_url(world, name), add)


def test_constant_queries_with_filters(organizer, world):
    url = roadmap_url(world) + f"?agency={world.agency_x.pk}&status=overdue&q=a"

    def add(n):
        RoadmapTaskFactory.create_batch(n, program=world.program, assignee_agency=world.agency_x, title="Việc a")

    assert_constant_queries(organizer, url, add)


def test_list_is_paginated(organizer, world):
    RoadmapTaskFactory.create_batch(60, program=world.program, assignee_agency=world.agency_x)
    response = organizer.get(roadmap_url(world))
    assert len(response.context["page"].object_list) == 50
    assert "Trang 1/2" in response.content.decode()


# --- the task form -------------------------------------------------------------------------------


def task_data(w, **overrides):
    data = {
        "title": "Chuẩn bị hội trường",
        "category": "logistics",
        "assignee_member": w.member_x.pk,
        "assignee_agency": w.agency_x.pk,
        "start_date": "01/07/2023",
        "due_date": "25/07/2023",
        "status": "not_started",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_create_task(organizer, world):
    response = organizer.post(roadmap_url(world, "programs:task_add"), task_data(world))
    task = RoadmapTask.objects.get(title="Chuẩn bị hội trường")
    assert response.status_code == 302
    assert response["Location"] == task_url(world, task)
    assert task.start_date == datetime.date(2023, 7, 1) and task.due_date == datetime.date(2023, 7, 25)
    assert task.program == world.program


def test_due_before_start_is_refused_and_nothing_saved(organizer, world):
    before = RoadmapTask.objects.count()
    response = organizer.post(
        roadmap_url(world, "programs:task_add"), task_data(world, start_date="20/07/2023", due_date="10/07/2023")
    )
    assert response.status_code == 200
    assert "Hạn hoàn thành không được trước ngày bắt đầu." in response.content.decode()
    assert RoadmapTask.objects.count() == before

    response = organizer.post(
        task_url(world, world.task_x, "programs:task_edit"),
        task_data(world, title="Đổi tên", start_date="20/07/2023", due_date="10/07/2023"),
    )
    assert "Hạn hoàn thành không được trước ngày bắt đầu." in response.content.decode()
    world.task_x.refresh_from_db()
    assert world.task_x.title == "Phân luồng giao thông"


def test_task_needs_an_assignee(organizer, world):
    response = organizer.post(
        roadmap_url(world, "programs:task_add"), task_data(world, assignee_member="", assignee_agency="")
    )
    assert "Hãy giao nhiệm vụ cho một thành viên Ban tổ chức hoặc một cơ quan." in response.content.decode()
    assert not RoadmapTask.objects.filter(title="Chuẩn bị hội trường").exists()


def test_member_of_another_program_is_refused(organizer, world):
    stranger = CommitteeMemberFactory(program=world.other_program, agency=world.agency_x)
    response = organizer.post(roadmap_url(world, "programs:task_add"), task_data(world, assignee_member=stranger.pk))
    assert response.status_code == 200
    assert not RoadmapTask.objects.filter(title="Chuẩn bị hội trường").exists()


def test_status_changed_in_the_form_is_logged(organizer, world):
    organizer.post(task_url(world, world.task_x, "programs:task_edit"), task_data(world, status="done"))
    world.task_x.refresh_from_db()
    assert world.task_x.status == "done" and world.task_x.completed_on == TODAY
    log = ActionLog.objects.get(verb="task.status", target_id=str(world.task_x.pk))
    assert log.changes == {"old": "not_started", "new": "done"}


def test_agency_officer_cannot_open_the_form(officer, world):
    assert officer.get(task_url(world, world.task_x, "programs:task_edit")).status_code == 403
    assert officer.get(task_url(world, world.task_y, "programs:task_edit")).status_code == 404


# --- quick status change -------------------------------------------------------------------------


def test_officer_updates_own_task_not_another_agency(officer, world):
    response = officer.post(task_url(world, world.task_y, "programs:task_status"), {"status": "done"})
    assert response.status_code == 404
    world.task_y.refresh_from_db()
    assert world.task_y.status == "not_started"

    response = officer.post(task_url(world, world.task_x, "programs:task_status"), {"status": "in_progress"})
    assert response.status_code == 302
    world.task_x.refresh_from_db()
    assert world.task_x.status == "in_progress"


def test_status_change_writes_the_action_log(officer, world):
    officer.post(task_url(world, world.task_x, "programs:task_status"), {"status": "done"})
    log = ActionLog.objects.get(verb="task.status", target_id=str(world.task_x.pk))
    assert log.actor == world.users[Role.AGENCY_OFFICER]
    assert log.changes == {"old": "not_started", "new": "done"}
    page = officer.get(task_url(world, world.task_x)).content.decode()
    assert "Cập nhật tiến độ nhiệm vụ" in page  # the log's entry on the task page
    assert "<del>Chưa thực hiện</del> → Đã hoàn thành" in page  # history in words, not codes


def test_status_change_returns_to_the_filtered_list(officer, world):
    back = roadmap_url(world) + "?status=overdue"
    response = officer.post(task_url(world, world.task_x, "programs:task_status"), {"status": "done", "next": back})
    assert response["Location"] == back
    response = officer.post(
        task_url(world, world.task_x, "programs:task_status"), {"status": "done", "next": "https://example.com/"}
    )
    assert response["Location"] == task_url(world, world.task_x)


def test_bad_status_is_refused(officer, world):
    response = officer.post(task_url(world, world.task_x, "programs:task_status"), {"status": "xong"}, follow=True)
    assert "Trạng thái không hợp lệ." in response.content.decode()
    world.task_x.refresh_from_db()
    assert world.task_x.status == "not_started"
    assert not ActionLog.objects.filter(verb="task.status").exists()


def test_htmx_answers_with_the_row(officer, world):
    response = officer.post(
        task_url(world, world.task_x, "programs:task_status"),
        {"status": "done", "next": roadmap_url(world)},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="task-{world.task_x.pk}"')
    assert "<html" not in html
    assert "Đã hoàn thành" in html and "Đã lưu" in html
    assert 'hx-post="' in html and "csrfmiddlewaretoken" in html


def test_htmx_error_stays_in_the_row(officer, world):
    response = officer.post(
        task_url(world, world.task_x, "programs:task_status"), {"status": "xong"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


# --- the task page and attachments ---------------------------------------------------------------


def test_task_page_shows_history(organizer, world):
    organizer.post(task_url(world, world.task_x, "programs:task_edit"), task_data(world, title="Phân luồng xe"))
    page = organizer.get(task_url(world, world.task_x)).content.decode()
    assert "Lịch sử thay đổi" in page
    assert "Phân luồng xe" in page


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_attachment_accepted_and_downloaded(officer, world):
    response = officer.post(
        task_url(world, world.task_x, "programs:task_upload"), {"file": upload("Biên bản họp.pdf", PDF)}
    )
    assert response.status_code == 302
    attachment = TaskAttachment.objects.get(task=world.task_x)
    assert attachment.original_name == "Biên bản họp.pdf"
    assert attachment.content_type == "application/pdf"
    assert "Biên bản" not in attachment.file.name  # stored under a random name
    assert ActionLog.objects.filter(verb="task.attach", target_id=str(world.task_x.pk)).exists()

    url = reverse("programs:task_file", args=[world.program.pk, world.task_x.pk, attachment.pk])
    assert url in officer.get(task_url(world, world.task_x)).content.decode()
    response = officer.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PDF
    response.close()


def test_attachment_refused_by_content(officer, world):
    response = officer.post(
        task_url(world, world.task_x, "programs:task_upload"),
        {"file": upload("Quyết định.pdf", b"MZ\x90\x00" + b"\x00" * 100)},
    )
    assert response.status_code == 200
    assert "Loại tệp không được phép: chỉ nhận PDF, DOCX, XLSX, JPG, PNG" in response.content.decode()
    assert not TaskAttachment.objects.exists()


def test_attachment_of_another_agency_is_not_found(officer, world, login):
    other = login(world.users["agency_officer_y"])
    other.post(task_url(world, world.task_y, "programs:task_upload"), {"file": upload("y.pdf", PDF)})
    attachment = TaskAttachment.objects.get(task=world.task_y)
    officer = login(world.users[Role.AGENCY_OFFICER])
    assert (
        officer.post(task_url(world, world.task_y, "programs:task_upload"), {"file": upload("x.pdf", PDF)}).status_code
        == 404
    )
    # Even with its own task in the URL, another task's file id is a 404.
    url = reverse("programs:task_file", args=[world.program.pk, world.task_x.pk, attachment.pk])
    assert officer.get(url).status_code == 404


# --- Excel ---------------------------------------------------------------------------------------


def test_excel_export(organizer, world):
    response = organizer.get(roadmap_url(world, "programs:roadmap_export"), {"agency": world.agency_x.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == f"Lộ trình chuẩn bị – {world.program.title}"
    headers = [cell.value for cell in sheet[3]]
    assert headers[:8] == [
        "STT",
        "Nhiệm vụ",
        "Nhóm việc",
        "Cơ quan thực hiện",
        "Thành viên phụ trách",
        "Ngày bắt đầu",
        "Hạn hoàn thành",
        "Trạng thái",
    ]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert len(rows) == 1  # the filter applies to the export
    assert rows[0][1] == "Phân luồng giao thông"
    assert rows[0][5] == datetime.datetime(2023, 6, 1)  # a real date, not text
    assert sheet.cell(row=4, column=6).number_format == "dd/mm/yyyy"
    assert rows[0][7] == "Quá hạn"


# --- timeline ------------------------------------------------------------------------------------


def test_timeline_page(organizer, world):
    response = organizer.get(roadmap_url(world, "programs:roadmap_timeline"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Hậu cần" in page  # grouped by category
    assert "tl-overdue" in page and "Quá hạn" in page
    assert "Xem dạng bảng" in page


def test_timeline_layout():
    monday = datetime.date(2023, 6, 5)
    tasks = [
        RoadmapTask(
            pk=1, title="A", category="content", start_date=monday, due_date=monday + datetime.timedelta(days=6)
        ),
        RoadmapTask(
            pk=2,
            title="B",
            category="logistics",
            start_date=monday + datetime.timedelta(days=7),
            due_date=monday + datetime.timedelta(days=13),
            status="done",
        ),
        RoadmapTask(
            pk=3, title="C", category="content", start_date=monday, due_date=monday + datetime.timedelta(days=2)
        ),
    ]
    chart = roadmap_timeline.build(
        tasks, today=monday + datetime.timedelta(days=3), event=(monday + datetime.timedelta(days=22),) * 2
    )
    assert chart.first == monday and chart.last == monday + datetime.timedelta(days=27)
    assert chart.week_count == 4
    assert [week.has_today for week in chart.weeks] == [True, False, False, False]
    assert [week.has_event for week in chart.weeks] == [False, False, False, True]
    assert [group.label for group in chart.groups] == ["Nội dung", "Hậu cần"]
    first, second = chart.groups[0].bars
    assert (first.task.title, first.left, first.width) == ("C", "0.0000", "10.7143")
    assert second.state == roadmap_timeline.State.NOT_STARTED
    done = chart.groups[1].bars[0]
    assert (done.left, done.width, done.state) == ("25.0000", "25.0000", "done")
    assert chart.today.left == "10.7143"
    assert chart.event.left == "78.5714"
    late = roadmap_timeline.build(tasks, today=monday + datetime.timedelta(days=5))
    assert late.groups[0].bars[0].state == roadmap_timeline.State.OVERDUE
    assert roadmap_timeline.build([], today=monday) is None
