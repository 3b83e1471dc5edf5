"""Delivery: each queued message is handed to the backend once; failures are recorded, not raised."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.notifications import services
from apps.notifications.backends import Backend, ConsoleBackend, get_backend
from apps.notifications.models import DeliveryStatus, OutboundMessage
from apps.notifications.tasks import deliver, deliver_pending

pytestmark = pytest.mark.django_db


class BrokenGateway(Backend):
    def send_sms(self, phone, text, **kwargs):
        raise ConnectionError("gateway unreachable")

    def send_email(self, address, subject, text):
        raise ConnectionError("relay unreachable")


def _queued(phone="13700000001", key="k:1"):
    return services.notify_contact(phone=phone, text="测试", dedupe_key=key)


def test_a_failing_backend_marks_the_message_failed(db, settings, django_capture_on_commit_callbacks):
    settings.RENDA = {**settings.RENDA, "NOTIFY_BACKEND": f"{__name__}.BrokenGateway"}
    with django_capture_on_commit_callbacks(execute=True):
        msg = _queued()
    msg.refresh_from_db()
    assert msg.status == DeliveryStatus.FAILED and msg.attempts == 1
    assert msg.error == "gateway unreachable" and msg.sent_at is None


def test_failed_messages_are_not_resent_by_a_second_run(db, outbox):
    msg = _queued()
    assert services.send_queued([msg.pk], backend=BrokenGateway()) == 0
    assert services.send_queued([msg.pk]) == 0
    assert outbox == []


def test_one_failure_does_not_stop_the_rest(db, outbox):
    class FailsFirst(Backend):
        calls = 0

        def send_sms(self, phone, text, **kwargs):
            FailsFirst.calls += 1
            if FailsFirst.calls == 1:
                raise RuntimeError("busy")

        def send_email(self, address, subject, text):
            pass

    a, b = _queued("13700000001", "k:a"), _queued("13700000002", "k:b")
    assert services.send_queued([a.pk, b.pk], backend=FailsFirst()) == 1
    statuses = dict(OutboundMessage.objects.values_list("address", "status"))
    assert statuses == {"13700000001": DeliveryStatus.FAILED, "13700000002": DeliveryStatus.SENT}


def test_a_message_claimed_by_another_worker_is_skipped(db, outbox):
    msg = _queued()
    OutboundMessage.objects.filter(pk=msg.pk).update(status=DeliveryStatus.SENDING)
    deliver([msg.pk])
    assert outbox == []


def test_pending_sweep_sends_messages_whose_hand_off_was_lost(db, outbox):
    old, fresh = _queued("13700000001", "k:old"), _queued("13700000002", "k:new")
    OutboundMessage.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(minutes=10))
    assert deliver_pending.call_local() == 1
    assert [m.address for m in outbox] == ["13700000001"]
    fresh.refresh_from_db()
    assert fresh.status == DeliveryStatus.QUEUED


def test_console_backend_is_the_configured_default_and_logs(caplog):
    backend = get_backend()
    assert isinstance(backend, ConsoleBackend)
    with caplog.at_level("INFO", logger="renda.notify"):
        backend.send_sms("13700000001", "你好")
        backend.send_email("a@example.cn", "主题", "正文")
    assert "13700000001" in caplog.text and "a@example.cn" in caplog.text
