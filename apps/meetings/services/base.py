"""What every meetings service shares: the errors it raises, the office's locked meeting, and the live
screens told after commit."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy

from apps.accounts import permissions as perms
from apps.accounts.scopes import get_or_deny
from apps.ballotbox.models import Box
from apps.common.errors import CommonCode, DomainError

from .. import live
from ..errors import ErrorCode
from ..models import Meeting, Vote


class MeetingConflict(DomainError):
    status = 409
    code = CommonCode.CONFLICT
    default_message = gettext_lazy("会议状态已变化，请刷新后再试")


class AlreadyVoted(DomainError):
    status = 409
    code = ErrorCode.ALREADY_VOTED
    default_message = gettext_lazy("您已投票，本次表决不能改票")


class VoteClosed(DomainError):
    status = 409
    code = ErrorCode.VOTE_CLOSED
    default_message = gettext_lazy("表决已结束")


def _bump_and_publish(meeting_id: int, *, final: bool = False) -> None:
    """Grow the meeting's live version (inside the transaction) and tell the screens after commit."""
    Meeting.objects.filter(pk=meeting_id).update(version=F("version") + 1)
    _publish_after_commit(meeting_id, final=final)


def _publish_after_commit(meeting_id: int, *, final: bool = False, phones: bool = True) -> None:
    transaction.on_commit(lambda: live.publish(meeting_id, final=final, phones=phones), robust=True)


def _office_meeting(actor, meeting_id: int, *, lock: bool = True, cap=perms.MEETING_MANAGE) -> Meeting:
    """The meeting if the actor is its town's (or county's) office; locked for the transaction."""
    meeting = get_or_deny(actor, Meeting, cap, pk=meeting_id)
    if lock:
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    return meeting


def vote_box(vote_id: int) -> Box | None:
    """The ballot box of a secret vote."""
    return Box.objects.filter(content_type=ContentType.objects.get_for_model(Vote), object_id=vote_id).first()
