"""The demo's year of opinions written: every planned item replayed through the opinion workflow.

Each transition is checked against OPINION_WORKFLOW and taken with the engine's own move
(`apps.workflow.moves.advance`: the workflow's `apply`, or its field-setting half where that reads the
database; the state's deadline; the diff), and each step gets the Step row the engine would write. Duty
records as `duty.services.append_platform_record` would append them. Rows go through `BulkWriter` (the
engine takes ~0.1 s per item with its audit event; 2,000 items and 12,000 steps here take ~2 s).
Deliberately not written: audit events of the replayed steps (the chain records real actions; the seed
writes one `demo.seeded` event) and notifications.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from django.utils import timezone

from apps.audit.services import _json_safe
from apps.duty.models import ActivityKind, DutyRecord, ReviewState, Source
from apps.opinions.models import Opinion, ReceptionDay
from apps.opinions.similarity import topic_key
from apps.opinions.workflow import clear_visit, record_assignment
from apps.workflow.effects import StepContext
from apps.workflow.inputs import parse
from apps.workflow.models import Step
from apps.workflow.moves import advance

from ..county import CountyBuilder, DeputyPlan, Town
from .planning import OpinionPlan
from .shape import (
    DEMO_OPINIONS,
    DEMO_SEED,
    PUBLIC,
    VOTERS_PER_TOWN,
    WF,
    DayPlan,
    Event,
    Item,
    _aware,
    _deadline,
    _due,
)


class DemoOpinions(OpinionPlan):
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
            topic_key=topic_key(it.topic, it.title),
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
        """The engine's own move (apps.workflow.moves.advance), its step kept for the bulk writer."""
        t = WF.transition(e.key)
        if item.state not in t.sources:
            raise AssertionError(f"{item.tracking_code}: {e.key} from {item.state}")
        apply = _APPLY.get(e.key)
        # the table's own step gets its input validated as the engine does; the field-setting halves get
        # the plan's values (ids already valid, a merge's target still a plan)
        data = parse(t.input, e.data).model_dump() if t.apply and not apply else e.data
        ctx = StepContext(item=item, actor=None, data=data, today=e.day, transition=t)
        move = advance(ctx, WF, at=at, apply=apply, deadline=_deadline, watched=watched)
        item.version += 1
        return dict(
            transition=t.key,
            from_state=move.from_state,
            to_state=t.target,
            actor_id=e.who.user_id,
            actor_label=e.who.label,
            at=at,
            reason=e.reason,
            summary=_json_safe(move.diff),
            on_time=move.on_time,
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
