from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpinionsConfig(AppConfig):
    name = "apps.opinions"
    verbose_name = _("社情民意")
