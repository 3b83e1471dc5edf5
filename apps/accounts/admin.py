from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from apps.audit.admin_mixins import AuditedModelAdmin

from . import permissions as perms
from .models import LoginFailure, RoleGrant, User


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0
    raw_id_fields = ["region", "station", "unit", "deputy"]


@admin.register(User)
class RendaUserAdmin(AuditedModelAdmin, UserAdmin):
    list_display = ["username", "display_name", "phone", "is_active"]
    search_fields = ["username", "display_name", "phone"]
    fieldsets = [*UserAdmin.fieldsets, ("Renda", {"fields": ["phone", "display_name"]})]
    inlines = [RoleGrantInline]


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    list_display = ["username", "at", "ip"]
    readonly_fields = ["username", "at", "ip"]


# Django admin is for system administrators only, whatever is_staff says.
admin.site.has_permission = lambda request: (
    request.user.is_active and perms.holds(request.user, perms.ADMIN_SITE)
)
admin.site.site_header = "人大履职平台 · 系统管理"
