"""The fixed choices of the meetings app, apart from the models so that the pure rules can name them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    PREPARATORY = "preparatory", _("预备会议")
    PLENARY = "plenary", _("全体会议")
    SESSION_PRESIDIUM = "session_presidium", _("大会主席团会议")
    GROUP = "group", _("分组审议")
    PRESIDIUM = "presidium", _("主席团会议")
    OTHER = "other", _("其他会议")


# Kinds that are sittings of the congress itself: the two-thirds quorum [law] applies to them.
CONGRESS_KINDS = {MeetingKind.PREPARATORY, MeetingKind.PLENARY}
