"""Duty records a meeting writes in bulk: attendance, leave or absence when it closes, taking part when a
vote closes."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from apps.duty.models import ActivityKind, DutyRecord, ReviewState, Source

from .. import rules
from ..models import Attendee, Meeting, OpenBallot, Vote, VoteParticipation


def _bulk_duty(rows: list[tuple[dict, str]], *, kind_date, title: str, source) -> int:
    """One bulk insert of platform duty records, idempotent per (deputy, kind, source object) as
    `duty.services.append_platform_record` is: the unique constraint skips what is already there.
    `rows` are (deputy values with id, county_id, town_id; kind)."""
    if not rows:
        return 0
    ctype = ContentType.objects.get_for_model(source)
    objs = [
        DutyRecord(
            deputy_id=d["id"],
            county_id=d["county_id"],
            town_id=d["town_id"],
            kind=kind,
            date=kind_date,
            title=title[:200],
            source=Source.PLATFORM,
            review_state=ReviewState.APPROVED,
            source_type=ctype,
            source_id=str(source.pk),
        )
        for d, kind in rows
    ]
    DutyRecord.objects.bulk_create(objs, ignore_conflicts=True)
    return len(objs)


def append_attendance_records(meeting: Meeting) -> int:
    """Attended (session or meeting attendance), approved leave, or absence, for each expected voting
    deputy: one read and one insert whatever the number of deputies."""
    attended = (
        ActivityKind.SESSION_ATTENDANCE
        if rules.needs_quorum(meeting.kind)
        else ActivityKind.MEETING_ATTENDANCE
    )
    rows = []
    for a in Attendee.objects.filter(meeting=meeting, voting=True, deputy__isnull=False).values(
        "checked_in_at", "leave", "deputy_id", "deputy__county_id", "deputy__town_id"
    ):
        if a["checked_in_at"]:
            kind = attended
        elif a["leave"] == Attendee.Leave.APPROVED:
            kind = ActivityKind.LEAVE
        else:
            kind = ActivityKind.ABSENCE
        rows.append(
            (
                {"id": a["deputy_id"], "county_id": a["deputy__county_id"], "town_id": a["deputy__town_id"]},
                kind,
            )
        )
    day = timezone.localtime(meeting.opened_at or meeting.starts_at).date()
    return _bulk_duty(rows, kind_date=day, title=meeting.title, source=meeting)


def append_vote_records(vote: Vote, meeting: Meeting) -> int:
    """A `vote` duty record for every deputy who took part (open ballot or secret participation)."""
    through = VoteParticipation if vote.secret else OpenBallot
    rows = [
        (
            {"id": d["deputy_id"], "county_id": d["deputy__county_id"], "town_id": d["deputy__town_id"]},
            ActivityKind.VOTE,
        )
        for d in through.objects.filter(vote=vote).values("deputy_id", "deputy__county_id", "deputy__town_id")
    ]
    day = timezone.localtime(vote.closed_at or timezone.now()).date()
    return _bulk_duty(rows, kind_date=day, title=f"{meeting.title}：{vote.title}", source=vote)
