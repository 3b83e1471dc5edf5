"""The fixed choices of the duty app, apart from the models so that the pure rules can name them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    # DOMAIN §8: every activity a deputy's duty record can hold.
    SESSION_ATTENDANCE = "session_attendance", _("出席代表大会")
    MEETING_ATTENDANCE = "meeting_attendance", _("参加会议")
    LEAVE = "leave", _("请假")
    ABSENCE = "absence", _("无故缺席")
    VOTE = "vote", _("参加表决")
    STUDY = "study", _("学习培训")
    RECEPTION = "reception", _("接待选民")
    HOUSEHOLD_VISIT = "household_visit", _("走访选民")
    INSPECTION = "inspection", _("视察调研检查")
    SUGGESTION = "suggestion", _("提出建议")
    CO_SIGNATURE = "co_signature", _("联名附议")
    MOTION = "motion", _("提出议案")
    POVERTY_HELP = "poverty_help", _("结对帮扶")
    DIARY = "diary", _("民情日记")
    REPORT_BACK = "report_back", _("向选民述职")
    COMMITMENT = "commitment", _("兑现实事承诺")
    COMMITMENT_OVERDUE = "commitment_overdue", _("承诺逾期未兑现")
    OTHER = "other", _("其他履职")


class Band(models.TextChoices):
    # The 100-point annual evaluation (DOMAIN §8) [local]: DUTY_BAND_GOOD, DUTY_BAND_FAIR per county.
    GOOD = "good", _("好")
    FAIR = "fair", _("较好")
    POOR = "poor", _("差")
