"""Every procedure the platform runs, as plain data drawn from the tables that run it (issue 21 parts 1, 5).

A tracked item kind's procedure is read from its `Workflow` in the engine's registry
(`apps.workflow.registry.WORKFLOWS`), so a table registered later appears here by itself; the congress
session's own order, the meeting's and the vote's states come from `congress.py`, read from the meetings
app's own choices. The charts, the Word and PDF papers and `GET /api/v1/procedures` all draw this data.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.common import conf
from apps.workflow.inputs import extra
from apps.workflow.registry import WORKFLOWS

from .congress import congress_procedures
from .data import Deadline, Edge, Node, Procedure, roles_text


def _deadline(due, place) -> Deadline | None:
    """A state's `Due` read where the procedure applies (`place`: a town, an item; None: the defaults)."""
    if due is None:
        return None
    if due.setting:
        from apps.localrules.selectors import local_value

        return Deadline(working_days=int(local_value(due.setting, place)), setting=due.setting)
    if due.months_setting:
        from apps.localrules.selectors import local_value

        return Deadline(months=int(local_value(due.months_setting, place)), setting=due.months_setting)
    return Deadline(working_days=due.working_days, months=due.months, field=due.field)


def _inputs(schema) -> tuple[tuple[str, str, bool], ...]:
    out = []
    for name, f in schema.model_fields.items():
        if name == "version":
            continue
        label = extra(f).get("label") or f.description or name
        out.append((name, _(str(label)), f.is_required()))
    return tuple(out)


def _terms(place):
    """The words of the place an item lies in (a street's office is 街道人大工委办, not 镇人大办)."""
    from apps.places.models import Region
    from apps.places.terms import terms_for

    if place is None:
        return terms_for(None)
    return terms_for(place if isinstance(place, Region) else getattr(place, "town", None))


def from_workflow(wf, place=None) -> Procedure:
    """A registered table as a procedure: every state and every transition, nothing left out; the roles in
    the words of the item's place."""
    terms = _terms(place)
    nodes = tuple(
        Node(s.key, str(s.label), s.key == wf.initial, s.final, _deadline(s.due, place)) for s in wf.states
    )
    dues = {n.key: n.deadline for n in nodes}
    edges = tuple(
        Edge(
            t.key,
            str(t.label),
            tuple(t.sources),
            t.target,
            t.permission.name if t.permission else "",
            str(t.permission.label) if t.permission else "",
            tuple(terms.relabel(r) for r in roles_text(t.roles)),
            t.system,
            _inputs(t.input),
            dues.get(t.target),
        )
        for t in wf.transitions
    )
    return Procedure(wf.key, str(wf.label), "item", wf.model, nodes, edges)


def procedures(place=None) -> list[Procedure]:
    """Every procedure: each registered table (in registration order), then the congress's own."""
    return [from_workflow(wf, place) for wf in WORKFLOWS.values()] + congress_procedures()


def procedure(key: str, place=None) -> Procedure | None:
    for wf in WORKFLOWS.values():
        if wf.key == key:
            return from_workflow(wf, place)
    return next((p for p in congress_procedures() if p.key == key), None)


def for_model(model_label: str, place=None) -> Procedure | None:
    wf = WORKFLOWS.get(model_label)
    return from_workflow(wf, place) if wf else None


def setting_label(key: str) -> str:
    return str(conf.declared(key).label)
