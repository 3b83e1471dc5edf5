"""Planning a suggestion: who raises it and signs it, what becomes of it, and on which days.

Single or joint (2-6 co-signers who confirmed), by deputies of the town congress, texts from
`suggestion_texts`, lead units from the topics' units of `opinion_texts` and co-handling units for about
20%. Dates follow the calendar: the presidium office reviews within days of the session, assigns at one
meeting, units reply within the 3 months (some late), deputies rate within the 20 working days, B items
are mostly solved by their planned date, C items seldom; steps after today are not taken.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from apps.accounts.models import Role
from apps.calendar.services import add_working_days
from apps.common import conf
from apps.places.models import Region
from apps.suggestions.models import (
    CoHandling,
    Motion,
    Period,
    Suggestion,
)
from apps.suggestions.rules import conclusion
from apps.workflow.models import Step

from .. import suggestion_texts as texts
from ..bulk import BulkWriter
from ..county import DeputyPlan, Town
from ..opinion_texts import pick_topic
from ..opinions import Who, _aware, _office_day, _working_days_before
from .shape import (
    BETWEEN_SHARE,
    CATEGORY_WEIGHTS,
    COHANDLING_SHARE,
    CONSULT_WEIGHTS,
    DECLINE_SHARE,
    DISSATISFIED,
    HANDLING,
    JOINT_SHARE,
    KEY_SHARE,
    LATE_SHARE,
    OUTCOMES,
    PAPER_SHARE,
    RESULT,
    SOLVED_LATER,
    SYSTEM,
    UNPUBLISHED_SHARE,
    UPGRADE,
    USUAL_UNIT_SHARE,
    WF,
    Ev,
    Plan,
    TownCtx,
    _pick,
    session_day,
    session_year,
)


class SuggestionPlanner:
    """Plans suggestions of the towns given; `SuggestionRunner` replays them."""

    steps = True  # Step and DutyRecord rows (the demo); the bench writes the items and their rows only

    def __init__(self, w: BulkWriter, rng: random.Random, *, today: date, people):
        self.w, self.rng, self.today, self.people = w, rng, today, people
        end_of_day = _aware(today, 23 * 60 + 59)
        self.now = min(timezone.now(), end_of_day) if today == timezone.localdate() else end_of_day
        self.year = session_year(today)
        self.counts: Counter = Counter()
        self.users: dict = {}
        self.unit_names: dict[int, str] = {}
        self.unit_people: dict[int, str] = {}
        self.heads: dict[int, str] = {}
        self.doc_counters: Counter = Counter()
        self.dues: dict = {}
        self.ct = {m: ContentType.objects.get_for_model(m).pk for m in (Suggestion, CoHandling, Motion, Step)}
        self.watched = {
            m: [f.attname for f in m._meta.concrete_fields] for m in (Suggestion, CoHandling, Motion)
        }

    # --- who is who -------------------------------------------------------------------------------------
    def deputy(self, d: DeputyPlan) -> Who:
        return self.users.get((Role.DEPUTY, d.id)) or Who(d.name)

    def unit_staff(self, unit_id: int) -> Who:
        return self.users.get((Role.UNIT_STAFF, unit_id)) or Who(
            self.unit_people.get(unit_id) or self.unit_names.get(unit_id, "")
        )

    def head(self, unit_id: int) -> str:
        if unit_id not in self.heads:
            self.heads[unit_id] = self.people.name(self.rng, "M" if self.rng.random() < 0.75 else "F")
        return self.heads[unit_id]

    def _due(self, wf, state: str, day: date):
        key = (wf.key, state, day)
        if key not in self.dues:
            due = wf.state(state).due
            if due is None:
                self.dues[key] = (None, False)
            else:
                d = due.resolve(day)
                self.dues[key] = (d.due, bool(d.provisional))
        return self.dues[key]

    def _deadline(self, wf):
        """The engine's deadline of a state, cached per day (a seeded county has no township overrides)."""
        return lambda state, day, item: self._due(wf, state, day)

    # --- towns ------------------------------------------------------------------------------------------
    def town_ctx(self, town: Town, index: int, county_name: str, units: dict, all_units, generic, office):
        opening = session_day(self.year, index)
        end = add_working_days(opening, 1)
        return TownCtx(
            town=town,
            county_name=county_name,
            office=office,
            deputies=[d for d in town.deputies if d.town_mandate] or town.deputies,
            presidium=[d for d in town.deputies if d.is_presidium] or town.deputies[:5],
            units=units,
            all_units=all_units,
            generic=generic,
            session=opening,
            session_end=end,
            assign_day=add_working_days(end, self.rng.randint(6, 10)),
            label=texts.session_label(county_name, town.node.name, self.year),
        )

    def new_plan(self, ctx: TownCtx, *, period=None, lead=None, topic=None, created=None, joint=None) -> Plan:
        rng = self.rng
        period = period or (Period.BETWEEN if rng.random() < BETWEEN_SHARE else Period.SESSION)
        lead = lead or rng.choice(ctx.deputies)
        topic = topic or pick_topic(rng)
        if created is None:
            if period == Period.SESSION:
                created = ctx.session if rng.random() < 0.7 else ctx.session_end
            else:
                first = ctx.session_end + timedelta(days=20)
                created = first + timedelta(days=rng.randint(0, max(0, (self.today - first).days)))
        co: list[DeputyPlan] = []
        accepts = {}
        if joint is None:
            joint = rng.random() < JOINT_SHARE
        if joint:
            others = [d for d in ctx.deputies if d is not lead]
            co = rng.sample(others, min(len(others), rng.randint(2, 6)))
            accepts = dict.fromkeys(co, True)
            if rng.random() < DECLINE_SHARE and len(others) > len(co):
                extra = rng.choice([d for d in others if d not in co])
                co.append(extra)
                accepts[extra] = False
        village = rng.choice(ctx.town.villages).node.name
        title, content = texts.suggestion_text(rng, topic, ctx.name, village)
        ids = ctx.units.get(topic) or ctx.all_units[:1]
        unit = ids[0] if len(ids) == 1 or rng.random() < USUAL_UNIT_SHARE else rng.choice(ids[1:])
        co_units: list[int] = []
        if rng.random() < COHANDLING_SHARE:
            pool = [u for u in dict.fromkeys(ids + ctx.generic) if u != unit]
            co_units = rng.sample(pool, min(len(pool), rng.choice((1, 1, 2))))
        return Plan(
            ctx=ctx,
            lead=lead,
            co=co,
            accepts=accepts,
            period=period,
            topic=topic,
            title=title,
            content=content,
            created=created,
            unit=unit,
            co_units=co_units,
            responsible=self.people.name(rng, "M" if rng.random() < 0.7 else "F"),
            key_member=None,
            unpublish=rng.random() < UNPUBLISHED_SHARE,
            paper=period == Period.SESSION and rng.random() < PAPER_SHARE,
        )

    def outcomes(self, plans: list[Plan], *, minimum: bool):
        """Review outcomes and troubles, drawn among the plain session items (and a key tenth)."""
        rng = self.rng
        pool = [p for p in plans if p.period == Period.SESSION and not p.force and not p.motion]
        rng.shuffle(pool)
        for outcome, (share, least) in OUTCOMES.items():
            n = round(share * len(plans))
            if minimum:
                n = max(n, least)
            elif rng.random() < share * len(plans) - n:
                n += 1
            for p in pool[:n]:
                p.outcome = outcome
            pool = pool[n:]
        for p in plans:
            if p.outcome == "merged":
                targets = [
                    t
                    for t in plans
                    if t.ctx is p.ctx and t.outcome == "normal" and t.period == Period.SESSION and not t.force
                ]
                if not targets:
                    p.outcome = "normal"
                    continue
                same = [t for t in targets if t.topic == p.topic] or targets
                target = rng.choice(same)
                p.merge_into, p.topic, p.title = target, target.topic, target.title
                p.content = texts.merged_text(rng, target.content)
                target.merged_from.append(p)
        # Reply categories dealt from a deck in the shares of CATEGORY_WEIGHTS (re-handling may raise some).
        early = ("draft", "submitted", "registered", "returned_now")  # never replied
        open_ = [
            p
            for p in plans
            if "category" not in p.opts
            and p.outcome in ("normal", "send_back", "returned")
            and p.force not in early
        ]
        total = sum(CATEGORY_WEIGHTS.values())
        quota = {k: len(open_) * wt / total for k, wt in CATEGORY_WEIGHTS.items()}
        counts = {k: int(q) for k, q in quota.items()}
        for k in sorted(quota, key=lambda k: counts[k] - quota[k])[: len(open_) - sum(counts.values())]:
            counts[k] += 1
        deck = [k for k, n in counts.items() for _ in range(n)]
        rng.shuffle(deck)
        for p, category in zip(open_, deck, strict=True):
            p.opts = {**p.opts, "category": category}
        for p in plans:
            if p.outcome in ("normal", "stuck", "send_back", "returned") and not p.force:
                if rng.random() < KEY_SHARE * (1.4 if p.period == Period.SESSION else 0.4):
                    members = [d for d in p.ctx.presidium if d not in p.signers()] or p.ctx.presidium
                    p.key_member = rng.choice(members)

    # --- planning ---------------------------------------------------------------------------------------
    def plan(self, p: Plan) -> list[Ev]:
        rng, ctx, o = self.rng, p.ctx, p.opts
        office = ctx.office
        lead = self.deputy(p.lead)
        ev: list[Ev] = []
        c = p.created
        if p.motion is not None:
            at = next(e.at for e in p.motion.events if e.key == "to_suggestion")
            ev.append(Ev("create", c, office, at=at + timedelta(seconds=1)))
            ev.append(Ev("submit", c, SYSTEM, reason="议案转为建议", at=at + timedelta(seconds=2)))
            submitted = c
        else:
            paper = p.period == Period.SESSION and not p.force and p.paper
            creator = office if paper else o.get("creator", lead)
            ev.append(Ev("create", c, creator, at=o.get("created_at")))
            last = c + timedelta(days=o.get("draft_days", 0))
            for d in p.co:
                if d not in p.accepts:
                    continue  # still invited
                lag = 0 if p.period == Period.SESSION else rng.choice((0, 0, 1, 2))
                day = c + timedelta(days=lag)
                ev.append(Ev("cosign", day, self.deputy(d), {"deputy": d, "accept": p.accepts[d]}))
                last = max(last, day)
            if o.get("no_submit"):
                return ev
            submitted = last if p.period == Period.SESSION else last + timedelta(days=rng.choice((0, 0, 1)))
            ev.append(Ev("submit", submitted, office if paper else lead))
        if o.get("stop") == "submit":
            return ev
        # Review by the presidium office (within the 10 working days).
        if p.period == Period.SESSION:
            r = _office_day(max(ctx.session_end, submitted), rng.randint(1, 3))
        else:
            r = _office_day(submitted, o.get("review_lag", rng.randint(1, 6)))
        if p.outcome == "declined":
            reason = rng.choice(texts.DECLINE_REASONS)
            ev.append(Ev("decline", r, office, {"reason": reason}, reason))
            return ev
        if p.outcome == "merged":
            target_register = next(e.day for e in p.merge_into.events if e.key == "register")
            ev.append(Ev("merge", _office_day(max(r, target_register), 1), office, {"into": p.merge_into}))
            return ev
        if p.outcome in ("returned", "returned_now"):
            reason = rng.choice(texts.RETURN_REASONS)
            ev.append(Ev("return", r, office, {"reason": reason}, reason))
            if p.outcome == "returned_now":
                return ev
            again = _office_day(r, rng.randint(2, 6))
            ev.append(Ev("submit", again, lead))
            r = _office_day(again, rng.randint(1, 3))
        ev.append(Ev("register", r, office))
        if p.key_member is not None:
            ev.append(Ev("mark_key", r, office, {"member": p.key_member}))
        if o.get("stop") == "register":
            return ev
        # Assignment (交办): session items at the town's assignment meeting.
        if "assign_day" in o:
            s = o["assign_day"]
        elif p.period == Period.SESSION:
            s = max(ctx.assign_day, _office_day(r, 1))
        else:
            s = _office_day(r, rng.randint(1, 4))
        if p.outcome == "send_back":
            wrong = rng.choice([u for u in ctx.all_units if u != p.unit and u not in p.co_units])
            ev.append(Ev("assign", s, office, {"unit": wrong, "co_units": [], "responsible_person": ""}))
            back = _office_day(s, rng.randint(2, 6))
            reason = rng.choice(texts.SEND_BACK_REASONS)
            ev.append(Ev("send_back", back, self.unit_staff(wrong), {"reason": reason}, reason))
            s = _office_day(back, rng.randint(1, 3))
        data = {"unit": p.unit, "co_units": p.co_units, "responsible_person": p.responsible}
        ev.append(Ev("assign", s, office, data))
        staff = self.unit_staff(p.unit)
        if o.get("stop") == "assign":
            return ev
        due = self._due(WF, "assigned", s)[0]
        if "extend_after" in o:
            reason = rng.choice(texts.EXTENSION_REASONS)
            ev.append(Ev("extend", _office_day(s, o["extend_after"]), office, {"reason": reason}, reason))
        start, category = s, ""
        for rnd in (1, 2):
            if rnd == 1 and "reply_day" in o:
                reply = o["reply_day"]
            elif rnd == 1 and (o.get("late") or (p.outcome == "normal" and rng.random() < LATE_SHARE)):
                reply = _office_day(due, rng.randint(3, 20))
            elif rnd == 1:
                reply = min(_office_day(start, rng.randint(12, 50)), due)
            else:
                reply = min(_office_day(start, rng.randint(6, 18)), self._due(WF, "rehandling", start)[0])
            first = _office_day(start, 1)
            consult = max(first, _working_days_before(reply, rng.randint(1, 12)))
            method = "visit" if rnd == 2 and rng.random() < 0.6 else _pick(rng, CONSULT_WEIGHTS)
            if "consult_day" in o and rnd == 1:
                consult = o["consult_day"]
            ev.append(Ev("consult", min(consult, reply), staff, {"method": method}))
            if rnd == 1:
                for u in p.co_units:
                    day = max(first, min(_office_day(s, rng.randint(5, 20)), _working_days_before(reply, 1)))
                    if o.get("co_late"):
                        day = self.today + timedelta(days=7)
                    ev.append(Ev("co_input", day, self.unit_staff(u), {"unit": u}))
                if p.key_member is not None:
                    span = max(1, (reply - s).days)
                    for _ in range(rng.randint(1, 3)):
                        day = s + timedelta(days=rng.randint(min(10, span), span))
                        ev.append(Ev("visit", day, office, {"member": p.key_member}))
            if (rnd == 1 and o.get("stop") == "consult") or p.outcome == "stuck":
                return ev
            if rnd == 1:
                category = o.get("category") or _pick(rng, CATEGORY_WEIGHTS)
            else:
                category = _pick(rng, UPGRADE[category])
            planned_by = None
            if category == "B":
                planned_by = reply + timedelta(days=o.get("planned_in", rng.randint(30, 240)))
            ev.append(
                Ev("reply", reply, staff, {"category": category, "planned_by": planned_by, "round": rnd})
            )
            if p.unpublish and rnd == 1:
                ev.append(Ev("unpublish", reply, office))
            # Every signer rates; a "dissatisfied" one is the last (the engine moves on at once).
            signers = p.signers()
            order = signers[:]
            rng.shuffle(order)
            unhappy = None
            if rnd == 1 and o.get("dissatisfied", rng.random() < DISSATISFIED[category]):
                unhappy = p.lead if rng.random() < 0.7 or len(order) == 1 else rng.choice(order)
                order.remove(unhappy)
                order.append(unhappy)
            days = sorted(_office_day(reply, rng.randint(1, 12)) for _ in order)
            if o.get("lead_late"):  # the others have rated, the lead has not yet
                order.remove(p.lead)
                order.append(p.lead)
                days = [_office_day(reply, 1 + i % 2) for i in range(len(order) - 1)]
                days.append(self.today + timedelta(days=5))
            ratings: list[tuple[str, str]] = []
            nxt = None
            for d, day in zip(order, days, strict=True):
                handling, result = self._rating(category, d is unhappy)
                ratings.append((handling, result))
                comment = texts.feedback_comment(rng, result)
                data = {"deputy": d, "handling": handling, "result": result, "comment": comment, "round": rnd}
                ev.append(Ev("rate", day, self.deputy(d), data))
                nxt = conclusion(ratings, category, len(signers))
                if nxt:
                    ev.append(Ev(nxt, day, SYSTEM, reason=f"代表反馈：{len(ratings)}人评价"))
                    break
            if nxt == "rehandle" and o.get("stop") != "rehandle":
                start = day
                continue
            if nxt == "track" and not o.get("unsolved") and rng.random() < SOLVED_LATER[category]:
                if category == "B":
                    when = planned_by + timedelta(days=rng.randint(-30, 25))
                else:
                    when = day + timedelta(days=rng.randint(60, 250))
                when = _office_day(max(when, day + timedelta(days=7)), 0)
                ev.append(Ev("solved", when, staff, {"reply_text": texts.solved_text(rng, when)}))
            break
        return ev

    def _rating(self, category: str, unhappy: bool) -> tuple[str, str]:
        rng = self.rng
        if unhappy:
            return _pick(rng, {"basic": 50, "dissatisfied": 35, "satisfied": 15}), "dissatisfied"
        return _pick(rng, HANDLING), _pick(rng, RESULT[category])

    def finish_plan(self, p: Plan):
        """Steps in order of day (insertion order within a day), none after today, times of day."""
        events = sorted(p.events, key=lambda e: e.day)
        p.events = [e for e in events if e.day <= self.today]
        self._times(p.events)

    def _times(self, events: list[Ev]):
        """Office hours; later steps of a day after earlier ones; system steps a second after what caused
        them; nothing after now."""
        rng = self.rng
        prev = None
        for i, e in enumerate(events):
            if e.at is None:
                if prev is not None and e.who is SYSTEM:
                    e.at = prev + timedelta(seconds=1)
                elif prev is not None and timezone.localtime(prev).date() == e.day:
                    at = min(prev + timedelta(minutes=rng.randint(3, 90)), _aware(e.day, 23 * 60 + 58))
                    e.at = max(at, prev + timedelta(seconds=1))
                else:
                    e.at = _aware(e.day, 8 * 60 + 30 + rng.randint(0, 9 * 60))
            elif prev is not None and e.at <= prev:
                e.at = prev + timedelta(seconds=1)
            prev = e.at
            events[i] = e
        if events and events[-1].at > self.now:
            midnight = _aware(self.today, 0)
            todays = [e for e in events if e.day == self.today]
            span = (self.now - midnight) / (len(todays) + 1)
            for k, e in enumerate(todays, start=1):
                e.at = midnight + span * k

    def number(self, plans: list[Plan]):
        """立案号 of the town in order of registration: 城关建〔year〕N号 (the default format), running per
        town and year."""
        regs = sorted(
            ((e.at, p, e) for p in plans for e in p.events if e.key == "register"), key=lambda x: x[0]
        )
        seen: Counter = Counter()
        for _at, p, e in regs:
            seen[e.day.year] += 1
            short, fmt = Region(name=p.ctx.town.node.name).short, conf.get("SUGGESTION_NUMBER_FORMAT")
            p.number = e.data["number"] = conf.format_number(
                fmt, short=short, year=e.day.year, n=seen[e.day.year]
            )
