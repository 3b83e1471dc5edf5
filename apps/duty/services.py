"""Every write of the duty ledger (DOMAIN §8): platform records, self-reported records and their review, the
year's points table, scores and ranks, quarterly publication, and the name-plate scheme.

Later features (opinions, suggestions, sessions, the archive) call `append_platform_record`; deputies and
staff enter the rest for the township office to review. A record counts only when approved; a change to a
counted record recomputes that deputy's score and the town's ranks after commit."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Min, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.accounts.scopes import deny, get_or_deny, own_deputy_id
from apps.audit.services import record
from apps.common.errors import ValidationFailed
from apps.people.models import Deputy, Household, MandateStatus
from apps.places.models import Region

from . import rules
from .models import (
    HOUSEHOLD_KINDS,
    SELF_REPORTABLE,
    ActivityKind,
    DutyRecord,
    PlateAction,
    PlateKind,
    PointsRule,
    PointsTable,
    PublishedScore,
    ReviewState,
    Score,
    ScorePublication,
    Source,
)

ENTRY_FIELDS = ("kind", "date", "title", "detail", "place", "hours", "household_id")


# --- platform records ---------------------------------------------------------------------------------------


def append_platform_record(
    *, deputy, kind: str, date, title: str, source_object, detail: str = "", units: int = 1
) -> DutyRecord:
    """Record what the platform itself saw a deputy do; counts at once, and only once per source object."""
    ctype = ContentType.objects.get_for_model(source_object)
    existing = DutyRecord.objects.filter(
        deputy=deputy, kind=kind, source_type=ctype, source_id=str(source_object.pk)
    ).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            rec = DutyRecord.objects.create(
                deputy=deputy,
                kind=kind,
                date=date,
                title=title[:200],
                detail=detail,
                units=max(1, units),
                source=Source.PLATFORM,
                review_state=ReviewState.APPROVED,
                source_type=ctype,
                source_id=str(source_object.pk),
            )
            record(
                actor=None,
                action="duty.record.appended",
                obj=rec,
                summary={"deputy": deputy.pk, "kind": kind, "source": f"{ctype.model}:{source_object.pk}"},
            )
    except IntegrityError:  # appended concurrently by another worker: the constraint kept it single
        return DutyRecord.objects.get(
            deputy=deputy, kind=kind, source_type=ctype, source_id=str(source_object.pk)
        )
    _rescore_after_commit(deputy.pk, date.year)
    return rec


# --- self-reported records ----------------------------------------------------------------------------------


def _is_office(actor, rec: DutyRecord) -> bool:
    return perms.holds(actor, perms.DUTY_REVIEW, rec)


def _clean_entry(deputy: Deputy, data: dict, *, today: datetime.date) -> dict:
    """Validate what a deputy or staff entered; per-field Chinese messages."""
    errors: dict[str, str] = {}
    kind = data.get("kind") or ""
    if kind not in SELF_REPORTABLE:
        errors["kind"] = _("请选择可自行填报的履职类别")
    day = data.get("date")
    if isinstance(day, str):
        try:
            day = datetime.date.fromisoformat(day)
        except ValueError:
            day = None
    if not isinstance(day, datetime.date):
        errors["date"] = _("请填写日期")
    elif day > today:
        errors["date"] = _("日期不能晚于今天")
    elif day.year < today.year - 1:
        errors["date"] = _("只能登记今年和去年的履职活动")
    title = (data.get("title") or "").strip()
    if not title:
        errors["title"] = _("请填写事项")
    elif len(title) > 200:
        errors["title"] = _("事项不超过200字")
    place = (data.get("place") or "").strip()
    if len(place) > 200:
        errors["place"] = _("地点不超过200字")
    hours = data.get("hours")
    if hours in ("", None):
        hours = None
    else:
        try:
            hours = Decimal(str(hours))
            if hours <= 0 or hours > 24:
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            errors["hours"] = _("时长应在0到24小时之间")
            hours = None
    household_id = data.get("household_id") or data.get("household") or None
    if household_id and kind not in HOUSEHOLD_KINDS:
        household_id = None
    if household_id:
        own = Q(contact_deputy=deputy) | Q(paired_deputy=deputy)
        if not Household.objects.filter(own, pk=household_id).exists():
            errors["household"] = _("只能选择本人联系或结对帮扶的户")
    if errors:
        raise ValidationFailed(_("请检查填写的内容"), fields=errors)
    return {
        "kind": kind,
        "date": day,
        "title": title,
        "detail": (data.get("detail") or "").strip(),
        "place": place,
        "hours": hours,
        "household_id": int(household_id) if household_id else None,
    }


def create_record(*, actor, deputy_id: int, data: dict, uploads=(), today=None) -> DutyRecord:
    """A deputy enters their own activity, or the town office enters one for a deputy of its town; it waits
    for review ("pending") and counts once approved."""
    from apps.workflow.uploads import attach, validate

    if own_deputy_id(actor) == deputy_id:
        deputy, source = Deputy.objects.get(pk=deputy_id), Source.SELF
    else:
        deputy, source = get_or_deny(actor, Deputy, perms.DUTY_ENTER, pk=deputy_id), Source.STAFF
    fields = _clean_entry(deputy, data, today=today or timezone.localdate())
    for up in uploads:
        validate(up)
    with transaction.atomic():
        rec = DutyRecord.objects.create(
            deputy=deputy,
            source=source,
            review_state=ReviewState.PENDING,
            created_by=actor,
            **fields,
        )
        record(
            actor=actor,
            action="duty.record.created",
            obj=rec,
            summary={"deputy": deputy.pk, "kind": rec.kind, "date": rec.date, "source": source},
        )
        for up in uploads:
            attach(actor=actor, item=rec, upload=up)
    return rec


def _record_for_change(actor, pk: int) -> tuple[DutyRecord, bool]:
    """The record and whether the actor acts as the office (else as its own deputy); others are refused."""
    rec = get_or_deny(actor, DutyRecord, pk=pk)
    if _is_office(actor, rec):
        return rec, True
    if own_deputy_id(actor) == rec.deputy_id:
        return rec, False
    deny(actor, perms.DUTY_ENTER, rec)


def _refuse_platform(rec: DutyRecord):
    if rec.source == Source.PLATFORM:
        raise ValidationFailed(_("平台自动记录的履职不能修改或退回"), code="platform_record")


def update_record(*, actor, pk: int, data: dict, uploads=(), today=None) -> DutyRecord:
    """Change an entered record. The deputy may change it while pending or rejected; the office at any time.
    Whatever it was, it goes back to "pending": an approved record edited stops counting until approved."""
    from apps.workflow.uploads import attach, validate

    rec, as_office = _record_for_change(actor, pk)
    _refuse_platform(rec)
    if not as_office and rec.review_state == ReviewState.APPROVED:
        raise ValidationFailed(_("已通过审核的记录不能再修改，如有错误请联系镇人大办"), code="approved")
    fields = _clean_entry(
        rec.deputy,
        {**{f: getattr(rec, f) for f in ENTRY_FIELDS}, **data},
        today=today or timezone.localdate(),
    )
    for up in uploads:
        validate(up)
    with transaction.atomic():
        rec = DutyRecord.objects.select_for_update().get(pk=rec.pk)
        was = rec.review_state
        before = {f: getattr(rec, f) for f in ENTRY_FIELDS}
        for f, v in fields.items():
            setattr(rec, f, v)
        rec.review_state, rec.review_reason, rec.reviewed_by = ReviewState.PENDING, "", None
        rec.save()
        changed = {f: [before[f], fields[f]] for f in fields if before[f] != fields[f]}
        record(
            actor=actor,
            action="duty.record.changed",
            obj=rec,
            summary={"changes": changed, "review_state": [was, ReviewState.PENDING]},
        )
        for up in uploads:
            attach(actor=actor, item=rec, upload=up)
        if was == ReviewState.APPROVED:
            _rescore_after_commit(rec.deputy_id, before["date"].year)
    return rec


def withdraw_record(*, actor, pk: int, reason: str = "") -> None:
    """The deputy (or the office) withdraws an entered record that is not counted (pending or rejected)."""
    rec, _as_office = _record_for_change(actor, pk)
    _refuse_platform(rec)
    if rec.review_state == ReviewState.APPROVED:
        raise ValidationFailed(_("已通过审核的记录不能撤回"), code="approved")
    with transaction.atomic():
        rec = DutyRecord.objects.select_for_update().get(pk=rec.pk)
        record(
            actor=actor,
            action="duty.record.withdrawn",
            obj=rec,
            reason=reason,
            summary={"deputy": rec.deputy_id, "kind": rec.kind, "date": rec.date, "title": rec.title},
        )
        rec.delete()


def review_record(*, actor, pk: int, approve: bool, reason: str = "") -> DutyRecord:
    """The town office approves a pending record (it counts at once) or rejects it with a reason."""
    from apps.notifications.services import notify

    rec = get_or_deny(actor, DutyRecord, perms.DUTY_REVIEW, pk=pk)
    _refuse_platform(rec)
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationFailed(_("退回必须说明理由"), fields={"reason": [_("请填写退回理由")]})
    if len(reason) > 200:
        raise ValidationFailed(_("审核意见不超过200字"), fields={"reason": [_("审核意见不超过200字")]})
    with transaction.atomic():
        rec = DutyRecord.objects.select_for_update(of=("self",)).select_related("deputy__user").get(pk=rec.pk)
        if rec.review_state != ReviewState.PENDING:
            raise ValidationFailed(_("该记录已审核，不能重复审核"), code="not_pending")
        rec.review_state = ReviewState.APPROVED if approve else ReviewState.REJECTED
        rec.review_reason, rec.reviewed_by = reason, actor
        rec.save(update_fields=["review_state", "review_reason", "reviewed_by"])
        event = record(
            actor=actor,
            action="duty.record.approved" if approve else "duty.record.rejected",
            obj=rec,
            reason=reason,
            summary={"deputy": rec.deputy_id, "kind": rec.kind, "review_state": rec.review_state},
        )
        if approve:
            _rescore_after_commit(rec.deputy_id, rec.date.year)
        elif rec.deputy.user_id:
            notify(
                recipients=[rec.deputy.user],
                kind="duty.rejected",
                title=_("履职记录被退回：%(title)s") % {"title": rec.title},
                body=_("退回理由：%(reason)s") % {"reason": reason},
                url=f"/duty/records/{rec.pk}/",
                obj=rec,
                dedupe_key=f"duty-rejected:{rec.pk}:{event.seq}",
            )
    return rec


# --- the points table ---------------------------------------------------------------------------------------


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
    # Only the county office (or an admin) sets the county's points table and publishes its scores.
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


def table_rows(table: PointsTable) -> dict:
    return {r.kind: (r.first_points, r.further_points, r.cap) for r in table.rules.all()}


def copy_table(*, actor, county, from_year: int, to_year: int) -> PointsTable:
    """Start a year from last year's table (or the default table when there is none)."""
    source = PointsTable.objects.filter(county=county, year=from_year).first()
    if PointsTable.objects.filter(county=county, year=to_year).exists():
        raise ValidationFailed(_("%(year)s年度的积分标准已存在") % {"year": to_year}, code="exists")
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
        rows=table_rows(source),
    )


