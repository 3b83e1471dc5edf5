"""Reads for resolutions followed up (issue 16 item 6), each already scoped: the adopted resolutions an
office may assign items of, the items a unit or office sees, and one resolution's or meeting's items."""

from __future__ import annotations

from django.db.models import Count

from apps.accounts import permissions as perms
from apps.accounts.scopes import get_or_deny, visible_to

from .models import Meeting, ResolutionTask, Vote, VoteState


def adopted_votes(user):
    """Resolutions and decisions adopted in meetings the office manages, newest first, with item counts."""
    return (
        visible_to(user, Vote, perms.MEETING_MANAGE)
        .filter(state=VoteState.CLOSED, adopted=True, voided=False)
        .select_related("meeting")
        .annotate(tasks_count=Count("tasks"))
        .order_by("-closed_at", "-id")
    )


def vote_for(user, pk: int) -> Vote:
    return get_or_deny(user, Vote, perms.MEETING_MANAGE, pk=pk)


def tasks(user):
    return visible_to(user, ResolutionTask, perms.RESOLUTION_BROWSE).select_related("unit", "vote__meeting")


def task_for(user, pk: int) -> ResolutionTask:
    return get_or_deny(user, ResolutionTask, perms.RESOLUTION_BROWSE, pk=pk)


def vote_tasks(vote):
    return vote.tasks.select_related("unit").order_by("id")


def task_progress(task):
    return list(task.progress.select_related("created_by").order_by("date", "id"))


def meeting_for_report(user, pk: int) -> Meeting:
    return get_or_deny(user, Meeting, perms.MEETING_MANAGE, pk=pk)


def meeting_tasks(meeting) -> list:
    """The meeting's items by resolution, each with its progress reports (the report to the presidium)."""
    return list(
        ResolutionTask.objects.filter(vote__meeting=meeting)
        .select_related("unit", "vote__agenda_item")
        .prefetch_related("progress")
        .order_by("vote__agenda_item__order", "vote__round", "id")
    )
