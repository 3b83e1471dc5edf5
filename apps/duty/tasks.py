"""Periodic work of the duty app, run by the huey consumer (`manage.py run_huey`)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


# huey reads crontabs in UTC: 01:00 UTC on the first day of January, April, July and October is 09:00 in
# Beijing. Only in counties that publish automatically ([local] DUTY_AUTO_PUBLISH, default off): counties
# usually publish by hand.
@db_periodic_task(crontab(month="1,4,7,10", day="1", hour="1", minute="0"))
def publish_last_quarter():
    from .services import publish_due

    return publish_due(automatic=True)
