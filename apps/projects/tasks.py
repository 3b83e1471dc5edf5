"""Periodic work of the projects app, run by the huey consumer (`manage.py run_huey`)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


# 00:30 UTC is 08:30 in Beijing, after the workflow sweep: overdue milestones are flagged once each.
@db_periodic_task(crontab(hour="0", minute="30"))
def flag_overdue_milestones():
    from .progress import flag_overdue

    return flag_overdue()
