"""Every write of the archive app: commitments, their progress and year-end rating, report-back meetings,
the deputies' written reports and the voters' secret rating (DOMAIN §8)."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts import permissions as perms
from apps.accounts.scopes import get_or_deny, own_deputy
from apps.audit.services import record
from apps.ballotbox import services as ballotbox
from apps.common import conf
from apps.common.choices import Satisfaction
from apps.common.errors import DomainError, NotFound, Throttled, ValidationFailed
from apps.common.errors import field_error as _fail
from apps.localrules.selectors import local_value
from apps.people.models import Deputy, Voter
from apps.people.rules import validate_phone
from apps.places.models import Region
from apps.places.terms import terms_for
from apps.workflow.services import transition

from . import ballots, rules
from .errors import ErrorCode
from .models import (
    Commitment,
    CommitmentProgress,
    CommitmentRating,
    CommitmentState,
    RatingParticipation,
    ReportBackMeeting,
    ReportBackSpeaker,
    ReportBackState,
    ReportState,
)


class AlreadyRated(DomainError):
    status = 409
    code = ErrorCode.ALREADY_RATED
    default_message = gettext_lazy("该手机号码已参加本场测评，每个号码每场只能测评一次")


class RatingClosed(DomainError):
    status = 409
    code = ErrorCode.RATING_CLOSED
    default_message = gettext_lazy("本场测评未开始或已结束")


def _deputy_to_change(actor, deputy_id: int) -> Deputy:
    """The deputy themself, or an office covering the deputy."""
    own = own_deputy(actor)
    if own is not None and own.pk == int(deputy_id):
        return own
    return get_or_deny(actor, Deputy, perms.COMMITMENT_EDIT, pk=deputy_id)


def _commitment_to_change(actor, commitment_id: int, *, office_only=False) -> Commitment:
    own = own_deputy(actor)
    if not office_only and own is not None:
        item = Commitment.objects.filter(pk=commitment_id, deputy=own).first()
        if item is not None:
            return item
    cap = perms.COMMITMENT_RATE if office_only else perms.COMMITMENT_EDIT
    return get_or_deny(actor, Commitment, cap, pk=commitment_id)


def _text(data: dict, key: str, limit: int) -> str:
    return str(data.get(key) or "").strip()[:limit]


def _date(value, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise _fail(field, _("日期格式应为 YYYY-MM-DD")) from None


# --- commitments (实事承诺) ----------


def create_commitment(*, actor, deputy_id: int, data: dict) -> Commitment:
    deputy = _deputy_to_change(actor, deputy_id)
    title = _text(data, "title", 100)
    if not title:
        raise _fail("title", _("请填写承诺事项"))
    target = _date(data.get("target_date"), "target_date")
    year = int(data.get("year") or target.year)
    if target.year != year:
        raise _fail("target_date", _("计划完成日期应在承诺年度内"))
    with transaction.atomic():
        # Lock the deputy row so two commitments entered at once cannot both pass the 1-3 rule.
        Deputy.objects.select_for_update().filter(pk=deputy.pk).first()
        existing = (
            Commitment.objects.filter(deputy=deputy, year=year)
            .exclude(state=CommitmentState.WITHDRAWN)
            .count()
        )
        objection = rules.too_many_commitments(
            existing, local_value("COMMITMENTS_MIN", deputy), local_value("COMMITMENTS_MAX", deputy)
        )
        if objection:
            raise _fail("title", objection)
        item = Commitment.objects.create(
            deputy=deputy,
            year=year,
            title=title,
            detail=_text(data, "detail", 2000),
            target_date=target,
            created_by=actor if actor.is_authenticated else None,
        )
        record(
            actor=actor,
            action="archive.commitment.created",
            obj=item,
            summary={"deputy": deputy.pk, "year": year, "title": title, "target_date": target},
        )
    return item


def add_progress(*, actor, commitment_id: int, data: dict, photo=None) -> CommitmentProgress:
    item = _commitment_to_change(actor, commitment_id)
    note = _text(data, "note", 2000)
    if not note:
        raise _fail("note", _("请填写进展情况"))
    on = _date(data.get("date") or timezone.localdate(), "date")
    if item.state != CommitmentState.OPEN:
        raise _fail("note", _("该承诺已评定或已撤回，不能再报告进展"))
    with transaction.atomic():
        progress = CommitmentProgress.objects.create(
            commitment=item, date=on, note=note, created_by=actor if actor.is_authenticated else None
        )
        if photo is not None:
            from apps.workflow.uploads import attach

            attach(actor=actor, item=progress, upload=photo, public=False)
        record(
            actor=actor,
            action="archive.commitment.progress",
            obj=item,
            summary={"progress": progress.pk, "date": on, "photo": photo is not None},
        )
    return progress


def withdraw_commitment(*, actor, commitment_id: int, reason: str) -> Commitment:
    item = _commitment_to_change(actor, commitment_id)
    if not (reason or "").strip():
        raise _fail("reason", _("请说明撤回原因"))
    if item.state != CommitmentState.OPEN:
        raise _fail("reason", _("只能撤回进行中的承诺"))
    return transition(item, "withdraw", actor=actor, data={"reason": reason})


def rate_commitment(*, actor, commitment_id: int, rating: str, reason: str = "", today=None) -> Commitment:
    """The town office's year-end rating: the commitment's `fulfilled` or `not_fulfilled` step, which
    appends the `commitment` or `commitment_overdue` duty record once; rating again the same way changes
    nothing, another way is refused (the result is archived)."""
    item = _commitment_to_change(actor, commitment_id, office_only=True)
    if rating not in CommitmentRating.values:
        raise _fail("rating", _("请选择评定结果：已兑现、部分兑现或未兑现"))
    reason = (reason or "").strip()[:300]
    if rating != CommitmentRating.FULFILLED and not reason:
        raise _fail("reason", _("部分兑现或未兑现须说明原因"))
    if item.state == CommitmentState.WITHDRAWN:
        raise _fail("rating", _("已撤回的承诺不再评定"))
    if item.rating:
        if item.rating == rating:
            return item
        raise _fail(
            "rating", _("该承诺已评定为“%(r)s”，评定结果归档后不能更改") % {"r": item.get_rating_display()}
        )
    key, data = (
        ("fulfilled", {}) if rating == CommitmentRating.FULFILLED else ("not_fulfilled", {"rating": rating})
    )
    return transition(item, key, actor=actor, data={**data, "reason": reason}, today=today)


# --- report-back meetings (述职) ----------


def plan_meeting(*, actor, region_id: int, data: dict, deputy_ids: list[int]) -> ReportBackMeeting:
    region = Region.objects.filter(pk=region_id, level="town").first()
    if region is None:
        raise _fail("region", _("请选择镇（街道）"))
    perms.require_in(actor, perms.REPORT_BACK_MANAGE, region)
    month = local_value("REPORT_BACK_MONTH", region)
    on = data.get("date") or rules.default_report_back_date(timezone.localdate(), month)
    on = _date(on, "date")
    try:
        expected = int(data.get("expected_voters") or 50)
    except (TypeError, ValueError):
        raise _fail("expected_voters", _("应到选民代表人数应为整数")) from None
    if expected < 1:
        raise _fail("expected_voters", _("应到选民代表人数应大于0"))
    ids = {int(i) for i in deputy_ids or [] if str(i).strip().isascii() and str(i).strip().isdigit()}
    if not ids:
        raise _fail("deputies", _("请选择述职代表"))
    deputies = list(Deputy.objects.filter(pk__in=ids, town_id=region.pk))
    if len(deputies) != len(ids):
        raise _fail("deputies", _("述职代表须是%(own_deputies)s") % terms_for(region).words())
    title = _text(data, "title", 200) or _("%(town)s%(year)s年度人大代表向选民述职会") % {
        "town": region.name,
        "year": on.year,
    }
    with transaction.atomic():
        meeting = ReportBackMeeting.objects.create(
            region=region,
            title=title,
            date=on,
            place=_text(data, "place", 200),
            expected_voters=expected,
            created_by=actor,
        )
        ReportBackSpeaker.objects.bulk_create(
            [ReportBackSpeaker(meeting=meeting, deputy=d) for d in deputies]
        )
        record(
            actor=actor,
            action="archive.report_back.planned",
            obj=meeting,
            summary={"date": on, "deputies": sorted(ids), "expected_voters": expected},
        )
    return meeting


def save_report(*, actor, speaker_id: int, text: str, submit: bool = False) -> ReportBackSpeaker:
    """The deputy edits the drafted report and submits it; the office may enter a paper one."""
    speaker = ReportBackSpeaker.objects.select_related("meeting", "deputy").filter(pk=speaker_id).first()
    if speaker is None:
        raise NotFound()
    own = own_deputy(actor)
    if not (own is not None and own.pk == speaker.deputy_id):
        get_or_deny(actor, ReportBackSpeaker, perms.REPORT_BACK_REPORT, pk=speaker_id)
    text = (text or "").strip()
    if not text:
        raise _fail("report", _("请填写述职报告"))
    if len(text) > 20000:
        raise _fail("report", _("述职报告不能超过20000字"))
    with transaction.atomic():
        speaker = ReportBackSpeaker.objects.select_for_update().get(pk=speaker.pk)
        if speaker.meeting.state in (ReportBackState.COUNTING, ReportBackState.CLOSED):
            raise _fail("report", _("测评已结束，述职报告已归档"))
        speaker.report = text
        fields = ["report"]
        if submit:
            speaker.report_state, speaker.submitted_at = ReportState.SUBMITTED, timezone.now()
            fields += ["report_state", "submitted_at"]
        speaker.save(update_fields=fields)
        record(
            actor=actor,
            action="archive.report_back.report_submitted" if submit else "archive.report_back.report_saved",
            obj=speaker,
            summary={"meeting": speaker.meeting_id, "deputy": speaker.deputy_id, "length": len(text)},
        )
    return speaker


def _meeting_to_change(actor, meeting_id: int) -> ReportBackMeeting:
    return get_or_deny(actor, ReportBackMeeting, perms.REPORT_BACK_MANAGE, pk=meeting_id)


def prepare_rating(*, actor, meeting_id: int, second_teller: int) -> ReportBackMeeting:
    """The meeting's `prepare_rating` step: the office names a second staff member and the rating's ballot
    box is made with the two as its tellers (issue 15); both then make their key shares on the teller desk.
    A refused second teller is a field error, and recorded."""
    meeting = _meeting_to_change(actor, meeting_id)
    if meeting.state != ReportBackState.PLANNED:
        raise RatingClosed(_("只能在测评开始前准备测评"))
    try:
        return transition(meeting, "prepare_rating", actor=actor, data={"second_teller": second_teller})
    except ValidationFailed as exc:
        record(
            actor=actor,
            action="archive.report_back.teller_refused",
            obj=meeting,
            summary={"second_teller": _user_id(second_teller), "fields": sorted(exc.fields or {})},
        )
        raise


def _user_id(value) -> int | None:
    """A user id as posted, for the audit log: a number in a column's range, or None (never the raw text)."""
    text = str(value).strip()
    return int(text) if text.isascii() and text.isdigit() and int(text) <= 2**31 - 1 else None


