from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    name = "apps.suggestions"
    verbose_name = _("代表建议和议案")

    def ready(self):
        # An opinion's `convert` step drafts a suggestion through this app (opinions never import it).
        from apps.opinions.workflow import SUGGESTION_DRAFTER

        from . import workflow  # noqa: F401  registers the tables for Suggestion, CoHandling, Motion
        from .services import draft_from_opinion

        SUGGESTION_DRAFTER[:] = [draft_from_opinion]
