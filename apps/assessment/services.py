"""Every write of the township assessment (issue 20 parts 1-3), by the county office.

The table is edited while a draft (aspects, indicators, copied from last year's), then moves on its workflow
(`act`); manual scores are created here and then move on theirs; evidence files are workflow attachments;
the advanced units are chosen while scoring. Each write checks the capability over the county, writes in
one transaction and appends its audit event there.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.accounts.scopes import get_or_deny, records_refusals
from apps.audit.services import record
from apps.common import text
from apps.common.errors import NotFound, ValidationFailed
from apps.common.errors import field_error as _fail
from apps.places.models import Region
from apps.workflow.errors import Conflict
from apps.workflow.services import create_tracked, transition

from . import metrics, rules
from .choices import Source
from .errors import ErrorCode
from .models import Aspect, Indicator, IndicatorTable, ManualScore, TownAssessment

LIMIT = Decimal(1000)
INDICATOR_FIELDS = ("target", "base_points", "increment_points", "cap", "deduction")


class Locked(Conflict):
    code = ErrorCode.TABLE_LOCKED


def _text(field: str, value, limit: int, *, required: bool) -> str:
    try:
        value = text.clean(str(value or "")).strip()
    except ValueError:
        raise _fail(field, _("含有不允许的控制字符")) from None
    if required and not value:
        raise _fail(field, _("请填写此项"))
    if len(value) > limit:
        raise _fail(field, _("不超过 %(n)s 字") % {"n": limit})
    return value


def _number(field: str, value) -> Decimal:
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        raise _fail(field, _("请填写数字")) from None
    if not number.is_finite() or abs(number) > LIMIT:
        raise _fail(field, _("数值须在 -1000 到 1000 之间"))
    return number


def _county(region_id: int) -> Region:
    county = Region.objects.filter(pk=region_id, level="county").first()
    if county is None:
        raise NotFound()
    return county


def _table(actor, table_id: int, *, draft: bool = False) -> IndicatorTable:
    table = get_or_deny(actor, IndicatorTable, perms.ASSESSMENT_MANAGE, pk=table_id)
    if draft and table.state != "draft":
        raise Locked(_("考核表已开始评分，指标不能再修改"))
    return table


# --- the table -------------------------------------------------------------------------------------------


def copy_into(table: IndicatorTable, source: IndicatorTable) -> int:
    """Copy `source`'s aspects and indicators into the (empty) `table`: "copy from last year"."""
    aspects = {}
    for a in source.aspects.all():
        aspects[a.pk] = Aspect.objects.create(table=table, order=a.order, name=a.name, is_bonus=a.is_bonus)
    rows = [
        Indicator(
            table=table, aspect=aspects[i.aspect_id], order=i.order, name=i.name, source=i.source,
            metric=i.metric, evidence_rule=i.evidence_rule, **{f: getattr(i, f) for f in INDICATOR_FIELDS},
        )
        for i in source.indicators.all()
    ]  # fmt: skip
    Indicator.objects.bulk_create(rows)
    return len(rows)


@records_refusals()
def create_table(
    *, actor, region_id: int, year: int, title: str = "", base_score=100, copy_from: int | None = None,
    is_example: bool = False,
) -> IndicatorTable:  # fmt: skip
    """A county's table for `year`: empty, or a copy of `copy_from` (one of the same county's tables;
    None and a table of the year before exists: that one)."""
    county = _county(region_id)
    perms.require_in(actor, perms.ASSESSMENT_MANAGE, county)
    if not 2000 <= int(year) <= 2100:
        raise _fail("year", _("年度不正确"))
    if IndicatorTable.objects.filter(county=county, year=year).exists():
        raise ValidationFailed(
            _("%(c)s %(y)s 年的考核表已经建立") % {"c": county.name, "y": year},
            code=ErrorCode.TABLE_EXISTS,
            fields={"year": [_("该年度的考核表已经建立")]},
        )
    source = None
    if copy_from is not None:
        source = IndicatorTable.objects.filter(pk=copy_from, county=county).first()
        if source is None:
            raise _fail("copy_from", _("请选择本县的考核表"))
    title = _text("title", title, 100, required=False) or _("%(c)s%(y)s年度镇人大工作考核") % {
        "c": county.name,
        "y": year,
    }
    fields = {
        "region": county, "year": year, "title": title, "base_score": _number("base_score", base_score),
        "is_example": is_example, "created_by": actor if getattr(actor, "is_authenticated", False) else None,
    }  # fmt: skip
    with transaction.atomic():
        table = create_tracked(IndicatorTable, actor=actor, fields=fields)
        if source is not None:
            n = copy_into(table, source)
            record(
                actor=actor, action="assessment.table_copied", obj=table, summary={"from": source.pk, "n": n}
            )
    return table


