from django.apps import AppConfig


class RectificationConfig(AppConfig):
    name = "apps.rectification"
    verbose_name = "整改"

    def ready(self):
        from . import workflow  # noqa: F401  registers the rectification item's table
