from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "apps.supervision"
    verbose_name = "监督工作"

    def ready(self):
        from . import workflow  # noqa: F401  registers the plan, activity and appointment tables
