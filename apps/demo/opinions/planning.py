"""The demo's plan of a year of opinions, before anything is written.

Each town gets 150-250 opinions received over the last 365 days, each in a village of the town, with the
town's station or a deputy of the town, texts and handling units from `opinion_texts`. Dates follow the
calendar: intake within 3 working days, assignment within 2 more, replies mostly within the 15 working
days, return visit and close-out soon after; steps planned after today are not taken, so old items are
closed and recent ones are open. About 3% of assigned items stay with their unit past the deadline.
Reception days: the last 12 monthly days of each town station (plus the next, rota published).
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from apps.accounts.models import Role, RoleGrant
from apps.calendar.services import add_working_days, is_workday
from apps.common import conf
from apps.opinions.models import CODE_ALPHABET, Opinion, ReceptionDay
from apps.opinions.rules import reception_dates
from apps.people.models import DeputyLevel
from apps.places.models import HandlingUnit, Station
from apps.workflow.models import Step

from .. import names
from ..bulk import BulkWriter
from ..county import CountyBuilder, DeputyPlan, Town
from ..opinion_texts import opinion_text, pick_topic, reply_text, unit_for, visit_note
from .shape import (
    _COMPANY,
    CONVERTED_SHARE,
    DAYS,
    DEMO_MODELS,
    DISSATISFIED_SHARE,
    FORCED,
    FORCED_LAGS,
    LATE_REPLY_SHARE,
    MERGED_SHARE,
    NOT_ACCEPTED_REASONS,
    NOT_ACCEPTED_SHARE,
    ON_SPOT_SHARE,
    ONLINE_REASON,
    OVERDUE_SHARE,
    PUBLIC,
    RECEPTION_DAYS,
    REDO_REASON,
    REDO_SHARE,
    WF,
    DayPlan,
    Event,
    Item,
    Who,
    _aware,
    _due,
    _office_day,
    _source_pool,
    _units_named,
    _working_days_before,
)


class OpinionPlan:
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
