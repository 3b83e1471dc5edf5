"""The rules of congress sittings and votes (DOMAIN §5), as pure functions tested one by one.

Both count against ALL deputies of the congress (every voting deputy expected at the meeting), never
against those present: a deputy on leave still counts in the denominator.
"""

from __future__ import annotations

from apps.common.cn import numeral

from .choices import CONGRESS_KINDS


def quorum(total_deputies: int) -> int:
    """Deputies who must be present to open a congress sitting: two thirds or more of all deputies
    [law, 地方组织法: 乡镇人民代表大会会议须有三分之二以上的代表出席, 始得举行]. ceil(2/3 × total)."""
    return (2 * total_deputies + 2) // 3


def quorum_met(total_deputies: int, present: int) -> bool:
    return total_deputies > 0 and present >= quorum(total_deputies)


def needs_quorum(kind: str) -> bool:
    """Only sittings of the congress itself need the two-thirds quorum; other meetings record attendance."""
    return kind in CONGRESS_KINDS


def needed(total_deputies: int) -> int:
    """Votes for that adopt an item: more than half of all deputies
    [law, 地方组织法: 以全体代表的过半数通过]."""
    return total_deputies // 2 + 1


def adopted(total_deputies: int, votes_for: int) -> bool:
    """More than half of ALL deputies, not of those present (DOMAIN §5): 30 deputies, 20 present, 14 for
    fails although 14 of 20 is a majority of those present; 16 for passes."""
    return total_deputies > 0 and votes_for > total_deputies // 2


def not_voted(present: int, voted: int) -> int:
    """Present deputies who pressed nothing count as not voted (DOMAIN §5)."""
    return max(present - voted, 0)


# Session titles number terms and sittings in Chinese numerals (第十八届 … 第五次).
cn_number = numeral


def ballots_exceed(present: int, phone_ballots: int, paper_issued: int, paper_returned: int) -> bool:
    """More ballots came back than were handed out, or than deputies present to vote, phones and paper
    together: the vote is void [law, 选举法 §41 by analogy: 收回的选票多于发出的选票 /
    所投的票数多于投票人数的无效]."""
    return paper_returned > paper_issued or phone_ballots + paper_returned > present
