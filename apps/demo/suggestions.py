"""The last session's deputies' suggestions and motions (代表建议, 议案; DOMAIN §4) for the demo county, and
suggestions at benchmark scale.

Demo (`seed_demo_suggestions`, called by seed_demo after the opinions): 212 suggestions in the ten towns
(Hanyin's count), shared out by the towns' deputies. Each town held its yearly session (第十八届人民代表大会
第五次会议) on a working day of January; about 80% of the suggestions were raised there (大会期间), the rest
between sessions (闭会期间, 直通车) over the months since; a third of the session ones were handed in on paper
and entered and submitted by the town office. Single or joint (2-6 co-signers who confirmed), by
deputies of the town congress, texts from `suggestion_texts`, lead units from the topics' units of
`opinion_texts` and co-handling units for about 20%. The opinions the demo turned into suggestions
(state "converted", apps/demo/opinions.py) are drafts in their deputy's name from the moment of the
conversion, linked to them, as apps.opinions.services does; the deputy submits them within days.

Every suggestion is replayed through SUGGESTION_WORKFLOW here, in memory, as apps/demo/opinions.py does:
each transition is checked against the workflow and its guards, its field changes are those of the
workflow's own `apply` functions (exact copies where those read the database: register's number, merge,
assign), deadlines come from the states' `Due` through the calendar, and each step gets the Step row the
engine writes. What the services do beside the engine is done as they do it: co-signers' answers
(`respond`: CO_SIGNATURE duty record, source the suggestion), the SUGGESTION duty record on submit (the lead,
source the suggestion) and on register (every signer, source the register Step), CoHandling items created
at assignment and their own steps, the consultation (面商) recorded before every reply, each signer's
Feedback with the system's conclusion (`rules.conclusion`: re-handle on any "dissatisfied", track B and C,
close A and D) as a step of its own, key supervision with visits, publication. Dates follow the calendar:
the presidium office reviews within days of the session, assigns at one meeting, units reply within the
3 months (some late), deputies rate within the 20 working days, B items are mostly solved by their planned
date, C items seldom; steps after today are not taken. Three motions in the county seat: one by the
presidium and one by six deputies put on the agenda, one by five deputies turned into a suggestion.
Not written, as in the opinions: audit events of the replayed steps and notifications.

Bench (`BenchSuggestions`, called by seed_bench): the same planning and replay for every town of a
benchmark set (25 suggestions per town: 30,000 on the province), with signatures, co-handling parts and
feedback, written with COPY; no Step or duty rows, motions or opinion links at that scale.
"""

from __future__ import annotations

import random
import time as time_
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from apps.accounts.models import Role, RoleGrant
from apps.audit.services import _json_safe
from apps.calendar.services import add_working_days, is_workday
from apps.duty.models import ActivityKind, DutyRecord, ReviewState, Source
from apps.opinions.models import Opinion
from apps.places.models import HandlingUnit
from apps.suggestions.models import (
    CoHandling,
    ConsultMethod,
    Feedback,
    Motion,
    Period,
    Signature,
    SignatureStatus,
    Suggestion,
    SupervisionVisit,
)
from apps.suggestions.rules import conclusion
from apps.suggestions.workflow import COHANDLING_WORKFLOW, MOTION_WORKFLOW, SUGGESTION_WORKFLOW
from apps.workflow.effects import SetDue, StepContext
from apps.workflow.inputs import parse
from apps.workflow.models import Step

from . import suggestion_texts as texts
from .bulk import BulkWriter
from .county import CountyBuilder, DeputyPlan, Town
from .opinion_texts import TOPICS, pick_topic
from .opinions import Who, _aware, _office_day, _working_days_before

WF, CWF, MWF = SUGGESTION_WORKFLOW, COHANDLING_WORKFLOW, MOTION_WORKFLOW
SYSTEM = Who("系统")  # what the engine writes as the actor of a system step
# Parents first: BulkWriter writes tables in this order.
DEMO_MODELS = [
    Suggestion,
    Motion,
    Signature,
    CoHandling,
    Feedback,
    SupervisionVisit,
    Suggestion.opinions.through,
    Step,
    DutyRecord,
]
BENCH_MODELS = [Suggestion, Signature, CoHandling, Feedback, SupervisionVisit]

DEMO_TOTAL = 212  # Hanyin: 212 suggestions in 10 towns in a session year
BENCH_PER_TOWN = 25
DEMO_SEED = "2018-suggestions"

