"""Excel out: any list a user can see exports to .xlsx through `xlsx_response`."""

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .downloads import XLSX_MIME, attach

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
    attach(response, f"{filename}-{stamp}.xlsx")
    wb.save(response)
    return response


# --- paper ledgers (台账): the layout offices keep on paper, shared by every app's ledger ------------------

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
HEAD_FILL = PatternFill("solid", fgColor="F3DCDA")


def ledger_cell(ws, value, *, bold=False, fill=None):
    """A bordered, wrapped cell; dates as yyyy-mm-dd; lazy translations as text."""
    from django.utils.functional import Promise

    cell = WriteOnlyCell(ws, value=str(value) if isinstance(value, Promise) else value)
    cell.alignment, cell.border = _WRAP, _BORDER
    if isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    if bold:
        cell.font = Font(bold=True)
    if fill:
        cell.fill = fill
    return cell


def paper_ledger(*, title: str, sheet: str, headers_widths: list[tuple[Any, int]]):
    """A write-only workbook with one A4-landscape sheet: a merged title row, then a frozen header row
    that repeats on every printed page. Returns (workbook, sheet); append the rows."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=str(sheet))
    last = get_column_letter(len(headers_widths))
    for i, (_h, width) in enumerate(headers_widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A3"
    ws.print_title_rows = "1:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.merged_cells.add(f"A1:{last}1")
    head = WriteOnlyCell(ws, value=str(title))
    head.font = Font(bold=True, size=16)
    head.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    ws.append([head])
    ws.append([ledger_cell(ws, h, bold=True, fill=HEAD_FILL) for h, _w in headers_widths])
    return wb, ws


def workbook_response(wb: Workbook, filename: str) -> HttpResponse:
    response = HttpResponse(content_type=XLSX_MIME)
    attach(response, f"{filename}-{timezone.localtime():%Y%m%d}.xlsx")
    wb.save(response)
    return response
