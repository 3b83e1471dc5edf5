"""Sign-in by SMS code (issue 17, part 2): six digits, five minutes, one use, limited per phone and per
address; the forgotten password by the same code; the one-time link; the demo shows the code, production
never."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts import managing, signin
from apps.accounts.models import SmsCode, User
from apps.audit.models import AuditEvent
from apps.notifications.models import OutboundMessage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sent_at_once(monkeypatch):
    """Queued messages leave at once (a test's transaction never commits, so on_commit would wait)."""
    from apps.notifications import services

    monkeypatch.setattr(services, "_queue_after_commit", lambda ids: services._enqueue(ids))


PHONE = "13800000009"


@pytest.fixture
def person(world):
    world.deputy_user.phone = PHONE
    world.deputy_user.save()
    return world.deputy_user


def _code(outbox, kind="login_code"):
    sent = [m for m in outbox if m.kind == kind]
    assert sent, outbox
    return sent[-1].params["code"]


def _ask(client, purpose="login", phone=PHONE, **extra):
    body = {"phone": phone, "purpose": purpose}
    return client.post("/api/v1/accounts/code", body, content_type="application/json", **extra)


def _use(client, code, phone=PHONE, **extra):
    body = {"phone": phone, "code": code}
    return client.post("/api/v1/accounts/code/token", body, content_type="application/json", **extra)


def test_a_code_signs_in_once(person, outbox, client):
    assert _ask(client).json() == {"sent": True, "valid_seconds": 300}
    code = _code(outbox)
    assert len(code) == 6 and code.isdigit()
    response = _use(client, code)
    assert response.status_code == 200 and response.json()["token"]
    assert _use(client, code).status_code == 400  # one use
    assert AuditEvent.objects.filter(action="auth.login", actor=person).exists()


def test_the_code_is_not_kept_in_clear(person, outbox, client):
    _ask(client)
    code = _code(outbox)
    row = SmsCode.objects.get()
    assert code not in row.code_hash
    message = OutboundMessage.objects.get(kind="login_code")
    assert message.status == "sent" and code not in message.text and not message.params


def test_a_code_expires_after_five_minutes(person, outbox, client):
    _ask(client)
    code = _code(outbox)
    SmsCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = _use(client, code)
    assert response.status_code == 400 and response.json()["code"] == "code_invalid"


def test_a_new_code_is_needed_after_use_and_older_codes_die_with_it(person, outbox, client):
    _ask(client)
    first = _code(outbox)
    _ask(client)
    second = _code(outbox)
    assert _use(client, second).status_code == 200
    assert _use(client, first).status_code == 400


def test_an_unknown_phone_gets_the_same_answer_and_no_sms(world, outbox, client):
    response = _ask(client, phone="13999999999")
    assert response.status_code == 200 and response.json()["sent"] is True
    assert not outbox


def test_codes_are_limited_per_phone(person, outbox, client, settings):
    settings.RENDA = {**settings.RENDA, "SMS_CODES_PER_PHONE_PER_HOUR": 2}
    assert _ask(client).status_code == 200
    assert _ask(client, REMOTE_ADDR="10.0.0.2").status_code == 200
    response = _ask(client, REMOTE_ADDR="10.0.0.3")
    assert response.status_code == 429 and response.json()["code"] == "code_limit"
    assert AuditEvent.objects.filter(action="auth.code.throttled").exists()


def test_codes_are_limited_per_address(person, outbox, client, settings):
    settings.RENDA = {**settings.RENDA, "SMS_CODES_PER_IP_PER_HOUR": 2}
    assert _ask(client, phone="13900000001").status_code == 200
    assert _ask(client, phone="13900000002").status_code == 200
    assert _ask(client, phone="13900000003").status_code == 429
    assert _ask(client, phone="13900000004", REMOTE_ADDR="10.9.9.9").status_code == 200


def test_wrong_codes_count_as_failed_logins_per_phone(person, outbox, client, settings):
    settings.RENDA = {**settings.RENDA, "LOGIN_FREE_FAILURES": 2, "LOGIN_IP_FREE_FAILURES": 1000}
    _ask(client)
    code = _code(outbox)
    wrong = "000000" if code != "000000" else "111111"
    for i in range(2):
        assert _use(client, wrong, REMOTE_ADDR=f"10.0.1.{i}").status_code == 400
    response = _use(client, code, REMOTE_ADDR="10.0.1.9")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0


def test_wrong_codes_count_per_address(person, outbox, client, settings):
    settings.RENDA = {**settings.RENDA, "LOGIN_IP_FREE_FAILURES": 2, "LOGIN_FREE_FAILURES": 1000}
    for phone in ("13900000011", "13900000012"):
        assert _use(client, "123456", phone=phone).status_code == 400
    assert _use(client, "123456", phone="13900000013").status_code == 429


def test_the_sign_in_page_with_a_code(person, outbox, client):
    response = client.post(reverse("accounts:code_login"), {"phone": PHONE, "step": "send"})
    assert response.status_code == 200
    code = _code(outbox)
    assert code not in response.content.decode()  # test settings: not the demo
    response = client.post(reverse("accounts:code_login"), {"phone": PHONE, "code": code, "step": "login"})
    assert response.status_code == 302
    assert client.get(reverse("accounts:me")).status_code == 200


def test_the_demo_shows_the_code_on_the_page_production_never(person, outbox, client, settings):
    settings.RENDA = {**settings.RENDA, "SMS_CODE_SHOWN_ON_PAGE": True}
    response = client.post(reverse("accounts:code_login"), {"phone": PHONE, "step": "send"})
    assert _code(outbox) in response.content.decode()
    settings.RENDA_ENV = "production"
    response = client.post(reverse("accounts:code_login"), {"phone": PHONE, "step": "send"})
    assert _code(outbox) not in response.content.decode()


def test_production_settings_turn_the_demo_display_off():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[3] / "renda" / "settings" / "production.py").read_text()
    assert 'RENDA["SMS_CODE_SHOWN_ON_PAGE"] = False' in text


