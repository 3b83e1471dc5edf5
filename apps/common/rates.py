"""Shares the papers print: pure functions, no Django."""

from __future__ import annotations


def satisfaction_rate(satisfied: int, basic: int, dissatisfied: int) -> float | None:
    """满意率: satisfied and basically satisfied of all the ratings, in %, one decimal; None without any."""
    total = satisfied + basic + dissatisfied
    return round(100 * (satisfied + basic) / total, 1) if total else None
