from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "apps.projects"
    verbose_name = "民生实事"

    def ready(self):
        from apps.meetings import extras

        from . import meeting_extras, rating, voting, workflow  # noqa: F401  the tables, and the count of a tallied box

        extras.register_minutes_section(meeting_extras.minutes_sections)
        extras.register_screen_block(meeting_extras.screen_blocks)
