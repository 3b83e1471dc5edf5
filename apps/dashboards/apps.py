from importlib import import_module

from django.apps import AppConfig, apps

# Apps that come later and bring their own figures (a `dashboard.py` calling `providers.register`): their
# figures join the dashboards only when the app is installed (issue 20: projects, assessment standing).
OPTIONAL_APPS = ("apps.projects", "apps.assessment")
# The records whose saving changes the big screen's figures (each carries its county and town ids).
WATCHED = (
    "opinions.Opinion",
    "opinions.ReceptionDay",
    "suggestions.Suggestion",
    "duty.DutyRecord",
    "supervision.Activity",
    "supervision.Finding",
    "rectification.RectificationItem",
)


class DashboardsConfig(AppConfig):
    name = "apps.dashboards"
    verbose_name = "工作看板"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import live
        from .builtins import register_builtins

        register_builtins()
        for name in OPTIONAL_APPS:
            if apps.is_installed(name):
                import_module(f"{name}.dashboard")
        for label in WATCHED:
            model = apps.get_model(label)
            post_save.connect(live.changed, sender=model, dispatch_uid=f"dashboards-{label}")
            post_delete.connect(live.changed, sender=model, dispatch_uid=f"dashboards-del-{label}")
