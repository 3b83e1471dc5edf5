"""The scoring rules of the township assessment (DOMAIN §9), as pure functions over values: an
indicator's points from its value, a manual score's bounds, and the ranking with its tie-breaks. All
numbers are the county's [local] data (the indicator table); nothing here reads the database."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def _d(x) -> Decimal:
    return x if isinstance(x, Decimal) else Decimal(str(x))


def computed_points(value, *, target, base, increment, cap, deduction) -> tuple[Decimal, Decimal]:
    """(points, deducted) of a computed indicator whose year's value is `value` (None: nothing to measure,
    e.g. a rate of no items, which earns nothing and costs nothing). At or above `target` it earns `base`
    plus `increment` for each unit above; below it, `base` less `deduction` per unit short. Points stay
    within 0 and `cap` (a cap of 0 means `base` plus nothing above it is no bound: the base alone)."""
    if value is None:
        return Decimal(0), Decimal(0)
    value, target, base = _d(value), _d(target), _d(base)
    increment, cap, deduction = _d(increment), _d(cap), _d(deduction)
    if value >= target:
        points, deducted = base + increment * (value - target), Decimal(0)
    else:
        deducted = min(deduction * (target - value), base)
        points = base - deducted
    bound = cap if cap > 0 else base
    return min(max(points, Decimal(0)), max(bound, Decimal(0))).quantize(
        CENT, ROUND_HALF_UP
    ), deducted.quantize(CENT, ROUND_HALF_UP)


def manual_bounds(*, cap, deduction, base) -> tuple[Decimal, Decimal]:
    """What the county may give on a manual indicator: down to -`deduction` (a deduction item), up to `cap`
    (or `base` when no cap is set)."""
    cap, deduction, base = _d(cap), _d(deduction), _d(base)
    return -abs(deduction), cap if cap > 0 else base


def rate(part: int, whole: int) -> Decimal | None:
    """A percentage with one decimal, or None when there is nothing to measure."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


# The tie-breaks, in order, after the total: (label, the row's key to compare, smaller first?).
TIE_BREAKS = (
    ("deducted", "扣分较少者居前", True),
    ("computed", "平台记录自动计算得分较高者居前", False),
)
TIED = "同分且各项排序依据均相同，并列"


@dataclass
class Ranked:
    key: object
    total: Decimal
    rank: int
    tie_rule: str = ""


def _order_key(row: dict):
    return (-_d(row["total"]), *((_d(row[k]) if small else -_d(row[k])) for k, _l, small in TIE_BREAKS))


def _separating(a: dict, b: dict) -> str:
    for key, label, _small in TIE_BREAKS:
        if _d(a[key]) != _d(b[key]):
            return label
    return TIED


def ranking(rows: list[dict]) -> list[Ranked]:
    """Rows {key, total, deducted, computed}, ranked: the highest total first; towns with the same total are
    ordered by the tie-breaks in turn (fewer deductions, then more computed points), and those equal on
    every one share a rank (1, 2, 2, 4). Each tied town's `tie_rule` names the rule that placed it against
    its neighbour of the same total."""
    ordered = sorted(rows, key=_order_key)
    out: list[Ranked] = []
    for i, row in enumerate(ordered):
        prev = ordered[i - 1] if i else None
        nxt = ordered[i + 1] if i + 1 < len(ordered) else None
        same_prev = prev is not None and _d(prev["total"]) == _d(row["total"])
        same_next = nxt is not None and _d(nxt["total"]) == _d(row["total"])
        rank = i + 1
        if same_prev and _order_key(prev) == _order_key(row):
            rank = out[-1].rank
        rule = ""
        if same_prev:
            rule = _separating(prev, row)
        elif same_next:
            rule = _separating(row, nxt)
        out.append(Ranked(row["key"], _d(row["total"]), rank, rule))
    return out
