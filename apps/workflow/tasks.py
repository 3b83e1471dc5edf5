"""Periodic work of the workflow engine, run by the huey consumer (`manage.py run_huey`)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .import_pages import drop_stale_uploads
from .sweep import sweep


# huey reads crontabs in UTC: 00:00 UTC is 08:00 in Beijing, before offices open.
@db_periodic_task(crontab(hour="0", minute="0"))
def sweep_deadlines():
    """Every morning: remind before deadlines and escalate overdue items."""
    return sweep()


@db_periodic_task(crontab(minute="17"))
def import_uploads_cleanup():
    """Every hour: delete the ledgers uploaded for a preview and never confirmed."""
    return drop_stale_uploads()