def open_rating(*, actor, meeting_id: int) -> ReportBackMeeting:
    """The `open_rating` step: the box opens, refused while a teller's key share is missing."""
    meeting = _meeting_to_change(actor, meeting_id)
    if meeting.state == ReportBackState.PLANNED:
        raise RatingClosed(_("请先准备测评：指定第二名监票人，两名监票人生成密钥份额后才能开启测评"))
    if meeting.state != ReportBackState.PREPARED:
        raise RatingClosed(_("只能在测评开始前开启测评"))
    return transition(meeting, "open_rating", actor=actor)


def close_rating(*, actor, meeting_id: int, today=None) -> ReportBackMeeting:
    """Close the rating: the meeting's `close_rating` step closes its box and the meeting waits for the two
    tellers' shares (`counting`); the last share files each deputy's result once (never edited after) and
    appends the `report_back` duty record of every reporting deputy (ballots.on_tallied)."""
    meeting = _meeting_to_change(actor, meeting_id)
    if meeting.state != ReportBackState.RATING:
        raise RatingClosed(_("测评未开启或已结束"))
    return transition(meeting, "close_rating", actor=actor, today=today)


def close_rating_anyway(*, actor, meeting_id: int, reason: str, today=None) -> ReportBackMeeting:
    """Close a rating fewer voters took part in than the town's share of the expected voters [local]: the
    office's override, with its reason kept on the step and in the audit log (`close_rating_anyway`)."""
    meeting = _meeting_to_change(actor, meeting_id)
    if meeting.state != ReportBackState.RATING:
        raise RatingClosed(_("测评未开启或已结束"))
    reason = (reason or "").strip()
    if not reason:
        raise _fail("reason", _("参评人数不足，须说明仍结束测评的理由"))
    return transition(meeting, "close_rating_anyway", actor=actor, data={"reason": reason}, today=today)


