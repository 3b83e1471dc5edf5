from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "apps.projects"
    verbose_name = "民生实事"

    def ready(self):
        from django.apps import apps

        from apps.meetings import extras

        from . import meeting_extras, rating, voting, workflow  # noqa: F401  the tables, the tallied box's count

        extras.register_minutes_section(meeting_extras.minutes_sections)
        extras.register_screen_block(meeting_extras.screen_blocks)
        if apps.is_installed("apps.assessment"):
            from .assessment_metrics import register_metrics

            register_metrics()
