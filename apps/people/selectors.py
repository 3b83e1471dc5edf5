"""Every read of people that a page or endpoint needs, already scoped through `visible_to`."""

import re

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from apps.accounts.scopes import visible_to
from apps.localrules.selectors import per_town
from apps.places.models import Region

from .models import Deputy, Household, Mandate, MandateStatus, MemberContact

_ASCII = re.compile(r"^[a-zA-Z]+$")


def region_q(region: Region, prefix: str = "") -> Q:
    """Objects in `region` or below it, by the cheapest indexed column for its level."""
    if region.level == "county":
        return Q(**{f"{prefix}county": region.pk})
    if region.level == "town":
        return Q(**{f"{prefix}town": region.pk})
    if region.level in ("province", "city"):
        return Q(**{f"{prefix}county__path__startswith": region.path})
    return Q(**{f"{prefix}region__path__startswith": region.path})


def search_q(q: str) -> Q:
    """Name, full pinyin or pinyin initials: "张三", "zhangsan", "zs" all find 张三."""
    q = (q or "").strip()
    if not q:
        return Q()
    if _ASCII.match(q):
        q = q.lower()
        return Q(name_initials__startswith=q) | Q(name_pinyin__startswith=q)
    return Q(name__contains=q)


def deputies(
    user,
    *,
    q: str = "",
    level: str = "",
    region: Region | None = None,
    station_id: int | None = None,
    group_id: int | None = None,
    status: str = "",
    grid_leader: bool | None = None,
) -> QuerySet[Deputy]:
    qs = visible_to(user, Deputy).select_related("region", "town", "station")
    if q:
        qs = qs.filter(search_q(q))
    if level:
        qs = qs.filter(
            Exists(Mandate.objects.filter(deputy=OuterRef("pk"), level=level, status=MandateStatus.IN_OFFICE))
        )
    if region is not None:
        qs = qs.filter(region_q(region))
    if station_id:
        qs = qs.filter(station_id=station_id)
    if group_id:
        qs = qs.filter(groups=group_id)
    if status:
        qs = qs.filter(status=status)
    if grid_leader is not None:
        from .models import GridRole

        has_grid = Exists(GridRole.objects.filter(deputy=OuterRef("pk")))
        qs = qs.filter(has_grid if grid_leader else ~has_grid)
    return qs.order_by("name_pinyin", "id")


def deputy_detail(user, pk: int) -> Deputy:
    from apps.accounts.scopes import get_or_deny

    deputy = get_or_deny(user, Deputy, pk=pk)
    return (
        Deputy.objects.select_related("region", "town", "county", "station", "user")
        .prefetch_related("mandates__congress_region", "groups", "grid_roles__grid")
        .get(pk=deputy.pk)
    )


def public_card(public_code) -> Deputy | None:
    """The deputy's public card (代表码): public fields only, for anyone who scans the QR code."""
    return (
        Deputy.objects.select_related("region", "town", "station")
        .prefetch_related("mandates", "groups")
        .filter(public_code=public_code)
        .exclude(status__in=[MandateStatus.RECALLED, MandateStatus.TERMINATED])
        .first()
    )


def activity_counts(deputy: Deputy) -> list[tuple[str, int]]:
    """Approved duty records by kind, for the card and the profile."""
    from apps.duty.models import ActivityKind, DutyRecord, ReviewState

    rows = (
        DutyRecord.objects.filter(deputy=deputy, review_state=ReviewState.APPROVED)
        .values("kind")
        .annotate(n=Count("id"))
    )
    labels = dict(ActivityKind.choices)
    return [(labels.get(r["kind"], r["kind"]), r["n"]) for r in rows]


def households(
    user, *, region: Region | None = None, deputy_id: int | None = None, poor: bool | None = None, q: str = ""
) -> QuerySet[Household]:
    qs = visible_to(user, Household).select_related("region", "contact_deputy", "paired_deputy")
    if region is not None:
        qs = qs.filter(region_q(region))
    if deputy_id:
        qs = qs.filter(contact_deputy_id=deputy_id)
    if poor is not None:
        qs = qs.filter(is_poor=poor)
    if q:
        qs = qs.filter(Q(head_name__contains=q) | Q(address__contains=q))
    return qs.order_by("region__code", "head_name", "id")


def quota_rows(user, *, region: Region | None = None, only_off: bool = False):
    """Who is under or over the contact quotas [local]: households per deputy; for presidium and
    standing-committee members, deputies and households contacted."""
    names = ("HOUSEHOLDS_PER_DEPUTY", "MEMBER_DEPUTIES", "MEMBER_HOUSEHOLDS")
    quota = {k: per_town(f"QUOTA_{k}") for k in names}
    qs = deputies(user, region=region).annotate(
        n_households=_count(Household.objects.filter(contact_deputy=OuterRef("pk")), "contact_deputy"),
        n_member_deputies=_count(
            MemberContact.objects.filter(member=OuterRef("pk"), deputy__isnull=False), "member"
        ),
        n_member_households=_count(
            MemberContact.objects.filter(member=OuterRef("pk"), household__isnull=False), "member"
        ),
    )
    rows = []
    for d in qs:
        is_member = d.is_presidium_member or d.is_standing_committee_member
        # [local] the deputy's town's quotas
        want_h = quota["HOUSEHOLDS_PER_DEPUTY"](d)
        want_d, want_mh = quota["MEMBER_DEPUTIES"](d), quota["MEMBER_HOUSEHOLDS"](d)
        off = d.n_households != want_h
        if is_member:
            off = off or d.n_member_deputies != want_d
            off = off or d.n_member_households != want_mh
        if only_off and not off:
            continue
        rows.append(
            {
                "deputy": d,
                "households": d.n_households,
                "households_quota": want_h,
                "is_member": is_member,
                "member_deputies": d.n_member_deputies if is_member else None,
                "member_households": d.n_member_households if is_member else None,
                "member_quota_deputies": want_d,
                "member_quota_households": want_mh,
                "off": off,
            }
        )
    return rows


def _count(qs: QuerySet, group_field: str):
    """A correlated COUNT(*) subquery: one row per outer object, no join fan-out."""
    counted = qs.order_by().values(group_field).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
