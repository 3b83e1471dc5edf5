"""Every read of the public site (上墙公示). Nothing here takes a user: what is public is public to everyone.

Each function starts from what its owning app marks public and names the fields a page may show, so a
deputy's phone, ID number or address, a station keeper's phone, a voter's or a deputy's own rating never
leave through here: `tests/test_public_site.py` seeds them and crawls every public page and endpoint."""

from __future__ import annotations

import datetime

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from apps.archive.models import ReportBackSpeaker, ReportBackState
from apps.common.choices import Satisfaction
from apps.opinions.models import ReceptionDay
from apps.people.models import Deputy
from apps.people.selectors import current_mandates, public_deputies
from apps.places.models import Region, RegionLevel, Station
from apps.rectification import selectors as rectification_selectors
from apps.suggestions import selectors as suggestion_selectors

# The fields of a deputy the public pages read (never phone, ID number, address or birth date).
DEPUTY_FIELDS = ("id", "name", "gender", "photo", "public_code", "station", "town", "county", "occupation")
STATION_FIELDS = ("id", "name", "level", "address", "opening_schedule", "region", "town", "county")


def counties() -> QuerySet[Region]:
    return Region.objects.filter(level=RegionLevel.COUNTY).order_by("code")


def towns(county: Region | None = None) -> QuerySet[Region]:
    qs = Region.objects.filter(level=RegionLevel.TOWN).select_related("parent")
    if county is not None:
        qs = qs.filter(county=county)
    return qs.order_by("code")


def region(code: str) -> Region:
    """A county or a town by its official code; anything else (a village, a grid, no such code) is missing."""
    found = Region.objects.filter(code=code, level__in=[RegionLevel.COUNTY, RegionLevel.TOWN]).first()
    if found is None:
        raise Http404
    return found


def _in(region: Region) -> Q:
    return Q(town=region) if region.level == RegionLevel.TOWN else Q(county=region)


def on_plate() -> QuerySet[Deputy]:
    """The deputies on the public name-plate: serving (a running mandate) and not removed from the plate."""
    levels = Prefetch("mandates", queryset=current_mandates().order_by("level").only("deputy_id", "level"))
    return (
        public_deputies()
        .filter(on_plate=True)
        .only(*DEPUTY_FIELDS)
        .select_related("station")
        .prefetch_related(levels)
    )


def stations(region: Region) -> QuerySet[Station]:
    plate = public_deputies().filter(on_plate=True)
    return (
        Station.objects.filter(_in(region))
        .only(*STATION_FIELDS)
        .annotate(n_deputies=Count("deputies", filter=Q(deputies__in=plate), distinct=True))
        .order_by("level", "name", "id")
    )


def station(pk: int) -> Station:
    found = Station.objects.filter(pk=pk).only(*STATION_FIELDS).select_related("region", "town").first()
    if found is None:
        raise Http404
    return found


def deputies(region: Region | None = None, *, station: Station | None = None) -> QuerySet[Deputy]:
    """Deputies by station (those without a station last), then by the pinyin of their names."""
    qs = on_plate()
    if region is not None:
        qs = qs.filter(_in(region))
    if station is not None:
        qs = qs.filter(station=station)
    return qs.order_by("station__name", "station_id", "name_pinyin", "id")


def reception_days(station: Station, *, today: datetime.date | None = None, limit: int = 3) -> list:
    """The station's coming reception days whose rota is published, each with the serving deputies on duty."""
    today = today or timezone.localdate()
    rota = Prefetch("rota", queryset=on_plate().order_by("name_pinyin"), to_attr="on_duty")
    return list(
        ReceptionDay.objects.filter(station=station, date__gte=today, rota_published_at__isnull=False)
        .only("id", "date", "hours", "station_id")
        .prefetch_related(rota)
        .order_by("date")[:limit]
    )


def suggestions(region: Region | None = None) -> QuerySet:
    """Published replies (what the suggestions app marks public) with the signers' ratings of the latest
    round counted: how many rated the result satisfied, basically satisfied, dissatisfied. Never who rated."""
    latest = Q(feedback__round=F("rounds"))

    def rated(value):
        return Count("feedback", filter=latest & Q(feedback__result=value))

    return suggestion_selectors.published(region=region).annotate(
        r_satisfied=rated(Satisfaction.SATISFIED),
        r_basic=rated(Satisfaction.BASIC),
        r_dissatisfied=rated(Satisfaction.DISSATISFIED),
    )


