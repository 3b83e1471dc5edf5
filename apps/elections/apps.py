from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "apps.elections"
    verbose_name = "选举"

    def ready(self):
        from . import rounds  # noqa: F401  connects the count of a tallied round's box
