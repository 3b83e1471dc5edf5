"""社情民意 (DOMAIN §3): opinions from the people, and the reception days where many of them are raised."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Role, RoleGrant
from apps.accounts.scopes import Scope
from apps.common.choices import Satisfaction
from apps.people.models import Deputy
from apps.places.models import HandlingUnit, InRegion, Region, Station
from apps.workflow.models import Tracked

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read aloud and typed on phones


def new_tracking_code() -> str:
    return "MY" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


class OpinionSource(models.TextChoices):
    RECEPTION = "reception", _("接待选民日")
    VISIT = "visit", _("代表走访")
    LETTER = "letter", _("来信来访")
    ONLINE = "online", _("网上/扫码反映")
    ENTERPRISE = "enterprise", _("企业点单")
    DELIBERATION = "deliberation", _("知情议政会")


class Topic(models.TextChoices):
    ROAD = "road", _("道路交通")
    WATER = "water", _("饮水安全")
    SCHOOL = "school", _("教育")
    MEDICAL = "medical", _("医疗卫生")
    ENVIRONMENT = "environment", _("生态环境")
    AGRICULTURE = "agriculture", _("农业产业")
    SOCIAL_SECURITY = "social_security", _("社会保障")
    HOUSING = "housing", _("住房建设")
    ENTERPRISE = "enterprise", _("企业发展")
    PUBLIC_SAFETY = "public_safety", _("社会治安")
    CULTURE = "culture", _("文化体育")
    OTHER = "other", _("其他")


class VisitMethod(models.TextChoices):
    IN_PERSON = "in_person", _("当面回访")
    PHONE = "phone", _("电话回访")
    WRITTEN = "written", _("书面答复")


class Opinion(InRegion, Tracked):
    """One matter a voter, household or enterprise raised; tracked from registration to close-out."""

    tracking_code = models.CharField(_("查询码"), max_length=12, unique=True, default=new_tracking_code)
    source = models.CharField(_("来源"), max_length=16, choices=OpinionSource.choices)
    topic = models.CharField(_("类别"), max_length=20, choices=Topic.choices, default=Topic.OTHER)
    # The roll-up key of the supervision list (issue 18): category + the matter's word, set at intake.
    topic_key = models.CharField(_("议题归类"), max_length=40, blank=True, editable=False)
    title = models.CharField(_("事项"), max_length=100)
    content = models.TextField(_("具体内容"), max_length=2000)
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField(_("反映日期"), default=timezone.localdate)
    station = models.ForeignKey(
        Station, verbose_name=_("联络站"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deputy = models.ForeignKey(
        Deputy,
        verbose_name=_("接待/走访代表"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opinions",
    )
    reception_day = models.ForeignKey(
        "ReceptionDay",
        verbose_name=_("接待日"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opinions",
    )
    submitter_name = models.CharField(_("反映人"), max_length=50, blank=True)
    submitter_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    submitter_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    enterprise_name = models.CharField(_("企业名称"), max_length=100, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)
    # Handling
    unit = models.ForeignKey(
        HandlingUnit,
        verbose_name=_("承办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opinions",
    )
    responsible_person = models.CharField(_("责任人"), max_length=50, blank=True)
    assigned_on = models.DateField(_("交办日期"), null=True, blank=True)
    reply = models.TextField(_("答复内容"), blank=True)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    reply_on_time = models.BooleanField(_("按时答复"), null=True, blank=True)
    on_spot = models.BooleanField(_("当场答复"), default=False)
    # Return visit: satisfaction and whether the matter is solved are two separate facts.
    visit_method = models.CharField(_("回访方式"), max_length=16, choices=VisitMethod.choices, blank=True)
    satisfaction = models.CharField(_("满意度"), max_length=16, choices=Satisfaction.rated(), blank=True)
    solved = models.BooleanField(_("是否解决"), null=True, blank=True)
    visit_note = models.TextField(_("回访情况"), blank=True)
    visited_on = models.DateField(_("回访日期"), null=True, blank=True)
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("合并至"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
    )
    outcome_note = models.CharField(_("处理说明"), max_length=500, blank=True)

    scope = Scope(station="station", unit="unit", deputy="deputy")

    class Meta:
        verbose_name = _("社情民意")
        verbose_name_plural = _("社情民意")
        ordering = ["-received_on", "-pk"]
        indexes = [
            models.Index(fields=["town", "received_on"], name="opinion_town_day"),
            models.Index(fields=["county", "received_on"], name="opinion_county_day"),
            models.Index(fields=["town", "state", "due_date"], name="opinion_town_state"),
            models.Index(fields=["unit", "state", "due_date"], name="opinion_unit_state"),
            models.Index(fields=["station", "received_on"], name="opinion_station_day"),
            models.Index(fields=["state", "due_date"], name="opinion_state_due"),
            # The supervision roll-up (issue 18): a county's or a town's period grouped by topic key, read
            # from the index alone.
            models.Index(
                fields=["county", "received_on", "topic_key", "region"], name="opinion_county_topic"
            ),
            models.Index(fields=["town", "received_on", "topic_key", "region"], name="opinion_town_topic"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("pk")), name="opinion_not_merged_into_itself"
            ),
        ]

    def __str__(self):
        return f"{self.title}（{self.tracking_code}）"

    def get_absolute_url(self):
        return reverse("opinions:detail", args=[self.pk])

    def save(self, *args, **kwargs):
        if not self.topic_key:
            self.topic_key = self.compute_topic_key()
        super().save(*args, **kwargs)

    def compute_topic_key(self) -> str:
        """The roll-up key (issue 18): assigned at intake (every intake path saves through here)."""
        from .similarity import topic_key

        return topic_key(self.topic, self.title, places=(self.region.name,) if self.region_id else ())

    def audience(self, name: str):
        User = RoleGrant._meta.get_field("user").related_model
        if name == "office":
            region = self.town_id or self.county_id
            role = Role.TOWN_OFFICE if self.town_id else Role.COUNTY_OFFICE
            return list(User.objects.filter(grants__role=role, grants__region_id=region).distinct())
        if name == "unit" and self.unit_id:
            return list(
                User.objects.filter(grants__role=Role.UNIT_STAFF, grants__unit_id=self.unit_id).distinct()
            )
        if name == "station" and self.station_id:
            return list(
                User.objects.filter(
                    grants__role=Role.STATION_KEEPER, grants__station_id=self.station_id
                ).distinct()
            )
        if name == "deputy" and self.deputy_id and self.deputy.user_id:
            return [self.deputy.user]
        if name == "submitter" and self.submitter_user_id:
            return [self.submitter_user]
        return []

    def after_transition(self, t, step):
        """Citizens without an account hear by SMS at the steps they care about."""
        if self.submitter_user_id or not self.submitter_phone or "submitter" not in t.notify:
            return
        from django.utils.translation import gettext as _t

        from apps.notifications.services import notify_contact

        notify_contact(
            phone=self.submitter_phone,
            text=_t("您反映的事项（查询码 %(code)s）%(action)s，当前状态：%(state)s。")
            % {"code": self.tracking_code, "action": t.label, "state": self.state_label},
            dedupe_key=f"opinion-sms:{step.pk}",
        )


class ReceptionDay(InRegion):
    """A station's reception day (接待选民日): the rota published in advance, then the day's record."""

    station = models.ForeignKey(
        Station, verbose_name=_("联络站"), on_delete=models.CASCADE, related_name="reception_days"
    )
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("日期"))
    hours = models.CharField(_("时间"), max_length=50, default="9:00-12:00")
    rota = models.ManyToManyField(Deputy, verbose_name=_("值班代表"), blank=True, related_name="rota_days")
    rota_published_at = models.DateTimeField(_("排班公布时间"), null=True, blank=True)
    present = models.ManyToManyField(
        Deputy, verbose_name=_("到场代表"), blank=True, related_name="present_days"
    )
    voters_received = models.PositiveIntegerField(_("接待选民人数"), default=0)
    notes = models.TextField(_("接待情况"), blank=True)
    recorded_at = models.DateTimeField(_("登记时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = Scope(station="station", deputy="rota")

    class Meta:
        verbose_name = _("接待选民日")
        verbose_name_plural = _("接待选民日")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["station", "date"], name="reception_day_once_per_station")
        ]
        indexes = [models.Index(fields=["town", "date"], name="reception_town_date")]

    def __str__(self):
        return f"{self.station} {self.date:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("opinions:reception_day", args=[self.pk])

    @property
    def is_recorded(self) -> bool:
        return self.recorded_at is not None
