from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "apps.audit"
    verbose_name = _("审计日志")

    def ready(self):
        from . import services, tasks

        # Vote closes, election counts and publications are followed by a signed checkpoint (issue 22).
        services.after_record = tasks.schedule_after_commit
