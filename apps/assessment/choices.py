"""The fixed choices the assessment's rules name (DOMAIN §9)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    COMPUTED = "computed", _("平台自动计算")
    MANUAL = "manual", _("县人大办评分")


class Unit(models.TextChoices):
    """What a computed indicator's value counts: a number of things, or a rate in percent."""

    COUNT = "count", _("次数")
    PERCENT = "percent", _("百分比")
