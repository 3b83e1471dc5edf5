"""Queue glue only: the sending rules live in delivery.send_queued."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import delivery, selectors


@db_task()
def deliver(message_ids: list[int]) -> int:
    """Send the queued messages among `message_ids`; running it twice sends nothing twice."""
    return delivery.send_queued(message_ids)


@db_periodic_task(crontab(minute="*/5"))
def deliver_pending() -> int:
    """Send what a lost hand-off left queued (the queue was down when the caller committed)."""
    return delivery.send_queued(selectors.stale_queued_ids())
