"""Excel out: any list a user can see exports to .xlsx through `xlsx_response`.

Every cell of every export is written by `text_cell` (directly, or through `ledger_cell`, `paper_ledger`,
`workbook_for`): text that begins like a formula (`=`, `+`, `-`, `@`, tab, CR) is written as text with
Excel's quote prefix, so a citizen's `=HYPERLINK(...)` stays words in the office's ledger (formula
injection); control characters a file cannot hold are shown escaped (`\\x01`), never a broken file.
"""

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from . import text
from .downloads import XLSX_MIME, attach

Column = tuple[str, Callable[[Any], Any]]


# What Excel (and LibreOffice) read as the start of a formula when the cell is typed or imported as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, date | int | float) or value is None:
        return value
    return text.escape_controls(str(value))


def text_cell(ws, value) -> WriteOnlyCell:
    """The one way a value becomes a cell: numbers and dates as themselves, yes/no in words, any text as
    text, never a formula (see the module's doc)."""
    value = _cell(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell = WriteOnlyCell(ws)
        cell.value = value
        cell.data_type = "s"  # openpyxl would store a leading "=" as a formula
        cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
        return cell
    return WriteOnlyCell(ws, value=value)


def sheet_title(name) -> str:
    """A sheet's name from any text (a place's or a list's name): without the characters Excel forbids there
    (`[]:*?/\\`, control characters, a quote at either end), at most 31 characters."""
    cleaned = re.sub(r"[\[\]:*?/\\\x00-\x1f\x7f]", "", str(name)).strip("'")[:31].strip("'")
    return cleaned or "Sheet"


def workbook_for(*, sheet: str, columns: list[Column], rows: Iterable) -> Workbook:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=sheet_title(sheet))
    header = []
    for title, _get in columns:
        cell = text_cell(ws, str(title))
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    for row in rows:
        ws.append([text_cell(ws, get(row)) for _h, get in columns])
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
    """A bordered, wrapped cell (`text_cell`); dates as yyyy-mm-dd; lazy translations as text."""
    cell = text_cell(ws, value)
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
    ws = wb.create_sheet(title=sheet_title(sheet))
    last = get_column_letter(len(headers_widths))
    for i, (_h, width) in enumerate(headers_widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A3"
    ws.print_title_rows = "1:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.merged_cells.add(f"A1:{last}1")
    head = text_cell(ws, str(title))
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
