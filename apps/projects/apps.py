from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "apps.projects"
    verbose_name = "民生实事"

    def ready(self):
        from . import rating, voting, workflow  # noqa: F401  the tables, and the count of a tallied box
