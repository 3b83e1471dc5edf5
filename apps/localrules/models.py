"""The [local] rules of DOMAIN.md as the county office sets them: one row per (county or town, rule).

Which rules exist, their type, bounds, label and default are declared in apps/common/conf.py; a row here is
a county's value or a township's override of it. No row: the county's value, then the declared default.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.accounts.scopes import Scope


class LocalRule(models.Model):
    region = models.ForeignKey(
        "places.Region", verbose_name=_("县或镇"), on_delete=models.CASCADE, related_name="local_rules"
    )
    key = models.CharField(_("规则"), max_length=64)
    value = models.JSONField(_("取值"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    # A county office sees its county's and towns' rows, a town office its town's.
    scope = Scope(county="region__county", town="region__town")

    class Meta:
        verbose_name = _("本地规则")
        verbose_name_plural = _("本地规则")
        ordering = ["region__code", "key"]
        constraints = [models.UniqueConstraint(fields=["region", "key"], name="localrule_one_per_region_key")]

    def __str__(self):
        return f"{self.region} {self.key}"
