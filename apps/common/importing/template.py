"""The template workbook to download, built from an importer's column spec."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from apps.common import conf

from .importer import Column

_GREY = Font(color="808080", italic=True)


def template_workbook(
    columns: list[Column], *, sheet: str, notes: list, options: dict | None = None
) -> Workbook:
    """The header row (required columns marked * in red), one grey example row, and a 说明 sheet.
    `options`: a column key → "a,b,c", offered as a drop-down list (besides each column's own)."""
    options = options or {}
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
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
        listed = column.options or options.get(column.key)
        if listed and len(listed) < 250:  # Excel's limit for a list typed into the rule
            rule = DataValidation(
                type="list",
                formula1=f'"{listed}"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=str(_("请从下拉列表中选择")),
                error=str(_("可填写：%(o)s") % {"o": listed}),
            )
            rule.add(f"{letter}2:{letter}{conf.get('IMPORT_MAX_ROWS') + 1}")
            ws.add_data_validation(rule)
    ws.freeze_panes = "A2"
    _notes_sheet(wb.create_sheet(str(_("说明"))), columns, notes)
    return wb


def common_notes() -> list:
    return [
        _("第一行是表头，请勿修改列名；带 * 的列必填。"),
        _("任何一行有错误时整个文件都不导入，页面会列出每一行的错误原因；改正后重新上传即可。"),
        _("每个文件最多 %(rows)d 行、%(mb)d MB。")
        % {"rows": conf.get("IMPORT_MAX_ROWS"), "mb": conf.get("IMPORT_MAX_BYTES") // 2**20},
    ]


def _notes_sheet(ws, columns: list[Column], notes: list):
    ws.append([str(_("列名")), str(_("必填")), str(_("填写说明")), str(_("示例"))])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for c in columns:
        example = c.example.isoformat() if isinstance(c.example, date) else c.example
        ws.append([c.header, str(_("是")) if c.required else "", str(c.help), example])
    ws.append([])
    for note in notes:
        ws.append([str(note)])
    for letter, width in zip("ABCD", (16, 8, 70, 20), strict=True):
        ws.column_dimensions[letter].width = width
