"""Delegate badges (issue 7 item 5): A4 sheets of eight badges whose text reads back with its
diacritics, whose QR codes decode (from a 200 dpi PNG, as a door phone would see them) to the
delegates' random tokens and never to a database id; the background job with its progress."""

import io
import shutil
import subprocess
import unicodedata

import pytest
import zxingcpp
from django.template.loader import get_template
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from dialogue.celery import app as celery_app
from directory import jobs
from directory.models import BackgroundJob, Role
from programs import badges
from programs import jobs as program_jobs
from programs.models import Delegate

pytestmark = pytest.mark.django_db
BACKEND = "django.contrib.auth.backends.ModelBackend"
NAMES = ["Nguyễn Văn An", "Trần Thị Hương Giang", "Lê Đức Thịnh"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def eager():
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def people(world):
    made = []
    for i, name in enumerate(NAMES):
        # Ids far from anything a short token could contain by chance.
        person = Delegate(
            pk=9_876_540 + i,
            program=world.program,
            commune=world.commune_a if i < 2 else world.commune_b,
            full_name=name,
            title="Bí thư Đảng ủy, Chủ tịch HĐND xã Nghi Phú" if i == 0 else "Chủ tịch UBND",
            forum=world.forum if i != 2 else None,
            seat_row="3" if i == 0 else "",
            seat_number="07" if i == 0 else "",
        )
        person.save()
        made.append(person)
    return made


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return unicodedata.normalize("NFC", "\n".join(page.extract_text() for page in reader.pages))


def qr_codes(pdf: bytes, tmp_path, page: int = 1) -> list[str]:
    """The QR codes on one page, read from a 200 dpi PNG with zxing-cpp."""
    assert shutil.which("pdftoppm"), "poppler-utils (pdftoppm) is needed"
    source = tmp_path / "badges.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "200", "-f", str(page), "-l", str(page), str(source), str(tmp_path / "sheet")],
        check=True,
    )
    [png] = sorted(tmp_path.glob("sheet*.png"))
    with Image.open(png) as image:
        assert image.size == (1654, 2339)  # A4 at 200 dpi
        return [code.text for code in zxingcpp.read_barcodes(image) if code.format == zxingcpp.BarcodeFormat.QRCode]


def test_a_sheet_of_badges_reads_back_and_its_qr_codes_hold_the_tokens(world, people, tmp_path):
    pdf = badges.render_badges(world.program, badges.delegates_for_badges(world.program))
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = text_of(pdf)
    for name in NAMES:
        assert name in text
    assert "Bí thư Đảng ủy, Chủ tịch HĐND xã Nghi Phú" in text
    assert "Xã Nghi Phú – Huyện Nghi Lộc" in text and "Xã Nghi Đức – Huyện Nghi Lộc" in text
    assert "Diễn đàn xây dựng Đảng" in text and "Hàng 3, ghế 07" in text
    assert "Chương trình gặp mặt, đối thoại năm 2023" in text and "ĐẠI BIỂU" in text
    codes = qr_codes(pdf, tmp_path)
    assert sorted(codes) == sorted(p.token for p in people)
    # Never a database id: not in a code, not in the text, not in the HTML behind it.
    html = get_template(badges.TEMPLATE).render(badges.badge_context(world.program, people))
    for person in people:
        assert str(person.pk) not in "".join(codes) and str(person.pk) not in text and str(person.pk) not in html
        assert person.token not in text  # only in the QR


def test_the_qr_is_vector_and_local(world, people):
    uri = badges.qr_data_uri(people[0].token)
    assert uri.startswith("data:image/svg+xml")
    html = get_template(badges.TEMPLATE).render(badges.badge_context(world.program, people))
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "") and "https://" not in html


