"""The scoring rules and the ranking with its tie-breaks, as pure functions."""

from decimal import Decimal as D

from apps.assessment import rules


def pts(value, **kw):
    args = {"target": 2, "base": 10, "increment": 0, "cap": 10, "deduction": 5} | kw
    return rules.computed_points(value, **args)


def test_meeting_the_target_earns_the_base_and_each_unit_short_costs_the_deduction():
    assert pts(2) == (D(10), D(0))
    assert pts(1) == (D(5), D(5))
    assert pts(0) == (D(0), D(10))  # never below zero
    assert pts(None) == (D(0), D(0))  # nothing to measure


def test_increments_above_the_target_stop_at_the_cap():
    assert pts(4, increment=1, cap=11) == (D(11), D(0))
    assert pts(3, increment=1, cap=12) == (D(11), D(0))


def test_a_rate_short_of_its_target_loses_points_per_percent():
    assert rules.computed_points(D("85.0"), target=95, base=5, increment=0, cap=5, deduction=D("0.2")) == (
        D("3.00"),
        D("2.00"),
    )


def test_manual_bounds_allow_deductions_down_to_the_limit():
    assert rules.manual_bounds(cap=7, deduction=3, base=7) == (D(-3), D(7))
    assert rules.manual_bounds(cap=0, deduction=0, base=6) == (D(0), D(6))


def row(key, total, deducted=0, computed=0):
    return {"key": key, "total": D(total), "deducted": D(deducted), "computed": D(computed)}


def test_ranking_breaks_a_tie_by_fewer_deductions_then_more_computed_points():
    ranked = rules.ranking(
        [row("a", 90, 2, 50), row("b", 95), row("c", 90, 1, 40), row("d", 90, 1, 45), row("e", 80)]
    )
    assert [(r.key, r.rank) for r in ranked] == [("b", 1), ("d", 2), ("c", 3), ("a", 4), ("e", 5)]
    rule = {r.key: r.tie_rule for r in ranked}
    assert rule["b"] == "" and rule["e"] == ""
    assert rule["d"] == "平台记录自动计算得分较高者居前"  # against c: same deductions
    assert rule["c"] == "平台记录自动计算得分较高者居前"
    assert rule["a"] == "扣分较少者居前"  # against c: more deductions


def test_towns_equal_on_every_rule_share_a_rank_and_say_so():
    ranked = rules.ranking([row("a", 90, 1, 40), row("b", 90, 1, 40), row("c", 70)])
    assert [(r.key, r.rank) for r in ranked] == [("a", 1), ("b", 1), ("c", 3)]
    assert ranked[0].tie_rule == ranked[1].tie_rule == rules.TIED
