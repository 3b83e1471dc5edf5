"""Every write about opinions and reception days. State changes go through the workflow engine."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.accounts.models import Role
from apps.accounts.permissions import roles_over
from apps.accounts.scopes import CHANGE, deny, grants_of
from apps.audit.services import record
from apps.calendar.services import is_workday
from apps.common.errors import NotFound, PermissionDenied, Throttled
from apps.common.errors import field_error as _fail
from apps.common.params import ints
from apps.duty.models import ActivityKind
from apps.duty.services import append_platform_record
from apps.localrules.selectors import local_value
from apps.people.models import Deputy
from apps.people.rules import validate_phone
from apps.people.selectors import public_card
from apps.places.models import Region, Station
from apps.places.terms import terms_for
from apps.workflow import services as engine
from apps.workflow.uploads import attach

from .models import Opinion, OpinionSource, ReceptionDay, Topic
from .rules import reception_dates

TEXT_FIELDS = ("title", "content", "submitter_name", "submitter_phone", "enterprise_name")


def _clean(data: dict) -> dict:
    """Shared checks of an opinion's content, from any door."""
    out = {k: str(data.get(k) or "").strip() for k in TEXT_FIELDS}
    if not out["content"]:
        raise _fail("content", _("请填写反映的具体内容"))
    if len(out["content"]) > 2000:
        raise _fail("content", _("内容不能超过2000字"))
    if not out["title"]:
        out["title"] = out["content"].replace("\n", " ")[:30]
    out["title"] = out["title"][:100]
    problem = validate_phone(out["submitter_phone"]) if out["submitter_phone"] else None
    if problem:
        raise _fail("submitter_phone", problem)
    topic = data.get("topic") or Topic.OTHER
    if topic not in Topic.values:
        raise _fail("topic", _("类别不正确"))
    out["topic"] = topic
    return out


def _may_register(user, item: Opinion) -> bool:
    if perms.holds_in(user, perms.OPINION_REGISTER, item.region):
        return True
    for g in grants_of(user):  # a keeper at their own station, a deputy for their own visits
        if g.role == Role.STATION_KEEPER and item.station_id and g.station_id == item.station_id:
            return True
        if g.role == Role.DEPUTY and item.deputy_id and g.deputy_id == item.deputy_id:
            return True
    return False


def _resolve_place(data: dict) -> dict:
    """Region, station, deputy and reception day from ids or codes, each checked to belong together."""
    out: dict = {}
    day = None
    if data.get("reception_day"):
        day = ReceptionDay.objects.select_related("station").filter(pk=data["reception_day"]).first()
        if day is None:
            raise _fail("reception_day", _("接待日不存在"))
        out["reception_day"], out["station"] = day, day.station
    if data.get("station") and not day:
        out["station"] = Station.objects.filter(pk=data["station"]).first()
        if out["station"] is None:
            raise _fail("station", _("联络站不存在"))
    if data.get("deputy"):
        out["deputy"] = Deputy.objects.filter(pk=data["deputy"]).first()
        if out["deputy"] is None:
            raise _fail("deputy", _("代表不存在"))
    region = data.get("region")
    if region:
        region = Region.objects.filter(code=region).first() or (
            Region.objects.filter(pk=region).first()
            if str(region).isascii() and str(region).isdigit()
            else None
        )
        if region is None:
            raise _fail("region", _("区划不存在"))
    else:
        anchor = out.get("station") or out.get("deputy")
        region = anchor.region if anchor else None
    if region is None or region.town_id is None:
        raise _fail("region", _("请选择所在镇、村或网格"))
    station = out.get("station")
    if station and station.town_id and station.town_id != region.town_id:
        raise _fail("station", _("联络站与所在区划不属于同一个镇"))
    out["region"] = region
    return out