# --- scores and ranks ---------------------------------------------------------------------------------------


def _rescore_after_commit(deputy_id: int, year: int):
    transaction.on_commit(lambda: recompute(year=year, deputy_ids=[deputy_id]), robust=True)


def counts_by_deputy(*, year: int, deputy_ids=None, county_ids=None) -> dict[int, dict[str, int]]:
    """ONE aggregate: the approved records' units per deputy and kind in the year. The ORM writes the SQL;
    the rows are fetched as plain tuples (at province scale, ~900,000 of them)."""
    qs = DutyRecord.objects.filter(
        review_state=ReviewState.APPROVED,
        date__gte=datetime.date(year, 1, 1),
        date__lte=datetime.date(year, 12, 31),
    )
    if deputy_ids is not None:
        qs = qs.filter(deputy_id__in=deputy_ids)
    elif county_ids is not None:
        qs = qs.filter(county_id__in=county_ids)
    sql, params = (
        qs.values_list("deputy_id", "kind")
        .annotate(Count("id"), Sum("units"))
        .order_by()
        .query.sql_with_params()
    )
    out: dict[int, dict[str, int]] = {}
    with connection.cursor() as cur:
        cur.execute(sql, params)
        for dep, kind, _n, units in cur.fetchall():
            out.setdefault(dep, {})[kind] = int(units)
    return out


