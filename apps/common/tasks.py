"""Periodic work of the common layer, run by the huey consumer (`manage.py run_huey`)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .models import IdempotencyKey


def forget_old_idempotency_keys() -> int:
    """Delete the draft keys older than IDEMPOTENCY_KEY_DAYS; the records they made stay. Returns how many."""
    cutoff = timezone.now() - timedelta(days=settings.RENDA["IDEMPOTENCY_KEY_DAYS"])
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted


# huey reads crontabs in UTC: 19:30 UTC is 03:30 in Beijing, when nobody is sending drafts.
@db_periodic_task(crontab(hour="19", minute="30"))
def idempotency_cleanup():
    return forget_old_idempotency_keys()
