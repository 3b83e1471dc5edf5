"""The fixed choices of the meetings app, apart from the models so that the pure rules can name them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    PREPARATORY = "preparatory", _("预备会议")
    PLENARY = "plenary", _("全体会议")
    SESSION_PRESIDIUM = "session_presidium", _("大会主席团会议")
    GROUP = "group", _("分组审议")
    PRESIDIUM = "presidium", _("主席团会议")
    # Candidates meet the deputies before an election (DOMAIN §5): planned from an election post.
    CANDIDATES = "candidates", _("候选人与代表见面会")
    OTHER = "other", _("其他会议")


# Kinds that are sittings of the congress itself: the two-thirds quorum [law] applies to them.
CONGRESS_KINDS = {MeetingKind.PREPARATORY, MeetingKind.PLENARY}


class ChecklistPart(models.TextChoices):
    """What a line of an agenda checklist (会议议程和内容清单) asks for before the meeting."""

    AGENDA = "agenda", _("议程")
    DOCUMENT = "document", _("文件")


class ChecklistStatus(models.TextChoices):
    OPEN = "open", _("待落实")
    DONE = "done", _("已备齐")
    WAIVED = "waived", _("本次不需要")
