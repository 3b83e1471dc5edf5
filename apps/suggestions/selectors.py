"""Reads of suggestions and motions, starting from what the user may see."""

from __future__ import annotations

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from apps.accounts.scopes import get_or_deny, visible_to
from apps.common.choices import Satisfaction
from apps.opinions.rules import rate
from apps.opinions.selectors import assignable_units  # the same rule: the town's units and the county's

from . import rules
from .models import Award, Category, CoHandling, Feedback, Motion, Signature, SignatureStatus, Suggestion

OPEN = Suggestion.workflow.open_states()
TIMED = Suggestion.workflow.timed_states()
HANDLED = ["replied", "rehandling", "tracking", "closed"]

__all__ = ["assignable_units"]


def suggestions(
    user,
    *,
    region=None,
    unit=None,
    state="",
    period="",
    topic="",
    q="",
    year=None,
    key_only=False,
    overdue=False,
    today=None,
) -> QuerySet:
    qs = visible_to(user, Suggestion).select_related("lead", "unit", "region").distinct()
    if region is not None:
        qs = qs.filter(**({"town": region} if region.level == "town" else {"county": region.county_id}))
    if unit is not None:
        qs = qs.filter(unit=unit)
    if state == "open":
        qs = qs.filter(state__in=OPEN)
    elif state:
        qs = qs.filter(state=state)
    if period:
        qs = qs.filter(period=period)
    if topic:
        qs = qs.filter(topic=topic)
    if q:
        qs = qs.filter(Q(title__contains=q) | Q(content__contains=q) | Q(number=q.strip()))
    if year:
        qs = qs.filter(created_at__year=year)
    if key_only:
        qs = qs.filter(is_key=True)
    if overdue:
        qs = qs.filter(state__in=TIMED, due_date__lt=today or timezone.localdate())
    return qs


def suggestion_detail(user, pk: int) -> Suggestion:
    return get_or_deny(user, Suggestion, pk=pk)


def suggestion_for(user, pk: int) -> tuple[Suggestion, list[CoHandling]]:
    """The suggestion for its page, and the co-handling parts of the user's own unit. Staff of a co-handling
    unit (协办) are outside the suggestion's scope, yet must read it to send their part to the lead unit."""
    from apps.accounts.models import Role
    from apps.accounts.scopes import grants_of

    units = [g.unit_id for g in grants_of(user) if g.role == Role.UNIT_STAFF and g.unit_id]
    parts = (
        list(CoHandling.objects.filter(suggestion_id=pk, unit_id__in=units).select_related("unit"))
        if units
        else []
    )
    if parts and not visible_to(user, Suggestion).filter(pk=pk).exists():
        return Suggestion.objects.select_related("lead", "unit", "region").get(pk=pk), parts
    return suggestion_detail(user, pk), parts


def awards(user, *, year: int | None = None, town=None) -> QuerySet:
    """The excellent suggestions and units (评优评先) of the towns the user may see."""
    from apps.places.models import Region

    qs = Award.objects.filter(town__in=visible_to(user, Region)).select_related("town", "suggestion", "unit")
    if year:
        qs = qs.filter(year=year)
    if town is not None:
        qs = qs.filter(town=town)
    return qs.order_by("-year", "town__code", "kind", "pk")


def motions(user) -> QuerySet:
    return visible_to(user, Motion).select_related("lead", "region").distinct()


def motion_detail(user, pk: int) -> Motion:
    return get_or_deny(user, Motion, pk=pk)


def published(*, region=None) -> QuerySet:
    """Replies the public may read: published, replied at least once. Names yes, contact details never."""
    # A reply is public once its signers rated it or their window passed (`published_round`, issue 16
    # item 10), and never while it waits for them; not at all when marked not for publication.
    qs = Suggestion.objects.filter(publish=True, rounds__gt=0, published_round=F("rounds")).select_related(
        "lead", "unit", "region"
    )
    if region is not None:
        qs = qs.filter(**({"town": region} if region.level == "town" else {"county": region.county_id}))
    return qs.order_by("-replied_on", "-pk")


def similar_submitted(item, *, user=None, k: int = 5):
    """Suggestions of the same township like this one, for merging at review."""
    from apps.opinions import similarity

    base = visible_to(user, Suggestion) if user is not None else Suggestion.objects.all()
    pool = (
        base.filter(town_id=item.town_id, county_id=item.county_id)
        .exclude(pk=item.pk)
        .exclude(state__in=["draft", "declined", "merged"])
        .order_by("-pk")
        .values_list("pk", "title", "content")[:2000]
    )
    ranked = similarity.similar(f"{item.title} {item.content}", [(pk, f"{t} {c}") for pk, t, c in pool], k=k)
    found = Suggestion.objects.in_bulk([pk for pk, _s in ranked])
    return [(found[pk], s) for pk, s in ranked if pk in found]


def feedback_of(item):
    return Feedback.objects.filter(suggestion=item).select_related("deputy").order_by("round", "at")


# --- figures (DOMAIN §4: solved next to satisfied) ----------------------------------------------------------