def test_forgot_password_by_code(person, outbox, client):
    assert _ask(client, purpose="reset").status_code == 200
    code = _code(outbox, "reset_code")
    assert _use(client, code).status_code == 400  # a reset code does not sign in
    body = {"phone": PHONE, "code": code, "new_password": "short"}
    weak = client.post("/api/v1/accounts/code/reset", body, content_type="application/json")
    assert weak.status_code == 400 and "new_password" in weak.json()["fields"]
    body["new_password"] = "Yuehe-River-2026"
    assert (
        client.post("/api/v1/accounts/code/reset", body, content_type="application/json").status_code == 204
    )
    assert User.objects.get(pk=person.pk).check_password("Yuehe-River-2026")
    assert (
        client.post("/api/v1/accounts/code/reset", body, content_type="application/json").status_code == 400
    )
    assert AuditEvent.objects.filter(action="auth.password.reset_by_code").exists()


def test_forgot_password_page(person, outbox, client):
    client.post(reverse("accounts:forgot"), {"phone": PHONE, "step": "send"})
    code = _code(outbox, "reset_code")
    data = {"phone": PHONE, "code": code, "new_password": "Yuehe-River-2026", "step": "reset"}
    assert client.post(reverse("accounts:forgot"), data).status_code == 302
    assert signin.log_in_with_code  # the page and the API share the service
    assert User.objects.get(pk=person.pk).check_password("Yuehe-River-2026")


def test_a_disabled_login_gets_no_code(person, outbox, client):
    person.is_active = False
    person.save()
    _ask(client)
    assert not outbox


def test_a_one_time_link_signs_in_once_and_asks_for_a_password(world, outbox):
    issued = managing.reset_password(
        actor=world.town_user, user_id=world.unit_user.pk, delivery="slip", base_url="http://testserver/"
    )
    path = issued.link.replace("http://testserver", "")
    client = Client()
    assert client.get(path).status_code == 200  # asks first: a link checker uses nothing
    response = client.post(path)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password")
    assert Client().post(path).status_code == 400  # used


def test_a_link_by_sms_is_sent_to_the_phone(world, outbox):
    world.unit_user.phone = "13900005555"
    world.unit_user.save()
    issued = managing.reset_password(
        actor=world.town_user, user_id=world.unit_user.pk, delivery="sms", base_url="http://testserver/"
    )
    assert issued.sms_sent and not issued.password
    (sent,) = [m for m in outbox if m.kind == "signin_link"]
    assert sent.address == "13900005555" and issued.link in sent.text


def test_a_deputy_turns_non_essential_sms_off_and_still_gets_codes_and_deadlines(person, outbox, client):
    from apps.notifications.services import notify

    client.force_login(person)
    body = {"sms_optional": False}
    assert (
        client.put("/api/v1/accounts/preferences", body, content_type="application/json").status_code == 200
    )
    person.refresh_from_db()
    notify(recipients=[person], kind="suggestion.invite", title="通知", dedupe_key="t:1")
    notify(recipients=[person], kind="workflow.reminder", title="即将到期", dedupe_key="t:2")
    assert [m.kind for m in outbox] == ["deadline"]
    _ask(Client())
    assert outbox[-1].kind == "login_code"
    assert AuditEvent.objects.filter(action="accounts.preferences.changed").exists()
