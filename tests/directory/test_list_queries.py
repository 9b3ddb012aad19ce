"""Every list page of the directory keeps a constant number of queries (1 vs 50 rows)."""

import pytest
from django.urls import reverse

from directory.models import Role
from tests.factories import AgencyFactory, CommuneFactory, UserFactory
from tests.helpers import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.users[Role.ADMIN], backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_unit_list(admin_client, world):
    assert_constant_queries(
        admin_client, reverse("directory:unit_list"), lambda n: CommuneFactory.create_batch(n, parent=world.district)
    )


def test_unit_detail_children(admin_client, world):
    assert_constant_queries(
        admin_client,
        reverse("directory:unit_detail", args=[world.district.pk]),
        lambda n: CommuneFactory.create_batch(n, parent=world.district),
    )


def test_agency_list(admin_client, world):
    def add(n):
        for agency in AgencyFactory.create_batch(n, province=world.province):
            UserFactory(role=Role.AGENCY_OFFICER, agency=agency)

    assert_constant_queries(admin_client, reverse("directory:agency_list"), add)


def test_agency_detail_people(admin_client, world):
    assert_constant_queries(
        admin_client,
        reverse("directory:agency_detail", args=[world.agency_x.pk]),
        lambda n: UserFactory.create_batch(n, role=Role.AGENCY_OFFICER, agency=world.agency_x),
    )


def test_user_list(admin_client, world):
    def add(n):
        UserFactory.create_batch(n, commune_leader=True, commune=world.commune_a)

    assert_constant_queries(admin_client, reverse("directory:user_list"), add)


def test_user_detail_history(admin_client, world):
    person = world.users[Role.COMMUNE_LEADER]

    def add(n):
        for i in range(n):
            person.position = f"Chức vụ {i}"
            person.save()

    assert_constant_queries(admin_client, reverse("directory:user_detail", args=[person.pk]), add)


def test_home_for_admin(admin_client, world):
    from directory import audit

    assert_constant_queries(
        admin_client, reverse("home"), lambda n: [audit.record(world.users[Role.ADMIN], "login") for _ in range(n)]
    )
