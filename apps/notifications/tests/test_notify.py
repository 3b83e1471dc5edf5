"""notify and notify_contact: one inbox entry per person and one message per address, however often called."""

import pytest

from apps.notifications import services
from apps.notifications.models import DeliveryStatus, Notification, OutboundMessage
from apps.notifications.tasks import deliver

pytestmark = pytest.mark.django_db


def _notify(world, **kw):
    args = {
        "recipients": [world.town_user, world.deputy_user, None, world.town_user],
        "kind": "opinion.assigned",
        "title": "新的社情民意待处理",
        "body": "月河村道路积水",
        "url": "/opinions/1/",
        "obj": world.deputy_a,
        "dedupe_key": "opinion:1:assigned",
    }
    return services.notify(**{**args, **kw})


def test_notify_creates_one_notification_per_distinct_recipient(reachable, outbox):
    created = _notify(reachable)
    recipients = sorted(n.recipient_id for n in created)
    assert recipients == sorted([reachable.town_user.pk, reachable.deputy_user.pk])
    n = created[0]
    assert (n.object_type, n.object_id) == ("people.deputy", str(reachable.deputy_a.pk))
    assert n.read_at is None and n.kind == "opinion.assigned"


def test_notify_twice_with_the_same_key_sends_each_message_once(
    reachable, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _notify(reachable)
    with django_capture_on_commit_callbacks(execute=True):
        second = _notify(reachable)
    ids = list(OutboundMessage.objects.values_list("pk", flat=True))
    deliver(ids)  # a second delivery run over the same messages, as a retried task would be
    deliver.call_local(ids)

    assert len(first) == 2 and second == []
    assert Notification.objects.count() == 2
    sms = sorted(m.address for m in outbox if m.channel == "sms")
    assert sms == ["13900000001", "13900000002"]
    assert [m.address for m in outbox if m.channel == "email"] == ["clerk@example.cn"]
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert set(OutboundMessage.objects.values_list("attempts", flat=True)) == {1}


def test_nothing_is_sent_until_the_callers_transaction_commits(
    reachable, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _notify(reachable)
        assert outbox == []
    assert len(callbacks) == 1 and outbox == []
    callbacks[0]()
    assert len(outbox) == 3


def test_a_new_recipient_for_the_same_event_gets_only_their_own_message(
    reachable, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _notify(reachable, recipients=[reachable.deputy_user])
    with django_capture_on_commit_callbacks(execute=True):
        created = _notify(reachable)
    assert [n.recipient_id for n in created] == [reachable.town_user.pk]
    assert sorted(m.address for m in outbox) == ["13900000001", "13900000002", "clerk@example.cn"]


def test_sms_text_is_title_and_body_shortened_to_300_characters(reachable, outbox):
    _notify(reachable, body="长" * 500)
    text = OutboundMessage.objects.get(address="13900000002").text
    assert text.startswith("新的社情民意待处理\n长") and len(text) == 300 and text.endswith("…")


def test_users_without_phone_or_email_get_only_the_inbox_entry(world, outbox):
    _notify(world)
    assert Notification.objects.count() == 2 and not OutboundMessage.objects.exists()


def test_inactive_accounts_are_skipped(reachable, outbox):
    reachable.deputy_user.is_active = False
    reachable.deputy_user.save()
    assert [n.recipient_id for n in _notify(reachable)] == [reachable.town_user.pk]


def test_notify_needs_a_dedupe_key(world):
    with pytest.raises(ValueError):
        _notify(world, dedupe_key="")


def test_notify_contact_is_idempotent(db, outbox, django_capture_on_commit_callbacks):
    text = "您反映的问题已受理"
    with django_capture_on_commit_callbacks(execute=True):
        first = services.notify_contact(phone=" 13700000009 ", text=text, dedupe_key="op:7:ack")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = services.notify_contact(phone="13700000009", text=text, dedupe_key="op:7:ack")
    assert first.pk == again.pk and callbacks == []
    assert [(m.channel, m.address, m.text) for m in outbox] == [("sms", "13700000009", "您反映的问题已受理")]
    assert OutboundMessage.objects.get().dedupe_key == "op:7:ack:sms:13700000009"


def test_notify_contact_without_a_phone_sends_nothing(db, outbox):
    assert services.notify_contact(phone="", text="x", dedupe_key="op:8:ack") is None
    assert not OutboundMessage.objects.exists()
