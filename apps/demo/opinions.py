"""A year of opinions (社情民意, DOMAIN §3) for the demo county, opinions at benchmark scale, routing check.

Demo (`seed_demo_opinions`, called by seed_demo): each town gets 150-250 opinions received over the last
365 days, from the sources in the shares the seeds report (reception day 45%, deputies' visits 25%, online
12%, letters 10%, enterprises 4%, deliberation meetings 4%), each in a village of the town, with the town's
station or a deputy of the town, texts and handling units from `opinion_texts`. Every item is replayed
through the opinion workflow here, in memory: each transition is checked against OPINION_WORKFLOW, its
field changes are those of the workflow's own `apply` functions (or an exact copy where those read the
database), deadlines come from the state's `Due` through the calendar helper, and each step gets the Step row
the engine would write (summary of changed fields, on_time, new due date). Dates follow the calendar:
intake within 3 working days, assignment within 2 more, replies mostly within the 15 working days, return
visit and close-out soon after; steps planned after today are not taken, so old items are closed and recent
ones are open. About 3% of assigned items stay with their unit past the deadline (overdue). Reception days:
the last 12 monthly days of each town station (plus the next, rota published), with rota, deputies present
and voters received. Duty records as `duty.services.append_platform_record` would append them. Rows are
written with `BulkWriter` (the engine takes ~0.1 s per item; 2,000 items and 12,000 steps here take ~2 s).
Deliberately not written: audit events of the replayed steps (the chain records real actions; the seed
writes one `demo.seeded` event) and notifications.

Bench (`BenchOpinions`, called by seed_bench): ~1,667 opinions per town (2,000,000 on the 1,200-town
province), the same source, topic, unit and state mix computed directly from day indexes, with due dates
from the calendar, loaded with COPY; no Step or duty rows (they would more than double the load time).

Routing (`routing_hit_rate_on_demo`): leave-one-out unit suggestion on the demo county's assigned items.
"""

from __future__ import annotations

import random
import re
import time as time_
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection
from django.utils import timezone

from apps.accounts.models import Role, RoleGrant
from apps.audit.services import _json_safe
from apps.calendar.services import add_working_days, deadline, is_workday
from apps.common import conf
from apps.duty.models import ActivityKind, DutyRecord, ReviewState, Source
from apps.opinions.models import CODE_ALPHABET, Opinion, ReceptionDay
from apps.opinions.rules import reception_dates
from apps.opinions.workflow import OPINION_WORKFLOW, clear_visit, record_assignment
from apps.people.models import DeputyLevel
from apps.places.models import HandlingUnit, Station
from apps.workflow.inputs import parse
from apps.workflow.models import Step

from . import names
from .bulk import BulkWriter
from .county import CountyBuilder, DeputyPlan, Town, Village
from .opinion_texts import TOPICS, opinion_text, pick_topic, reply_text, unit_for, visit_note

WF = OPINION_WORKFLOW
# Parents first: BulkWriter writes tables in this order.
DEMO_MODELS = [
    HandlingUnit,
    ReceptionDay,
    ReceptionDay.rota.through,
    ReceptionDay.present.through,
    Opinion,
    Step,
    DutyRecord,
]
BENCH_MODELS = [ReceptionDay, ReceptionDay.rota.through, ReceptionDay.present.through]

# --- the shape (Yangdong's year: ~2,900 voters received, 560 opinions, nearly all assigned, ~95% resolved)
SOURCE_WEIGHTS = {
    "reception": 45,
    "visit": 25,
    "online": 12,
    "letter": 10,
    "enterprise": 4,
    "deliberation": 4,
}
ON_SPOT_SHARE = {"deliberation": 0.55, "reception": 0.04}  # answered there and then
NOT_ACCEPTED_SHARE = 0.01
CONVERTED_SHARE = 0.008  # turned into a deputy's suggestion
MERGED_SHARE = 0.01  # the same matter raised again
OVERDUE_SHARE = 0.03  # of assigned items: still with the unit after the deadline
LATE_REPLY_SHARE = 0.08  # replied, but after the 15 working days
DISSATISFIED_SHARE = 0.035
REDO_SHARE = 0.7  # of dissatisfied: assigned again (重新交办); the rest closed as not solved
DAYS = 365
RECEPTION_DAYS = 12
# Voters received per town in the year: Yangdong received about five voters per opinion collected
# (2,900 and 560); the demo towns collect 150–250 opinions, so about 900–1,200 voters.
VOTERS_PER_TOWN = (900, 1200)
DEMO_OPINIONS = (150, 250)  # per town, by the town's size
DEMO_SEED = "2018-opinions"  # own stream: the county's people do not change when opinions do

NOT_ACCEPTED_REASONS = (
    "该事项已进入诉讼程序，已告知反映人依法通过司法途径解决。",
    "反映的是个人之间的债务纠纷，不属于受理范围，已告知反映人向人民法院起诉。",
    "该事项属于邻县管辖，已告知反映人向所在地反映。",
    "反映事项已有生效判决，已向反映人做好解释工作。",
)
REDO_REASON = "群众对办理结果不满意，重新交办"
ONLINE_REASON = "网上提交"
_COMPANY = re.compile(r"汉阴[^\s，。、“”]{2,12}?有限公司")


