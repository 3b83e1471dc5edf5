"""Every write of the year's calendar (年度工作日历, DOMAIN §10, issue 20 part 4).

- `generate`: a township's (or every township of a county's) year from the county template, the congress
  sessions and presidium meetings already on record, and the supervision plan's activities; dates on
  working days (apps.calendar); idempotent (a line already generated is never made again, so a moved or
  cancelled item stays as the office left it). One audit event per township.
- `add_item`: the office adds an item by hand (its first step and audit event on the engine);
  `act`: move or cancel through `workflow.PLAN_ITEM_WORKFLOW`.
- `send_reminders`: the daily task's work, once per item and date (reminders.py).
- `issue_feed_token` / `revoke_feed_token`: a person's secret iCalendar feed link.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.accounts.scopes import records_refusals
from apps.audit.services import record
from apps.calendar.services import is_workday
from apps.common import text
from apps.common.errors import field_error as _fail
from apps.places.models import Region
from apps.workflow.services import create_tracked, transition

from . import rules
from .choices import ItemKind
from .county_template import specs_for
from .models import FeedToken, PlanItem

TITLE_MAX = 200
NOTE_MAX = 500
YEAR_MIN, YEAR_MAX = 2000, 2100


def _text(field: str, value, limit: int, *, required: bool) -> str:
    return text.field_text(field, value, limit, required=required, one_line=True)


def _year(year) -> int:
    if not isinstance(year, int) or not YEAR_MIN <= year <= YEAR_MAX:
        raise _fail("year", _("年度须在 %(a)s 到 %(b)s 之间") % {"a": YEAR_MIN, "b": YEAR_MAX})
    return year


def _towns(region) -> list[Region]:
    if region.level == "town":
        return [region]
    if region.level == "county":
        return list(Region.objects.filter(county_id=region.pk, level="town").order_by("code"))
    raise _fail("region", _("请选择一个县或镇（街道）"))


def _item(town, year: int, kind: str, when: date, title: str, key: str) -> PlanItem:
    start, end = rules.window(kind, when)
    return PlanItem(
        region=town, county_id=town.county_id, town_id=town.pk, year=year, kind=kind, title=title[:TITLE_MAX],
        date=when, window_start=start, window_end=end, source_key=key, state="planned",
    )  # fmt: skip


def _records_of(town, year: int) -> dict[str, list]:
    """What the town already has on record for the year: its sessions, presidium meetings and the
    supervision plan's activities (each becomes an item on its own date)."""
    from apps.meetings.models import Meeting, MeetingKind, Session
    from apps.supervision.models import Activity

    sessions = Session.objects.filter(region_id=town.pk, starts_on__year=year).order_by("starts_on")
    meetings = Meeting.objects.filter(
        town_id=town.pk, kind=MeetingKind.PRESIDIUM, starts_at__year=year
    ).order_by("starts_at")
    activities = (
        Activity.objects.filter(town_id=town.pk, plan__year=year)
        .exclude(state="cancelled")
        .order_by("starts_on")
    )
    return {
        ItemKind.SESSION: [(f"session:{s.pk}", s.starts_on, s.title) for s in sessions],
        ItemKind.PRESIDIUM: [
            (f"meeting:{m.pk}", timezone.localtime(m.starts_at).date(), m.title) for m in meetings
        ],
        ItemKind.SUPERVISION: [
            (f"supervision:{a.pk}", a.starts_on, f"{a.get_kind_display()}：{a.topic}") for a in activities
        ],
    }


def planned_items(town, year: int, specs: list | None = None) -> list[PlanItem]:
    """The items the template and the records give `town` for `year` (unsaved): a kind with records of its
    own (sessions, presidium meetings) takes their dates instead of the template's; a street (街道), which
    holds no congress of its own (DOMAIN §1), gets no session or presidium line."""
    records = _records_of(town, year)
    out = []
    if specs is None:
        specs = specs_for(town.county_id, year)[0]
    for line in rules.expand(specs):
        if records.get(line.kind) or (town.is_street and line.kind in rules.CONGRESS_KINDS):
            continue
        when = rules.line_date(year, line, is_workday)
        title = _("%(kind)s（%(year)s年第%(n)s次）") % {
            "kind": line.title or ItemKind(line.kind).label, "year": year, "n": line.number,
        }  # fmt: skip
        out.append(_item(town, year, line.kind, when, title, f"template:{line.kind}:{line.number}"))
    for kind, rows in records.items():
        for key, when, title in rows:
            out.append(_item(town, year, kind, when, title, key))
    return out


