"""The county's points table of a year (积分标准): set, or started from last year's."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.audit.services import record
from apps.common.errors import ValidationFailed

from .. import rules, selectors
from ..errors import ErrorCode
from ..models import (
    ActivityKind,
    PointsRule,
    PointsTable,
)
from .scores import (
    recompute,
)


def _dec(value, field, errors, *, allow_none=False):
    if value in (None, "") and allow_none:
        return None
    try:
        d = Decimal(str(value))
        if abs(d) > 1000 or d != d.quantize(Decimal("0.1")):
            raise InvalidOperation
        return d
    except (InvalidOperation, ValueError):
        errors[field] = _("请填写不超过1000、最多一位小数的数")
        return None


def save_table(
    *, actor, county, year: int, base_score, five_good_min_score, five_good_min_suggestions, rows: dict
) -> PointsTable:
    """Set the county's table for a year: `rows` maps kind -> (first, further, cap or None). Audited with
    every change; the county's scores for that year are recomputed after commit."""
    # Only the county office (or an admin) sets the county's points table.
    perms.require_in(actor, perms.DUTY_TABLE_EDIT, county)
    errors: dict[str, str] = {}
    if not (2000 <= int(year) <= 2100):
        errors["year"] = _("年度不正确")
    base = _dec(base_score, "base_score", errors)
    min_score = _dec(five_good_min_score, "five_good_min_score", errors)
    try:
        min_sugg = int(five_good_min_suggestions)
        if min_sugg < 0:
            raise ValueError
    except (TypeError, ValueError):
        errors["five_good_min_suggestions"] = _("请填写非负整数")
        min_sugg = 0
    clean = {}
    for kind, (first, further, cap) in rows.items():
        if kind not in ActivityKind.values:
            errors[kind] = _("未知的履职类别")
            continue
        clean[kind] = (
            _dec(first, f"{kind}.first", errors),
            _dec(further, f"{kind}.further", errors),
            _dec(cap, f"{kind}.cap", errors, allow_none=True),
        )
        if clean[kind][2] is not None and clean[kind][2] < 0:
            errors[f"{kind}.cap"] = _("上限不能为负数")
    if errors:
        raise ValidationFailed(_("积分标准填写有误"), fields=errors)
    with transaction.atomic():
        table, created = PointsTable.objects.select_for_update().get_or_create(
            county=county, year=year, defaults={"base_score": base}
        )
        before = _table_snapshot(table) if not created else {}
        table.base_score, table.five_good_min_score = base, min_score
        table.five_good_min_suggestions = min_sugg
        table.save()
        table.rules.all().delete()
        PointsRule.objects.bulk_create(
            PointsRule(table=table, kind=k, first_points=f, further_points=fu, cap=c)
            for k, (f, fu, c) in clean.items()
        )
        after = _table_snapshot(table)
        record(
            actor=actor,
            action="duty.table.created" if created else "duty.table.changed",
            obj=table,
            summary={
                "year": year,
                "changes": {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v},
            },
        )
        transaction.on_commit(lambda: recompute(year=year, county_ids=[county.pk]), robust=True)
    return table


def _table_snapshot(table: PointsTable) -> dict:
    snap = {
        "base_score": str(table.base_score),
        "five_good_min_score": str(table.five_good_min_score),
        "five_good_min_suggestions": table.five_good_min_suggestions,
    }
    for r in table.rules.all():
        snap[r.kind] = [str(r.first_points), str(r.further_points), None if r.cap is None else str(r.cap)]
    return snap


def copy_table(*, actor, county, from_year: int, to_year: int) -> PointsTable:
    """Start a year from last year's table (or the default table when there is none)."""
    source = PointsTable.objects.filter(county=county, year=from_year).first()
    if PointsTable.objects.filter(county=county, year=to_year).exists():
        raise ValidationFailed(_("%(year)s年度的积分标准已存在") % {"year": to_year}, code=ErrorCode.EXISTS)
    if source is None:
        return save_table(
            actor=actor,
            county=county,
            year=to_year,
            base_score=0,
            five_good_min_score=90,
            five_good_min_suggestions=1,
            rows=dict(rules.DEFAULT_ROWS),
        )
    return save_table(
        actor=actor,
        county=county,
        year=to_year,
        base_score=source.base_score,
        five_good_min_score=source.five_good_min_score,
        five_good_min_suggestions=source.five_good_min_suggestions,
        rows=selectors.table_rows(source),
    )
