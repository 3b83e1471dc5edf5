from django.conf import settings
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


class IdempotencyKey(models.Model):
    """A write a client may send twice (a phone's offline draft, sent again when the answer was lost): the
    key the client made for it, whose it is and what the first sending created. Unique per user and key,
    so the database, not the view, keeps a second sending from making a second record."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.UUIDField(_("幂等键"))
    kind = models.CharField(_("对象类型"), max_length=100)  # app_label.model of what the key created
    object_id = models.PositiveBigIntegerField(_("对象编号"), null=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("幂等键")
        verbose_name_plural = _("幂等键")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user")]

    def __str__(self):
        return f"{self.kind} {self.key}"
