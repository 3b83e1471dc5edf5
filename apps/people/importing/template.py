"""The template workbook to download, built from the column spec."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from apps.common import conf

from .columns import COLUMNS, DEPUTY_LEVELS, Column
from .results import KINDS

_GREY = Font(color="808080", italic=True)


def template_workbook(kind: str) -> Workbook:
    """The header row (required columns marked * in red), one grey example row, and a 说明 sheet."""
    columns = COLUMNS[kind]
    wb = Workbook()
    ws = wb.active
    ws.title = str(KINDS[kind])
    ws.append([c.header + ("*" if c.required else "") for c in columns])
    ws.append([c.example if c.example != "" else None for c in columns])
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        head = ws.cell(row=1, column=index)
        head.font = Font(bold=True, color="B4232A" if column.required else None)
        head.fill = PatternFill("solid", fgColor="FAF1F0")
        ws.cell(row=2, column=index).font = _GREY
        ws.cell(row=2, column=index).number_format = column.number_format
        ws.column_dimensions[letter].width = max(10, len(column.header) * 2 + 4)
        ws.column_dimensions[letter].number_format = column.number_format
        options = {"gender": "男,女", "level": ",".join(DEPUTY_LEVELS), "is_poor": "是,否"}.get(column.key)
        if options:
            rule = DataValidation(
                type="list",
                formula1=f'"{options}"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=str(_("请从下拉列表中选择")),
                error=str(_("可填写：%(o)s") % {"o": options}),
            )
            rule.add(f"{letter}2:{letter}{conf.get('IMPORT_MAX_ROWS') + 1}")
            ws.add_data_validation(rule)
    ws.freeze_panes = "A2"
    _notes_sheet(wb.create_sheet(str(_("说明"))), columns)
    return wb


def _notes_sheet(ws, columns: list[Column]):
    ws.append([str(_("列名")), str(_("必填")), str(_("填写说明")), str(_("示例"))])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for c in columns:
        example = c.example.isoformat() if isinstance(c.example, date) else c.example
        ws.append([c.header, str(_("是")) if c.required else "", str(c.help), example])
    ws.append([])
    notes = [
        _("第一行是表头，请勿修改列名；带 * 的列必填。"),
        _("第2行灰色为示例：姓名以“示例”开头的行不会导入，可直接覆盖或删除。"),
        _("任何一行有错误时整个文件都不导入，页面会列出每一行的错误原因；改正后重新上传即可。"),
        _("同一文件重复导入不会产生重复记录；已有记录只更新有变化的内容，空白单元格不会清除已有数据。"),
        _("每个文件最多 %(rows)d 行、%(mb)d MB。")
        % {"rows": conf.get("IMPORT_MAX_ROWS"), "mb": conf.get("IMPORT_MAX_BYTES") // 2**20},
    ]
    for note in notes:
        ws.append([str(note)])
    for letter, width in zip("ABCD", (16, 8, 70, 20), strict=True):
        ws.column_dimensions[letter].width = width