class _Scorer:
    """One county's table applied to counts, with the points of each (kind, count) and the band of each
    total worked out once: at province scale the same few hundred pairs recur 900,000 times."""

    def __init__(self, base, table: dict):
        self.base, self.table = Decimal(base), table
        self._points: dict[tuple[str, int], tuple[Decimal, str]] = {}

    def part(self, kind: str, n: int) -> tuple[Decimal, str]:
        key = (kind, n)
        hit = self._points.get(key)
        if hit is None:
            row = self.table.get(kind)
            p = rules.points(*row, n) if row else Decimal(0)
            hit = self._points[key] = (p, f'"{kind}": {{"n": {n}, "points": "{p}"}}')
        return hit

    def score(self, counts: dict) -> tuple[Decimal, str]:
        """The total and the breakdown as JSON text ({kind: {"n", "points"}}, as `rules.score` builds it)."""
        total, parts = self.base, []
        for kind, n in counts.items():
            p, text = self.part(kind, n)
            total += p
            parts.append(text)
        return total, "{" + ", ".join(parts) + "}"


# Row layout while recomputing: the Score columns in this order.
COLS = (
    "deputy_id",
    "year",
    "county_id",
    "town_id",
    "station_id",
    "group_id",
    "total",
    "band",
    "breakdown",
    "computed_at",
    "rank_in_town",
    "rank_in_station",
    "rank_in_group",
)
_TOWN, _STATION, _GROUP, _TOTAL = 3, 4, 5, 6


