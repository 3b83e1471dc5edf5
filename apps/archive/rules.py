"""Pure rules of commitments, report-back and the voters' rating: no database, no side effects."""

from __future__ import annotations

import hashlib
import hmac
import math
from datetime import date
from fractions import Fraction

from django.conf import settings
from django.utils.translation import gettext as _

from apps.common import conf

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
    phone = "".join(ch for ch in (phone or "") if ch in "0123456789")
    if phone.startswith("86") and len(phone) == 13:
        phone = phone[2:]
    return phone


def voter_key(meeting_id: int, phone: str) -> str:
    """A keyed hash of the voter's phone for one meeting: the same phone gives a different key at another
    meeting, and without SECRET_KEY the key cannot be turned back into a number by trying all phones."""
    msg = f"report-back:{meeting_id}:{normalise_phone(phone)}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), msg, hashlib.sha256).hexdigest()


# The choices of the [local] rule REPORT_BACK_MIN_RATED_SHARE (conf.RATED_SHARES) as exact shares: 33 and 67
# are one and two thirds, not 33 %.
RATED_SHARES = {
    0: Fraction(0),
    20: Fraction(1, 5),
    25: Fraction(1, 4),
    33: Fraction(1, 3),
    50: Fraction(1, 2),
    67: Fraction(2, 3),
}


def min_raters(expected: int, share: int) -> int:
    """The fewest voters who must have rated before a report-back rating closes: `share` of the expected
    voter representatives, rounded up (one third of 50 is 17). [local] DOMAIN §8."""
    return math.ceil(max(expected, 0) * RATED_SHARES.get(share, Fraction(share, 100)))


def share_label(share: int) -> str:
    return str(dict(conf.RATED_SHARES).get(share) or f"{share}%")


def too_few_raters(rated: int, expected: int, share: int) -> str | None:
    """Why the rating cannot simply be closed with only `rated` voters, or None: a handful of voters cannot
    stand for the meeting (DOMAIN §8: the voters present rate the deputy). The office may still close it
    with a recorded reason (the `close_rating_anyway` step)."""
    need = min_raters(expected, share)
    if rated >= need:
        return None
    return _(
        "参评选民只有%(n)s人，不足应到选民代表%(expected)s人的%(share)s（至少%(need)s人），不能结束测评；"
        "确需结束的，请选择“参评人数不足，仍结束测评”并说明理由"
    ) % {"n": rated, "expected": expected, "share": share_label(share), "need": need}
