from django.db import models
from django.utils.translation import gettext_lazy as _


class Counter(models.Model):
    """A running number (立案号 and the like), one row per series, taken under a row lock: two clerks
    registering at once wait for each other for a moment and get two numbers, never an error."""

    key = models.CharField(_("编号序列"), max_length=100, unique=True)
    value = models.PositiveBigIntegerField(_("当前号"), default=0)

    class Meta:
        verbose_name = _("编号序列")
        verbose_name_plural = _("编号序列")

    def __str__(self):
        return f"{self.key} = {self.value}"
