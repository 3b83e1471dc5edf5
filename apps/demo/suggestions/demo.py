"""The demo county's suggestions (`seed_demo_suggestions`, called by seed_demo after the opinions): 212
suggestions in the ten towns (Hanyin's count), shared out by the towns' deputies. The opinions the demo
turned into suggestions (state "converted") are drafts in their deputy's name from the moment of the
conversion, linked to them, as apps.opinions.services does; the deputy submits them within days. Three
motions in the county seat: one by the presidium and one by six deputies put on the agenda, one by five
deputies turned into a suggestion.
"""

from __future__ import annotations

import random
import time as time_
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from apps.accounts.models import Role, RoleGrant
from apps.duty.models import ActivityKind, DutyRecord
from apps.opinions.models import Opinion
from apps.places.models import HandlingUnit
from apps.suggestions.models import (
    CoHandling,
    Feedback,
    Motion,
    Period,
    Signature,
    SignatureStatus,
    Suggestion,
    SupervisionVisit,
)
from apps.workflow.models import Step

from .. import suggestion_texts as texts
from ..bulk import BulkWriter
from ..county import CountyBuilder, Town
from ..opinion_texts import TOPICS
from ..opinions import Who, _working_days_before
from .replay import SuggestionRunner
from .shape import (
    DEMO_MODELS,
    DEMO_SEED,
    DEMO_TOTAL,
    GENERIC_CO_UNITS,
    MWF,
    WF,
    Ev,
    MotionPlan,
    Plan,
    TownCtx,
)

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
        from ..logins import demo_deputy

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
