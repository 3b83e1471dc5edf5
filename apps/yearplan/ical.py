"""The iCalendar feed (RFC 5545) of the items a person sees, for their phone's calendar: all-day events,
one per planned item of this year and the next, with a stable UID so a phone updates rather than
duplicates an item that moved, and a cancelled item sent as STATUS:CANCELLED."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from . import selectors as sel


def feed(user) -> bytes:
    today = timezone.localdate()
    cal = Calendar()
    cal.add("prodid", "-//Renda//yearplan//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "人大工作日历")
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    rows = (
        sel.visible_items(user)
        .filter(year__in=(today.year, today.year + 1))
        .select_related("region")
        .order_by("date", "id")
    )
    for item in rows.iterator(chunk_size=500):
        ev = Event()
        ev.add("uid", f"yearplan-{item.pk}@renda")
        ev.add("summary", f"{item.region.name}：{item.title}")
        ev.add("dtstart", item.date)
        ev.add("dtend", item.date + timedelta(days=1))
        ev.add("dtstamp", timezone.now())
        ev.add("sequence", item.version)
        ev.add("status", "CANCELLED" if item.state == "cancelled" else "CONFIRMED")
        ev.add("categories", [str(item.get_kind_display())])
        if item.note:
            ev.add("description", item.note)
        cal.add_component(ev)
    return cal.to_ical()
