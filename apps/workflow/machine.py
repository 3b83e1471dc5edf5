"""The workflow vocabulary: states, transitions and deadlines, declared as data beside each tracked model.

An app that tracks items (opinions, suggestions, rectifications ...) writes a `workflow.py` holding one
`Workflow`, and its model says `workflow = THAT_WORKFLOW`. The engine (`apps.workflow.services`) is the only
code that moves an item between states, so every rule about who may do what, and by when, is read here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings

from apps.accounts.models import Role

OFFICES = frozenset({Role.COUNTY_OFFICE, Role.TOWN_OFFICE})
# Transitions the platform takes by itself (`transition(..., system=True)`), never a person's role.
SYSTEM = "system"


@dataclass(frozen=True)
class Due:
    """How long an item may stay in a state: working days (fixed, or a [local] RENDA setting) or months."""

    setting: str | None = None
    working_days: int | None = None
    months: int | None = None
    months_setting: str | None = None

    def days(self) -> int | None:
        if self.setting:
            return int(settings.RENDA[self.setting])
        return self.working_days

    def resolve(self, start: date):
        from apps.calendar.services import deadline

        if self.months_setting:
            return deadline(start, months=int(settings.RENDA[self.months_setting]))
        if self.months is not None:
            return deadline(start, months=self.months)
        return deadline(start, working_days=self.days())


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
    key: str
    label: str
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]
    reason_required: bool = False
    # guard(item, today) -> an error message when the transition is not allowed now, else None.
    guard: Callable | None = None
    # apply(item, data, actor, today) validates `data` (raise ValidationFailed) and sets fields on `item`.
    apply: Callable | None = None
    # Audiences told after the change commits (names the model's `audience()` understands).
    notify: tuple[str, ...] = ()
    # Shown as a danger button (refusals, send-backs).
    danger: bool = False


@dataclass
class Workflow:
    key: str
    label: str
    states: list[State]
    transitions: list[Transition]
    initial: str
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
