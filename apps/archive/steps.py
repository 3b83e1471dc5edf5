"""What the commitment and report-back steps (workflow.py) change and do besides."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.common.choices import Satisfaction
from apps.duty.services import append_platform_record
from apps.localrules.selectors import local_value

from . import rules
from .models import CommitmentRating, RatingTally


def _rate(item, rating: str, data, actor, today):
    item.rating, item.rating_reason, item.rated_on, item.rated_by = (
        rating,
        data["reason"].strip(),
        today,
        actor,
    )


def rate_fulfilled(item, data, actor, today):
    _rate(item, CommitmentRating.FULFILLED, data, actor, today)


def rate_not_fulfilled(item, data, actor, today):
    _rate(item, data["rating"], data, actor, today)


def commitment_duty_record(ctx):
    """The `commitment` or `commitment_overdue` duty record, once (the ledger is unique per source)."""
    item = ctx.item
    kind = rules.duty_kind_after_rating(item.rating, item.target_date, ctx.today)
    if kind:
        append_platform_record(
            deputy=item.deputy, kind=kind, date=ctx.today, title=item.title[:200], source_object=item
        )
    return kind


def rating_opened(item, data, actor, today):
    item.opened_at = timezone.now()


def open_tallies(ctx):
    meeting = ctx.item
    tallies = [
        RatingTally(meeting=meeting, deputy_id=s.deputy_id, choice=c)
        for s in meeting.speakers.all()
        for c in Satisfaction.rated_values()
    ]
    RatingTally.objects.bulk_create(tallies, ignore_conflicts=True)
    return len(tallies)


def rating_shortfall(item) -> str | None:
    """Why the meeting's rating cannot simply close now: fewer voters rated than the town's share of the
    expected voters [local: REPORT_BACK_MIN_RATED_SHARE, one third by default]; None when enough did."""
    share = int(local_value("REPORT_BACK_MIN_RATED_SHARE", item))
    return rules.too_few_raters(item.participations.count(), item.expected_voters, share)


def enough_rated(item, actor, today):
    """Guard of `close_rating`."""
    return rating_shortfall(item)


def too_few_rated(item, actor, today):
    """Guard of `close_rating_anyway`: the override is for a rating short of voters only."""
    if rating_shortfall(item) is None:
        return _("参评人数已达到最低比例，请直接结束测评")
    return None


def rating_closed(item, data, actor, today):
    item.participants = item.participations.count()
    item.closed_at = timezone.now()


def file_results(ctx):
    """File each deputy's result once (never edited after) and append the `report_back` duty record of
    every reporting deputy."""
    meeting = ctx.item
    counts = {(t.deputy_id, t.choice): t.count for t in RatingTally.objects.filter(meeting=meeting)}
    results = {}
    for s in meeting.speakers.select_related("deputy"):
        s.satisfied = counts.get((s.deputy_id, Satisfaction.SATISFIED), 0)
        s.basic = counts.get((s.deputy_id, Satisfaction.BASIC), 0)
        s.dissatisfied = counts.get((s.deputy_id, Satisfaction.DISSATISFIED), 0)
        s.save(update_fields=["satisfied", "basic", "dissatisfied"])
        results[s.deputy_id] = [s.satisfied, s.basic, s.dissatisfied]
        append_platform_record(
            deputy=s.deputy,
            kind="report_back",
            date=meeting.date,
            title=meeting.title[:200],
            source_object=meeting,
        )
    return results
