"""Pure rules of commitments, report-back and the voters' rating: no database, no side effects."""

from __future__ import annotations

import hashlib
import hmac
from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _

from .choices import CommitmentRating, CommitmentState


def too_many_commitments(existing: int, low: int, high: int) -> str | None:
    """Why one more commitment is refused when the deputy already has `existing` this year, else None.
    [local] `low` to `high` commitments a year per deputy, 1 to 3 by default (DOMAIN §8)."""
    if existing >= high:
        return _("每名代表每年承诺 %(low)s 至 %(high)s 件实事，本年度已有 %(n)s 件，不能再增加") % {
            "low": low,
            "high": high,
            "n": existing,
        }
    return None


def too_few_commitments(existing: int, low: int) -> bool:
    return existing < low


def default_report_back_date(today: date, month: int = 12) -> date:
    """The first day of this year's report-back month ([local], December by default, DOMAIN §8), or of
    next year's when it has passed."""
    year = today.year if today.month <= month else today.year + 1
    return date(year, month, 1)


def state_after_rating(rating: str) -> str:
    """已兑现 fulfils the commitment; 部分兑现 and 未兑现 leave it unfulfilled."""
    return CommitmentState.FULFILLED if rating == CommitmentRating.FULFILLED else CommitmentState.UNFULFILLED


def duty_kind_after_rating(rating: str, target_date: date, rated_on: date) -> str | None:
    """The duty record the platform appends at the year-end rating: `commitment` when fulfilled,
    `commitment_overdue` when not fulfilled and its target date has passed, otherwise none."""
    if rating == CommitmentRating.FULFILLED:
        return "commitment"
    if target_date < rated_on:
        return "commitment_overdue"
    return None


def normalise_phone(phone: str) -> str:
    phone = "".join(ch for ch in (phone or "") if ch.isdigit())
    if phone.startswith("86") and len(phone) == 13:
        phone = phone[2:]
    return phone


def voter_key(meeting_id: int, phone: str) -> str:
    """A keyed hash of the voter's phone for one meeting: the same phone gives a different key at another
    meeting, and without SECRET_KEY the key cannot be turned back into a number by trying all phones."""
    msg = f"report-back:{meeting_id}:{normalise_phone(phone)}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), msg, hashlib.sha256).hexdigest()


def satisfaction_rate(satisfied: int, basic: int, dissatisfied: int) -> float | None:
    total = satisfied + basic + dissatisfied
    return round(100 * (satisfied + basic) / total, 1) if total else None
