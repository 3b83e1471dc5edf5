from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LocalRulesConfig(AppConfig):
    name = "apps.localrules"
    verbose_name = _("本地规则")
