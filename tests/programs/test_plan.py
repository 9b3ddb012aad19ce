"""The plan and its versions: the workflow rules, the pages that drive them, the diff and the
query count of the lists."""

from __future__ import annotations

import pytest
from django.urls import reverse

from directory.models import ActionLog, Role
from programs import workflow
from programs.models import PLAN_SECTIONS, PlanComment, PlanVersion
from programs.plan_diff import diff_text, diff_versions
from tests.helpers import assert_constant_queries

pytestmark = pytest.mark.django_db

FULL = {key: f"Nội dung mục “{label}”: bảo đảm dân chủ, thiết thực, hiệu quả." for key, label in PLAN_SECTIONS}


def first_version(w) -> PlanVersion:
    return w.program.plan.versions.get(number=1)


def approved_plan(w) -> PlanVersion:
    """Version 1 filled, submitted and approved by the Standing Committee user."""
    version = workflow.update_draft(first_version(w), FULL, by=w.users[Role.ORGANIZER])
    workflow.submit_version(version, by=w.users[Role.ORGANIZER])
    return workflow.approve_version(version, by=w.users[Role.STANDING_COMMITTEE])


def url(name, w, number=None, program=None):
    pk = (program or w.program).pk
    return reverse(f"programs:{name}", args=[pk] if number is None else [pk, number])


def page_text(response) -> str:
    return response.content.decode()


# --- workflow ----------------------------------------------------------------------------------


def test_submit_with_empty_sections_is_refused_with_their_names(world):
    version = workflow.update_draft(
        first_version(world), {**FULL, "budget": "  ", "logistics": ""}, by=world.users[Role.ORGANIZER]
    )
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.submit_version(version, by=world.users[Role.ORGANIZER])
    assert refused.value.messages == ["Chưa thể trình: còn trống các mục Kinh phí, Hậu cần."]
    version.refresh_from_db()
    assert version.status == PlanVersion.Status.DRAFT
    assert version.submitted_at is None


def test_approving_a_new_version_supersedes_the_approved_one(world):
    first = approved_plan(world)
    second = workflow.new_version(world.program.plan, by=world.users[Role.ORGANIZER])
    assert second.number == 2
    assert second.based_on == first
    assert second.sections == FULL  # a new version starts from the latest text
    workflow.update_draft(second, {**FULL, "agenda": "Sáng 04/8: gặp mặt, đối thoại."}, by=world.users[Role.ORGANIZER])
    workflow.submit_version(second, by=world.users[Role.ORGANIZER])
    workflow.approve_version(second, by=world.head.user)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == PlanVersion.Status.SUPERSEDED
    assert second.status == PlanVersion.Status.APPROVED
    assert world.program.plan.versions.filter(status=PlanVersion.Status.APPROVED).count() == 1
    assert ActionLog.objects.filter(verb="plan.approve").count() == 2


def test_returning_needs_a_remark(world):
    version = workflow.update_draft(first_version(world), FULL, by=world.users[Role.ORGANIZER])
    workflow.submit_version(version, by=world.users[Role.ORGANIZER])
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.return_version(version, by=world.users[Role.STANDING_COMMITTEE], remark="   ")
    assert refused.value.messages == ["Hãy ghi lý do trả lại."]
    version.refresh_from_db()
    assert version.status == PlanVersion.Status.SUBMITTED
    assert not version.comments.exists()

    workflow.return_version(
        version, by=world.users[Role.STANDING_COMMITTEE], remark="Bổ sung phương án dự phòng mưa bão."
    )
    version.refresh_from_db()
    assert version.status == PlanVersion.Status.DRAFT
    assert version.comments.get().text == "Bổ sung phương án dự phòng mưa bão."


def test_refusal_to_edit_reads_well(world):
    version = approved_plan(world)
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.update_draft(version, FULL, by=world.users[Role.ORGANIZER])
    assert refused.value.messages == [
        "Phiên bản 1 đang ở trạng thái “Đã phê duyệt” nên không được sửa; hãy tạo phiên bản mới."
    ]


def test_an_approved_version_cannot_be_edited(world):
    version = approved_plan(world)
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.update_draft(version, {"purpose": "Sửa lén"}, by=world.users[Role.ORGANIZER], change_note="x")
    assert refused.value.messages[0].endswith("nên không được sửa; hãy tạo phiên bản mới.")
    version.refresh_from_db()
    assert version.sections == FULL
    assert version.change_note == ""


