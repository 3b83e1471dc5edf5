"""The import page (导入代表与选民户) and the template downloads. The rules live in `importing`."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from apps.accounts import permissions as perms
from apps.accounts.scopes import deny
from apps.common.downloads import XLSX_MIME, attach
from apps.common.errors import DomainError
from apps.common.pages import form_errors
from apps.places.models import Region, RegionLevel

from . import importing


class _RegionField(forms.ChoiceField):
    """Offers the user's regions but passes any code on: the service decides, so that a refusal goes
    through the one permission layer and is logged, even for a hand-made request."""

    def valid_value(self, value):
        return True


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("导入内容"), choices=list(importing.KINDS.items()))
    region = _RegionField(label=_("导入到"))
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))
    dry_run = forms.BooleanField(label=_("只检查，不导入"), required=False)

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [
            (
                r.code,
                _("%(name)s（全县，可导入县人大代表）") % {"name": r.name}
                if r.level == RegionLevel.COUNTY
                else r.name,
            )
            for r in regions
        ]
        self.fields["file"].widget.attrs["accept"] = ".xlsx," + XLSX_MIME

    def clean_region(self) -> Region:
        region = Region.objects.filter(code=self.cleaned_data["region"]).first()
        if region is None:
            raise forms.ValidationError(_("区划代码不存在"))
        return region


@login_required
def import_page(request):
    """GET: the form. POST: import the file; show the counts, or every bad row with its reason."""
    # Only county and town offices (and admins) import; anyone else is refused, and that is logged.
    perms.require(request.user, perms.PEOPLE_IMPORT)
    regions = importing.regions_for_import(request.user)
    if not regions:
        deny(request.user, perms.PEOPLE_IMPORT, object_type="people.import")
    post = request.method == "POST"
    form = ImportForm(request.POST if post else None, request.FILES if post else None, regions=regions)
    ctx = {
        "form": form,
        "specs": [
            (kind, label, importing.IMPORTERS[kind].columns) for kind, label in importing.KINDS.items()
        ],
    }
    status = 200
    if post:
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                ctx["result"] = importing.import_file(
                    kind=data["kind"],
                    actor=request.user,
                    region=data["region"],
                    fileobj=data["file"],
                    dry_run=data["dry_run"],
                )
                status = 200
            except importing.ImportRowsInvalid as exc:
                ctx["invalid"] = exc
            except DomainError as exc:
                if exc.status in (403, 404):
                    raise  # the error page says so; the refusal is in the audit log
                form_errors(form, exc)
    return render(request, "people/import.html", ctx, status=status)


@login_required
def import_template(request, kind: str):
    """The .xlsx to fill in: header row, a grey example row, and a 说明 sheet explaining each column."""
    if kind not in importing.IMPORTERS:
        raise Http404
    response = attach(HttpResponse(content_type=XLSX_MIME), f"{importing.KINDS[kind]}{_('导入模板')}.xlsx")
    importing.template_workbook(kind).save(response)
    return response