def recompute(*, year: int, deputy_ids=None, county_ids=None) -> int:
    """Recompute and store the year's scores of the given deputies (or counties, or everyone) and their
    ranks by town, station and group. Returns the number of scores written."""
    deputies = Deputy.objects.filter(status=MandateStatus.IN_OFFICE)
    if deputy_ids is not None:
        deputies = deputies.filter(pk__in=deputy_ids)
    elif county_ids is not None:
        deputies = deputies.filter(county_id__in=county_ids)
    people = list(deputies.values_list("pk", "county_id", "town_id", "station_id").order_by())
    if not people:
        return 0
    scorers = {
        t.county_id: _Scorer(t.base_score, table_rows(t))
        for t in PointsTable.objects.filter(year=year, county_id__in={p[1] for p in people}).prefetch_related(
            "rules"
        )
    }
    groups = _primary_groups(deputies)
    counts = counts_by_deputy(year=year, deputy_ids=deputy_ids, county_ids=county_ids)
    now = timezone.now()
    bands: dict[Decimal, str] = {}
    rows = []
    for pk, county_id, town_id, station_id in people:
        scorer = scorers.get(county_id)
        if scorer is None:
            continue
        total, breakdown = scorer.score(counts.get(pk, {}))
        band = bands.get(total) or bands.setdefault(total, rules.band(total))
        rows.append(
            [
                pk,
                year,
                county_id,
                town_id,
                station_id,
                groups.get(pk),
                total,
                band,
                breakdown,
                now,
                None,
                None,
                None,
            ]
        )
    whole_towns = deputy_ids is None
    if whole_towns:
        _rank_rows(rows)
    _store(rows, with_ranks=whole_towns)
    if not whole_towns:
        rerank_towns(year=year, town_ids={r[_TOWN] for r in rows if r[_TOWN]})
    return len(rows)


