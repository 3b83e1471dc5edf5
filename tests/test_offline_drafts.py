"""Offline drafts sent exactly once (issue 17 part 8): a phone sends a duty record or an opinion again when
the answer was lost; the same Idempotency-Key (API header or page field) gets the first record back."""

import uuid

import pytest
from django.test import Client
from django.utils import timezone

from apps.accounts.services import issue_token
from apps.audit.models import AuditEvent
from apps.common.models import IdempotencyKey
from apps.duty.models import DutyRecord
from apps.opinions.models import Opinion

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _api(user):
    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user=user)}")


def _post(c, path, body, key):
    return c.post(API + path, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=str(key))


DUTY = {"kind": "study", "date": "2026-03-03", "title": "学习代表法"}


def _opinion_body(world):
    return {
        "source": "visit",
        "title": "月河村三组通组路损毁",
        "content": "雨天泥泞，群众出行困难。",
        "region": world.village_a.code,
        "deputy": world.deputy_a.pk,
    }


def test_the_same_duty_draft_sent_twice_to_the_api_makes_one_record_and_the_same_answer(world):
    c, key = _api(world.deputy_user), uuid.uuid4()
    first = _post(c, "/duty/records", DUTY, key)
    again = _post(c, "/duty/records", DUTY, key)
    assert first.status_code == again.status_code == 201, again.content
    assert first.json() == again.json()
    assert DutyRecord.objects.filter(deputy=world.deputy_a).count() == 1
    assert AuditEvent.objects.filter(action="duty.record.created").count() == 1
    other = _post(c, "/duty/records", DUTY, uuid.uuid4())  # another draft: another record
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]


def test_the_same_opinion_draft_sent_twice_to_the_api_makes_one_opinion(world):
    c, key = _api(world.deputy_user), uuid.uuid4()
    first = _post(c, "/opinions", _opinion_body(world), key)
    again = _post(c, "/opinions", _opinion_body(world), key)
    assert first.status_code == again.status_code == 201, again.content
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["tracking_code"] == again.json()["tracking_code"]
    assert Opinion.objects.count() == 1


def test_the_same_duty_draft_posted_twice_to_the_page_makes_one_record(client, world):
    client.force_login(world.deputy_user)
    form = {**DUTY, "idempotency_key": str(uuid.uuid4())}
    first = client.post("/duty/new/", form)
    again = client.post("/duty/new/", form)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert DutyRecord.objects.filter(deputy=world.deputy_a).count() == 1
    assert "已经登记过" in client.get(again["Location"]).content.decode()


def test_the_same_opinion_draft_posted_twice_to_the_page_makes_one_opinion(client, world):
    client.force_login(world.deputy_user)
    today = timezone.localdate().isoformat()
    key = str(uuid.uuid4())
    form = {**_opinion_body(world), "topic": "road", "received_on": today, "idempotency_key": key}
    first = client.post("/opinions/new/", form)
    again = client.post("/opinions/new/", form)
    assert first.status_code == again.status_code == 302, first.content.decode()[-3000:]
    assert first["Location"] == again["Location"]
    assert Opinion.objects.count() == 1


def test_a_draft_refused_for_a_wrong_field_keeps_no_key_and_may_be_sent_again_corrected(client, world):
    client.force_login(world.deputy_user)
    key = str(uuid.uuid4())
    bad = client.post("/duty/new/", {**DUTY, "date": "2099-01-01", "idempotency_key": key})
    assert bad.status_code == 200 and not IdempotencyKey.objects.exists()
    good = client.post("/duty/new/", {**DUTY, "idempotency_key": key})
    assert good.status_code == 302 and DutyRecord.objects.count() == 1


def test_keys_are_per_user_and_per_kind(world):
    key = uuid.uuid4()
    assert _post(_api(world.deputy_user), "/duty/records", DUTY, key).status_code == 201
    # The same key from another login is that login's own draft.
    office = _post(_api(world.town_user), "/duty/records", {**DUTY, "deputy": world.deputy_a2.pk}, key)
    assert office.status_code == 201 and DutyRecord.objects.count() == 2
    # The same key for another kind of write is refused, naming the field; nothing is created.
    reused = _post(_api(world.deputy_user), "/opinions", _opinion_body(world), key)
    assert reused.status_code == 400 and reused.json()["code"] == "idempotency_key_reused"
    assert Opinion.objects.count() == 0


def test_a_key_that_is_not_a_uuid_is_a_field_error_never_a_500(client, world):
    resp = _api(world.deputy_user).post(
        API + "/duty/records", DUTY, content_type="application/json", HTTP_IDEMPOTENCY_KEY="x\x01y"
    )
    assert resp.status_code in (400, 422)
    client.force_login(world.deputy_user)
    page = client.post("/duty/new/", {**DUTY, "idempotency_key": "not-a-uuid"})
    assert page.status_code == 200 and "幂等键格式不正确" in page.content.decode()
    assert DutyRecord.objects.count() == 0
