"""The notice of conclusions through its pages: the program's "Kết luận" tab, drafting a notice
and its assignments, the steps draft → submitted → approved → issued, the refusal to edit an
issued notice (at the workflow level and through the UI), the correction, and query counts."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from conclusions import workflow
from conclusions.models import Assignment, ConclusionNotice, ReportingCycle
from directory.models import Role
from tests.factories import AgencyFactory, add_assignment, make_notice
from tests.helpers import assert_constant_queries

pytestmark = pytest.mark.django_db

N = ConclusionNotice.Status


def notice_form_data(**overrides) -> dict:
    data = {
        "summary": "kết luận của Thường trực Tỉnh ủy tại Chương trình gặp mặt, đối thoại năm 2023",
        "issuing_body": "TỈNH ỦY NGHỆ AN",
        "place": "Nghệ An",
        "doc_type": "TB",
        "issuer_code": "TU",
        "assessment": "Chương trình diễn ra dân chủ, cởi mở.\r\nCác đại biểu nêu nhiều ý kiến tâm huyết.",
        "key_tasks_intro": "Thường trực Tỉnh ủy đề nghị tập trung:",
        "key_tasks": "1. Nâng cao vai trò lãnh đạo của cấp ủy\r\n\r\n"
        "Đẩy mạnh chuyển đổi số ở cơ sở\r\nGiữ vững ổn định",
        "closing": "",
        "recipients": "Các sở, ban, ngành\r\nLưu Văn phòng Tỉnh ủy",
        "signing_form": "T/L",
        "signing_body": "BAN THƯỜNG VỤ",
        "signer_title": "CHÁNH VĂN PHÒNG",
        "signer_name": "Nguyễn Văn Hành",
    }
    data.update(overrides)
    return data


def assignment_data(w, **overrides) -> dict:
    data = {
        "key_task": "",
        "lead_agency": w.agency_x.pk,
        "coordinating_agencies": [w.agency_y.pk],
        "text": "Rà soát, trả lời kiến nghị về giao thông nông thôn",
        "output": Assignment.Output.ANSWERS,
        "output_detail": "",
        "schedule": Assignment.Schedule.DEADLINE,
        "deadline": "",
        "working_days": "20",
        "cycle": "",
        "report_day": "15",
        "cycle_until": "",
        "submissions": [w.item_a.pk],
    }
    data.update(overrides)
    return data


def page_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- the program's tab -----------------------------------------------------------------------------


def test_tab_lists_drafts_to_organizers_and_only_issued_notices_to_communes(world, login):
    url = reverse("conclusions:notices", args=[world.program.pk])
    page = login(world.users[Role.ORGANIZER]).get(url).content.decode()
    assert "1029-TB/TU" in page
    assert "Dự thảo" in page  # the draft notice
    assert reverse("conclusions:notice_detail", args=[world.draft_notice.pk]) in page
    assert reverse("conclusions:notice_add", args=[world.program.pk]) in page
    assert 'aria-current="page">Kết luận<' in page  # the program's tab is the active one
    assert timezone.localdate().strftime("%d/%m/%Y") in page

    page = login(world.users[Role.COMMUNE_LEADER]).get(url).content.decode()
    assert "1029-TB/TU" in page
    assert reverse("conclusions:notice_detail", args=[world.draft_notice.pk]) not in page
    assert reverse("conclusions:notice_add", args=[world.program.pk]) not in page


def test_tab_has_constant_queries(world, login):
    client = login(world.users[Role.ORGANIZER])
    organizer = world.users[Role.ORGANIZER]

    def add(n):
        for _ in range(n):
            notice = make_notice(world.program, by=organizer)
            add_assignment(notice, world.agency_x, by=organizer)

    assert_constant_queries(client, reverse("conclusions:notices", args=[world.program.pk]), add, few=1, many=6)


def test_detail_has_constant_queries(world, login):
    organizer = world.users[Role.ORGANIZER]
    notice = make_notice(world.program, by=organizer, key_tasks=["Nhiệm vụ một", "Nhiệm vụ hai"])
    task = notice.key_tasks.first()

    def add(n):
        for i in range(n):
            add_assignment(
                notice,
                world.agency_x if i % 2 else world.agency_y,
                by=organizer,
                coordinating=[world.board],
                submissions=[world.item_a, world.item_b],
                key_task=task if i % 2 else None,
            )

    client = login(organizer)
    assert_constant_queries(client, reverse("conclusions:notice_detail", args=[notice.pk]), add, few=1, many=8)


# --- drafting ----------------------------------------------------------------------------------------


def test_organizer_drafts_a_notice_with_ordered_key_tasks(world, login):
    client = login(world.users[Role.ORGANIZER])
    add_url = reverse("conclusions:notice_add", args=[world.program.pk])
    form = client.get(add_url)
    assert "TỈNH ỦY NGHỆ AN" in form.content.decode()  # the defaults are filled in
    response = client.post(add_url, notice_form_data())
    notice = ConclusionNotice.objects.exclude(pk__in=[world.notice.pk, world.draft_notice.pk]).get(
        program=world.program
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("conclusions:notice_detail", args=[notice.pk])
    assert notice.status == N.DRAFT
    assert "Các đại biểu nêu nhiều ý kiến tâm huyết." in notice.assessment
    assert [t.text for t in notice.key_tasks.order_by("order")] == [
        "Nâng cao vai trò lãnh đạo của cấp ủy",
        "Đẩy mạnh chuyển đổi số ở cơ sở",
        "Giữ vững ổn định",
    ]
    page = client.get(response["Location"]).content.decode()
    assert page.index("Nâng cao vai trò") < page.index("Đẩy mạnh chuyển đổi số") < page.index("Giữ vững ổn định")
    assert "Sửa thông báo" in page and "Trình duyệt" in page


def test_multi_line_fields_keep_their_lines(world, login):
    client = login(world.users[Role.ORGANIZER])
    client.post(reverse("conclusions:notice_add", args=[world.program.pk]), notice_form_data())
    notice = ConclusionNotice.objects.filter(program=world.program).order_by("-pk").first()
    assert notice.assessment == "Chương trình diễn ra dân chủ, cởi mở.\nCác đại biểu nêu nhiều ý kiến tâm huyết."
    assert notice.recipient_lines() == ["Các sở, ban, ngành", "Lưu Văn phòng Tỉnh ủy"]


def test_notice_form_shows_field_errors_in_vietnamese(world, login):
    client = login(world.users[Role.ORGANIZER])
    response = client.post(
        reverse("conclusions:notice_add", args=[world.program.pk]), notice_form_data(summary="", signer_name="")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Hãy nhập trích yếu." in page
    assert "Hãy nhập họ tên người ký." in page


def test_edit_a_draft_reorders_key_tasks_and_keeps_assignment_links(world, login):
    organizer = world.users[Role.ORGANIZER]
    notice = make_notice(world.program, by=organizer, key_tasks=["Một", "Hai"])
    second = notice.key_tasks.get(order=2)
    assignment = add_assignment(notice, world.agency_x, by=organizer, key_task=second)
    client = login(organizer)
    response = client.post(
        reverse("conclusions:notice_edit", args=[notice.pk]),
        notice_form_data(summary="kết luận sửa lại", key_tasks="Một\nHai (sửa)\nBa"),
    )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.summary == "kết luận sửa lại"
    assert list(notice.key_tasks.order_by("order").values_list("text", flat=True)) == ["Một", "Hai (sửa)", "Ba"]
    assignment.refresh_from_db()
    assert assignment.key_task_id == second.pk


def test_assignment_add_with_submissions_and_coordinating(world, login):
    organizer = world.users[Role.ORGANIZER]
    notice = make_notice(world.program, by=organizer, key_tasks=["Một"])
    client = login(organizer)
    url = reverse("conclusions:assignment_add", args=[notice.pk])
    page = client.get(url).content.decode()
    assert world.item_a.reference in page  # the program's submissions, by reference
    assert "Lọc theo số hiệu hoặc tên" in page
    task = notice.key_tasks.get()
    response = client.post(url, assignment_data(world, key_task=task.pk))
    assert response.status_code == 302
    assignment = notice.assignments.get()
    assert assignment.lead_agency == world.agency_x
    assert list(assignment.coordinating_agencies.all()) == [world.agency_y]
    assert list(assignment.submissions.all()) == [world.item_a]
    assert assignment.working_days == 20 and assignment.key_task == task
    page = client.get(reverse("conclusions:notice_detail", args=[notice.pk])).content.decode()
    assert "Hoàn thành trong 20 ngày làm việc" in page
    assert world.item_a.reference in page


def test_assignment_form_maps_the_workflow_errors_onto_fields(world, login):
    organizer = world.users[Role.ORGANIZER]
    notice = make_notice(world.program, by=organizer)
    client = login(organizer)
    url = reverse("conclusions:assignment_add", args=[notice.pk])

    both = client.post(url, assignment_data(world, deadline="30/12/2030", working_days="20"))
    assert both.status_code == 200
    assert "Chỉ nhập hạn theo ngày hoặc theo số ngày làm việc" in both.content.decode()
    assert "deadline" in both.context["form"].errors

    cycle = client.post(
        url, assignment_data(world, schedule="cycle", working_days="", cycle=ReportingCycle.QUARTERLY, cycle_until="")
    )
    assert "cycle_until" in cycle.context["form"].errors
    assert "Hãy nhập ngày kết thúc việc báo cáo định kỳ." in cycle.content.decode()

    same = client.post(url, assignment_data(world, coordinating_agencies=[world.agency_x.pk]))
    assert "Cơ quan chủ trì không đồng thời là cơ quan phối hợp." in same.content.decode()

    other_agency = AgencyFactory(province=world.other_program.province, name="Sở Tài chính Hà Tĩnh")
    foreign = client.post(url, assignment_data(world, lead_agency=other_agency.pk))
    assert "Cơ quan này không thuộc tỉnh của chương trình." in foreign.content.decode()

    other_task = world.draft_notice.key_tasks.first()
    wrong_task = client.post(url, assignment_data(world, key_task=other_task.pk))
    assert "Nhiệm vụ trọng tâm không thuộc thông báo này." in wrong_task.content.decode()

    assert not notice.assignments.exists()


def test_assignment_edit_and_delete_on_a_draft(world, login):
    organizer = world.users[Role.ORGANIZER]
    notice = world.draft_notice
    assignment = notice.assignments.get()
    client = login(organizer)
    response = client.post(
        reverse("conclusions:assignment_edit", args=[notice.pk, assignment.pk]),
        assignment_data(
            world,
            lead_agency=world.agency_y.pk,
            coordinating_agencies=[],
            submissions=[],
            schedule="cycle",
            working_days="",
            cycle=ReportingCycle.HALF_YEARLY,
            report_day="10",
            cycle_until="31/12/2026",
        ),
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.lead_agency == world.agency_y
    assert assignment.cycle == ReportingCycle.HALF_YEARLY and assignment.working_days is None
    assert assignment.cycle_until == datetime.date(2026, 12, 31)
    delete = reverse("conclusions:assignment_delete", args=[notice.pk, assignment.pk])
    assert client.get(delete).status_code == 405
    assert client.post(delete).status_code == 302
    assert not notice.assignments.exists()


def test_an_assignment_of_another_notice_is_not_found(world, login):
    client = login(world.users[Role.ORGANIZER])
    url = reverse("conclusions:assignment_edit", args=[world.draft_notice.pk, world.assignment_x.pk])
    assert client.get(url).status_code == 404
    delete = reverse("conclusions:assignment_delete", args=[world.draft_notice.pk, world.assignment_x.pk])
    assert client.post(delete).status_code == 404
    assert Assignment.objects.filter(pk=world.assignment_x.pk).exists()


# --- an issued notice is frozen -------------------------------------------------------------------


def test_workflow_refuses_to_change_an_issued_notice(world):
    organizer = world.users[Role.ORGANIZER]
    notice = world.notice
    with pytest.raises(workflow.WorkflowError, match="đã ban hành không sửa được"):
        workflow.update_notice(notice, by=organizer, summary="sửa lén")
    with pytest.raises(workflow.WorkflowError, match="đã ban hành không sửa được"):
        workflow.save_key_tasks(notice, ["Nhiệm vụ khác"], by=organizer)
    world.assignment_x.text = "Nội dung khác"
    with pytest.raises(workflow.WorkflowError, match="đã ban hành không sửa được"):
        workflow.save_assignment(world.assignment_x, by=organizer)
    with pytest.raises(workflow.WorkflowError, match="đã ban hành không sửa được"):
        workflow.save_assignment(Assignment(notice=notice, lead_agency=world.agency_x, text="Mới"), by=organizer)
    with pytest.raises(workflow.WorkflowError, match="đã ban hành không sửa được"):
        workflow.delete_assignment(world.assignment_y, by=organizer)
    notice.refresh_from_db()
    assert notice.summary != "sửa lén"
    assert list(notice.key_tasks.values_list("text", flat=True)) == ["Nâng cao chất lượng đội ngũ cán bộ cơ sở"]
    assert notice.assignments.count() == 2
    assert Assignment.objects.get(pk=world.assignment_x.pk).text == "Trả lời kiến nghị về đường liên xã"


@pytest.mark.parametrize("role", [Role.ORGANIZER, Role.ADMIN])
def test_ui_refuses_to_edit_an_issued_notice(world, login, role):
    notice = world.notice
    client = login(world.users[role])
    before = (
        ConclusionNotice.objects.filter(pk=notice.pk).values().get(),
        list(notice.key_tasks.values_list("text", flat=True)),
        list(notice.assignments.order_by("pk").values("pk", "text", "lead_agency", "working_days", "deadline")),
    )
    detail = reverse("conclusions:notice_detail", args=[notice.pk])
    edit_urls = [
        reverse("conclusions:notice_edit", args=[notice.pk]),
        reverse("conclusions:assignment_add", args=[notice.pk]),
        reverse("conclusions:assignment_edit", args=[notice.pk, world.assignment_x.pk]),
    ]
    for url in edit_urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == detail, url
        assert "Thông báo đã ban hành không sửa được" in " ".join(page_messages(response))
    posts = [
        (edit_urls[0], notice_form_data(summary="sửa lén", key_tasks="Khác")),
        (edit_urls[1], assignment_data(world)),
        (edit_urls[2], assignment_data(world, text="Nội dung khác")),
        (reverse("conclusions:assignment_delete", args=[notice.pk, world.assignment_y.pk]), {}),
        (reverse("conclusions:notice_submit", args=[notice.pk]), {}),
        (reverse("conclusions:notice_return", args=[notice.pk]), {"remark": "Sửa lại"}),
    ]
    for url, data in posts:
        response = client.post(url, data, follow=True)
        assert response.status_code == 200, url
        assert response.redirect_chain[-1][0].split("#")[0] == detail, url
        assert "đã ban hành không sửa được" in response.content.decode(), url
    after = (
        ConclusionNotice.objects.filter(pk=notice.pk).values().get(),
        list(notice.key_tasks.values_list("text", flat=True)),
        list(notice.assignments.order_by("pk").values("pk", "text", "lead_agency", "working_days", "deadline")),
    )
    assert after == before
    page = client.get(detail).content.decode()
    assert "Thông báo đã ban hành nên không sửa được nữa" in page
    assert "Sửa thông báo" not in page
    assert "Thêm nhiệm vụ được giao" not in page
    assert "Lập bản đính chính, thay thế" in page


# --- the steps -------------------------------------------------------------------------------------


def test_draft_to_issued_through_the_pages(world, login):
    organizer, standing = world.users[Role.ORGANIZER], world.users[Role.STANDING_COMMITTEE]
    notice = world.draft_notice
    detail = reverse("conclusions:notice_detail", args=[notice.pk])
    client = login(organizer)
    assert client.get(reverse("conclusions:notice_submit", args=[notice.pk])).status_code == 405
    page = client.get(detail).content.decode()
    assert "data-confirm=" in page  # every step asks first
    assert client.post(reverse("conclusions:notice_submit", args=[notice.pk])).status_code == 302
    notice.refresh_from_db()
    assert notice.status == N.SUBMITTED
    # The organizer does not approve.
    assert client.post(reverse("conclusions:notice_approve", args=[notice.pk])).status_code == 403

    client = login(standing)
    refused = client.post(reverse("conclusions:notice_return", args=[notice.pk]), {"remark": "  "})
    assert refused.status_code == 400
    assert "Hãy ghi lý do trả lại." in refused.content.decode()
    client.post(reverse("conclusions:notice_return", args=[notice.pk]), {"remark": "Bổ sung thời hạn cụ thể."})
    notice.refresh_from_db()
    assert notice.status == N.DRAFT
    page = login(organizer).get(detail).content.decode()
    assert "Bổ sung thời hạn cụ thể." in page

    login(organizer).post(reverse("conclusions:notice_submit", args=[notice.pk]))
    response = login(standing).post(reverse("conclusions:notice_approve", args=[notice.pk]), follow=True)
    assert "Đã duyệt thông báo kết luận" in response.content.decode()
    notice.refresh_from_db()
    assert notice.status == N.APPROVED

    client = login(organizer)
    page = client.get(detail).content.decode()
    assert "Cho số và ban hành" in page
    today = timezone.localdate()
    taken = client.post(
        reverse("conclusions:notice_issue", args=[notice.pk]),
        {"sequence": "1029", "issued_on": today.strftime("%d/%m/%Y")},
    )
    assert taken.status_code == 400
    assert f"Số 1029-TB/TU năm {today.year} đã được dùng cho văn bản khác." in taken.content.decode()
    future = client.post(
        reverse("conclusions:notice_issue", args=[notice.pk]),
        {"sequence": "1030", "issued_on": (today + datetime.timedelta(days=3)).strftime("%d/%m/%Y")},
    )
    assert "Ngày ban hành không được sau hôm nay." in future.content.decode()
    response = client.post(
        reverse("conclusions:notice_issue", args=[notice.pk]),
        {"sequence": "1030", "issued_on": today.strftime("%d/%m/%Y")},
        follow=True,
    )
    assert "Đã ban hành Thông báo số 1030-TB/TU" in response.content.decode()
    notice.refresh_from_db()
    assert notice.status == N.ISSUED and notice.number == "1030-TB/TU" and notice.issued_on == today
    assert notice.assignments.get().dues.exists()
    page = response.content.decode()
    assert "Thông báo kết luận số 1030-TB/TU" in page
    assert "Lịch sử thay đổi" in page and "Ban hành thông báo kết luận" in page


def test_workflow_errors_come_back_as_messages(world, login):
    organizer = world.users[Role.ORGANIZER]
    empty = make_notice(world.program, by=organizer, key_tasks=[])
    response = login(organizer).post(reverse("conclusions:notice_submit", args=[empty.pk]), follow=True)
    assert "Thông báo chưa có nhiệm vụ trọng tâm hay nhiệm vụ được giao nào." in response.content.decode()
    response = login(world.users[Role.STANDING_COMMITTEE]).post(
        reverse("conclusions:notice_approve", args=[empty.pk]), follow=True
    )
    assert "Không thể thực hiện thao tác này khi thông báo đang ở trạng thái “Dự thảo”." in response.content.decode()


def test_correction_creates_a_draft_that_points_to_the_issued_notice(world, login):
    client = login(world.users[Role.ORGANIZER])
    assert client.get(reverse("conclusions:notice_correct", args=[world.notice.pk])).status_code == 405
    response = client.post(reverse("conclusions:notice_correct", args=[world.notice.pk]))
    correction = ConclusionNotice.objects.get(replaces=world.notice)
    assert response["Location"] == reverse("conclusions:notice_detail", args=[correction.pk])
    assert correction.status == N.DRAFT and correction.assignments.count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "Đây là bản đính chính, thay thế Thông báo số 1029-TB/TU." in page
    old = client.get(reverse("conclusions:notice_detail", args=[world.notice.pk])).content.decode()
    assert reverse("conclusions:notice_detail", args=[correction.pk]) in old
    assert "Lập bản đính chính, thay thế" not in old  # one correction at a time
    again = client.post(reverse("conclusions:notice_correct", args=[world.notice.pk]), follow=True)
    assert "Thông báo này đã có bản đính chính, thay thế." in again.content.decode()
    # The correction is edited like any draft.
    assert client.get(reverse("conclusions:notice_edit", args=[correction.pk])).status_code == 200


def test_detail_reads_like_the_notice(world, login):
    client = login(world.users[Role.SUPERVISOR])
    page = client.get(reverse("conclusions:notice_detail", args=[world.notice.pk])).content.decode()
    assert "Thông báo kết luận số 1029-TB/TU" in page
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in page
    assert "Nâng cao chất lượng đội ngũ cán bộ cơ sở" in page
    assert world.agency_x.name in page and world.agency_y.name in page
    assert "Hằng năm, gửi báo cáo trước ngày 15 của tháng cuối kỳ" in page
    assert world.item_a.reference in page
    # One letter per lead agency.
    for agency in (world.agency_x, world.agency_y):
        assert reverse("conclusions:assignment_letter", args=[world.notice.pk, agency.pk]) in page
    assert reverse("conclusions:notice_pdf", args=[world.notice.pk]) in page
    # No actions for a reader.
    for step in ("notice_correct", "notice_submit", "notice_edit"):
        assert reverse(f"conclusions:{step}", args=[world.notice.pk]) not in page


def test_agency_officer_sees_only_the_letter_to_its_agency(world, login):
    page = (
        login(world.users[Role.AGENCY_OFFICER])
        .get(reverse("conclusions:notice_detail", args=[world.notice.pk]))
        .content.decode()
    )
    assert reverse("conclusions:assignment_letter", args=[world.notice.pk, world.agency_x.pk]) in page
    assert reverse("conclusions:assignment_letter", args=[world.notice.pk, world.agency_y.pk]) not in page
    assert "Lịch sử thay đổi" not in page


def test_followup_link_when_the_page_exists(world, login):
    from django.urls import NoReverseMatch

    page = login(world.users[Role.ORGANIZER]).get(reverse("conclusions:notice_detail", args=[world.notice.pk]))
    try:
        url = reverse("conclusions:followup", kwargs={"notice_pk": world.notice.pk})
    except NoReverseMatch:
        assert "Theo dõi thực hiện" not in page.content.decode()
    else:
        assert url in page.content.decode()
