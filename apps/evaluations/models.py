"""Department evaluations (工作评议, DOMAIN §7, issue 18 part 3): the eight steps of the Hanyin method as
the states of a tracked item, the departments evaluated, and the satisfaction survey.

The survey keeps who has answered (`SurveyParticipation`: a keyed hash of the deputy or the phone, unique
per survey, no time, no choice) apart from what was chosen: the choices are sealed in the survey's ballot
box (apps.ballotbox) in the same transaction, one row per department; only the combined totals are
decrypted, by two office staff acting together, and filed once on `EvaluatedUnit`. Comments are kept with
the department only (`SurveyComment`: random key, no time, no respondent)."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.accounts.scopes import Scope
from apps.people.models import Deputy
from apps.places.models import HandlingUnit, InRegion, Region
from apps.workflow.models import Tracked


def _token():
    return secrets.token_urlsafe(18)


class DepartmentEvaluation(Tracked, InRegion):
    """工作评议: a township's evaluation of departments in a year, moved through the eight steps."""

    region = models.ForeignKey(Region, verbose_name=_("镇"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("评议名称"), max_length=200)
    units = models.ManyToManyField(
        HandlingUnit, through="EvaluatedUnit", verbose_name=_("被评议单位"), related_name="+"
    )
    # The town's deputies who rate (filled when the evaluation is made); they see it and its survey.
    deputies = models.ManyToManyField(Deputy, verbose_name=_("参评代表"), related_name="+", blank=True)
    # The plan item (监督事项 of kind 部门评议, same town) this evaluation carries out, if any.
    activity = models.ForeignKey(
        "supervision.Activity",
        verbose_name=_("监督计划事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evaluations",
    )
    # The date the office gave each step it took, by step key (the engine keeps who and when).
    step_dates = models.JSONField(_("各步骤日期"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(unit="evaluated__unit", deputy="deputies")

    class Meta:
        verbose_name = _("工作评议")
        verbose_name_plural = _("工作评议")
        ordering = ["-year", "-id"]
        indexes = [models.Index(fields=["town", "year"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("evaluations:detail", args=[self.pk])


class EvaluatedUnit(models.Model):
    """A department evaluated: the written opinion (评议意见) the office gives it and, once the survey's
    totals are decrypted, its filed result (never edited afterwards) and the rectification plan date when
    its 不满意 share exceeds the town's rule."""

    evaluation = models.ForeignKey(DepartmentEvaluation, on_delete=models.CASCADE, related_name="evaluated")
    unit = models.ForeignKey(
        HandlingUnit, verbose_name=_("被评议单位"), on_delete=models.PROTECT, related_name="+"
    )
    opinion = models.TextField(_("评议意见"), blank=True)
    satisfied = models.PositiveIntegerField(_("满意"), null=True, blank=True)
    basic = models.PositiveIntegerField(_("基本满意"), null=True, blank=True)
    dissatisfied = models.PositiveIntegerField(_("不满意"), null=True, blank=True)
    plan_due = models.DateField(_("整改方案提交期限"), null=True, blank=True)

    scope = Scope(
        county="evaluation__county", town="evaluation__town", unit="unit", deputy="evaluation__deputies"
    )

    class Meta:
        verbose_name = _("被评议单位")
        verbose_name_plural = _("被评议单位")
        ordering = ["evaluation", "id"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "unit"], name="evaluated_unit_once")]

    def __str__(self):
        return f"{self.evaluation} · {self.unit}"

    def rectification_page(self):
        """The evaluation's page lists this department's rectification item (rectification links back)."""
        return self.evaluation

    @property
    def total(self):
        if self.satisfied is None:
            return None
        return self.satisfied + self.basic + self.dissatisfied


class SurveyState(models.TextChoices):
    PLANNED = "planned", _("待准备")
    PREPARED = "prepared", _("待监票人生成密钥")
    OPEN = "open", _("测评中")
    COUNTING = "counting", _("计票中")
    CLOSED = "closed", _("测评结束")


class Survey(Tracked):
    """满意度测评 of an evaluation: a window (opens, closes), open to the town's deputies and, where the
    office opens it, the public (one response per phone number verified by an SMS code)."""

    evaluation = models.OneToOneField(DepartmentEvaluation, on_delete=models.CASCADE, related_name="survey")
    opens_at = models.DateTimeField(_("测评开始时间"))
    closes_at = models.DateTimeField(_("测评截止时间"))
    public = models.BooleanField(_("向公众开放"), default=False)
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    participants = models.PositiveIntegerField(_("参评人数"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(
        county="evaluation__county",
        town="evaluation__town",
        unit="evaluation__evaluated__unit",
        deputy="evaluation__deputies",
    )

    class Meta:
        verbose_name = _("满意度测评")
        verbose_name_plural = _("满意度测评")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="survey_window"
            )
        ]

    def __str__(self):
        return f"{self.evaluation} · {_('满意度测评')}"

    def rules_place(self):
        return self.evaluation

    def get_absolute_url(self):
        return self.evaluation.get_absolute_url()


class SurveyParticipation(models.Model):
    """That a deputy or a phone has answered: a keyed hash only (HMAC of SECRET_KEY and the survey), no time,
    no choice. The unique constraint makes a second answer impossible."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="participations")
    voter_key = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "voter_key"], name="survey_once_per_voter")]

    def __str__(self):
        return f"{self.survey_id}:{self.voter_key[:8]}"


class SurveyComment(models.Model):
    """An optional comment on a department: its text only, never who wrote it or when (random key, so no
    order joins it to a participation)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="comments")
    unit = models.ForeignKey(HandlingUnit, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(_("意见建议"), max_length=500)

    class Meta:
        verbose_name = _("测评意见")
        verbose_name_plural = _("测评意见")
        ordering = ["unit_id", "text"]

    def __str__(self):
        return self.text[:30]


from .models_officials import OfficialRating, OfficialRatingParticipation, RatedOfficial  # noqa: E402, F401