def test_only_one_version_is_open_at_a_time(world):
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.new_version(world.program.plan, by=world.users[Role.ORGANIZER])
    assert "Đã có một phiên bản dự thảo hoặc đang trình" in refused.value.messages[0]
    version = workflow.update_draft(first_version(world), FULL, by=world.users[Role.ORGANIZER])
    workflow.submit_version(version, by=world.users[Role.ORGANIZER])
    with pytest.raises(workflow.WorkflowError):  # a submitted version is still open
        workflow.new_version(world.program.plan, by=world.users[Role.ORGANIZER])
    assert world.program.plan.versions.count() == 1


def test_plan_number_is_saved_and_logged(world):
    workflow.set_plan_number(world.program.plan, " 186-KH/TU ", by=world.users[Role.ORGANIZER])
    world.program.plan.refresh_from_db()
    assert world.program.plan.number == "186-KH/TU"
    assert ActionLog.objects.get(verb="plan.number").changes == {"old": "", "new": "186-KH/TU"}
    workflow.set_plan_number(world.program.plan, "186-KH/TU", by=world.users[Role.ORGANIZER])
    assert ActionLog.objects.filter(verb="plan.number").count() == 1  # unchanged: nothing logged


# --- pages ---------------------------------------------------------------------------------------


def test_organizer_edits_and_submits_a_draft(world, login):
    client = login(world.users[Role.ORGANIZER])
    edit = url("plan_version_edit", world, 1)
    page = client.get(edit)
    assert page.status_code == 200
    for _key, label in PLAN_SECTIONS:
        assert str(label) in page_text(page)
    data = {**FULL, "purpose": "Nâng cao vai trò lãnh đạo của cấp ủy\r\nđối với cơ sở.", "change_note": "Dự thảo đầu"}
    response = client.post(edit, data)
    assert response.status_code == 302
    assert response["Location"] == url("plan_version", world, 1)
    version = first_version(world)
    assert version.sections["purpose"] == "Nâng cao vai trò lãnh đạo của cấp ủy\nđối với cơ sở."
    assert version.change_note == "Dự thảo đầu"

    response = client.post(url("plan_version_submit", world, 1), follow=True)
    assert "Đã trình phiên bản 1 để phê duyệt." in page_text(response)
    version.refresh_from_db()
    assert version.status == PlanVersion.Status.SUBMITTED
    assert version.submitted_at is not None


def test_submitting_an_incomplete_draft_shows_the_missing_sections(world, login):
    client = login(world.users[Role.ORGANIZER])
    response = client.post(url("plan_version_submit", world, 1), follow=True)
    assert "Chưa thể trình: còn trống các mục Mục đích, Yêu cầu" in page_text(response)
    assert first_version(world).status == PlanVersion.Status.DRAFT


def test_standing_committee_approves_a_submitted_version(world, login):
    version = workflow.update_draft(first_version(world), FULL, by=world.users[Role.ORGANIZER])
    workflow.submit_version(version, by=world.users[Role.ORGANIZER])
    # The organizer prepares the plan but does not approve it.
    assert login(world.users[Role.ORGANIZER]).post(url("plan_version_approve", world, 1)).status_code == 403
    client = login(world.users[Role.STANDING_COMMITTEE])
    page = page_text(client.get(url("plan_version", world, 1)))
    assert "Phê duyệt phiên bản này" in page and "Trả lại để sửa" in page
    response = client.post(url("plan_version_approve", world, 1), follow=True)
    assert "Đã phê duyệt phiên bản 1 của kế hoạch." in page_text(response)
    version.refresh_from_db()
    assert version.status == PlanVersion.Status.APPROVED
    assert version.approved_by == world.users[Role.STANDING_COMMITTEE]
    plan_page = page_text(client.get(url("plan", world)))
    assert "Bản chính thức" in plan_page
    assert "Kế hoạch đã phê duyệt (PDF)" in plan_page


def test_return_without_remark_keeps_the_page_and_the_status(world, login):
    version = workflow.update_draft(first_version(world), FULL, by=world.users[Role.ORGANIZER])
    workflow.submit_version(version, by=world.users[Role.ORGANIZER])
    client = login(world.users[Role.STANDING_COMMITTEE])
    response = client.post(url("plan_version_return", world, 1), {"remark": "  "})
    assert response.status_code == 200
    assert "Hãy ghi lý do trả lại." in page_text(response)
    version.refresh_from_db()
    assert version.status == PlanVersion.Status.SUBMITTED
    response = client.post(url("plan_version_return", world, 1), {"remark": "Làm rõ phần kinh phí."}, follow=True)
    assert "Đã trả lại phiên bản 1 để sửa." in page_text(response)
    version.refresh_from_db()
    assert version.status == PlanVersion.Status.DRAFT


