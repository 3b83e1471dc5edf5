"""Reads of opinions and reception days, always starting from what the user may see."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from apps.accounts.scopes import get_or_deny, visible_to
from apps.common.choices import Satisfaction
from apps.places.models import HandlingUnit, Region, UnitLevel

from .models import Opinion, ReceptionDay
from .rules import rate

OPEN = Opinion.workflow.open_states()
TIMED = Opinion.workflow.timed_states()
# How many recent rows the similarity and routing helpers read: enough for a township's year.
SIMILAR_POOL = 2000


def opinions(
    user,
    *,
    region: Region | None = None,
    station=None,
    unit=None,
    state: str = "",
    source: str = "",
    topic: str = "",
    q: str = "",
    overdue: bool = False,
    year: int | None = None,
    today=None,
) -> QuerySet:
    qs = visible_to(user, Opinion).select_related("unit", "station", "deputy", "region")
    if region is not None:
        qs = qs.filter(**({"town": region} if region.level == "town" else {"county": region.county_id}))
        if region.level not in ("town", "county"):
            qs = qs.filter(region__path__startswith=region.path)
    if station is not None:
        qs = qs.filter(station=station)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if state == "open":
        qs = qs.filter(state__in=OPEN)
    elif state:
        qs = qs.filter(state=state)
    if source:
        qs = qs.filter(source=source)
    if topic:
        qs = qs.filter(topic=topic)
    if q:
        code = q.strip().upper()
        qs = qs.filter(Q(title__contains=q) | Q(content__contains=q) | Q(tracking_code=code))
    if overdue:
        qs = qs.filter(state__in=TIMED, due_date__lt=today or timezone.localdate())
    if year:
        qs = qs.filter(received_on__year=year)
    return qs


def opinion_detail(user, pk: int) -> Opinion:
    return get_or_deny(user, Opinion, pk=pk)


def by_tracking_code(code: str) -> Opinion | None:
    """For the public tracking page: the code alone finds the item; what is shown is decided there."""
    code = (code or "").strip().upper()
    if not code or len(code) > 12 or not code.isprintable():  # no such code (and NUL would be a 500 on PG)
        return None
    return Opinion.objects.select_related("unit").filter(tracking_code=code).first()


def assignable_units(item) -> QuerySet:
    """The units of the item's township, and the county's own bureaus."""
    return HandlingUnit.objects.filter(is_active=True).filter(
        Q(town_id=item.town_id, town__isnull=False) | Q(county_id=item.county_id, level=UnitLevel.COUNTY)
    )


def similar_open(item, k: int = 5, *, user=None) -> list[tuple[Opinion, float]]:
    """The open items of the same township most like this one, for merging duplicates; with `user`, only
    those the user may see."""
    from . import similarity  # jieba loads its dictionary on first use: only pages that need it pay

    base = visible_to(user, Opinion) if user is not None else Opinion.objects.all()
    pool = (
        base.filter(town_id=item.town_id, county_id=item.county_id, state__in=OPEN)
        .exclude(pk=item.pk)
        .order_by("-pk")
        .values_list("pk", "title", "content")[:SIMILAR_POOL]
    )
    ranked = similarity.similar(f"{item.title} {item.content}", [(pk, f"{t} {c}") for pk, t, c in pool], k=k)
    found = Opinion.objects.in_bulk([pk for pk, _score in ranked])
    return [(found[pk], score) for pk, score in ranked if pk in found]


def suggested_units(item, k: int = 3) -> list[tuple[HandlingUnit, float]]:
    """Units that took the most similar earlier items of the same township (routing help). The township's
    own history routes better than the county's: town offices are told apart by their village names."""
    from . import similarity

    history = (
        Opinion.objects.filter(town_id=item.town_id, county_id=item.county_id, unit__isnull=False)
        .exclude(pk=item.pk)
        .order_by("-pk")
        .values_list("title", "content", "unit_id")[:SIMILAR_POOL]
    )
    ranked = similarity.suggest_unit(f"{item.title} {item.content}", [(f"{t} {c}", u) for t, c, u in history])
    units = assignable_units(item).in_bulk([u for u, _score in ranked])
    return [(units[u], score) for u, score in ranked if u in units][:k]


def steps(item):
    from apps.workflow.services import steps_of

    return steps_of(item)


# --- counts ------------------------------------------------------------------------------------------------


