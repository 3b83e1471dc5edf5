"""Working days, holidays and deadlines."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarConfig(AppConfig):
    name = "apps.calendar"
    verbose_name = _("工作日历")

    def ready(self):
        from . import signals  # noqa: F401