def _aware(day: date, minutes: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(minutes // 60, minutes % 60)))


@lru_cache(maxsize=4096)
def _due(state: str, day: date):
    """What the engine sets on entering `state` on `day`: (due date, provisional)."""
    due = WF.state(state).due
    if due is None:
        return None, False
    d = due.resolve(day)
    return d.due, bool(d.provisional)


def _office_day(day: date, lag: int) -> date:
    """`lag` working days after `day`; 0 means the same day if it is a working day, else the next one."""
    if lag == 0:
        return day if is_workday(day) else add_working_days(day, 1)
    return add_working_days(day, lag)


def _working_days_before(day: date, n: int) -> date:
    while n > 0:
        day -= timedelta(days=1)
        if is_workday(day):
            n -= 1
    return day


def _source_pool() -> list[str]:
    return [s for s, w in SOURCE_WEIGHTS.items() for _ in range(w)]


def _units_named(town: str) -> list[tuple[str, str]]:
    """(name, level) of every unit the texts name, for one town."""
    out = []
    for topic in TOPICS:
        for template in topic.units:
            level = "town" if "{town}" in template else "county"
            out.append((template.format(town=town), level))
    return out


# --- the demo county ---------------------------------------------------------------------------------------


@dataclass(eq=False)
class Who:
    label: str
    user_id: int | None = None


PUBLIC = Who("公众")


@dataclass(eq=False)
class DayPlan:
    id: int
    town: Town
    date: date
    rota: list[DeputyPlan]
    present: list[DeputyPlan]
    recorded: bool
    opinions: int = 0
    on_spot: int = 0


@dataclass(eq=False)
class Event:
    key: str  # a transition of OPINION_WORKFLOW, or "create"
    day: date
    who: Who
    data: dict = field(default_factory=dict)
    reason: str = ""
    duty: bool = False  # a deputy's return visit: counts in the deputy's duty record


@dataclass(eq=False)
class Item:
    town: Town
    source: str
    received_on: date
    topic: str
    village: Village
    region_id: int
    title: str
    content: str
    station_id: int | None
    deputy: DeputyPlan | None
    day: DayPlan | None
    submitter_name: str
    submitter_phone: str
    enterprise_name: str
    unit_name: str
    responsible: str
    code: str
    outcome: str = "normal"  # normal, on_spot, not_accepted, converted, merged, stuck
    force: str = ""  # a state the item must end in (coverage of every state, the demo logins)
    merge_into: Item | None = None
    taker: DeputyPlan | None = None  # the deputy who takes an enterprise's order (定单)
    events: list[Event] = field(default_factory=list)
    id: int = 0
    final_day: date | None = None


# Lags (working days) of a forced item, and how long ago it came in: it stops in the named state.
FORCED = {
    "registered": (0, "create"),
    "accepted": (1, "accept"),
    "assigned": (4, "assign"),
    "replied": (8, "reply"),
    "visited": (14, "visit"),
    "overdue": (24, "assign"),
}
FORCED_LAGS = {"intake": 0, "assign": 1, "reply": 5, "visit": 3}


class DemoOpinions:
    def __init__(self, builder: CountyBuilder, *, rng: random.Random, today: date, per_town=None):
        self.b, self.rng, self.today = builder, rng, today
        # Steps of today happen before now; seeding as of another day, that day's end is "now".
        end_of_day = _aware(today, 23 * 60 + 59)
        self.now = min(timezone.now(), end_of_day) if today == timezone.localdate() else end_of_day
        self.per_town = per_town
        self.people = builder.people
        self.w = BulkWriter(DEMO_MODELS)
        self.codes: set[str] = set()
        self.ct_opinion = ContentType.objects.get_for_model(Opinion).pk
        self.ct_step = ContentType.objects.get_for_model(Step).pk
        self.ct_day = ContentType.objects.get_for_model(ReceptionDay).pk
        self.sources = _source_pool()
        self.counts: Counter = Counter()

    # --- who is who -------------------------------------------------------------------------------
    def _load_people(self):
        county_id = self.b.county.id
        grants = RoleGrant.objects.filter(
            role__in=[Role.TOWN_OFFICE, Role.STATION_KEEPER, Role.DEPUTY, Role.UNIT_STAFF]
        ).select_related("user")
        self.users = {}
        for g in grants:
            target = g.region_id or g.station_id or g.deputy_id or g.unit_id
            self.users[(g.role, target)] = Who(g.user.display_name or g.user.username, g.user_id)
        self.stations = dict(Station.objects.filter(county_id=county_id).values_list("pk", "keeper_name"))
        self.station_names = dict(Station.objects.filter(county_id=county_id).values_list("pk", "name"))
        self._ensure_units()
        units = HandlingUnit.objects.filter(county_id=county_id).values_list(
            "pk", "name", "town_id", "contact_person"
        )
        self.unit_ids = {(town_id, name): pk for pk, name, town_id, _c in units}
        self.unit_people = {pk: person for pk, _n, _t, person in units}
        self.demo_deputy = next(
            (d for t in self.b.towns for d in t.deputies if (Role.DEPUTY, d.id) in self.users), None
        )
        seat = self.b.towns[0]
        self.demo_unit = next(
            (u for u in seat.unit_ids if (Role.UNIT_STAFF, u) in self.users), seat.unit_ids[0]
        )

    def _ensure_units(self):
        """The units the texts name exist in the county: missing ones are added the way the county's own
        units were (CountyBuilder._unit)."""
        existing = set(HandlingUnit.objects.filter(county_id=self.b.county.id).values_list("town_id", "name"))
        writer, self.b.w = self.b.w, self.w
        try:
            for town in self.b.towns:
                for name, level in _units_named(town.node.name):
                    key = (town.node.id if level == "town" else None, name)
                    if key not in existing:
                        uid = self.b._unit(name, level, town.node if level == "town" else self.b.county)
                        existing.add(key)
                        (town.unit_ids if level == "town" else self.b.county_unit_ids).append(uid)
                        self.counts["units_added"] += 1
        finally:
            self.b.w = writer
        if self.counts["units_added"]:
            self.w.flush()

    def office(self, town: Town) -> Who:
        return self.users.get((Role.TOWN_OFFICE, town.node.id)) or Who(f"{town.node.name}人大办")

    def keeper(self, station_id: int) -> Who:
        return self.users.get((Role.STATION_KEEPER, station_id)) or Who(self.stations.get(station_id, ""))

    def deputy(self, d: DeputyPlan) -> Who:
        return self.users.get((Role.DEPUTY, d.id)) or Who(d.name)

    def unit_staff(self, unit_id: int) -> Who:
        return self.users.get((Role.UNIT_STAFF, unit_id)) or Who(self.unit_people.get(unit_id, ""))

    def unit_id(self, town: Town, name: str) -> int:
        return self.unit_ids.get((town.node.id, name)) or self.unit_ids.get((None, name)) or town.unit_ids[0]

    # --- the run --------------------------------------------------------------------------------------
    def run(self) -> dict:
        self._load_people()
        lo, hi = DEMO_OPINIONS
        for town in self.b.towns:
            # Hanyin: 780 deputies in 10 towns, about 2,000 opinions; the county seat has the most.
            n = self.per_town or min(hi, max(lo, round(2000 * len(town.deputies) / 780)))
            days = self._reception_days(town)
            items = self._items(town, n, days)
            if town is self.b.towns[0]:
                items += self._showcase(town)
                items.sort(key=lambda it: it.received_on)
            self._outcomes(items)
            for it in items:
                it.events = self._plan(it)
            self._merges(items)
            self._overdue(town, items)
            self._cover(town, items)
            self._write(items)
            self._write_days(town, days)
        written = self.w.finish()
        out = {
            "opinions": written[Opinion._meta.label],
            "opinion_steps": written[Step._meta.label],
            "reception_days": written[ReceptionDay._meta.label],
            "opinion_duty_records": written[DutyRecord._meta.label],
        }
        if self.counts["units_added"]:
            out["units_added"] = self.counts["units_added"]
        states = [s.key for s in WF.states]
        out["opinions_by_state"] = ", ".join(f"{k} {self.counts[k]}" for k in states if self.counts[k])
        return out

    # --- reception days -------------------------------------------------------------------------------
    def _reception_days(self, town: Town) -> list[DayPlan]:
        # A county being seeded has no [local] values of its own yet: the declared defaults apply.
        nth, weekday = int(conf.get("RECEPTION_DAY_NTH")), int(conf.get("RECEPTION_DAY_WEEKDAY"))
        dates = [
            d
            for y in (self.today.year - 1, self.today.year, self.today.year + 1)
            for d in reception_dates(y, nth, weekday, is_workday)
        ]
        past = [d for d in dates if d <= self.today][-RECEPTION_DAYS:]
        upcoming = next(d for d in dates if d > self.today)
        rng = self.rng
        out = []
        for d in [*past, upcoming]:
            rota = rng.sample(town.deputies, min(len(town.deputies), rng.randint(3, 5)))
            if town is self.b.towns[0] and self.demo_deputy and (d == upcoming or rng.random() < 0.3):
                if self.demo_deputy not in rota:
                    rota[-1] = self.demo_deputy
            present = [p for p in rota if rng.random() < 0.9] or rota[:1]
            recorded = d <= self.today
            out.append(
                DayPlan(self.w.reserve(ReceptionDay), town, d, rota, present if recorded else [], recorded)
            )
        return out

    def _write_days(self, town: Town, days: list[DayPlan]):
        rng, w = self.rng, self.w
        station = town.station_id
        keeper = self.keeper(station)
        recorded = [d for d in days if d.recorded]
        target = rng.randint(*VOTERS_PER_TOWN)
        weights = [rng.uniform(0.7, 1.3) for _ in recorded]
        scale = target / (sum(weights) or 1)
        voters = [
            max(d.opinions + rng.randint(2, 6), round(wt * scale))
            for d, wt in zip(recorded, weights, strict=True)
        ]
        voters_by_day = dict(zip(recorded, voters, strict=True))
        for day in days:
            published = self.today >= day.date - timedelta(days=7) or day.recorded
            values = dict(
                id=day.id,
                station_id=station,
                region_id=town.node.id,
                county_id=town.node.county_id,
                town_id=town.node.id,
                date=day.date,
                hours="9:00-12:00",
                rota_published_at=_aware(day.date - timedelta(days=7), 10 * 60) if published else None,
                voters_received=0,
                notes="",
                recorded_at=None,
                recorded_by_id=None,
            )
            if day.recorded:
                n = voters_by_day[day]
                at = _aware(day.date, 16 * 60 + rng.randint(0, 90))
                values.update(
                    voters_received=n,
                    notes=f"接待选民{n}人，收集意见建议{day.opinions}件，其中当场答复{day.on_spot}件，"
                    f"其余按程序登记交办。",
                    recorded_at=at,
                    recorded_by_id=keeper.user_id,
                )
                title = f"接待选民：{self.station_names.get(station, '')}"[:200]
                for d in day.present:
                    w.add(ReceptionDay.present.through, receptionday_id=day.id, deputy_id=d.id)
                    self._duty(d, ActivityKind.RECEPTION, day.date, title, self.ct_day, day.id, at)
            for d in day.rota:
                w.add(ReceptionDay.rota.through, receptionday_id=day.id, deputy_id=d.id)
            w.add(ReceptionDay, **values)

    # --- the items --------------------------------------------------------------------------------------
    def _code(self) -> str:
        while True:
            code = "MY" + "".join(self.rng.choice(CODE_ALPHABET) for _ in range(10))
            if code not in self.codes:
                self.codes.add(code)
                return code

    def _random_day(self, workday: bool) -> date:
        while True:
            d = self.today - timedelta(days=self.rng.randint(0, DAYS))
            if not workday or is_workday(d):
                return d

    def _items(self, town: Town, n: int, days: list[DayPlan]) -> list[Item]:
        rng = self.rng
        # Opinions are of the last 365 days; the twelfth day back can be a few days older than that.
        held = [d for d in days if d.recorded and (self.today - d.date).days <= DAYS]
        # Two deliberation meetings (知情议政会) a year, on working days.
        meetings = sorted(self._random_day(True) for _ in range(2))
        items = [self._item(town, rng.choice(self.sources), held, meetings) for _ in range(n)]
        items.sort(key=lambda it: it.received_on)
        return items

    def _item(
        self, town: Town, source: str, held: list[DayPlan], meetings: list[date], *, deputy=None, when=None
    ) -> Item:
        rng = self.rng
        day = None
        station_id = None
        village = rng.choice(town.villages)
        region_id = village.node.id
        seat = town is self.b.towns[0]
        if source == "reception":
            day = rng.choice(held)
            received = day.date
            station_id = town.station_id
            deputy = deputy or (rng.choice(day.present) if day.present else None)
        elif source == "visit":
            received = when or self._random_day(False)
            if deputy is None:
                use_demo = seat and self.demo_deputy is not None and rng.random() < 0.15
                deputy = self.demo_deputy if use_demo else rng.choice(town.deputies)
            village = deputy.village
            region_id = (deputy.grid or village.node).id
            station_id = deputy.station_id
        elif source == "online":
            received = when or self._random_day(False)
            if deputy is not None or rng.random() < 0.4:  # through a deputy's code (代表码)
                deputy = deputy or rng.choice(town.deputies)
                station_id = deputy.station_id
            else:  # through the station's QR code
                station_id = town.station_id
        elif source == "deliberation":
            received = when or rng.choice(meetings)
            station_id = town.station_id
        else:  # letter, enterprise
            received = when or self._random_day(True)
        if source == "enterprise":
            topic = "enterprise"
            # The deputy who takes the order (定单): mostly a county deputy living in the town.
            takers = [d for d in town.deputies if d.level == DeputyLevel.COUNTY] or town.deputies
            taker = deputy or rng.choice(takers)
        else:
            topic = pick_topic(rng)
            taker = None
        title, content = opinion_text(rng, topic, village.node.name)
        enterprise_name = ""
        if source == "enterprise":
            found = _COMPANY.search(title) or _COMPANY.search(content)
            enterprise_name = found.group(0) if found else f"汉阴{village.stem}农业开发有限公司"
        gender = "M" if rng.random() < 0.65 else "F"
        phone = names.phone(rng) if source == "online" or rng.random() < 0.8 else ""
        return Item(
            town=town,
            source=source,
            received_on=received,
            topic=topic,
            village=village,
            region_id=region_id,
            title=title[:100],
            content=content[:2000],
            station_id=station_id,
            deputy=deputy if source != "enterprise" else None,
            day=day,
            submitter_name=self.people.name(rng, gender),
            submitter_phone=phone,
            enterprise_name=enterprise_name,
            unit_name=unit_for(rng, topic, town.node.name),
            responsible=self.people.name(rng, "M" if rng.random() < 0.7 else "F"),
            code=self._code(),
            taker=taker,
        )

    def _showcase(self, town: Town) -> list[Item]:
        """Items every demo login finds when clicking through: the demo deputy's visits in each open state,
        some handled by the demo unit, one of them overdue."""
        if self.demo_deputy is None:
            return []
        out = []
        unit_name = next(
            (n for (t, n), pk in self.unit_ids.items() if pk == self.demo_unit and t is not None), None
        )
        for state, source in (
            ("registered", "visit"),
            ("accepted", "online"),
            ("assigned", "visit"),
            ("replied", "visit"),
            ("visited", "visit"),
            ("overdue", "visit"),
        ):
            it = self._item(town, source, [], [], deputy=self.demo_deputy, when=self.today)
            it.force = state
            if unit_name and state in ("assigned", "replied", "visited", "overdue"):
                it.unit_name = unit_name
            out.append(it)
        return out

    # --- outcomes and plans ------------------------------------------------------------------------------
    def _outcomes(self, items: list[Item]):
        rng = self.rng
        for it in items:
            if it.force:
                continue
            if rng.random() < ON_SPOT_SHARE.get(it.source, 0.0):
                it.outcome = "on_spot"
        plain = [it for it in items if it.outcome == "normal" and not it.force]
        old = [it for it in plain if (self.today - it.received_on).days > 10]
        n = len(items)
        cut = max(1, round(NOT_ACCEPTED_SHARE * n))
        chosen = rng.sample(old, min(len(old), cut + max(1, round(CONVERTED_SHARE * n))))
        for it in chosen[:cut]:
            it.outcome = "not_accepted"
        for it in chosen[cut:]:
            it.outcome = "converted"

    def _merges(self, items: list[Item]):
        """About 1% are the same matter raised again within a month: merged (on the next working day) into
        the latest earlier item of the town and topic that is still open that day."""
        rng = self.rng
        want = max(1, round(MERGED_SHARE * len(items)))
        candidates = [
            it
            for it in items
            if it.outcome == "normal" and not it.force and (self.today - it.received_on).days > 10
        ]
        rng.shuffle(candidates)
        targets: set = set()
        for it in candidates:
            if want == 0:
                break
            if it in targets:
                continue
            merged_on = _office_day(it.received_on, 1)
            earlier = [
                e
                for e in items
                if e is not it
                and e.topic == it.topic
                and e.outcome in ("normal", "on_spot")
                and not e.force
                and 0 < (it.received_on - e.received_on).days <= 30
                and (e.final_day is None or e.final_day > merged_on)
            ]
            if not earlier:
                continue
            target = max(earlier, key=lambda e: e.received_on)
            targets.add(target)
            it.outcome, it.merge_into = "merged", target
            it.region_id, it.village = target.region_id, target.village
            it.title = target.title
            it.content = rng.choice(("又有群众反映：", "同一事项再次反映：", "")) + target.content
            it.events = self._plan(it)
            want -= 1

    def _plan(self, it: Item) -> list[Event]:
        """The item's steps up to today."""
        rng, today = self.rng, self.today
        forced = FORCED.get(it.force)
        lags = FORCED_LAGS if forced else None
        if forced:
            it.received_on = _working_days_before(today, forced[0])
        r = it.received_on
        office = self.office(it.town)
        events = [
            Event("create", r, self._creator(it), reason=ONLINE_REASON if it.source == "online" else "")
        ]
        if it.outcome == "on_spot":
            who = office if it.source == "deliberation" else self.keeper(it.station_id)
            events.append(Event("answer_on_spot", r, who, {"reply": reply_text(rng, it.topic)}))
            self._visit_and_close(events, it, r, redo=False)
            return self._until_today(events, it)
        d1 = _office_day(r, lags["intake"] if lags else rng.choice((0, 1, 1, 2, 3)))
        if it.outcome == "not_accepted":
            reason = rng.choice(NOT_ACCEPTED_REASONS)
            events.append(Event("not_accept", d1, office, {"reason": reason}, reason))
            return self._until_today(events, it)
        if it.outcome == "merged":
            events.append(Event("merge", _office_day(r, 1), office, {"into": it.merge_into}))
            return self._until_today(events, it)
        if it.source == "enterprise":
            taker = it.taker
            events.append(Event("take", d1, self.deputy(taker), {"deputy": taker.id}))
        else:
            events.append(Event("accept", d1, office))
        if it.outcome == "converted":
            who = self.deputy(it.deputy) if it.deputy and rng.random() < 0.5 else office
            # The suggestion it becomes is drafted in a deputy's name (opinions.services._draft_suggestion).
            lead = it.deputy or it.taker or it.town.deputies[0]
            events.append(Event("convert", _office_day(d1, rng.randint(0, 3)), who, {"deputy": lead.id}))
            return self._until_today(events, it)
        s = _office_day(d1, lags["assign"] if lags else rng.choice((0, 0, 1, 1, 2)))
        unit = self.unit_id(it.town, it.unit_name)
        events.append(Event("assign", s, office, {"unit": unit, "responsible_person": it.responsible}))
        if it.outcome != "stuck" and not (forced and forced[1] == "assign"):
            self._handle(events, it, s, unit, redo=False, lags=lags)
        if forced:
            stop = next(i for i, e in enumerate(events) if e.key == forced[1])
            events = events[: stop + 1]
        return self._until_today(events, it)

    def _handle(self, events, it: Item, start: date, unit: int, *, redo: bool, lags=None):
        rng = self.rng
        if lags:
            lag = lags["reply"]
        elif not redo and rng.random() < LATE_REPLY_SHARE:
            lag = rng.randint(16, 24)
        else:
            lag = rng.randint(2, 13)
        replied = add_working_days(start, lag)
        events.append(Event("reply", replied, self.unit_staff(unit), {"reply": reply_text(rng, it.topic)}))
        self._visit_and_close(events, it, replied, redo=redo, lags=lags, unit=unit)

    def _visit_and_close(self, events, it: Item, replied: date, *, redo: bool, lags=None, unit=None):
        rng = self.rng
        if lags:
            lag = lags["visit"]
        else:
            lag = rng.randint(1, 5) if rng.random() < 0.95 else rng.randint(6, 8)
        visited = add_working_days(replied, lag)
        u = rng.random()
        if u < DISSATISFIED_SHARE and not redo:
            satisfaction = "dissatisfied"
        elif u < 0.8:
            satisfaction = "satisfied"
        else:
            satisfaction = "basic"
        solved = {"satisfied": rng.random() < 0.995, "basic": rng.random() < 0.95, "dissatisfied": False}
        method = rng.choices(("in_person", "phone", "written"), weights=(45, 40, 15))[0]
        deputy = it.deputy or it.taker  # an enterprise's order is checked (验单) by the deputy who took it
        if deputy is not None and rng.random() < 0.7:
            who, duty = self.deputy(deputy), True
        elif it.station_id:
            who, duty = self.keeper(it.station_id), False
        else:
            who, duty = self.office(it.town), False
        data = {
            "visit_method": method,
            "satisfaction": satisfaction,
            "solved": solved[satisfaction],
            "visit_note": visit_note(rng, satisfaction != "dissatisfied"),
        }
        events.append(Event("visit", visited, who, data, duty=duty))
        office = self.office(it.town)
        if satisfaction == "dissatisfied" and unit is not None and rng.random() < REDO_SHARE:
            again = _office_day(visited, rng.randint(1, 2))
            events.append(Event("reassign", again, office, reason=REDO_REASON))
            self._handle(events, it, again, unit, redo=True)
            return
        events.append(Event("close", _office_day(visited, rng.randint(0, 3)), office))

    def _creator(self, it: Item) -> Who:
        if it.source == "reception":
            return self.keeper(it.station_id)
        if it.source == "visit":
            return self.deputy(it.deputy)
        if it.source == "online":
            return PUBLIC
        return self.office(it.town)

    def _until_today(self, events: list[Event], it: Item) -> list[Event]:
        kept = [e for e in events if e.day <= self.today]
        final = kept[-1]
        it.final_day = final.day if WF.state(self._target(final.key)).final else None
        return kept

    @staticmethod
    def _target(key: str) -> str:
        return "registered" if key == "create" else WF.transition(key).target

    def _open_due(self, it: Item):
        """(state, due) where the item stands today."""
        last = it.events[-1]
        state = self._target(last.key)
        return state, _due(state, last.day)[0]

    def _overdue(self, town: Town, items: list[Item]):
        """About 3% of the town's assigned items are still with the unit past the deadline."""
        today = self.today
        timed = set(WF.timed_states())
        assigned = [it for it in items if any(e.key == "assign" for e in it.events)]
        late = 0
        for it in items:
            state, due = self._open_due(it)
            late += state in timed and due is not None and due < today
        want = max(1, round(OVERDUE_SHARE * len(assigned))) - late
        candidates = []
        for it in assigned:
            if it.outcome != "normal" or it.force or (today - it.received_on).days >= 150:
                continue
            assign = next(e for e in it.events if e.key == "assign")
            if _due("assigned", assign.day)[0] < today:
                candidates.append(it)
        for it in self.rng.sample(candidates, min(len(candidates), max(0, want))):
            it.outcome = "stuck"
            stop = next(i for i, e in enumerate(it.events) if e.key == "assign")
            it.events = it.events[: stop + 1]
            it.final_day = None

    def _cover(self, town: Town, items: list[Item]):
        """Every open state appears in every town: the newest closed items are moved to a state missing."""
        states = {self._target(it.events[-1].key) for it in items}
        targets = {it.merge_into for it in items if it.merge_into is not None}
        pool = [
            it
            for it in reversed(items)
            if it.outcome == "normal"
            and not it.force
            and it not in targets
            and it.events[-1].key == "close"  # moving it takes no other state's only example away
            and it.source not in ("reception", "deliberation", "enterprise")
        ]
        for state in ("registered", "accepted", "assigned", "replied", "visited"):
            if state in states or not pool:
                continue
            it = pool.pop(0)
            it.force = state
            it.events = self._plan(it)
        items.sort(key=lambda it: it.received_on)

    # --- replay and write ------------------------------------------------------------------------------
    def _write(self, items: list[Item]):
        for it in items:
            it.id = self.w.reserve(Opinion)
        for it in items:
            self._replay(it)

    def _times(self, events: list[Event]) -> list[datetime]:
        """Times of day: office hours (online submissions at any waking hour), later steps of the same day
        after the earlier ones, and nothing after now."""
        rng = self.rng
        out: list[datetime] = []
        for i, e in enumerate(events):
            prev = out[-1] if out else None
            if prev is not None and timezone.localtime(prev).date() == e.day:
                at = min(prev + timedelta(minutes=rng.randint(5, 90)), _aware(e.day, 23 * 60 + 58))
                at = max(at, prev + timedelta(seconds=1))
            elif i == 0 and e.who is PUBLIC:
                at = _aware(e.day, 7 * 60 + rng.randint(0, 15 * 60))
            else:
                at = _aware(e.day, 8 * 60 + 30 + rng.randint(0, 9 * 60))
            out.append(at)
        if out and out[-1] > self.now:
            midnight = _aware(self.today, 0)
            todays = [i for i, e in enumerate(events) if e.day == self.today]
            span = (self.now - midnight) / (len(todays) + 1)
            for k, i in enumerate(todays, start=1):
                out[i] = midnight + span * k
        return out

    def _replay(self, it: Item):
        """Take the item's steps as the engine would (apps.workflow.services._move) and write its rows."""
        w = self.w
        town = it.town.node
        events = it.events
        ats = self._times(events)
        creator = events[0]
        due, provisional = _due("registered", it.received_on)
        item = Opinion(
            id=it.id,
            county_id=town.county_id,
            town_id=town.id,
            state="registered",
            version=0,
            state_since=ats[0],
            due_date=due,
            due_provisional=provisional,
            escalated_at=None,
            tracking_code=it.code,
            source=it.source,
            topic=it.topic,
            title=it.title,
            content=it.content,
            region_id=it.region_id,
            received_on=it.received_on,
            station_id=it.station_id,
            deputy_id=it.deputy.id if it.deputy else None,
            reception_day_id=it.day.id if it.day else None,
            submitter_name=it.submitter_name,
            submitter_phone=it.submitter_phone,
            enterprise_name=it.enterprise_name,
            registered_by_id=creator.who.user_id,
            created_at=ats[0],
        )
        steps = [
            dict(
                transition="create",
                from_state="",
                to_state="registered",
                actor_id=creator.who.user_id,
                actor_label=creator.who.label,
                at=ats[0],
                reason=creator.reason,
                summary={},
                on_time=None,
                due_date=due,
            )
        ]
        watched = [f.attname for f in Opinion._meta.concrete_fields]
        for e, at in zip(events[1:], ats[1:], strict=True):
            steps.append(self._move(item, e, at, watched))
        row = {f.attname: getattr(item, f.attname) for f in Opinion._meta.concrete_fields}
        w.add(Opinion, **row)
        for step, e in zip(steps, events, strict=True):
            sid = w.add(Step, content_type_id=self.ct_opinion, object_id=it.id, **step)
            if e.duty:
                title = f"回访：{it.title}"[:200]
                self._duty(
                    it.deputy or it.taker,
                    ActivityKind.HOUSEHOLD_VISIT,
                    e.day,
                    title,
                    self.ct_step,
                    sid,
                    step["at"],
                )
        if it.source == "visit":
            title = f"走访收集：{it.title}"[:200]
            self._duty(
                it.deputy, ActivityKind.HOUSEHOLD_VISIT, it.received_on, title, self.ct_opinion, it.id, ats[0]
            )
        if it.day is not None:
            it.day.opinions += 1
            it.day.on_spot += it.outcome == "on_spot"
        self.counts[item.state] += 1

    def _move(self, item: Opinion, e: Event, at: datetime, watched: list[str]) -> dict:
        t = WF.transition(e.key)
        if item.state not in t.sources:
            raise AssertionError(f"{item.tracking_code}: {e.key} from {item.state}")
        from_state, old_due = item.state, item.due_date
        before = {f: getattr(item, f) for f in watched}
        apply = _APPLY.get(e.key)
        if apply:
            apply(item, e.data, None, e.day)
        elif t.apply:  # the table's own step, with its input validated as the engine does
            t.apply(item, parse(t.input, e.data).model_dump(), None, e.day)
        item.state = t.target
        item.state_since = at
        item.due_date, item.due_provisional = _due(t.target, e.day)
        item.escalated_at = None
        item.version += 1
        diff = {
            f: [before[f], getattr(item, f)]
            for f in watched
            if before[f] != getattr(item, f) and f not in ("version", "state_since")
        }
        return dict(
            transition=t.key,
            from_state=from_state,
            to_state=t.target,
            actor_id=e.who.user_id,
            actor_label=e.who.label,
            at=at,
            reason=e.reason,
            summary=_json_safe(diff),
            on_time=None if old_due is None else e.day <= old_due,
            due_date=item.due_date,
        )

    def _duty(self, deputy: DeputyPlan, kind: str, day: date, title: str, ctype: int, source_id: int, at):
        """What duty.services.append_platform_record writes: counts at once, once per deputy, kind, source."""
        self.w.add(
            DutyRecord,
            deputy_id=deputy.id,
            county_id=self.b.county.id,
            town_id=deputy.village.node.town_id,
            kind=kind,
            date=day,
            title=title,
            detail="",
            place="",
            source=Source.PLATFORM,
            review_state=ReviewState.APPROVED,
            review_reason="",
            reviewed_by_id=None,
            source_type_id=ctype,
            source_id=str(source_id),
            created_by_id=None,
            created_at=at,
        )


# The workflow's apply functions that look units up in the database are replaced by their field-setting
# halves (apps/opinions/workflow.py): the seed already holds valid ids.
def _assign(item, data, actor, today):
    record_assignment(item, data["unit"], data.get("responsible_person"), today)


def _reassign(item, data, actor, today):
    unit = data.get("unit") or item.unit_id
    person = data.get("responsible_person") if data.get("unit") else item.responsible_person
    record_assignment(item, unit, person, today)
    clear_visit(item)


def _take(item, data, actor, today):
    if data.get("deputy"):
        item.deputy_id = data["deputy"]


def _merge(item, data, actor, today):
    target = data["into"]  # an Item of the same town, its id reserved before any item is replayed
    item.merged_into_id = target.id
    item.outcome_note = f"与 {target.code} 合并办理"


_APPLY = {"assign": _assign, "reassign": _reassign, "take": _take, "merge": _merge}


def seed_demo_opinions(
    builder: CountyBuilder, *, today: date | None = None, per_town: int | None = None
) -> dict:
    """A year of opinions, reception days, steps and duty records for the county `builder` has written."""
    today = today or timezone.localdate()
    runner = DemoOpinions(builder, rng=random.Random(DEMO_SEED), today=today, per_town=per_town)
    return runner.run()


# --- benchmark scale ----------------------------------------------------------------------------------------

# Opinion columns in the order the bench rows are built; a column added to the model later is filled with
# its default (see BenchOpinions._columns).
BENCH_COLUMNS = (
    "id", "county_id", "town_id", "state", "version", "state_since", "due_date", "due_provisional",
    "escalated_at", "tracking_code", "source", "topic", "title", "content", "region_id", "received_on",
    "station_id", "deputy_id", "reception_day_id", "submitter_name", "submitter_phone", "submitter_user_id",
    "enterprise_name", "registered_by_id", "created_at", "unit_id", "responsible_person", "assigned_on",
    "reply", "replied_on", "reply_on_time", "on_spot", "visit_method", "satisfaction", "solved",
    "visit_note", "visited_on", "closed_on", "merged_into_id", "outcome_note",
)  # fmt: skip
BENCH_STUCK_SHARE = 0.085  # of items whose reply deadline passed in the last 150 days: ~3% of assigned


def bench_code(n: int) -> str:
    """Tracking code of a bench row: 'MB' + the id in base 32 over the code alphabet, ten digits."""
    out = []
    for _ in range(10):
        n, r = divmod(n, 32)
        out.append(CODE_ALPHABET[r])
    return "MB" + "".join(reversed(out))


class BenchOpinions:
    """Opinions of a year for every town of a benchmark set, written with COPY (executemany on SQLite).

    The same sources, topics, units and state mix as the demo, computed from day indexes: intake, assignment,
    reply, return visit and close-out lags in working days, deadlines from the calendar (tables built once),
    so items received long ago are closed, recent ones open, and ~3% of assigned items are overdue. Texts
    come from a pool generated once. Reception days: the last twelve of every town station and the next one,
    with rota, deputies present and voters received. Not written at this scale: Step rows (about five per
    item: ten million rows would more than double the load) and duty records."""

    # From this many rows on (PostgreSQL), the table's secondary indexes and foreign keys are dropped for the
    # load and made again after it: PostgreSQL's own advice for bulk loads ("Populating a Database").
    # Measured on the 2,000,000-row province load: 245 s with them in place, most of it index upkeep per row
    # and two million deferred foreign-key checks at commit.
    BULK_ROWS = 200_000

    def __init__(
        self,
        w: BulkWriter,
        rng: random.Random,
        *,
        per_town: float,
        today: date | None = None,
        expected_rows: int = 0,
    ):
        """Make it at the start of the load's transaction: dropping foreign keys is refused once rows of the
        tables they point to wait for their deferred checks."""
        self.w, self.rng, self.per_town = w, rng, per_town
        self.today = today or timezone.localdate()
        self.towns_done = 0
        self.written = 0
        self.rows: list[tuple] = []
        self.next_id = (Opinion.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        self.first_id = self.next_id
        self._calendar()
        self._pools()
        self._columns()
        self.dropped: tuple[list, list] | None = None
        self.seconds: Counter = Counter()  # generate, copy, reindex: where the load's time goes
        if connection.vendor == "postgresql" and expected_rows >= self.BULK_ROWS:
            self._drop_constraints()

    def _drop_constraints(self):
        table = Opinion._meta.db_table
        quote = connection.ops.quote_name
        with connection.cursor() as cur:
            cur.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
                [table],
            )
            fks = cur.fetchall()
            # Indexes that back no constraint (the primary key and unique codes stay: they check the rows).
            cur.execute(
                "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
                "JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s::regclass AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) ORDER BY i.relname",
                [table],
            )
            indexes = cur.fetchall()
            for name, _definition in fks:
                cur.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
            for name, _definition in indexes:
                cur.execute(f"DROP INDEX {quote(name)}")
        self.dropped = (fks, indexes)

    def _restore_constraints(self):
        fks, indexes = self.dropped
        table = connection.ops.quote_name(Opinion._meta.db_table)
        with connection.cursor() as cur:
            # Run the deferred checks of the rows written so far now (they would run at commit anyway):
            # PostgreSQL refuses to add a foreign key to a table with checks pending.
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for _name, definition in indexes:
                cur.execute(definition)
            for name, definition in fks:
                cur.execute(
                    f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}"
                )
            cur.execute("SET CONSTRAINTS ALL DEFERRED")
        self.dropped = None

    # --- tables built once --------------------------------------------------------------------------------
    def _calendar(self):
        base = self.today - timedelta(days=DAYS + 40)
        span = DAYS + 40 + 200
        self.D = [base + timedelta(days=i) for i in range(span)]
        self.T = DAYS + 40
        work = [is_workday(d) for d in self.D]
        nxt = [0] * span
        following = span - 1
        for i in range(span - 1, -1, -1):
            nxt[i] = following
            if work[i]:
                following = i
        # W[k][i]: index of the k-th working day after day i (W[0]: i itself if a working day, else the next).
        self.W = [[i if work[i] else nxt[i] for i in range(span)]]
        first = nxt
        self.W.append(first)
        for _k in range(2, max(26, *(_due_days(s) + 1 for s in WF.timed_states()))):
            self.W.append([first[j] for j in self.W[-1]])
        self.P = {
            k: [
                deadline(d, working_days=k).provisional if i <= self.T + 60 else False
                for i, d in enumerate(self.D)
            ]
            for k in {_due_days(s) for s in ("registered", "accepted", "assigned", "replied")}
        }
        self.DT = [_aware(d, 10 * 60) for d in self.D]
        nth, weekday = int(conf.get("RECEPTION_DAY_NTH")), int(conf.get("RECEPTION_DAY_WEEKDAY"))
        dates = [
            d
            for y in (self.today.year - 1, self.today.year, self.today.year + 1)
            for d in reception_dates(y, nth, weekday, is_workday)
        ]
        past = [d for d in dates if d <= self.today][-RECEPTION_DAYS:]
        self.held = [(d - base).days for d in past]
        self.held_in_year = [i for i in self.held if self.T - i <= DAYS]
        self.upcoming = (next(d for d in dates if d > self.today) - base).days
        self.workdays_in_year = [i for i in range(self.T - DAYS, self.T + 1) if work[i]]

    def _pools(self):
        rng = self.rng
        self.sources = _source_pool()
        self.topics = [t.key for t in TOPICS if t.key != "enterprise" for _ in range(t.weight)]
        # Texts name a village; a bench row's village is elsewhere, so any plausible name does.
        villages = [f"{a}{b}村" for a in "东西南北上下大新老黄" for b in "河坪坝沟湾岭"] + [
            "东风社区",
            "新街社区",
        ]
        self.texts = {}
        for topic in TOPICS:
            out = []
            for _ in range(200):
                title, content = opinion_text(rng, topic.key, rng.choice(villages))
                company = ""
                if topic.key == "enterprise":
                    found = _COMPANY.search(title) or _COMPANY.search(content)
                    company = found.group(0) if found else "汉阴秦巴农业开发有限公司"
                out.append((title[:100], content[:2000], company))
            self.texts[topic.key] = out
        self.replies = {t.key: [reply_text(rng, t.key) for _ in range(30)] for t in TOPICS}
        self.notes = {ok: [visit_note(rng, ok) for _ in range(20)] for ok in (True, False)}
        people = names.People(rng, pool_size=500)
        self.names = [people.name(rng, "M" if i % 3 else "F") for i in range(1000)]
        self.phones = [names.phone(rng) for _ in range(1000)]

    def _columns(self):
        fields = {f.attname: f for f in Opinion._meta.concrete_fields}
        unknown = [c for c in BENCH_COLUMNS if c not in fields]
        if unknown:
            raise RuntimeError(f"BENCH_COLUMNS names columns Opinion no longer has: {unknown}")
        extra = [f for name, f in fields.items() if name not in BENCH_COLUMNS]
        self.extra_columns = [f.attname for f in extra]
        self.extra_values = tuple(f.get_default() for f in extra)
        self.columns = [*BENCH_COLUMNS, *self.extra_columns]

    # --- per county ---------------------------------------------------------------------------------------
    def add_county(self, b: CountyBuilder):
        county_units = dict(zip(b.spec.county_units, b.county_unit_ids, strict=False))
        started = time_.monotonic()
        for town in b.towns:
            start = round(self.towns_done * self.per_town)
            self.towns_done += 1
            n = round(self.towns_done * self.per_town) - start
            self._town(b, town, n, county_units)
        self.seconds["generate"] += time_.monotonic() - started
        if len(self.rows) >= 100_000:
            self.flush()

    def _units(self, town: Town, county_units: dict) -> dict[str, list[int]]:
        from .occupations import TOWN_UNITS

        own = {town.spec.name + suffix: uid for suffix, uid in zip(TOWN_UNITS, town.unit_ids, strict=False)}
        out = {}
        for topic in TOPICS:
            ids = [own.get(u.format(town=town.spec.name)) or county_units.get(u) for u in topic.units]
            out[topic.key] = [i for i in ids if i] or [town.unit_ids[0]]
        return out

    def _town(self, b: CountyBuilder, town: Town, n: int, county_units: dict):
        rng, w = self.rng, self.w
        rand, randint = rng.random, rng.randint
        D, DT, W, T, P = self.D, self.DT, self.W, self.T, self.P
        # Deadlines of the timed states, in working days ([local] settings: 3, 3, 15, 5).
        k_reg, k_acc, k_rep, k_vis = (_due_days(s) for s in ("registered", "accepted", "assigned", "replied"))
        W1, Wg, Wa, Wr, Wv = W[1], W[k_reg], W[k_acc], W[k_rep], W[k_vis]
        Pg, Pa, Pr, Pv = P[k_reg], P[k_acc], P[k_rep], P[k_vis]
        names_, phones = self.names, self.phones
        sources, topics, texts, replies, notes = (
            self.sources,
            self.topics,
            self.texts,
            self.replies,
            self.notes,
        )
        units = self._units(town, county_units)
        deputies = town.deputies
        takers = [d for d in deputies if d.level == DeputyLevel.COUNTY] or deputies
        villages = [v.node.id for v in town.villages]
        station = town.station_id
        county_id, town_id = town.node.county_id, town.node.id
        # Reception days: the held ones (with their rota, all present) and the next one.
        days = []
        for idx in self.held:
            rota = rng.sample(deputies, min(len(deputies), randint(3, 4)))
            days.append([w.reserve(ReceptionDay), idx, rota, 0])
        open_days = [d for d in days if T - d[1] <= DAYS]
        meetings = [rng.choice(self.workdays_in_year) for _ in range(2)]
        wd_year = self.workdays_in_year
        extra = self.extra_values
        rows = self.rows
        prev = None
        for _ in range(n):
            oid = self.next_id
            self.next_id += 1
            src = sources[int(rand() * 100)]
            topic = "enterprise" if src == "enterprise" else topics[int(rand() * len(topics))]
            title, content, company = texts[topic][int(rand() * 200)]
            region = villages[int(rand() * len(villages))]
            station_id = deputy_id = day_id = None
            if src == "reception" and open_days:
                day = open_days[int(rand() * len(open_days))]
                day[3] += 1
                day_id, r, station_id = day[0], day[1], station
                deputy_id = day[2][int(rand() * len(day[2]))].id
            elif src == "visit":
                r = T - int(rand() * (DAYS + 1))
                d = deputies[int(rand() * len(deputies))]
                deputy_id, station_id = d.id, d.station_id
                region = (d.grid or d.village.node).id
            elif src == "deliberation":
                r, station_id = meetings[int(rand() * 2)], station
            elif src == "online":
                r, station_id = T - int(rand() * (DAYS + 1)), station
            else:
                r = wd_year[int(rand() * len(wd_year))]
            if src == "enterprise":
                deputy_id = takers[int(rand() * len(takers))].id
            # Defaults: registered, nothing done yet.
            state, version, since, due, prov = "registered", 0, r, Wg[r], Pg[r]
            unit = assigned = replied = on_time = visited = closed = solved = merged = None
            reply = method = satisfaction = note = outcome = responsible = ""
            on_spot = False
            u = rand()
            a = W[(0, 1, 1, 2, 3)[int(rand() * 5)]][r]  # intake
            if u < NOT_ACCEPTED_SHARE:
                if a <= T:
                    state, version, since, due, prov = "not_accepted", 1, a, None, False
                    outcome = NOT_ACCEPTED_REASONS[int(rand() * len(NOT_ACCEPTED_REASONS))]
            elif u < NOT_ACCEPTED_SHARE + MERGED_SHARE and prev is not None:
                m = W1[r]
                if m <= T:
                    state, version, since, due, prov, merged = "merged", 1, m, None, False, prev
                    outcome = f"与 {bench_code(prev)} 合并办理"
            elif u < NOT_ACCEPTED_SHARE + MERGED_SHARE + CONVERTED_SHARE:
                if a <= T:
                    state, version, since, due, prov = "accepted", 1, a, Wa[a], Pa[a]
                    c = W[int(rand() * 4)][a]
                    if c <= T:
                        state, version, since, due, prov = "converted", 2, c, None, False
                        outcome = "转为代表建议"
            else:
                if rand() < ON_SPOT_SHARE.get(src, 0.0):
                    p, version, on_spot, on_time = r, 1, True, True
                    state, since, due, prov = "replied", r, Wv[r], Pv[r]
                    replied, reply = r, replies[topic][int(rand() * 30)]
                elif a > T:
                    p = None
                else:
                    state, version, since, due, prov = "accepted", 1, a, Wa[a], Pa[a]
                    s = W[(0, 0, 1, 1, 2)[int(rand() * 5)]][a]
                    p = None
                    if s <= T:
                        ids = units[topic]
                        unit = (
                            ids[0]
                            if rand() < 0.85 or len(ids) == 1
                            else ids[1 + int(rand() * (len(ids) - 1))]
                        )
                        responsible = names_[int(rand() * 1000)]
                        assigned = s
                        state, version, since, due, prov = "assigned", 2, s, Wr[s], Pr[s]
                        late = rand() < LATE_REPLY_SHARE
                        p = W[randint(16, 24) if late else randint(2, 13)][s]
                        stuck = Wr[s] < T and T - s < 150 and rand() < BENCH_STUCK_SHARE
                        if stuck or p > T:
                            p = None
                        else:
                            state, version, since, due, prov = "replied", 3, p, Wv[p], Pv[p]
                            replied, on_time, reply = p, p <= Wr[s], replies[topic][int(rand() * 30)]
                if p is not None:
                    v = W[randint(1, 5)][p]
                    if v <= T:
                        x = rand()
                        satisfaction = "dissatisfied" if x < 0.02 else "satisfied" if x < 0.8 else "basic"
                        solved = satisfaction != "dissatisfied" and rand() < 0.97
                        method = ("in_person", "phone", "written")[int(rand() * 3)]
                        note = notes[satisfaction != "dissatisfied"][int(rand() * 20)]
                        visited = v
                        state, version, since, due, prov = "visited", version + 1, v, None, False
                        c = W[randint(0, 3)][v]
                        if c <= T:
                            closed = c
                            state, version, since = "closed", version + 1, c
            rows.append(
                (
                    oid, county_id, town_id, state, version, DT[since], None if due is None else D[due], prov,
                    None, bench_code(oid), src, topic, title, content, region, D[r], station_id, deputy_id,
                    day_id, names_[int(rand() * 1000)], phones[int(rand() * 1000)], None,
                    company if src == "enterprise" else "", None, DT[r], unit, responsible,
                    None if assigned is None else D[assigned], reply, None if replied is None else D[replied],
                    on_time, on_spot, method, satisfaction, solved, note,
                    None if visited is None else D[visited], None if closed is None else D[closed], merged,
                    outcome, *extra,
                )
            )  # fmt: skip
            prev = oid
        for day_id, idx, rota, count in days:
            self._day(town, day_id, idx, rota, count + randint(5, 20))
        self._day(
            town, w.reserve(ReceptionDay), self.upcoming, rng.sample(deputies, min(3, len(deputies))), None
        )

    def _day(self, town: Town, day_id: int, idx: int, rota, voters):
        w, date_ = self.w, self.D[idx]
        recorded = voters is not None
        w.add(
            ReceptionDay,
            id=day_id,
            station_id=town.station_id,
            region_id=town.node.id,
            county_id=town.node.county_id,
            town_id=town.node.id,
            date=date_,
            hours="9:00-12:00",
            rota_published_at=self.DT[idx - 7],
            voters_received=voters or 0,
            notes=f"接待选民{voters}人。" if recorded else "",
            recorded_at=self.DT[idx] + timedelta(hours=6) if recorded else None,
            recorded_by_id=None,
        )
        for d in rota:
            w.add(ReceptionDay.rota.through, receptionday_id=day_id, deputy_id=d.id)
            if recorded:
                w.add(ReceptionDay.present.through, receptionday_id=day_id, deputy_id=d.id)

    # --- writing ------------------------------------------------------------------------------------------
    def flush(self):
        if not self.rows:
            return
        started = time_.monotonic()
        table = connection.ops.quote_name(Opinion._meta.db_table)
        columns = ", ".join(
            connection.ops.quote_name(Opinion._meta.get_field(c).column) for c in self.columns
        )
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                with cur.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                fields = [Opinion._meta.get_field(c) for c in self.columns]
                prep = [
                    (i, f)
                    for i, f in enumerate(fields)
                    if f.get_internal_type() in ("DateField", "DateTimeField")
                ]
                rows = []
                for row in self.rows:
                    row = list(row)
                    for i, f in prep:
                        if row[i] is not None:
                            row[i] = f.get_db_prep_save(row[i], connection)
                    rows.append(row)
                marks = ", ".join(["%s"] * len(fields))
                cur.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
        self.written += len(self.rows)
        self.rows = []
        self.seconds["copy"] += time_.monotonic() - started

    def finish(self) -> dict[str, int]:
        self.flush()
        if self.dropped is not None:
            started = time_.monotonic()
            self._restore_constraints()
            self.seconds["reindex"] += time_.monotonic() - started
        if connection.vendor == "postgresql" and self.written:
            with connection.cursor() as cur:
                for sql in connection.ops.sequence_reset_sql(no_style(), [Opinion]):
                    cur.execute(sql)
        return {Opinion._meta.label: self.written}


def _due_days(state: str) -> int:
    return WF.state(state).due.days()


# --- routing ------------------------------------------------------------------------------------------------


def routing_hit_rate_on_demo(county_code: str = "610921") -> dict:
    """How often the suggested unit (apps.opinions.similarity) is the unit that finally took the item, over
    the county's assigned items, leave-one-out: within each town, and over the whole county as one pool
    (what `selectors.suggested_units` reads). `as_shown` is the county pool as the page shows it: the first
    suggestion among units that may take the item (its town's units and the county's bureaus)."""
    from apps.opinions import similarity

    rows = list(
        Opinion.objects.filter(county__code=county_code, unit__isnull=False)
        .order_by("pk")
        .values_list("town_id", "town__name", "title", "content", "unit_id", "unit__town_id")
    )
    by_town: dict = {}
    for town_id, town_name, title, content, unit_id, _unit_town in rows:
        by_town.setdefault((town_id, town_name), []).append((f"{title} {content}", unit_id))
    towns = []
    hits = 0
    for (_town_id, name), items in sorted(by_town.items(), key=lambda kv: kv[0][1] or ""):
        rate, n = similarity.routing_hit_rate(items)
        towns.append({"town": name, "items": n, "hit_rate": round(rate, 3)})
        hits += round(rate * n)
    county_items = [(f"{title} {content}", unit_id) for _t, _n, title, content, unit_id, _u in rows]
    county_rate, _n = similarity.routing_hit_rate(county_items)
    return {
        "items": len(rows),
        "per_town": towns,
        "within_town": round(hits / len(rows), 3) if rows else 0.0,
        "county_pool": round(county_rate, 3),
        "county_pool_as_shown": round(_as_shown(rows), 3) if rows else 0.0,
        "county_pool_assignable_only": round(_as_shown(rows, before=True), 3) if rows else 0.0,
    }


def _as_shown(rows, *, before: bool = False) -> float:
    """Leave-one-out over the county pool, keeping only units the item's town may assign to: after ranking
    the top three (what `selectors.suggested_units` does), or, with `before`, among the neighbours that vote
    (a possible improvement: other towns' own units then never crowd out the right one)."""
    from apps.opinions import similarity

    index = similarity.Index((i, f"{r[2]} {r[3]}") for i, r in enumerate(rows))
    units = [r[4] for r in rows]
    unit_town = {r[4]: r[5] for r in rows}
    hits = 0
    for i, counts in enumerate(index.terms):
        town = rows[i][0]
        votes: dict = {}
        k = 40 if before else 10
        found = index.query_terms(counts, k=k, min_score=0.05, exclude=(i,))
        if before:
            found = [(p, sc) for p, sc in found if unit_town.get(units[p]) in (None, town)][:10]
        for position, score in found:
            votes[units[position]] = votes.get(units[position], 0.0) + score
        ranked = sorted(votes.items(), key=lambda kv: -kv[1])[:3]
        allowed = [u for u, _s in ranked if unit_town.get(u) in (None, town)]
        hits += bool(allowed) and allowed[0] == units[i]
    return hits / len(rows)
