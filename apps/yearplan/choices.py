"""The kinds of item on a township's year calendar (DOMAIN §10, issue 20 part 4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemKind(models.TextChoices):
    RECEPTION = "reception", _("代表接待选民日")
    STUDY = "study", _("代表集中学习")
    BRIEFING = "briefing", _("听取政府工作情况通报")
    RESEARCH = "research", _("代表调研活动")
    INSPECTION = "inspection", _("代表视察活动")
    REPORT_BACK = "report_back", _("代表述职月")
    SESSION = "session", _("人民代表大会会议")
    PRESIDIUM = "presidium", _("主席团会议")
    SUPERVISION = "supervision", _("监督计划活动")
    OTHER = "other", _("其他工作")


class LineRule(models.TextChoices):
    """How often a line of the county's template falls (CalendarTemplate, issue 20 part 4)."""

    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    HALF = "half", _("每半年")
    ONCE = "once", _("每年一次（指定月份）")