@records_refusals()
def generate(*, actor, region, year: int) -> dict[int, int]:
    """Generate `year` for `region` (a town, or every town of a county); returns {town id: items made}."""
    year = _year(year)
    perms.require_in(actor, perms.YEARPLAN_EDIT, region)
    return generate_towns(actor=actor, towns=_towns(region), year=year)


def generate_towns(*, actor, towns, year: int) -> dict[int, int]:
    """Generate `year` for each of `towns`, for a caller that has checked its actor (`actor=None`: the
    platform, as the demo seed). One audit event per town."""
    made = {}
    with transaction.atomic():
        for town in towns:
            have = set(
                PlanItem.objects.filter(region_id=town.pk, year=year)
                .exclude(source_key="")
                .values_list("source_key", flat=True)
            )
            specs, source = specs_for(town.county_id, year)
            new = [i for i in planned_items(town, year, specs) if i.source_key not in have]
            PlanItem.objects.bulk_create(new, ignore_conflicts=True)
            made[town.pk] = len(new)
            record(
                actor=actor,
                action="yearplan.generated",
                obj=town,
                summary={"year": year, "created": len(new), "template": source},
            )
    return made


@records_refusals()
def add_item(*, actor, region, kind: str, title: str, when: date, note: str = "") -> PlanItem:
    """The office adds one item to a township's year (on a working day)."""
    if region.level != "town":
        raise _fail("town", _("日历事项须属于一个镇（街道）"))
    perms.require_in(actor, perms.YEARPLAN_EDIT, region)
    if kind not in ItemKind.values:
        raise _fail("kind", _("请选择类别"))
    title = _text("title", title, TITLE_MAX, required=True)
    note = _text("note", note, NOTE_MAX, required=False)
    if not isinstance(when, date) or not YEAR_MIN <= when.year <= YEAR_MAX:
        raise _fail("date", _("请填写日期"))
    if not is_workday(when):
        raise _fail("date", _("%(d)s 不是工作日") % {"d": when.isoformat()})
    start, end = rules.window(kind, when)
    fields = {
        "region": region, "year": when.year, "kind": kind, "title": title, "date": when, "note": note,
        "window_start": start, "window_end": end,
        "created_by": actor if getattr(actor, "is_authenticated", False) else None,
    }  # fmt: skip
    return create_tracked(PlanItem, actor=actor, fields=fields)


def act(*, actor, item, key: str, data) -> PlanItem:
    return transition(item, key, actor=actor, data=data)


# --- the iCalendar feed's secret ----------------------------------------------------------------------------
def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_feed_token(*, user) -> str:
    """A new secret for `user`'s feed (the old link stops working); shown once, only its hash is kept."""
    perms.require(user, perms.YEARPLAN_FEED)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        FeedToken.objects.update_or_create(
            user=user, defaults={"digest": digest(token), "created_at": timezone.now()}
        )
        record(actor=user, action="yearplan.feed_issued", obj=user, summary={})
    return token


def revoke_feed_token(*, user) -> bool:
    perms.require(user, perms.YEARPLAN_FEED)
    with transaction.atomic():
        deleted, _n = FeedToken.objects.filter(user=user).delete()
        if deleted:
            record(actor=user, action="yearplan.feed_revoked", obj=user, summary={})
    return bool(deleted)


def feed_user(token: str):
    """The active user whose feed secret `token` is, or None."""
    if not token or len(token) > 100:
        return None
    found = FeedToken.objects.filter(digest=digest(token)).select_related("user").first()
    if found is None or not found.user.is_active:
        return None
    return found.user


def feed_path(token: str) -> str:
    """The feed's address on this site (the API's `feed.ics`, the secret as its query)."""
    return f"/api/v1/calendar/feed.ics?token={token}"
