"""Replaying planned suggestions through SUGGESTION_WORKFLOW, CO-HANDLING and MOTION workflows, in memory.

Each transition is checked against the workflow and its guards and taken with the engine's own move
(`apps.workflow.moves.advance`: the workflow's `apply`, or its field-setting half where that reads the
database: register's number, merge, assign; the states' deadlines; the diff), and each step gets the Step
row the engine writes. What the services do beside the engine is done as they do it: co-signers' answers
(`respond`: CO_SIGNATURE duty record, source the suggestion), the SUGGESTION duty record on submit (the
lead, source the suggestion) and on register (every signer, source the register Step), CoHandling items
created at assignment and their own steps, the consultation (面商) recorded before every reply, each
signer's Feedback with the system's conclusion (`rules.conclusion`: re-handle on any "dissatisfied", track
B and C, close A and D) as a step of its own, key supervision with visits, publication. Not written, as in
the opinions: audit events of the replayed steps and notifications.
"""

from __future__ import annotations

from apps.audit.services import _json_safe
from apps.duty.models import ActivityKind, DutyRecord, ReviewState, Source
from apps.suggestions.models import (
    CoHandling,
    ConsultMethod,
    Feedback,
    Signature,
    SignatureStatus,
    Suggestion,
    SupervisionVisit,
)
from apps.suggestions.rules import conclusion
from apps.workflow.effects import StepContext
from apps.workflow.inputs import parse
from apps.workflow.models import Step
from apps.workflow.moves import advance

from .. import suggestion_texts as texts
from ..county import DeputyPlan
from .planning import SuggestionPlanner
from .shape import CWF, SYSTEM, WF, Ev, Plan


class SuggestionRunner(SuggestionPlanner):
    """Plans and replays suggestions of the towns given; subclasses say who is who and what is written."""

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
            self._move(WF, item, k, e, data)
            # as suggestions/workflow.py: the lead's record on the first submit (none for a motion turned
            # into a suggestion), the co-signers' on confirming (above); registering adds none
            if k == "submit" and not submitted_once and p.motion is None:
                self._duty(p.lead, ActivityKind.SUGGESTION, e, f"提出建议：{p.title}", Suggestion, p.id)
            submitted_once = submitted_once or k == "submit"
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
        apply = _APPLY.get((wf.key, key))
        # the table's own step gets its input validated as the engine does; the field-setting halves get
        # the plan's values (ids already valid, a merge's target still a plan)
        if t.apply and not apply:
            data = parse(t.input, {**data, "reason": e.reason}).model_dump()
        ctx = StepContext(item=item, actor=None, data=data, today=e.day, transition=t)
        watched = self.watched[model] if self.steps else []
        move = advance(ctx, wf, at=e.at, apply=apply, deadline=self._deadline(wf), watched=watched)
        item.version += 1
        if not self.steps:
            return None
        return self._step(
            model, item.id, key, move.from_state, t.target, e, move.diff, move.on_time, item.due_date
        )

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
