"""Supervision's rules over plain values (DOMAIN §7, issue 18); no models here."""

from __future__ import annotations

from datetime import date


def too_few_for_appointment(requesters: int, minimum: int) -> bool:
    """约见 needs the township's number of deputies asking together ([local] APPOINTMENT_MIN_DEPUTIES);
    a special inquiry (专题询问) is the presidium's and has no such minimum."""
    return requesters < minimum


def period_ok(date_from: date, date_to: date, max_days: int = 731) -> bool:
    """A roll-up period: in order and at most two years long (a year's plan looks back over one)."""
    return date_from <= date_to and (date_to - date_from).days <= max_days


def topic_word(key: str) -> str:
    """The word of a topic key `<category>:<word>` (blank when the title had none)."""
    return key.split(":", 1)[1] if ":" in key else ""


def topic_category(key: str) -> str:
    return key.split(":", 1)[0]
