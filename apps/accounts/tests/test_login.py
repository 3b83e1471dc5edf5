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
    assert int(resp["Retry-After"]) >= 1
    assert resp.json()["fields"]["retry_after"] == [resp["Retry-After"]]


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


# --- per client address (issue 14 item 9) ---------------------------------------------------------------
OUTSIDE = "203.0.113.7"


@pytest.fixture
def address_limit(settings):
    """Three free failures per address, then a long first delay (no test races a one-second wait)."""
    settings.RENDA = {
        **settings.RENDA,
        "LOGIN_IP_FREE_FAILURES": 3,
        "LOGIN_DELAY_BASE_SECONDS": 60,
        "TRUSTED_PROXIES": ["10.0.0.1"],
    }


def api_login(client, username, password, **meta):
    body = {"username": username, "password": password}
    return client.post("/api/v1/auth/token", body, content_type="application/json", **meta)


def page_login(client, username, password, **meta):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, **meta)


def test_one_address_trying_many_accounts_waits_and_is_told_when_to_retry(world, client, address_limit):
    for name in ("alice", "bob", "carol"):  # password spraying: each account fails once only
        assert api_login(client, name, "bad", REMOTE_ADDR=OUTSIDE).status_code == 401
    assert LoginFailure.objects.filter(ip=OUTSIDE).count() == 3
    # Even the right password of an untouched account is refused from that address until the wait is over.
    resp = api_login(client, "town", PW, REMOTE_ADDR=OUTSIDE)
    assert resp.status_code == 429
    assert 1 <= int(resp["Retry-After"]) <= 60
    assert resp.json()["code"] == "throttled" and "网络地址" in resp.json()["message"]
    event = AuditEvent.objects.get(action="auth.login.throttled")
    assert event.summary["limit"] == "address" and event.ip == OUTSIDE
    # Another address is not held back, and neither is the account.
    assert api_login(client, "town", PW, REMOTE_ADDR="198.51.100.20").status_code == 200


def test_the_login_page_answers_429_with_retry_after_and_a_chinese_message(world, client, address_limit):
    for name in ("alice", "bob", "carol"):
        assert page_login(client, name, "bad", REMOTE_ADDR=OUTSIDE).status_code == 400
    resp = page_login(client, "town", PW, REMOTE_ADDR=OUTSIDE)
    assert resp.status_code == 429
    assert 1 <= int(resp["Retry-After"]) <= 60
    assert "登录失败次数过多" in resp.content.decode() and "秒后再试" in resp.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_forged_forwarded_for_from_outside_cannot_escape_the_address_limit(world, client, address_limit):
    """The client reaches the application directly and writes a new X-Forwarded-For every time."""
    for i, name in enumerate(("alice", "bob", "carol")):
        api_login(client, name, "bad", REMOTE_ADDR=OUTSIDE, HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
    assert set(LoginFailure.objects.values_list("ip", flat=True)) == {OUTSIDE}
    for forged in ("192.0.2.99", "10.0.0.1", f"192.0.2.98, {OUTSIDE}", "198.51.100.20, 10.0.0.1"):
        meta = {"REMOTE_ADDR": OUTSIDE, "HTTP_X_FORWARDED_FOR": forged}
        assert api_login(client, "town", PW, **meta).status_code == 429
        assert page_login(client, "town", PW, **meta).status_code == 429


def test_behind_the_trusted_proxy_each_client_address_has_its_own_limit(world, client, address_limit):
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for name in ("alice", "bob", "carol"):
        api_login(client, name, "bad", HTTP_X_FORWARDED_FOR="198.51.100.9", **proxy)
    assert set(LoginFailure.objects.values_list("ip", flat=True)) == {"198.51.100.9"}
    # A proxy that appends: what the client wrote on the left is never taken for its address.
    forged = "198.51.100.10, 198.51.100.9"
    assert api_login(client, "town", PW, HTTP_X_FORWARDED_FOR=forged, **proxy).status_code == 429
    assert api_login(client, "town", PW, HTTP_X_FORWARDED_FOR="198.51.100.9", **proxy).status_code == 429
    assert api_login(client, "town", PW, HTTP_X_FORWARDED_FOR="198.51.100.10", **proxy).status_code == 200


def test_the_address_delay_doubles_and_the_hourly_cap_locks(world, settings):
    from django.utils import timezone

    from apps.accounts.services import address_wait

    settings.RENDA = {**settings.RENDA, "LOGIN_IP_FREE_FAILURES": 3, "LOGIN_IP_MAX_FAILURES_PER_HOUR": 8}
    now = timezone.now()
    assert address_wait(OUTSIDE, now=now) == 0
    waits = []
    for i in range(7):
        LoginFailure.objects.create(username=f"u{i}", ip=OUTSIDE, at=now)
        waits.append(address_wait(OUTSIDE, now=now))
    assert waits == [0, 0, 1, 2, 4, 8, 16]  # LOGIN_DELAY_BASE_SECONDS 1, doubling from the third failure
    assert address_wait("198.51.100.20", now=now) == 0 and address_wait(None, now=now) == 0
    LoginFailure.objects.create(username="u7", ip=OUTSIDE, at=now - timezone.timedelta(minutes=20))
    # Eight failures within the hour: no attempt until the oldest of them is an hour old.
    assert address_wait(OUTSIDE, now=now) == 40 * 60
