from django.apps import AppConfig


class BallotboxConfig(AppConfig):
    name = "apps.ballotbox"
    verbose_name = "票箱"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import workflow  # noqa: F401  registers the box's table
