"""Attachments on tracked items: type checked by the file's first bytes (never by its name), size by
the [local] setting, and every upload recorded in the audit log."""

from __future__ import annotations

import zipfile

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import FileResponse
from django.utils.translation import gettext as _

from apps.audit.services import record
from apps.common import conf
from apps.common.errors import ValidationFailed

from .models import Attachment

# Content types by the type sniffed at upload: a file is always served as what it is, never as its name says
# (a PNG named x.html is still sent as image/png).
MIME_TYPES = {
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(head: bytes, fileobj) -> str | None:
    """The file's real type from its content: jpeg, png, gif, webp, pdf, docx, xlsx, doc/xls, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(_OLE):
        return "doc"  # Word and Excel 97-2003 share the container; both are accepted alike
    if head.startswith(b"PK\x03\x04"):
        try:
            fileobj.seek(0)
            names = zipfile.ZipFile(fileobj).namelist()
        except zipfile.BadZipFile:
            return None
        if any(n.startswith("word/") for n in names):
            return "docx"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
    return None


def validate(upload) -> str:
    """The upload's type; raises ValidationFailed (field `file`) when too large or not an accepted type."""
    limit = int(conf.get("UPLOAD_MAX_BYTES"))
    if upload.size > limit:
        raise ValidationFailed(
            _("文件过大：最大 %(mb)s MB") % {"mb": limit // (1024 * 1024)},
            fields={"file": [_("文件过大：最大 %(mb)s MB") % {"mb": limit // (1024 * 1024)}]},
        )
    upload.seek(0)
    head = upload.read(16)
    kind = sniff(head, upload)
    upload.seek(0)
    accepted = conf.get("UPLOAD_TYPES")
    if kind is None or kind not in accepted:
        msg = _("不支持的文件类型：只接受图片（JPG、PNG、GIF、WebP）、PDF、Word 和 Excel 文件")
        raise ValidationFailed(msg, fields={"file": [msg]})
    return kind


def attach(*, actor, item, upload, public: bool = False) -> Attachment:
    """Validate and store one file on `item`. The caller has already checked the actor may change it."""
    kind = validate(upload)
    name = (getattr(upload, "name", "") or "file").rsplit("/", 1)[-1][-200:]
    with transaction.atomic():
        att = Attachment(
            content_type=ContentType.objects.get_for_model(item),
            object_id=item.pk,
            name=name,
            kind=kind,
            size=upload.size,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
            public=public,
        )
        att.file.save(name, upload, save=False)
        att.save()
        record(
            actor=actor,
            action="attachment.added",
            obj=item,
            summary={"attachment": att.pk, "name": name, "kind": kind, "size": upload.size},
        )
    return att


def attachments_of(item, *, public_only: bool = False):
    qs = Attachment.objects.filter(content_type=ContentType.objects.get_for_model(item), object_id=item.pk)
    return qs.filter(public=True) if public_only else qs.order_by("uploaded_at")


def file_response(att) -> FileResponse:
    """Serve an attachment the caller has already checked the user may see; images inline, others as files."""
    response = FileResponse(
        att.file.open("rb"),
        content_type=MIME_TYPES.get(att.kind, "application/octet-stream"),
        as_attachment=not att.is_image,
        filename=att.name,
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response
