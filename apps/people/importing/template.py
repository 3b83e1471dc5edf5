"""The template workbook to download, built from the column spec (`common.importing.template`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from apps.common.importing import common_notes
from apps.common.importing import template_workbook as _workbook

from .columns import COLUMNS, DEPUTY_LEVELS
from .results import KINDS


def template_workbook(kind: str) -> Workbook:
    """The header row (required columns marked * in red), one grey example row, and a 说明 sheet."""
    first, *rest = common_notes()
    notes = [
        first,
        _("第2行灰色为示例：姓名以“示例”开头的行不会导入，可直接覆盖或删除。"),
        *rest[:1],
        _("同一文件重复导入不会产生重复记录；已有记录只更新有变化的内容，空白单元格不会清除已有数据。"),
        *rest[1:],
    ]
    options = {"gender": "男,女", "level": ",".join(DEPUTY_LEVELS), "is_poor": "是,否"}
    return _workbook(COLUMNS[kind], sheet=str(KINDS[kind]), notes=notes, options=options)
