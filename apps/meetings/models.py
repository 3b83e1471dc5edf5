"""Congress sessions and meetings (DOMAIN §5): agenda, documents, who is expected, check-in, votes.

A vote's stored result is written once, when it closes, and never edited; a re-vote is a new round beside
the first. Open (named) votes keep one `OpenBallot` per deputy. Secret votes keep who has voted
(`VoteParticipation`); what was chosen exists only sealed in the vote's ballot box (apps.ballotbox), whose
combined totals the meeting's tellers decrypt after the close (state `counting` until then), so nothing in
the database, its log or its backups tells a deputy's choice.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.accounts.scopes import Scope
from apps.people.models import Deputy
from apps.places.models import InRegion, Region

from .choices import (  # noqa: F401  (the app's choices, named here too)
    CONGRESS_KINDS,
    ChecklistPart,
    ChecklistStatus,
    MeetingKind,
)


class Session(InRegion):
    """人民代表大会会议: one sitting of the township congress (第N届人民代表大会第M次会议)."""

    region = models.ForeignKey(Region, verbose_name=_("镇"), on_delete=models.PROTECT, related_name="+")
    term = models.PositiveSmallIntegerField(_("届次"))
    number = models.PositiveSmallIntegerField(_("次"))
    title = models.CharField(_("名称"), max_length=200)
    starts_on = models.DateField(_("开幕日期"))
    ends_on = models.DateField(_("闭幕日期"), null=True, blank=True)
    opened_at = models.DateTimeField(_("宣布开幕"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope = Scope()

    class Meta:
        verbose_name = _("代表大会会议")
        verbose_name_plural = _("代表大会会议")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "term", "number"], name="session_unique_number")
        ]

    def __str__(self):
        return self.title


class MeetingState(models.TextChoices):
    PLANNED = "planned", _("筹备中")
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结束")


class Meeting(InRegion):
    region = models.ForeignKey(Region, verbose_name=_("镇"), on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(
        Session,
        verbose_name=_("所属大会"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="meetings",
    )
    kind = models.CharField(_("类型"), max_length=24, choices=MeetingKind.choices)
    title = models.CharField(_("名称"), max_length=200)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    chair = models.CharField(_("主持人"), max_length=50, blank=True)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    checkin_opens_at = models.DateTimeField(_("签到开始"), null=True, blank=True)
    checkin_closes_at = models.DateTimeField(_("签到截止"), null=True, blank=True)
    allow_vote_change = models.BooleanField(_("表决结束前可改票"), default=False)
    # The tellers (监票人) named for the meeting: each secret vote's and election round's ballot box is
    # keyed by them together, and only all of them together decrypt its totals (apps.ballotbox).
    tellers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("监票人"), blank=True, related_name="+"
    )
    state = models.CharField(_("状态"), max_length=16, choices=MeetingState.choices, default="planned")
    opened_at = models.DateTimeField(_("开会时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("散会时间"), null=True, blank=True)
    # The token behind the QR code shown at the door; a new one is drawn when the meeting opens.
    checkin_token = models.CharField(max_length=64, blank=True, editable=False)
    # Grows with every change (check-in, leave, vote opened, ballot, close): the live screens' version.
    version = models.PositiveBigIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(deputy="attendees__deputy")

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["town", "starts_at"])]

    def __str__(self):
        return self.title


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        REPORT = "report", _("报告")
        RESOLUTION = "resolution", _("决议")
        DECISION = "decision", _("决定")
        PROJECT_LIST = "project_list", _("项目清单")
        ELECTION = "election", _("选举")
        OTHER = "other", _("其他")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("议程"), max_length=200)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.REPORT)
    description = models.TextField(_("说明"), blank=True)

    scope = Scope(county="meeting__county", town="meeting__town", deputy="meeting__attendees__deputy")

    class Meta:
        verbose_name = _("议程")
        verbose_name_plural = _("议程")
        ordering = ["meeting", "order"]
        constraints = [models.UniqueConstraint(fields=["meeting", "order"], name="agenda_unique_order")]

    def __str__(self):
        return self.title


class Attendee(models.Model):
    """Someone expected at a meeting: a voting deputy (by default every in-office deputy of the town's
    current term) or a non-voting attendee (列席). Check-in and leave live here."""

    class Method(models.TextChoices):
        PHONE = "phone", _("手机签到")
        QR = "qr", _("扫码签到")
        STAFF = "staff", _("工作人员代签")

    class Leave(models.TextChoices):
        NONE = "", _("无")
        REQUESTED = "requested", _("已请假待批")
        APPROVED = "approved", _("准假")
        DECLINED = "declined", _("不准假")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    deputy = models.ForeignKey(
        Deputy, null=True, blank=True, on_delete=models.PROTECT, related_name="meeting_seats"
    )
    name = models.CharField(_("姓名"), max_length=50)
    voting = models.BooleanField(_("有表决权"), default=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checkin_method = models.CharField(_("签到方式"), max_length=8, choices=Method.choices, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    late = models.BooleanField(_("迟到"), default=False)
    leave = models.CharField(_("请假"), max_length=16, choices=Leave.choices, blank=True, default="")
    leave_reason = models.CharField(_("请假事由"), max_length=200, blank=True)

    scope = Scope(county="meeting__county", town="meeting__town", deputy="deputy")

    class Meta:
        verbose_name = _("参会人员")
        verbose_name_plural = _("参会人员")
        ordering = ["meeting", "-voting", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "deputy"],
                condition=models.Q(deputy__isnull=False),
                name="attendee_once_per_meeting",
            ),
            models.CheckConstraint(
                condition=models.Q(voting=False) | models.Q(deputy__isnull=False),
                name="attendee_voter_is_deputy",
            ),
        ]

    def __str__(self):
        return self.name


class Choice(models.TextChoices):
    FOR = "for", _("赞成")
    AGAINST = "against", _("反对")
    ABSTAIN = "abstain", _("弃权")


class VoteState(models.TextChoices):
    READY = "ready", _("待表决")
    OPEN = "open", _("表决中")
    COUNTING = "counting", _("计票中")
    CLOSED = "closed", _("已结束")


class Vote(models.Model):
    """One round of a vote (表决) on an agenda item; the result fields are written once, at close."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="votes")
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="votes")
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)
    title = models.CharField(_("表决事项"), max_length=200)
    secret = models.BooleanField(_("无记名表决"), default=False)
    allow_change = models.BooleanField(_("可改票"), default=False)
    state = models.CharField(_("状态"), max_length=16, choices=VoteState.choices, default=VoteState.READY)
    duration_seconds = models.PositiveIntegerField(_("限时（秒）"), null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The stored result (DOMAIN §5): never edited once `closed_at` is set.
    total_deputies = models.PositiveIntegerField(_("应到代表"), null=True, blank=True)
    present = models.PositiveIntegerField(_("实到"), null=True, blank=True)
    votes_for = models.PositiveIntegerField(_("赞成"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("反对"), null=True, blank=True)
    votes_abstain = models.PositiveIntegerField(_("弃权"), null=True, blank=True)
    not_voted = models.PositiveIntegerField(_("未表决"), null=True, blank=True)
    adopted = models.BooleanField(_("通过"), null=True, blank=True)
    # Deputies without phones (issue 16): how many ballots came on phones and on paper, and a vote voided
    # because more ballots came back than deputies present [law].
    phone_ballots = models.PositiveIntegerField(_("电子票"), null=True, blank=True)
    paper_ballots = models.PositiveIntegerField(_("纸质票"), null=True, blank=True)
    voided = models.BooleanField(_("表决无效"), default=False)
    # A secret vote's paper ballots carry no name: the tellers enter their counted totals (plaintext, as
    # read out in the hall), one teller enters, another confirms; the result adds them to the box's totals.
    paper_issued = models.PositiveIntegerField(_("发出纸质票"), null=True, blank=True)
    paper_returned = models.PositiveIntegerField(_("收回纸质票"), null=True, blank=True)
    paper_valid = models.PositiveIntegerField(_("有效纸质票"), null=True, blank=True)
    paper_void = models.PositiveIntegerField(_("无效纸质票"), null=True, blank=True)
    paper_for = models.PositiveIntegerField(_("纸质票赞成"), null=True, blank=True)
    paper_against = models.PositiveIntegerField(_("纸质票反对"), null=True, blank=True)
    paper_abstain = models.PositiveIntegerField(_("纸质票弃权"), null=True, blank=True)
    paper_entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    paper_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = Scope(county="meeting__county", town="meeting__town", deputy="meeting__attendees__deputy")

    class Meta:
        verbose_name = _("表决")
        verbose_name_plural = _("表决")
        ordering = ["meeting", "agenda_item__order", "round"]
        constraints = [
            models.UniqueConstraint(fields=["agenda_item", "round"], name="vote_unique_round"),
        ]

    def __str__(self):
        return self.title


class OpenBallot(models.Model):
    """A named vote: who chose what. One per deputy per vote, enforced by the database."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="open_ballots")
    deputy = models.ForeignKey(Deputy, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=8, choices=Choice.choices)
    cast_at = models.DateTimeField()
    changed_at = models.DateTimeField(null=True, blank=True)
    # A paper ballot of a deputy without a phone, recorded by one staff member and confirmed by another
    # (issue 16); the same row and the same uniqueness as a phone's, so a deputy votes one way only.
    paper = models.BooleanField(_("纸质票"), default=False, db_default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vote", "deputy"], name="openballot_once")]

    def __str__(self):
        return f"{self.vote_id}:{self.deputy_id}"


class VoteParticipation(models.Model):
    """A secret vote: only that this deputy has voted (never what, never when). The choice is sealed in the
    vote's ballot box (apps.ballotbox) in the same transaction; no counter of a choice exists."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="participations")
    deputy = models.ForeignKey(Deputy, on_delete=models.PROTECT, related_name="+")
    # Handed a paper ballot (issue 16) instead of voting on the phone: the same uniqueness covers both.
    paper = models.BooleanField(_("领取纸质票"), default=False, db_default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vote", "deputy"], name="participation_once")]

    def __str__(self):
        return f"{self.vote_id}:{self.deputy_id}"


class PendingPaperBallot(models.Model):
    """A named deputy's paper ballot in an open vote, recorded by one staff member and waiting for a second
    one to confirm it (then it becomes the deputy's `OpenBallot`, marked paper). One per deputy per vote."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="pending_paper")
    deputy = models.ForeignKey(Deputy, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=8, choices=Choice.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(county="vote__meeting__county", town="vote__meeting__town", deputy="deputy")

    class Meta:
        verbose_name = _("待复核的纸质票")
        verbose_name_plural = _("待复核的纸质票")
        constraints = [models.UniqueConstraint(fields=["vote", "deputy"], name="pending_paper_once")]

    def __str__(self):
        return f"{self.vote_id}:{self.deputy_id}"


class ChecklistEntry(InRegion):
    """A line of the township's agenda checklist for a kind of meeting (会议议程和内容清单, Tongxiang): an
    agenda item or a document the meeting must have. A township without lines for a kind starts from
    `rules.DEFAULT_CHECKLISTS`; its first edit copies them here."""

    region = models.ForeignKey(Region, verbose_name=_("镇"), on_delete=models.PROTECT, related_name="+")
    meeting_kind = models.CharField(_("会议类型"), max_length=24, choices=MeetingKind.choices)
    part = models.CharField(_("类别"), max_length=16, choices=ChecklistPart.choices)
    label = models.CharField(_("事项"), max_length=100)
    keywords = models.CharField(_("关键词"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("序号"), default=0)

    scope = Scope()

    class Meta:
        verbose_name = _("会议议程和内容清单")
        verbose_name_plural = _("会议议程和内容清单")
        ordering = ["meeting_kind", "part", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "meeting_kind", "part", "label"], name="checklist_entry_unique"
            )
        ]

    def __str__(self):
        return self.label


class MeetingChecklistItem(models.Model):
    """A meeting's own copy of its kind's checklist, taken when it is planned; met by the agenda and the
    documents, or settled by the clerk (done on paper, not needed this time)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="checklist")
    part = models.CharField(_("类别"), max_length=16, choices=ChecklistPart.choices)
    label = models.CharField(_("事项"), max_length=100)
    keywords = models.CharField(_("关键词"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    status = models.CharField(
        _("状态"), max_length=16, choices=ChecklistStatus.choices, default=ChecklistStatus.OPEN
    )

    scope = Scope(county="meeting__county", town="meeting__town")

    class Meta:
        verbose_name = _("会议清单事项")
        verbose_name_plural = _("会议清单事项")
        ordering = ["meeting", "part", "order", "id"]

    def __str__(self):
        return self.label


# Group deliberation (分组审议) lives in its own module; named here so that `meetings.models` has them all.
from .models_deliberation import (  # noqa: E402, F401
    DeliberationDigest,
    DeliberationGroup,
    DeliberationOpinion,
)
from .models_resolutions import ResolutionProgress, ResolutionTask  # noqa: E402, F401