# --- the shape ----------------------------------------------------------------------------------------------
BETWEEN_SHARE = 0.2  # raised between sessions (直通车)
JOINT_SHARE = 0.4  # joint suggestions: 2-6 co-signers
DECLINE_SHARE = 0.06  # of joint: one invited deputy declines (not a signer)
CATEGORY_WEIGHTS = {"A": 45, "B": 35, "C": 15, "D": 5}  # of replies
# Round 2 after re-handling: the unit does more (C often becomes B, B sometimes A).
UPGRADE = {"A": {"A": 1}, "B": {"B": 6, "A": 4}, "C": {"C": 6, "B": 4}, "D": {"D": 5, "C": 3, "B": 2}}
DISSATISFIED = {"A": 0.02, "B": 0.07, "C": 0.2, "D": 0.3}  # round 1: one signer rates "dissatisfied"
SOLVED_LATER = {"B": 0.85, "C": 0.3}  # tracked items replied to again as solved (when the day has come)
LATE_SHARE = 0.06  # replied after the 3 months
COHANDLING_SHARE = 0.2
KEY_SHARE = 0.1  # key suggestions (重点督办)
UNPUBLISHED_SHARE = 0.05
USUAL_UNIT_SHARE = 0.75
PAPER_SHARE = 0.3  # of session items: handed in on paper, entered and submitted by the town office
# Of a county's suggestions (at least the minimum in the demo county): outcomes at review and after.
OUTCOMES = {
    "declined": (0.02, 3),
    "merged": (0.02, 3),
    "returned": (0.01, 2),  # returned for revision, then submitted again and registered
    "send_back": (0.01, 1),  # sent back by a unit as not its business, then assigned again
    "stuck": (0.012, 2),  # still with the unit long after the 3 months (overdue)
}
CONSULT_WEIGHTS = {"meeting": 25, "visit": 35, "phone": 33, "other": 4, "none": 3}
HANDLING = {"satisfied": 78, "basic": 19, "no_opinion": 3}
RESULT = {
    "A": {"satisfied": 72, "basic": 25, "no_opinion": 3},
    "B": {"satisfied": 50, "basic": 45, "no_opinion": 5},
    "C": {"satisfied": 30, "basic": 60, "no_opinion": 10},
    "D": {"satisfied": 25, "basic": 60, "no_opinion": 15},
}
GENERIC_CO_UNITS = ("县财政局", "县发改局")  # money and projects: the usual co-handlers


