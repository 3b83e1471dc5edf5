"""代表建议、议案 (DOMAIN §4): suggestions from draft to close, motions, and what hangs on them."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Role, RoleGrant
from apps.accounts.scopes import Scope
from apps.common.choices import Satisfaction
from apps.opinions.models import CODE_ALPHABET, Opinion, Topic
from apps.people.models import Deputy
from apps.places.models import HandlingUnit, InRegion, Region
from apps.workflow.models import Tracked


class Period(models.TextChoices):
    SESSION = "session", _("大会期间")
    BETWEEN = "between", _("闭会期间（直通车）")


class Category(models.TextChoices):
    # DOMAIN §4: the unit's own classification of its reply.
    A = "A", _("A类：已解决或基本解决")
    B = "B", _("B类：正在解决或列入计划解决")
    C = "C", _("C类：因条件限制暂时不能解决")
    D = "D", _("D类：留作参考")


class ConsultMethod(models.TextChoices):
    MEETING = "meeting", _("座谈面商")
    VISIT = "visit", _("登门走访")
    PHONE = "phone", _("电话沟通")
    OTHER = "other", _("其他方式")
    NONE = "none", _("未沟通")


def new_suggestion_code() -> str:
    """The public tracking code (查询码) of a suggestion: JY and ten characters, like an opinion's MY code."""
    return "JY" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


def _office_users(item):
    User = RoleGrant._meta.get_field("user").related_model
    region = item.town_id or item.county_id
    role = Role.TOWN_OFFICE if item.town_id else Role.COUNTY_OFFICE
    return list(User.objects.filter(grants__role=role, grants__region_id=region).distinct())


def _unit_users(unit_ids):
    User = RoleGrant._meta.get_field("user").related_model
    return list(User.objects.filter(grants__role=Role.UNIT_STAFF, grants__unit_id__in=unit_ids).distinct())


