"""Triage: the organizers' list with its filters and accent-free search, fixed query counts,
bulk classification, classifying and returning one item, merging duplicates (every origin
kept and told), similar items, splitting, the Excel export, and refusals in Vietnamese."""

from __future__ import annotations

import datetime
import io
import unicodedata

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from directory.models import ActionLog, Role
from submissions import similar, workflow
from submissions.models import Field, Routing, Submission, SubmissionOrigin
from tests.factories import CommuneFactory, DistrictFactory, UserFactory
from tests.helpers import assert_constant_queries, count_queries

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def organizer(login, world):
    return login(world.users[Role.ORGANIZER])


def triage_url(w, **params) -> str:
    url = reverse("submissions:triage", args=[w.program.pk])
    if params:
        from urllib.parse import urlencode

        url += "?" + urlencode(params)
    return url


def listed(response) -> set[str]:
    return {item.reference for item in response.context["page"]}


def send(w, commune, title, content=None, *, leader=None, kind="proposal", field="ha-tang-giao-thong"):
    """A commune's item, saved and sent through the workflow."""
    leader = leader or UserFactory(commune_leader=True, commune=commune)
    item = workflow.save_draft(
        Submission(
            program=w.program,
            kind=kind,
            field=Field.objects.get(code=field),
            title=title,
            content=content or f"Nội dung: {title}.",
            commune=commune,
        ),
        by=leader,
    )
    return workflow.submit(item, by=leader)


def add_items(w, n: int) -> None:
    """`n` more sent items, written in bulk (the list's query count must not depend on them)."""
    last = Submission.objects.filter(program=w.program).order_by("-number").values_list("number", flat=True)[0]
    field = Field.objects.get(code="kinh-te-xa-hoi")
    items = Submission.objects.bulk_create(
        [
            Submission(
                program=w.program,
                number=last + i,
                reference=f"ĐT2023-{last + i:03d}",
                kind="question",
                field=field,
                topic_group=w.topic_group,
                title=f"Câu hỏi thử số {last + i}",
                content="Nội dung thử.",
                commune=w.commune_a,
                status=Submission.Status.SUBMITTED,
                created_by=w.users[Role.ORGANIZER],
                search_text=f"cau hoi thu so {last + i}",
                acknowledge_due=TODAY,
            )
            for i in range(1, n + 1)
        ]
    )
    SubmissionOrigin.objects.bulk_create([SubmissionOrigin(submission=item, commune=w.commune_a) for item in items])


# --- the list, filters and search -------------------------------------------------------------


def test_list_shows_columns_and_leaves_drafts_out(organizer, world):
    draft = workflow.save_draft(
        Submission(program=world.program, kind="question", title="Bản nháp", content="x", commune=world.commune_a),
        by=world.users[Role.COMMUNE_LEADER],
    )
    response = organizer.get(triage_url(world))
    assert response.status_code == 200
    assert listed(response) == {world.item_a.reference, world.item_b.reference, world.item_published.reference}
    page = response.content.decode()
    assert "Bản nháp" not in page and draft.pk
    assert world.agency_x.name in page  # the current lead agency of item A
    assert "Chưa trả lời – trong hạn" in page
    assert "Đã trả lời – đúng hạn" in page
    assert "Xã Nghi Phú, Huyện Nghi Lộc" in page


def test_filters_by_district_agency_and_field(organizer, world):
    other_district = DistrictFactory(parent=world.province, name="Diễn Châu", code="431")
    far = send(world, CommuneFactory(parent=other_district, name="Diễn Kỷ"), "Nạo vét kênh tiêu Diễn Kỷ")

    response = organizer.get(triage_url(world, district=other_district.pk))
    assert listed(response) == {far.reference}
    response = organizer.get(triage_url(world, district=world.district.pk))
    assert far.reference not in listed(response) and world.item_a.reference in listed(response)
    # The commune choices follow the district.
    communes = [value for value, _label in response.context["form"].fields["commune"].choices]
    assert str(world.commune_a.pk) in communes and str(far.commune.pk) not in communes

    assert listed(organizer.get(triage_url(world, agency=world.agency_x.pk))) == {world.item_a.reference}
    assert listed(organizer.get(triage_url(world, agency=world.agency_y.pk))) == {world.item_published.reference}
    assert listed(organizer.get(triage_url(world, commune=world.commune_b.pk))) == {
        world.item_b.reference,
        world.item_published.reference,
    }
    assert listed(organizer.get(triage_url(world, status="published"))) == {world.item_published.reference}
    assert listed(organizer.get(triage_url(world, field=Field.objects.get(code="khac").pk))) == set()


