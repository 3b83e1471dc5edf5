"""Queue glue only: the rule lives in services.close_due_votes."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(minute="*"))
def close_due_votes() -> int:
    """Close every vote past its set time (live_state also closes one on read)."""
    return services.close_due_votes()