def rating_meeting(token: str) -> ReportBackMeeting:
    meeting = ReportBackMeeting.objects.filter(rating_token=token).select_related("region").first()
    if meeting is None:
        raise NotFound()
    return meeting


def _throttle(meeting_id: int):
    """[local] attempts per client address per meeting and hour (RENDA REPORT_BACK_ATTEMPTS_PER_IP_HOUR):
    a hall shares one address, so the default is generous; it stops trying numbers in bulk."""
    from django.core.cache import cache

    from apps.audit.services import current_ip

    limit = int(conf.get("REPORT_BACK_ATTEMPTS_PER_IP_HOUR"))
    key = f"archive:rate:{meeting_id}:{current_ip() or '-'}"
    cache.add(key, 0, 3600)
    try:
        n = cache.incr(key)
    except ValueError:
        cache.set(key, 1, 3600)
        n = 1
    if n > limit:
        raise Throttled(_("尝试次数过多，请稍后再试"))


def _rating_meeting_shared(meeting_id: int) -> ReportBackMeeting:
    """The meeting under the weakest lock that still waits for its close (FOR KEY SHARE on PostgreSQL, as
    ballotbox.seal reads its box): ratings at once do not wait on each other, and the close's FOR UPDATE
    waits for those under way, so the participants it counts are the ballots its box combines."""
    sql = f"SELECT id FROM {ReportBackMeeting._meta.db_table} WHERE id = %s"
    if connection.vendor == "postgresql":
        sql += " FOR KEY SHARE"
    with connection.cursor() as cursor:
        cursor.execute(sql, [meeting_id])
    return ReportBackMeeting.objects.only("id", "state").get(pk=meeting_id)