def _rank_rows(rows: list[list]):
    """Competition ranks by town, station and group, written into each row's last three places."""
    for place, key in ((10, _TOWN), (11, _STATION), (12, _GROUP)):
        buckets: dict[int, list] = {}
        for i, r in enumerate(rows):
            if r[key] is not None:
                buckets.setdefault(r[key], []).append((i, r[_TOTAL]))
        for items in buckets.values():
            for i, rank in rules.ranks(items).items():
                rows[i][place] = rank


def _store(rows: list[list], *, with_ranks: bool):
    """Upsert the rows into Score. On PostgreSQL: COPY into a temporary table and one INSERT … ON CONFLICT
    (Django's bulk_create spends ten times longer quoting 90,000 JSON values into arrays)."""
    update = [c for c in COLS[2:] if with_ranks or not c.startswith("rank_")]
    if connection.vendor != "postgresql":
        objs = []
        for r in rows:
            values = dict(zip(COLS, r, strict=True))
            values["breakdown"] = json.loads(values["breakdown"])
            objs.append(Score(**values))
        Score.objects.bulk_create(
            objs,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["deputy", "year"],
            update_fields=update,
        )
        return
    cols = ", ".join(COLS)
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(  # the Score columns with their exact types, emptied at each commit
            f"CREATE TEMP TABLE IF NOT EXISTS duty_score_load ON COMMIT DELETE ROWS AS "
            f"SELECT {cols} FROM duty_score WITH NO DATA"
        )
        cur.execute("TRUNCATE duty_score_load")  # rows of an earlier call in the same transaction
        with cur.copy(f"COPY duty_score_load ({cols}) FROM STDIN") as copy:
            for r in rows:
                copy.write_row(r)
        sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in update)
        # A score that did not change is not rewritten (no new row version, no index entries, same time).
        same = [c for c in update if c != "computed_at"]
        cur.execute(
            f"INSERT INTO duty_score ({cols}) SELECT {cols} FROM duty_score_load "
            f"ON CONFLICT (deputy_id, year) DO UPDATE SET {sets} "
            f"WHERE ({', '.join(f'duty_score.{c}' for c in same)}) "
            f"IS DISTINCT FROM ({', '.join(f'EXCLUDED.{c}' for c in same)})"
        )


def _primary_groups(deputies) -> dict[int, int]:
    """Each deputy's deputy group (代表小组) for ranking: the first area group they belong to."""
    through = Deputy.groups.through
    qs = through.objects.filter(deputygroup__kind="area")
    if deputies.query.where:
        qs = qs.filter(deputy__in=deputies)
    return dict(
        qs.values("deputy_id").annotate(g=Min("deputygroup_id")).values_list("deputy_id", "g").order_by()
    )


def _rank_in_memory(scores: list[Score]):
    for attr, key in (
        ("rank_in_town", "town_id"),
        ("rank_in_station", "station_id"),
        ("rank_in_group", "group_id"),
    ):
        buckets: dict[int, list] = {}
        for s in scores:
            k = getattr(s, key)
            if k is not None:
                buckets.setdefault(k, []).append((s.pk, s.total))
        by_pk = {s.pk: s for s in scores}
        for items in buckets.values():
            for pk, r in rules.ranks(items).items():
                setattr(by_pk[pk], attr, r)
        for s in scores:
            if getattr(s, key) is None:
                setattr(s, attr, None)


