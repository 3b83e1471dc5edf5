from django.contrib import admin

from apps.audit.admin_mixins import AuditedModelAdmin

from .models import Deputy, DeputyGroup, GridRole, Household, Mandate, MemberContact, Voter


class MandateInline(admin.TabularInline):
    model = Mandate
    extra = 0
    raw_id_fields = ["congress_region"]


@admin.register(Deputy)
class DeputyAdmin(AuditedModelAdmin):
    list_display = ["name", "gender", "top_level", "town", "station", "status"]
    list_filter = ["top_level", "status"]
    search_fields = ["name", "name_pinyin", "name_initials", "phone"]
    raw_id_fields = ["region", "station", "user"]
    filter_horizontal = ["groups"]
    inlines = [MandateInline]


@admin.register(DeputyGroup)
class DeputyGroupAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "region"]
    raw_id_fields = ["region", "leader"]


@admin.register(Household)
class HouseholdAdmin(AuditedModelAdmin):
    list_display = ["head_name", "region", "contact_deputy", "is_poor"]
    search_fields = ["head_name"]
    raw_id_fields = ["region", "contact_deputy", "paired_deputy"]


admin.site.register(GridRole, AuditedModelAdmin, raw_id_fields=["deputy", "grid"])
admin.site.register(Voter, AuditedModelAdmin, raw_id_fields=["household"])
admin.site.register(MemberContact, AuditedModelAdmin, raw_id_fields=["member", "deputy", "household"])
