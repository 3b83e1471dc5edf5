"""The ballot box of an electronic (phone) round (issue 15, apps.ballotbox).

An electronic round gets its box when the round is made: one row per candidate in ballot order, the
options 赞成 / 反对 / 弃权, keyed by the meeting's tellers (监票人). A phone ballot is sealed in the box in
the transaction of the deputy's participation; no counter of a choice moves with it. The round's own
ballots cast / valid counters do move (how many have voted is not secret). At the close the box combines
the ballots; the tellers decrypt the combined totals only, and `rounds.count_tallied` adds them to the
counters and stores the outcome.

Two decisions about phone ballots:
- a ballot that would be void (more 赞成 than seats) is refused with a field error: a phone never makes a
  void ballot, so every sealed ballot is valid and `ballots_valid` can move with it;
- a written-in name (另选他人) cannot be sealed homomorphically (the box adds up fixed rows; a free name
  would have to be stored or decrypted on its own, which would tell the ballot): it is refused on phones,
  and a deputy who wants to write in a name asks the staff for a paper ballot. Paper rounds keep them.
Paper rounds have no box: paper ballots carry no name and are entered as read out (services).
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from apps.ballotbox import services as ballotbox
from apps.ballotbox.errors import ErrorCode as BoxCode
from apps.ballotbox.models import Box, BoxState
from apps.common.errors import DomainError
from apps.common.errors import field_error as _fail
from apps.meetings.models import Choice
from apps.meetings.services import tellers_for_box

from . import rules
from .models import Round

# The box's options, in this order: a row's sealed index is the position of its choice here.
OPTIONS = (Choice.FOR, Choice.AGAINST, Choice.ABSTAIN)


class KeysMissing(DomainError):
    status = 409
    code = BoxCode.KEYS_MISSING


def option_labels() -> list[str]:
    with translation.override("zh-hans"):
        return [str(c.label) for c in OPTIONS]


def box_of(round_: Round) -> Box | None:
    return Box.objects.filter(
        content_type=ContentType.objects.get_for_model(Round), object_id=round_.pk
    ).first()


def create_for(*, actor, round_: Round) -> Box | None:
    """The box of a new electronic round (none for paper); refused (no_tellers) until the meeting has
    two tellers named."""
    if round_.paper:
        return None
    meeting = round_.post.meeting
    names = [ln.candidate.name for ln in round_.lines.select_related("candidate").order_by("order")]
    return ballotbox.create_box(
        actor=actor,
        region=meeting.region,
        title=f"{round_.post.title} · {_('第%(n)d轮') % {'n': round_.number}}",
        labels=option_labels(),
        questions=names,
        tellers=tellers_for_box(meeting),
        target=round_,
    )


def ensure_box(*, actor, round_: Round) -> None:
    """A round made before rounds had boxes gets one (committed on its own, so its tellers can key it)."""
    if not round_.paper and box_of(round_) is None:
        with transaction.atomic():
            create_for(actor=actor, round_=round_)


def open_box(round_: Round) -> Box:
    """Open the round's box with the round (in the caller's transaction)."""
    box = box_of(round_)
    if box is None:
        raise KeysMissing(_("本轮没有票箱，不能开始电子投票"))
    if box.state == BoxState.SETUP:
        owing = [str(t.user) for t in box.trustees.select_related("user") if not t.public_share]
        if owing:
            raise KeysMissing(
                _("尚有监票人未生成密钥份额：%(names)s。请监票人在监票台生成密钥后再开始投票")
                % {"names": "、".join(owing)}
            )
    return ballotbox.open_for(box)


def close_box(round_: Round) -> Box:
    """Close the round's box (the ballots are combined); the tellers decrypt the totals next."""
    return ballotbox.close_for(box_of(round_))


def check_phone_ballot(round_: Round, by_choice: dict[str, list[int]], names: list[str]) -> None:
    """Refuse what a phone may not cast: a written-in name, or a ballot that would be void."""
    if names:
        raise _fail("write_ins", _("另选他人请向工作人员领取纸质选票"))
    if rules.ballot_void(votes_for=len(by_choice[Choice.FOR]), write_ins=0, seats=round_.seats):
        raise _fail(
            "choices",
            _("赞成的候选人多于应选人数（%(s)d名），选票将无效，请重新选择") % {"s": round_.seats},
        )


def seal(round_: Round, by_choice: dict[str, list[int]]) -> str:
    """Seal one phone ballot in the round's box (inside the caller's transaction); the receipt."""
    index = {cid: OPTIONS.index(choice) for choice, ids in by_choice.items() for cid in ids}
    rows = [index[cid] for cid in round_.lines.order_by("order").values_list("candidate_id", flat=True)]
    box_id = (
        Box.objects.filter(content_type=ContentType.objects.get_for_model(Round), object_id=round_.pk)
        .values_list("pk", flat=True)
        .first()
    )
    if box_id is None:
        raise KeysMissing(_("本轮没有票箱，不能投票"))
    receipt = ballotbox.seal(box_id=box_id, choices=rows)
    del index, rows
    return receipt


def steps(round_: Round) -> dict | None:
    """What the round's page says of its box: its state and which tellers still owe a key or a share."""
    box = box_of(round_)
    if box is None:
        return None
    seats = list(box.trustees.select_related("user", "tally").order_by("id"))
    return {
        "id": box.pk,
        "state": box.state,
        "state_label": str(box.state_label),
        "keys_owed": [str(t.user) for t in seats if not t.public_share],
        "shares_owed": [
            str(t.user) for t in seats if box.state == BoxState.CLOSED and not hasattr(t, "tally")
        ],
        "tellers": [str(t.user) for t in seats],
    }