def test_filter_by_commune_finds_merged_origins(organizer, world):
    """An item merged from commune A's duplicate is found from commune A too."""
    duplicate = send(world, world.commune_a, "Hỗ trợ nhà ở cho hộ nghèo", leader=world.users[Role.COMMUNE_LEADER])
    workflow.merge([duplicate], into=world.item_b, by=world.users[Role.ORGANIZER])
    assert world.item_b.reference in listed(organizer.get(triage_url(world, commune=world.commune_a.pk)))


def test_overdue_and_deadline_states(organizer, world):
    Routing.objects.filter(submission=world.item_a).update(deadline=TODAY - datetime.timedelta(days=1))
    response = organizer.get(triage_url(world, deadline="open_overdue"))
    assert listed(response) == {world.item_a.reference}
    assert "Chưa trả lời – quá hạn" in response.content.decode()
    assert listed(organizer.get(triage_url(world, deadline="open_within"))) == set()
    assert listed(organizer.get(triage_url(world, deadline="answered_on_time"))) == {world.item_published.reference}
    assert listed(organizer.get(triage_url(world, deadline="answered_late"))) == set()
    assert listed(organizer.get(triage_url(world, deadline="no_deadline"))) == {world.item_b.reference}


def test_not_acknowledged_past_ten_working_days(organizer, world):
    Submission.objects.filter(pk=world.item_b.pk).update(acknowledge_due=TODAY - datetime.timedelta(days=2))
    response = organizer.get(triage_url(world, ack_overdue="on"))
    # Item A and the published item were acknowledged when routed.
    assert listed(response) == {world.item_b.reference}
    assert "Quá hạn báo tiếp nhận" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "ho tro nha o",
        "Hỗ trợ nhà ở",
        "HỖ TRỢ NHÀ Ở",
        unicodedata.normalize("NFD", "NHÀ Ở"),
        "nha o ho ngheo",
    ],
)
def test_search_is_accent_insensitive(organizer, world, query):
    assert listed(organizer.get(triage_url(world, q=query))) == {world.item_b.reference}


def test_search_by_reference_and_no_result(organizer, world):
    assert listed(organizer.get(triage_url(world, q=world.item_a.reference))) == {world.item_a.reference}
    response = organizer.get(triage_url(world, q="khong co dau ca"))
    assert listed(response) == set()
    assert "Không có nội dung nào phù hợp" in response.content.decode()


