"""The ledger import endpoints every tracked kind with a ledger gets: `POST .../import` (multipart: `file`,
`region` the town's code, `dry_run`) and `GET .../import/template`. The pages call the same service."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import File, Form, Router, UploadedFile

from apps.common.downloads import XLSX_MIME, attach
from apps.common.importing.schemas import ImportErrorOut, ImportOut
from apps.places.models import Region

from .importing import bad_region


def add_import_routes(
    router: Router, prefix: str, *, label: str, run: Callable, template: Callable, name: str
):
    errors = {400: ImportErrorOut, 401: ImportErrorOut, 403: ImportErrorOut, 404: ImportErrorOut}

    @router.post(
        f"{prefix}/import",
        response={200: ImportOut, **errors},
        summary=f"导入{label}（.xlsx）",
        description="表单字段 region 为镇（街道）区划代码（镇人大办只能导入本镇，"
        "县人大办可导入所辖各镇），dry_run 为真时只检查不保存。列与台账导出的列相同，"
        "导出的台账可直接导入。任何一行有误则不导入任何数据，返回 400 与 code=import_rows_invalid，"
        "rows 列出每个错误的行号（row）、列名（column）和原因（message）。",
        operation_id=f"import_{name}",
    )
    def import_ledger(request, file: File[UploadedFile], region: Form[str], dry_run: Form[bool] = False):
        target = Region.objects.filter(code=region.strip()[:32]).first()
        if target is None:
            raise bad_region()
        return run(actor=request.user, region=target, fileobj=file, dry_run=dry_run).as_dict()

    @router.get(
        f"{prefix}/import/template",
        response={200: None, 401: ImportErrorOut},
        summary=f"{label}导入模板（.xlsx）",
        description="下载导入模板：第一行为列名，第二行为示例（导入时跳过），列名旁有填写说明。",
        operation_id=f"import_{name}_template",
        openapi_extra={"responses": {200: {"description": "导入模板", "content": {XLSX_MIME: {}}}}},
    )
    def import_template(request):
        response = attach(HttpResponse(content_type=XLSX_MIME), f"{label}{_('导入模板')}.xlsx")
        template().save(response)
        return response
