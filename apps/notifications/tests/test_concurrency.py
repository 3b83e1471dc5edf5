"""Two workers notifying about the same event at the same moment: the database keeps it to one of each."""

import threading
import time

import pytest
from django.db import connection, transaction

from apps.accounts.tests.factories import UserFactory
from apps.notifications import services
from apps.notifications.models import DeliveryStatus, Notification, OutboundMessage

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks"),
    pytest.mark.django_db(transaction=True),
]


def _in_threads(n, work):
    barrier, errors = threading.Barrier(n), []

    def run():
        try:
            barrier.wait()
            work()
        except Exception as exc:  # surfaced below; a thread's exception would otherwise vanish
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_concurrent_notify_creates_and_sends_once(outbox):
    users = [UserFactory(phone=f"1390000000{i}") for i in range(3)]

    def work():
        with transaction.atomic():
            services.notify(recipients=users, kind="t", title="同一件事", dedupe_key="race:1")
            time.sleep(0.2)  # hold the rows uncommitted so the other worker runs into them

    _in_threads(2, work)
    assert Notification.objects.count() == 3
    assert OutboundMessage.objects.filter(status=DeliveryStatus.SENT).count() == 3
    assert sorted(m.address for m in outbox) == sorted(u.phone for u in users)


def test_concurrent_delivery_sends_once(outbox):
    messages = [
        OutboundMessage.objects.create(channel="sms", address=f"1370000000{i}", text="x", dedupe_key=f"d:{i}")
        for i in range(5)
    ]
    ids = [m.pk for m in messages]
    _in_threads(4, lambda: services.send_queued(ids))
    assert sorted(m.address for m in outbox) == sorted(m.address for m in messages)