class Suggestion(InRegion, Tracked):
    """A deputy's suggestion, criticism or opinion (代表建议), alone or jointly (联名)."""

    title = models.CharField(_("标题"), max_length=100)
    content = models.TextField(_("内容"), max_length=6000)
    topic = models.CharField(_("类别"), max_length=20, choices=Topic.choices, default=Topic.OTHER)
    period = models.CharField(_("提出时间"), max_length=16, choices=Period.choices, default=Period.SESSION)
    session_label = models.CharField(
        _("会议"), max_length=100, blank=True, help_text=_("如：第十八届人大第五次会议")
    )
    region = models.ForeignKey(Region, verbose_name=_("所属镇"), on_delete=models.PROTECT, related_name="+")
    lead = models.ForeignKey(
        Deputy, verbose_name=_("领衔代表"), on_delete=models.PROTECT, related_name="led_suggestions"
    )
    opinions = models.ManyToManyField(
        Opinion, verbose_name=_("来源社情民意"), blank=True, related_name="suggestions"
    )
    created_at = models.DateTimeField(_("起草时间"), default=timezone.now, editable=False)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("起草人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_on = models.DateField(_("提交日期"), null=True, blank=True)
    number = models.CharField(_("立案号"), max_length=40, blank=True)
    tracking_code = models.CharField(_("查询码"), max_length=12, unique=True, default=new_suggestion_code)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("并入"), null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    outcome_note = models.CharField(_("审查意见"), max_length=500, blank=True)
    # Handling
    unit = models.ForeignKey(
        HandlingUnit,
        verbose_name=_("主办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="suggestions",
    )
    responsible_person = models.CharField(_("责任人"), max_length=50, blank=True)
    assigned_on = models.DateField(_("交办日期"), null=True, blank=True)
    extended = models.BooleanField(_("已延期"), default=False)
    extension_reason = models.CharField(_("延期说明"), max_length=500, blank=True)
    consult_method = models.CharField(_("面商方式"), max_length=16, choices=ConsultMethod.choices, blank=True)
    consult_on = models.DateField(_("面商日期"), null=True, blank=True)
    consult_note = models.TextField(_("面商情况"), blank=True)
    # Reply (答复)
    doc_number = models.CharField(_("答复文号"), max_length=50, blank=True)
    signer = models.CharField(_("签发人"), max_length=50, blank=True)
    done_text = models.TextField(_("已办理情况"), blank=True)
    planned_text = models.TextField(_("计划办理事项"), blank=True)
    planned_by = models.DateField(_("计划完成时间"), null=True, blank=True)
    not_adopted_text = models.TextField(_("未采纳原因"), blank=True)
    category = models.CharField(_("答复类别"), max_length=1, choices=Category.choices, blank=True)
    reply_text = models.TextField(_("答复全文"), blank=True)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    reply_on_time = models.BooleanField(_("按时答复"), null=True, blank=True)
    rounds = models.PositiveSmallIntegerField(_("办理轮次"), default=0)
    solved_on = models.DateField(_("解决日期"), null=True, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    publish = models.BooleanField(_("答复公开"), default=True)
    # The round whose reply the public may read: set once the signers have rated it or the rating window
    # has passed (DOMAIN §4; issue 16 item 10). A later round's reply waits for the same.
    published_round = models.PositiveSmallIntegerField(_("已公开答复轮次"), default=0)
    # Key supervision (重点督办)
    is_key = models.BooleanField(_("重点督办"), default=False)
    key_member = models.ForeignKey(
        Deputy,
        verbose_name=_("督办主席团成员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # A unit sees what it leads (co-handlers reach their part through CoHandling); a deputy sees what they
    # signed, what was merged into it from their own, and what they supervise as a presidium member.
    scope = Scope(
        unit="unit",
        deputy=("signatures__deputy", "merged__signatures__deputy", "key_member"),
        # A draft is its author's and its invited co-signers' until submitted (DOMAIN §4, issue 16 item 10):
        # no office list, ledger or count shows it, except to the office login that entered it for a deputy.
        private=models.Q(state="draft"),
        author="drafted_by",
    )

    class Meta:
        verbose_name = _("代表建议")
        verbose_name_plural = _("代表建议")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["town", "state", "due_date"], name="sugg_town_state"),
            models.Index(fields=["county", "submitted_on"], name="sugg_county_day"),
            models.Index(fields=["town", "submitted_on"], name="sugg_town_day"),
            models.Index(fields=["unit", "state", "due_date"], name="sugg_unit_state"),
            models.Index(fields=["state", "due_date"], name="sugg_state_due"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["town", "number"], condition=~models.Q(number=""), name="sugg_number_unique_in_town"
            ),
        ]

    def __str__(self):
        return self.number or self.title

    def get_absolute_url(self):
        return reverse("suggestions:detail", args=[self.pk])

    @property
    def solved(self) -> bool:
        """Resolution, not satisfaction (DOMAIN §4): A items, and B items later solved."""
        return self.category == Category.A or (self.category == Category.B and self.solved_on is not None)

    def signers(self):
        """Every deputy whose name is on it: confirmed co-signers, and those of suggestions merged into it."""
        return Deputy.objects.filter(
            models.Q(signatures__suggestion=self) | models.Q(signatures__suggestion__merged_into=self),
            signatures__status=SignatureStatus.CONFIRMED,
        ).distinct()

    def audience(self, name: str):
        if name == "office":
            return _office_users(self)
        if name == "unit" and self.unit_id:
            units = [self.unit_id, *self.cohandlings.values_list("unit_id", flat=True)]
            return _unit_users(units)
        if name == "deputy":
            return [d.user for d in self.signers().select_related("user") if d.user_id]
        return []


class SignatureStatus(models.TextChoices):
    INVITED = "invited", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    DECLINED = "declined", _("已谢绝")


class Signature(models.Model):
    """A deputy's name on a suggestion or a motion: the lead, or a co-signer who confirms (联名)."""

    suggestion = models.ForeignKey(
        Suggestion, null=True, blank=True, on_delete=models.CASCADE, related_name="signatures"
    )
    motion = models.ForeignKey(
        "Motion", null=True, blank=True, on_delete=models.CASCADE, related_name="signatures"
    )
    deputy = models.ForeignKey(
        Deputy, verbose_name=_("代表"), on_delete=models.PROTECT, related_name="signatures"
    )
    is_lead = models.BooleanField(_("领衔"), default=False)
    status = models.CharField(
        _("状态"), max_length=16, choices=SignatureStatus.choices, default=SignatureStatus.INVITED
    )
    responded_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("署名")
        verbose_name_plural = _("署名")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(suggestion__isnull=False, motion__isnull=True)
                | models.Q(suggestion__isnull=True, motion__isnull=False),
                name="signature_on_exactly_one",
            ),
            models.UniqueConstraint(fields=["suggestion", "deputy"], name="signature_once_per_suggestion"),
            models.UniqueConstraint(fields=["motion", "deputy"], name="signature_once_per_motion"),
        ]

    def __str__(self):
        return f"{self.deputy}（{self.get_status_display()}）"


class CoHandling(Tracked):
    """A co-handling unit's part (协办): its input goes to the lead unit within 1 month [local]."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="cohandlings")
    unit = models.ForeignKey(
        HandlingUnit, verbose_name=_("协办单位"), on_delete=models.PROTECT, related_name="+"
    )
    input_text = models.TextField(_("协办意见"), blank=True)
    input_on = models.DateField(_("提交日期"), null=True, blank=True)

    scope = Scope(county="suggestion__county", town="suggestion__town", unit="unit")

    class Meta:
        verbose_name = _("协办")
        verbose_name_plural = _("协办")
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "unit"], name="cohandling_once_per_unit")
        ]

    def __str__(self):
        return f"{self.suggestion} · {self.unit}"

    def get_absolute_url(self):
        return self.suggestion.get_absolute_url()

    def rules_place(self):
        # a part has no town of its own: the suggestion's [local] rules apply
        return self.suggestion

    def audience(self, name: str):
        if name == "unit":
            return _unit_users([self.unit_id])
        if name == "lead" and self.suggestion.unit_id:
            return _unit_users([self.suggestion.unit_id])
        return self.suggestion.audience(name)


class Feedback(models.Model):
    """A signer's rating of one round's reply: the handling work and the result, separately."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="feedback")
    deputy = models.ForeignKey(Deputy, on_delete=models.PROTECT, related_name="+")
    round = models.PositiveSmallIntegerField(_("轮次"))
    handling = models.CharField(_("对办理工作"), max_length=16, choices=Satisfaction.choices)
    result = models.CharField(_("对办理结果"), max_length=16, choices=Satisfaction.choices)
    comment = models.TextField(_("意见"), blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("代表反馈")
        verbose_name_plural = _("代表反馈")
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "deputy", "round"], name="feedback_once_per_round")
        ]

    def __str__(self):
        return f"{self.deputy} · {self.get_result_display()}"


