from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "apps.elections"
    verbose_name = "选举"
