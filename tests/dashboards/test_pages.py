"""The dashboard pages: a fixed number of queries whatever the data, the PDF briefing read back,
the Excel workbook read back, sorting, who is sent where, the menu and the program tab."""

from __future__ import annotations

import io
import itertools

import openpyxl
import pytest
from django.urls import reverse
from pypdf import PdfReader

from dashboards.program import program_dashboard
from directory.models import Role
from tests.dashboards.helpers import add_variety
from tests.helpers import assert_constant_queries

pytestmark = pytest.mark.django_db
_counter = itertools.count(1)


@pytest.fixture
def standing(client, world):
    client.force_login(world.users[Role.STANDING_COMMITTEE], backend="django.contrib.auth.backends.ModelBackend")
    return client


def more_rows(w):
    """add(n): n more items (routed to X or Y, some answered), delegates and assignments."""
    from conclusions.models import Assignment
    from programs.models import Delegate
    from submissions import workflow
    from submissions.models import Answer, Submission
    from tests.factories import AgencyFactory, add_assignment, issue_notice, make_notice

    organizer = w.users[Role.ORGANIZER]

    def add(n: int):
        notice = make_notice(w.program, by=organizer, summary="kết luận bổ sung")
        for _ in range(n):
            i = next(_counter)
            commune, leader = (
                (w.commune_a, w.users[Role.COMMUNE_LEADER]) if i % 2 else (w.commune_b, w.users["commune_leader_b"])
            )
            item = workflow.submit(
                workflow.save_draft(
                    Submission(program=w.program, kind="proposal", title=f"Đề xuất {i}", content="…", commune=commune),
                    by=leader,
                ),
                by=leader,
            )
            # Every other one to agency X, so its own page grows too.
            agency = w.agency_x if i % 2 else AgencyFactory(province=w.province, name=f"Sở thứ {i}", code=f"so-{i}")
            workflow.route(item, lead_agency=agency, working_days=10, by=organizer)
            if i % 3 == 0:
                answer = workflow.save_answer_draft(
                    Answer(submission=item, agency=agency, text="Đã xử lý."), by=organizer
                )
                workflow.submit_answer(answer, by=organizer)
            Delegate.objects.create(program=w.program, full_name=f"Đại biểu {i}", commune=commune)
            add_assignment(notice, agency, by=organizer, output=Assignment.Output.REPORT, working_days=20)
        issue_notice(
            notice, organizer=organizer, approver=w.users[Role.STANDING_COMMITTEE], sequence=next(_counter) + 2000
        )

    return add


@pytest.mark.parametrize(
    "name",
    ["program", "overview", "agencies", "agency", "commune", "map", "submissions", "assignments"],
)
def test_constant_queries(standing, world, name):
    urls = {
        "program": reverse("dashboards:program", args=[world.program.pk]),
        "overview": reverse("dashboards:overview"),
        "agencies": reverse("dashboards:agencies") + "?sort=name",
        "agency": reverse("dashboards:agency", args=[world.agency_x.pk]),
        "commune": reverse("dashboards:commune", args=[world.commune_a.pk]),
        "map": reverse("dashboards:map") + "?metric=unresolved",
        "submissions": reverse("dashboards:submissions") + f"?program={world.program.pk}&deadline=open",
        "assignments": reverse("dashboards:assignments") + "?state=open",
    }
    assert_constant_queries(standing, urls[name], more_rows(world), few=1, many=12)