def _counts(qs):
    return qs.annotate(
        total=Count("pk", distinct=True),
        replied=Count("pk", filter=Q(rounds__gt=0), distinct=True),
        on_time=Count("pk", filter=Q(reply_on_time=True), distinct=True),
        a=Count("pk", filter=Q(category=Category.A), distinct=True),
        b=Count("pk", filter=Q(category=Category.B), distinct=True),
        c=Count("pk", filter=Q(category=Category.C), distinct=True),
        d=Count("pk", filter=Q(category=Category.D), distinct=True),
        solved=Count(
            "pk",
            filter=Q(category=Category.A) | Q(category=Category.B, solved_on__isnull=False),
            distinct=True,
        ),
        overdue=Count("pk", filter=Q(state__in=TIMED, due_date__lt=timezone.localdate()), distinct=True),
    )


def _rates(row: dict, satisfaction: dict) -> dict:
    rated, happy = satisfaction.get(row["key"], (0, 0))
    row.update(
        rated=rated,
        on_time_rate=rate(row["on_time"], row["replied"]),
        solved_rate=rate(row["solved"], row["replied"]),
        satisfaction_rate=rate(happy, rated),
        **{f"{k}_share": rate(row[k], row["replied"]) for k in ("a", "b", "c", "d")},
    )
    return row


def figures(user, *, by: str, year: int | None = None, region=None) -> list[dict]:
    """Per town, unit, lead deputy or session: count, on-time rate, A/B/C/D shares, solved rate and
    satisfaction rate (every signer's rating of the result, each round), side by side. Two grouped queries."""
    field = {"town": "town", "unit": "unit", "deputy": "lead", "session": "session_label"}[by]
    label = {"town": "town__name", "unit": "unit__name", "deputy": "lead__name", "session": "session_label"}[
        by
    ]
    qs = suggestions(user, region=region, year=year).exclude(state__in=["draft", "declined", "merged"])
    if by == "unit":
        qs = qs.filter(unit__isnull=False)
    rows = [dict(r, key=r[field], label=r[label]) for r in _counts(qs.order_by().values(field, label))]
    fb = (
        Feedback.objects.filter(suggestion__in=qs.values("pk"))
        .order_by()
        .values(f"suggestion__{field}")
        .annotate(
            rated=Count("pk", filter=~Q(result=Satisfaction.NO_OPINION)),
            happy=Count("pk", filter=Q(result__in=[Satisfaction.SATISFIED, Satisfaction.BASIC])),
        )
    )
    satisfaction = {r[f"suggestion__{field}"]: (r["rated"], r["happy"]) for r in fb}
    return sorted((_rates(r, satisfaction) for r in rows), key=lambda r: str(r["label"] or ""))


# --- motions' signers (DOMAIN §4: five or more township deputies jointly) -----------------------------------


def _mandates_of(deputy_ids) -> dict[int, list[tuple]]:
    """Every mandate of these deputies as the values `rules.sits_in_town_congress` reads: one query."""
    from apps.people.models import Mandate

    out: dict[int, list[tuple]] = {pk: [] for pk in deputy_ids}
    rows = Mandate.objects.filter(deputy_id__in=list(out)).values_list(
        "deputy_id", "level", "congress_region_id", "status", "term_start", "term_end"
    )
    for deputy_id, *facts in rows:
        out[deputy_id].append(tuple(facts))
    return out


def seated_in_town_congress(deputy_ids, town_id: int, today=None) -> set[int]:
    """Those of `deputy_ids` who hold a township mandate of `town_id`'s congress in office today."""
    today = today or timezone.localdate()
    facts = _mandates_of(deputy_ids)
    return {pk for pk, ms in facts.items() if rules.sits_in_town_congress(ms, town_id=town_id, today=today)}


def seated_in_own_town(deputies, today=None) -> list:
    """The deputies (of any towns) who sit in the congress of the town they belong to: whom a motion's form
    offers as its lead or co-signers."""
    today = today or timezone.localdate()
    facts = _mandates_of([d.pk for d in deputies])
    return [d for d in deputies if rules.sits_in_town_congress(facts[d.pk], town_id=d.town_id, today=today)]


def motion_signers(motion, today=None) -> tuple[list, list]:
    """The confirmed signers of a motion (the lead first): those who count toward its five, and those who
    confirmed but do not sit in the motion's township congress (a county deputy, another town's)."""
    sigs = list(
        motion.signatures.filter(status=SignatureStatus.CONFIRMED)
        .select_related("deputy")
        .order_by("-is_lead", "pk")
    )
    seated = seated_in_town_congress([s.deputy_id for s in sigs], motion.town_id, today)
    counted = [s.deputy for s in sigs if s.deputy_id in seated]
    return counted, [s.deputy for s in sigs if s.deputy_id not in seated]


# --- 联名邀请 (issue 16 item 9) --------------------------------------------------------------------------


def invitations(user, *, pending_only: bool = False) -> QuerySet:
    """The co-signature invitations of the deputy the user is: every suggestion or motion another deputy
    asked them to sign, the unanswered first. Nobody else's: a login that is no deputy has none."""
    from apps.accounts.scopes import own_deputy_id

    me = own_deputy_id(user)
    if me is None:
        return Signature.objects.none()
    qs = Signature.objects.filter(deputy_id=me, is_lead=False).select_related(
        "suggestion__lead", "suggestion__region", "motion__lead", "motion__region"
    )
    if pending_only:
        qs = qs.filter(status=SignatureStatus.INVITED).filter(
            Q(suggestion__state__in=["draft", "returned"]) | Q(motion__state="draft")
        )
    order = Q(status=SignatureStatus.INVITED) & (
        Q(suggestion__state__in=["draft", "returned"]) | Q(motion__state="draft")
    )
    return qs.annotate(
        pending=Case(When(order, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("pending", "-pk")
