"""The vote rules of DOMAIN §6 as pure functions over values (issue 19 part 3), each [local] with its
default in common/conf.py. The tally itself is the elections' (`apps.elections.rules`): a ballot marking
more than the places is void, a project needs more than half of ALL deputies, the places go to the most
votes, a tie at the last place is re-voted among the tied, unfilled places may go to a further round. One
mechanism for both: the projects' vote calls those functions, it does not copy them."""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.elections.rules import Decision, ballot_void, decide, needed_votes

__all__ = ["Decision", "ballot_void", "decide", "dissatisfied", "needed", "ratio_problem", "void"]


def ratio_problem(*, candidates: int, places: int, min_percent: int) -> str:
    """Why the list cannot be put to the vote, or "": always more candidates than places (差额), and at
    least `min_percent` candidates per hundred places ([local] PROJECT_MIN_RATIO_PERCENT, 200 = 2:1)."""
    if places < 1:
        return _("拟票决项目数至少为1个")
    if candidates <= places:
        return _("候选项目须多于拟票决项目数（差额票决）：拟票决%(p)d个，现有候选项目%(n)d个") % {
            "p": places,
            "n": candidates,
        }
    if candidates * 100 < places * min_percent:
        want = -(-places * min_percent // 100)
        return _("候选项目不足差额比例（%(r)s:1）：拟票决%(p)d个，至少须有%(w)d个候选项目，现有%(n)d个") % {
            "r": f"{min_percent / 100:g}",
            "p": places,
            "w": want,
            "n": candidates,
        }
    return ""


def void(*, marked: int, places: int) -> bool:
    """A ballot marking more projects than the round's places is void [local, DOMAIN §6]."""
    return ballot_void(votes_for=marked, write_ins=0, seats=places)


def needed(*, total_deputies: int, valid: int, majority_of_all: bool) -> int:
    """Votes a project needs: more than half of ALL the congress's deputies (default), or of the valid
    ballots where the township's rule says so."""
    return needed_votes(total_deputies if majority_of_all else valid)


def dissatisfied(*, counts: dict[str, int], percent: int) -> bool:
    """The year-end rating's dissatisfied share reaches the threshold (in percent of the ratings cast)."""
    total = sum(counts.values())
    return bool(total) and counts.get("dissatisfied", 0) * 100 >= percent * total
