"""Who changed what and when: model history and the action log, shown on the object's page."""

import pytest
from django.urls import reverse

from directory import audit
from directory.models import ActionLog, Role

pytestmark = pytest.mark.django_db


def test_admin_change_is_recorded_with_its_author(client, world):
    admin = world.users[Role.ADMIN]
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    agency = world.agency_x
    url = reverse("admin:directory_agency_change", args=[agency.pk])
    data = {
        "code": agency.code,
        "name": agency.name,
        "short_name": "Sở GTVT",
        "kind": agency.kind,
        "province": agency.province_id,
        "parent": "",
        "email": "gtvt@nghean.example",
        "phone": "",
        "is_active": "on",
    }
    assert client.post(url, data).status_code == 302
    latest = agency.history.latest()
    assert latest.history_user == admin
    page = client.get(reverse("directory:agency_detail", args=[agency.pk])).content.decode()
    assert "Lịch sử thay đổi" in page
    assert "gtvt@nghean.example" in page and admin.full_name in page


def test_field_history_diff(world):
    unit = world.commune_a
    unit.name = "Nghi Phú Mới"
    unit.save()
    entries = audit.field_history(unit)
    assert entries[0]["changes"] == [{"field": "tên", "name": "name", "old": "Nghi Phú", "new": "Nghi Phú Mới"}]
    assert entries[0]["type"] == "Sửa" and entries[-1]["type"] == "Tạo mới"
    assert entries[-1]["changes"] == []  # creation


def test_record_action(world):
    actor = world.users[Role.ORGANIZER]
    entry = audit.record(actor, "approve", world.agency_x, note="thử")
    assert entry in audit.actions_for(world.agency_x)
    assert ActionLog.objects.get(pk=entry.pk).changes == {"note": "thử"}
