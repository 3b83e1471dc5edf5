"""Effects: what a transition does besides changing the item's own fields, declared as values in its row.

The engine runs every effect of a transition inside the transition's transaction, in three moments:
`before_save` (may still change the item, e.g. its deadline), `after_save` (rows that hang on the item:
co-handling parts, duty records), and `after_commit` (notifications, live screens: never undo the step).
Each effect names itself in the step's audit event (`effects`), with what it returned.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass
class StepContext:
    """Everything an effect may read about the step being taken."""

    item: Any
    actor: Any
    data: dict
    today: date
    transition: Any
    step: Any = None
    system: bool = False
    results: dict = field(default_factory=dict)


class Effect:
    name = "effect"

    def before_save(self, ctx: StepContext) -> Any:
        return None

    def after_save(self, ctx: StepContext) -> Any:
        return None

    def after_commit(self, ctx: StepContext) -> None:
        return None


@dataclass(frozen=True)
class SetDue(Effect):
    """The step sets its own deadline: `months` counted from a date field of the item (an approved extension
    runs 6 months from the assignment [law], not 6 more)."""

    months: int
    since: str
    name = "set_due"

    def before_save(self, ctx):
        from apps.calendar.services import deadline

        start = getattr(ctx.item, self.since) or ctx.today
        due = deadline(start, months=self.months)
        ctx.item.due_date, ctx.item.due_provisional = due.due, bool(due.provisional)
        return str(due.due)


@dataclass(frozen=True)
class Notify(Effect):
    """Tell these audiences (names the model's `audience()` understands) once the step has committed."""

    audiences: tuple[str, ...]
    name = "notify"

    def after_commit(self, ctx):
        from django.utils.translation import gettext as _

        from apps.notifications.services import notify

        item, t = ctx.item, ctx.transition
        wf = item.workflow
        title = _("%(item)s：%(action)s") % {"item": str(item), "action": t.label}
        body = _("当前状态：%(state)s") % {"state": wf.state(item.state).label}
        if item.due_date:
            body += _("，办理时限 %(due)s") % {"due": item.due_date.isoformat()}
        for audience in self.audiences:
            notify(
                recipients=item.audience(audience),
                kind=f"{wf.key}.{t.key}",
                title=title,
                body=body,
                url=item.get_absolute_url(),
                obj=item,
                dedupe_key=f"step:{ctx.step.pk}:{audience}",
            )


@dataclass(frozen=True)
class Run(Effect):
    """An effect particular to one item kind: `func(ctx)` runs after the item is saved, in the same
    transaction (create co-handling parts, draft a suggestion from an opinion ...); `when(ctx)` may skip
    it."""

    key: str
    func: Callable[[StepContext], Any]
    when: Callable[[StepContext], bool] | None = None

    @property
    def name(self):
        return self.key

    def after_save(self, ctx):
        if self.when is not None and not self.when(ctx):
            return None
        return self.func(ctx)
