"""The election rules of DOMAIN §5 as pure functions (地方组织法 §26-§28 / 选举法), one per rule.

Nothing here reads the database: services gather the figures, call these, and store what they decide.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

from apps.people.pinyin import pinyin_of

# Joint nomination: ten or more deputies [law] (地方组织法 §26).
MIN_JOINT_SIGNERS = 10

PASS, PRE_ELECTION = "ok", "pre_election"


# --- nomination ------------------------------------------------------------------------------------------


def joint_signers_problem(count: int) -> str:
    """Why a joint nomination with `count` distinct signers is refused, or ""."""
    if count < MIN_JOINT_SIGNERS:
        return _("代表联名提名须有%(min)d名以上代表联名，现有%(n)d名") % {
            "min": MIN_JOINT_SIGNERS,
            "n": count,
        }
    return ""


def over_nomination(already: int, seats: int) -> bool:
    """A nominator (the presidium, or one deputy) may not nominate more candidates than seats [law]."""
    return already + 1 > seats


# --- competitive rule (差额) -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Competitive:
    verdict: str  # PASS, PRE_ELECTION, or "" (refused)
    message: str = ""
    list_size: int = 0  # how many candidates the formal ballot carries


def competitive(*, head_post: bool, seats: int, margin: int, candidates: int) -> Competitive:
    """Check the number of candidates against the competitive rule before the ballot opens [law].

    Head posts (主席, 镇长): one more candidate than seats, or as many as seats (a single candidate).
    Deputy posts (副主席, 副镇长): exactly `margin` (1 to 3, fixed in the session's election rules) more.
    More than that: a pre-election narrows the list to the allowed size.
    """
    if head_post:
        size = seats + 1
        if candidates < seats:
            msg = _("正职候选人不能少于应选人数（应选%(s)d名，现有候选人%(n)d名）")
            return Competitive("", msg % {"s": seats, "n": candidates}, size)
        if candidates <= size:
            return Competitive(PASS, "", candidates)
        msg = _("正职候选人应比应选人数多一人（最多%(m)d名），现有%(n)d名，须进行预选")
        return Competitive(PRE_ELECTION, msg % {"m": size, "n": candidates}, size)
    size = seats + margin
    if candidates < size:
        msg = _("副职候选人应比应选人数多%(d)d人（差额数由选举办法规定），应有%(m)d名，现有%(n)d名")
        return Competitive("", msg % {"d": margin, "m": size, "n": candidates}, size)
    if candidates == size:
        return Competitive(PASS, "", size)
    msg = _("副职候选人多于选举办法规定的差额（应有%(m)d名），现有%(n)d名，须进行预选")
    return Competitive(PRE_ELECTION, msg % {"m": size, "n": candidates}, size)


def another_round_size(*, head_post: bool, seats_left: int, margin: int) -> int:
    """How many candidates 另行选举 carries: the competitive rule again for the unfilled seats."""
    return seats_left + (1 if head_post else margin)


# --- ballot order: surname strokes (姓氏笔画) -------------------------------------------------------------


@cache
def surname_strokes_table() -> dict[str, int]:
    """The stroke counts of common surnames, read from data/surname_strokes.txt (facts, not code)."""
    table: dict[str, int] = {}
    text = (Path(__file__).parent / "data" / "surname_strokes.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        count, chars = line.split(":", 1)
        for ch in chars.strip():
            if ch in table:
                raise ValueError(f"surname {ch} listed twice in surname_strokes.txt")
            table[ch] = int(count)
    return table


def surname_strokes(name: str) -> int | None:
    """Strokes of the surname's first character (复姓 by their first one), None when not in the table."""
    name = (name or "").strip()
    return surname_strokes_table().get(name[:1]) if name else None


def stroke_key(name: str, strokes: int | None):
    """Sort key for the ballot [law]: fewer surname strokes first; unknown surnames last; then, for equal
    strokes, by the name's pinyin so the order is stable and explainable."""
    return (strokes if strokes is not None else 999, pinyin_of(name), name)


# --- one ballot ------------------------------------------------------------------------------------------


def ballot_void(*, votes_for: int, write_ins: int, seats: int) -> bool:
    """A ballot naming more people (for-votes plus write-ins) than seats is void [law]."""
    return votes_for + write_ins > seats


# --- one round -------------------------------------------------------------------------------------------


def election_void(*, cast: int, issued: int) -> bool:
    """More ballots cast than issued (than voters): the election is void [law]."""
    return cast > issued


def needed_votes(total_deputies: int) -> int:
    """Elected with more than half of the votes of ALL deputies, not of those present or voting [law]."""
    return total_deputies // 2 + 1


@dataclass
class Decision:
    elected: list = field(default_factory=list)  # keys, best first
    tied: list = field(default_factory=list)  # keys tied at the edge: re-vote among them
    tie_seats: int = 0  # seats the re-vote fills
    unfilled: int = 0  # seats still empty when no tie: another round (另行选举)


def decide(*, seats: int, needed: int, votes: list[tuple[object, int]]) -> Decision:
    """Who is elected in a counted round [law].

    `votes` is (key, for-votes) in ballot order. Everyone reaching `needed` qualifies; if no more qualify
    than seats they are all elected. If more qualify, the most votes win; when the last seat's votes are
    shared by more than the seats left (a tie at the edge), those above are elected and the tied go to a
    re-vote for the remaining seats. Seats that nobody fills go to another round.
    """
    qualified = sorted((kv for kv in votes if kv[1] >= needed), key=lambda kv: -kv[1])
    if len(qualified) <= seats:
        return Decision(elected=[k for k, _v in qualified], unfilled=seats - len(qualified))
    edge = qualified[seats - 1][1]
    if qualified[seats][1] < edge:
        return Decision(elected=[k for k, _v in qualified[:seats]])
    above = [k for k, v in qualified if v > edge]
    tied = [k for k, v in qualified if v == edge]
    return Decision(elected=above, tied=tied, tie_seats=seats - len(above))


@dataclass
class PreDecision:
    advanced: list = field(default_factory=list)  # keys, most votes first
    tied: list = field(default_factory=list)
    tie_places: int = 0


def decide_pre(*, places: int, votes: list[tuple[object, int]]) -> PreDecision:
    """A pre-election (预选) keeps the `places` candidates with the most votes [law]; a tie at the edge is
    voted on again among the tied. No majority is needed in a pre-election."""
    ranked = sorted(votes, key=lambda kv: -kv[1])
    if len(ranked) <= places:
        return PreDecision(advanced=[k for k, _v in ranked])
    edge = ranked[places - 1][1]
    if ranked[places][1] < edge:
        return PreDecision(advanced=[k for k, _v in ranked[:places]])
    above = [k for k, v in ranked if v > edge]
    return PreDecision(
        advanced=above, tied=[k for k, v in ranked if v == edge], tie_places=places - len(above)
    )
