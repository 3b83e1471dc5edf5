"""The rules of a department evaluation as pure functions (DOMAIN §7, issue 18 part 3)."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

# The eight steps of the Hanyin method, in order: (state, step key). Each step enters its state.
EIGHT_STEPS = (
    ("notice", "give_notice"),  # 预先通知
    ("research", "research"),  # 提前调研
    ("meeting", "hold_meeting"),  # 召开评议会议
    ("opinions", "give_opinions"),  # 书面评议意见
    ("rectification", "supervise"),  # 督促整改
    ("acceptance", "review"),  # 整改验收
    ("published", "publish"),  # 公布结果
    ("archived", "archive"),  # 归档
)


def voter_key(survey_id: int, who: str) -> str:
    """A keyed hash of who answered ("deputy:<id>" or "phone:<number>") for one survey: unique per survey,
    different at another, and not turned back into a number without SECRET_KEY."""
    msg = f"evaluation-survey:{survey_id}:{who}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), msg, hashlib.sha256).hexdigest()


def shares(satisfied: int, basic: int, dissatisfied: int) -> dict:
    """Each answer's share of all answers, in percent with one decimal (None with no answer)."""
    total = satisfied + basic + dissatisfied
    if not total:
        return {"satisfied": None, "basic": None, "dissatisfied": None}
    return {
        k: round(100 * v / total, 1)
        for k, v in zip(("satisfied", "basic", "dissatisfied"), (satisfied, basic, dissatisfied), strict=True)
    }


def must_rectify(satisfied: int, basic: int, dissatisfied: int, threshold_percent: int) -> bool:
    """[local] EVALUATION_DISSATISFIED_SHARE: a department whose 不满意 share EXCEEDS the threshold must
    file a rectification plan (exactly at the threshold it need not); whole numbers, no rounding."""
    total = satisfied + basic + dissatisfied
    return bool(total) and 100 * dissatisfied > threshold_percent * total
