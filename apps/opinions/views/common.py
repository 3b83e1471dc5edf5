"""Helpers every opinions page shares."""

from __future__ import annotations

import re

# Transitions whose form is open on arrival: the next step of the usual path.
MAIN_STEPS = {"accept", "take", "assign", "reply", "visit", "close"}
_MOBILE = re.compile(r"1[3-9]\d{9}")


def _int(value) -> int | None:
    value = str(value or "").strip()
    return int(value) if value.isdigit() else None