@records_refusals()
def add_aspect(*, actor, table_id: int, name: str, order: int = 1, is_bonus: bool = False) -> Aspect:
    with transaction.atomic():
        table = _table(actor, table_id, draft=True)
        name = _text("name", name, 60, required=True)
        if table.aspects.filter(name=name).exists():
            raise _fail("name", _("该考核方面已经存在"))
        aspect = Aspect.objects.create(
            table=table, name=name, order=max(0, min(int(order), 999)), is_bonus=is_bonus
        )
        record(
            actor=actor,
            action="assessment.aspect_added",
            obj=table,
            summary={"aspect": name, "bonus": is_bonus},
        )
    return aspect


def _indicator_fields(table: IndicatorTable, data: dict) -> dict:
    aspect = Aspect.objects.filter(pk=data.get("aspect"), table=table).first()
    if aspect is None:
        raise _fail("aspect", _("请选择本考核表的考核方面"))
    source = data.get("source") or Source.MANUAL
    if source not in Source.values:
        raise _fail("source", _("选项不正确"))
    metric = str(data.get("metric") or "") if source == Source.COMPUTED else ""
    if source == Source.COMPUTED and metric not in metrics.REGISTRY:
        raise _fail("metric", _("请选择计算口径"))
    out = {
        "aspect": aspect,
        "name": _text("name", data.get("name"), 100, required=True),
        "order": max(0, min(int(data.get("order") or 1), 999)),
        "source": source,
        "metric": metric,
        "evidence_rule": _text("evidence_rule", data.get("evidence_rule"), 300, required=False),
    }
    for f in INDICATOR_FIELDS:
        out[f] = _number(f, data.get(f) or 0)
    return out


@records_refusals()
def save_indicator(*, actor, table_id: int, data: dict, indicator_id: int | None = None) -> Indicator:
    """Add an indicator to a draft table, or change one of its indicators."""
    with transaction.atomic():
        table = _table(actor, table_id, draft=True)
        fields = _indicator_fields(table, data)
        if indicator_id is None:
            indicator = Indicator.objects.create(table=table, **fields)
        else:
            indicator = Indicator.objects.filter(pk=indicator_id, table=table).first()
            if indicator is None:
                raise NotFound()
            for k, v in fields.items():
                setattr(indicator, k, v)
            indicator.save()
        summary = {k: str(v) for k, v in fields.items() if k != "aspect"} | {"aspect": fields["aspect"].name}
        record(actor=actor, action="assessment.indicator_saved", obj=indicator, summary=summary)
    return indicator


def indicator_table(actor, indicator_id: int) -> tuple[Indicator, IndicatorTable]:
    indicator = Indicator.objects.filter(pk=indicator_id).first()
    if indicator is None:
        raise NotFound()
    return indicator, _table(actor, indicator.table_id)


@records_refusals()
def delete_indicator(*, actor, indicator_id: int) -> None:
    with transaction.atomic():
        indicator, table = indicator_table(actor, indicator_id)
        if table.state != "draft":
            raise Locked(_("考核表已开始评分，指标不能再修改"))
        record(
            actor=actor, action="assessment.indicator_deleted", obj=table, summary={"name": indicator.name}
        )
        indicator.delete()


# --- the workflow's effects -------------------------------------------------------------------------------


def create_town_rows(table: IndicatorTable) -> int:
    """One `TownAssessment` per town of the county (those not there yet)."""
    have = set(TownAssessment.objects.filter(table=table).values_list("region_id", flat=True))
    towns = Region.objects.filter(level="town", county_id=table.county_id).exclude(pk__in=have)
    rows = [TownAssessment(table=table, region=t, county_id=t.county_id, town_id=t.pk) for t in towns]
    TownAssessment.objects.bulk_create(rows)
    return len(rows)


