from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.accounts.scopes import Scope


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县/市/区")
    TOWN = "town", _("镇/乡/街道")
    VILLAGE = "village", _("村/社区")
    GRID = "grid", _("网格")


class GridLevel(models.IntegerChoices):
    TOTAL = 1, _("总网格")
    FIRST = 2, _("一级网格")
    SECOND = 3, _("二级网格")


class Region(models.Model):
    """A node of the region tree (行政区划) with its official code.

    `county` and `town` are copied down the tree when a region is created, so that every scoped object can
    be filtered by one indexed column (see accounts/scopes.py) at any scale.
    """

    code = models.CharField(_("区划代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    level = models.CharField(_("层级"), max_length=16, choices=RegionLevel.choices)
    grid_level = models.PositiveSmallIntegerField(
        _("网格层级"), choices=GridLevel.choices, null=True, blank=True
    )
    short_name = models.CharField(
        _("简称"),
        max_length=8,
        blank=True,
        help_text=_("编号中的镇简称，如“城关”；不填则取名称去掉“镇、乡、街道”"),
    )
    is_street = models.BooleanField(_("街道"), default=False, help_text=_("街道设人大工委，而非镇人大"))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    county = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("所属县")
    )
    town = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("所属镇")
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)

    scope = Scope()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level="grid", grid_level__isnull=False)
                | (~models.Q(level="grid") & models.Q(grid_level__isnull=True)),
                name="region_grid_level_only_on_grids",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def short(self) -> str:
        """The short name numbers carry (城关建〔2026〕12号, DOMAIN §11): set, or the name less its suffix."""
        if self.short_name:
            return self.short_name
        for suffix in ("街道办事处", "街道", "镇", "乡"):
            if self.name.endswith(suffix) and len(self.name) > len(suffix):
                return self.name[: -len(suffix)]
        return self.name

    def fill_tree_fields(self):
        parent = self.parent
        self.path = (parent.path if parent else "/") + self.code + "/"
        if self.level == RegionLevel.COUNTY:
            self.county = self
        else:
            self.county_id = parent.county_id if parent else None
        if self.level == RegionLevel.TOWN:
            self.town = self
        elif self.level in (RegionLevel.VILLAGE, RegionLevel.GRID):
            self.town_id = parent.town_id if parent else None

    def save(self, *args, **kwargs):
        if self.level in (RegionLevel.COUNTY, RegionLevel.TOWN) and self.pk is None:
            super().save(*args, **kwargs)  # needs its own id before pointing at itself
            kwargs.pop("force_insert", None)
            self.fill_tree_fields()
            return super().save(update_fields=["path", "county", "town"])
        self.fill_tree_fields()
        return super().save(*args, **kwargs)

    @property
    def full_name(self):
        parts = []
        node = self
        while node is not None and node.level not in (RegionLevel.PROVINCE, RegionLevel.CITY):
            parts.append(node.name)
            node = node.parent
        return "".join(reversed(parts))


class InRegion(models.Model):
    """Something that lives in a region, with the region's county and town copied onto it on save.

    Those two indexed columns are what the permission layer filters on (accounts/scopes.py), so a town's
    list costs the same at any scale. Bulk loaders must fill them as `save` would."""

    county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    town = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.county_id = self.region.county_id
        self.town_id = self.region.town_id
        super().save(*args, **kwargs)


class StationLevel(models.TextChoices):
    COUNTY = "county", _("县级代表联络站")
    TOWN = "town", _("镇级代表联络站")
    VILLAGE = "village", _("村级代表联络室")


# The "six-haves"/"ten-haves" construction checklist (DOMAIN §1, Cangxi): keys are stable, labels translate.
STATION_CHECKLIST = [
    ("room", _("有固定场所")),
    ("equipment", _("有办公设备")),
    ("sign", _("有标识牌")),
    ("rules", _("有制度上墙")),
    ("registers", _("有工作台账")),
    ("funding", _("有活动经费")),
    ("deputies_list", _("有代表名单公示")),
    ("schedule", _("有活动计划")),
    ("mailbox", _("有意见箱")),
    ("keeper", _("有专人管理")),
]


class Station(InRegion):
    """A liaison station (代表联络站 / 代表工作室 / 联络室) at county, town or village level."""

    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=16, choices=StationLevel.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="stations"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级站点"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    keeper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("站长/管理员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="kept_stations",
    )
    keeper_name = models.CharField(_("负责人"), max_length=50, blank=True)
    keeper_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    opening_schedule = models.CharField(
        _("开放时间"), max_length=200, blank=True, help_text=_("例如：每月第一个星期二 9:00-12:00 接待选民")
    )
    checklist = models.JSONField(_("建设清单"), default=dict, blank=True)

    scope = Scope(station="pk")

    class Meta:
        verbose_name = _("代表联络站")
        verbose_name_plural = _("代表联络站")
        ordering = ["region__code", "name"]

    def __str__(self):
        return self.name

    @property
    def checklist_items(self):
        return [(key, label, bool(self.checklist.get(key))) for key, label in STATION_CHECKLIST]

    @property
    def checklist_done(self):
        return sum(1 for key, _label in STATION_CHECKLIST if self.checklist.get(key))


class UnitLevel(models.TextChoices):
    COUNTY = "county", _("县级")
    TOWN = "town", _("镇级")


class HandlingUnit(InRegion):
    """A government department or office that answers what is assigned to it (承办单位)."""

    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=16, choices=UnitLevel.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="units"
    )
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    scope = Scope(unit="pk")

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["level", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="unit_unique_name_in_region")]

    def __str__(self):
        return self.name
