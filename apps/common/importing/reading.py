"""Reading the uploaded workbook into numbered rows, within the size and row limits."""

from __future__ import annotations

import io
import zipfile

from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

from apps.common import conf
from apps.common.errors import CommonCode, ValidationFailed

from .cells import _blank
from .results import file_error


def read_upload(fileobj) -> bytes:
    limit = conf.get("IMPORT_MAX_BYTES")
    data = fileobj.read(limit + 1)
    if len(data) > limit:
        raise file_error(
            CommonCode.IMPORT_TOO_LARGE,
            _("文件太大，不能超过 %(mb)s MB，请分批导入") % {"mb": limit // 2**20},
        )
    return data


def _bad_file() -> ValidationFailed:
    return file_error(
        CommonCode.IMPORT_BAD_FILE,
        _("无法读取该文件：请上传 Excel 的 .xlsx 文件（旧版 .xls 或 .csv 请先在 Excel 中“另存为” .xlsx）"),
    )


def sheet_rows(data: bytes, *, head_rows: int = 1) -> list[tuple[int, tuple]]:
    """(Excel row number, cell values) of every non-empty row of the first sheet, header included;
    `head_rows`: the rows above the data (a ledger has a title row above its header)."""
    limit, max_rows = conf.get("IMPORT_MAX_BYTES"), conf.get("IMPORT_MAX_ROWS")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _bad_file()
    rows = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            # A small .xlsx can unpack to gigabytes; refuse before openpyxl starts unpacking.
            if sum(info.file_size for info in archive.infolist()) > 20 * limit:
                raise file_error(CommonCode.IMPORT_TOO_LARGE, _("文件解压后过大，请分批导入"))
        # data_only: a formula cell is read as its stored value, never evaluated; text stays text.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            for number, values in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
                if all(_blank(v) for v in values):
                    continue
                rows.append((number, values))
                if len(rows) > max_rows + head_rows:
                    raise file_error(
                        CommonCode.IMPORT_TOO_MANY_ROWS,
                        _("文件超过 %(n)d 行数据，请分批导入") % {"n": max_rows},
                    )
        finally:
            workbook.close()
    except ValidationFailed:
        raise
    except Exception as exc:  # openpyxl raises many types for a broken file; all mean "not a usable .xlsx"
        raise _bad_file() from exc
    if len(rows) < 2:  # a header and one row at least
        raise file_error(CommonCode.IMPORT_EMPTY, _("文件中没有数据行：请在表头下方逐行填写"))
    return rows
