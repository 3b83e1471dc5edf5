"""What waits for a person on every tracked item kind (issue 16 item 8), read from the transition tables:
an item waits for `user` when a step open from its state is one they hold the capability for over the item
(and its `who` lets them). One query per kind and capability, whatever the number of kinds; overdue first.
The home page (renda/todo.py) adds what is no tracked item (teller shares, invitations, meetings)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, F, OuterRef, Q, Value
from django.utils import timezone

from apps.accounts.permissions import holds
from apps.accounts.scopes import visible_to

from .registry import WORKFLOWS

# Lines shown per item kind on the home page; the kind's own list holds the rest.
PER_KIND = 20


@dataclass(frozen=True)
class Line:
    """One thing to do: what kind of thing, which one, by when, and the page where it is done."""

    kind: str
    action: str
    title: str
    url: str
    due: date | None = None
    overdue: bool = False
    key: str = field(default="", compare=False)


def sort_key(line: Line):
    """Overdue first (the longest overdue first), then by due date, then the undated."""
    return (not line.overdue, line.due is None, line.due or date.max, line.kind, line.title)


def _title(item) -> str:
    """The item as its lists name it, with its own title when that name leaves it out (a duty record)."""
    name, own = str(item), str(getattr(item, "title", "") or "")
    return f"{name} · {own}" if own and own not in name else name


def _state_field(model) -> str:
    names = {f.name for f in model._meta.concrete_fields}
    return "state" if "state" in names else getattr(model, "state_field", "review_state")


def _steps_by_capability(wf) -> dict:
    """capability -> (its open steps by state), for the steps a person takes (not the platform's)."""
    out: dict = {}
    for t in wf.transitions:
        if t.system or t.permission is None:
            continue
        for s in t.sources if t.waits is None else t.waits:
            if not wf.state(s).final:
                out.setdefault(t.permission, {}).setdefault(s, []).append(t)
    return out


def _models():
    from django.apps import apps

    for label, wf in WORKFLOWS.items():
        try:
            yield apps.get_model(label), wf
        except LookupError:  # pragma: no cover - a table registered for a model not installed
            continue


def _who_filters(user, model, by_state) -> tuple[dict, Q | None]:
    """Each step's `who` that can be asked as a filter, as an annotation (who -> its name), and the filter
    for the items some step from their state lets `user` take (None: no `who` narrows them). Asked in the
    list's own query, not once an item: the count of queries does not grow with the lines."""
    state_field = _state_field(model)
    names: dict = {}
    ok = Q(pk__in=[])
    for state, steps in by_state.items():
        for t in steps:
            who = _waits_for(t)
            q = getattr(who, "q", None) if who is not None else None
            if who is None or q is None:  # no `who`, or one asked item by item below
                ok |= Q(**{state_field: state})
                continue
            names.setdefault(who, f"_who{len(names)}")
            ok |= Q(**{state_field: state, names[who]: True})
    return names, (ok if names else None)


def _annotate(qs, user, names: dict):
    for who, name in names.items():
        q = who.q(user, qs.model)
        rows = qs.model._default_manager.filter(pk=OuterRef("pk"))
        qs = qs.annotate(**{name: Value(True) if q is None else Exists(rows.filter(q))})
    return qs


def _waits_for(t):
    return t.waits_for or t.who


def _allowed(t, item, user, names: dict) -> bool:
    who = _waits_for(t)
    if who is None:
        return True
    if who in names:
        return bool(getattr(item, names[who]))
    return bool(who(item, user))


def tracked_lines(user, today=None) -> list[Line]:
    today = today or timezone.localdate()
    seen: set = set()
    lines: list[Line] = []
    for model, wf in _models():
        state_field = _state_field(model)
        for cap, by_state in _steps_by_capability(wf).items():
            if not holds(user, cap):
                continue
            names, ok = _who_filters(user, model, by_state)
            qs = _annotate(visible_to(user, model, cap), user, names).filter(
                **{f"{state_field}__in": list(by_state)}
            )
            if ok is not None:
                qs = qs.filter(ok)
            qs = qs.order_by(F("due_date").asc(nulls_last=True), "pk").select_related()
            for item in qs[:PER_KIND]:  # select_related: what an item's name reads, in the same query
                if (model, item.pk) in seen:
                    continue
                steps = [t for t in by_state[getattr(item, state_field)] if _allowed(t, item, user, names)]
                if not steps:
                    continue
                seen.add((model, item.pk))
                main = next((t for t in steps if not t.danger), steps[0])
                lines.append(
                    Line(
                        kind=str(wf.label),
                        action=str(main.label),
                        title=_title(item),
                        url=item.get_absolute_url(),
                        due=item.due_date,
                        overdue=bool(item.due_date and item.due_date < today),
                        key=f"{wf.key}:{item.pk}",
                    )
                )
    return sorted(lines, key=sort_key)
