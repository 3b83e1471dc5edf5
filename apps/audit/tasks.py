"""The audit log's checkpoints in the background (huey): every 10 minutes when there are new entries, and
once an anchoring event has committed (anchors.ANCHOR_ACTIONS)."""

from django.db import transaction
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import anchors


@db_periodic_task(crontab(minute="*/10"))
def anchor_periodically():
    anchors.anchor_now("periodic")  # writes nothing when the head is signed already


@db_task()
def anchor_task(reason: str):
    anchors.anchor_now(reason)


def schedule_after_commit(action: str) -> None:
    """Set as `services.after_record` (apps.py): an anchoring event gets a checkpoint once committed."""
    if action in anchors.ANCHOR_ACTIONS:
        transaction.on_commit(lambda: anchor_task(action), robust=True)
