"""`seed_demo` builds Nghệ An's catalogue and a user per role, and changes nothing when rerun."""

import pytest
from django.core.management import call_command

from directory import demo
from directory.models import Agency, Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def nghe_an_units():
    call_command("import_admin_units", "--province", "40", verbosity=0)


def snapshot():
    return (
        Agency.objects.count(),
        User.objects.count(),
        Agency.history.count(),
        User.history.count(),
    )


def test_seed_is_complete_and_idempotent(nghe_an_units):
    call_command("seed_demo", verbosity=0)
    first = snapshot()
    call_command("seed_demo", verbosity=0)
    assert snapshot() == first
    assert first[0] == len(demo.load_agency_catalog())
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    leader = User.objects.get(username="phuong.truongvinh")
    assert leader.commune.full_name == "Phường Trường Vinh" and leader.commune.is_current
    assert leader.check_password(demo.DEMO_PASSWORD)
    mttq = User.objects.get(username="mttq")
    assert mttq.role == Role.SUPERVISOR and mttq.agency.short_name == "UBMTTQ tỉnh"
    assert Agency.objects.get(code="na-so-y-te").parent.code == "na-ubnd"


def test_seed_without_units_says_what_to_do(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="import_admin_units"):
        call_command("seed_demo", verbosity=0)
