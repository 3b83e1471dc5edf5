"""Telling people: the in-app inbox, and SMS or e-mail through the configured backend.

Other apps' services call `notify` (users) or `notify_contact` (a phone number with no account) inside their
own transaction. Nothing leaves the platform unless that transaction commits, and nothing leaves twice for
one `dedupe_key`: unique constraints decide which rows exist (so two workers notifying at once still make one
row each), and `send_queued` claims every message with a conditional UPDATE before handing it to the backend.
"""

from django.db import transaction
from django.utils import timezone

from apps.accounts.scopes import VIEW, deny
from apps.audit.services import object_label
from apps.common.errors import NotFound

from . import kinds, tasks
from .delivery import send_queued
from .models import Channel, DeliveryStatus, Notification, OutboundMessage

__all__ = ["mark_all_read", "mark_read", "notify", "notify_contact", "send_queued", "shorten"]

SMS_MAX_CHARS = 300


def notify(
    *,
    recipients,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    obj=None,
    dedupe_key: str,
) -> list[Notification]:
    """Put one notification in each recipient's inbox and queue an SMS to their phone and an e-mail to their
    address, once per (recipient, dedupe_key): calling again with the same key adds and sends nothing.

    `recipients` may hold None (skipped), repeats (counted once) and inactive accounts (skipped: nobody can
    read their inbox). `url` should be a path on this site ("/opinions/42/"); pages follow nothing else.
    Returns the notifications this call created.
    """
    if not dedupe_key:
        raise ValueError("notify() needs a dedupe_key naming the event")
    users = {}
    for user in recipients:
        if user is not None and user.is_active:
            users.setdefault(user.pk, user)
    if not users:
        return []
    object_type, object_id = object_label(obj)
    with transaction.atomic():
        inbox = Notification.objects.filter(dedupe_key=dedupe_key)
        already = set(inbox.filter(recipient_id__in=users).values_list("recipient_id", flat=True))
        new_ids = [pk for pk in users if pk not in already]
        if not new_ids:
            return []
        # A concurrent call inserting the same rows loses quietly to the unique constraint.
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=pk,
                    kind=kind,
                    title=title[:200],
                    body=body,
                    url=url[:500],
                    object_type=object_type,
                    object_id=object_id,
                    dedupe_key=dedupe_key,
                )
                for pk in new_ids
            ],
            ignore_conflicts=True,
        )
        created = list(inbox.filter(recipient_id__in=new_ids).order_by("pk"))
        _queue([msg for n in created for msg in _outbound_for(n, users[n.recipient_id])])
    return created


def notify_contact(
    *, phone: str, text: str, dedupe_key: str, kind: str = kinds.NOTICE, params: dict | None = None
) -> OutboundMessage | None:
    """Queue one SMS to a phone number (a citizen who left one; a sign-in code), once per (dedupe_key,
    phone); `kind` and `params` fill the provider's template of that kind (kinds.py). Returns the message,
    or None when there is no number to send to."""
    if not dedupe_key:
        raise ValueError("notify_contact() needs a dedupe_key naming the event")
    phone = (phone or "").strip()
    if not phone:
        return None
    with transaction.atomic():
        (message,) = _queue(
            [
                OutboundMessage(
                    channel=Channel.SMS,
                    address=phone,
                    text=shorten(text),
                    kind=kind,
                    params=params or {"text": shorten(text, kinds.PARAM_MAX_CHARS)},
                    dedupe_key=_message_key(dedupe_key, Channel.SMS, phone),
                )
            ]
        )
    return message


def mark_read(*, user, notification_id: int) -> Notification:
    """Mark one of the user's own notifications read; anyone else's is a 404 (and the refusal is logged).

    Reading is not audited: it changes no public record, only the reader's own inbox. (A refused attempt on
    someone else's notification is, as every refusal is.)"""
    notification = Notification.objects.filter(pk=notification_id, recipient_id=user.pk).first()
    if notification is None:
        hidden = Notification.objects.filter(pk=notification_id).first()
        if hidden is None:
            raise NotFound()
        deny(user, VIEW, hidden)
    if notification.read_at is None:
        now = timezone.now()
        if Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now):
            notification.read_at = now
        else:  # read a moment ago in another tab: keep that time
            notification.refresh_from_db(fields=["read_at"])
    return notification


def mark_all_read(*, user) -> int:
    """Mark every unread notification of the user read; returns how many. Not audited, like `mark_read`."""
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def shorten(text: str, limit: int = SMS_MAX_CHARS) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _message_key(dedupe_key: str, channel: str, address: str) -> str:
    return f"{dedupe_key}:{channel}:{address}"


def _outbound_for(notification: Notification, user) -> list[OutboundMessage]:
    messages = []
    sms_kind = kinds.sms_kind_of(notification.kind)
    # Non-essential SMS turned off: deadlines still go by SMS (and everything to the inbox).
    if user.phone and (user.sms_optional or kinds.is_essential(sms_kind)):
        messages.append(
            OutboundMessage(
                channel=Channel.SMS,
                address=user.phone,
                text=shorten(f"{notification.title}\n{notification.body}"),
                kind=sms_kind,
                params={"title": shorten(notification.title, kinds.PARAM_MAX_CHARS)},
                dedupe_key=_message_key(notification.dedupe_key, Channel.SMS, user.phone),
                notification=notification,
            )
        )
    if user.email:
        messages.append(
            OutboundMessage(
                channel=Channel.EMAIL,
                address=user.email,
                subject=notification.title,
                text=notification.body or notification.title,
                dedupe_key=_message_key(notification.dedupe_key, Channel.EMAIL, user.email),
                notification=notification,
            )
        )
    return messages


def _queue(messages: list[OutboundMessage]) -> list[OutboundMessage]:
    """Insert the messages that do not exist yet and hand the queued ones to `deliver` after commit."""
    if not messages:
        return []
    OutboundMessage.objects.bulk_create(messages, ignore_conflicts=True)
    keys = [m.dedupe_key for m in messages]
    rows = list(OutboundMessage.objects.filter(dedupe_key__in=keys).order_by("pk"))
    queued = [m.pk for m in rows if m.status == DeliveryStatus.QUEUED]
    if queued:
        # robust: a queue outage must not fail the caller's committed request; `deliver_pending` picks the
        # messages up later.
        _queue_after_commit(queued)
    return rows


def _queue_after_commit(message_ids: list[int]) -> None:
    transaction.on_commit(lambda: _enqueue(message_ids), robust=True)


def _enqueue(message_ids: list[int]) -> None:
    tasks.deliver(message_ids)