def _figures(qs, today):
    return qs.annotate(
        collected=Count("pk"),
        assigned=Count("pk", filter=Q(assigned_on__isnull=False)),
        replied=Count("pk", filter=Q(replied_on__isnull=False)),
        on_time=Count("pk", filter=Q(reply_on_time=True)),
        closed=Count("pk", filter=Q(state="closed")),
        resolved=Count("pk", filter=Q(state="closed", solved=True)),
        visited=Count("pk", filter=~Q(satisfaction="")),
        satisfied=Count("pk", filter=Q(satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASIC])),
        open=Count("pk", filter=Q(state__in=OPEN)),
        overdue=Count("pk", filter=Q(state__in=TIMED, due_date__lt=today)),
    )


def _with_rates(row: dict) -> dict:
    row["on_time_rate"] = rate(row["on_time"], row["replied"])
    row["resolved_rate"] = rate(row["resolved"], row["collected"])
    row["satisfaction_rate"] = rate(row["satisfied"], row["visited"])
    return row


def town_figures(user, *, year: int, region: Region | None = None, today=None) -> list[dict]:
    """Per township of what the user sees: the figures the seeds quote, in two aggregate queries."""
    today = today or timezone.localdate()
    qs = opinions(user, region=region, year=year).order_by().values("town", "town__name")
    rows = {r["town"]: _with_rates(dict(r, voters_received=0)) for r in _figures(qs, today)}
    days = visible_to(user, ReceptionDay).filter(date__year=year)
    if region is not None:
        days = days.filter(**({"town": region} if region.level == "town" else {"county": region.county_id}))
    for r in days.order_by().values("town", "town__name").annotate(n=Sum("voters_received")):
        row = rows.get(r["town"])
        if row is None:
            continue
        row["voters_received"] = r["n"] or 0
    return sorted(rows.values(), key=lambda r: r["town__name"] or "")


def totals(rows: list[dict]) -> dict:
    keys = [
        "voters_received",
        "collected",
        "assigned",
        "replied",
        "on_time",
        "closed",
        "resolved",
        "visited",
        "satisfied",
        "open",
        "overdue",
    ]
    out = {k: sum(r.get(k) or 0 for r in rows) for k in keys}
    return _with_rates(out)


def unit_figures(user, *, year: int, region: Region | None = None, today=None) -> list[dict]:
    """Per handling unit: load, open, overdue, on-time rate (items assigned in the year)."""
    today = today or timezone.localdate()
    qs = opinions(user, region=region).filter(assigned_on__year=year, unit__isnull=False)
    rows = (
        qs.order_by()
        .values("unit", "unit__name")
        .annotate(
            load=Count("pk"),
            open=Count("pk", filter=Q(state="assigned")),
            overdue=Count("pk", filter=Q(state="assigned", due_date__lt=today)),
            replied=Count("pk", filter=Q(replied_on__isnull=False)),
            on_time=Count("pk", filter=Q(reply_on_time=True)),
        )
        .order_by("-load")
    )
    return [dict(r, on_time_rate=rate(r["on_time"], r["replied"])) for r in rows]


# --- reception days ---------------------------------------------------------------------------------------


def reception_days(user, *, station=None, year: int | None = None, upcoming: bool = False) -> QuerySet:
    qs = visible_to(user, ReceptionDay).select_related("station").distinct()
    if station is not None:
        qs = qs.filter(station=station)
    if year:
        qs = qs.filter(date__year=year)
    if upcoming:
        qs = qs.filter(date__gte=timezone.localdate()).order_by("date")
    return qs


def reception_day_detail(user, pk: int) -> ReceptionDay:
    return get_or_deny(user, ReceptionDay, pk=pk)


def public_rota(station, *, today=None):
    """Published rotas of a station's coming reception days, for the public station page."""
    today = today or timezone.localdate()
    return (
        ReceptionDay.objects.filter(station=station, date__gte=today, rota_published_at__isnull=False)
        .prefetch_related("rota")
        .order_by("date")[:3]
    )


def home_counts(user, today=None) -> dict:
    """The home page's opinion figures for the user's scope, in one aggregate query."""
    today = today or timezone.localdate()
    return visible_to(user, Opinion).aggregate(
        open=Count("pk", filter=Q(state__in=OPEN)),
        overdue=Count("pk", filter=Q(state__in=TIMED, due_date__lt=today)),
        waiting_unit=Count("pk", filter=Q(state="assigned")),
    )
