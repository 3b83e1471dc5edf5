"""The fixed choices of the archive app, apart from the models so that the pure rules can name them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CommitmentState(models.TextChoices):
    OPEN = "open", _("进行中")
    FULFILLED = "fulfilled", _("已兑现")
    UNFULFILLED = "unfulfilled", _("未兑现")
    WITHDRAWN = "withdrawn", _("已撤回")


class CommitmentRating(models.TextChoices):
    # The town office's year-end rating (年终评定).
    FULFILLED = "fulfilled", _("已兑现")
    PARTIAL = "partial", _("部分兑现")
    UNFULFILLED = "unfulfilled", _("未兑现")
