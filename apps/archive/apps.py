from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "apps.archive"
    verbose_name = "履职档案"

    def ready(self):
        from . import workflow  # noqa: F401  registers the commitment and report-back tables
