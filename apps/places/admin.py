from django.contrib import admin

from apps.audit.admin_mixins import AuditedModelAdmin

from .models import HandlingUnit, Region, Station


@admin.register(Region)
class RegionAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "short_name", "level", "grid_level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


@admin.register(Station)
class StationAdmin(AuditedModelAdmin):
    list_display = ["name", "level", "region", "keeper_name"]
    list_filter = ["level"]
    search_fields = ["name"]
    raw_id_fields = ["region", "parent", "keeper"]


@admin.register(HandlingUnit)
class HandlingUnitAdmin(AuditedModelAdmin):
    list_display = ["name", "level", "region", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["name"]
    raw_id_fields = ["region"]
