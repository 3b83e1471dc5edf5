"""`POST /api/v1/imports/{kind}`: the Excel import for scripts and other systems; the page uses the same
service, so both answer alike."""

from typing import Literal

from django.utils.translation import gettext_lazy as _
from ninja import File, Form, Router, UploadedFile

from apps.common.api import AUTH
from apps.common.errors import CommonCode, ValidationFailed
from apps.common.importing.schemas import ImportErrorOut, ImportOut
from apps.places.models import Region

from . import importing


def build_router() -> Router:
    """A fresh router with the endpoint; the project's API mounts `router`, tests may mount their own."""
    router = Router(tags=["imports"], auth=AUTH)

    @router.post(
        "/{kind}",
        response={200: ImportOut, 400: ImportErrorOut, 401: ImportErrorOut, 403: ImportErrorOut},
        summary="导入代表或选民户（.xlsx）",
        description="kind 为 deputies 或 households；表单字段 region 为区划代码，dry_run 为真时只检查不保存。"
        "任何一行有误则不导入任何数据，返回 400 与 code=import_rows_invalid，"
        "rows 列出每个错误的行号、列名和原因。",
    )
    def import_xlsx(
        request,
        kind: Literal["deputies", "households"],
        file: File[UploadedFile],
        region: Form[str],
        dry_run: Form[bool] = False,
    ):
        target = Region.objects.filter(code=region.strip()).first()
        if target is None:
            message = _("区划代码不存在")
            raise ValidationFailed(message, code=CommonCode.IMPORT_BAD_REGION, fields={"region": [message]})
        result = importing.import_file(
            kind=kind, actor=request.auth, region=target, fileobj=file, dry_run=dry_run
        )
        return result.as_dict()

    return router


router = build_router()
