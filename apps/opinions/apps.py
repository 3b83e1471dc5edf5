from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpinionsConfig(AppConfig):
    name = "apps.opinions"
    verbose_name = _("社情民意")

    def ready(self):
        from . import workflow  # noqa: F401  registers the opinion table for Opinion.workflow
