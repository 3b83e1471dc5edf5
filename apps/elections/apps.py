from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "apps.elections"
    verbose_name = "选举"

    def ready(self):
        from apps.meetings.selectors import register_live_part

        from . import rounds  # noqa: F401  connects the count of a tallied round's box
        from .selectors import hall_round

        register_live_part("election", hall_round)
