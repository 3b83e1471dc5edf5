"""Numbers and dates as Chinese papers write them: pure functions, no Django."""

from __future__ import annotations

from datetime import date

DIGITS = "零一二三四五六七八九"


def numeral(n: int) -> str:
    """1-99 in Chinese numerals as titles write them: 5 → 五, 10 → 十, 18 → 十八, 20 → 二十, 21 → 二十一;
    other numbers as digits."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else DIGITS[tens] + "十")
    return head + (DIGITS[ones] if ones else "")


def date_text(d: date) -> str:
    """2026年3月8日."""
    return f"{d.year}年{d.month}月{d.day}日"
