"""The scoring rules of DOMAIN §8, as pure functions: the points of one row of the table, the evaluation
band, ranks, the five-good test, and the demo's default table. All [local]: the county sets the numbers."""

from __future__ import annotations

import datetime
from decimal import Decimal

from apps.common import conf

from .choices import ActivityKind, Band

K = ActivityKind

# [local] The default table (DOMAIN §8's open-source example, plus rows for the other kinds) giving about 100
# points to a diligent deputy: kind -> (first, each further, cap or None). Negative rows are deductions.
DEFAULT_ROWS: dict[str, tuple[int, int, int | None]] = {
    K.SESSION_ATTENDANCE: (15, 0, 15),
    K.MEETING_ATTENDANCE: (2, 1, 6),
    K.VOTE: (0, 0, None),
    K.LEAVE: (0, 0, None),
    K.ABSENCE: (-1, -1, 10),  # -1 per half day (units), at most -10
    K.STUDY: (4, 2, 10),
    K.RECEPTION: (4, 2, 12),
    K.HOUSEHOLD_VISIT: (2, 1, 10),
    K.INSPECTION: (4, 2, 8),
    K.SUGGESTION: (6, 2, 10),
    K.CO_SIGNATURE: (1, 1, 4),
    K.MOTION: (6, 2, 8),
    K.POVERTY_HELP: (2, 1, 6),
    K.DIARY: (1, 1, 6),
    K.REPORT_BACK: (6, 0, 6),
    K.COMMITMENT: (3, 3, 9),
    K.COMMITMENT_OVERDUE: (-3, -3, 9),
    K.OTHER: (1, 1, 3),
}


def points(first, further, cap, count) -> Decimal:
    """Points of `count` occurrences: the first earns `first`, each further one `further`, and the total is
    held within `cap` (a bound on the size of a gain or, for a deduction row, of the loss)."""
    first, further = Decimal(first), Decimal(further)
    if count <= 0:
        return Decimal(0)
    total = first + further * (count - 1)
    if cap is not None:
        cap = abs(Decimal(cap))
        total = max(min(total, cap), -cap)
    return total


def band(total, good=None, fair=None) -> str:
    """80+ good, 60-79 fair, below 60 poor (DOMAIN §8) [local]: the county's limits, given by the caller
    (`local_value("DUTY_BAND_GOOD", county)`), else the declared defaults."""
    good = Decimal(str(conf.get("DUTY_BAND_GOOD") if good is None else good))
    fair = Decimal(str(conf.get("DUTY_BAND_FAIR") if fair is None else fair))
    if total >= good:
        return Band.GOOD
    if total >= fair:
        return Band.FAIR
    return Band.POOR


def ranks(items: list[tuple[object, Decimal]]) -> dict:
    """Standard competition ranks (1, 2, 2, 4) of (key, total) pairs, highest total first."""
    ordered = sorted(items, key=lambda kv: kv[1], reverse=True)
    out, prev, rank = {}, None, 0
    for i, (key, total) in enumerate(ordered, start=1):
        if total != prev:
            rank, prev = i, total
        out[key] = rank
    return out


def score(table_base, rules: dict, counts: dict) -> tuple[Decimal, dict]:
    """The total and the breakdown {kind: {"n": count, "points": str}} of one deputy's counts per kind.
    `rules` maps kind -> (first, further, cap); kinds without a row count but earn nothing."""
    total = Decimal(table_base)
    breakdown = {}
    for kind, n in counts.items():
        row = rules.get(kind)
        p = points(*row, n) if row else Decimal(0)
        total += p
        breakdown[kind] = {"n": n, "points": str(p)}
    return total, breakdown


def five_good(total, breakdown: dict, *, min_score, min_suggestions, good=None) -> list[str]:
    """What keeps a deputy from being a five-good candidate (empty: a candidate): top band and the table's
    minimum score, no unexcused absence, enough suggestions, no overdue commitment."""
    n = {k: v.get("n", 0) for k, v in breakdown.items()}
    missing = []
    if band(total, good=good) != Band.GOOD or Decimal(total) < Decimal(min_score):
        missing.append("score")
    if n.get(K.ABSENCE, 0):
        missing.append("absence")
    if n.get(K.SUGGESTION, 0) + n.get(K.MOTION, 0) < min_suggestions:
        missing.append("suggestions")
    if n.get(K.COMMITMENT_OVERDUE, 0):
        missing.append("commitments")
    return missing


def quarter_of(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


def removal_due(band_this_year: str, band_last_year: str | None) -> bool:
    """Two poor years running: the system proposes removal (摘牌); the office confirms [local]."""
    return band_this_year == Band.POOR and band_last_year == Band.POOR
