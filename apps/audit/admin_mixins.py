"""Django admin is a write path too: every save and delete there appends an audit event."""

from django.contrib import admin
from django.forms.models import model_to_dict

from .services import record


class AuditedModelAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        fields = list(form.changed_data) if change else list(form.fields)
        summary = {
            "fields": fields,
            "values": model_to_dict(obj, fields=[f for f in fields if f != "password"]),
        }
        action = f"admin.{obj._meta.label_lower}.{'changed' if change else 'created'}"
        record(actor=request.user, action=action, obj=obj, summary=summary)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Inline rows (a user's role grants, a deputy's mandates) are changes of their own.
        for formset in formsets:
            for obj in formset.new_objects:
                record(
                    actor=request.user,
                    action=f"admin.{obj._meta.label_lower}.created",
                    obj=obj,
                    summary={"str": str(obj)},
                )
            for obj, fields in formset.changed_objects:
                record(
                    actor=request.user,
                    action=f"admin.{obj._meta.label_lower}.changed",
                    obj=obj,
                    summary={"fields": list(fields)},
                )
            for obj in formset.deleted_objects:
                record(
                    actor=request.user,
                    action=f"admin.{obj._meta.label_lower}.deleted",
                    object_type=obj._meta.label_lower,
                    object_id=str(obj.pk),
                    summary={"str": str(obj)},
                )

    def delete_model(self, request, obj):
        record(
            actor=request.user,
            action=f"admin.{obj._meta.label_lower}.deleted",
            obj=obj,
            summary={"str": str(obj)},
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
