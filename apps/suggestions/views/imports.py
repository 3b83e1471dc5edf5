"""The page importing an existing ledger and its template; the page is workflow's, shared."""

from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.workflow.import_pages import ledger_import_page, template_download

from .. import importing


@login_required
def ledger_import(request):
    return ledger_import_page(
        request,
        cap=perms.SUGGESTION_IMPORT,
        run=importing.import_suggestions,
        title=_("导入代表建议办理台账"),
        key="suggestions",
        template_url=reverse("suggestions:import_template"),
        back_url=reverse("suggestions:list"),
    )


@login_required
def import_template(request):
    return template_download(
        request,
        cap=perms.SUGGESTION_IMPORT,
        template=importing.template_workbook,
        label=_("代表建议办理台账"),
    )
