"""Commitments (实事承诺), report-back meetings (述职) with the voters' secret rating, and what the deputy's
archive (履职档案) reads (DOMAIN §8).

The secret rating keeps who has rated (`RatingParticipation`: a keyed hash of the voter's phone, unique per
meeting, with no time and no choice) apart from what was chosen: the choices are sealed in the meeting's
ballot box (apps.ballotbox, issue 15), encrypted, in the same transaction as the participation; no counter
moves with a rating. Only the combined totals are decrypted, by the two office staff who are the rating's
tellers acting together, and filed once on the speakers (`ReportBackSpeaker.satisfied` ...).
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.accounts.scopes import Scope
from apps.common.rates import satisfaction_rate
from apps.people.models import Deputy
from apps.places.models import Region
from apps.workflow.models import TrackedFields

from .choices import CommitmentRating, CommitmentState


class Commitment(TrackedFields):
    """实事承诺: one of the 1-3 practical things a deputy commits to in a year, shown on the public card."""

    deputy = models.ForeignKey(
        Deputy, verbose_name=_("代表"), on_delete=models.CASCADE, related_name="commitments"
    )
    county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    town = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("承诺事项"), max_length=100)
    detail = models.TextField(_("具体内容"), blank=True)
    target_date = models.DateField(_("计划完成日期"))
    state = models.CharField(
        _("状态"), max_length=16, choices=CommitmentState.choices, default=CommitmentState.OPEN
    )
    rating = models.CharField(_("年终评定"), max_length=16, choices=CommitmentRating.choices, blank=True)
    rating_reason = models.CharField(_("评定说明"), max_length=300, blank=True)
    rated_on = models.DateField(_("评定日期"), null=True, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    scope = Scope(station="deputy__station", deputy="deputy")

    class Meta:
        verbose_name = _("实事承诺")
        verbose_name_plural = _("实事承诺")
        ordering = ["-year", "deputy_id", "id"]
        indexes = [models.Index(fields=["town", "year"]), models.Index(fields=["deputy", "year"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating="") | models.Q(rated_on__isnull=False),
                name="commitment_rating_dated",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("archive:commitment", args=[self.pk])

    def save(self, *args, **kwargs):
        self.county_id = self.deputy.county_id
        self.town_id = self.deputy.town_id
        super().save(*args, **kwargs)


class CommitmentProgress(models.Model):
    """A dated progress report on a commitment; photos hang on it through workflow.uploads."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="progress")
    date = models.DateField(_("日期"))
    note = models.TextField(_("进展情况"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(
        county="commitment__county",
        town="commitment__town",
        station="commitment__deputy__station",
        deputy="commitment__deputy",
    )

    class Meta:
        verbose_name = _("承诺进展")
        verbose_name_plural = _("承诺进展")
        ordering = ["date", "id"]

    def __str__(self):
        return f"{self.commitment} {self.date}"


class ReportBackState(models.TextChoices):
    PLANNED = "planned", _("已安排")
    PREPARED = "prepared", _("待监票人生成密钥")
    RATING = "rating", _("测评中")
    COUNTING = "counting", _("计票中")
    CLOSED = "closed", _("测评结束")


def _token():
    return secrets.token_urlsafe(18)


class ReportBackMeeting(TrackedFields):
    """述职: a meeting the presidium plans where deputies report to voters, who rate them by secret ballot."""

    region = models.ForeignKey(Region, verbose_name=_("镇"), on_delete=models.PROTECT, related_name="+")
    county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    town = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    title = models.CharField(_("名称"), max_length=200)
    date = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    expected_voters = models.PositiveIntegerField(_("应到选民代表"), default=50)
    state = models.CharField(
        _("状态"), max_length=16, choices=ReportBackState.choices, default=ReportBackState.PLANNED
    )
    rating_token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    opened_at = models.DateTimeField(_("测评开始"), null=True, blank=True)
    closed_at = models.DateTimeField(_("测评结束"), null=True, blank=True)
    participants = models.PositiveIntegerField(_("参评人数"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(deputy="speakers__deputy")

    class Meta:
        verbose_name = _("述职会议")
        verbose_name_plural = _("述职会议")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["town", "date"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("archive:meeting", args=[self.pk])

    def save(self, *args, **kwargs):
        self.county_id = self.region.county_id
        self.town_id = self.region.town_id
        super().save(*args, **kwargs)


class ReportState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")


class ReportBackSpeaker(models.Model):
    """A deputy reporting at a meeting: the written report (述职报告) and, once rating closes, the filed
    result (never edited afterwards)."""

    meeting = models.ForeignKey(ReportBackMeeting, on_delete=models.CASCADE, related_name="speakers")
    deputy = models.ForeignKey(Deputy, verbose_name=_("代表"), on_delete=models.PROTECT, related_name="+")
    report = models.TextField(_("述职报告"), blank=True)
    report_state = models.CharField(
        _("报告状态"), max_length=16, choices=ReportState.choices, default=ReportState.DRAFT
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    satisfied = models.PositiveIntegerField(_("满意"), null=True, blank=True)
    basic = models.PositiveIntegerField(_("基本满意"), null=True, blank=True)
    dissatisfied = models.PositiveIntegerField(_("不满意"), null=True, blank=True)

    scope = Scope(county="meeting__county", town="meeting__town", deputy="deputy")

    class Meta:
        verbose_name = _("述职代表")
        verbose_name_plural = _("述职代表")
        ordering = ["meeting", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "deputy"], name="speaker_once")]

    def __str__(self):
        return f"{self.meeting} · {self.deputy}"

    @property
    def total(self):
        if self.satisfied is None:
            return None
        return self.satisfied + self.basic + self.dissatisfied

    @property
    def satisfaction_rate(self):
        """(满意 + 基本满意) / all ratings, in percent, one decimal; None before the result is filed."""
        if not self.total:
            return None
        return satisfaction_rate(self.satisfied, self.basic, self.dissatisfied)


class RatingParticipation(models.Model):
    """That a voter's phone has rated at this meeting: a keyed hash only (HMAC of SECRET_KEY and the meeting),
    no time, no choice. The unique constraint makes a second rating from the same phone impossible."""

    meeting = models.ForeignKey(ReportBackMeeting, on_delete=models.CASCADE, related_name="participations")
    voter_key = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "voter_key"], name="rating_once_per_phone")]

    def __str__(self):
        return f"{self.meeting_id}:{self.voter_key[:8]}"
