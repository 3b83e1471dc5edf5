"""The [law] rules of DOMAIN §5, one by one."""

import pytest

from apps.meetings import rules
from apps.meetings.models import MeetingKind


@pytest.mark.parametrize(
    ("total", "quorum"), [(30, 20), (31, 21), (29, 20), (3, 2), (1, 1), (45, 30), (46, 31), (0, 0)]
)
def test_quorum_is_two_thirds_of_all_deputies_rounded_up(total, quorum):
    assert rules.quorum(total) == quorum


def test_quorum_met_at_exactly_two_thirds_and_not_one_short():
    assert rules.quorum_met(30, 20)
    assert not rules.quorum_met(30, 19)
    assert rules.quorum_met(31, 21)
    assert not rules.quorum_met(31, 20)  # 20/31 is below two thirds
    assert not rules.quorum_met(0, 0)


def test_only_congress_sittings_need_the_quorum():
    assert rules.needs_quorum(MeetingKind.PLENARY)
    assert rules.needs_quorum(MeetingKind.PREPARATORY)
    assert not rules.needs_quorum(MeetingKind.PRESIDIUM)
    assert not rules.needs_quorum(MeetingKind.GROUP)
    assert not rules.needs_quorum(MeetingKind.OTHER)


def test_adopted_needs_more_than_half_of_all_deputies_not_of_those_present():
    # 30 deputies, 20 present: 14 for is a majority of those present but not of all deputies.
    assert not rules.adopted(30, 14)
    assert not rules.adopted(30, 15)  # exactly half is not more than half
    assert rules.adopted(30, 16)
    assert rules.adopted(31, 16)
    assert not rules.adopted(31, 15)
    assert not rules.adopted(0, 0)


def test_needed_is_half_of_all_plus_one():
    assert rules.needed(30) == 16
    assert rules.needed(31) == 16
    assert rules.needed(1) == 1


def test_not_voted_counts_present_deputies_who_pressed_nothing():
    assert rules.not_voted(20, 17) == 3
    assert rules.not_voted(5, 5) == 0


def test_session_numbers_in_chinese_numerals():
    assert [rules.cn_number(n) for n in (1, 5, 10, 18, 20, 21)] == [
        "一",
        "五",
        "十",
        "十八",
        "二十",
        "二十一",
    ]


def test_ballots_back_beyond_those_handed_out_or_the_deputies_present_void_a_vote():
    from apps.meetings.rules import ballots_exceed

    assert not ballots_exceed(present=10, phone_ballots=7, paper_issued=3, paper_returned=3)
    assert ballots_exceed(present=10, phone_ballots=7, paper_issued=3, paper_returned=4)
    assert ballots_exceed(present=9, phone_ballots=7, paper_issued=3, paper_returned=3)