def cast_rating(*, token: str, phone: str, choices: dict) -> str:
    """One voter's secret rating of every reporting deputy, from the hall or by QR code; returns the
    receipt of the sealed ballot (the voter checks it is counted at /api/v1/public/ballotbox/receipts/...).

    The phone must be a mobile number and, unless the town's [local] REPORT_BACK_VOTERS_ONLY is off, the
    number of a registered voter of the meeting's town. Only a keyed hash of it is stored, unique per
    meeting; the choices are sealed in the meeting's ballot box in the same transaction (issue 15): no
    counter moves. Nothing is written to the audit log: an event per ballot would link a moment to a
    ballot."""
    meeting = rating_meeting(token)
    _throttle(meeting.pk)
    phone = rules.normalise_phone(phone)
    problem = validate_phone(phone)
    if problem:
        raise _fail("phone", problem)
    speakers = list(meeting.speakers.order_by("id").values_list("deputy_id", flat=True))
    picked = []
    for deputy_id in speakers:
        choice = choices.get(deputy_id) or choices.get(str(deputy_id))
        if choice not in Satisfaction.rated_values():
            raise _fail(f"deputy_{deputy_id}", _("请对每位述职代表选择满意、基本满意或不满意"))
        picked.append(ballots.choice_index(choice))
    del choices
    if local_value("REPORT_BACK_VOTERS_ONLY", meeting):
        if not Voter.objects.filter(household__town_id=meeting.town_id, phone=phone).exists():
            words = terms_for(meeting.town).words()
            raise _fail("phone", _("该手机号码不是%(here)s登记选民的号码，请向工作人员核实") % words)
    key = rules.voter_key(meeting.pk, phone)
    try:
        with transaction.atomic():
            locked = _rating_meeting_shared(meeting.pk)
            box = ballots.rating_box(locked) if locked.state == ReportBackState.RATING else None
            if box is None:
                raise RatingClosed()
            RatingParticipation.objects.create(meeting=locked, voter_key=key)
            receipt = ballotbox.seal(box_id=box.pk, choices=picked)
    except IntegrityError:
        raise AlreadyRated() from None
    return receipt