def suggestion(pk: int):
    found = suggestions().filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def report_back(region: Region | None = None) -> QuerySet[ReportBackSpeaker]:
    """Filed report-back results (述职测评) of closed meetings: the voters' totals per serving deputy."""
    qs = ReportBackSpeaker.objects.filter(
        meeting__state=ReportBackState.CLOSED,
        satisfied__isnull=False,
        deputy__in=public_deputies(),
    ).select_related("meeting", "deputy")
    if region is not None:
        qs = qs.filter(
            Q(meeting__town=region) if region.level == RegionLevel.TOWN else Q(meeting__county=region)
        )
    return qs.only(
        "id",
        "satisfied",
        "basic",
        "dissatisfied",
        "meeting__id",
        "meeting__title",
        "meeting__date",
        "meeting__participants",
        "meeting__town_id",
        "meeting__county_id",
        "deputy__id",
        "deputy__name",
        "deputy__public_code",
    ).order_by("-meeting__date", "meeting_id", "deputy__name_pinyin", "id")


def rectifications(region: Region) -> QuerySet:
    """Rectification items of a town or county with their progress (what the rectification app marks
    public: never the problem's detail, the reviewers or their notes; the unit's report once accepted)."""
    if region.level == RegionLevel.TOWN:
        return rectification_selectors.public_items(town=region)
    return rectification_selectors.public_items(county=region)


# --- supervision results (监督结果公示, issue 18 part 7) ----------------------------------------------------
# Only what the presidium approved (a plan in state `approved`), activities of it, the summary and findings of
# those done, and evaluations whose results were published (`published` or `archived`). Never a draft or a
# returned plan, a deputy's own rating, a survey comment (text without a name, but not published either) or
# the members who only joined; the lead deputies' names are public (they are in the published plan).
PUBLISHED_EVALUATION_STATES = ("published", "archived")


def supervision_years(region: Region) -> list[int]:
    from apps.supervision.models import SupervisionPlan

    qs = SupervisionPlan.objects.filter(_in(region), state="approved").order_by("-year")
    return list(qs.values_list("year", flat=True).distinct())


def supervision_items(region: Region | None, year: int | None) -> QuerySet:
    """The activities of the approved plans of a town (or of a county's towns) in a year, with their lead
    deputies who are still public; `findings` only for activities done."""
    from apps.supervision.models import Activity, ActivityMember, Finding

    leads = Prefetch(
        "members",
        queryset=ActivityMember.objects.filter(role="lead", deputy__in=public_deputies())
        .select_related("deputy")
        .only("id", "activity_id", "role", "deputy__id", "deputy__name")
        .order_by("id"),
        to_attr="public_leads",
    )
    found = Prefetch(
        "findings",
        queryset=Finding.objects.filter(activity__state="done")
        .select_related("unit")
        .only("id", "activity_id", "text", "unit__name", "unit_id")
        .order_by("id"),
        to_attr="public_findings",
    )
    qs = Activity.objects.filter(plan__state="approved")
    if region is not None:
        qs = qs.filter(_in(region))
    if year:
        qs = qs.filter(plan__year=year)
    fields = (
        "id", "kind", "topic", "starts_on", "ends_on", "state", "summary", "region__name", "region__code",
        "unit__name", "unit_id", "plan__year", "plan__id", "region_id", "town_id", "county_id",
    )  # fmt: skip
    return (
        qs.select_related("region", "unit", "plan")
        .only(*fields)
        .prefetch_related(leads, found)
        .order_by("starts_on", "region_id", "id")
    )


def supervision_items_by_id(ids) -> QuerySet:
    """The public activities among `ids` (all of them with None), for the search index."""
    qs = supervision_items(None, None)
    return qs if ids is None else qs.filter(pk__in=list(ids))


def published_evaluations(region: Region) -> QuerySet:
    """Department evaluations whose results are published, each with its departments' filed results and
    written opinions (`public_rows`)."""
    from apps.evaluations.models import DepartmentEvaluation, EvaluatedUnit

    rows = Prefetch(
        "evaluated",
        queryset=EvaluatedUnit.objects.select_related("unit")
        .only("id", "evaluation_id", "unit__name", "unit_id", "opinion", "satisfied", "basic", "dissatisfied")
        .order_by("id"),
        to_attr="public_rows",
    )
    return (
        DepartmentEvaluation.objects.filter(_in(region), state__in=PUBLISHED_EVALUATION_STATES)
        .select_related("region")
        .only("id", "title", "year", "state", "region__name", "region_id", "town_id", "county_id")
        .prefetch_related(rows)
        .order_by("-year", "-id")
    )


def evaluation_results(region: Region) -> list:
    """One row per department of the published evaluations: counts and shares (percent) of 满意, 基本满意 and
    不满意, and the written opinion."""
    from apps.evaluations.rules import shares

    out = []
    for ev in published_evaluations(region):
        for row in ev.public_rows:
            filed = row.satisfied is not None
            row.evaluation_title, row.year, row.town_name = ev.title, ev.year, ev.region.name
            row.shares = shares(row.satisfied, row.basic, row.dissatisfied) if filed else shares(0, 0, 0)
            row.filed = filed
            out.append(row)
    return out
