"""Every URL with every role: who gets the page, who is refused, who gets 404.

Adding a URL without adding it here fails `test_every_url_is_covered`, so no page ships
without its permissions being decided and tested. The world has two communes (A, B) and
two agencies (X, Y); the commune leader is A's and the agency officer is X's, so every
"other commune" and "other agency" case is a row below.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from directory.models import Role
from tests.permission_rows import ANON, ROLES, collect

ERROR_TEXT = {403: "Không có quyền truy cập", 404: "Không tìm thấy trang"}
MATRIX, OWN = collect()


def url_names(resolver=None, namespace: str = "") -> set[str]:
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":  # Django's admin is tested on its own below
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= url_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}{entry.name}")
    return names


def test_every_url_is_covered():
    missing = url_names() - set(MATRIX)
    assert not missing, f"URLs without a permission row: {sorted(missing)}"


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_matrix(world, name):
    """Every role against one URL, on one world (building the world is most of the cost, so
    it is built once per URL, not once per role); every wrong status is reported at once."""
    kwargs_of, expected = MATRIX[name]
    url = reverse(name, kwargs=kwargs_of(world) if kwargs_of else None)
    wrong = []
    for role in ROLES:
        client = Client()
        if role != ANON:
            client.force_login(world.users[role], backend="django.contrib.auth.backends.ModelBackend")
        response = client.get(url)
        if response.status_code != expected[role]:
            wrong.append(f"{role}: {response.status_code}, expected {expected[role]}")
            continue
        if role == ANON and expected[role] == 302 and not response["Location"].startswith(reverse("login")):
            wrong.append(f"{role}: sent to {response['Location']}, not to the login page")
        if expected[role] in ERROR_TEXT and ERROR_TEXT[expected[role]] not in response.content.decode():
            wrong.append(f"{role}: {expected[role]} without the Vietnamese error page")  # not Django's bare one
    assert not wrong, f"GET {url}: " + "; ".join(wrong)


@pytest.mark.parametrize(("name", "kwargs_of", "role", "status"), OWN)
def test_own_objects(client, world, name, kwargs_of, role, status):
    client.force_login(world.users[role], backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse(name, kwargs=kwargs_of(world))).status_code == status


@pytest.mark.parametrize("role", ROLES)
def test_admin_site_only_for_administrators(client, world, role):
    if role != ANON:
        client.force_login(world.users[role], backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("admin:index"))
    assert response.status_code == (200 if role == Role.ADMIN else 302)


def test_commune_leader_sees_nothing_of_another_commune(client, world):
    """Commune B's name and its leader appear on no page commune A's leader can open."""
    client.force_login(world.users[Role.COMMUNE_LEADER], backend="django.contrib.auth.backends.ModelBackend")
    leader_b = world.users["commune_leader_b"]
    for name, (kwargs_of, expected) in MATRIX.items():
        if expected[Role.COMMUNE_LEADER] != 200 or name == "sample_document":
            continue
        response = client.get(reverse(name, kwargs=kwargs_of(world) if kwargs_of else None))
        if not response["Content-Type"].startswith("text/"):
            continue  # PDFs, calendars: what they contain is tested with their views
        page = response.content.decode()
        assert world.commune_b.name not in page, name
        assert leader_b.full_name not in page, name
    listed = client.get(reverse("directory:unit_list"), {"q": "nghi duc"}).content.decode()
    assert world.commune_b.name not in listed
