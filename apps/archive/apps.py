from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "apps.archive"
    verbose_name = "履职档案"
