from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "apps.assessment"
    verbose_name = "镇人大工作考核"

    def ready(self):
        from . import metrics, workflow  # noqa: F401  registers the tables and the computed indicators
