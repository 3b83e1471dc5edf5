"""What the commitment and report-back steps (workflow.py) change and do besides."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.ballotbox import services as ballotbox
from apps.duty.services import append_platform_record
from apps.localrules.selectors import local_value

from . import ballots, rules
from .models import CommitmentRating


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


def second_teller_choices(item, actor):
    """The `tellers` choices of `prepare_rating`: the office staff the actor may name."""
    return [
        (u.pk, getattr(u, "display_name", "") or u.get_username())
        for u in ballots.second_teller_choices(item, actor)
    ]


def make_box(ctx):
    """`prepare_rating`: the rating's ballot box, the actor and the named second staff member its tellers
    (issue 15); it opens once both have made their key shares on the teller desk."""
    second = ballots.second_teller(ctx.item, ctx.actor, ctx.data["second_teller"])
    box = ballots.make_box(ctx.item, actor=ctx.actor, second=second)
    return {"box": box.pk, "tellers": [ctx.actor.pk, second.pk]}


def keys_made(item, actor, today):
    """Guard of `open_rating`: the box opens only once both tellers have made their key shares."""
    if ballots.rating_box(item) is None:
        return _("本场测评尚无票箱，请先准备测评")
    missing = ballots.missing_keys(item)
    if missing:
        return _("尚有监票人未生成密钥份额（%(names)s），请先到监票台生成") % {"names": "、".join(missing)}
    return None


def open_box(ctx):
    box = ballotbox.open_for(ballots.rating_box(ctx.item))
    return box.pk


def close_box(ctx):
    """Voting ends: the sealed ratings are combined; the two tellers then give their shares."""
    box = ballotbox.close_for(ballots.rating_box(ctx.item))
    return box.pk


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
    """`file_results`, once the tellers have decrypted the totals: file each deputy's result once (never
    edited after) from the box's published totals and append the `report_back` duty record of every
    reporting deputy. The box's rows are the speakers in order (ballots.make_box)."""
    meeting = ctx.item
    box = ballots.rating_box(meeting)
    speakers = list(meeting.speakers.select_related("deputy").order_by("id"))
    rows = box.results()
    if len(rows) != len(speakers):
        raise ValueError(f"box {box.pk} has {len(rows)} rows for {len(speakers)} speakers")
    results = {}
    for s, (_title, counts) in zip(speakers, rows, strict=True):
        s.satisfied, s.basic, s.dissatisfied = (n for _label, n in counts)
        s.save(update_fields=["satisfied", "basic", "dissatisfied"])
        results[s.deputy_id] = [s.satisfied, s.basic, s.dissatisfied]
        append_platform_record(
            deputy=s.deputy,
            kind="report_back",
            date=meeting.date,
            title=meeting.title[:200],
            source_object=meeting,
        )
    return {"box": box.pk, "results": results}
