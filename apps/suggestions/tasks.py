"""Periodic work of suggestions, run by the huey consumer (`manage.py run_huey`)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .publishing import publish_due


# huey reads crontabs in UTC: 00:10 UTC is 08:10 in Beijing, after the deadline sweep.
@db_periodic_task(crontab(hour="0", minute="10"))
def publish_replies():
    """Every morning: publish the replies whose rating window has passed."""
    return publish_due()
