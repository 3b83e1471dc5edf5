"""/api/v1/notifications: each user reads and marks only their own notifications."""

import pytest
from django.test import Client

from apps.accounts.services import issue_token
from apps.audit.models import AuditEvent
from apps.notifications.models import Notification

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/notifications"


def _client(user):
    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user=user)}")


def test_list_shows_only_own_notifications_newest_first(world):
    older = NotificationFactory(recipient=world.deputy_user, title="旧")
    newer = NotificationFactory(recipient=world.deputy_user, title="新", url="/d/1/")
    NotificationFactory(recipient=world.town_user, title="别人的")
    body = _client(world.deputy_user).get(URL).json()
    assert body["count"] == 2 and [n["id"] for n in body["items"]] == [newer.pk, older.pk]
    assert set(body["items"][0]) == {
        "id", "kind", "title", "body", "url", "object_type", "object_id", "created_at", "read_at",
    }  # fmt: skip


def test_list_filters_unread(world):
    NotificationFactory(recipient=world.deputy_user, title="已读", read_at="2025-01-01T00:00:00Z")
    unread = NotificationFactory(recipient=world.deputy_user, title="未读")
    items = _client(world.deputy_user).get(URL, {"unread": "true"}).json()["items"]
    assert [n["id"] for n in items] == [unread.pk]


def test_list_needs_authentication(world):
    assert Client().get(URL).status_code == 401


def test_list_query_count_does_not_grow_with_page_size(world, django_assert_max_num_queries):
    NotificationFactory.create_batch(40, recipient=world.deputy_user)
    c = _client(world.deputy_user)
    # token lookup, grants, count, page
    with django_assert_max_num_queries(4):
        assert len(c.get(URL, {"page_size": 5}).json()["items"]) == 5
    with django_assert_max_num_queries(4):
        assert len(c.get(URL, {"page_size": 40}).json()["items"]) == 40


def test_read_marks_own_notification(world):
    n = NotificationFactory(recipient=world.deputy_user)
    resp = _client(world.deputy_user).post(f"{URL}/{n.pk}/read")
    assert resp.status_code == 200 and resp.json()["read_at"] is not None
    n.refresh_from_db()
    assert n.read_at is not None


def test_reading_is_not_audited(world):
    n = NotificationFactory(recipient=world.deputy_user)
    c = _client(world.deputy_user)
    before = AuditEvent.objects.count()
    c.post(f"{URL}/{n.pk}/read")
    c.post(f"{URL}/read-all")
    assert AuditEvent.objects.count() == before


def test_another_users_notification_is_a_logged_404(world):
    theirs = NotificationFactory(recipient=world.town_user)
    resp = _client(world.deputy_user).post(f"{URL}/{theirs.pk}/read")
    assert resp.status_code == 404 and resp.json()["code"] == "not_found"
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert AuditEvent.objects.filter(action="access.denied", object_id=str(theirs.pk)).exists()


def test_unknown_notification_is_a_404(world):
    resp = _client(world.deputy_user).post(f"{URL}/999999/read")
    assert resp.status_code == 404 and resp.json()["code"] == "not_found"


def test_read_all_marks_only_own_unread(world):
    NotificationFactory.create_batch(3, recipient=world.deputy_user)
    theirs = NotificationFactory(recipient=world.town_user)
    resp = _client(world.deputy_user).post(f"{URL}/read-all")
    assert resp.json() == {"marked": 3}
    assert not Notification.objects.filter(recipient=world.deputy_user, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
