from apps.common.rates import satisfaction_rate


def test_satisfaction_rate_counts_satisfied_and_basic_of_all_ratings():
    assert satisfaction_rate(5, 2, 3) == 70.0
    assert satisfaction_rate(1, 1, 1) == 66.7
    assert satisfaction_rate(0, 0, 4) == 0.0
    assert satisfaction_rate(0, 0, 0) is None
