import pytest
from django.core.management import CommandError, call_command

from apps.audit.models import AuditEvent
from apps.audit.services import record, verify_chain

pytestmark = pytest.mark.django_db


def _three_events(world):
    for action in ("a.one", "a.two", "a.three"):
        record(actor=world.town_user, action=action, obj=world.deputy_a, summary={"n": action})


def test_intact_chain_verifies(world, capsys):
    _three_events(world)
    assert list(verify_chain()) == []
    call_command("verify_audit")
    assert "intact" in capsys.readouterr().out


def test_edited_entry_is_detected(world):
    _three_events(world)
    # Bypass the model's append-only guard, as someone with database access would.
    AuditEvent.objects.filter(action="a.two").update(summary={"n": "forged"})
    problems = list(verify_chain())
    assert any("edited" in p for p in problems)
    with pytest.raises(CommandError):
        call_command("verify_audit")


def test_deleted_entry_is_detected(world):
    _three_events(world)
    AuditEvent.objects.filter(action="a.two").delete()  # queryset delete skips the model guard
    assert any("deleted" in p for p in verify_chain())


def test_inserted_entry_is_detected(world):
    _three_events(world)
    last = AuditEvent.objects.order_by("-seq").first()
    forged = AuditEvent(
        seq=last.seq + 1, at=last.at, action="forged", prev_hash="f" * 64, entry_hash="e" * 64
    )
    forged.save()
    assert any("inserted" in p or "edited" in p for p in verify_chain())


def test_events_cannot_be_changed_through_the_model(world):
    ev = record(actor=world.town_user, action="x", obj=world.deputy_a)
    ev.action = "y"
    with pytest.raises(RuntimeError):
        ev.save()
    with pytest.raises(RuntimeError):
        ev.delete()


def test_event_records_who_where_what(world, client):
    import json

    client.force_login(world.town_user)
    client.patch(
        f"/api/v1/deputies/{world.deputy_a.pk}",
        json.dumps({"occupation": "教师", "reason": "核对"}),
        content_type="application/json",
        REMOTE_ADDR="10.1.2.3",
    )
    ev = AuditEvent.objects.get(action="people.deputy.updated")
    assert ev.actor == world.town_user and ev.ip == "10.1.2.3"
    assert ev.object_type == "people.deputy" and ev.object_id == str(world.deputy_a.pk)
    assert ev.summary == {"occupation": ["", "教师"]} and ev.reason == "核对"


def test_an_ipv6_address_is_stored_as_hashed(world):
    """The database writes IPv6 short; the link is computed over the same form, so the chain verifies."""
    ev = record(actor=world.town_user, action="a.v6", ip="2001:0DB8:0000:0000:0000:0000:0000:0001")
    assert AuditEvent.objects.get(pk=ev.pk).ip == ev.ip == "2001:db8::1"
    assert list(verify_chain()) == []
