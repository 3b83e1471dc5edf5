"""Every write about elections: posts, nominations, rounds, ballots and the count.

Each service checks permission through the permission layer, validates with `rules`, writes in one
transaction (locking the round it changes), appends the audit event in that transaction, and refreshes the
meeting's live screens after commit. A ballot's content never reaches a row, a log or an audit event in
plaintext: a phone ballot is sealed in the round's ballot box (boxes.py), a paper ballot only moves
counters (see models.py). A phone refuses a ballot that would be void and any written-in name (另选他人
cannot be sealed homomorphically: the deputy asks the staff for a paper ballot; boxes.py says why).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.accounts.scopes import deny, get_or_deny, own_deputy, records_refusals
from apps.audit.services import record
from apps.common.errors import CommonCode, DomainError, ValidationFailed
from apps.common.errors import field_error as _fail
from apps.meetings import live
from apps.meetings.errors import ErrorCode as MeetingCode
from apps.meetings.models import CONGRESS_KINDS, AgendaItem, Attendee, Choice, Meeting, MeetingState
from apps.people.models import Deputy
from apps.places.terms import terms_for

from . import boxes, rounds, rules
from .errors import ErrorCode
from .models import (
    HEAD_KINDS,
    BallotLine,
    Candidate,
    NominatedBy,
    Nomination,
    Participation,
    Post,
    PostKind,
    Round,
    RoundKind,
    RoundState,
    WriteInTally,
)


class Conflict(DomainError):
    status = 409
    code = CommonCode.CONFLICT


def _publish(meeting_id: int, *, final: bool = False) -> None:
    transaction.on_commit(lambda: live.publish(meeting_id, final=final), robust=True)


def voting_attendees(meeting: Meeting):
    """The deputies of this congress: every voting attendee of the sitting."""
    return Attendee.objects.filter(meeting=meeting, voting=True, deputy__isnull=False)


# --- posts and nominations --------------------------------------------------------------------------------


def create_post(
    *,
    actor,
    meeting_id: int,
    kind: str,
    title: str = "",
    seats: int = 1,
    margin: int = 1,
    agenda_item_id=None,
) -> Post:
    """The town office puts a post to the vote at a sitting of the congress."""
    meeting = get_or_deny(actor, Meeting, perms.ELECTION_MANAGE, pk=meeting_id)
    if not terms_for(meeting.region).has_congress:  # DOMAIN §1: a street elects no presidium
        msg = _("街道不设代表大会，不进行选举")
        raise ValidationFailed(msg, code=MeetingCode.NO_CONGRESS_IN_STREET, fields={"meeting": [msg]})
    if meeting.kind not in CONGRESS_KINDS:
        raise _fail("meeting", _("选举只能在代表大会的全体会议或预备会议上进行"))
    if kind not in PostKind.values:
        raise _fail("kind", _("职务不正确"))
    if not isinstance(seats, int) or not 1 <= seats <= 20:
        raise _fail("seats", _("应选人数须为1到20"))
    if kind in HEAD_KINDS:
        margin = 1
    elif not isinstance(margin, int) or not 1 <= margin <= 3:
        raise _fail("margin", _("副职差额数须为1到3人"))
    item = None
    if agenda_item_id:
        item = AgendaItem.objects.filter(pk=agenda_item_id, meeting=meeting).first()
        if item is None:
            raise _fail("agenda_item", _("议程不属于本次会议"))
    title = (title or "").strip()[:100] or str(PostKind(kind).label)
    with transaction.atomic():
        post = Post.objects.create(
            meeting=meeting,
            agenda_item=item,
            kind=kind,
            title=title,
            seats=seats,
            margin=margin,
            created_by=actor,
        )
        record(
            actor=actor,
            action="election.post_created",
            obj=post,
            summary={"meeting": meeting.pk, "kind": kind, "seats": seats, "margin": margin},
        )
    _publish(meeting.pk)
    return post


def _congress_deputies(post: Post, ids) -> list[Deputy]:
    """The signers, each checked to be a (voting) deputy of this congress."""
    wanted = []
    for raw in ids or []:
        try:
            wanted.append(int(raw))
        except (TypeError, ValueError):
            raise _fail("signers", _("联名代表编号不正确")) from None
    wanted = list(dict.fromkeys(wanted))
    rows = {
        a.deputy_id: a.deputy
        for a in voting_attendees(post.meeting).filter(deputy_id__in=wanted).select_related("deputy")
    }
    strangers = [i for i in wanted if i not in rows]
    if strangers:
        names = ", ".join(
            Deputy.objects.filter(pk__in=strangers).values_list("name", flat=True)
        ) or ", ".join(str(i) for i in strangers)
        raise _fail("signers", _("以下联名人不是本次大会的代表：%(names)s") % {"names": names})
    return [rows[i] for i in wanted]


def nominate(
    *,
    actor,
    post_id: int,
    by: str,
    name: str = "",
    deputy_id: int | None = None,
    signers=(),
    surname_strokes: int | None = None,
    note: str = "",
) -> Candidate:
    """Enter one nomination: by the presidium, or by ten or more deputies of this congress jointly [law].
    Neither the presidium nor any deputy may nominate more candidates for a post than it has seats [law]."""
    post = get_or_deny(actor, Post, perms.ELECTION_MANAGE, pk=post_id)
    if by not in (NominatedBy.PRESIDIUM, NominatedBy.JOINT):
        raise _fail("by", _("提名方式须为主席团提名或代表联名提名"))
    deputy = None
    if deputy_id:
        deputy = Deputy.objects.filter(pk=deputy_id, town_id=post.meeting.town_id).first()
        if deputy is None:
            raise _fail(
                "deputy",
                _("候选人须为%(own_deputies)s，或直接填写姓名") % terms_for(post.meeting.region).words(),
            )
    name = (name or (deputy.name if deputy else "")).strip()
    if not name or len(name) > 50:
        raise _fail("name", _("请填写候选人姓名（50字以内）"))
    if surname_strokes is not None and not 1 <= int(surname_strokes) <= 40:
        raise _fail("surname_strokes", _("姓氏笔画数不正确"))
    people = _congress_deputies(post, signers) if by == NominatedBy.JOINT else []
    if by == NominatedBy.JOINT and (problem := rules.joint_signers_problem(len(people))):
        raise _fail("signers", problem)
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        if post.rounds.exists():
            raise Conflict(_("选举已开始，不能再提名"))
        if post.candidates.filter(name=name).exists():
            raise _fail("name", _("%(name)s 已是该职务的候选人") % {"name": name})
        if by == NominatedBy.PRESIDIUM:
            done = post.nominations.filter(by=NominatedBy.PRESIDIUM).count()
            if rules.over_nomination(done, post.seats):
                raise _fail("by", _("主席团提名的候选人不能多于应选人数（%(s)d名）") % {"s": post.seats})
        else:
            over = [
                d.name
                for d in people
                if rules.over_nomination(post.nominations.filter(signers=d).count(), post.seats)
            ]
            if over:
                msg = _("以下代表联名提名的候选人已达应选人数（%(s)d名），不能再联名：%(names)s")
                raise _fail("signers", msg % {"s": post.seats, "names": ", ".join(over)})
        nomination = Nomination.objects.create(post=post, by=by, note=(note or "")[:200], created_by=actor)
        nomination.signers.set(people)
        strokes = surname_strokes if surname_strokes is not None else rules.surname_strokes(name)
        candidate = Candidate.objects.create(
            post=post, nomination=nomination, deputy=deputy, name=name, surname_strokes=strokes
        )
        record(
            actor=actor,
            action="election.nominated",
            obj=candidate,
            summary={"post": post.pk, "by": by, "name": name, "signers": [d.pk for d in people]},
        )
    _publish(post.meeting_id)
    return candidate


def withdraw(*, actor, candidate_id: int, reason: str = "") -> None:
    """Remove a nomination entered by mistake, before any round exists."""
    candidate = get_or_deny(actor, Candidate, perms.ELECTION_MANAGE, pk=candidate_id)
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=candidate.post_id)
        if post.rounds.exists():
            raise Conflict(_("选举已开始，不能撤回提名"))
        record(
            actor=actor,
            action="election.nomination_withdrawn",
            obj=candidate,
            summary={"post": post.pk, "name": candidate.name},
            reason=reason,
        )
        nomination = candidate.nomination
        candidate.delete()
        if nomination:
            nomination.delete()
    _publish(post.meeting_id)


# --- rounds -----------------------------------------------------------------------------------------------


def check_competitive(post: Post) -> rules.Competitive:
    return rules.competitive(
        head_post=post.head_post, seats=post.seats, margin=post.margin, candidates=post.candidates.count()
    )


def start(*, actor, post_id: int, paper: bool = False) -> Round:
    """Close nominations and make the first round: the formal ballot in surname-stroke order, or a
    pre-election when more were nominated than the competitive rule allows [law]."""
    post = get_or_deny(actor, Post, perms.ELECTION_MANAGE, pk=post_id)
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        if post.rounds.exists():
            raise Conflict(_("该职务的选举已开始"))
        check = check_competitive(post)
        if not check.verdict:
            raise ValidationFailed(
                check.message, code=ErrorCode.NOT_COMPETITIVE, fields={"candidates": [check.message]}
            )
        candidates = rounds.stroke_order(post.candidates.all())
        if check.verdict == rules.PRE_ELECTION:
            round_ = rounds.new_round(
                actor=actor,
                post=post,
                kind=RoundKind.PRE,
                seats=check.list_size,
                candidates=candidates,
                paper=paper,
            )
        else:
            round_ = rounds.new_round(
                actor=actor,
                post=post,
                kind=RoundKind.FORMAL,
                seats=post.seats,
                candidates=candidates,
                paper=paper,
            )
    _publish(post.meeting_id)
    return round_


def open_ballot(*, actor, round_id: int, issued: int | None = None) -> Round:
    """The town office opens a round. The formal ballot is checked against the competitive rule first;
    a paper round records the ballots issued (default: the deputies checked in)."""
    round_ = get_or_deny(actor, Round, perms.ELECTION_MANAGE, pk=round_id)
    if round_.state == RoundState.READY:
        boxes.ensure_box(actor=actor, round_=round_)
    with transaction.atomic():
        round_ = Round.objects.select_for_update().select_related("post__meeting").get(pk=round_.pk)
        post = round_.post
        if round_.state != RoundState.READY:
            raise Conflict(_("该轮投票已开始或已结束"))
        if post.meeting.state == MeetingState.CLOSED and not round_.paper:
            # Paper ballots of a sitting may be entered after it; deputies cannot vote on phones then.
            raise Conflict(_("会议已结束，不能开始电子投票"))
        if post.rounds.filter(state=RoundState.OPEN).exists():
            raise Conflict(_("该职务另有一轮投票正在进行"))
        if round_.kind == RoundKind.FORMAL:
            check = rules.competitive(
                head_post=post.head_post,
                seats=post.seats,
                margin=post.margin,
                candidates=round_.lines.count(),
            )
            if check.verdict != rules.PASS:
                raise ValidationFailed(
                    check.message, code=ErrorCode.NOT_COMPETITIVE, fields={"candidates": [check.message]}
                )
        present = voting_attendees(post.meeting).filter(checked_in_at__isnull=False).count()
        if round_.paper:
            if issued is None:
                issued = present
            if not isinstance(issued, int) or issued < 0:
                raise _fail("issued", _("发出选票数不正确"))
            round_.ballots_issued = issued
        elif present == 0:
            raise Conflict(_("还没有代表签到，不能开始投票"))
        else:
            boxes.open_box(round_)  # refused until every teller has made their key share
        round_.state = RoundState.OPEN
        round_.opened_at = timezone.now()
        round_.opened_by = actor
        round_.save(update_fields=["state", "opened_at", "opened_by", "ballots_issued"])
        record(
            actor=actor,
            action="election.opened",
            obj=round_,
            summary={"post": post.pk, "number": round_.number, "paper": round_.paper, "issued": issued},
        )
    _publish(post.meeting_id)
    return round_


# --- ballots ----------------------------------------------------------------------------------------------


def _read_ballot(round_: Round, choices: dict, write_ins) -> tuple[dict[str, list[int]], list[str]]:
    """Check a ballot's content; answer the candidate ids by choice and the cleaned written-in names.
    An unmarked candidate counts as an abstention."""
    lines = {ln.candidate_id: ln.candidate.name for ln in round_.lines.select_related("candidate")}
    by_choice: dict[str, list[int]] = {c: [] for c in Choice.values}
    for raw_id, choice in (choices or {}).items():
        try:
            cid = int(raw_id)
        except (TypeError, ValueError):
            raise _fail("choices", _("选票上没有这位候选人")) from None
        if cid not in lines:
            raise _fail("choices", _("选票上没有这位候选人"))
        if choice not in Choice.values:
            raise _fail("choices", _("每位候选人只能选择赞成、反对或弃权"))
        by_choice[choice].append(cid)
    marked = {cid for ids in by_choice.values() for cid in ids}
    by_choice[Choice.ABSTAIN] += [cid for cid in lines if cid not in marked]
    names: list[str] = []
    on_ballot = set(lines.values())
    for raw in write_ins or []:
        name = "".join(str(raw or "").split())  # "王 明" and "王明" are one person on a paper count
        if not name:
            continue
        if len(name) > 50:
            raise _fail("write_ins", _("另选他人的姓名不能超过50字"))
        if name in on_ballot:
            raise _fail("write_ins", _("%(name)s 是选票上的候选人，请直接投赞成票") % {"name": name})
        if name in names:
            raise _fail("write_ins", _("另选他人不能重复填写同一人"))
        names.append(name)
    if round_.kind == RoundKind.PRE and names:
        raise _fail("write_ins", _("预选不能另选他人"))
    return by_choice, names


def _count(round_: Round, by_choice: dict[str, list[int]], names: list[str]) -> None:
    """Move the counters of one ballot. Void ballots (more names than seats [law]) move only the void
    counter. Nothing else is written."""
    void = rules.ballot_void(votes_for=len(by_choice[Choice.FOR]), write_ins=len(names), seats=round_.seats)
    Round.objects.filter(pk=round_.pk).update(
        ballots_cast=F("ballots_cast") + 1,
        **({"ballots_void": F("ballots_void") + 1} if void else {"ballots_valid": F("ballots_valid") + 1}),
    )
    if void:
        return
    field = {Choice.FOR: "votes_for", Choice.AGAINST: "votes_against", Choice.ABSTAIN: "votes_abstain"}
    for choice, ids in by_choice.items():
        if ids:
            BallotLine.objects.filter(round=round_, candidate_id__in=ids).update(
                **{field[choice]: F(field[choice]) + 1}
            )
    for name in names:
        WriteInTally.objects.get_or_create(round=round_, name=name)
        WriteInTally.objects.filter(round=round_, name=name).update(count=F("count") + 1)


def _locked_open(round_id: int) -> Round:
    round_ = Round.objects.select_for_update().select_related("post__meeting").get(pk=round_id)
    if round_.state != RoundState.OPEN:
        raise Conflict(_("投票未开始或已结束"))
    return round_


@records_refusals()
def cast_ballot(*, actor, round_id: int, choices: dict, write_ins=()) -> str:
    """A checked-in voting deputy casts their secret ballot on the phone, once per round; answers the
    receipt. In one transaction: the participation (deputy, round), the round's cast / valid counters and
    the ballot sealed in the round's box; no counter of a choice moves (boxes.py)."""
    deputy = own_deputy(actor)
    round_ = get_or_deny(actor, Round, pk=round_id)
    if deputy is None:
        deny(actor, "election.ballot_cast", round_, message=_("只有代表本人可以投票"))
    with transaction.atomic():
        round_ = _locked_open(round_.pk)
        if round_.paper:
            raise Conflict(_("本轮使用纸质选票，请在会场填写选票"))
        seat = voting_attendees(round_.post.meeting).filter(deputy=deputy).first()
        if seat is None:
            deny(actor, "election.ballot_cast", round_, message=_("您不是本次大会有表决权的代表"))
        if seat.checked_in_at is None:
            deny(actor, "election.ballot_cast", round_, message=_("请先签到再投票"))
        by_choice, names = _read_ballot(round_, choices, write_ins)
        boxes.check_phone_ballot(round_, by_choice, names)
        try:
            with transaction.atomic():
                Participation.objects.create(round=round_, deputy=deputy)
        except IntegrityError:
            paper = Participation.objects.filter(round=round_, deputy=deputy, paper=True).exists()
            msg = _("您已领取纸质选票，请在纸质选票上投票") if paper else _("您已在本轮投过票")
            raise Conflict(msg) from None
        Round.objects.filter(pk=round_.pk).update(
            ballots_cast=F("ballots_cast") + 1, ballots_valid=F("ballots_valid") + 1
        )
        receipt = boxes.seal(round_, by_choice)
        del by_choice
        record(
            actor=actor,
            action="election.ballot_cast",
            obj=round_,
            summary={"round": round_.pk, "deputy": deputy.pk},
        )
    _publish(round_.post.meeting_id)
    return receipt