def register(*, actor, data: dict, uploads=()) -> Opinion:
    """Staff intake: a keeper on reception day, a deputy after a household visit, the office for letters,
    enterprises' orders and deliberation meetings."""
    source = data.get("source") or ""
    if source not in OpinionSource.values:
        raise _fail("source", _("请选择来源"))
    fields = {**_clean(data), **_resolve_place(data), "source": source}
    if source == OpinionSource.VISIT and not fields.get("deputy"):
        raise _fail("deputy", _("代表走访须注明走访代表"))
    if source == OpinionSource.ENTERPRISE and not fields["enterprise_name"]:
        raise _fail("enterprise_name", _("请填写企业名称"))
    received = data.get("received_on") or timezone.localdate()
    if isinstance(received, str):
        try:
            received = date.fromisoformat(received)
        except ValueError as e:
            raise _fail("received_on", _("日期格式应为 YYYY-MM-DD")) from e
    if received > timezone.localdate():
        raise _fail("received_on", _("反映日期不能晚于今天"))
    fields["received_on"] = received
    probe = Opinion(**{k: v for k, v in fields.items() if k in ("region", "station", "deputy")})
    if not _may_register(actor, probe):
        deny(actor, CHANGE, fields["region"])
    for up in uploads:
        from apps.workflow.uploads import validate

        validate(up)
    with transaction.atomic():
        item = engine.create_tracked(Opinion, actor=actor, fields={**fields, "registered_by": actor})
        for up in uploads:
            attach(actor=actor, item=item, upload=up)
        if source == OpinionSource.VISIT:
            append_platform_record(
                deputy=item.deputy,
                kind=ActivityKind.HOUSEHOLD_VISIT,
                date=item.received_on,
                title=_("走访收集：%(title)s") % {"title": item.title},
                source_object=item,
            )
    return item


# --- the public door ---------------------------------------------------------------------------------------


def _throttle(key: str, limit: int, seconds: int):
    cache.add(key, 0, seconds)
    try:
        n = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        n = 1
    if n > limit:
        raise Throttled(_("提交过于频繁，请稍后再试"))


def submit_public(*, data: dict, uploads=(), ip: str | None = None, user=None) -> Opinion:
    """A voter's online submission through a station's QR code or a deputy's 代表码."""
    place: dict = {}
    if data.get("deputy_code"):
        # the one public door by code: a recalled or ended mandate, or a mistyped code, is no deputy here
        deputy = public_card(str(data["deputy_code"]).strip())
        if deputy is None:
            raise _fail("deputy_code", _("代表码无效"))
        place = {"deputy": deputy.pk}
    elif data.get("station"):
        place = {"station": data["station"]}
    else:
        raise _fail("station", _("请通过联络站或代表的二维码进入"))
    fields = {**_clean(data), **_resolve_place(place)}
    logged_in = getattr(user, "is_authenticated", False)
    if not logged_in and not fields["submitter_phone"]:
        raise _fail("submitter_phone", _("匿名反映请留下手机号码，以便回复"))
    enterprise = bool(fields["enterprise_name"])
    limits = settings.RENDA
    _throttle(f"opinion-ip:{ip or '-'}", int(limits["PUBLIC_SUBMIT_PER_IP_PER_HOUR"]), 3600)
    if fields["submitter_phone"]:
        _throttle(
            f"opinion-phone:{fields['submitter_phone']}",
            int(limits["PUBLIC_SUBMIT_PER_PHONE_PER_DAY"]),
            86400,
        )
    from apps.workflow.uploads import validate

    for up in uploads:
        validate(up)
    fields.update(
        source=OpinionSource.ENTERPRISE if enterprise else OpinionSource.ONLINE,
        submitter_user=user if logged_in else None,
    )
    with transaction.atomic():
        item = engine.create_tracked(Opinion, actor=user, fields=fields, reason=_("网上提交"))
        for up in uploads:
            attach(actor=user, item=item, upload=up, public=True)
    return item


# --- steps ------------------------------------------------------------------------------------------------


def act(
    *,
    actor,
    item: Opinion,
    key: str,
    data=None,
    reason: str = "",
    expected_version: int | None = None,
) -> Opinion:
    """Take one workflow step; everything it does besides is declared in its row (opinions/workflow.py)."""
    return engine.transition(
        item, key, actor=actor, reason=reason, data=data, expected_version=expected_version
    )


def add_attachment(*, actor, item: Opinion, upload, public: bool = False):
    if not roles_over(actor, item):
        deny(actor, CHANGE, item)
    return attach(actor=actor, item=item, upload=upload, public=public)


# --- reception days --------------------------------------------------------------------------------------


def _require_station(actor, station: Station):
    """The office over the station's town, or its own keeper: `reception.manage` over the station."""
    if not perms.holds(actor, perms.RECEPTION_MANAGE, station):
        deny(actor, perms.RECEPTION_MANAGE, station)