def test_forged_edit_of_an_approved_version_changes_nothing(world, login):
    version = approved_plan(world)
    client = login(world.users[Role.ORGANIZER])
    page = page_text(client.get(url("plan_version_edit", world, 1)))
    assert "chỉ phiên bản dự thảo mới sửa được" in page
    assert ">Lưu</button>" not in page
    response = client.post(url("plan_version_edit", world, 1), {**FULL, "purpose": "Sửa lén", "change_note": "x"})
    assert response.status_code == 200
    assert "nên không được sửa; hãy tạo phiên bản mới." in page_text(response)
    version.refresh_from_db()
    assert version.sections == FULL
    assert version.change_note == ""
    assert version.status == PlanVersion.Status.APPROVED


def test_new_version_button_is_refused_while_a_draft_is_open(world, login):
    client = login(world.users[Role.ORGANIZER])
    assert "Tạo phiên bản mới" in page_text(client.get(url("plan", world)))
    response = client.post(url("plan_new_version", world), follow=True)
    assert "Đã có một phiên bản dự thảo hoặc đang trình; hãy hoàn tất phiên bản đó trước." in page_text(response)
    assert world.program.plan.versions.count() == 1

    approved_plan(world)
    response = client.post(url("plan_new_version", world))
    assert response["Location"] == url("plan_version_edit", world, 2)
    assert world.program.plan.versions.get(number=2).status == PlanVersion.Status.DRAFT


def test_readers_see_no_manager_buttons(world, login):
    page = page_text(login(world.users[Role.SUPERVISOR]).get(url("plan", world)))
    assert "Tạo phiên bản mới" not in page
    assert "Số kế hoạch" not in page
    version_page = page_text(login(world.users[Role.SUPERVISOR]).get(url("plan_version", world, 1)))
    assert "Sửa nội dung" not in version_page
    assert "Gửi ý kiến" not in version_page  # the supervisor reads; comments are for the committee


def test_comment_is_added_with_section_author_and_time(world, login):
    client = login(world.users[Role.STANDING_COMMITTEE])
    response = client.post(
        url("plan_version_comment", world, 1), {"section": "budget", "text": "Cân đối kinh phí hậu cần."}
    )
    assert response.status_code == 302
    comment = PlanComment.objects.get()
    assert (comment.section, comment.author, comment.version.number) == (
        "budget",
        world.users[Role.STANDING_COMMITTEE],
        1,
    )
    page = page_text(client.get(url("plan_version", world, 1)))
    assert "Cân đối kinh phí hậu cần." in page
    assert world.users[Role.STANDING_COMMITTEE].full_name in page
    assert 'href="#muc-budget">Kinh phí</a>' in page
    assert comment.created_at.astimezone().strftime("%d/%m/%Y") in page


def test_empty_comment_is_refused_and_nothing_saved(world, login):
    client = login(world.users[Role.ORGANIZER])
    response = client.post(url("plan_version_comment", world, 1), {"section": "purpose", "text": "   "})
    assert response.status_code == 200
    assert "Ý kiến không được để trống." in page_text(response)
    response = client.post(url("plan_version_comment", world, 1), {"section": "khong-co", "text": "Góp ý"})
    assert response.status_code == 200
    assert not PlanComment.objects.exists()
    # Agency officers and commune leaders do not comment on drafts.
    for role in (Role.AGENCY_OFFICER, Role.COMMUNE_LEADER):
        forged = login(world.users[role]).post(url("plan_version_comment", world, 1), {"text": "Góp ý"})
        assert forged.status_code == 403
    assert not PlanComment.objects.exists()


def test_plan_number_form(world, login):
    client = login(world.users[Role.ORGANIZER])
    response = client.post(url("plan_number", world), {"number": "186-KH/TU"}, follow=True)
    assert "Đã lưu số kế hoạch." in page_text(response)
    assert "số 186-KH/TU" in page_text(response)
    response = client.post(url("plan_number", world), {"number": "x" * 41}, follow=True)
    assert "tối đa 40 kí tự" in page_text(response)
    world.program.plan.refresh_from_db()
    assert world.program.plan.number == "186-KH/TU"
    assert login(world.users[Role.SUPERVISOR]).post(url("plan_number", world), {"number": "1"}).status_code == 403


# --- diff ----------------------------------------------------------------------------------------