class SupervisionVisit(models.Model):
    """Key supervision: a site visit or progress note by the presidium member in charge."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="visits")
    date = models.DateField(_("日期"))
    note = models.TextField(_("督办情况"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("督办记录")
        verbose_name_plural = _("督办记录")
        ordering = ["date"]

    def __str__(self):
        return f"{self.suggestion} · {self.date}"


class Award(models.Model):
    """The year's excellent suggestions and excellent handling units (评优评先)."""

    class Kind(models.TextChoices):
        SUGGESTION = "suggestion", _("优秀建议")
        UNIT = "unit", _("优秀承办单位")

    year = models.PositiveSmallIntegerField(_("年度"))
    town = models.ForeignKey(Region, verbose_name=_("镇"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    suggestion = models.ForeignKey(
        Suggestion, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(HandlingUnit, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("评优")
        verbose_name_plural = _("评优")
        constraints = [
            models.UniqueConstraint(fields=["year", "kind", "suggestion"], name="award_once_per_suggestion"),
            models.UniqueConstraint(fields=["year", "kind", "unit"], name="award_once_per_unit"),
        ]

    def __str__(self):
        return f"{self.year} {self.get_kind_display()}"


class Motion(InRegion, Tracked):
    """A motion (议案) during a session: by the presidium, or by 5 or more deputies jointly [law]."""

    title = models.CharField(_("标题"), max_length=100)
    content = models.TextField(_("内容"), max_length=10000)
    session_label = models.CharField(_("会议"), max_length=100, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("所属镇"), on_delete=models.PROTECT, related_name="+")
    by_presidium = models.BooleanField(_("主席团提出"), default=False)
    lead = models.ForeignKey(
        Deputy, verbose_name=_("领衔代表"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("起草时间"), default=timezone.now, editable=False)
    number = models.CharField(_("议案号"), max_length=40, blank=True)
    decision_note = models.CharField(_("处理意见"), max_length=500, blank=True)
    suggestion = models.OneToOneField(
        Suggestion, null=True, blank=True, on_delete=models.SET_NULL, related_name="from_motion"
    )

    # A deputies' draft is theirs until submitted; the presidium's is the office's (issue 16 item 10).
    scope = Scope(deputy="signatures__deputy", private=models.Q(state="draft", by_presidium=False))

    class Meta:
        verbose_name = _("议案")
        verbose_name_plural = _("议案")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["town", "number"], condition=~models.Q(number=""), name="motion_number_unique_in_town"
            ),
        ]

    def __str__(self):
        return self.number or self.title

    def get_absolute_url(self):
        return reverse("suggestions:motion", args=[self.pk])

    def audience(self, name: str):
        if name == "office":
            return _office_users(self)
        if name == "deputy":
            return [s.deputy.user for s in self.signatures.select_related("deputy__user") if s.deputy.user_id]
        return []
