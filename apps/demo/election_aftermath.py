"""After the demo election (issue 21 part 4): every person elected at the sitting takes the constitutional
oath before the sitting's executive chair (a presidium member not elected there) in the meeting hall, and
the result announcement and each one's appointment paper are filed with the meeting's documents, all
through the services (audited). Deterministic: no randomness."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from apps.elections import aftermath
from apps.elections.models import Outcome, Result, RoundState
from apps.elections.offices import elected_on
from apps.elections.word import announcement_docx, appointment_docx
from apps.meetings import services as meetings
from apps.meetings.models import Attendee, Meeting


def _chair(meeting: Meeting, elected: set[str]) -> str:
    seat = (
        Attendee.objects.filter(meeting=meeting, deputy__is_presidium_member=True)
        .exclude(name__in=elected)
        .order_by("deputy_id")
        .first()
    )
    return seat.name if seat else "大会执行主席"


def seed_demo_aftermath(office, meeting: Meeting) -> dict:
    rows = list(
        Outcome.objects.filter(
            round__post__meeting=meeting, result=Result.ELECTED, round__state=RoundState.COUNTED
        )
        .select_related("round__post")
        .order_by("round__post_id", "rank")
    )
    if not rows:
        return {"election_oaths": 0}
    before = _chair(meeting, {o.name for o in rows})
    for o in rows:
        aftermath.record_oath(
            actor=office,
            outcome_id=o.pk,
            taken_on=elected_on(o.round),
            before=before,
            place=(meeting.place or "镇人大会议室")[:100],
        )
    papers = [(f"{meeting.region.name}选举结果公告.docx", announcement_docx(meeting))]
    papers += [(f"{o.name}任命书.docx", appointment_docx(o)) for o in rows]
    for name, data in papers:
        meetings.add_document(actor=office, meeting_id=meeting.pk, upload=SimpleUploadedFile(name, data))
    return {"election_oaths": len(rows), "appointment_papers": len(rows)}
