"""Answers: the lead agency drafts and sends, the organizers return (with a remark) or publish,
the communes read the published answer and are notified; answers given on the spot; closing;
who may do what, and transitions refused from the wrong status with nothing changed."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from directory.models import ActionLog, Role
from submissions import workflow
from submissions.models import Answer, Attachment, Routing, Submission

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def detail(item):
    return reverse("submissions:detail", args=[item.pk])


def edit_url(item):
    return reverse("submissions:answer_edit", args=[item.pk])


def texts(response) -> str:
    return response.content.decode()


def the_answer(item) -> Answer:
    return Answer.objects.get(submission=item, mode=Submission.AnswerMode.IN_WRITING)


def test_full_answer_flow(world, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    organizer, officer = world.users[Role.ORGANIZER], world.users[Role.AGENCY_OFFICER]
    # Commune B raised the same thing: merged, so both communes are origins of item A.
    workflow.merge([world.item_b], into=world.item_a, by=organizer)
    agency = login(officer)

    # Draft with a file.
    response = agency.post(
        edit_url(world.item_a),
        {
            "text": "Sở Giao thông vận tải đã đưa tuyến đường vào kế hoạch năm 2024.",
            "files": [SimpleUploadedFile("Công văn 123.pdf", PDF, content_type="application/pdf")],
            "save": "1",
        },
    )
    assert response.status_code == 302
    answer = the_answer(world.item_a)
    assert answer.status == Answer.Status.DRAFT and answer.agency == world.agency_x
    assert [a.original_name for a in answer.attachments.all()] == ["Công văn 123.pdf"]
    assert Submission.objects.get(pk=world.item_a.pk).status == Submission.Status.ROUTED
    # Not yet for the commune.
    leader = login(world.users[Role.COMMUNE_LEADER])
    assert "đã đưa tuyến đường vào kế hoạch" not in texts(leader.get(detail(world.item_a)))

    # Sent from the item page's button.
    agency = login(officer)
    assert reverse("submissions:answer_submit", args=[world.item_a.pk, answer.pk]) in texts(
        agency.get(detail(world.item_a))
    )
    agency.post(reverse("submissions:answer_submit", args=[world.item_a.pk, answer.pk]))
    answer.refresh_from_db()
    assert answer.status == Answer.Status.SUBMITTED and answer.submitted_at is not None
    assert Submission.objects.get(pk=world.item_a.pk).status == Submission.Status.ANSWERED
    # Sent: the agency can no longer change it.
    again = agency.post(edit_url(world.item_a), {"text": "Sửa sau khi gửi", "save": "1"}, follow=True)
    assert "Không thể sửa câu trả lời khi nội dung đang ở trạng thái “Đã có câu trả lời”." in texts(again)
    assert the_answer(world.item_a).text.startswith("Sở Giao thông vận tải")

    # Returned: a remark is required.
    staff = login(organizer)
    page = texts(staff.get(detail(world.item_a)))
    assert reverse("submissions:answer_publish", args=[world.item_a.pk, answer.pk]) in page
    return_url = reverse("submissions:answer_return", args=[world.item_a.pk, answer.pk])
    refused = staff.post(return_url, {"remark": "  "}, follow=True)
    assert "Hãy ghi ý kiến để cơ quan hoàn thiện câu trả lời." in texts(refused)
    answer.refresh_from_db()
    assert answer.status == Answer.Status.SUBMITTED
    staff.post(return_url, {"remark": "Nêu rõ thời gian khởi công và nguồn vốn."})
    answer.refresh_from_db()
    assert answer.status == Answer.Status.RETURNED and answer.remark == "Nêu rõ thời gian khởi công và nguồn vốn."
    assert Submission.objects.get(pk=world.item_a.pk).status == Submission.Status.ROUTED

    # The agency sees the remark, completes and sends again in one step.
    agency = login(officer)
    form_page = texts(agency.get(edit_url(world.item_a)))
    assert "Nêu rõ thời gian khởi công và nguồn vốn." in form_page and "Công văn 123.pdf" in form_page
    agency.post(
        edit_url(world.item_a),
        {"text": "Khởi công quý II/2024, vốn ngân sách tỉnh 12 tỷ đồng.", "send": "1"},
    )
    answer.refresh_from_db()
    assert answer.status == Answer.Status.SUBMITTED
    assert answer.text == "Khởi công quý II/2024, vốn ngân sách tỉnh 12 tỷ đồng."
    assert Answer.objects.filter(submission=world.item_a).count() == 1  # the same answer, completed

    # Published: the routing is done, every origin commune has its notice.
    staff = login(organizer)
    staff.post(reverse("submissions:answer_publish", args=[world.item_a.pk, answer.pk]))
    answer.refresh_from_db()
    item = Submission.objects.get(pk=world.item_a.pk)
    assert answer.status == Answer.Status.PUBLISHED and answer.published_by == organizer
    assert item.status == Submission.Status.PUBLISHED
    assert item.routings.get().status == Routing.Status.DONE
    notices = ActionLog.objects.filter(
        verb="notify.sent", target_id=str(item.pk), changes__what__icontains="câu trả lời"
    )
    assert sorted(n.changes["commune_id"] for n in notices) == sorted([world.commune_a.pk, world.commune_b.pk])

    # The commune leader reads the answer with the agency and the date.
    page = texts(login(world.users[Role.COMMUNE_LEADER]).get(detail(world.item_a)))
    assert "Khởi công quý II/2024, vốn ngân sách tỉnh 12 tỷ đồng." in page
    assert world.agency_x.name in page
    assert timezone.localdate(answer.submitted_at).strftime("%d/%m/%Y") in page
    assert "Công văn 123.pdf" in page
    assert "Nêu rõ thời gian khởi công" not in page  # the organizers' remark stays internal

    # Closed after publishing.
    staff = login(organizer)
    staff.post(reverse("submissions:close", args=[world.item_a.pk]))
    assert Submission.objects.get(pk=world.item_a.pk).status == Submission.Status.CLOSED


def test_remove_an_attachment_from_the_draft(world, login, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    agency = login(world.users[Role.AGENCY_OFFICER])
    agency.post(
        edit_url(world.item_a),
        {"text": "Dự thảo", "files": [SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.pdf", PDF)]},
    )
    answer = the_answer(world.item_a)
    first = answer.attachments.get(original_name="a.pdf")
    stored = first.file.path
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the removal is committed
        agency.post(edit_url(world.item_a), {"text": "Dự thảo 2", "remove": [first.pk]})
    assert [a.original_name for a in answer.attachments.all()] == ["b.pdf"]
    assert not (tmp_path / stored).exists()


def test_disguised_file_refused_and_nothing_saved(world, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    agency = login(world.users[Role.AGENCY_OFFICER])
    exe = SimpleUploadedFile("tra-loi.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")
    response = agency.post(edit_url(world.item_a), {"text": "Trả lời có tệp giả", "files": [exe]})
    assert response.status_code == 200
    assert "Loại tệp không được phép" in texts(response)
    assert not Answer.objects.filter(submission=world.item_a).exists()
    assert not Attachment.objects.filter(answer__isnull=False, answer__submission=world.item_a).exists()
    assert not list(tmp_path.rglob("*.pdf"))


def test_empty_answer_refused(world, login):
    agency = login(world.users[Role.AGENCY_OFFICER])
    response = agency.post(edit_url(world.item_a), {"text": "   ", "send": "1"})
    assert "Nội dung trả lời không được để trống." in texts(response)
    assert not Answer.objects.filter(submission=world.item_a).exists()
    assert Submission.objects.get(pk=world.item_a.pk).status == Submission.Status.ROUTED


def test_agency_x_cannot_answer_an_item_routed_to_y(world, login):
    workflow.route(world.item_b, lead_agency=world.agency_y, working_days=5, by=world.users[Role.ORGANIZER])
    officer_x = login(world.users[Role.AGENCY_OFFICER])
    assert officer_x.get(edit_url(world.item_b)).status_code == 404
    assert officer_x.post(edit_url(world.item_b), {"text": "Trả lời thay", "send": "1"}).status_code == 404
    assert not Answer.objects.filter(submission=world.item_b).exists()
    published = world.item_published.answers.get()
    url = reverse("submissions:answer_publish", args=[world.item_published.pk, published.pk])
    assert officer_x.post(url).status_code == 404


def test_agency_cannot_publish_or_return_its_own_answer(world, login):
    officer = world.users[Role.AGENCY_OFFICER]
    answer = workflow.save_answer(world.item_a, by=officer, agency=world.agency_x, text="Trả lời", send=True)
    client = login(officer)
    for name, data in (("answer_publish", {}), ("answer_return", {"remark": "x"})):
        assert client.post(reverse(f"submissions:{name}", args=[world.item_a.pk, answer.pk]), data).status_code == 403
    assert client.post(reverse("submissions:answer_on_spot", args=[world.item_a.pk])).status_code == 403
    answer.refresh_from_db()
    assert answer.status == Answer.Status.SUBMITTED


def test_coordinating_agency_reads_but_does_not_answer(world, login):
    workflow.route(
        world.item_b,
        lead_agency=world.agency_y,
        coordinating=[world.agency_x],
        working_days=5,
        by=world.users[Role.ORGANIZER],
    )
    officer_x = login(world.users[Role.AGENCY_OFFICER])
    assert officer_x.get(detail(world.item_b)).status_code == 200
    assert officer_x.get(edit_url(world.item_b)).status_code == 403


def test_an_answer_of_another_item_is_not_found(world, login):
    published = world.item_published.answers.get()
    url = reverse("submissions:answer_publish", args=[world.item_a.pk, published.pk])
    assert login(world.users[Role.ORGANIZER]).post(url).status_code == 404


def test_answer_given_on_the_spot(world, login):
    url = reverse("submissions:answer_on_spot", args=[world.item_b.pk])
    staff = login(world.users[Role.ORGANIZER])
    missing = staff.post(url, {"text": "Tỉnh sẽ hỗ trợ 40 triệu đồng mỗi hộ.", "answered_by": "  "})
    assert "Hãy ghi người trả lời tại chương trình." in texts(missing)
    assert not Answer.objects.filter(submission=world.item_b).exists()

    response = staff.post(
        url,
        {
            "text": "Tỉnh sẽ hỗ trợ 40 triệu đồng mỗi hộ nghèo xây nhà.",
            "answered_by": "Đồng chí Nguyễn Văn Đệ, Phó Chủ tịch UBND tỉnh",
            "agency": "",
        },
    )
    assert response.status_code == 302
    answer = Answer.objects.get(submission=world.item_b)
    assert answer.mode == Submission.AnswerMode.ON_SPOT
    assert answer.answered_by == "Đồng chí Nguyễn Văn Đệ, Phó Chủ tịch UBND tỉnh"
    assert answer.status == Answer.Status.SUBMITTED  # "publish now" left unticked: waits for review
    item = Submission.objects.get(pk=world.item_b.pk)
    assert item.status == Submission.Status.ANSWERED and item.answer_mode == Submission.AnswerMode.ON_SPOT
    assert item.acknowledged_at is not None
    # On-spot answers are published, not returned to an agency.
    page = texts(staff.get(detail(world.item_b)))
    assert reverse("submissions:answer_publish", args=[item.pk, answer.pk]) in page
    assert reverse("submissions:answer_return", args=[item.pk, answer.pk]) not in page
    staff.post(reverse("submissions:answer_publish", args=[item.pk, answer.pk]))
    leader_b = texts(login(world.users["commune_leader_b"]).get(detail(world.item_b)))
    assert "Tỉnh sẽ hỗ trợ 40 triệu đồng mỗi hộ nghèo xây nhà." in leader_b
    assert "Đồng chí Nguyễn Văn Đệ, Phó Chủ tịch UBND tỉnh" in leader_b


def test_answer_given_on_the_spot_published_at_once(world, login):
    staff = login(world.users[Role.ORGANIZER])
    staff.post(
        reverse("submissions:answer_on_spot", args=[world.item_a.pk]),
        {
            "text": "Đường sẽ được nâng cấp trong năm 2024.",
            "answered_by": "Đồng chí Giám đốc Sở Giao thông vận tải",
            "agency": world.agency_x.pk,
            "publish": "on",
        },
    )
    answer = Answer.objects.get(submission=world.item_a)
    assert answer.status == Answer.Status.PUBLISHED and answer.agency == world.agency_x
    item = Submission.objects.get(pk=world.item_a.pk)
    assert item.status == Submission.Status.PUBLISHED
    assert item.routings.get().status == Routing.Status.DONE


@pytest.mark.parametrize(
    ("name", "kwargs", "message"),
    [
        ("close", lambda w: [w.item_a.pk], "Không thể thực hiện thao tác này khi nội dung đang ở trạng thái"),
        (
            "answer_publish",
            lambda w: [w.item_published.pk, w.item_published.answers.get().pk],
            "Chỉ công bố được câu trả lời đã gửi.",
        ),
        (
            "answer_return",
            lambda w: [w.item_published.pk, w.item_published.answers.get().pk],
            "Chỉ trả lại được câu trả lời đã gửi và chưa công bố.",
        ),
    ],
)
def test_transition_from_the_wrong_status_refused_and_nothing_changed(world, login, name, kwargs, message):
    client = login(world.users[Role.ORGANIZER])
    before = {s.pk: s.status for s in Submission.objects.all()}
    answers_before = {a.pk: (a.status, a.remark) for a in Answer.objects.all()}
    logged = ActionLog.objects.count()
    response = client.post(reverse(f"submissions:{name}", args=kwargs(world)), {"remark": "Bổ sung"}, follow=True)
    assert message in texts(response)
    assert {s.pk: s.status for s in Submission.objects.all()} == before
    assert {a.pk: (a.status, a.remark) for a in Answer.objects.all()} == answers_before
    assert ActionLog.objects.count() == logged


def test_on_spot_answer_refused_for_a_published_item(world, login):
    response = login(world.users[Role.ORGANIZER]).post(
        reverse("submissions:answer_on_spot", args=[world.item_published.pk]),
        {"text": "Thêm", "answered_by": "Ai đó"},
        follow=True,
    )
    assert "Không thể ghi nhận trả lời khi nội dung đang ở trạng thái “Đã công bố câu trả lời”." in texts(response)
    assert world.item_published.answers.count() == 1


def test_answer_page_of_a_sent_answer_says_it_waits(world, login):
    officer = world.users[Role.AGENCY_OFFICER]
    workflow.save_answer(world.item_a, by=officer, agency=world.agency_x, text="Trả lời", send=True)
    page = texts(login(officer).get(edit_url(world.item_a)))
    assert "đang chờ xem xét, công bố" in page
    assert 'name="text"' not in page


def test_send_failure_leaves_no_draft_and_no_file(world, login, settings, tmp_path, monkeypatch):
    """Saving and sending are one step: if sending fails, the draft and its files are not kept."""
    settings.MEDIA_ROOT = tmp_path

    def refuse(answer, *, by):
        raise workflow.WorkflowError("Từ chối để thử.")

    monkeypatch.setattr(workflow, "submit_answer", refuse)
    agency = login(world.users[Role.AGENCY_OFFICER])
    response = agency.post(
        edit_url(world.item_a),
        {"text": "Trả lời", "files": [SimpleUploadedFile("a.pdf", io.BytesIO(PDF).read())], "send": "1"},
    )
    assert "Từ chối để thử." in texts(response)
    assert not Answer.objects.filter(submission=world.item_a).exists()
    assert not list(tmp_path.rglob("*.pdf"))
