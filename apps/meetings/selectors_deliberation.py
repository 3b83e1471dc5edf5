"""Reads for group deliberation and agenda checklists (issue 16 items 4 and 7), each already scoped."""

from __future__ import annotations

from apps.accounts import permissions as perms
from apps.accounts.scopes import get_or_deny, visible_to

from . import rules
from .models import (
    AgendaItem,
    ChecklistEntry,
    DeliberationDigest,
    DeliberationGroup,
    DeliberationOpinion,
    Session,
)
from .selectors import documents


def checklist(meeting) -> tuple[list, list]:
    """The meeting's checklist lines and those still missing (rules.checklist_missing)."""
    lines = list(meeting.checklist.all())
    titles = list(meeting.agenda.values_list("title", flat=True))
    names = list(documents(meeting).values_list("name", flat=True))
    return lines, rules.checklist_missing(lines, titles, names)


def township_checklist(region, kind: str) -> list:
    """The town's own lines for a kind of meeting (an empty list: it uses the shipped default)."""
    return list(ChecklistEntry.objects.filter(region=region, meeting_kind=kind))


def session_for(user, pk: int, cap=perms.DELIBERATION_BROWSE) -> Session:
    return get_or_deny(user, Session, cap, pk=pk)


def groups_of(user, session):
    return (
        visible_to(user, DeliberationGroup, perms.DELIBERATION_BROWSE)
        .filter(session=session)
        .select_related("recorder")
        .prefetch_related("members")
    )


def my_groups(user):
    """The groups the user records or belongs to, newest session first (a deputy's way in)."""
    return (
        visible_to(user, DeliberationGroup, perms.DELIBERATION_BROWSE)
        .select_related("session", "recorder")
        .order_by("-session__starts_on", "name")
    )


def group_for(user, pk: int) -> DeliberationGroup:
    return get_or_deny(user, DeliberationGroup, perms.DELIBERATION_BROWSE, pk=pk)


def group_opinions(group):
    return group.opinions.select_related("deputy", "agenda_item").order_by("agenda_item__order", "id")


def report_for(user, pk: int) -> AgendaItem:
    return get_or_deny(user, AgendaItem, perms.MEETING_MANAGE, pk=pk)


def report_opinions(item):
    """Every group's opinions on one report, by group (what the digest compiles)."""
    return list(
        DeliberationOpinion.objects.filter(agenda_item=item)
        .select_related("group", "deputy")
        .order_by("group__name", "group_id", "id")
    )


def report_digest(item) -> DeliberationDigest | None:
    """The digest of a report sent to its unit, if it was."""
    return DeliberationDigest.objects.filter(agenda_item=item).select_related("unit").first()


def digests(user):
    return visible_to(user, DeliberationDigest, perms.DELIBERATION_BROWSE).select_related(
        "unit", "agenda_item__meeting"
    )


def digest_for(user, pk: int) -> DeliberationDigest:
    return get_or_deny(user, DeliberationDigest, perms.DELIBERATION_BROWSE, pk=pk)