def plan_year(*, actor, station: Station, year: int) -> list[ReceptionDay]:
    """Create the year's reception days by the [local] rule; days already there are kept."""
    _require_station(actor, station)
    nth = int(local_value("RECEPTION_DAY_NTH", station.region))
    weekday = int(local_value("RECEPTION_DAY_WEEKDAY", station.region))
    created = []
    with transaction.atomic():
        for d in reception_dates(year, nth, weekday, is_workday):
            day, new = ReceptionDay.objects.get_or_create(
                station=station, date=d, defaults={"region": station.region}
            )
            if new:
                created.append(day)
        if created:
            record(
                actor=actor,
                action="reception.planned",
                obj=station,
                summary={"year": year, "dates": [str(d.date) for d in created]},
            )
    return created


def _day_deputies(day: ReceptionDay, ids) -> list[Deputy]:
    ids = set(ints(ids or [], name="deputies"))
    found = list(Deputy.objects.filter(pk__in=ids, town_id=day.town_id)) if ids else []
    if len(found) != len(ids):
        raise _fail("deputies", _("只能选择%(own_deputies)s") % terms_for(day.town).words())
    return found


def set_rota(*, actor, day: ReceptionDay, deputy_ids, publish: bool = False) -> ReceptionDay:
    """The deputies on duty, published in advance so voters know whom they will meet."""
    _require_station(actor, day.station)
    deputies = _day_deputies(day, deputy_ids)
    with transaction.atomic():
        before = sorted(day.rota.values_list("pk", flat=True))
        day.rota.set(deputies)
        if publish and not day.rota_published_at:
            day.rota_published_at = timezone.now()
            day.save(update_fields=["rota_published_at"])
        record(
            actor=actor,
            action="reception.rota",
            obj=day,
            summary={
                "rota": [before, sorted(d.pk for d in deputies)],
                "published": bool(day.rota_published_at),
            },
        )
    if publish:
        from apps.notifications.services import notify

        users = [d.user for d in deputies if d.user_id]
        transaction.on_commit(
            lambda: notify(
                recipients=users,
                kind="reception.rota",
                url=day.get_absolute_url(),
                obj=day,
                title=_("接待选民日值班：%(day)s") % {"day": day},
                dedupe_key=f"rota:{day.pk}:{day.date}",
            ),
            robust=True,
        )
    return day


def record_day(*, actor, day: ReceptionDay, present_ids, voters_received, notes: str = "") -> ReceptionDay:
    """The day's record: who came, how many voters were received; each deputy present gets a duty record."""
    _require_station(actor, day.station)
    if day.date > timezone.localdate():
        raise _fail("date", _("接待日尚未到，不能登记"))
    try:
        voters = int(voters_received)
    except (TypeError, ValueError) as e:
        raise _fail("voters_received", _("请填写接待人数")) from e
    if voters < 0 or voters > 10000:
        raise _fail("voters_received", _("接待人数不合理"))
    present = _day_deputies(day, present_ids)
    with transaction.atomic():
        before = {
            "voters_received": day.voters_received,
            "present": sorted(day.present.values_list("pk", flat=True)),
        }
        day.present.set(present)
        day.voters_received, day.notes = voters, (notes or "").strip()[:4000]
        day.recorded_at, day.recorded_by = timezone.now(), actor if actor.is_authenticated else None
        day.save()
        record(
            actor=actor,
            action="reception.recorded",
            obj=day,
            summary={"before": before, "voters_received": voters, "present": sorted(d.pk for d in present)},
        )
        for deputy in present:
            append_platform_record(
                deputy=deputy,
                kind=ActivityKind.RECEPTION,
                date=day.date,
                title=_("接待选民：%(station)s") % {"station": day.station},
                source_object=day,
            )
    return day


def opinion_for_public(code: str) -> Opinion:
    from .selectors import by_tracking_code

    item = by_tracking_code(code)
    if item is None:
        raise NotFound(_("查询码不存在，请核对后重试"))
    return item


__all__ = [
    "PermissionDenied",
    "act",
    "add_attachment",
    "plan_year",
    "record_day",
    "register",
    "set_rota",
    "submit_public",
]
