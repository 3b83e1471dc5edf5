import time

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.test import override_settings
from django.urls import reverse

from apps.accounts.models import LoginFailure
from apps.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
PW = "renda-test-pw"


def test_login_by_username_or_phone(world, client):
    world.town_user.phone = "13800000002"
    world.town_user.save()
    resp = client.post(reverse("accounts:login"), {"username": "13800000002", "password": PW})
    assert resp.status_code == 302
    client.logout()
    resp = client.post(reverse("accounts:login"), {"username": "town", "password": PW})
    assert resp.status_code == 302
    assert AuditEvent.objects.filter(action="auth.login", actor=world.town_user).count() == 2


def test_wrong_password_is_logged_and_explained(world, client):
    resp = client.post(reverse("accounts:login"), {"username": "town", "password": "nope"})
    assert resp.status_code == 400
    assert "密码不正确" in resp.content.decode()
    assert LoginFailure.objects.filter(username="town").count() == 1
    assert AuditEvent.objects.filter(action="auth.login.failed", object_id="town").exists()


@override_settings(RENDA={**__import__("django.conf").conf.settings.RENDA, "LOGIN_FREE_FAILURES": 3})
def test_repeated_failures_grow_a_delay(world, client):
    for _ in range(3):
        client.post(
            "/api/v1/auth/token", {"username": "town", "password": "bad"}, content_type="application/json"
        )
    # The fourth failure in a row sets a wait; even the right password is refused until it passes.
    client.post(
        "/api/v1/auth/token", {"username": "town", "password": "bad"}, content_type="application/json"
    )
    resp = client.post(
        "/api/v1/auth/token", {"username": "town", "password": PW}, content_type="application/json"
    )
    assert resp.status_code == 429
    assert resp.json()["code"] == "throttled"


def test_hundred_failures_an_hour_lock_the_account(world, client):
    from django.utils import timezone

    now = timezone.now()
    LoginFailure.objects.bulk_create(
        [
            LoginFailure(username="town", at=now - timezone.timedelta(minutes=50, seconds=i))
            for i in range(100)
        ]
    )
    resp = client.post(
        "/api/v1/auth/token", {"username": "town", "password": PW}, content_type="application/json"
    )
    assert resp.status_code == 429
    assert AuditEvent.objects.filter(action="auth.login.throttled").exists()


def test_token_login_and_me(world, client):
    resp = client.post(
        "/api/v1/auth/token", {"username": "county", "password": PW}, content_type="application/json"
    )
    token = resp.json()["token"]
    me = client.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert me["username"] == "county" and me["grants"][0]["role"] == "county_office"
    assert client.get("/api/v1/auth/me", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401


def test_passwords_hash_with_argon2_in_real_settings():
    from django.conf import settings

    from renda.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        from django.contrib.auth.hashers import make_password

        assert identify_hasher(make_password("x")).algorithm == "argon2"
    assert settings.AUTH_USER_MODEL == "accounts.User"


def test_staff_session_ends_after_idle_time(world, client, monkeypatch):
    client.force_login(world.town_user)
    assert client.get(reverse("people:deputy_list")).status_code == 200
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 31 * 60)
    resp = client.get(reverse("people:deputy_list"))
    assert resp.status_code == 302 and "expired=1" in resp["Location"]


def test_staff_session_ends_after_twelve_hours_even_when_busy(world, client, monkeypatch):
    client.force_login(world.town_user)
    real = time.time
    for minutes in range(0, 12 * 60, 25):  # a request every 25 minutes: never idle
        monkeypatch.setattr(time, "time", lambda m=minutes: real() + m * 60)
        assert client.get(reverse("home")).status_code == 200
    monkeypatch.setattr(time, "time", lambda: real() + 12 * 3600 + 60)
    assert client.get(reverse("home")).status_code == 302


def test_deputy_session_is_not_cut_after_idle_time(world, client, monkeypatch):
    client.force_login(world.deputy_user)
    client.get(reverse("home"))
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 45 * 60)
    assert client.get(reverse("home")).status_code == 200
