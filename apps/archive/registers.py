"""The paper registers of the seeds, "six registers, one handbook, one table" (六簿一册一表, Cangxi), as
filtered views of the duty records and Excel exports: one mechanism, the registers as data.

Each register names the duty-record kinds it holds and its columns; the table (履职情况记实表) is the one
summary register: a row per deputy with the count of each kind. Registers list approved records only, as
the paper registers held what the office had accepted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from apps.accounts.scopes import visible_to
from apps.common.excel import ledger_cell, paper_ledger, workbook_response
from apps.duty.models import ActivityKind as K
from apps.duty.models import DutyRecord, ReviewState
from apps.people.models import Deputy
from apps.people.selectors import region_q
from apps.places.models import Region


@dataclass(frozen=True)
class Col:
    title: Any
    width: int
    get: Callable[[Any], Any]


def _household(r):
    h = getattr(r, "household", None)
    return h.head_name if h is not None else ""


DATE = Col(_("日期"), 12, lambda r: r.date)
DEPUTY = Col(_("代表"), 10, lambda r: r.deputy.name)
TOWN = Col(_("所在镇"), 10, lambda r: r.deputy.town.name if r.deputy.town else "")
STATION = Col(_("联络站"), 16, lambda r: r.deputy.station.name if r.deputy.station else "")
KIND = Col(_("类别"), 12, lambda r: r.get_kind_display())
TITLE = Col(_("事项"), 30, lambda r: r.title)
DETAIL = Col(_("内容"), 40, lambda r: r.detail)
PLACE = Col(_("地点"), 16, lambda r: r.place)
HOUSEHOLD = Col(_("帮扶/走访户"), 12, _household)
SOURCE = Col(_("来源"), 12, lambda r: r.get_source_display())

BASIC = [DATE, DEPUTY, TOWN, STATION, KIND, TITLE, DETAIL, PLACE]


@dataclass(frozen=True)
class Register:
    key: str
    title: Any
    kinds: tuple[str, ...] | None  # None: every kind (the handbook)
    columns: list[Col] = field(default_factory=lambda: BASIC)
    summary: bool = False


REGISTERS: list[Register] = [
    Register("study", _("代表学习登记簿"), (K.STUDY,)),
    Register(
        "reception",
        _("代表接待选民来信来访登记簿"),
        (K.RECEPTION, K.HOUSEHOLD_VISIT, K.DIARY),
        [DATE, DEPUTY, TOWN, STATION, KIND, TITLE, DETAIL, PLACE, HOUSEHOLD],
    ),
    Register(
        "poverty",
        _("代表结对帮扶贫困户情况登记簿"),
        (K.POVERTY_HELP,),
        [DATE, DEPUTY, TOWN, HOUSEHOLD, TITLE, DETAIL, PLACE],
    ),
    Register("suggestions", _("建议办理登记簿"), (K.SUGGESTION, K.CO_SIGNATURE, K.MOTION)),
    Register("inspection", _("代表视察调研执法检查登记簿"), (K.INSPECTION,)),
    Register(
        "meetings",
        _("代表小组会议记录簿"),
        (K.MEETING_ATTENDANCE, K.SESSION_ATTENDANCE, K.LEAVE, K.ABSENCE, K.VOTE),
    ),
    Register("handbook", _("代表履职登记手册"), None, [*BASIC, SOURCE]),
    Register("table", _("代表履职情况记实表"), None, summary=True),
]
BY_KEY = {r.key: r for r in REGISTERS}

# The kinds the summary table counts, in the order of its columns.
TABLE_KINDS = [
    K.SESSION_ATTENDANCE,
    K.MEETING_ATTENDANCE,
    K.STUDY,
    K.RECEPTION,
    K.HOUSEHOLD_VISIT,
    K.INSPECTION,
    K.SUGGESTION,
    K.CO_SIGNATURE,
    K.POVERTY_HELP,
    K.DIARY,
    K.REPORT_BACK,
    K.COMMITMENT,
]


@dataclass
class Filters:
    year: int
    region: Region | None = None
    station_id: int | None = None
    deputy_id: int | None = None


def records(user, reg: Register, f: Filters) -> QuerySet[DutyRecord]:
    qs = visible_to(user, DutyRecord).filter(
        review_state=ReviewState.APPROVED,
        date__gte=date(f.year, 1, 1),
        date__lte=date(f.year, 12, 31),
    )
    if reg.kinds is not None:
        qs = qs.filter(kind__in=reg.kinds)
    if f.region is not None:
        qs = qs.filter(region_q(f.region, "deputy__"))
    if f.station_id:
        qs = qs.filter(deputy__station_id=f.station_id)
    if f.deputy_id:
        qs = qs.filter(deputy_id=f.deputy_id)
    related = ["deputy", "deputy__town", "deputy__station"]
    if any(c is HOUSEHOLD for c in reg.columns) and any(
        fld.name == "household" for fld in DutyRecord._meta.get_fields()
    ):
        related.append("household")
    return qs.select_related(*related).order_by("date", "id")


def table_rows(user, f: Filters) -> list[dict]:
    """The 记实表: one row per deputy with records, with the count of each kind."""
    qs = records(user, BY_KEY["table"], f)
    counts: dict[int, dict[str, int]] = {}
    for row in qs.order_by().values("deputy_id", "kind").annotate(n=Count("id")):
        counts.setdefault(row["deputy_id"], {})[row["kind"]] = row["n"]
    deputies = (
        Deputy.objects.filter(pk__in=counts).select_related("town").order_by("town__code", "name_pinyin")
    )
    return [
        {
            "deputy": d,
            "counts": [counts[d.pk].get(k, 0) for k in TABLE_KINDS],
            "total": sum(counts[d.pk].values()),
        }
        for d in deputies
    ]


def table_headers() -> list[str]:
    labels = dict(K.choices)
    return [str(labels[k]) for k in TABLE_KINDS]


def export(user, reg: Register, f: Filters):
    title = f"{f.year}年{reg.title}"
    if reg.summary:
        heads = [(_("代表"), 10), (_("所在镇"), 10)] + [(h, 8) for h in table_headers()] + [(_("合计"), 8)]
        wb, ws = paper_ledger(title=title, sheet=str(reg.title)[:31], headers_widths=heads)
        for row in table_rows(user, f):
            d = row["deputy"]
            values = [d.name, d.town.name if d.town else "", *row["counts"], row["total"]]
            ws.append([ledger_cell(ws, v) for v in values])
    else:
        heads = [(c.title, c.width) for c in reg.columns]
        wb, ws = paper_ledger(title=title, sheet=str(reg.title)[:31], headers_widths=heads)
        for r in records(user, reg, f).iterator(2000):
            ws.append([ledger_cell(ws, c.get(r)) for c in reg.columns])
    return workbook_response(wb, str(title))
