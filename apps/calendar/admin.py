"""System admins keep the holiday table here; every save and delete goes through services (audited)."""

from django.contrib import admin, messages
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import CalendarDay, CalendarYear, DayKind

WEEKDAYS = [_("星期一"), _("星期二"), _("星期三"), _("星期四"), _("星期五"), _("星期六"), _("星期日")]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "weekday", "kind", "name"]
    list_filter = ["kind", "name"]
    search_fields = ["name"]
    date_hierarchy = "date"

    @admin.display(description=_("星期"), ordering="date")
    def weekday(self, obj):
        return WEEKDAYS[obj.date.weekday()]

    def save_model(self, request, obj, form, change):
        services.save_day(actor=request.user, day=obj)

    def delete_model(self, request, obj):
        services.delete_day(actor=request.user, day=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:  # one audit event per row, not one silent bulk delete
            services.delete_day(actor=request.user, day=obj)


def _days_in_year(kind: str):
    days = (
        CalendarDay.objects.filter(date__year=OuterRef("year"), kind=kind)
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(days, output_field=IntegerField()), 0)


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "announced", "source", "holidays", "makeup_workdays", "note"]
    list_filter = ["announced", "source"]
    actions = ["mark_announced"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                holidays=_days_in_year(DayKind.HOLIDAY), makeup_workdays=_days_in_year(DayKind.MAKEUP_WORKDAY)
            )
        )

    @admin.display(description=_("法定节假日天数"), ordering="holidays")
    def holidays(self, obj):
        return obj.holidays

    @admin.display(description=_("调休上班日天数"), ordering="makeup_workdays")
    def makeup_workdays(self, obj):
        return obj.makeup_workdays

    @admin.action(description=_("标记为已公布（该年节假日已全部录入）"), permissions=["change"])
    def mark_announced(self, request, queryset):
        n = services.mark_announced(actor=request.user, years=queryset)
        self.message_user(
            request,
            ngettext("%(n)d 个年度已标记为已公布。", "%(n)d 个年度已标记为已公布。", n) % {"n": n},
            messages.SUCCESS,
        )

    def save_model(self, request, obj, form, change):
        services.save_year(actor=request.user, year=obj)

    def delete_model(self, request, obj):
        services.delete_year(actor=request.user, year=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.delete_year(actor=request.user, year=obj)
