"""Resolutions followed up (决议决定执行, issue 16 item 6; Tongxiang: 会后跟踪监督决议决定的执行情况): the
office assigns implementation items of an adopted resolution or decision to the units responsible, each
with a target date (a fixed date or working days from today, apps.calendar); the unit reports progress and
adds files; the office accepts an item as done or returns it. Every step is `workflow.RESOLUTION_WORKFLOW`
on the engine (audit, deadlines, reminders and escalation by the sweep)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.accounts.scopes import get_or_deny, records_refusals
from apps.calendar.services import add_working_days
from apps.common.errors import field_error as _fail
from apps.places.models import HandlingUnit
from apps.places.terms import terms_for
from apps.workflow.services import create_tracked, transition

from ..models import ResolutionTask, Vote, VoteState

TITLE_MAX = 300
WORKING_DAYS_MAX = 500


def adopted(vote) -> bool:
    """A resolution or decision the meeting adopted: a closed vote whose stored result says so."""
    return vote.state == VoteState.CLOSED and bool(vote.adopted) and not vote.voided


def unit_choices(vote) -> list:
    """Units an item may go to: active units of the town and of its county."""
    town = vote.meeting.region
    return list(
        HandlingUnit.objects.filter(
            region_id__in=[town.pk, town.county_id or town.pk], is_active=True
        ).order_by("name")
    )


def _target(today: date, target_date: date | None, working_days: int | None) -> date:
    if target_date and working_days:
        raise _fail("target_date", _("完成时限请填写日期或工作日数，不要同时填写"))
    if working_days:
        if not 1 <= int(working_days) <= WORKING_DAYS_MAX:
            raise _fail("working_days", _("工作日数须在 1 到 %(n)s 之间") % {"n": WORKING_DAYS_MAX})
        return add_working_days(today, int(working_days))
    if not target_date:
        raise _fail("target_date", _("请填写完成时限（日期或工作日数）"))
    if target_date < today:
        raise _fail("target_date", _("完成时限不能早于今天"))
    return target_date


@records_refusals()
def assign_task(
    *,
    actor,
    vote_id: int,
    unit_id: int,
    title: str,
    target_date: date | None = None,
    working_days: int | None = None,
) -> ResolutionTask:
    """One implementation item of an adopted resolution, assigned to a unit (tracked from here)."""
    vote = get_or_deny(actor, Vote, perms.MEETING_MANAGE, pk=vote_id)
    if not adopted(vote):
        raise _fail("vote", _("只有表决通过的决议、决定才能交办实施事项"))
    title = " ".join(str(title or "").split())
    if not title:
        raise _fail("title", _("请填写实施事项"))
    if len(title) > TITLE_MAX:
        raise _fail("title", _("实施事项不超过 %(n)s 字") % {"n": TITLE_MAX})
    unit = next((u for u in unit_choices(vote) if u.pk == unit_id), None)
    if unit is None:
        raise _fail("unit", _("请选择%(here)s或本县的承办单位") % terms_for(vote.meeting.region).words())
    today = timezone.localdate()
    task = create_tracked(
        ResolutionTask,
        actor=actor,
        fields={
            "region": vote.meeting.region,
            "vote": vote,
            "unit": unit,
            "title": title,
            "target_date": _target(today, target_date, working_days),
            "assigned_on": today,
            "created_by": actor,
        },
    )
    transaction.on_commit(lambda: _tell_unit(task), robust=True)
    return task


def _tell_unit(task) -> None:
    from apps.notifications.services import notify

    notify(
        recipients=task.audience("unit"),
        kind="resolution_task.assigned",
        title=_("决议决定实施事项：%(t)s") % {"t": task.title},
        body=_("完成时限 %(due)s") % {"due": task.target_date.isoformat()},
        url=task.get_absolute_url(),
        obj=task,
        dedupe_key=f"resolution_task:{task.pk}:assigned",
    )


@records_refusals()
def attach_task_file(*, actor, task_id: int, upload):
    """A file with the unit's progress (photos, documents); refused once the item is done."""
    from apps.workflow.uploads import attach

    task = get_or_deny(actor, ResolutionTask, perms.RESOLUTION_REPORT, pk=task_id)
    if task.state == "done":
        raise _fail("file", _("该事项已办结，不能再上传材料"))
    return attach(actor=actor, item=task, upload=upload)


def act_on_task(*, actor, item, key: str, data) -> ResolutionTask:
    return transition(item, key, actor=actor, data=data)
