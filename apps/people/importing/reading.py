"""Where one may import, and reading the uploaded workbook into numbered rows."""

from __future__ import annotations

import io
import zipfile

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

from apps.accounts import permissions as perms
from apps.accounts.scopes import is_admin, office_regions
from apps.common import conf
from apps.common.errors import ValidationFailed
from apps.places.models import Region, RegionLevel

from ..errors import ErrorCode
from .cells import _blank
from .results import _file_error


def regions_for_import(user) -> list[Region]:
    """The counties and towns the user may import into: a county office's county and its towns, a town
    office's town; admins anywhere. The same rule as `covers_region`, listed for a form."""
    levels = [RegionLevel.COUNTY, RegionLevel.TOWN]
    if is_admin(user):
        q = Q()
    else:
        q = Q(pk__in=[])
        for region in office_regions(user):
            if region.level == RegionLevel.TOWN:
                q |= Q(pk=region.pk)
            elif region.level == RegionLevel.COUNTY:
                q |= Q(county=region)
            else:
                q |= Q(path__startswith=region.path)
    return list(Region.objects.filter(q, level__in=levels).order_by("path"))


def _within(region: Region, prefix: str = "") -> Q:
    """Rows of a model with denormalised county/town columns that lie in `region` (a county or town)."""
    column = "county" if region.level == RegionLevel.COUNTY else "town"
    return Q(**{f"{prefix}{column}": region.pk})


def _check_target(actor, region: Region):
    # Only offices whose grant covers the region (and admins) pass; anyone else is refused and logged.
    perms.require_in(actor, perms.PEOPLE_IMPORT, region)
    if region.level not in (RegionLevel.COUNTY, RegionLevel.TOWN):
        message = _("请选择导入到哪个镇（街道）或县")
        raise ValidationFailed(message, code=ErrorCode.IMPORT_BAD_REGION, fields={"region": [message]})


# --- Reading the file -----------------------------------------------------------------------------


def _read_upload(fileobj) -> bytes:
    limit = conf.get("IMPORT_MAX_BYTES")
    data = fileobj.read(limit + 1)
    if len(data) > limit:
        raise _file_error(
            ErrorCode.IMPORT_TOO_LARGE, _("文件太大，不能超过 %(mb)s MB，请分批导入") % {"mb": limit // 2**20}
        )
    return data


def _bad_file() -> ValidationFailed:
    return _file_error(
        ErrorCode.IMPORT_BAD_FILE,
        _("无法读取该文件：请上传 Excel 的 .xlsx 文件（旧版 .xls 或 .csv 请先在 Excel 中“另存为” .xlsx）"),
    )


def _sheet_rows(data: bytes) -> list[tuple[int, tuple]]:
    """(Excel row number, cell values) of every non-empty row of the first sheet, header included."""
    limit, max_rows = conf.get("IMPORT_MAX_BYTES"), conf.get("IMPORT_MAX_ROWS")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _bad_file()
    rows = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            # A small .xlsx can unpack to gigabytes; refuse before openpyxl starts unpacking.
            if sum(info.file_size for info in archive.infolist()) > 20 * limit:
                raise _file_error(ErrorCode.IMPORT_TOO_LARGE, _("文件解压后过大，请分批导入"))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            for number, values in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
                if all(_blank(v) for v in values):
                    continue
                rows.append((number, values))
                if len(rows) > max_rows + 1:
                    raise _file_error(
                        ErrorCode.IMPORT_TOO_MANY_ROWS,
                        _("文件超过 %(n)d 行数据，请分批导入") % {"n": max_rows},
                    )
        finally:
            workbook.close()
    except ValidationFailed:
        raise
    except Exception as exc:  # openpyxl raises many types for a broken file; all mean "not a usable .xlsx"
        raise _bad_file() from exc
    if len(rows) < 2:
        raise _file_error(ErrorCode.IMPORT_EMPTY, _("文件中没有数据行：请在表头下方逐行填写"))
    return rows
