from django.contrib import admin

from apps.audit.admin_mixins import AuditedModelAdmin

from .models import DutyRecord, PlateAction, PointsRule, PointsTable


class PointsRuleInline(admin.TabularInline):
    model = PointsRule
    extra = 0


@admin.register(PointsTable)
class PointsTableAdmin(AuditedModelAdmin):
    list_display = ("county", "year", "base_score")
    list_filter = ("year",)
    inlines = [PointsRuleInline]


@admin.register(DutyRecord)
class DutyRecordAdmin(AuditedModelAdmin):
    list_display = ("deputy", "kind", "date", "title", "source", "review_state")
    list_filter = ("kind", "source", "review_state")
    raw_id_fields = ("deputy", "household", "reviewed_by", "created_by")
    search_fields = ("title", "deputy__name")


@admin.register(PlateAction)
class PlateActionAdmin(AuditedModelAdmin):
    list_display = ("deputy", "kind", "year", "date", "reason")
    list_filter = ("kind", "year")
    raw_id_fields = ("deputy", "by")
