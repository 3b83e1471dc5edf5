"""Choices shared by several domain apps, with no domain behind them (this module imports no domain app)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Satisfaction(models.TextChoices):
    """The one satisfaction scale (满意/基本满意/不满意): the feedback visit on an opinion (DOMAIN §3), a
    signer's feedback on a suggestion (§4, which alone may also say 未表态) and the voters' rating of a
    deputy's report-back (§8). The stored values are the same wherever the scale is used."""

    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")
    NO_OPINION = "no_opinion", _("未表态")

    @classmethod
    def rated(cls) -> list[tuple[str, str]]:
        """The choices of a rating that must be given: the scale without 未表态."""
        return [(m.value, m.label) for m in cls if m is not cls.NO_OPINION]

    @classmethod
    def rated_values(cls) -> list[str]:
        return [value for value, _label in cls.rated()]
