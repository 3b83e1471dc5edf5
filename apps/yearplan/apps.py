from django.apps import AppConfig


class YearplanConfig(AppConfig):
    name = "apps.yearplan"
    verbose_name = "年度工作日历"

    def ready(self):
        from . import workflow  # noqa: F401  registers the plan item's table