def test_pdf_briefing_reads_back(standing, world):
    add_variety(world)
    response = standing.get(reverse("dashboards:program_pdf", args=[world.program.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    for words in [
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "TỈNH ỦY NGHỆ AN",
        "BÁO CÁO NHANH",
        "I. SỐ LIỆU CHÍNH",
        "Câu hỏi, đề xuất, kiến nghị theo lĩnh vực",
        "Chưa trả lời – quá hạn",
        "Trả lời trực tiếp tại chương trình",
        "Nhiệm vụ theo thông báo kết luận",
        world.agency_x.name,
    ]:
        assert words in text, words
    dashboard = program_dashboard(world.program, world.users[Role.STANDING_COMMITTEE])
    assert f"Câu hỏi, đề xuất, kiến nghị {dashboard.metrics[3]}" in text  # the figure next to its label


def test_excel_reads_back(standing, world):
    add_variety(world)
    response = standing.get(reverse("dashboards:program_xlsx", args=[world.program.pk]))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[0] == "Tổng quan"
    assert "Tình trạng hạn trả lời" in workbook.sheetnames
    figures = {row[0]: row[1] for row in workbook["Tổng quan"].iter_rows(min_row=4, values_only=True)}
    assert figures["Câu hỏi, đề xuất, kiến nghị"] == 6
    deadline = {row[0]: row[1] for row in workbook["Tình trạng hạn trả lời"].iter_rows(min_row=4, values_only=True)}
    assert deadline["Chưa trả lời – quá hạn"] == 1


@pytest.mark.parametrize("name", ["overview", "agencies", "map"])
def test_province_exports(standing, world, name):
    pdf = standing.get(reverse(f"dashboards:{name}_pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = standing.get(reverse(f"dashboards:{name}_xlsx"))
    assert openpyxl.load_workbook(io.BytesIO(xlsx.content)).sheetnames[0] == "Tổng quan"


def test_scorecard_sorts(standing, world):
    add_variety(world)

    def order(sort):
        dashboard = standing.get(reverse("dashboards:agencies"), {"sort": sort}).context["dashboard"]
        return [str(row[0]) for row in dashboard.section("agencies").table.rows]

    assert order("name") == sorted([world.agency_x.name, world.agency_y.name])
    assert order("overdue")[0] == world.agency_x.name  # the one with an overdue item
    assert order("late")[0] == world.agency_y.name  # the one that answered late
    html = standing.get(reverse("dashboards:agencies"), {"sort": "late"}).content.decode()
    assert 'aria-current="true">Trễ hạn&nbsp;▾</a>' in html


def test_agency_officer_is_sent_to_their_own_scorecard(client, world):
    client.force_login(world.users[Role.AGENCY_OFFICER], backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("dashboards:agencies"))
    assert response["Location"] == reverse("dashboards:agency", args=[world.agency_x.pk])
    assert client.get(reverse("dashboards:mine"))["Location"] == response["Location"]


def test_commune_leader_is_sent_to_their_commune(client, world):
    client.force_login(world.users[Role.COMMUNE_LEADER], backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("dashboards:mine"))["Location"] == reverse(
        "dashboards:commune", args=[world.commune_a.pk]
    )


@pytest.mark.parametrize(
    ("role", "entry"),
    [
        (Role.STANDING_COMMITTEE, "Bảng điều khiển"),
        (Role.SUPERVISOR, "Bảng điều khiển"),
        (Role.AGENCY_OFFICER, "Kết quả của đơn vị"),
        (Role.COMMUNE_LEADER, "Kết quả của đơn vị"),
    ],
)
def test_menu(client, world, role, entry):
    client.force_login(world.users[role], backend="django.contrib.auth.backends.ModelBackend")
    labels = [item["label"] for item in client.get(reverse("home")).context["nav_items"]]
    assert entry in labels
    other = {"Bảng điều khiển", "Kết quả của đơn vị"} - {entry}
    assert not other & set(labels)


def test_program_tab_for_readers_only(client, world):
    for role, shown in [(Role.STANDING_COMMITTEE, True), (Role.AGENCY_OFFICER, False), (Role.COMMUNE_LEADER, False)]:
        client.force_login(world.users[role], backend="django.contrib.auth.backends.ModelBackend")
        tabs = client.get(reverse("programs:detail", args=[world.program.pk])).context["tabs"]
        assert ("Bảng điều khiển" in [str(tab["label"]) for tab in tabs]) is shown, role


def test_administrator_chooses_the_province(client, world):
    client.force_login(world.users[Role.ADMIN], backend="django.contrib.auth.backends.ModelBackend")
    other = world.other_program.province
    response = client.get(reverse("dashboards:overview"), {"province": other.pk})
    assert response.context["province"] == other
    assert "Hà Tĩnh" in response.context["dashboard"].title
    # Anyone else keeps their own province, whatever they ask for.
    client.force_login(world.users[Role.ORGANIZER], backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("dashboards:overview"), {"province": other.pk}).context["province"] == world.province


def test_drill_list_refuses_a_bad_filter_in_vietnamese(standing, world):
    response = standing.get(reverse("dashboards:submissions"), {"deadline": "khong-co"})
    assert response.status_code == 200
    assert "Lựa chọn không hợp lệ." in response.content.decode()


def test_charts_have_their_numbers_and_a_title(standing, world):
    add_variety(world)
    html = standing.get(reverse("dashboards:program", args=[world.program.pk])).content.decode()
    assert '<svg class="chart"' in html and 'role="img"' in html
    assert '<title id="chart-items_deadline">Tình trạng hạn trả lời</title>' in html
    assert 'class="chart-value" font-weight="bold"' in html and ">1</text>" in html  # each bar carries its number


def test_drill_lists_export_every_row(standing, world):
    """The lists behind the numbers as .xlsx: every row of the filter, not one page."""
    add_variety(world)
    query = {"program": world.program.pk, "deadline": "answered"}
    count = standing.get(reverse("dashboards:submissions"), query).context["count"]
    workbook = openpyxl.load_workbook(io.BytesIO(standing.get(reverse("dashboards:submissions_xlsx"), query).content))
    references = [row[0] for row in workbook.active.iter_rows(min_row=4, values_only=True) if row[0]]
    assert len(references) == count == 2
    rows = openpyxl.load_workbook(
        io.BytesIO(standing.get(reverse("dashboards:assignments_xlsx"), {"state": "open"}).content)
    ).active
    notices = [row[0] for row in rows.iter_rows(min_row=4, values_only=True) if row[0]]
    assert notices == ["1029-TB/TU", "1029-TB/TU"]


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        (Role.STANDING_COMMITTEE, "Mở bảng điều khiển"),
        (Role.SUPERVISOR, "Mở bảng điều khiển"),
        (Role.AGENCY_OFFICER, "Kết quả của đơn vị"),
        (Role.COMMUNE_LEADER, "Kết quả của đơn vị"),
    ],
)
def test_home_page_leads_to_the_dashboards(client, world, role, shown):
    client.force_login(world.users[role], backend="django.contrib.auth.backends.ModelBackend")
    html = client.get(reverse("home")).content.decode()
    assert shown in html
    if role in (Role.STANDING_COMMITTEE, Role.SUPERVISOR):
        assert "Các chương trình của Tỉnh Nghệ An" in html and "metric-value" in html


def test_scorecard_refuses_a_program_of_another_province_in_vietnamese(standing, world):
    """Another province's program id is not a choice: said in Vietnamese, the whole province shown."""
    response = standing.get(reverse("dashboards:agencies"), {"program": world.other_program.pk})
    assert response.status_code == 200
    assert "Lựa chọn không hợp lệ." in response.content.decode()
    assert "Tỉnh Nghệ An" in response.context["dashboard"].title