def rerank_towns(*, year: int, town_ids) -> None:
    """Ranks of every score in the given towns, from the stored totals (cheap: one town's deputies)."""
    for town_id in town_ids:
        scores = list(
            Score.objects.filter(year=year, town_id=town_id).only(
                "pk",
                "total",
                "station_id",
                "group_id",
                "town_id",
                "rank_in_town",
                "rank_in_station",
                "rank_in_group",
            )
        )
        old = {s.pk: (s.rank_in_town, s.rank_in_station, s.rank_in_group) for s in scores}
        _rank_in_memory(scores)
        changed = [s for s in scores if old[s.pk] != (s.rank_in_town, s.rank_in_station, s.rank_in_group)]
        Score.objects.bulk_update(
            changed, ["rank_in_town", "rank_in_station", "rank_in_group"], batch_size=1000
        )


def publish_quarter(*, actor, county, year: int, quarter: int) -> ScorePublication:
    """The county office publishes the scores (按季度公布): recompute, then snapshot every score."""
    perms.require_in(actor, perms.DUTY_SCORES_PUBLISH, county)
    if quarter not in (1, 2, 3, 4):
        raise ValidationFailed(_("季度应为1至4"), fields={"quarter": [_("季度应为1至4")]})
    if not PointsTable.objects.filter(county=county, year=year).exists():
        raise ValidationFailed(_("%(year)s年度尚未制定积分标准") % {"year": year}, code="no_table")
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


def publish_due(today=None) -> int:
    """The huey task's work on the first day of a quarter: publish the quarter just ended in every county
    that has a points table for its year. Returns the number of counties published."""
    today = today or timezone.localdate()
    year, quarter = (today.year, rules.quarter_of(today) - 1) if today.month > 3 else (today.year - 1, 4)
    n = 0
    for county_id in PointsTable.objects.filter(year=year).values_list("county_id", flat=True):
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


# --- the name-plate scheme ---------------------------------------------------------------------


def plate_action(
    *, actor, deputy_id: int, kind: str, reason: str, year: int, notes: str = "", date=None
) -> PlateAction:
    """A step of the name-plate scheme by the county or town office, with a reason: warning, a recorded talk,
    removal from the plate list (摘牌), reinstatement."""
    from apps.notifications.services import notify

    deputy = get_or_deny(actor, Deputy, perms.DUTY_PLATE, pk=deputy_id)
    errors = {}
    reason = (reason or "").strip()
    if kind not in PlateKind.values:
        errors["kind"] = _("请选择处理方式")
    if not reason:
        errors["reason"] = _("请填写理由")
    elif len(reason) > 300:
        errors["reason"] = _("理由不超过300字")
    if kind == PlateKind.TALK and not (notes or "").strip():
        errors["notes"] = _("约谈须填写谈话记录")
    if kind == PlateKind.REMOVAL and not deputy.on_plate:
        errors["kind"] = _("该代表已摘牌")
    if kind == PlateKind.REINSTATEMENT and deputy.on_plate:
        errors["kind"] = _("该代表在挂牌名单中，无需恢复")
    if errors:
        raise ValidationFailed(_("请检查填写的内容"), fields=errors)
    with transaction.atomic():
        deputy = Deputy.objects.select_for_update().get(pk=deputy.pk)
        action = PlateAction.objects.create(
            deputy=deputy,
            county_id=deputy.county_id,
            town_id=deputy.town_id,
            kind=kind,
            year=year,
            date=date or timezone.localdate(),
            reason=reason,
            notes=(notes or "").strip(),
            by=actor,
        )
        summary = {"deputy": deputy.pk, "kind": kind, "year": year}
        if kind in (PlateKind.REMOVAL, PlateKind.REINSTATEMENT):
            on_plate = kind == PlateKind.REINSTATEMENT
            Deputy.objects.filter(pk=deputy.pk).update(on_plate=on_plate)
            summary["on_plate"] = [deputy.on_plate, on_plate]
        record(actor=actor, action=f"duty.plate.{kind}", obj=action, reason=reason, summary=summary)
        if deputy.user_id:
            notify(
                recipients=[deputy.user],
                kind=f"duty.plate.{kind}",
                title=_("挂牌管理：%(kind)s") % {"kind": PlateKind(kind).label},
                body=reason,
                url="/duty/",
                obj=action,
                dedupe_key=f"duty-plate:{action.pk}",
            )
    return action
