"""The inbox page, the bell in the top bar, and following a notification's link."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from apps.notifications.context_processors import unread
from apps.notifications.models import Notification

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")


def test_inbox_lists_own_notifications_with_unread_highlighted(world, client):
    NotificationFactory(recipient=world.deputy_user, title="请回复选民意见")
    NotificationFactory(recipient=world.deputy_user, title="已看过的", read_at="2025-01-01T00:00:00Z")
    NotificationFactory(recipient=world.town_user, title="别人的消息")
    client.force_login(world.deputy_user)
    page = client.get(LIST).content.decode()
    assert "请回复选民意见" in page and "已看过的" in page and "别人的消息" not in page
    assert page.count('class="note unread"') == 1 and "全部标为已读" in page


def test_inbox_needs_login(client):
    assert client.get(LIST).status_code == 302


def test_opening_marks_read_and_follows_a_local_url(world, client):
    n = NotificationFactory(recipient=world.deputy_user, url=f"/deputies/{world.deputy_a.pk}/")
    client.force_login(world.deputy_user)
    resp = client.post(reverse("notifications:open", args=[n.pk]))
    assert resp.status_code == 302 and resp["Location"] == n.url
    n.refresh_from_db()
    assert n.read_at is not None


@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)", ""]
)
def test_opening_never_follows_an_external_url(world, client, url):
    n = NotificationFactory(recipient=world.deputy_user, url=url)
    client.force_login(world.deputy_user)
    resp = client.post(reverse("notifications:open", args=[n.pk]))
    assert resp.status_code == 302 and resp["Location"] == LIST


def test_opening_someone_elses_notification_is_404(world, client):
    theirs = NotificationFactory(recipient=world.town_user)
    client.force_login(world.deputy_user)
    assert client.post(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_opening_needs_post(world, client):
    n = NotificationFactory(recipient=world.deputy_user)
    client.force_login(world.deputy_user)
    assert client.get(reverse("notifications:open", args=[n.pk])).status_code == 405


def test_mark_all_read_button(world, client):
    NotificationFactory.create_batch(2, recipient=world.deputy_user)
    client.force_login(world.deputy_user)
    resp = client.post(reverse("notifications:read_all"), follow=True)
    assert resp.status_code == 200 and "已将 2 条消息标为已读" in resp.content.decode()
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_unread_filter(world, client):
    NotificationFactory(recipient=world.deputy_user, title="未读的那条")
    NotificationFactory(recipient=world.deputy_user, title="已读的那条", read_at="2025-01-01T00:00:00Z")
    client.force_login(world.deputy_user)
    page = client.get(LIST, {"unread": "1"}).content.decode()
    assert "未读的那条" in page and "已读的那条" not in page


def test_bell_shows_the_unread_count(world, client):
    NotificationFactory.create_batch(3, recipient=world.deputy_user)
    NotificationFactory(recipient=world.deputy_user, read_at="2025-01-01T00:00:00Z")
    client.force_login(world.deputy_user)
    page = client.get(reverse("home")).content.decode()
    assert f'href="{LIST}"' in page and '<b class="count">3</b>' in page


def test_context_processor_counts_unread_lazily(world, django_assert_num_queries):
    NotificationFactory.create_batch(2, recipient=world.deputy_user)
    NotificationFactory(recipient=world.town_user)
    request = RequestFactory().get("/")
    request.user = world.deputy_user
    with django_assert_num_queries(0):
        ctx = unread(request)
    with django_assert_num_queries(1):
        assert ctx["unread_notifications"] == 2


def test_context_processor_gives_nothing_to_anonymous_visitors():
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert unread(request) == {}


def test_inbox_query_count_is_pinned(world, client, django_assert_max_num_queries):
    NotificationFactory.create_batch(40, recipient=world.deputy_user)
    client.force_login(world.deputy_user)
    client.get(LIST)
    # session, user, grants (roles context), count, page, unread count for the bell
    with django_assert_max_num_queries(7):  # + the top bar's own town (places.terms)
        resp = client.get(LIST)
    assert resp.status_code == 200


def test_inbox_exports_own_notifications_as_xlsx(world, client):
    NotificationFactory(recipient=world.deputy_user)
    client.force_login(world.deputy_user)
    resp = client.get(LIST, {"export": "xlsx"})
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
