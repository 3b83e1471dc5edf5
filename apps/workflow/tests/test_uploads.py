"""Attachments: the type is read from the content, the size from the setting."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.common.errors import ValidationFailed
from apps.workflow.uploads import attach, attachments_of, validate

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def docx_bytes(part="word/document.xml"):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(part, "<w/>")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("photo.jpg", JPEG, "jpeg"),
        ("现场.png", PNG, "png"),
        ("reply.pdf", b"%PDF-1.7\n...", "pdf"),
        ("答复.docx", docx_bytes(), "docx"),
        ("台账.xlsx", docx_bytes("xl/workbook.xml"), "xlsx"),
    ],
)
def test_accepted_types_are_recognised_by_content(name, content, kind):
    assert validate(SimpleUploadedFile(name, content)) == kind


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.jpg", b"just text pretending to be a photo"),
        ("virus.exe", b"MZ\x90\x00" + b"\x00" * 32),
        ("archive.zip", docx_bytes("random/file.txt")),
    ],
)
def test_wrong_types_are_refused_with_a_field_error(name, content):
    with pytest.raises(ValidationFailed) as caught:
        validate(SimpleUploadedFile(name, content))
    assert "不支持的文件类型" in str(caught.value.fields["file"][0])


def test_oversize_files_are_refused(settings):
    settings.RENDA = {**settings.RENDA, "UPLOAD_MAX_BYTES": 1024 * 1024}
    with pytest.raises(ValidationFailed) as caught:
        validate(SimpleUploadedFile("big.jpg", JPEG + b"\x00" * (1024 * 1024)))
    assert "文件过大" in str(caught.value.fields["file"][0])


@pytest.mark.django_db
def test_an_attachment_is_stored_and_audited(world):
    from apps.audit.models import AuditEvent
    from apps.opinions.tests.factories import opinion

    item = opinion(world)
    att = attach(actor=world.town_user, item=item, upload=SimpleUploadedFile("现场.png", PNG))
    assert list(attachments_of(item)) == [att]
    assert att.kind == "png" and att.size == len(PNG) and att.is_image
    assert AuditEvent.objects.filter(action="attachment.added", object_id=str(item.pk)).exists()
