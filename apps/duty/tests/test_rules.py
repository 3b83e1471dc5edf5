"""The points table on hand-checked examples (DOMAIN §8)."""

from decimal import Decimal

import pytest

from apps.duty import rules


@pytest.mark.parametrize(
    ("row", "count", "expected"),
    [
        ((6, 2, 10), 0, 0),  # no suggestion: nothing
        ((6, 2, 10), 1, 6),  # the first suggestion: 6
        ((6, 2, 10), 2, 8),  # 6 + 2
        ((6, 2, 10), 3, 10),  # 6 + 2 + 2 = 10, exactly the cap
        ((6, 2, 10), 7, 10),  # capped at 10
        ((1, 1, 4), 3, 3),  # co-signatures: 1 each
        ((1, 1, 4), 9, 4),  # cap 4
        ((4, 2, 12), 5, 12),  # receiving voters 4 + 2*4 = 12
        ((15, 0, None), 1, 15),  # attending the session
        ((15, 0, None), 2, 15),  # attending twice adds nothing further
        ((2, 1, None), 30, 31),  # no cap
        ((-1, -1, 10), 3, -3),  # absence: -1 per half day
        ((-1, -1, 10), 25, -10),  # the deduction is bounded by its cap
        (("0.5", "0.5", None), 3, Decimal("1.5")),
    ],
)
def test_points_first_further_cap_and_deductions(row, count, expected):
    assert rules.points(*row, count) == Decimal(expected)


def test_score_sums_rows_over_the_base_and_ignores_kinds_without_a_row():
    table = {"suggestion": (6, 2, 10), "absence": (-1, -1, 10), "session_attendance": (15, 0, 15)}
    total, breakdown = rules.score(60, table, {"suggestion": 2, "absence": 2, "vote": 4})
    assert total == Decimal(60 + 8 - 2)
    assert breakdown["suggestion"] == {"n": 2, "points": "8"}
    assert breakdown["vote"] == {"n": 4, "points": "0"}


def test_bands_follow_the_settings(settings):
    assert rules.band(Decimal(80)) == "good"
    assert rules.band(Decimal("79.9")) == "fair"
    assert rules.band(Decimal(60)) == "fair"
    assert rules.band(Decimal("59.5")) == "poor"
    settings.RENDA = {**settings.RENDA, "DUTY_BAND_GOOD": 90, "DUTY_BAND_FAIR": 70}
    assert rules.band(Decimal(85)) == "fair" and rules.band(Decimal(65)) == "poor"


def test_competition_ranks():
    assert rules.ranks([("a", 50), ("b", 70), ("c", 70), ("d", 10)]) == {"b": 1, "c": 1, "a": 3, "d": 4}


def test_five_good_needs_top_band_no_absence_a_suggestion_and_no_overdue_commitment():
    ok = {"suggestion": {"n": 1}, "commitment": {"n": 2}}
    assert rules.five_good(Decimal(95), ok, min_score=90, min_suggestions=1) == []
    assert rules.five_good(Decimal(85), ok, min_score=90, min_suggestions=1) == ["score"]
    bad = {**ok, "absence": {"n": 1}, "commitment_overdue": {"n": 1}}
    assert rules.five_good(Decimal(95), bad, min_score=90, min_suggestions=1) == ["absence", "commitments"]
    assert rules.five_good(Decimal(95), {}, min_score=90, min_suggestions=1) == ["suggestions"]


def test_two_poor_years_propose_removal():
    assert rules.removal_due("poor", "poor")
    assert not rules.removal_due("poor", "fair") and not rules.removal_due("poor", None)


def test_default_table_gives_about_100_to_a_diligent_deputy():
    diligent = {
        "session_attendance": 1,
        "meeting_attendance": 4,
        "study": 4,
        "reception": 5,
        "household_visit": 9,
        "inspection": 3,
        "suggestion": 3,
        "co_signature": 4,
        "poverty_help": 5,
        "diary": 6,
        "report_back": 1,
        "commitment": 3,
        "other": 3,
    }
    total, _ = rules.score(0, rules.DEFAULT_ROWS, diligent)
    assert 95 <= total <= 110
