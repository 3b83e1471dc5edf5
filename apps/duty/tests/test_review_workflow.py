"""A duty record's review runs on the workflow engine like every tracked item: the same actions API, the
step timeline, the refusal recorded."""

import pytest
from django.test import Client

from apps.accounts.services import issue_token
from apps.audit.models import AuditEvent
from apps.workflow.services import steps_of

from .factories import entered

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _client(user):
    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user=user)}")


def test_the_office_sees_approve_and_reject_and_the_deputy_only_revise(world):
    rec = entered(world.deputy_a)
    office = {a["name"] for a in _client(world.town_user).get(f"{API}/duty/records/{rec.pk}/actions").json()}
    deputy = {
        a["name"] for a in _client(world.deputy_user).get(f"{API}/duty/records/{rec.pk}/actions").json()
    }
    assert office == {"approve", "reject", "revise"} and deputy == {"revise"}
    assert _client(world.town_b_user).get(f"{API}/duty/records/{rec.pk}/actions").status_code == 404


def test_rejecting_through_the_actions_api_needs_a_reason_and_leaves_a_step(world):
    rec = entered(world.deputy_a)
    c = _client(world.town_user)
    url = f"{API}/duty/records/{rec.pk}/actions/reject"
    missing = c.post(url, {}, content_type="application/json")
    assert missing.status_code == 400 and missing.json()["fields"] == {"reason": ["请填写退回理由"]}
    done = c.post(url, {"reason": "缺少照片"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["review_state"] == "rejected"
    step = steps_of(rec).get()
    assert (step.from_state, step.to_state, step.reason) == ("pending", "rejected", "缺少照片")
    assert AuditEvent.objects.filter(action="duty.record.rejected", object_id=str(rec.pk)).exists()


def test_a_deputy_approving_their_own_record_is_refused_and_the_refusal_recorded(world):
    rec = entered(world.deputy_a)
    resp = _client(world.deputy_user).post(
        f"{API}/duty/records/{rec.pk}/actions/approve", {}, content_type="application/json"
    )
    assert resp.status_code == 403
    rec.refresh_from_db()
    assert rec.review_state == "pending"
    assert AuditEvent.objects.filter(action="access.denied", actor=world.deputy_user).exists()