def _pick(rng: random.Random, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def session_day(year: int, index: int) -> date:
    """The town's session: the (3 + index % 10)-th working day of January."""
    d = date(year, 1, 1)
    n = 3 + index % 10
    while True:
        if is_workday(d):
            n -= 1
            if n == 0:
                return d
        d += timedelta(days=1)


def session_year(today: date) -> int:
    """The last session: January of this year once March has come, else last January's."""
    return today.year if today.month >= 3 else today.year - 1


@dataclass(eq=False)
class TownCtx:
    town: Town
    county_name: str
    office: Who
    deputies: list[DeputyPlan]  # of the town congress: who raises and signs suggestions
    presidium: list[DeputyPlan]
    units: dict[str, list[int]]  # topic -> unit ids, the usual one first
    all_units: list[int]
    generic: list[int]  # co-handlers of any topic (finance, development)
    session: date
    session_end: date
    assign_day: date
    label: str

    @property
    def name(self) -> str:
        return self.town.node.name


@dataclass(eq=False)
class Ev:
    key: str  # a transition of the workflow, "create", or a service's write (cosign, consult, rate ...)
    day: date
    who: Who
    data: dict = field(default_factory=dict)
    reason: str = ""
    at: datetime | None = None


@dataclass(eq=False)
class MotionPlan:
    ctx: TownCtx
    kind: str  # presidium, agenda, to_suggestion
    title: str
    content: str
    lead: DeputyPlan | None
    co: list[DeputyPlan]
    events: list[Ev] = field(default_factory=list)
    id: int = 0
    suggestion: Plan | None = None


@dataclass(eq=False)
class Plan:
    ctx: TownCtx
    lead: DeputyPlan
    co: list[DeputyPlan]  # invited co-signers
    accepts: dict  # co-signer -> True (confirmed) / False (declined); absent: still invited
    period: str
    topic: str
    title: str
    content: str
    created: date
    unit: int
    co_units: list[int]
    responsible: str
    opinions: list[int] = field(default_factory=list)
    outcome: str = "normal"
    force: str = ""
    opts: dict = field(default_factory=dict)
    merge_into: Plan | None = None
    merged_from: list[Plan] = field(default_factory=list)
    key_member: DeputyPlan | None = None
    unpublish: bool = False
    paper: bool = False
    motion: MotionPlan | None = None
    events: list[Ev] = field(default_factory=list)
    id: int = 0
    number: str = ""
    session_label: str | None = None  # None: the town's session

    def signers(self) -> list[DeputyPlan]:
        """Suggestion.signers(): confirmed signatures, and those of the suggestions merged into it."""
        out: list[DeputyPlan] = []
        for p in (self, *self.merged_from):
            for d in (p.lead, *(d for d in p.co if p.accepts.get(d))):
                if d not in out:
                    out.append(d)
        return out


class SuggestionRunner:
    """Plans and replays suggestions of the towns given; subclasses say who is who and what is written."""

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
        """立案号 of the town in order of registration: 建字〔year〕N号, running per town and year."""
        regs = sorted(
            ((e.at, p, e) for p in plans for e in p.events if e.key == "register"), key=lambda x: x[0]
        )
        seen: Counter = Counter()
        for _at, p, e in regs:
            seen[e.day.year] += 1
            p.number = e.data["number"] = f"建字〔{e.day.year}〕{seen[e.day.year]}号"

    # --- replay -----------------------------------------------------------------------------------------
    def write_town(self, plans: list[Plan]):
        for p in plans:
            p.id = self.w.reserve(Suggestion)
        # Targets of a merge first, so that merged items are planned after them.
        for p in sorted(plans, key=lambda p: p.outcome == "merged"):
            p.events = self.plan(p)
            self.finish_plan(p)
        self.number(plans)
        for p in plans:
            self.replay(p)

    def replay(self, p: Plan):
        rng, w = self.rng, self.w
        ctx, town = p.ctx, p.ctx.town.node
        first = p.events[0]
        item = Suggestion(
            id=p.id,
            county_id=town.county_id,
            town_id=town.id,
            region_id=town.id,
            state=WF.initial,
            version=0,
            state_since=first.at,
            due_date=None,
            due_provisional=False,
            escalated_at=None,
            title=p.title,
            content=p.content,
            topic=p.topic,
            period=p.period,
            session_label=ctx.label if p.session_label is None else p.session_label,
            lead_id=p.lead.id,
            created_at=first.at,
            submitted_on=first.day if p.motion else None,
            publish=True,
        )
        item.due_date, item.due_provisional = self._due(WF, WF.initial, first.day)
        self._step(Suggestion, item.id, "create", "", item.state, first, {}, None, item.due_date)
        status = {}  # co-signer -> SignatureStatus and time
        sigs_lead_at = first.at
        if p.motion is not None:
            motion_at = {e.data["deputy"]: e.at for e in p.motion.events if e.key == "cosign"}
            lead_at = next(e.at for e in p.motion.events if e.key == "create")
            sigs_lead_at = lead_at
            for d in p.co:
                status[d] = (SignatureStatus.CONFIRMED, motion_at.get(d))
        ratings: dict[int, list] = {}
        parts: dict[int, CoHandling] = {}
        submitted_once = False
        pending = None  # what the ratings so far make the engine do at once
        watched = self.watched[Suggestion]
        for e in p.events[1:]:
            k = e.key
            if k == "cosign":
                d = e.data["deputy"]
                status[d] = (
                    SignatureStatus.CONFIRMED if e.data["accept"] else SignatureStatus.DECLINED,
                    e.at,
                )
                if e.data["accept"]:
                    self._duty(d, ActivityKind.CO_SIGNATURE, e, f"联名：{p.title}", Suggestion, p.id)
                continue
            if k == "consult":
                if item.state not in ("assigned", "rehandling"):
                    raise AssertionError(f"{p.id}: consultation in state {item.state}")
                method = e.data["method"]
                item.consult_method = method
                item.consult_on = None if method == ConsultMethod.NONE else e.day
                item.consult_note = texts.consult_note(
                    rng, method, p.lead.name, self.unit_names.get(item.unit_id, "")
                )
                continue
            if k == "mark_key":
                item.is_key, item.key_member_id = True, e.data["member"].id
                continue
            if k == "visit":
                note = texts.supervision_note(
                    rng, e.data["member"].name, self.unit_names.get(item.unit_id, "")
                )
                w.add(
                    SupervisionVisit, suggestion_id=p.id, date=e.day, note=note, recorded_by_id=e.who.user_id
                )
                self.counts["visits"] += 1
                continue
            if k == "unpublish":
                item.publish = False
                continue
            if k == "co_input":
                part = parts[e.data["unit"]]
                text = texts.cohandling_input(rng, self.unit_names.get(part.unit_id, ""))
                self._move(CWF, part, "submit_input", e, {"input_text": text})
                continue
            if k == "rate":
                if item.state != "replied":
                    raise AssertionError(f"{p.id}: rated in state {item.state}")
                d = e.data["deputy"]
                w.add(
                    Feedback,
                    suggestion_id=p.id,
                    deputy_id=d.id,
                    round=item.rounds,
                    handling=e.data["handling"],
                    result=e.data["result"],
                    comment=e.data["comment"],
                    at=e.at,
                )
                got = ratings.setdefault(item.rounds, [])
                got.append((e.data["handling"], e.data["result"]))
                pending = conclusion(got, item.category, len(p.signers()))
                continue
            # A transition of the workflow.
            concluded = k in ("track", "close", "rehandle") and e.who is SYSTEM
            if pending != (k if concluded else None):
                raise AssertionError(f"{p.id}: the ratings conclude {pending}, the plan takes {k}")
            pending = None
            data = dict(e.data)
            data.setdefault("reason", e.reason)
            if k == "submit":
                invited = [d for d in p.co if d not in status]
                if invited:
                    raise AssertionError(f"{p.id}: submitted while co-signers are invited")
            if k == "reply":
                data.update(self._reply_data(p, item, e))
            step_id = self._move(WF, item, k, e, data)
            if k == "submit" and not submitted_once and p.motion is None:
                self._duty(p.lead, ActivityKind.SUGGESTION, e, f"提出建议：{p.title}", Suggestion, p.id)
            submitted_once = submitted_once or k == "submit"
            if k == "register":
                for d in self._signers_now(p, status):
                    self._duty(d, ActivityKind.SUGGESTION, e, f"建议立案：{item.number}", Step, step_id)
            if k == "assign":
                for u in e.data["co_units"]:
                    parts[u] = self._cohandling(p, u, e)
        # Signatures as they stand.
        w.add(
            Signature,
            suggestion_id=p.id,
            motion_id=None,
            deputy_id=p.lead.id,
            is_lead=True,
            status=SignatureStatus.CONFIRMED,
            responded_at=sigs_lead_at,
        )
        for d in p.co:
            st, at = status.get(d, (SignatureStatus.INVITED, None))
            w.add(
                Signature,
                suggestion_id=p.id,
                motion_id=None,
                deputy_id=d.id,
                is_lead=False,
                status=st,
                responded_at=at,
            )
        for pk in p.opinions:
            w.add(Suggestion.opinions.through, suggestion_id=p.id, opinion_id=pk)
        for part in parts.values():
            w.add(CoHandling, **{f: getattr(part, f) for f in self.watched[CoHandling]})
        w.add(Suggestion, **{f: getattr(item, f) for f in watched})
        self.counts[f"state:{item.state}"] += 1
        self.counts["suggestions"] += 1
        if item.category:
            self.counts[f"category:{item.category}"] += 1

    def _signers_now(self, p: Plan, status: dict) -> list[DeputyPlan]:
        # Merges into an item come after its registration here, so its signers are its own.
        return [p.lead] + [d for d in p.co if status.get(d, ("",))[0] == SignatureStatus.CONFIRMED]

    def _reply_data(self, p: Plan, item: Suggestion, e: Ev) -> dict:
        unit = item.unit_id
        name = self.unit_names.get(unit, "")
        parts = texts.reply_parts(
            self.rng,
            topic=p.topic,
            category=e.data["category"],
            title=p.title,
            number=item.number,
            deputy=p.lead.name,
            unit=name,
            day=e.day,
            planned_by=e.data["planned_by"],
            again=e.data["round"] > 1,
        )
        key = (unit, e.day.year)
        self.doc_counters[key] += 1
        prefix = texts.doc_prefix(name, p.ctx.name, p.ctx.county_name)
        return {
            **parts,
            "category": e.data["category"],
            "planned_by": e.data["planned_by"],
            "doc_number": f"{prefix}〔{e.day.year}〕{self.doc_counters[key]}号",
            "signer": self.head(unit),
        }

    def _cohandling(self, p: Plan, unit: int, e: Ev) -> CoHandling:
        """engine.create_tracked(CoHandling, actor=the office, fields={suggestion, unit}) on assignment."""
        part = CoHandling(
            id=self.w.reserve(CoHandling),
            suggestion_id=p.id,
            unit_id=unit,
            input_text="",
            input_on=None,
            state=CWF.initial,
            version=0,
            state_since=e.at,
            escalated_at=None,
        )
        part.due_date, part.due_provisional = self._due(CWF, CWF.initial, e.day)
        self._step(CoHandling, part.id, "create", "", part.state, e, {}, None, part.due_date, reason="")
        self.counts["cohandlings"] += 1
        return part

    def _move(self, wf, item, key: str, e: Ev, data: dict) -> int | None:
        """What apps.workflow.services._move does to the item, and the Step it writes."""
        t = wf.transition(key)
        if t is None or item.state not in t.sources:
            raise AssertionError(f"{type(item).__name__} {item.id}: {key} from {item.state}")
        if t.reason_required and not e.reason:
            raise AssertionError(f"{item.id}: {key} needs a reason")
        guard = None if (wf.key, key) in _DB_GUARDS else t.guard
        if guard is not None:
            objection = guard(item, None, e.day)
            if objection:
                raise AssertionError(f"{item.id}: {key}: {objection}")
        model = type(item)
        watched = self.watched[model]
        from_state, old_due = item.state, item.due_date
        before = {f: getattr(item, f) for f in watched} if self.steps else None
        apply = _APPLY.get((wf.key, key))
        if apply:
            apply(item, data, None, e.day)
        elif t.apply:  # the table's own step, with its input validated as the engine does
            t.apply(item, parse(t.input, {**data, "reason": e.reason}).model_dump(), None, e.day)
        item.state = t.target
        item.state_since = e.at
        item.due_date, item.due_provisional = self._due(wf, t.target, e.day)
        for effect in t.effects:  # the effects that change the item itself (an extension's deadline)
            if isinstance(effect, SetDue):
                effect.before_save(StepContext(item=item, actor=None, data=data, today=e.day, transition=t))
        item.escalated_at = None
        item.version += 1
        if not self.steps:
            return None
        diff = {
            f: [before[f], getattr(item, f)]
            for f in watched
            if before[f] != getattr(item, f) and f not in ("version", "state_since")
        }
        on_time = None if old_due is None else e.day <= old_due
        return self._step(model, item.id, key, from_state, t.target, e, diff, on_time, item.due_date)

    def _step(self, model, object_id, key, from_state, to_state, e: Ev, summary, on_time, due, reason=None):
        self.counts["steps"] += 1
        if not self.steps:
            return None
        return self.w.add(
            Step,
            content_type_id=self.ct[model],
            object_id=object_id,
            transition=key,
            from_state=from_state,
            to_state=to_state,
            actor_id=e.who.user_id,
            actor_label=e.who.label,
            at=e.at,
            reason=e.reason if reason is None else reason,
            summary=_json_safe(summary),
            on_time=on_time,
            due_date=due,
        )

    def _duty(self, d: DeputyPlan, kind: str, e: Ev, title: str, source_model, source_id):
        """What duty.services.append_platform_record writes (once per deputy, kind and source)."""
        if not self.steps:
            return
        key = (d.id, kind, source_model, source_id)
        if key in self.duty_seen:
            return
        self.duty_seen.add(key)
        self.w.add(
            DutyRecord,
            deputy_id=d.id,
            county_id=self.county_id,
            town_id=d.village.node.town_id,
            kind=kind,
            date=e.day,
            title=title[:200],
            detail="",
            place="",
            source=Source.PLATFORM,
            review_state=ReviewState.APPROVED,
            review_reason="",
            reviewed_by_id=None,
            source_type_id=self.ct[source_model],
            source_id=str(source_id),
            created_by_id=None,
            created_at=e.at,
        )
        self.counts["duty_records"] += 1

    duty_seen: set
    county_id: int = 0


# Guards that read the database are checked here on the plan (submit: nobody still invited; motions: five
# confirmed signers); the others are the workflow's own.
_DB_GUARDS = {("suggestion", "submit"), ("motion", "submit")}


# The workflow's apply functions that read the database, as their field-setting halves.
def _register(item, data, actor, today):
    item.number = data["number"]


def _merge(item, data, actor, today):
    target = data["into"]  # a Plan of the same town, registered before
    item.merged_into_id = target.id
    item.outcome_note = f"并入 {target.number or target.title} 一并办理"


def _assign(item, data, actor, today):
    item.unit_id = data["unit"]
    item.responsible_person = str(data.get("responsible_person") or "").strip()[:50]
    item.assigned_on = today


_APPLY = {
    ("suggestion", "register"): _register,
    ("suggestion", "merge"): _merge,
    ("suggestion", "assign"): _assign,
}


# --- the demo county ----------------------------------------------------------------------------------------


class DemoSuggestions(SuggestionRunner):
    def __init__(self, builder: CountyBuilder, *, rng: random.Random, today: date, total: int = DEMO_TOTAL):
        super().__init__(BulkWriter(DEMO_MODELS), rng, today=today, people=builder.people)
        self.b = builder
        self.total = total
        self.duty_seen = set()
        self.county_id = builder.county.id

    def _load(self):
        county_id = self.b.county.id
        grants = RoleGrant.objects.filter(
            role__in=[Role.TOWN_OFFICE, Role.DEPUTY, Role.UNIT_STAFF]
        ).select_related("user")
        for g in grants:
            target = g.region_id or g.deputy_id or g.unit_id
            self.users[(g.role, target)] = Who(g.user.display_name or g.user.username, g.user_id)
        units = HandlingUnit.objects.filter(county_id=county_id).values_list(
            "pk", "name", "town_id", "contact_person"
        )
        by_name = {}
        for pk, name, town_id, person in units:
            self.unit_names[pk] = name
            self.unit_people[pk] = person
            by_name[(town_id, name)] = pk
        self.by_name = by_name
        from .logins import demo_deputy

        self.demo_deputy = demo_deputy(self.b)
        seat = self.b.towns[0]
        self.demo_unit = next(
            (u for u in seat.unit_ids if (Role.UNIT_STAFF, u) in self.users), seat.unit_ids[0]
        )
        self.deputies = {d.id: d for t in self.b.towns for d in t.deputies}

    def _ctx(self, town: Town, index: int) -> TownCtx:
        tid = town.node.id
        units = {}
        for topic in TOPICS:
            ids = []
            for template in topic.units:
                name = template.format(town=town.node.name)
                pk = self.by_name.get((tid, name)) or self.by_name.get((None, name))
                if pk and pk not in ids:
                    ids.append(pk)
            units[topic.key] = ids or [town.unit_ids[0]]
        generic = [self.by_name[(None, n)] for n in GENERIC_CO_UNITS if (None, n) in self.by_name]
        all_units = sorted({*town.unit_ids, *self.b.county_unit_ids})
        office = self.users.get((Role.TOWN_OFFICE, tid)) or Who(f"{town.node.name}人大办")
        return self.town_ctx(town, index, self.b.spec.name, units, all_units, generic, office)

    def run(self) -> dict:
        started = time_.monotonic()
        self._load()
        towns = self.b.towns
        weights = [len(t.deputies) for t in towns]
        shares = [self.total * wt / sum(weights) for wt in weights]
        counts = [int(s) for s in shares]
        for i in sorted(range(len(towns)), key=lambda i: counts[i] - shares[i])[: self.total - sum(counts)]:
            counts[i] += 1
        ctxs = [self._ctx(t, i) for i, t in enumerate(towns)]
        by_town: dict = {}
        converted = self._converted(ctxs)
        motions = self._motions(ctxs[0])
        for ctx, n in zip(ctxs, counts, strict=True):
            plans = [p for p in converted if p.ctx is ctx]
            if ctx is ctxs[0]:
                plans += self._showcase(ctx)
                plans += [m.suggestion for m in motions if m.suggestion is not None]
            plans += [self.new_plan(ctx) for _ in range(max(0, n - len(plans)))]
            by_town[ctx] = plans
        everything = [p for plans in by_town.values() for p in plans]
        self._cover(ctxs, everything)
        self.outcomes(everything, minimum=True)
        for plans in by_town.values():
            self.write_town(plans)
        for m in motions:  # after their suggestion has its id
            m.id = self.w.reserve(Motion)
            self._replay_motion(m)
        written = self.w.finish()
        out = {
            "suggestions": written[Suggestion._meta.label],
            "suggestion_steps": self.counts["steps"],
            "suggestion_signatures": written[Signature._meta.label],
            "suggestion_feedback": written[Feedback._meta.label],
            "suggestion_cohandlings": written[CoHandling._meta.label],
            "suggestion_visits": written[SupervisionVisit._meta.label],
            "suggestion_duty_records": written[DutyRecord._meta.label],
            "suggestion_opinion_links": written[Suggestion.opinions.through._meta.label],
            "motions": written[Motion._meta.label],
        }
        out.update(self.summary())
        self.seconds = time_.monotonic() - started
        return out

    def summary(self) -> dict:
        states = [s.key for s in WF.states]
        c = self.counts
        replied = sum(c[f"category:{k}"] for k in "ABCD")
        motions = [s.key for s in MWF.states]
        return {
            "motions_by_state": ", ".join(f"{k} {c['motion:' + k]}" for k in motions if c["motion:" + k]),
            "suggestions_by_state": ", ".join(f"{k} {c['state:' + k]}" for k in states if c["state:" + k]),
            "suggestion_categories": ", ".join(
                f"{k} {c['category:' + k]} ({100 * c['category:' + k] / max(1, replied):.0f}%)"
                for k in "ABCD"
            ),
        }

    # --- the opinions turned into suggestions ----------------------------------------------------------
    def _converted(self, ctxs: list[TownCtx]) -> list[Plan]:
        """apps.opinions.services.act(key="convert") drafts a suggestion at once, in the name of the deputy
        converting it, or the one named, or the one who received the opinion; linked to the opinion. The
        deputy finishes and submits it within days (the latest may still be drafts)."""
        by_town = {ctx.town.node.id: ctx for ctx in ctxs}
        rows = (
            Opinion.objects.filter(county_id=self.b.county.id, state="converted")
            .order_by("pk")
            .values_list("pk", "town_id", "deputy_id", "topic", "title", "content")
        )
        ct = ContentType.objects.get_for_model(Opinion)
        steps = {
            s.object_id: s
            for s in Step.objects.filter(content_type=ct, transition="convert").only(
                "object_id", "actor_id", "actor_label", "at"
            )
        }
        out = []
        for pk, town_id, deputy_id, topic, title, content in rows:
            ctx, step = by_town.get(town_id), steps.get(pk)
            if ctx is None or step is None:
                continue
            lead = self.deputies.get(deputy_id) or ctx.town.deputies[0]
            day = timezone.localtime(step.at).date()
            p = self.new_plan(ctx, period=Period.BETWEEN, lead=lead, topic=topic, created=day, joint=False)
            p.title, p.content, p.opinions = title[:100], content[:6000], [pk]
            p.session_label = ""  # create_draft is given none
            p.force = "converted"
            p.opts = {
                "creator": Who(step.actor_label, step.actor_id),
                "created_at": step.at + timedelta(seconds=1),
                "draft_days": self.rng.randint(1, 10),
            }
            out.append(p)
        return out

    # --- what the demo logins find ---------------------------------------------------------------------
    def _showcase(self, ctx: TownCtx) -> list[Plan]:
        """The deputy login leads or co-signs suggestions in several states, one replied and awaiting his
        rating; the unit login's unit leads several, one awaiting its reply with no consultation yet."""
        rng, today = self.rng, self.today
        me, unit = self.demo_deputy, self.demo_unit
        if me not in ctx.deputies:
            return []
        others = [d for d in ctx.deputies if d is not me]
        gov_topics = [t.key for t in TOPICS if any(u.startswith("{town}人民政府") for u in t.units)]
        between = Period.BETWEEN

        def plan(force, *, lead=me, co_me=False, mine=True, period=between, created=None, topic=None, **opts):
            p = self.new_plan(
                ctx,
                period=period,
                lead=lead,
                topic=topic or rng.choice(gov_topics if mine else [t.key for t in TOPICS]),
                created=created,
                joint=True,
            )
            if co_me and me not in p.co:
                p.co[0] = me
                p.accepts = {d: True for d in p.co}
            if mine:
                p.unit = unit
                p.co_units = [u for u in p.co_units if u != unit]
            p.force, p.opts = force, opts
            p.unpublish = False
            return p

        def ago(n):
            return _working_days_before(today, n)

        out = [
            # The deputy's own: a draft with a co-signer still to answer, one awaiting his rating, a closed
            # A, a tracked B.
            plan("draft", created=today, mine=False, no_submit=True),
            plan("replied", created=ago(50), review_lag=2, assign_day=ago(44), reply_day=ago(3),
                 consult_day=ago(8), category="B", dissatisfied=False, lead_late=True, planned_in=120),
            plan("closed", period=Period.SESSION, category="A", dissatisfied=False),
            plan("tracking", period=Period.SESSION, mine=False, category="B", dissatisfied=False,
                 unsolved=True, planned_in=330),
            # Co-signed by him.
            plan("awaiting", lead=rng.choice(others), co_me=True, created=ago(14), review_lag=2,
                 assign_day=ago(9), stop="assign"),
            plan("rehandling", lead=rng.choice(others), co_me=True, created=ago(60), review_lag=2,
                 assign_day=ago(52), reply_day=ago(18), consult_day=ago(22), category="C", dissatisfied=True,
                 stop="rehandle"),
            plan("closed", lead=rng.choice(others), co_me=True, period=Period.SESSION, mine=False),
            # The unit's: overdue since spring, consulted and about to reply, the one extended, a co-handling
            # part it still owes.
            plan("overdue", lead=rng.choice(others), period=Period.SESSION, stop="consult"),
            plan("consulted", lead=rng.choice(others), created=ago(40), review_lag=2, assign_day=ago(35),
                 consult_day=ago(2), stop="consult"),
            plan("extended", lead=rng.choice(others), created=ago(80), review_lag=2, assign_day=ago(74),
                 extend_after=50, consult_day=ago(10), stop="consult"),
            plan("closed", lead=rng.choice(others), period=Period.SESSION, category="A"),
        ]  # fmt: skip
        part = plan("cohandling", lead=rng.choice(others), mine=False, created=ago(12), review_lag=1,
                    assign_day=ago(8), co_late=True, stop="consult", consult_day=ago(2))  # fmt: skip
        part.unit = next(u for u in ctx.units[part.topic] + ctx.all_units if u != unit)
        part.co_units = [unit]
        out.append(part)
        for p in out:
            if p.force == "draft":
                p.accepts = {p.co[0]: True}  # the others are still invited
        return out

    def _cover(self, ctxs: list[TownCtx], plans: list[Plan]):
        """A few items in each early state in the county, whatever the dates: drafts, submitted, registered,
        returned; recent between-session items of other towns are made so."""
        rng, today = self.rng, self.today
        wanted = [
            ("draft", 3),
            ("submitted", 2),
            ("registered", 2),
            ("returned_now", 1),
            ("replied", 2),
            ("rehandling", 1),
        ]
        pool = [p for p in plans if p.period == Period.BETWEEN and not p.force]
        rng.shuffle(pool)
        pool.sort(key=lambda p: p.ctx is ctxs[0])  # other towns first: the seat has its showcase
        for force, n in wanted:
            for p in pool[:n]:
                p.force = force
                if force == "draft":
                    p.created = today - timedelta(days=rng.randint(0, 4))
                    p.opts = {"no_submit": True}
                    if p.co:
                        p.accepts = {d: True for d in p.co[: len(p.co) // 2]}
                elif force == "submitted":
                    p.created = _working_days_before(today, 4)
                    p.opts = {"stop": "submit"}
                elif force == "registered":
                    p.created = _working_days_before(today, 5)
                    p.opts = {"review_lag": 2, "stop": "register"}
                elif force == "returned_now":
                    p.created = _working_days_before(today, 6)
                    p.outcome = "returned_now"
                    p.opts = {"review_lag": 2}
                elif force == "replied":  # replied days ago, some signers have not rated yet
                    p.created = _working_days_before(today, 45)
                    p.opts = {
                        "review_lag": 2,
                        "reply_day": _working_days_before(today, rng.randint(1, 4)),
                        "dissatisfied": False,
                        "lead_late": True,
                    }
                else:  # a signer was dissatisfied: handled again within the month
                    p.created = _working_days_before(today, 60)
                    p.opts = {
                        "review_lag": 2,
                        "reply_day": _working_days_before(today, 20),
                        "category": rng.choice("BC"),
                        "dissatisfied": True,
                        "stop": "rehandle",
                    }
            pool = pool[n:]

    # --- motions ---------------------------------------------------------------------------------------
    def _motions(self, ctx: TownCtx) -> list[MotionPlan]:
        rng = self.rng
        office = ctx.office
        day1, day2 = ctx.session, ctx.session_end
        pool = [d for d in ctx.deputies if d is not self.demo_deputy]
        out = []
        for kind, signers in (("presidium", 0), ("agenda", 6), ("to_suggestion", 5)):
            title, content = texts.MOTIONS[kind]
            chosen = rng.sample(pool, signers) if signers else []
            lead = chosen[0] if chosen else None
            m = MotionPlan(ctx, kind, title, content, lead, chosen[1:])
            who = office if lead is None else self.deputy(lead)
            ev = [Ev("create", day1, who)]
            ev += [Ev("cosign", day1, self.deputy(d), {"deputy": d, "accept": True}) for d in m.co]
            ev.append(Ev("submit", day1, who))
            if kind == "to_suggestion":
                reason = texts.MOTION_TO_SUGGESTION_REASON
                ev.append(Ev("to_suggestion", day2, office, {"reason": reason}, reason))
            else:
                ev.append(Ev("put_on_agenda", day2, office, {"reason": texts.MOTION_AGENDA_REASON},
                             texts.MOTION_AGENDA_REASON))  # fmt: skip
            self._times(ev)
            m.events = ev
            if kind == "to_suggestion":
                p = self.new_plan(ctx, period=Period.SESSION, lead=lead, topic="agriculture", created=day2)
                p.co, p.accepts = m.co, dict.fromkeys(m.co, True)
                p.title, p.content, p.motion = title, content, m
                p.force = "motion"
                m.suggestion = p
            out.append(m)
        return out

    def _replay_motion(self, m: MotionPlan):
        w, town = self.w, m.ctx.town.node
        first = m.events[0]
        item = Motion(
            id=m.id,
            county_id=town.county_id,
            town_id=town.id,
            region_id=town.id,
            state=MWF.initial,
            version=0,
            state_since=first.at,
            due_date=None,
            due_provisional=False,
            escalated_at=None,
            title=m.title,
            content=m.content,
            session_label=m.ctx.label,
            by_presidium=m.lead is None,
            lead_id=m.lead.id if m.lead else None,
            created_at=first.at,
            decision_note="",
            suggestion_id=None,
        )
        self._step(Motion, m.id, "create", "", item.state, first, {}, None, None)
        confirmed = 1 if m.lead else 0
        for e in m.events[1:]:
            if e.key == "cosign":
                confirmed += 1
                self._duty(e.data["deputy"], ActivityKind.CO_SIGNATURE, e, f"联名：{m.title}", Motion, m.id)
                continue
            if e.key == "submit" and not item.by_presidium and confirmed < 5:
                raise AssertionError("a deputies' motion needs five confirmed signers")
            self._move(MWF, item, e.key, e, {**e.data, "reason": e.reason})
            if e.key == "submit" and m.lead:
                self._duty(m.lead, ActivityKind.MOTION, e, f"提出议案：{m.title}", Motion, m.id)
            if e.key == "to_suggestion":
                item.suggestion_id = m.suggestion.id
        if m.lead:
            w.add(
                Signature,
                suggestion_id=None,
                motion_id=m.id,
                deputy_id=m.lead.id,
                is_lead=True,
                status=SignatureStatus.CONFIRMED,
                responded_at=first.at,
            )
        for e in m.events:
            if e.key == "cosign":
                w.add(
                    Signature,
                    suggestion_id=None,
                    motion_id=m.id,
                    deputy_id=e.data["deputy"].id,
                    is_lead=False,
                    status=SignatureStatus.CONFIRMED,
                    responded_at=e.at,
                )
        w.add(Motion, **{f: getattr(item, f) for f in self.watched[Motion]})
        self.counts[f"motion:{item.state}"] += 1


def seed_demo_suggestions(
    builder: CountyBuilder, *, today: date | None = None, total: int = DEMO_TOTAL
) -> dict:
    """The last session's suggestions, three motions, their steps, signatures, feedback and duty records for
    the county `builder` has written (after its opinions and logins)."""
    today = today or timezone.localdate()
    runner = DemoSuggestions(builder, rng=random.Random(DEMO_SEED), today=today, total=total)
    return runner.run()


# --- benchmark scale ----------------------------------------------------------------------------------------


class BenchSuggestions(SuggestionRunner):
    """Suggestions of every town of a benchmark set: the demo's planning and replay, without Step and duty
    rows (about ten steps per suggestion), motions or opinion links; rows written with COPY."""

    steps = False

    def __init__(self, rng: random.Random, *, per_town: float, people, today: date | None = None):
        super().__init__(BulkWriter(BENCH_MODELS), rng, today=today or timezone.localdate(), people=people)
        self.per_town = per_town
        self.towns_done = 0
        self.duty_seen = set()
        self.seconds = 0.0

    def add_county(self, b: CountyBuilder):
        from .occupations import TOWN_UNITS

        started = time_.monotonic()
        county_units = dict(zip(b.spec.county_units, b.county_unit_ids, strict=False))
        for name, pk in county_units.items():
            self.unit_names[pk] = name
        generic = [county_units[n] for n in GENERIC_CO_UNITS if n in county_units]
        plans = []
        ctxs = []
        for index, town in enumerate(b.towns):
            own = {town.spec.name + s: pk for s, pk in zip(TOWN_UNITS, town.unit_ids, strict=False)}
            for name, pk in own.items():
                self.unit_names[pk] = name
            units = {}
            for topic in TOPICS:
                ids = [own.get(u.format(town=town.spec.name)) or county_units.get(u) for u in topic.units]
                units[topic.key] = [i for i in dict.fromkeys(ids) if i] or [town.unit_ids[0]]
            all_units = [*town.unit_ids, *b.county_unit_ids]
            ctx = self.town_ctx(
                town, index, b.spec.name, units, all_units, generic, Who(f"{town.spec.name}人大办")
            )
            ctxs.append(ctx)
            start = round(self.towns_done * self.per_town)
            self.towns_done += 1
            n = round(self.towns_done * self.per_town) - start
            plans += [self.new_plan(ctx) for _ in range(n)]
        self.outcomes(plans, minimum=False)
        for ctx in ctxs:
            self.write_town([p for p in plans if p.ctx is ctx])
        self.seconds += time_.monotonic() - started

    def finish(self) -> dict[str, int]:
        started = time_.monotonic()
        written = self.w.finish()
        self.seconds += time_.monotonic() - started
        return {k: v for k, v in written.items() if v}
