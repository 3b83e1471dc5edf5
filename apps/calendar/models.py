from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("法定节假日")
    MAKEUP_WORKDAY = "makeup_workday", _("调休上班日")


class YearSource(models.TextChoices):
    LIBRARY = "library", _("chinese-calendar 库")
    ADMIN = "admin", _("系统管理员录入")


class CalendarYear(models.Model):
    """Whether a year's official holidays (国务院办公厅关于部分节假日安排的通知) are in the table.

    A year that is not `announced` counts Monday to Friday as working days; deadlines that reach it are
    provisional and staff are warned. `source = admin` keeps `sync_holidays` away from the year, so a
    system admin's entries are never overwritten by the library.
    """

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    announced = models.BooleanField(
        _("已公布"), default=False, help_text=_("该年全部法定节假日和调休上班日均已录入")
    )
    source = models.CharField(_("来源"), max_length=16, choices=YearSource.choices, default=YearSource.ADMIN)
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("节假日年度")
        verbose_name_plural = _("节假日年度")
        ordering = ["-year"]
        constraints = [
            # A typo guard: the State Council has announced holidays yearly since 1999.
            models.CheckConstraint(
                condition=models.Q(year__gte=1999, year__lte=2199), name="calendar_year_in_range"
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=YearSource.values), name="calendar_year_source_valid"
            ),
        ]

    def __str__(self):
        return str(self.year)


class CalendarDay(models.Model):
    """A day that breaks the Monday-to-Friday rule: an official holiday or a make-up working day (调休).

    Every day of an official holiday is stored, weekend days included, so a year's table reads like the
    State Council's notice.
    """

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=DayKind.choices)
    name = models.CharField(_("节日"), max_length=64, help_text=_("如：国庆节；调休上班日填所调休的节日"))

    class Meta:
        verbose_name = _("节假日")
        verbose_name_plural = _("节假日")
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=DayKind.values), name="calendar_day_kind_valid"
            ),
            models.CheckConstraint(condition=~models.Q(name=""), name="calendar_day_name_not_blank"),
        ]

    def __str__(self):
        return f"{self.date.isoformat()} {self.name}（{self.get_kind_display()}）"

    def clean(self):
        # 国务院办公厅通知: make-up working days are always a Saturday or Sunday moved to work.
        if self.kind == DayKind.MAKEUP_WORKDAY and self.date and self.date.weekday() < 5:
            raise ValidationError({"date": _("调休上班日应为星期六或星期日")})
