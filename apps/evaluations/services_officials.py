"""Every write of the vice-mayors' report-back rating (issue 18 part 6): making it at a meeting with its
officials, each official's written report (a file), and a checked-in deputy's secret rating. Its steps
(prepare, open, close; the platform files the result) go through the engine as the survey's do."""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.accounts.scopes import get_or_deny, own_deputy_id
from apps.ballotbox import services as ballotbox
from apps.common.choices import Satisfaction
from apps.common.errors import DomainError, field_error
from apps.meetings.models import Attendee, Meeting
from apps.workflow.errors import Conflict
from apps.workflow.services import create_tracked, transition

from . import ballots, rules
from .errors import ErrorCode
from .models import OfficialRating, OfficialRatingParticipation, RatedOfficial, SurveyState
from .services import AlreadyResponded, SurveyClosed, _text


def create_rating(*, actor, meeting_id: int, title: str, officials: list[dict]) -> OfficialRating:
    """The rating of `officials` ([{name, post}], in speaking order) at a meeting of the actor's town."""
    meeting = get_or_deny(actor, Meeting, perms.EVALUATION_MANAGE, pk=meeting_id)
    title = _text(title, "title", 200, required=True)
    people = [
        (_text(o.get("name"), "officials", 50), _text(o.get("post"), "officials", 100)) for o in officials
    ]
    if not people or any(not n or not p for n, p in people):
        raise field_error("officials", _("请填写述职人员的姓名和职务"))
    with transaction.atomic():
        item = create_tracked(
            OfficialRating, actor=actor, fields={"meeting": meeting, "title": title, "created_by": actor}
        )
        RatedOfficial.objects.bulk_create([RatedOfficial(rating=item, name=n, post=p) for n, p in people])
    return item


def act_on_rating(*, actor, item, key: str, data) -> OfficialRating:
    return transition(item, key, actor=actor, data=data)


def attach_report(*, actor, rating_id: int, official_id: int, upload) -> RatedOfficial:
    """An official's written report (PDF, Word ...), shown on the deputies' phones; before the rating ends."""
    from apps.workflow.uploads import attach

    item = get_or_deny(actor, OfficialRating, perms.EVALUATION_MANAGE, pk=rating_id)
    official = item.officials.filter(pk=official_id).first()
    if official is None:
        raise field_error("official", _("该人员不在本次述职之列"))
    if item.state in (SurveyState.COUNTING, SurveyState.CLOSED):
        raise Conflict(_("测评已结束，不能再上传述职报告"))
    official.report = attach(actor=actor, item=item, upload=upload)
    official.save(update_fields=["report"])
    return official


def _shared(rating_id: int) -> OfficialRating:
    sql = f"SELECT id FROM {OfficialRating._meta.db_table} WHERE id = %s"
    if connection.vendor == "postgresql":
        sql += " FOR KEY SHARE"
    with connection.cursor() as cursor:
        cursor.execute(sql, [rating_id])
    return OfficialRating.objects.only("id", "state").get(pk=rating_id)


def rate(*, actor, rating_id: int, choices: dict) -> str:
    """A deputy checked in at the meeting rates every official, once, secretly; returns the receipt. Nothing
    goes to the audit log (an event per ballot would link a moment to a ballot)."""
    item = get_or_deny(actor, OfficialRating, perms.EVALUATION_RATE, pk=rating_id)
    deputy_id = own_deputy_id(actor)
    seated = Attendee.objects.filter(
        meeting_id=item.meeting_id, deputy_id=deputy_id, voting=True, checked_in_at__isnull=False
    )
    if deputy_id is None or not seated.exists():
        raise DomainError(_("只有已签到的本次会议代表可以测评"), code=ErrorCode.NOT_A_RATER)
    picked = []
    for row in ballots.rows(item):
        choice = choices.get(row.pk) or choices.get(str(row.pk))
        if choice not in Satisfaction.rated_values():
            raise field_error(f"official_{row.pk}", _("请对每位述职人员选择满意、基本满意或不满意"))
        picked.append(ballots.choice_index(choice))
    del choices
    key = rules.voter_key(-item.pk, f"deputy:{deputy_id}")  # negative: never a survey's key
    try:
        with transaction.atomic():
            locked = _shared(item.pk)
            if locked.state != SurveyState.OPEN:
                raise SurveyClosed()
            OfficialRatingParticipation.objects.create(rating=locked, voter_key=key)
            return ballotbox.seal(box_id=ballots.survey_box(locked).pk, choices=picked)
    except IntegrityError:
        raise AlreadyResponded() from None
