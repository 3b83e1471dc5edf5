"""The opinion ledger (社情民意工作台账) as stations keep it on paper, and the year's figures, in Excel.

The ledger is one sheet: a title row, a frozen header row, one row per item, text wrapped so the sheet
prints on A4 landscape as it comes. Rows are written in chunks (write-only workbook), so a county's year
costs the same memory as a station's month.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from apps.common.excel import HEAD_FILL as _HEAD_FILL
from apps.common.excel import ledger_cell as _cell
from apps.common.excel import paper_ledger, sheet_title, text_cell
from apps.common.excel import workbook_response as _response
from apps.workflow.models import Step

from .models import Opinion

CHUNK = 1000


def _yes_no(value):
    return "" if value is None else str(_("是") if value else _("否"))


def _submitter(o: Opinion) -> str:
    if o.enterprise_name and o.submitter_name:
        return f"{o.submitter_name}（{o.enterprise_name}）"
    return o.submitter_name or o.enterprise_name


def _matter(o: Opinion) -> str:
    return o.content if o.content.startswith(o.title) else f"{o.title}\n{o.content}"


def _state(o: Opinion, today: date) -> str:
    label = str(o.state_label)
    return f"{label}（{_('已超期')}）" if o.is_overdue(today) else label


# (header, width in characters, value of one row); `n` is the row number, `limit` the handling deadline.
LEDGER_COLUMNS = [
    (_("序号"), 6, lambda o, n, limit, today: n),
    (_("登记日期"), 11, lambda o, n, limit, today: o.received_on),
    (_("来源"), 10, lambda o, n, limit, today: o.get_source_display()),
    (_("反映人"), 12, lambda o, n, limit, today: _submitter(o)),
    (_("联系电话"), 13, lambda o, n, limit, today: o.submitter_phone),
    (_("所在村/网格"), 12, lambda o, n, limit, today: o.region.name),
    (_("反映事项"), 40, lambda o, n, limit, today: _matter(o)),
    (_("接待/走访代表"), 10, lambda o, n, limit, today: o.deputy.name if o.deputy_id else ""),
    (_("交办单位"), 16, lambda o, n, limit, today: o.unit.name if o.unit_id else ""),
    (_("责任人"), 8, lambda o, n, limit, today: o.responsible_person),
    (_("交办日期"), 11, lambda o, n, limit, today: o.assigned_on),
    (_("办理时限"), 11, lambda o, n, limit, today: limit),
    (_("答复情况"), 36, lambda o, n, limit, today: o.reply),
    (_("答复日期"), 11, lambda o, n, limit, today: o.replied_on),
    (_("回访方式"), 9, lambda o, n, limit, today: o.get_visit_method_display()),
    (_("满意度"), 8, lambda o, n, limit, today: o.get_satisfaction_display()),
    (_("是否解决"), 6, lambda o, n, limit, today: _yes_no(o.solved)),
    (_("销号日期"), 11, lambda o, n, limit, today: o.closed_on),
    (_("当前状态"), 12, lambda o, n, limit, today: _state(o, today)),
]


def ledger_title(place: str, year: int | None) -> str:
    year_part = str(_("（%(year)s年）") % {"year": year}) if year else ""
    return str(_("%(place)s社情民意工作台账") % {"place": place}) + year_part


def _chunks(items: Iterable[Opinion]) -> Iterator[list[Opinion]]:
    chunk: list[Opinion] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _handling_limits(chunk: list[Opinion]) -> dict[int, date]:
    """The reply deadline each item was given when (last) assigned: once replied, `due_date` has moved on
    to the visit, but the ledger's 办理时限 is the unit's deadline."""
    done = [o.pk for o in chunk if o.assigned_on and o.state != "assigned"]
    limits = {o.pk: o.due_date for o in chunk if o.state == "assigned"}
    if done:
        steps = (
            Step.objects.filter(
                content_type=ContentType.objects.get_for_model(Opinion),
                object_id__in=done,
                transition__in=("assign", "reassign"),
            )
            .order_by("object_id", "at", "pk")
            .values_list("object_id", "due_date")
        )
        limits.update(dict(steps))  # the latest assignment of each item wins
    return limits


def ledger_workbook(items: Iterable[Opinion], *, title: str, today: date | None = None) -> Workbook:
    today = today or timezone.localdate()
    wb, ws = paper_ledger(
        title=title, sheet=_("台账"), headers_widths=[(h, w) for h, w, _g in LEDGER_COLUMNS]
    )
    n = 0
    for chunk in _chunks(items):
        limits = _handling_limits(chunk)
        for o in chunk:
            n += 1
            ws.append([_cell(ws, get(o, n, limits.get(o.pk), today)) for _h, _w, get in LEDGER_COLUMNS])
    return wb


def ledger_response(items: Iterable[Opinion], *, title: str) -> HttpResponse:
    return _response(ledger_workbook(items, title=title), title)


# --- the year's figures ------------------------------------------------------------------------------------


def _pct(value):
    return None if value is None else value / 100


TOWN_COLUMNS = [
    (_("镇（街道）"), 14, lambda r: r.get("town__name") or _("合计")),
    (_("接待选民人次"), 10, lambda r: r["voters_received"]),
    (_("收集意见"), 9, lambda r: r["collected"]),
    (_("交办"), 8, lambda r: r["assigned"]),
    (_("答复"), 8, lambda r: r["replied"]),
    (_("按时答复率"), 10, lambda r: _pct(r["on_time_rate"]), "0.0%"),
    (_("办结(解决)"), 10, lambda r: r["resolved"]),
    (_("解决率"), 9, lambda r: _pct(r["resolved_rate"]), "0.0%"),
    (_("满意率"), 9, lambda r: _pct(r["satisfaction_rate"]), "0.0%"),
    (_("未办结"), 8, lambda r: r["open"]),
    (_("超期"), 8, lambda r: r["overdue"]),
]
UNIT_COLUMNS = [
    (_("承办单位"), 24, lambda r: r["unit__name"]),
    (_("承办件数"), 10, lambda r: r["load"]),
    (_("在办"), 8, lambda r: r["open"]),
    (_("超期"), 8, lambda r: r["overdue"]),
    (_("按时答复率"), 10, lambda r: _pct(r["on_time_rate"]), "0.0%"),
]


def _sheet(wb: Workbook, name: str, title: str, columns, rows: Iterable[dict]):
    ws = wb.create_sheet(title=sheet_title(name))
    for i, (_h, width, *_rest) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A3"
    ws.merged_cells.add(f"A1:{get_column_letter(len(columns))}1")
    head = text_cell(ws, str(title))
    head.font = Font(bold=True, size=14)
    head.alignment = Alignment(horizontal="center")
    ws.append([head])
    ws.append([_cell(ws, h, bold=True, fill=_HEAD_FILL) for h, *_rest in columns])
    for row in rows:
        cells = []
        for _h, _w, get, *fmt in columns:
            cell = _cell(ws, get(row), bold=row.get("_total", False))
            if fmt:
                cell.number_format = fmt[0]
            cells.append(cell)
        ws.append(cells)


def figures_response(*, place: str, year: int, towns: list[dict], total: dict, units: list[dict]):
    wb = Workbook(write_only=True)
    title = str(_("%(place)s社情民意办理情况（%(year)s年）") % {"place": place, "year": year})
    _sheet(wb, _("各镇汇总"), title, TOWN_COLUMNS, [*towns, {**total, "_total": True}])
    _sheet(wb, _("承办单位"), title, UNIT_COLUMNS, units)
    return _response(wb, title)
