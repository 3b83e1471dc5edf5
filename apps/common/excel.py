"""Excel out: any list a user can see exports to .xlsx through `xlsx_response`."""

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Column = tuple[str, Callable[[Any], Any]]


def _cell(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, date | int | float) or value is None:
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def workbook_for(*, sheet: str, columns: list[Column], rows: Iterable) -> Workbook:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=sheet[:31])
    header = []
    for title, _get in columns:
        cell = WriteOnlyCell(ws, value=str(title))
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    for row in rows:
        ws.append([_cell(get(row)) for _h, get in columns])
    return wb


def xlsx_response(*, filename: str, sheet: str, columns: list[Column], rows: Iterable) -> HttpResponse:
    wb = workbook_for(sheet=sheet, columns=columns, rows=rows)
    response = HttpResponse(content_type=XLSX_MIME)
    stamp = timezone.localtime().strftime("%Y%m%d")
    name = f"{filename}-{stamp}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    wb.save(response)
    return response
