"""The step's change to the item itself, in memory: the one place that says what taking a transition does
to an item's fields.

`advance` applies the transition's field changes, enters the target state with its deadline and runs the
effects that still change the item (`before_save`). It writes nothing: the engine (`services.transition`)
calls it between its checks and its writes, and the demo calls it to replay a year of history into bulk
rows without a query per step. Both get the same fields, the same deadline and the same diff.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from .effects import StepContext
from .machine import Workflow

# (state, start day, item) → (due date or None, provisional)
Deadline = Callable[[str, date, object], tuple[date | None, bool]]


@dataclass(frozen=True)
class Move:
    from_state: str
    to_state: str
    on_time: bool | None  # taken by the deadline of the state it leaves (None: that state had none)
    diff: dict  # field → [before, after], the step's summary


def state_deadline(wf: Workflow) -> Deadline:
    """The deadline of entering a state: the state's `Due`, by the [local] rules of where the item is."""

    def due(state: str, start: date, item) -> tuple[date | None, bool]:
        rule = wf.state(state).due
        if rule is None:
            return None, False
        if rule.field:
            return getattr(item, rule.field), False
        d = rule.resolve(start, item.rules_place())
        return d.due, bool(d.provisional)

    return due


def advance(
    ctx: StepContext,
    wf: Workflow,
    *,
    at: datetime,
    apply: Callable | None = None,
    deadline: Deadline | None = None,
    watched: list[str] | None = None,
) -> Move:
    """Take `ctx.transition` on `ctx.item` in memory.

    `apply` replaces the transition's own apply (the demo's field-setting halves of the applies that look
    rows up), `deadline` the state's deadline (the demo's cached one), `watched` the fields whose change
    the diff reports (all concrete fields by default; an empty list: no diff)."""
    item, t, today = ctx.item, ctx.transition, ctx.today
    if watched is None:
        watched = [f.attname for f in item._meta.concrete_fields]
    before = {f: getattr(item, f) for f in watched}
    from_state, old_due = item.state, item.due_date
    apply = apply or t.apply
    if apply:
        apply(item, ctx.data, ctx.actor, today)
    item.state = t.target
    item.state_since = at
    item.due_date, item.due_provisional = (deadline or state_deadline(wf))(t.target, today, item)
    item.escalated_at = None
    for effect in t.effects:
        done = effect.before_save(ctx)
        if done is not None:
            ctx.results[effect.name] = done
    diff = {
        f: [before[f], getattr(item, f)]
        for f in watched
        if before[f] != getattr(item, f) and f not in ("version", "state_since")
    }
    on_time = None if old_due is None else today <= old_due
    return Move(from_state=from_state, to_state=t.target, on_time=on_time, diff=diff)
