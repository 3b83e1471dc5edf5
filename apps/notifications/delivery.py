"""Handing queued messages to the backend, each exactly once (the huey tasks in tasks.py call this)."""

import logging

from django.db.models import F
from django.utils import timezone

from . import kinds
from .backends import Backend, get_backend
from .models import Channel, DeliveryStatus, OutboundMessage

logger = logging.getLogger("renda.notify")

ERROR_MAX_CHARS = 1000


def send_queued(message_ids, *, backend: Backend | None = None) -> int:
    """Send each message that is still queued, exactly once, and return how many went out.

    Each message is claimed with `UPDATE ... SET status='sending' WHERE status='queued'`: whichever worker's
    update changes the row sends it, every other worker skips it. A message whose worker died while sending
    stays 'sending' and is not retried, because sending an SMS twice is worse than a visible stuck row."""
    backend = backend or get_backend()
    return sum(_send_one(pk, backend) for pk in message_ids)


def _send_one(pk: int, backend: Backend) -> bool:
    claimed = OutboundMessage.objects.filter(pk=pk, status=DeliveryStatus.QUEUED).update(
        status=DeliveryStatus.SENDING, attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    message = OutboundMessage.objects.get(pk=pk)
    # A code or a sign-in link is not kept in clear once it has left (or failed to).
    forget = {"text": "（已发送，内容不留存）", "params": {}} if message.kind in kinds.SECRET else {}
    provider_id = None
    try:
        if message.channel == Channel.SMS:
            provider_id = backend.send_sms(
                message.address, message.text, kind=message.kind, params=message.params
            )
        else:
            backend.send_email(message.address, message.subject, message.text)
    except Exception as exc:  # any gateway failure: record it on the message, go on with the rest
        logger.warning("Sending %s #%s failed", message.channel, pk, exc_info=True)
        OutboundMessage.objects.filter(pk=pk).update(
            status=DeliveryStatus.FAILED, error=(str(exc) or type(exc).__name__)[:ERROR_MAX_CHARS], **forget
        )
        return False
    OutboundMessage.objects.filter(pk=pk).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), provider_id=(provider_id or "")[:64], **forget
    )
    return True