def test_large_sets_are_laid_out_in_batches_into_one_file(world, people, tmp_path, monkeypatch):
    monkeypatch.setattr(badges, "BATCH", 8)
    for i in range(14):  # 17 badges: three sheets, in three batches
        Delegate.objects.create(program=world.program, kind="guest", full_name=f"Khách Mời Số {i}")
    chosen = list(badges.delegates_for_badges(world.program))
    seen = []
    pdf = badges.render_badges(world.program, chosen, lambda done, total, stage=None: seen.append((done, total, stage)))
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 3
    assert [stage for _d, _t, stage in seen if stage] == [
        "Đang dựng thẻ 1–8 trên 17",
        "Đang dựng thẻ 9–16 trên 17",
        "Đang dựng thẻ 17–17 trên 17",
        "Đang ghi tệp PDF (3 tờ A4)",
    ]
    done = [d * 100 // t for d, t, _s in seen]
    assert done == sorted(done) and done[-1] == 100
    text = text_of(pdf)
    assert "Khách Mời Số 13" in text and "KHÁCH MỜI" in text
    assert sorted(qr_codes(pdf, tmp_path, page=3)) == sorted(d.token for d in chosen[16:])


def test_the_job_runs_and_reports_progress(client, world, people, eager, django_capture_on_commit_callbacks):
    organizer = world.users[Role.ORGANIZER]
    client.force_login(organizer, backend=BACKEND)
    page = client.get(reverse("programs:badges", args=[world.program.pk]))
    assert "3 thẻ, 1 tờ A4." in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("programs:badges", args=[world.program.pk]), {"scope": "all"})
    job = BackgroundJob.objects.get()
    assert response["Location"] == reverse("directory:job_status", args=[job.pk])
    assert job.status == "done", job.error
    assert job.kind == "programs.badges" and job.progress_done == job.progress_total
    assert job.result_name == "Thẻ đại biểu - tất cả - Chương trình gặp mặt, đối thoại năm 2023.pdf"
    download = client.get(reverse("directory:job_download", args=[job.pk]))
    pdf = b"".join(download.streaming_content)
    assert all(name in text_of(pdf) for name in NAMES)
    status = client.get(reverse("directory:job_status", args=[job.pk])).content.decode()
    assert reverse("programs:badges", args=[world.program.pk]) in status  # the way back
    # The progress the runner reports, as the bar shows it: from 0 to 100, never backwards.
    seen = []
    real = jobs.Progress(job.pk)

    def record(done, total, stage=None):
        seen.append(done * 100 // total)
        real(done, total, stage)

    BackgroundJob.objects.filter(pk=job.pk).update(status="running")
    job.refresh_from_db()
    result = program_jobs.badges_pdf(job, record)
    assert result.content.startswith(b"%PDF-") and seen == sorted(seen) and seen[0] == 0 and seen[-1] == 100


@pytest.mark.parametrize(
    ("scope", "target", "expected"),
    [
        ("forum", lambda w, p: w.forum.pk, NAMES[:2]),
        ("commune", lambda w, p: w.commune_b.pk, NAMES[2:]),
        ("delegate", lambda w, p: p[1].pk, NAMES[1:2]),
    ],
)
def test_choosing_which_badges(world, people, scope, target, expected):
    chosen, _label = program_jobs.selected_delegates(world.program, scope, target(world, people))
    assert [d.full_name for d in chosen] == expected


def test_a_delegate_found_by_name_and_refusals(client, world, people, eager, django_capture_on_commit_callbacks):
    client.force_login(world.users[Role.ORGANIZER], backend=BACKEND)
    target = reverse("programs:badges", args=[world.program.pk])
    several = client.post(target, {"scope": "delegate", "q": "nghi phu"}).content.decode()
    assert "2 đại biểu khớp với “nghi phu”" in several and not BackgroundJob.objects.exists()
    assert f'name="target" value="{people[0].pk}"' in several  # an id, not "9.876.540"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(target, {"scope": "delegate", "q": "huong giang"})
    job = BackgroundJob.objects.get()
    assert job.params == {"program": world.program.pk, "scope": "delegate", "target": people[1].pk}
    assert job.status == "done" and job.result_name.startswith("Thẻ đại biểu - Trần Thị Hương Giang")
    # Another program's delegate, a forum of nobody: the job refuses with a message.
    other = Delegate.objects.create(program=world.other_program, kind="guest", full_name="Khách Hà Tĩnh")
    for params in ({"scope": "delegate", "target": other.pk}, {"scope": "forum", "target": 0}):
        refused = BackgroundJob.objects.create(
            kind="programs.badges", params={"program": world.program.pk, **params}, created_by=job.created_by
        )
        assert jobs.run(refused.pk) == "failed"
    # A user who may not print badges (any more) gets nothing.
    lost = BackgroundJob.objects.create(
        kind="programs.badges",
        params={"program": world.program.pk, "scope": "all"},
        created_by=world.users["supervisor"],
    )
    assert jobs.run(lost.pk) == "failed"
    lost.refresh_from_db()
    assert "không còn quyền in thẻ" in lost.error
