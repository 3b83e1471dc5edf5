from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "apps.public"
    verbose_name = "公开网站"

    def ready(self):
        from . import signals  # noqa: F401  keeps the search index in step with what is published
