"""Publishing the scores each quarter (按季度公布): a snapshot of every stored score."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.audit.services import record
from apps.common.errors import ValidationFailed
from apps.localrules.selectors import local_value
from apps.places.models import Region

from .. import rules
from ..errors import ErrorCode
from ..models import (
    PointsTable,
    PublishedScore,
    Score,
    ScorePublication,
)
from .scores import (
    recompute,
)


def publish_quarter(*, actor, county, year: int, quarter: int) -> ScorePublication:
    """The county office publishes the scores (按季度公布): recompute, then snapshot every score."""
    # Only the county office (or an admin) publishes its scores.
    perms.require_in(actor, perms.DUTY_SCORES_PUBLISH, county)
    if quarter not in (1, 2, 3, 4):
        raise ValidationFailed(_("季度应为1至4"), fields={"quarter": [_("季度应为1至4")]})
    if not PointsTable.objects.filter(county=county, year=year).exists():
        raise ValidationFailed(_("%(year)s年度尚未制定积分标准") % {"year": year}, code=ErrorCode.NO_TABLE)
    recompute(year=year, county_ids=[county.pk])
    with transaction.atomic():
        pub, created = snapshot_scores(county=county, year=year, quarter=quarter, actor=actor)
        record(
            actor=actor,
            action="duty.scores.published",
            obj=pub,
            summary={"county": county.pk, "year": year, "quarter": quarter, "republished": not created},
        )
    return pub


def publish_due(today=None, *, automatic: bool = False) -> int:
    """The huey task's work on the first day of a quarter: publish the quarter just ended in every county
    that has a points table for its year (`automatic`: only where the county publishes automatically,
    [local] DUTY_AUTO_PUBLISH). Returns the number of counties published."""
    today = today or timezone.localdate()
    year, quarter = (today.year, rules.quarter_of(today) - 1) if today.month > 3 else (today.year - 1, 4)
    n = 0
    for table in PointsTable.objects.filter(year=year).only("county_id"):
        county_id = table.county_id
        if automatic and not local_value("DUTY_AUTO_PUBLISH", table):
            continue
        recompute(year=year, county_ids=[county_id])
        with transaction.atomic():
            pub, created = snapshot_scores(
                county=Region.objects.get(pk=county_id), year=year, quarter=quarter
            )
            record(
                actor=None,
                action="duty.scores.published",
                obj=pub,
                summary={"county": county_id, "year": year, "quarter": quarter, "republished": not created},
            )
        n += 1
    return n


def snapshot_scores(*, county, year: int, quarter: int, actor=None) -> tuple[ScorePublication, bool]:
    """Copy the county's stored scores into the quarter's publication (replacing an earlier one)."""
    pub, created = ScorePublication.objects.select_for_update().get_or_create(
        county=county,
        year=year,
        quarter=quarter,
        defaults={"published_at": timezone.now(), "published_by": actor},
    )
    if not created:
        pub.published_at, pub.published_by = timezone.now(), actor
        pub.save()
        pub.scores.all().delete()
    rows = Score.objects.filter(county=county, year=year).values_list(
        "deputy_id", "town_id", "total", "band", "rank_in_town", "breakdown"
    )
    PublishedScore.objects.bulk_create(
        (
            PublishedScore(
                publication=pub,
                deputy_id=d,
                county=county,
                town_id=t,
                total=tot,
                band=b,
                rank_in_town=r,
                breakdown=bd,
            )
            for d, t, tot, b, r, bd in rows.iterator(chunk_size=2000)
        ),
        batch_size=2000,
    )
    return pub, created
