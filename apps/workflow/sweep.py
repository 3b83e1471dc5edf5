"""The daily deadline sweep: reminders before a deadline, escalation after it. Safe to run again: a
reminder is keyed by item, state and due date, and an item escalates once per deadline."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import record
from apps.calendar.services import add_working_days
from apps.common import conf

from .models import Tracked


def tracked_models():
    return [m for m in apps.get_models() if issubclass(m, Tracked) and getattr(m, "workflow", None)]


@dataclass
class SweepResult:
    reminded: int = 0
    escalated: int = 0


def sweep(today=None) -> SweepResult:
    from apps.notifications.services import notify

    today = today or timezone.localdate()
    horizon = add_working_days(today, int(conf.get("REMIND_BEFORE_WORKING_DAYS")))
    result = SweepResult()
    for model in tracked_models():
        wf = model.workflow
        timed = wf.timed_states()
        label = model._meta.label_lower
        soon = model._default_manager.filter(state__in=timed, due_date__gte=today, due_date__lte=horizon)
        for item in soon.iterator(chunk_size=500):
            state = wf.state(item.state)
            created = notify(
                recipients=item.audience(state.responsible),
                kind="workflow.reminder",
                title=_("即将到期：%(item)s") % {"item": str(item)},
                body=_("「%(state)s」须在 %(due)s 前办理") % {"state": state.label, "due": item.due_date},
                url=item.get_absolute_url(),
                obj=item,
                dedupe_key=f"remind:{label}:{item.pk}:{item.state}:{item.due_date}",
            )
            result.reminded += len(created)
        late = model._default_manager.filter(state__in=timed, due_date__lt=today, escalated_at__isnull=True)
        for item in late.iterator(chunk_size=500):
            result.escalated += _escalate(item, notify)
    return result


def _escalate(item, notify) -> int:
    model = type(item)
    with transaction.atomic():
        won = model._default_manager.filter(pk=item.pk, escalated_at__isnull=True, version=item.version)
        if not won.update(escalated_at=timezone.now()):
            return 0  # another sweep, or a transition, got there first
        state = item.workflow.state(item.state)
        record(
            actor=None,
            action=f"{item.workflow.key}.escalated",
            obj=item,
            summary={"state": item.state, "due": str(item.due_date)},
            reason=_("超过办理时限，自动提请督办"),
        )
        label = model._meta.label_lower
        transaction.on_commit(
            lambda: notify(
                recipients=item.audience("office"),
                kind="workflow.escalated",
                title=_("已超期：%(item)s") % {"item": str(item)},
                body=_("「%(state)s」时限 %(due)s 已过，请督办")
                % {"state": state.label, "due": item.due_date},
                url=item.get_absolute_url(),
                obj=item,
                dedupe_key=f"escalate:{label}:{item.pk}:{item.state}:{item.due_date}",
            ),
            robust=True,
        )
    return 1
