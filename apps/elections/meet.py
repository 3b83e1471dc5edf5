"""候选人与代表见面会 (DOMAIN §5: candidates meet the deputies before the vote): the office plans the meeting
from an election post, each candidate has a statement (text, optional photo) that the deputies read on their
phones, and attendance is the meeting's own check-in (apps.meetings), not new plumbing.

One meeting serves every post of the sitting that has none yet: in practice all candidates of a session meet
the deputies together.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.accounts.scopes import deny, get_or_deny, own_deputy_id, records_refusals
from apps.audit.services import record
from apps.common.errors import ValidationFailed
from apps.common.errors import field_error as _fail
from apps.meetings.models import Attendee, Meeting, MeetingKind, MeetingState
from apps.meetings.services import plan_meeting
from apps.workflow import uploads
from apps.workflow.models import Attachment

from .models import Candidate, Post
from .services import Conflict

STATEMENT_MAX = 2000
PHOTO_KINDS = ("jpeg", "png", "gif", "webp")


def _posts_of_sitting(post: Post):
    return Post.objects.filter(meeting_id=post.meeting_id)


@records_refusals()
def plan_candidates_meeting(*, actor, post_id: int, starts_at, place: str = "", chair: str = "") -> Meeting:
    """Plan the 见面会 for this post and every post of its sitting that has none yet."""
    post = get_or_deny(actor, Post, perms.ELECTION_MANAGE, pk=post_id)
    if post.candidates_meeting_id:
        raise Conflict(_("已安排候选人与代表见面会"))
    if starts_at is None:
        raise _fail("starts_at", _("请填写开始时间"))
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    if starts_at > post.meeting.starts_at:
        raise _fail("starts_at", _("见面会须在选举所在的会议开始之前"))
    sitting = post.meeting
    with transaction.atomic():
        # The sitting's posts locked: two clerks planning at once make one meeting, not two.
        locked = Post.objects.select_for_update().filter(meeting_id=sitting.pk)
        if any(p.candidates_meeting_id for p in locked if p.pk == post.pk):
            raise Conflict(_("已安排候选人与代表见面会"))
        meeting = plan_meeting(
            actor=actor,
            region=sitting.region,
            kind=MeetingKind.CANDIDATES,
            title=_("%(sitting)s候选人与代表见面会") % {"sitting": sitting.session or sitting.title},
            starts_at=starts_at,
            place=place,
            chair=chair,
            session=sitting.session,
        )
        linked = list(
            _posts_of_sitting(post).filter(candidates_meeting__isnull=True).values_list("pk", flat=True)
        )
        Post.objects.filter(pk__in=linked).update(candidates_meeting=meeting)
        record(
            actor=actor,
            action="election.candidates_meeting_planned",
            obj=post,
            summary={"meeting": meeting.pk, "posts": linked, "starts_at": starts_at.isoformat()},
        )
    return meeting


def may_state(actor, candidate: Candidate) -> None:
    """Refuses (403, logged) unless the actor is the office over the post or the candidate themself (a
    deputy with a login)."""
    if perms.holds(actor, perms.ELECTION_MANAGE, candidate.post):
        return
    if candidate.deputy_id and candidate.deputy_id == own_deputy_id(actor):
        return
    deny(actor, perms.ELECTION_STATEMENT, candidate)


def _statement_open(candidate: Candidate) -> None:
    meeting = candidate.post.meeting
    if meeting.state == MeetingState.CLOSED or candidate.post.rounds.exclude(kind="pre").exists():
        raise Conflict(_("选举已开始，候选人介绍不能再修改"))


@records_refusals()
def set_statement(*, actor, candidate_id: int, statement: str) -> Candidate:
    candidate = get_or_deny(actor, Candidate, perms.ELECTION_STATEMENT, pk=candidate_id)
    may_state(actor, candidate)
    text = (statement or "").strip()
    if len(text) > STATEMENT_MAX:
        raise _fail("statement", _("候选人介绍不能超过%(n)s字") % {"n": STATEMENT_MAX})
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().select_related("post__meeting").get(pk=candidate.pk)
        _statement_open(candidate)
        candidate.statement = text
        candidate.statement_by = actor
        candidate.statement_at = timezone.now()
        candidate.save(update_fields=["statement", "statement_by", "statement_at"])
        record(
            actor=actor,
            action="election.statement_set",
            obj=candidate,
            summary={"post": candidate.post_id, "name": candidate.name, "length": len(text)},
        )
    return candidate


def photo_of(candidate: Candidate):
    """The candidate's photo (the newest image attached), or None."""
    return uploads.attachments_of(candidate).filter(kind__in=PHOTO_KINDS).order_by("-pk").first()


@records_refusals()
def set_photo(*, actor, candidate_id: int, upload):
    candidate = get_or_deny(actor, Candidate, perms.ELECTION_STATEMENT, pk=candidate_id)
    may_state(actor, candidate)
    if upload is None:
        raise _fail("file", _("请选择照片"))
    if uploads.validate(upload) not in PHOTO_KINDS:
        msg = _("照片须是图片（JPG、PNG、GIF、WebP）")
        raise ValidationFailed(msg, fields={"file": [msg]})
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().select_related("post__meeting").get(pk=candidate.pk)
        _statement_open(candidate)
        old = list(uploads.attachments_of(candidate).filter(kind__in=PHOTO_KINDS))
        att = uploads.attach(actor=actor, item=candidate, upload=upload)
        for o in old:
            o.delete()
        record(
            actor=actor,
            action="election.photo_set",
            obj=candidate,
            summary={"post": candidate.post_id, "name": candidate.name, "attachment": att.pk},
        )
    return att


# --- reads ------------------------------------------------------------------------------------------------


def candidate_for(user, candidate_id: int) -> Candidate:
    return get_or_deny(user, Candidate, pk=candidate_id)


@dataclass
class Attendance:
    meeting: Meeting | None
    held: bool
    expected: int
    present: list  # the checked-in attendees (name, time)


def attendance(post: Post) -> Attendance:
    """Whether the 见面会 was held and who attended (its check-in)."""
    meeting = post.candidates_meeting
    if meeting is None:
        return Attendance(None, False, 0, [])
    rows = Attendee.objects.filter(meeting=meeting)
    present = list(rows.filter(checked_in_at__isnull=False).order_by("checked_in_at", "name"))
    held = meeting.state != MeetingState.PLANNED or bool(present)
    return Attendance(meeting, held, rows.filter(voting=True).count(), present)


def candidates_with_statements(post: Post) -> list:
    rows = list(post.candidates.select_related("deputy").order_by("surname_strokes", "id"))
    photos = {}
    for att in (
        Attachment.objects.filter(
            content_type__model="candidate",
            content_type__app_label="elections",
            object_id__in=[c.pk for c in rows],
            kind__in=PHOTO_KINDS,
        )
        .order_by("pk")
        .only("pk", "object_id")
    ):
        photos[att.object_id] = att.pk
    for c in rows:
        c.photo_id = photos.get(c.pk)
    return rows
