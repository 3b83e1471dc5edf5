"""The suggestions' paper ledger (台账) as an Excel workbook."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from apps.common.excel import ledger_cell as _cell
from apps.common.excel import paper_ledger
from apps.common.excel import workbook_response as _response
from apps.workflow.models import Step

from ..models import (
    CoHandling,
    Feedback,
    Signature,
    SignatureStatus,
    Suggestion,
)


def ledger_title(place: str, year: int | None) -> str:
    year_part = _("（%(year)s年）") % {"year": year} if year else ""
    return _("%(place)s代表建议办理台账") % {"place": place} + year_part


def _names(values) -> str:
    return "、".join(v for v in values if v)


def _ratings(item: Suggestion) -> str:
    """This round's feedback, one deputy a line: 张三：办理满意，结果基本满意."""
    rows = [f for f in item.feedback.all() if f.round == item.rounds]
    return "\n".join(
        _("%(name)s：工作%(h)s，结果%(r)s")
        % {"name": f.deputy.name, "h": f.get_handling_display(), "r": f.get_result_display()}
        for f in rows
    )


def _state_cell(item: Suggestion, today: date) -> str:
    label = str(item.state_label)
    return f"{label}（{_('已超期')}）" if item.is_overdue(today) else label


def _on_time(item: Suggestion) -> str:
    return "" if item.reply_on_time is None else (_("是") if item.reply_on_time else _("否"))


# (header, width in characters, value of one row); `n` is the row number, `limit` the reply deadline.
LEDGER_COLUMNS = [
    (gettext_lazy("序号"), 6, lambda s, n, limit, today: n),
    (gettext_lazy("立案号"), 18, lambda s, n, limit, today: s.number),
    (gettext_lazy("镇"), 10, lambda s, n, limit, today: s.region.name),
    (gettext_lazy("查询码"), 14, lambda s, n, limit, today: s.tracking_code),
    (gettext_lazy("标题"), 30, lambda s, n, limit, today: s.title),
    (gettext_lazy("领衔代表"), 9, lambda s, n, limit, today: s.lead.name),
    (
        gettext_lazy("联名代表"),
        14,
        lambda s, n, limit, today: _names(
            g.deputy.name
            for g in s.signatures.all()
            if not g.is_lead and g.status == SignatureStatus.CONFIRMED
        ),
    ),
    (gettext_lazy("提出时间"), 10, lambda s, n, limit, today: s.get_period_display()),
    (gettext_lazy("提交日期"), 11, lambda s, n, limit, today: s.submitted_on),
    (gettext_lazy("类别"), 9, lambda s, n, limit, today: s.get_topic_display()),
    (gettext_lazy("主办单位"), 16, lambda s, n, limit, today: s.unit.name if s.unit_id else ""),
    (
        gettext_lazy("协办单位"),
        16,
        lambda s, n, limit, today: _names(c.unit.name for c in s.cohandlings.all()),
    ),
    (gettext_lazy("交办日期"), 11, lambda s, n, limit, today: s.assigned_on),
    (gettext_lazy("答复时限"), 11, lambda s, n, limit, today: limit),
    (gettext_lazy("答复日期"), 11, lambda s, n, limit, today: s.replied_on),
    (gettext_lazy("答复类别"), 6, lambda s, n, limit, today: s.category),
    (gettext_lazy("是否按时"), 6, lambda s, n, limit, today: _on_time(s)),
    (gettext_lazy("代表评价"), 24, lambda s, n, limit, today: _ratings(s)),
    (gettext_lazy("状态"), 12, lambda s, n, limit, today: _state_cell(s, today)),
]
CHUNK = 1000


def _chunks(items: Iterable[Suggestion]) -> Iterator[list[Suggestion]]:
    chunk: list[Suggestion] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _reply_limits(chunk: list[Suggestion]) -> dict[int, date]:
    """The unit's reply deadline: `due_date` while it is being handled; once replied, `due_date` has moved
    on to the feedback window, so the deadline set by the last assignment, extension or re-handling."""
    handling = {s.pk: s.due_date for s in chunk if s.state in ("assigned", "rehandling")}
    done = [s.pk for s in chunk if s.assigned_on and s.pk not in handling]
    if done:
        steps = (
            Step.objects.filter(
                content_type=ContentType.objects.get_for_model(Suggestion),
                object_id__in=done,
                transition__in=("assign", "extend", "rehandle"),
            )
            .order_by("object_id", "at", "pk")
            .values_list("object_id", "due_date")
        )
        handling.update(dict(steps))  # the latest of each item wins
    return handling


def ledger_workbook(qs, *, title: str, today: date | None = None) -> Workbook:
    today = today or timezone.localdate()
    items = qs.prefetch_related(
        Prefetch("signatures", queryset=Signature.objects.select_related("deputy").order_by("pk")),
        Prefetch("cohandlings", queryset=CoHandling.objects.select_related("unit").order_by("pk")),
        Prefetch("feedback", queryset=Feedback.objects.select_related("deputy").order_by("at")),
    ).iterator(chunk_size=CHUNK)
    wb, ws = paper_ledger(
        title=title, sheet=_("台账"), headers_widths=[(h, w) for h, w, _g in LEDGER_COLUMNS]
    )
    n = 0
    for chunk in _chunks(items):
        limits = _reply_limits(chunk)
        for s in chunk:
            n += 1
            ws.append([_cell(ws, get(s, n, limits.get(s.pk), today)) for _h, _w, get in LEDGER_COLUMNS])
    return wb


def ledger_response(qs, *, title: str) -> HttpResponse:
    return _response(ledger_workbook(qs, title=title), title)
