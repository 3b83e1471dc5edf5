"""Every read of places that a page or endpoint needs, already scoped through `visible_to`."""

from django.db.models import Count, OuterRef, QuerySet

from apps.accounts.scopes import get_or_deny, visible_to

from .models import HandlingUnit, Region, Station


def region_by_code(user, code: str) -> Region:
    """A region the user may see, by its official code (404 otherwise, and the refusal is logged)."""
    from apps.accounts.scopes import grants_of

    # The usual case, an office asking for its own county or town, costs no query.
    for grant in grants_of(user):
        if grant.region is not None and grant.region.code == code:
            return grant.region
    return get_or_deny(user, Region, code=code)


def regions(user, *, parent: Region | None = None, level: str = "") -> QuerySet[Region]:
    qs = visible_to(user, Region).select_related("parent")
    if parent is not None:
        qs = qs.filter(parent=parent)
    if level:
        qs = qs.filter(level=level)
    return qs.order_by("code")


def towns_with_counts(user, county: Region) -> QuerySet[Region]:
    """The county's towns with their deputies, stations and households counted in SQL."""
    from apps.people.models import Deputy, Household
    from apps.people.selectors import _count

    return regions(user, parent=county, level="town").annotate(
        n_deputies=_count(Deputy.objects.filter(town=OuterRef("pk")), "town"),
        n_households=_count(Household.objects.filter(town=OuterRef("pk")), "town"),
        n_stations=_count(Station.objects.filter(town=OuterRef("pk")), "town"),
        n_villages=Count("children", distinct=True),
    )


def stations(user, *, region: Region | None = None, level: str = "", q: str = "") -> QuerySet[Station]:
    from apps.people.selectors import region_q

    qs = visible_to(user, Station).select_related("region", "town", "keeper")
    if region is not None:
        qs = qs.filter(region_q(region))
    if level:
        qs = qs.filter(level=level)
    if q:
        qs = qs.filter(name__contains=q)
    return qs.order_by("region__code", "name")


def station_detail(user, pk: int) -> Station:
    return get_or_deny(user, Station, pk=pk)


def units(user, *, region: Region | None = None, level: str = "", q: str = "") -> QuerySet[HandlingUnit]:
    from apps.people.selectors import region_q

    qs = visible_to(user, HandlingUnit).select_related("region")
    if region is not None:
        qs = qs.filter(region_q(region))
    if level:
        qs = qs.filter(level=level)
    if q:
        qs = qs.filter(name__contains=q)
    return qs.order_by("level", "region__code", "name")
