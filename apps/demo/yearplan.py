"""Demo data for the year's calendar (issue 20 part 4): this year's calendar of every town of the demo
county, generated from the county template and the sessions, presidium meetings and supervision plans the
earlier seeds made. Whether a town is behind is read from those seeds' records (reception days, duty
records, meetings), so the compliance view shows the demo as it is."""

from __future__ import annotations

from django.utils import timezone

from apps.places.models import Region
from apps.yearplan.services import generate_towns

from .county import CountyBuilder


def seed_demo_yearplan(builder: CountyBuilder, *, today=None) -> dict:
    today = today or timezone.localdate()
    towns = list(Region.objects.filter(pk__in=[t.node.id for t in builder.towns]).order_by("code"))
    made = generate_towns(actor=None, towns=towns, year=today.year)
    return {"yearplan_items": sum(made.values())}
