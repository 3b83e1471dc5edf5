"""The ledger import page every tracked kind with a ledger shares: upload → preview (a dry run: the counts,
or every bad cell by row and column) → confirm (the same file, kept meanwhile under a random name only the
uploader's session knows) → imported. The rules are the service's (`workflow.importing`)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts import permissions as perms
from apps.accounts.scopes import deny
from apps.common.downloads import XLSX_MIME, attach
from apps.common.errors import DomainError
from apps.common.importing import ImportRowsInvalid
from apps.common.pages import form_errors
from apps.places import selectors as place_selectors
from apps.places.models import Region

PENDING = "imports/pending/"


class LedgerImportForm(forms.Form):
    region = forms.CharField(label=_("导入到"), max_length=32)
    file = forms.FileField(label=_("Excel 文件（.xlsx）"), required=False)
    token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, towns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].widget = forms.Select(choices=[(t.code, t.name) for t in towns])
        self.fields["file"].widget.attrs["accept"] = ".xlsx," + XLSX_MIME


def _pending(request, key: str, token: str | None = None, data: bytes | None = None):
    """The uploaded file kept between preview and confirm: stored under a random name in the session."""
    if data is not None:
        token = secrets.token_hex(16)
        default_storage.save(f"{PENDING}{token}.xlsx", ContentFile(data))
        request.session[key] = token
        return token
    if not token or request.session.get(key) != token:
        return None
    path = f"{PENDING}{token}.xlsx"
    return path if default_storage.exists(path) else None


def drop_stale_uploads(now=None) -> int:
    """Delete the uploads kept for a preview longer than IMPORT_PENDING_HOURS (never confirmed): the file
    holds people's names and phone numbers. Returns how many were deleted."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.RENDA["IMPORT_PENDING_HOURS"])
    try:
        _dirs, files = default_storage.listdir(PENDING)
    except FileNotFoundError:
        return 0
    dropped = 0
    for name in files:
        path = f"{PENDING}{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)
            dropped += 1
    return dropped


def ledger_import_page(request, *, cap, run, title: str, key: str, template_url: str, back_url: str):
    perms.require(request.user, cap)
    towns = list(place_selectors.regions(request.user, level="town")[:300])
    towns = [t for t in towns if perms.holds_in(request.user, cap, t)]
    if not towns:
        deny(request.user, cap, object_type=cap.name)
    post = request.method == "POST"
    form = LedgerImportForm(request.POST if post else None, request.FILES if post else None, towns=towns)
    ctx = {"form": form, "title": title, "template_url": template_url, "back_url": back_url}
    status = 200
    if post and form.is_valid():
        status = 400
        data, session_key = form.cleaned_data, f"ledger-import:{key}"
        region = Region.objects.filter(code=data["region"]).first()
        confirm = "confirm" in request.POST
        try:
            if region is None:
                raise DomainError(_("区划代码不存在"), fields={"region": [_("区划代码不存在")]})
            if confirm:
                path = _pending(request, session_key, token=data["token"])
                if path is None:
                    raise DomainError(_("请重新上传文件"), fields={"file": [_("请重新上传文件")]})
                with default_storage.open(path, "rb") as fileobj:
                    fileobj.name = request.session.get(f"{session_key}:name", "")
                    ctx["result"] = run(actor=request.user, region=region, fileobj=fileobj)
                default_storage.delete(path)
                request.session.pop(session_key, None)
            else:
                upload = data["file"]
                if upload is None:
                    raise DomainError(_("请选择文件"), fields={"file": [_("请选择文件")]})
                ctx["result"] = run(actor=request.user, region=region, fileobj=upload, dry_run=True)
                upload.seek(0)
                ctx["token"] = _pending(request, session_key, data=upload.read())
                request.session[f"{session_key}:name"] = upload.name[:200]
            status = 200
        except ImportRowsInvalid as exc:
            ctx["invalid"] = exc
        except DomainError as exc:
            if exc.status in (403, 404):
                raise  # the error page says so; the refusal is in the audit log
            form_errors(form, exc)
    elif post:
        status = 400
    return render(request, "workflow/import_ledger.html", ctx, status=status)


def template_download(request, *, cap, template, label: str) -> HttpResponse:
    perms.require(request.user, cap)
    response = attach(HttpResponse(content_type=XLSX_MIME), f"{label}{_('导入模板')}.xlsx")
    template().save(response)
    return response
