"""Demo data for the year's calendar (issue 20 part 4): the county's template (last year's edited, copied
to this year) and this year's calendar of every town of the demo county, generated from it and the
sessions, presidium meetings and supervision plans the earlier seeds made. Whether a town is behind is
read from those seeds' records (reception days, duty records, meetings), so the compliance view shows the
demo as it is."""

from __future__ import annotations

from django.utils import timezone

from apps.places.models import Region
from apps.yearplan import county_template
from apps.yearplan.models import CalendarTemplate, TemplateLine
from apps.yearplan.services import generate_towns

from .county import CountyBuilder


def seed_demo_template(county, year: int) -> None:
    """The county's template: last year's from Cangxi's lines plus a half-yearly training on the second
    Tuesday, copied to this year (as the county office does on the template page)."""
    if CalendarTemplate.objects.filter(region=county, year__in=(year - 1, year)).exists():
        return
    last = county_template.start(actor=None, county=county, year=year - 1)
    training = {"kind": "study", "title": "代表履职培训", "rule": "half", "month": 5, "day": 0, "nth": 2}
    TemplateLine.objects.create(template=last, weekday=1, **training)
    county_template.start(actor=None, county=county, year=year)


def seed_demo_yearplan(builder: CountyBuilder, *, today=None) -> dict:
    today = today or timezone.localdate()
    seed_demo_template(Region.objects.get(pk=builder.county.id), today.year)
    towns = list(Region.objects.filter(pk__in=[t.node.id for t in builder.towns]).order_by("code"))
    made = generate_towns(actor=None, towns=towns, year=today.year)
    return {"yearplan_items": sum(made.values())}