def record_paper_ballot(*, actor, round_id: int, choices: dict, write_ins=()) -> None:
    """At the count of a paper round, the counting staff enter one ballot as read out (唱票). Paper
    ballots carry no name, so nothing links them to a deputy."""
    round_ = get_or_deny(actor, Round, perms.ELECTION_MANAGE, pk=round_id)
    with transaction.atomic():
        round_ = _locked_open(round_.pk)
        if not round_.paper:
            raise Conflict(_("本轮是电子投票，不能录入纸质选票"))
        by_choice, names = _read_ballot(round_, choices, write_ins)
        _count(round_, by_choice, names)
        record(actor=actor, action="election.paper_ballot_entered", obj=round_, summary={"round": round_.pk})
    _publish(round_.post.meeting_id)


# --- the count --------------------------------------------------------------------------------------------


def close_and_count(*, actor, round_id: int) -> Round:
    """Close a round. A paper round's outcome is stored at once; an electronic round's box is closed (its
    ballots combined) and the round waits in COUNTING for the tellers' shares (rounds.count_tallied).
    The outcome: void when more ballots were cast than issued [law]; otherwise elected with more than half
    of ALL deputies [law], the most votes when more qualify, a re-vote among those tied at the edge,
    another round (另行选举) for seats left unfilled."""
    round_ = get_or_deny(actor, Round, perms.ELECTION_MANAGE, pk=round_id)
    with transaction.atomic():
        round_ = _locked_open(round_.pk)
        post = round_.post
        deputies = voting_attendees(post.meeting)
        round_.total_deputies = deputies.count()
        round_.present = deputies.filter(checked_in_at__isnull=False).count()
        if not round_.paper:
            round_.ballots_issued = round_.present
        round_.needed = rules.needed_votes(round_.total_deputies)
        round_.closed_at = timezone.now()
        round_.closed_by = actor
        if round_.paper:
            rounds.finish_count(actor, round_)
        else:
            round_.state = RoundState.COUNTING
            round_.save()
            boxes.close_box(round_)
            record(
                actor=actor,
                action="election.closed",
                obj=round_,
                summary={
                    "total_deputies": round_.total_deputies,
                    "present": round_.present,
                    "issued": round_.ballots_issued,
                    "cast": round_.ballots_cast,
                },
            )
    _publish(post.meeting_id, final=True)
    return round_
