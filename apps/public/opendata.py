"""Open data: each public list as CSV and as JSON, with the same columns as the page (issue 17, item 5).

A CSV cell follows the rules of `common.excel.text_cell`: text that a spreadsheet would read as a formula
(`=`, `+`, `-`, `@`, tab, CR at the start) gets a leading apostrophe, so `=HYPERLINK(...)` stays words when
the file is opened in Excel or WPS; control characters are shown escaped. The file starts with a UTF-8 BOM,
which Excel needs to read Chinese. JSON is the values as they are (a program reads it, not a spreadsheet).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from apps.common import text
from apps.common.downloads import attach
from apps.common.excel import FORMULA_STARTS
from apps.common.params import Choice

Column = tuple[str, str, Callable[[Any], Any]]  # (JSON key, heading, value)
FORMAT = Choice(("csv", "json"), label=_("下载格式"))
MAX_ROWS = 100_000


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    value = text.escape_controls(str(value))
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _json_value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)


def csv_bytes(columns: list[Column], rows: Iterable) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_cell(str(heading)) for _key, heading, _get in columns])
    for row in rows:
        writer.writerow([csv_cell(get(row)) for _key, _heading, get in columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def json_bytes(columns: list[Column], rows: Iterable) -> bytes:
    items = [{key: _json_value(get(row)) for key, _heading, get in columns} for row in rows]
    return json.dumps({"items": items, "count": len(items)}, ensure_ascii=False).encode("utf-8")


def download(fmt: str, name: str, columns: list[Column], rows: Iterable) -> HttpResponse:
    """The whole list as `name.csv` or `name.json`."""
    rows = rows[:MAX_ROWS] if hasattr(rows, "__getitem__") else rows
    if fmt == "csv":
        response = HttpResponse(csv_bytes(columns, rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(json_bytes(columns, rows), content_type="application/json; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    return attach(response, f"{name}.{fmt}")
