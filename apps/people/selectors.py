"""Every read of people that a page or endpoint needs, already scoped through `visible_to`."""

import re
import uuid

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.accounts.scopes import visible_to
from apps.localrules.selectors import local_value, per_town
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


# A mandate or a deputy in one of these states is over: the public no longer sees the deputy by code.
ENDED = [MandateStatus.RESIGNED, MandateStatus.RECALLED, MandateStatus.TERMINATED]


def current_mandates(today=None) -> QuerySet[Mandate]:
    """Mandates still running on `today`: not resigned, recalled or terminated, term not over."""
    today = today or timezone.localdate()
    return Mandate.objects.filter(term_end__gte=today).exclude(status__in=ENDED)


def public_deputies(today=None) -> QuerySet[Deputy]:
    """The deputies the public may find by their 代表码: not resigned, recalled or terminated, and holding a
    mandate whose term has not ended. Every public lookup by code goes through here (the card and its QR
    code, the public API, the published counts and commitments, the opinion form opened from a code)."""
    current = current_mandates(today).filter(deputy=OuterRef("pk"))
    return Deputy.objects.exclude(status__in=ENDED).filter(Exists(current))


def public_card(public_code) -> Deputy | None:
    """The deputy's public card (代表码): public fields only, for anyone who scans the QR code; None for a
    code that is malformed, unknown, or of a deputy whose mandate has ended or was recalled."""
    try:
        code = public_code if isinstance(public_code, uuid.UUID) else uuid.UUID(str(public_code).strip())
    except ValueError:
        return None
    # Only the running mandates are shown: a recalled town mandate is not on the card of a county deputy.
    mandates = Prefetch("mandates", queryset=current_mandates().order_by("level", "term"))
    return (
        public_deputies()
        .select_related("region", "town", "station")
        .prefetch_related(mandates, "groups")
        .filter(public_code=code)
        .first()
    )


def activity_counts(deputy: Deputy) -> list[tuple[str, int]]:
    """Approved duty records by kind, for the card and the profile, in the order of the kinds. The label is
    a plain `str` in the active language, never a lazy proxy: the public API uses it as a JSON key."""
    from apps.duty.models import ActivityKind, DutyRecord, ReviewState

    rows = dict(
        DutyRecord.objects.filter(deputy=deputy, review_state=ReviewState.APPROVED)
        .values("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
        .order_by()
    )
    return [(str(label), rows[kind]) for kind, label in ActivityKind.choices if kind in rows]


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


class QuotaRows:
    """The quota check as a lazy list: counted, filtered and sliced in SQL; only the rows of one page (or of
    an export, streamed) become dicts for the page, the API and Excel."""

    def __init__(self, qs: QuerySet):
        self.qs = qs

    def row(self, d: Deputy) -> dict:
        return {
            "deputy": d,
            "households": d.n_households,
            "households_quota": d.want_h,
            "is_member": d.is_member,
            "member_deputies": d.n_member_deputies if d.is_member else None,
            "member_households": d.n_member_households if d.is_member else None,
            "member_quota_deputies": d.want_md,
            "member_quota_households": d.want_mh,
            "off": d.off,
        }

    def count(self) -> int:
        return self.qs.count()

    __len__ = count

    def __getitem__(self, key):
        if isinstance(key, slice):
            return [self.row(d) for d in self.qs[key]]
        return self.row(self.qs[key])

    def __iter__(self):
        return (self.row(d) for d in self.qs.iterator(2000))


QUOTA_KEYS = {
    "want_h": "QUOTA_HOUSEHOLDS_PER_DEPUTY",
    "want_md": "QUOTA_MEMBER_DEPUTIES",
    "want_mh": "QUOTA_MEMBER_HOUSEHOLDS",
}


def _town_values(qs: QuerySet, key: str):
    """A [local] value per deputy's town as one SQL expression: CASE town_id WHEN ... (one lookup per town
    in the list, not per row)."""
    value_of = per_town(key)
    whens = [
        When(town_id=town_id, then=Value(value_of(_Where(town_id, county_id))))
        for town_id, county_id in qs.order_by().values_list("town_id", "county_id").distinct()
    ]
    default = Value(local_value(key, None))
    return Case(*whens, default=default, output_field=IntegerField()) if whens else default


class _Where:
    """What `local_value` reads of an item: its town and county."""

    def __init__(self, town_id, county_id):
        self.town_id, self.county_id = town_id, county_id


def quota_rows(user, *, region: Region | None = None, only_off: bool = False) -> QuotaRows:
    """Who is under or over the contact quotas [local, each town's own]: households per deputy; for presidium
    and standing-committee members, deputies and households contacted. Counted and compared in SQL."""
    member = Q(is_presidium_member=True) | Q(is_standing_committee_member=True)
    base = deputies(user, region=region)
    qs = base.annotate(
        n_households=_count(Household.objects.filter(contact_deputy=OuterRef("pk")), "contact_deputy"),
        n_member_deputies=_count(
            MemberContact.objects.filter(member=OuterRef("pk"), deputy__isnull=False), "member"
        ),
        n_member_households=_count(
            MemberContact.objects.filter(member=OuterRef("pk"), household__isnull=False), "member"
        ),
        is_member=ExpressionWrapper(member, output_field=BooleanField()),
        **{name: _town_values(base, key) for name, key in QUOTA_KEYS.items()},
    )
    off_q = ~Q(n_households=F("want_h")) | (
        member & (~Q(n_member_deputies=F("want_md")) | ~Q(n_member_households=F("want_mh")))
    )
    qs = qs.annotate(
        off=Case(When(off_q, then=Value(True)), default=Value(False), output_field=BooleanField())
    )
    if only_off:
        qs = qs.filter(off_q)
    return QuotaRows(qs)


def _count(qs: QuerySet, group_field: str):
    """A correlated COUNT(*) subquery: one row per outer object, no join fan-out."""
    counted = qs.order_by().values(group_field).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