def test_diff_text_marks_changed_words_only():
    segments = diff_text("Tổ chức ngày 21/7 tại TP. Vinh", "Tổ chức ngày 03/8 và 04/8 tại TP. Vinh")
    assert [(s.op, s.text) for s in segments] == [
        ("equal", "Tổ chức ngày "),
        ("delete", "21/7"),
        ("insert", "03/8 và 04/8"),
        ("equal", " tại TP. Vinh"),
    ]
    # A replaced phrase reads as one deletion and one insertion, not word by word.
    assert [s.op for s in diff_text("a b c", "a x y c")] == ["equal", "delete", "insert", "equal"]
    # Punctuation is its own token: the comma after the changed words stays unmarked.
    assert [(s.op, s.text) for s in diff_text("năm 2023, chi", "năm 2023 và xã hội hóa, chi")] == [
        ("equal", "năm 2023"),
        ("insert", " và xã hội hóa"),
        ("equal", ", chi"),
    ]
    assert [(s.op, s.text) for s in diff_text("", "mới")] == [("insert", "mới")]
    assert [(s.op, s.text) for s in diff_text("dòng 1\ndòng 2", "dòng 1\ndòng 2\ndòng 3")] == [
        ("equal", "dòng 1\ndòng 2"),
        ("insert", "\ndòng 3"),
    ]


def test_diff_versions_follows_the_official_order(world):
    old = approved_plan(world)
    new = workflow.new_version(world.program.plan, by=world.users[Role.ORGANIZER])
    new = workflow.update_draft(new, {**FULL, "budget": "Ngân sách tỉnh bảo đảm."}, by=world.users[Role.ORGANIZER])
    diffs = diff_versions(old, new)
    assert [d.key for d in diffs] == [key for key, _label in PLAN_SECTIONS]
    assert [d.key for d in diffs if d.changed] == ["budget"]


def test_diff_page_marks_insertions_and_deletions(world, login):
    approved_plan(world)
    new = workflow.new_version(world.program.plan, by=world.users[Role.ORGANIZER])
    workflow.update_draft(
        new,
        {**FULL, "time_place": "Ngày 03/8 và 04/8/2023 tại Nhà Văn hóa Lao động tỉnh."},
        by=world.users[Role.ORGANIZER],
    )
    client = login(world.users[Role.SUPERVISOR])
    page = page_text(client.get(url("plan_diff", world) + "?a=1&b=2"))
    assert '<del><span class="visually-hidden">[xóa: </span>Nội dung mục “Thời gian, địa điểm”:' in page
    assert '<ins><span class="visually-hidden">[thêm: </span>Ngày 03/8 và 04/8/2023' in page
    assert "Không thay đổi" in page
    # The default compares the latest version with the one before it.
    default = page_text(client.get(url("plan_diff", world)))
    assert "Từ phiên bản 1 sang phiên bản 2:" in default
    assert '<ins><span class="visually-hidden">[thêm: </span>Ngày 03/8 và 04/8/2023' in default
    assert "line-through" in page and "underline" in page  # marks readable without colour


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?a=1&b=7", "Kế hoạch không có phiên bản 7."),
        ("?a=mot&b=2", "Số phiên bản phải là số nguyên"),
        ("?a=2&b=2", "Hãy chọn hai phiên bản khác nhau."),
    ],
)
def test_diff_page_explains_bad_input(world, login, query, message):
    approved_plan(world)
    workflow.new_version(world.program.plan, by=world.users[Role.ORGANIZER])
    response = login(world.users[Role.ORGANIZER]).get(url("plan_diff", world) + query)
    assert response.status_code == 200
    assert message in page_text(response)


def test_diff_page_with_a_single_version(world, login):
    response = login(world.users[Role.ORGANIZER]).get(url("plan_diff", world) + "?a=1&b=2")
    assert "cần ít nhất hai phiên bản để so sánh" in page_text(response)


# --- query counts --------------------------------------------------------------------------------


def test_plan_page_queries_do_not_grow_with_versions(world, login):
    plan = world.program.plan
    organizer = world.users[Role.ORGANIZER]

    def add_versions(n):
        # Old versions are superseded ones; a fresh author each time so no user is cached.
        start = plan.versions.order_by("-number").first().number + 1
        for number in range(start, start + n):
            version = PlanVersion.objects.create(
                plan=plan, number=number, status=PlanVersion.Status.SUPERSEDED, sections=FULL, created_by=organizer
            )
            PlanComment.objects.create(version=version, author=world.users[Role.STANDING_COMMITTEE], text="Ý kiến")

    client = login(organizer)
    assert_constant_queries(client, url("plan", world), add_versions, few=1, many=12)


def test_version_page_queries_do_not_grow_with_comments(world, login):
    version = first_version(world)
    authors = [world.users[role] for role in (Role.ORGANIZER, Role.STANDING_COMMITTEE, Role.ADMIN)]

    def add_comments(n):
        for i in range(n):
            section = PLAN_SECTIONS[i % len(PLAN_SECTIONS)][0]
            PlanComment.objects.create(version=version, author=authors[i % 3], section=section, text=f"Ý kiến {i}")

    client = login(world.users[Role.STANDING_COMMITTEE])
    assert_constant_queries(client, url("plan_version", world, 1), add_comments, few=1, many=20)
