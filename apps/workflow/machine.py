"""The workflow vocabulary: states, transitions and deadlines, declared as data beside each tracked model.

An app that tracks items (opinions, suggestions, rectifications ...) writes a `workflow.py` holding one
`Workflow`, and its model says `workflow = THAT_WORKFLOW`. The engine (`apps.workflow.services`) is the only
code that moves an item between states, so every rule about who may do what, and by when, is read here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from apps.accounts.permissions import OFFICES, SYSTEM, Capability

from .effects import Notify
from .inputs import ActionIn
from .registry import WORKFLOWS

__all__ = ["OFFICES", "SYSTEM", "Due", "State", "Transition", "Workflow"]


@dataclass(frozen=True)
class Due:
    """How long an item may stay in a state: working days (fixed, or a [local] RENDA setting) or months."""

    setting: str | None = None
    working_days: int | None = None
    months: int | None = None
    months_setting: str | None = None
    # The item's own date field (a fixed date the office set, as a resolution task's target date).
    field: str | None = None

    def days(self, place=None) -> int | None:
        """The working days; a [local] setting is read where the item is (`place`: its town, region ...)."""
        if self.setting:
            from apps.localrules.selectors import local_value

            return int(local_value(self.setting, place))
        return self.working_days

    def resolve(self, start: date, place=None):
        from apps.calendar.services import deadline

        if self.months_setting:
            from apps.localrules.selectors import local_value

            return deadline(start, months=int(local_value(self.months_setting, place)))
        if self.months is not None:
            return deadline(start, months=self.months)
        return deadline(start, working_days=self.days(place))


@dataclass(frozen=True)
class State:
    key: str
    label: str
    due: Due | None = None
    # Who is expected to act while the item is here: reminders and escalations go to that audience.
    responsible: str = "office"
    final: bool = False


@dataclass(frozen=True)
class Transition:
    """One row of an item kind's table: everything about one step, nothing about it elsewhere.

    - `permission`: a capability of the one vocabulary (apps.accounts.permissions), held *over the item*;
      None for a step only the platform takes (`system=True`).
    - `input`: the step's schema (API body, HTML form, OpenAPI), validated by the engine.
    - `guard(item, actor, today)`: why the step cannot be taken now (a message), or None.
    - `who(item, actor)`: narrows the permission to particular people (the lead deputy submits); False is a
      refusal, recorded like any other; it may carry `.q(actor, model)`, the same test as a row filter
      (None: every row), which lists (the to-do list) ask once instead of once per row.
    - `apply(item, data, actor, today)`: the item's own field changes, from the validated input.
    - `effects`: declared consequences the engine runs in the same transaction (effects.py).
    - `choices`: providers `(item, actor) -> [(value, label)]` for the input's select fields.
    - `system`: the platform may take this step by itself (after the last rating, at a deadline).
    - `waits`: the source states in which the step is someone's to-do (None: all of them; () never: a
      correction one may make but nobody waits for, such as withdrawing a commitment).
    - `waits_for`: who the to-do list names when narrower than `who` (a rejected record waits for its
      deputy, though the office may also revise it); a `who`, with `.q` for the list's query.
    """

    key: str
    label: str
    sources: tuple[str, ...]
    target: str
    permission: Capability | None
    input: type = ActionIn
    guard: Callable | None = None
    who: Callable | None = None
    apply: Callable | None = None
    effects: tuple = ()
    choices: dict = field(default_factory=dict)
    system: bool = False
    # Shown as a danger button (refusals, send-backs).
    danger: bool = False
    # The audit event's name after the workflow's key, when it is not the step's own key.
    event: str = ""
    waits: tuple[str, ...] | None = None
    waits_for: Callable | None = None

    @property
    def roles(self) -> frozenset[str]:
        return self.permission.roles if self.permission else frozenset()

    @property
    def reason_required(self) -> bool:
        f = self.input.model_fields.get("reason")
        return bool(f and f.is_required())

    @property
    def notify(self) -> tuple[str, ...]:
        return tuple(a for e in self.effects if isinstance(e, Notify) for a in e.audiences)


@dataclass
class Workflow:
    key: str
    label: str
    states: list[State]
    transitions: list[Transition]
    initial: str
    # The tracked model this table runs ("app_label.ModelName").
    model: str = ""
    _states: dict[str, State] = field(init=False, repr=False)
    _transitions: dict[str, Transition] = field(init=False, repr=False)

    def __post_init__(self):
        self._states = {s.key: s for s in self.states}
        self._transitions = {t.key: t for t in self.transitions}
        unknown = {
            name for t in self.transitions for name in (*t.sources, t.target) if name not in self._states
        }
        if unknown or self.initial not in self._states:
            raise ValueError(f"workflow {self.key}: unknown states {sorted(unknown)}")
        if self.model:
            WORKFLOWS[self.model] = self

    def state(self, key: str) -> State:
        return self._states[key]

    def transition(self, key: str) -> Transition | None:
        return self._transitions.get(key)

    def choices(self) -> list[tuple[str, str]]:
        return [(s.key, s.label) for s in self.states]

    def from_state(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if state in t.sources]

    def timed_states(self) -> list[str]:
        return [s.key for s in self.states if s.due is not None]

    def open_states(self) -> list[str]:
        return [s.key for s in self.states if not s.final]
