"""Reminders before each calendar item (issue 20 part 4): in the inbox and by SMS through
apps.notifications, the [local] YEARPLAN_REMIND_WORKING_DAYS working days ahead (read per township,
default 3), to the township office and its deputies. Sent exactly once per item and date: the item's
`reminded_for` is claimed with a conditional UPDATE in the same transaction as the notifications, whose
`dedupe_key` names the date as well; moving an item to a new date reminds again for that date."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from apps.calendar.services import is_workday

from . import rules
from .models import PlanItem

# The longest lead the rule allows (15 working days, three weeks) plus the longest run of days off (the
# Spring Festival's eight), with margin.
HORIZON_DAYS = 35


def due_for_reminder(today: date):
    """Planned items ahead of `today` not yet reminded for their date (the reminder's own day is checked
    per item with the working-day rule)."""
    return (
        PlanItem.objects.filter(
            state="planned", date__gte=today, date__lte=today + timedelta(days=HORIZON_DAYS)
        )
        .filter(Q(reminded_for__isnull=True) | ~Q(reminded_for=F("date")))
        .select_related("region")
        .order_by("date", "id")
    )


def send_reminders(today: date) -> int:
    """Remind every item whose reminder day has come; returns how many items were reminded."""
    from apps.localrules.selectors import per_town

    lead = per_town("YEARPLAN_REMIND_WORKING_DAYS")
    sent = 0
    for item in due_for_reminder(today).iterator(chunk_size=500):
        if rules.remind_from(item.date, is_workday, int(lead(item))) > today:
            continue
        with transaction.atomic():
            claimed = (
                PlanItem.objects.filter(pk=item.pk, state="planned", date=item.date)
                .filter(Q(reminded_for__isnull=True) | ~Q(reminded_for=F("date")))
                .update(reminded_for=item.date)
            )
            if claimed:
                _notify(item)
                sent += 1
    return sent


def _notify(item: PlanItem) -> None:
    from apps.notifications.services import notify

    notify(
        recipients=[*item.audience("office"), *item.audience("deputies")],
        kind="yearplan.reminder",
        title=_("日历提醒：%(d)s %(t)s") % {"d": item.date.isoformat(), "t": item.title},
        body=_("%(town)s %(d)s：%(t)s")
        % {"town": item.region.name, "d": item.date.isoformat(), "t": item.title},
        url=item.get_absolute_url(),
        obj=item,
        dedupe_key=f"yearplan:{item.pk}:{item.date.isoformat()}",
    )
