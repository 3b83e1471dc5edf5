"""Bulk approval of duty records (issue 16 item 8): each through the engine, each audited; a record that is
not pending or out of sight is named and left alone."""

from django.test import Client

from apps.audit.models import AuditEvent
from apps.duty.models import DutyRecord, ReviewState
from apps.workflow.services import steps_of

from .factories import entered


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_the_office_approves_several_records_at_once_each_audited(world):
    a = entered(world.deputy_a, title="一")
    b = entered(world.deputy_a2, title="二")
    done = entered(world.deputy_a, title="三", state=ReviewState.APPROVED)
    foreign = entered(world.deputy_b, title="别镇")
    r = _client(world.town_user).post(
        "/duty/review/approve/", {"ids": [a.pk, b.pk, done.pk, foreign.pk], "next": "/duty/review/"}
    )
    assert r.status_code == 302
    states = dict(DutyRecord.objects.values_list("pk", "review_state"))
    assert states[a.pk] == states[b.pk] == ReviewState.APPROVED
    assert states[foreign.pk] == ReviewState.PENDING
    for rec in (a, b):
        assert [s.transition for s in steps_of(rec)] == ["approve"]
        events = AuditEvent.objects.filter(action__startswith="duty.record.approve", object_id=str(rec.pk))
        assert events.exists()
    assert not steps_of(done).exists() and not steps_of(foreign).exists()


def test_bulk_approval_needs_the_review_capability(world):
    a = entered(world.deputy_a, title="一")
    r = _client(world.deputy_user).post("/duty/review/approve/", {"ids": [a.pk]})
    assert r.status_code == 403
    assert DutyRecord.objects.get(pk=a.pk).review_state == ReviewState.PENDING


def test_bulk_approval_over_the_api(world, client):
    from apps.accounts.services import issue_token

    a = entered(world.deputy_a, title="一")
    foreign = entered(world.deputy_b, title="别镇")
    token = issue_token(user=world.town_user)
    r = client.post(
        "/api/v1/duty/review/approve",
        {"ids": [a.pk, foreign.pk]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["approved"] == [a.pk]
    assert [x["id"] for x in body["refused"]] == [foreign.pk]
    assert DutyRecord.objects.get(pk=foreign.pk).review_state == ReviewState.PENDING


def test_bulk_approval_refuses_a_null_id_with_the_field(world, client):
    """Found by the API fuzzer: a null among the ids was a 500; it is a 422 naming the field."""
    from apps.accounts.services import issue_token

    a = entered(world.deputy_a, title="一")
    token = issue_token(user=world.town_user)
    r = client.post(
        "/api/v1/duty/review/approve",
        {"ids": [a.pk, None]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert r.status_code == 422, r.content
    assert "ids" in r.content.decode()
    assert DutyRecord.objects.get(pk=a.pk).review_state == ReviewState.PENDING
