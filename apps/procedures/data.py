"""The plain data of a procedure (issue 21): states (nodes) and steps (edges) with who may take each step
and the deadline where it leads. Built by `catalogue.py` from the workflow tables and by `congress.py` from
the meetings app's own states; drawn by `chart.py`."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from apps.accounts.models import Role

ROLE_LABELS = dict(Role.choices)


@dataclass(frozen=True)
class Deadline:
    """How long an item may stay where a step leads: working days (fixed or a [local] setting), months,
    or a date the office sets on the item."""

    working_days: int | None = None
    months: int | None = None
    setting: str | None = None
    field: str | None = None

    @property
    def text(self) -> str:
        if self.working_days is not None:
            return _("%(n)s个工作日") % {"n": self.working_days}
        if self.months is not None:
            return _("%(n)s个月") % {"n": self.months}
        if self.field:
            return _("按交办确定的时限")
        return ""


@dataclass(frozen=True)
class Node:
    key: str
    label: str
    initial: bool = False
    final: bool = False
    deadline: Deadline | None = None


@dataclass(frozen=True)
class Edge:
    key: str
    label: str
    sources: tuple[str, ...]
    target: str
    capability: str = ""
    capability_label: str = ""
    who: tuple[str, ...] = ()
    system: bool = False
    inputs: tuple[tuple[str, str, bool], ...] = ()  # (name, label, required)
    deadline: Deadline | None = None

    @property
    def who_text(self) -> str:
        names = list(self.who)
        if self.system:
            names.append(_("系统自动"))
        return "、".join(names)


@dataclass(frozen=True)
class Procedure:
    key: str
    label: str
    group: str  # "item": a tracked item kind; "congress": the session's order, meetings and votes
    model: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    note: str = ""

    def node(self, key: str) -> Node:
        return next(n for n in self.nodes if n.key == key)


def roles_text(roles) -> tuple[str, ...]:
    order = list(ROLE_LABELS)
    known = sorted((r for r in roles if r in ROLE_LABELS), key=order.index)
    return tuple(str(ROLE_LABELS[r]) for r in known)
