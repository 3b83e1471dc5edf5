"""Reads of the inbox. A user only ever sees their own notifications, whatever their role."""

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from .models import DeliveryStatus, Notification, OutboundMessage


def for_user(user, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's own notifications, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient_id=user.pk)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def unread_count(user) -> int:
    """One COUNT over the (recipient, read_at, created_at) index."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def stale_queued_ids(*, older_than: timedelta = timedelta(minutes=5), limit: int = 500) -> list[int]:
    """Messages still queued well after they were created: their hand-off to the task queue was lost."""
    cutoff = timezone.now() - older_than
    qs = OutboundMessage.objects.filter(status=DeliveryStatus.QUEUED, created_at__lt=cutoff)
    return list(qs.order_by("created_at").values_list("pk", flat=True)[:limit])
