"""Periodic work of the year's calendar, run by the huey consumer (`manage.py run_huey`)."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .reminders import send_reminders


# huey reads crontabs in UTC: 00:30 UTC is 08:30 in Beijing, after the workflow sweep's reminders.
@db_periodic_task(crontab(hour="0", minute="30"))
def calendar_reminders():
    return send_reminders(timezone.localdate())
