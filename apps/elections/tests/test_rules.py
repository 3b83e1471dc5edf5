"""The election rules of DOMAIN §5 on hand-checked figures, without the database."""

from apps.elections import rules


def test_joint_nomination_needs_ten_signers():
    assert rules.joint_signers_problem(9)
    assert rules.joint_signers_problem(10) == ""


def test_over_nomination_is_more_candidates_than_seats():
    assert not rules.over_nomination(0, 1)
    assert rules.over_nomination(1, 1)
    assert not rules.over_nomination(1, 2)
    assert rules.over_nomination(2, 2)


def _head(n, seats=1):
    return rules.competitive(head_post=True, seats=seats, margin=1, candidates=n).verdict


def _deputy(n, seats=2, margin=1):
    return rules.competitive(head_post=False, seats=seats, margin=margin, candidates=n).verdict


def test_head_post_allows_a_single_candidate_or_one_more_than_seats():
    assert _head(0) == ""
    assert _head(1) == rules.PASS
    assert _head(2) == rules.PASS
    assert _head(3) == rules.PRE_ELECTION


def test_deputy_post_needs_exactly_the_margin_of_the_election_rules():
    assert _deputy(2) == ""  # 等额: refused
    assert _deputy(3) == rules.PASS
    assert _deputy(4) == rules.PRE_ELECTION
    assert _deputy(4, margin=2) == rules.PASS
    assert _deputy(4, margin=3) == ""
    assert _deputy(5, margin=3) == rules.PASS
    assert _deputy(6, margin=3) == rules.PRE_ELECTION


def test_refusal_names_the_rule():
    check = rules.competitive(head_post=False, seats=2, margin=1, candidates=2)
    assert "多1人" in check.message and "应有3名" in check.message


def test_surname_strokes_of_common_surnames():
    assert rules.surname_strokes("丁一") == 2
    assert rules.surname_strokes("王明") == 4
    assert rules.surname_strokes("张三") == 7
    assert rules.surname_strokes("陈静") == 7
    assert rules.surname_strokes("赵六") == 9
    assert rules.surname_strokes("黄河") == 11
    assert rules.surname_strokes("欧阳修") == 8
    assert rules.surname_strokes("戴安") == 17
    assert rules.surname_strokes("〇某") is None


def test_stroke_order_puts_fewer_strokes_first_and_unknown_last():
    names = ["戴安", "〇某", "张三", "王明", "丁一", "李四"]
    ordered = sorted(names, key=lambda n: rules.stroke_key(n, rules.surname_strokes(n)))
    assert ordered == ["丁一", "王明", "李四", "张三", "戴安", "〇某"]  # 李 and 张: 7 strokes, by pinyin


def test_every_demo_surname_is_in_the_table():
    from apps.demo.names import SURNAMES

    assert [s for s in SURNAMES if rules.surname_strokes(s) is None] == []


def test_ballot_naming_more_people_than_seats_is_void():
    assert not rules.ballot_void(votes_for=1, write_ins=0, seats=1)
    assert rules.ballot_void(votes_for=1, write_ins=1, seats=1)
    assert rules.ballot_void(votes_for=3, write_ins=0, seats=2)
    assert not rules.ballot_void(votes_for=1, write_ins=1, seats=2)


def test_more_ballots_cast_than_issued_voids_the_election():
    assert not rules.election_void(cast=30, issued=30)
    assert rules.election_void(cast=31, issued=30)


def test_needed_is_more_than_half_of_all_deputies():
    assert rules.needed_votes(20) == 11
    assert rules.needed_votes(21) == 11
    assert rules.needed_votes(45) == 23


def test_most_votes_win_when_more_qualify_than_seats():
    d = rules.decide(seats=2, needed=11, votes=[("a", 15), ("b", 12), ("c", 14)])
    assert d.elected == ["a", "c"] and not d.tied and d.unfilled == 0


def test_tie_at_the_edge_goes_to_a_revote_among_the_tied():
    d = rules.decide(seats=2, needed=11, votes=[("a", 15), ("b", 12), ("c", 12)])
    assert d.elected == ["a"] and d.tied == ["b", "c"] and d.tie_seats == 1


def test_tie_above_the_edge_elects_both():
    d = rules.decide(seats=2, needed=11, votes=[("a", 13), ("b", 13), ("c", 12)])
    assert d.elected == ["a", "b"] and not d.tied


def test_unfilled_seats_when_too_few_reach_the_needed_votes():
    d = rules.decide(seats=2, needed=11, votes=[("a", 11), ("b", 10), ("c", 9)])
    assert d.elected == ["a"] and d.unfilled == 1


def test_another_round_carries_the_competitive_number():
    assert rules.another_round_size(head_post=True, seats_left=1, margin=1) == 2
    assert rules.another_round_size(head_post=False, seats_left=1, margin=2) == 3


def test_pre_election_keeps_the_most_voted_and_revotes_a_tie():
    assert rules.decide_pre(places=2, votes=[("a", 5), ("b", 9), ("c", 7)]).advanced == ["b", "c"]
    d = rules.decide_pre(places=2, votes=[("a", 7), ("b", 9), ("c", 7)])
    assert d.advanced == ["b"] and d.tied == ["a", "c"] and d.tie_places == 1
