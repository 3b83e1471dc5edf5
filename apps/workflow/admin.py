from django.contrib import admin

from .models import Attachment, Step


@admin.register(Step)
class StepAdmin(admin.ModelAdmin):
    list_display = ("at", "content_type", "object_id", "transition", "from_state", "to_state", "actor_label")
    list_filter = ("content_type", "transition")
    readonly_fields = [f.name for f in Step._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "size", "content_type", "object_id", "uploaded_at", "public")
    readonly_fields = [f.name for f in Attachment._meta.fields]

    def has_add_permission(self, request):
        return False