def test_search_on_postgresql_uses_like_on_search_text(organizer, world):
    """`__contains` on the accent-free column: LIKE '%term%', which the trigram index serves
    (ILIKE/UPPER() would not use it)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        organizer.get(triage_url(world, q="nha o"))
    sql = " ".join(q["sql"] for q in ctx.captured_queries if "search_text" in q["sql"])
    assert "\"search_text\"::text LIKE '%nha%'" in sql or "\"search_text\" LIKE '%nha%'" in sql
    assert "UPPER" not in sql


def test_invalid_filter_is_shown_and_others_still_apply(organizer, world):
    response = organizer.get(triage_url(world, commune=999999, q="nha o"))
    assert response.status_code == 200
    assert response.context["form"].errors["commune"]
    assert listed(response) == {world.item_b.reference}


def test_list_keeps_a_constant_query_count(organizer, world):
    Routing.objects.filter(submission=world.item_a).update(deadline=TODAY - datetime.timedelta(days=1))
    assert_constant_queries(organizer, triage_url(world), lambda n: add_items(world, n), few=1, many=50)


def test_filtered_list_keeps_a_constant_query_count(organizer, world):
    url = triage_url(world, q="cau hoi", district=world.district.pk, deadline="no_deadline")
    assert_constant_queries(organizer, url, lambda n: add_items(world, n), few=1, many=50)


def test_htmx_answers_the_filters_and_rows_only(organizer, world):
    response = organizer.get(triage_url(world, q="nha o", kind="", status=""), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page and world.item_b.title in page
    assert "HX-Request" in response["Vary"]
    # The address bar gets the filters in use, not every empty field of the form.
    assert response["HX-Push-Url"] == triage_url(world, q="nha o")


def test_export_is_the_filtered_list(organizer, world):
    response = organizer.get(reverse("submissions:triage_export", args=[world.program.pk]) + "?q=nghi+duc")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    header = rows.index(next(r for r in rows if r and r[0] == "Số hiệu"))
    data = [r for r in rows[header + 1 :] if r[0]]
    assert {r[0] for r in data} == {world.item_b.reference, world.item_published.reference}
    published = next(r for r in data if r[0] == world.item_published.reference)
    assert world.agency_y.name in published and "Đã trả lời – đúng hạn" in published


# --- bulk classification -----------------------------------------------------------------------


def test_bulk_classification_sets_topic_group_and_answer_mode(organizer, world):
    second = send(world, world.commune_a, "Đầu tư trường học xã Nghi Phú")
    url = reverse("submissions:triage_bulk", args=[world.program.pk])
    response = organizer.post(
        url,
        {"items": [world.item_b.pk, second.pk], "topic_group": world.topic_group.pk, "answer_mode": "on_spot"},
    )
    assert response.status_code == 302
    for item in (world.item_b, second):
        item.refresh_from_db()
        assert (item.status, item.topic_group, item.answer_mode) == ("classified", world.topic_group, "on_spot")
    assert ActionLog.objects.filter(verb="submission.classify", target_id=str(second.pk)).exists()


def test_bulk_classification_is_all_or_nothing(organizer, world):
    url = reverse("submissions:triage_bulk", args=[world.program.pk])
    response = organizer.post(url, {"items": [world.item_b.pk, world.item_a.pk], "answer_mode": "on_spot"}, follow=True)
    page = response.content.decode()
    assert "Chưa phân loại nội dung nào." in page
    assert f"{world.item_a.reference}: Không thể thực hiện thao tác này" in page
    world.item_b.refresh_from_db()
    assert (world.item_b.status, world.item_b.answer_mode) == ("submitted", "")


def test_bulk_classification_needs_a_value_and_a_row(organizer, world):
    url = reverse("submissions:triage_bulk", args=[world.program.pk])
    page = organizer.post(url, {"items": [world.item_b.pk]}, follow=True).content.decode()
    assert "Hãy chọn lĩnh vực, nhóm vấn đề hoặc hình thức trả lời để áp dụng." in page
    page = organizer.post(url, {"answer_mode": "on_spot"}, follow=True).content.decode()
    assert "Hãy chọn ít nhất một nội dung trong danh sách." in page


# --- one item: classify, return, refusals -----------------------------------------------------


def classify_data(w, **overrides):
    data = {
        "kind": "recommendation",
        "field": Field.objects.get(code="tam-tu-nguyen-vong").pk,
        "topic_group": w.topic_group.pk,
        "answer_mode": "in_writing",
        "public": "on",
    }
    data.update(overrides)
    return data


def test_classify_an_item(organizer, world):
    response = organizer.post(reverse("submissions:classify", args=[world.item_b.pk]), classify_data(world))
    assert response.status_code == 302
    item = Submission.objects.get(pk=world.item_b.pk)
    assert (item.status, item.kind, item.field.code, item.topic_group, item.answer_mode, item.public) == (
        "classified",
        "recommendation",
        "tam-tu-nguyen-vong",
        world.topic_group,
        "in_writing",
        True,
    )


def test_classify_through_htmx_reloads_the_item_page(organizer, world):
    url = reverse("submissions:classify", args=[world.item_b.pk])
    fragment = organizer.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and 'name="topic_group"' in fragment
    response = organizer.post(url, classify_data(world), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == reverse("submissions:detail", args=[world.item_b.pk])


def test_classify_requires_field_and_topic_group(organizer, world):
    response = organizer.post(
        reverse("submissions:classify", args=[world.item_b.pk]), classify_data(world, field="", topic_group="")
    )
    page = response.content.decode()
    assert "Hãy chọn lĩnh vực." in page and "Hãy chọn nhóm vấn đề của chương trình." in page
    assert Submission.objects.get(pk=world.item_b.pk).status == "submitted"


def test_transition_not_allowed_from_the_status_is_refused_in_vietnamese(organizer, world):
    """Item A is routed: it can no longer be classified, returned or split."""
    response = organizer.post(reverse("submissions:classify", args=[world.item_a.pk]), classify_data(world))
    assert response.status_code == 200
    assert (
        "Không thể thực hiện thao tác này khi nội dung đang ở trạng thái “Đã chuyển cơ quan trả lời”."
        in response.content.decode()
    )
    item = Submission.objects.get(pk=world.item_a.pk)
    assert (item.status, item.kind, item.public) == ("routed", "proposal", False)

    response = organizer.post(reverse("submissions:return_to_sender", args=[world.item_a.pk]), {"remark": "Bổ sung"})
    assert "Không thể thực hiện thao tác này" in response.content.decode()
    response = organizer.post(
        reverse("submissions:split", args=[world.item_a.pk]) + "?so-phan=1",
        {"phan-TOTAL_FORMS": "1", "phan-INITIAL_FORMS": "0", "phan-0-title": "A", "phan-0-content": "B"},
    )
    assert "không tách được" in response.content.decode()
    assert Submission.objects.filter(split_from=world.item_a).count() == 0


def test_return_to_the_commune_needs_a_remark(organizer, world):
    url = reverse("submissions:return_to_sender", args=[world.item_b.pk])
    response = organizer.post(url, {"remark": "  "})
    assert "Hãy ghi rõ nội dung cần bổ sung." in response.content.decode()
    assert Submission.objects.get(pk=world.item_b.pk).status == "submitted"
    response = organizer.post(url, {"remark": "Ghi rõ số hộ nghèo cần hỗ trợ."})
    assert response.status_code == 302
    assert Submission.objects.get(pk=world.item_b.pk).status == "returned"
    log = ActionLog.objects.get(verb="submission.return", target_id=str(world.item_b.pk))
    assert log.changes["remark"] == "Ghi rõ số hộ nghèo cần hỗ trợ."


def test_item_page_panel_for_organizers_only(login, world):
    url = reverse("submissions:detail", args=[world.item_b.pk])
    page = login(world.users[Role.ORGANIZER]).get(url).content.decode()
    assert reverse("submissions:classify", args=[world.item_b.pk]) in page
    assert reverse("submissions:similar", args=[world.item_b.pk]) in page
    assert reverse("submissions:merge", args=[world.item_b.pk]) in page
    page = login(world.users[Role.STANDING_COMMITTEE]).get(url).content.decode()
    assert reverse("submissions:merge", args=[world.item_b.pk]) not in page


# --- merging --------------------------------------------------------------------------------------


def test_merge_keeps_every_origin_and_tells_each(organizer, world):
    commune_c = CommuneFactory(parent=world.district, name="Nghi Thạch")
    first = send(world, world.commune_a, "Hỗ trợ làm nhà ở cho hộ nghèo xã Nghi Phú")
    second = send(world, commune_c, "Đề nghị hỗ trợ nhà ở hộ nghèo Nghi Thạch")
    response = organizer.post(
        reverse("submissions:merge", args=[world.item_b.pk]), {"duplicates": [first.pk, second.pk]}
    )
    assert response.status_code == 302
    target = Submission.objects.get(pk=world.item_b.pk)
    assert set(target.origin_links.values_list("commune_id", flat=True)) == {
        world.commune_b.pk,
        world.commune_a.pk,
        commune_c.pk,
    }
    assert dict(target.origin_links.values_list("commune_id", "via_id")) == {
        world.commune_b.pk: None,
        world.commune_a.pk: first.pk,
        commune_c.pk: second.pk,
    }
    for duplicate in (first, second):
        duplicate.refresh_from_db()
        assert (duplicate.status, duplicate.merged_into_id) == ("merged", target.pk)
    pending = ActionLog.objects.filter(verb="notify.sent", target_id__in=[str(first.pk), str(second.pk)])
    assert sorted(p.changes["commune_id"] for p in pending) == sorted([world.commune_a.pk, commune_c.pk])
    assert all(target.reference in p.changes["what"] for p in pending)
    assert ActionLog.objects.filter(verb="submission.merge", target_id=str(target.pk)).exists()


def test_merged_item_page_points_to_the_target(organizer, world, login):
    duplicate = send(world, world.commune_a, "Hỗ trợ nhà ở cho hộ nghèo", leader=world.users[Role.COMMUNE_LEADER])
    organizer.post(reverse("submissions:merge", args=[world.item_b.pk]), {"duplicates": [duplicate.pk]})
    # Commune A's leader follows the item through the merged one.
    page = login(world.users[Role.COMMUNE_LEADER]).get(reverse("submissions:detail", args=[duplicate.pk]))
    text = page.content.decode()
    assert f"đã được gộp vào {world.item_b.reference}" in text
    assert reverse("submissions:detail", args=[world.item_b.pk]) in text


def test_merging_into_itself_is_refused(organizer, world):
    response = organizer.post(reverse("submissions:merge", args=[world.item_b.pk]), {"duplicates": [world.item_b.pk]})
    assert "Không thể gộp một nội dung vào chính nó." in response.content.decode()
    assert Submission.objects.get(pk=world.item_b.pk).status == "submitted"


def test_merging_across_programs_is_refused(login, world):
    from tests.permission_rows.submissions_triage import other_item

    foreign = Submission.objects.get(pk=other_item(world)["pk"])
    admin = login(world.users[Role.ADMIN])  # sees both programs
    response = admin.post(reverse("submissions:merge", args=[world.item_b.pk]), {"duplicates": [foreign.pk]})
    assert "Chỉ gộp được các nội dung của cùng một chương trình." in response.content.decode()
    foreign.refresh_from_db()
    assert foreign.status == "submitted" and foreign.merged_into is None
    # The organizer of Nghệ An does not even see it: not a valid choice.
    organizer = login(world.users[Role.ORGANIZER])
    response = organizer.post(reverse("submissions:merge", args=[world.item_b.pk]), {"duplicates": [foreign.pk]})
    assert "Lựa chọn không hợp lệ" in response.content.decode()


def test_merge_of_an_answered_item_is_refused_and_nothing_is_half_done(organizer, world):
    fresh = send(world, world.commune_a, "Hỗ trợ nhà ở")
    response = organizer.post(
        reverse("submissions:merge", args=[world.item_b.pk]), {"duplicates": [fresh.pk, world.item_published.pk]}
    )
    assert "Không thể thực hiện thao tác này khi nội dung đang ở trạng thái “Đã công bố câu trả lời”." in (
        response.content.decode()
    )
    fresh.refresh_from_db()
    assert fresh.status == "submitted"
    assert not SubmissionOrigin.objects.filter(submission=world.item_b, commune=world.commune_a).exists()


def test_merge_page_search_and_selection(organizer, world):
    duplicate = send(world, world.commune_a, "Sửa chữa trạm bơm tưới tiêu")
    url = reverse("submissions:merge", args=[world.item_b.pk])
    response = organizer.get(url + f"?q=tram+bom&chon={duplicate.pk}")
    assert [item.pk for item in response.context["found"]] == [duplicate.pk]
    assert f'value="{duplicate.pk}" id="dup-f-{duplicate.pk}" checked' in response.content.decode()


def test_merge_page_keeps_items_ticked_before_a_search(organizer, world):
    ticked = send(world, world.commune_a, "Sửa chữa trạm bơm tưới tiêu")
    response = organizer.get(reverse("submissions:merge", args=[world.item_b.pk]) + f"?q=khong+co&chon={ticked.pk}")
    assert [item.pk for item in response.context["chosen"]] == [ticked.pk]
    assert f'value="{ticked.pk}" id="dup-f-{ticked.pk}" checked' in response.content.decode()


def test_merge_page_keeps_a_constant_query_count(organizer, world):
    def add_duplicates(n):
        for i in range(n):
            send(
                world,
                world.commune_a,
                f"Hỗ trợ nhà ở cho hộ nghèo Nghi Đức lần {i}",
                leader=world.users["commune_leader_b"],
            )

    url = reverse("submissions:merge", args=[world.item_b.pk]) + "?q=ho+ngheo"
    assert_constant_queries(organizer, url, add_duplicates, few=1, many=8)


# --- similar items ------------------------------------------------------------------------------


def test_similar_items_rank_a_near_duplicate_first(world):
    if connection.vendor != "postgresql":
        pytest.skip("trigram similarity is PostgreSQL's")
    near = send(
        world,
        world.commune_a,
        "Hỗ trợ nhà ở cho hộ nghèo Nghi Phú",
        "Nội dung: Hỗ trợ nhà ở cho hộ nghèo Nghi Phú.",
    )
    send(world, world.commune_a, "Hỗ trợ giống lúa cho hộ nông dân", "Đề nghị hỗ trợ giống lúa vụ hè thu.")
    send(world, world.commune_a, "Nâng cấp trạm y tế xã", "Trạm y tế xuống cấp, đề nghị đầu tư.")
    matches = similar.similar_items(world.item_b)
    assert matches[0].item == near
    assert matches[0].score > 0.6
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    assert world.item_b not in [m.item for m in matches]


def test_similar_items_leave_out_merged_and_withdrawn(world):
    near = send(world, world.commune_a, "Hỗ trợ nhà ở cho hộ nghèo Nghi Đức")
    workflow.withdraw(near, by=world.users[Role.ORGANIZER])
    assert near not in [m.item for m in similar.similar_items(world.item_b)]


def test_shared_word_fallback_ranks_a_near_duplicate_first(world):
    """What SQLite uses; a plain Python computation, so it is tested on any database."""
    near = send(world, world.commune_a, "Hỗ trợ nhà ở cho hộ nghèo Nghi Đức")
    send(world, world.commune_a, "Nâng cấp trạm y tế xã", "Trạm y tế xuống cấp, đề nghị đầu tư.")
    matches = similar._by_shared_words(similar.candidates(world.item_b), similar.comparison_text(world.item_b), 10)
    assert matches[0].item == near
    assert all(m.score >= similar.WORD_THRESHOLD for m in matches)


def test_similar_fragment_and_page(organizer, world):
    near = send(world, world.commune_a, "Hỗ trợ nhà ở cho hộ nghèo Nghi Đức")
    url = reverse("submissions:similar", args=[world.item_b.pk])
    fragment = organizer.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert near.reference in fragment and "<html" not in fragment and "%" in fragment
    assert "<html" in organizer.get(url).content.decode()


# --- splitting ----------------------------------------------------------------------------------


def test_split_numbers_new_items_after_the_last(organizer, world):
    last = Submission.objects.filter(program=world.program).order_by("-number").first().number
    url = reverse("submissions:split", args=[world.item_b.pk])
    data = {
        "phan-TOTAL_FORMS": "3",
        "phan-INITIAL_FORMS": "0",
        "phan-0-title": "Hỗ trợ làm nhà cho hộ nghèo",
        "phan-0-content": "Phần về nhà ở.",
        "phan-1-title": "Hỗ trợ sửa chữa nhà văn hóa thôn",
        "phan-1-content": "Phần về nhà văn hóa.",
        "phan-2-title": "",
        "phan-2-content": "",
    }
    response = organizer.post(url, data)
    assert response.status_code == 302
    parts = list(Submission.objects.filter(split_from=world.item_b).order_by("number"))
    prefix = world.item_b.reference.rsplit("-", 1)[0]
    assert [(p.number, p.reference) for p in parts] == [
        (last + 1, f"{prefix}-{last + 1:03d}"),
        (last + 2, f"{prefix}-{last + 2:03d}"),
    ]
    assert all(p.status == "classified" and p.commune == world.commune_b for p in parts)
    assert all(list(p.origin_links.values_list("commune_id", flat=True)) == [world.commune_b.pk] for p in parts)
    assert Submission.objects.get(pk=world.item_b.pk).title == world.item_b.title  # the original keeps its text


def test_split_refuses_a_part_without_content_and_an_empty_split(organizer, world):
    url = reverse("submissions:split", args=[world.item_b.pk])
    management = {"phan-TOTAL_FORMS": "2", "phan-INITIAL_FORMS": "0"}
    page = organizer.post(url, {**management, "phan-0-title": "Chỉ có tiêu đề"}).content.decode()
    assert "Phần này cần có nội dung." in page
    page = organizer.post(url, management).content.decode()
    assert "Hãy nhập ít nhất một phần tách ra (tiêu đề và nội dung)." in page
    assert not Submission.objects.filter(split_from=world.item_b).exists()


def test_split_page_offers_more_parts(organizer, world):
    url = reverse("submissions:split", args=[world.item_b.pk])
    response = organizer.get(url + "?so-phan=4")
    assert response.context["formset"].total_form_count() == 4
    assert count_queries(organizer, url) < 15