def freeze_ranking(table: IndicatorTable) -> int:
    """Keep the ranking as published on the towns' rows (the public site reads these)."""
    from .results import results_of

    rows = []
    for town in results_of(table).towns:
        rows.append(
            TownAssessment(pk=town.assessment_id, total=town.total, rank=town.rank, tie_rule=town.tie_rule)
        )
    TownAssessment.objects.bulk_update([r for r in rows if r.pk], ["total", "rank", "tie_rule"])
    return len(rows)


# --- manual scores ----------------------------------------------------------------------------------------


def check_points(indicator: Indicator, points) -> Decimal:
    low, high = rules.manual_bounds(
        cap=indicator.cap, deduction=indicator.deduction, base=indicator.base_points
    )
    points = _number("points", points)
    if not low <= points <= high:
        raise _fail("points", _("得分须在 %(lo)s 到 %(hi)s 之间") % {"lo": low, "hi": high})
    return points


@records_refusals()
def score(*, actor, assessment_id: int, indicator_id: int, points, note: str = "") -> ManualScore:
    """The county's score of one town on one manual indicator (to be reviewed by another login)."""
    assessment = get_or_deny(actor, TownAssessment, perms.ASSESSMENT_MANAGE, pk=assessment_id)
    table = assessment.table
    if table.state != "scoring":
        raise Locked(_("考核表不在评分阶段"), code=ErrorCode.NOT_SCORING)
    indicator = Indicator.objects.filter(pk=indicator_id, table=table, source=Source.MANUAL).first()
    if indicator is None:
        raise _fail("indicator", _("请选择本考核表中由县人大办评分的指标"))
    if ManualScore.objects.filter(assessment=assessment, indicator=indicator).exists():
        raise Conflict(_("该镇这项指标已有评分，请修改原评分"), code=ErrorCode.SCORE_EXISTS)
    fields = {
        "assessment": assessment, "indicator": indicator, "region_id": assessment.region_id,
        "points": check_points(indicator, points), "note": _text("note", note, 2000, required=False),
        "scored_by": actor if getattr(actor, "is_authenticated", False) else None,
    }  # fmt: skip
    with transaction.atomic():
        return create_tracked(ManualScore, actor=actor, fields=fields)


@records_refusals()
def attach_file(*, actor, score_id: int, upload):
    """Evidence (佐证材料) of a manual score, by the county office while the table is scoring."""
    from apps.workflow.uploads import attach

    item = get_or_deny(actor, ManualScore, perms.ASSESSMENT_MANAGE, pk=score_id)
    if item.assessment.table.state != "scoring":
        raise Locked(_("考核表不在评分阶段"), code=ErrorCode.NOT_SCORING)
    return attach(actor=actor, item=item, upload=upload)


@records_refusals()
def choose_advanced(*, actor, table_id: int, assessment_ids, note: str = "") -> list[int]:
    """The county's advanced units (先进单位) of the year: exactly these towns, chosen while scoring."""
    with transaction.atomic():
        table = _table(actor, table_id)
        if table.state != "scoring":
            raise Locked(_("先进单位须在公布考核结果前评选"), code=ErrorCode.NOT_PUBLISHED)
        ids = {int(i) for i in assessment_ids}
        rows = list(TownAssessment.objects.select_for_update().select_related("region").filter(table=table))
        if not ids <= {r.pk for r in rows}:
            raise _fail("towns", _("请选择本考核表中的镇"))
        note = _text("note", note, 300, required=False)
        for r in rows:
            r.advanced, r.advanced_note = r.pk in ids, note if r.pk in ids else ""
        TownAssessment.objects.bulk_update(rows, ["advanced", "advanced_note"])
        names = sorted(r.region.name for r in rows if r.advanced)
        record(actor=actor, action="assessment.advanced_chosen", obj=table, summary={"towns": names})
    return sorted(ids)


def act(*, actor, item, key: str, data):
    return transition(item, key, actor=actor, data=data)
