import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.accounts.scopes import Scope
from apps.places.models import InRegion, Region, Station


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class DeputyLevel(models.TextChoices):
    # 五级代表 (DOMAIN §2), highest first.
    NATIONAL = "national", _("全国人大代表")
    PROVINCE = "province", _("省人大代表")
    CITY = "city", _("市人大代表")
    COUNTY = "county", _("县人大代表")
    TOWN = "town", _("镇人大代表")


class MandateStatus(models.TextChoices):
    IN_OFFICE = "in_office", _("在任")
    SUSPENDED = "suspended", _("暂停执行代表职务")
    RESIGNED = "resigned", _("辞职")
    RECALLED = "recalled", _("罢免")
    TERMINATED = "terminated", _("终止")


class DeputyGroup(InRegion):
    """代表小组 (by area) or 专业小组 (by profession: 财经, 法律 ...), organised by the presidium."""

    class Kind(models.TextChoices):
        AREA = "area", _("代表小组")
        PROFESSIONAL = "professional", _("专业小组")

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.AREA)
    region = models.ForeignKey(
        Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="deputy_groups"
    )
    leader = models.ForeignKey(
        "Deputy", verbose_name=_("组长"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = Scope()

    class Meta:
        verbose_name = _("代表小组")
        verbose_name_plural = _("代表小组")
        ordering = ["region__code", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="group_unique_name_in_region")]

    def __str__(self):
        return self.name


class Deputy(InRegion):
    """A person who holds one or more mandates (人大代表)."""

    name = models.CharField(_("姓名"), max_length=50)
    name_pinyin = models.CharField(_("姓名拼音"), max_length=200, db_index=True, editable=False)
    name_initials = models.CharField(_("拼音首字母"), max_length=50, db_index=True, editable=False)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    ethnicity = models.CharField(_("民族"), max_length=20, default="汉族")
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    party = models.CharField(_("政治面貌"), max_length=30, blank=True)
    occupation = models.CharField(_("职业"), max_length=100, blank=True)
    workplace = models.CharField(_("工作单位及职务"), max_length=200, blank=True)
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    address = models.CharField(_("住址"), max_length=200, blank=True)
    photo = models.ImageField(_("照片"), upload_to="deputies/", blank=True)
    # Where the deputy lives and works between sessions; decides which offices see the deputy.
    region = models.ForeignKey(
        Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="deputies"
    )
    station = models.ForeignKey(
        Station,
        verbose_name=_("所属联络站"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deputies",
    )
    groups = models.ManyToManyField(
        DeputyGroup, verbose_name=_("代表小组"), blank=True, related_name="members"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deputy",
    )
    # Denormalised from the mandates for filtering lists quickly; kept by people.services.
    top_level = models.CharField(_("最高层级"), max_length=16, choices=DeputyLevel.choices, db_index=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=MandateStatus.choices, default=MandateStatus.IN_OFFICE
    )
    on_plate = models.BooleanField(_("在挂牌名单"), default=True, help_text=_("摘牌后为否"))
    is_presidium_member = models.BooleanField(_("主席团成员"), default=False)
    is_standing_committee_member = models.BooleanField(_("人大常委会组成人员"), default=False)
    public_code = models.UUIDField(_("代表码"), default=uuid.uuid4, unique=True, editable=False)
    bio = models.TextField(_("简介"), blank=True)
    import_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    scope = Scope(station="station", deputy="pk")

    class Meta:
        verbose_name = _("人大代表")
        verbose_name_plural = _("人大代表")
        ordering = ["name_pinyin", "id"]
        indexes = [
            models.Index(fields=["town", "name_pinyin"]),
            models.Index(fields=["county", "name_pinyin"]),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        from .pinyin import initials_of, pinyin_of

        self.name_pinyin = pinyin_of(self.name)
        self.name_initials = initials_of(self.name)
        super().save(*args, **kwargs)

    @property
    def masked_phone(self):
        return (self.phone[:3] + "****" + self.phone[-4:]) if len(self.phone) >= 11 else ""


# A deputy's own particulars: what the office edits and what an import fills in (people.services, importing).
DEPUTY_PERSONAL_FIELDS = [
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "party",
    "occupation",
    "workplace",
    "phone",
    "address",
]


class Mandate(models.Model):
    """代表资格: one level, one term, one electoral district."""

    deputy = models.ForeignKey(
        Deputy, verbose_name=_("代表"), on_delete=models.CASCADE, related_name="mandates"
    )
    level = models.CharField(_("层级"), max_length=16, choices=DeputyLevel.choices)
    congress_region = models.ForeignKey(
        Region,
        verbose_name=_("人大所在区划"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("县人大代表填县，镇人大代表填镇"),
    )
    term = models.PositiveSmallIntegerField(_("届次"))
    term_start = models.DateField(_("任期开始"))
    term_end = models.DateField(_("任期结束"))
    district = models.CharField(_("选区"), max_length=100, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=MandateStatus.choices, default=MandateStatus.IN_OFFICE
    )

    scope = Scope(county="deputy__county", town="deputy__town", station="deputy__station", deputy="deputy")

    class Meta:
        verbose_name = _("代表资格")
        verbose_name_plural = _("代表资格")
        ordering = ["deputy", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["deputy", "level", "term", "congress_region"], name="mandate_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(term_end__gt=models.F("term_start")), name="mandate_term_order"
            ),
        ]

    def __str__(self):
        return f"{self.deputy} · {self.get_level_display()} 第{self.term}届"


class GridRole(models.Model):
    """A deputy leading a grid (网格长) at one of its three levels."""

    deputy = models.ForeignKey(
        Deputy, verbose_name=_("代表"), on_delete=models.CASCADE, related_name="grid_roles"
    )
    grid = models.ForeignKey(
        Region,
        verbose_name=_("网格"),
        on_delete=models.CASCADE,
        related_name="grid_roles",
        limit_choices_to={"level": "grid"},
    )

    scope = Scope(county="grid__county", town="grid__town", deputy="deputy")

    class Meta:
        verbose_name = _("网格长")
        verbose_name_plural = _("网格长")
        constraints = [models.UniqueConstraint(fields=["deputy", "grid"], name="gridrole_unique")]

    def __str__(self):
        return f"{self.grid} · {self.deputy}"


class Household(InRegion):
    """A voter household (户) in a village or grid, with the deputy who contacts it."""

    head_name = models.CharField(_("户主"), max_length=50)
    region = models.ForeignKey(
        Region, verbose_name=_("所在村/网格"), on_delete=models.PROTECT, related_name="households"
    )
    address = models.CharField(_("住址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    member_count = models.PositiveSmallIntegerField(_("家庭人口"), default=1)
    voter_count = models.PositiveSmallIntegerField(_("选民人数"), default=1)
    contact_deputy = models.ForeignKey(
        Deputy,
        verbose_name=_("联系代表"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_households",
    )
    is_poor = models.BooleanField(_("脱贫/困难户"), default=False)
    paired_deputy = models.ForeignKey(
        Deputy,
        verbose_name=_("结对帮扶代表"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="paired_households",
    )
    import_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    scope = Scope(station="contact_deputy__station", deputy="contact_deputy")

    class Meta:
        verbose_name = _("选民户")
        verbose_name_plural = _("选民户")
        ordering = ["region__code", "head_name", "id"]
        indexes = [models.Index(fields=["town", "region"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(paired_deputy__isnull=True) | models.Q(is_poor=True),
                name="household_pairing_only_for_poor",
            )
        ]

    def __str__(self):
        return f"{self.head_name}户"


class Voter(models.Model):
    household = models.ForeignKey(
        Household, verbose_name=_("户"), on_delete=models.CASCADE, related_name="voters"
    )
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("出生年份"), null=True, blank=True)
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)

    scope = Scope(
        county="household__county",
        town="household__town",
        station="household__contact_deputy__station",
        deputy="household__contact_deputy",
    )

    class Meta:
        verbose_name = _("选民")
        verbose_name_plural = _("选民")
        ordering = ["household", "id"]

    def __str__(self):
        return self.name


class MemberContact(models.Model):
    """A presidium or standing-committee member's contact duty: the deputies and households they contact."""

    member = models.ForeignKey(
        Deputy, verbose_name=_("联系人"), on_delete=models.CASCADE, related_name="member_contacts"
    )
    deputy = models.ForeignKey(
        Deputy,
        verbose_name=_("联系代表"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contacted_by",
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("联系户"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contacted_by",
    )

    scope = Scope(county="member__county", town="member__town", deputy="member")

    class Meta:
        verbose_name = _("联系代表和选民")
        verbose_name_plural = _("联系代表和选民")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(deputy__isnull=False) & models.Q(household__isnull=True))
                | (models.Q(deputy__isnull=True) & models.Q(household__isnull=False)),
                name="membercontact_one_target",
            ),
            models.UniqueConstraint(fields=["member", "deputy"], name="membercontact_unique_deputy"),
            models.UniqueConstraint(fields=["member", "household"], name="membercontact_unique_household"),
        ]

    def __str__(self):
        return f"{self.member} → {self.deputy or self.household}"


class Office(models.Model):
    """A post the deputy holds (任职, issue 21 part 4): its title, from when, and the election it came from
    (the elected outcome of a counted round; written when the round is counted)."""

    deputy = models.ForeignKey(Deputy, on_delete=models.CASCADE, related_name="offices")
    title = models.CharField(_("职务"), max_length=100)
    started_on = models.DateField(_("任职日期"))
    ended_on = models.DateField(_("离任日期"), null=True, blank=True)
    source = models.CharField(_("产生方式"), max_length=200)
    outcome = models.OneToOneField(
        "elections.Outcome", null=True, blank=True, on_delete=models.PROTECT, related_name="office"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(county="deputy__county", town="deputy__town", station="deputy__station", deputy="deputy")

    class Meta:
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        ordering = ["deputy", "-started_on", "id"]

    def __str__(self):
        return f"{self.deputy_id}: {self.title}"
