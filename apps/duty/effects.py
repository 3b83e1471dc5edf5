"""The duty-record effect a transition table may declare: the step counts in deputies' duty records."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from apps.workflow.effects import Effect, StepContext

from .services import append_platform_record


@dataclass(frozen=True)
class DutyRecords(Effect):
    """Append a platform duty record (counted at once) for each deputy `deputies(ctx)` names."""

    kind: str
    deputies: Callable[[StepContext], Any]
    title: Callable[[StepContext], str]
    on_step: bool = False  # the record's source is the step (one per step) rather than the item
    name = "duty_records"

    def after_save(self, ctx):
        made = []
        for deputy in self.deputies(ctx) or ():
            append_platform_record(
                deputy=deputy,
                kind=self.kind,
                date=ctx.today,
                title=self.title(ctx),
                source_object=ctx.step if self.on_step else ctx.item,
            )
            made.append(deputy.pk)
        return made
