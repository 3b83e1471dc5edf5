from django.contrib import admin

from .models import LocalRule


@admin.register(LocalRule)
class LocalRuleAdmin(admin.ModelAdmin):
    """Read-only: values change through services.set_value (validated, audited, cache invalidated)."""

    list_display = ["region", "key", "value", "updated_by", "updated_at"]
    list_filter = ["key"]
    search_fields = ["region__name", "region__code", "key"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
