"""The elected post recorded on the person (issue 21 part 4): when a round is counted, each elected
candidate who is a deputy gets an `Office` (apps.people) with the post's title, the day of the election
and the election it came from. A candidate who is not on the deputies' roll (a township head need not be
a deputy) has no person record to carry it: their post stands in the election's own result."""

from __future__ import annotations

from django.utils import timezone

from apps.audit.services import record
from apps.meetings.word import session_wording
from apps.people.models import Office

from .models import Outcome, Result, Round


def elected_on(round_: Round):
    """The day of the election: the day the round's ballot closed."""
    return timezone.localdate(round_.closed_at) if round_.closed_at else timezone.localdate()


def record_offices(actor, round_: Round) -> list[Office]:
    """Write the Office of every elected deputy of this counted round (once per outcome), audited."""
    made = []
    rows = Outcome.objects.filter(
        round=round_, result=Result.ELECTED, candidate__deputy__isnull=False
    ).select_related("candidate", "round__post__meeting__region", "round__post__meeting__session")
    for o in rows:
        post = o.round.post
        office, created = Office.objects.get_or_create(
            outcome=o,
            defaults={
                "deputy_id": o.candidate.deputy_id,
                "title": post.title,
                "started_on": elected_on(round_),
                "source": f"{session_wording(post.meeting)}选举",
            },
        )
        if created:
            made.append(office)
            record(
                actor=actor,
                action="people.office_recorded",
                obj=office,
                summary={"deputy": office.deputy_id, "title": office.title, "outcome": o.pk},
            )
    return made
