"""Login, lockout, password change and reset, all in Vietnamese, all in the action log."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from directory.models import ActionLog, Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def post_login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_and_logout(client, world):
    user = world.users[Role.ORGANIZER]
    response = post_login(client, user.username, PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert ActionLog.objects.filter(actor=user, verb="login").exists()
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_message_is_vietnamese(client, world):
    response = post_login(client, world.users[Role.ORGANIZER].username, "sai")
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_lockout_after_repeated_failures(client, world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = world.users[Role.COMMUNE_LEADER]
    for _ in range(3):
        post_login(client, user.username, "sai-mat-khau")
    response = post_login(client, user.username, PASSWORD)
    assert response.status_code == 429
    assert "Tài khoản tạm khóa" in response.content.decode()
    assert ActionLog.objects.filter(verb="locked_out", target_id=str(user.pk)).exists()
    # Another account from the same address is not locked (lockout is per username and address).
    assert post_login(client, world.users[Role.ORGANIZER].username, PASSWORD).status_code == 302


def test_password_change(client, world):
    user = world.users[Role.AGENCY_OFFICER]
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Nghe-An-2025-moi", "new_password2": "Nghe-An-2025-moi"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Nghe-An-2025-moi")


def test_password_reset_by_email(client, world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = world.users[Role.SUPERVISOR]
    assert client.post(reverse("password_reset"), {"email": user.email}).status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Đặt lại mật khẩu hệ thống Đối thoại"
    assert user.full_name in message.body
    link = re.search(r"https?://[^/]+(/dat-lai-mat-khau/\S+/)", message.body).group(1)
    form_url = client.get(link)["Location"]  # Django swaps the token for a session marker
    response = client.post(form_url, {"new_password1": "Mat-khau-moi-2026", "new_password2": "Mat-khau-moi-2026"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Mat-khau-moi-2026")


def test_unknown_email_sends_nothing_and_reveals_nothing(client, world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert client.post(reverse("password_reset"), {"email": "khong-co@example.org"}).status_code == 302
    assert len(mail.outbox) == 0
