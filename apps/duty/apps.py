from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutyConfig(AppConfig):
    name = "apps.duty"
    verbose_name = _("履职登记")

    def ready(self):
        from . import workflow  # noqa: F401  registers the review table for DutyRecord.workflow
