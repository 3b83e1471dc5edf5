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
        cap=perms.OPINION_IMPORT,
        run=importing.import_opinions,
        title=_("导入社情民意台账"),
        key="opinions",
        template_url=reverse("opinions:import_template"),
        back_url=reverse("opinions:list"),
    )


@login_required
def import_template(request):
    return template_download(
        request, cap=perms.OPINION_IMPORT, template=importing.template_workbook, label=_("社情民意台账")
    )
