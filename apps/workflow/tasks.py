"""Periodic work of the workflow engine, run by the huey consumer (`manage.py run_huey`)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .sweep import sweep


# huey reads crontabs in UTC: 00:00 UTC is 08:00 in Beijing, before offices open.
@db_periodic_task(crontab(hour="0", minute="0"))
def sweep_deadlines():
    """Every morning: remind before deadlines and escalate overdue items."""
    return sweep()
