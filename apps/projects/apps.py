from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "apps.projects"
    verbose_name = "民生实事"

    def ready(self):
        from django.apps import apps

        from . import rating, voting, workflow  # noqa: F401  the tables, and the count of a tallied box

        if apps.is_installed("apps.assessment"):
            from .assessment_metrics import register_metrics

            register_metrics()
