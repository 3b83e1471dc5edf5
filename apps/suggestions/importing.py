"""Importing a township's existing suggestion ledger (代表建议办理台账) from Excel: the columns the ledger
exports (`views/ledger.LEDGER_COLUMNS`), so an exported ledger imports again. Each row becomes a suggestion
of the chosen town with its lead and co-signers, its handling and co-handling units by name, its dates and
number, placed in its state by the engine (`workflow.services.place_imported`, audit
`suggestion.imported`; a co-handling part `cohandling.imported`). A row whose number (立案号), or else lead
and title, is already in the town is left as it is: one file twice adds nothing. The deputies' ratings
(代表评价) are read and not imported: a rating is the deputy's own act."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from apps.accounts import permissions as perms
from apps.common.importing import CellError, Column, a_date, choice, ignored, text, yes_no
from apps.opinions.importing import _labels
from apps.opinions.models import Topic
from apps.workflow.importing import LedgerImporter
from apps.workflow.services import place_imported

from .models import Category, CoHandling, Period, Signature, SignatureStatus, Suggestion
from .workflow import SUGGESTION_WORKFLOW

KIND = "suggestion"
# A draft or a returned one is the deputy's own; a merged one needs the item it joined.
STATES = ("submitted", "registered", "assigned", "replied", "rehandling", "tracking", "closed", "declined")
_HANDLED = ("assigned", "replied", "rehandling", "tracking", "closed")
_PART_DONE = ("replied", "tracking", "closed")


def _state(value) -> str:
    s = re.sub(r"（.*）$", "", text(30)(value))  # the ledger adds （已超期）
    return choice({str(SUGGESTION_WORKFLOW.state(k).label): k for k in STATES})(s)


def _category(value) -> str:
    s = text(40)(value)[:1].upper()
    if s in Category.values:
        return s
    raise CellError(_("应填写 A、B、C 或 D"))


def _split(value: str) -> list[str]:
    return [n for n in re.split(r"[、,，;；/\n]+", value) if n.strip()]


def _columns() -> list[Column]:
    periods, topics = _labels(Period.choices), _labels(Topic.choices)
    return [
        Column("序号", "n", ignored),
        Column("立案号", "number", text(30), help=_("不填则为未立案或待编号")),
        Column("镇", "town", ignored, help=_("不导入：导入到所选的镇")),
        Column("查询码", "tracking_code", ignored, help=_("不导入：由系统生成")),
        Column("标题", "title", text(100), True, example="示例：关于硬化月河村通组路的建议"),
        Column(
            "领衔代表",
            "lead",
            text(80),
            True,
            _("本镇（街道）代表姓名；同名时写成“姓名（手机号后四位）”"),
            "张三",
        ),
        Column("联名代表", "signers", text(600), help=_("多个用顿号分隔")),
        Column("提出时间", "period", choice(periods), help="、".join(periods), options=",".join(periods)),
        Column("提交日期", "submitted_on", a_date, True, _("如 2026-03-01、2026/3/1、2026年3月1日")),
        Column("类别", "topic", choice(topics), help="、".join(topics)),
        Column("主办单位", "unit", text(100)),
        Column("协办单位", "cohandlers", text(600), help=_("多个用顿号分隔")),
        Column("交办日期", "assigned_on", a_date),
        Column("答复时限", "limit", a_date),
        Column("答复日期", "replied_on", a_date),
        Column("答复类别", "category", _category, help=_("A、B、C 或 D"), options="A,B,C,D"),
        Column("是否按时", "on_time", yes_no, options="是,否"),
        Column("代表评价", "ratings", ignored, help=_("不导入：评价由代表本人作出")),
        Column(
            "状态",
            "state",
            _state,
            help=_("不填则按日期推定：有答复日期为已答复，有交办日期为办理中，否则为已提交"),
        ),
    ]


class SuggestionLedgerImporter(LedgerImporter):
    kind = KIND
    name_key = "title"
    cap = perms.SUGGESTION_IMPORT
    make_columns = staticmethod(_columns)
    sheet = _("代表建议办理台账")
    notes = (
        _("可直接导入本系统导出的台账：标题行会被跳过，“序号”“代表评价”列不导入。"),
        _("标题以“示例”开头的行不会导入。立案号（或领衔代表和标题）已在本镇（街道）的建议不会重复导入。"),
        _("台账中没有建议全文，导入后以标题为内容，可在系统中补充。"),
    )

    def load(self):
        self.units = self.town_units()
        self.deputies = self.town_deputies()
        self.numbers = set(
            Suggestion.objects.filter(town=self.region).exclude(number="").values_list("number", flat=True)
        )

    def _find(self, row, key, lookup, value):
        found, message = lookup.find(value.strip())
        if message:
            self.error(row.number, self.header(key), message)
        return found

    def check(self, row) -> bool:
        v, e, before = row.values, row.extra, len(self.errors)
        if v.get("lead"):
            e["lead"] = self._find(row, "lead", self.deputies, v["lead"])
        e["signers"] = [self._find(row, "signers", self.deputies, s) for s in _split(v.get("signers", ""))]
        if v.get("unit"):
            e["unit"] = self._find(row, "unit", self.units, v["unit"])
        e["cohandlers"] = [
            self._find(row, "cohandlers", self.units, s) for s in _split(v.get("cohandlers", ""))
        ]
        self.check_dates(row, ("submitted_on", "assigned_on", "replied_on"))
        self.check_order(row, (("submitted_on", "assigned_on"), ("assigned_on", "replied_on")))
        state = v.get("state") or (
            "replied" if v.get("replied_on") else "assigned" if v.get("assigned_on") else "submitted"
        )
        e["state"] = state
        needs = {
            "unit": state in _HANDLED,
            "assigned_on": state in _HANDLED,
            "number": state in ("registered", *_HANDLED),
        }
        self.require_for_state(row, SUGGESTION_WORKFLOW.state(state).label, needs)
        return len(self.errors) == before

    def match(self, rows):
        seen: dict[str, int] = {}
        existing = set(
            Suggestion.objects.filter(
                town=self.region, title__in={r.values["title"] for r in rows}
            ).values_list("lead_id", "title")
        )
        for row in rows:
            number = row.values.get("number")
            if number and number in seen:
                self.error(
                    row.number, self.header("number"), _("与第%(row)d行立案号重复") % {"row": seen[number]}
                )
            if number:
                seen[number] = row.number
            row.found = (
                number in self.numbers if number else (row.extra["lead"].pk, row.values["title"]) in existing
            )

    def write(self, row) -> str:
        if row.found:
            return "unchanged"
        v, e, state = row.values, row.extra, row.extra["state"]
        since = {"assigned": v.get("assigned_on"), "replied": v.get("replied_on")}.get(state) or v[
            "submitted_on"
        ]
        fields = {
            "title": v["title"],
            "content": v["title"],
            "topic": v.get("topic", Topic.OTHER),
            "period": v.get("period", Period.SESSION),
            "region": self.region,
            "lead": e["lead"],
            "submitted_on": v["submitted_on"],
            "number": v.get("number", ""),
            "unit": e.get("unit"),
            "assigned_on": v.get("assigned_on"),
            "replied_on": v.get("replied_on"),
            "category": v.get("category", ""),
            "reply_on_time": v.get("on_time"),
            "rounds": 1 if v.get("replied_on") else 0,
        }
        limit = v.get("limit")
        item = place_imported(
            Suggestion,
            actor=self.actor,
            fields=fields,
            state=state,
            source=self.source(row),
            since=since,
            due_date=limit if state in ("assigned", "rehandling") else None,
        )
        Signature.objects.create(
            suggestion=item, deputy=e["lead"], is_lead=True, status=SignatureStatus.CONFIRMED
        )
        for deputy in dict.fromkeys(d for d in e["signers"] if d != e["lead"]):
            Signature.objects.create(suggestion=item, deputy=deputy, status=SignatureStatus.CONFIRMED)
        for unit in dict.fromkeys(u for u in e["cohandlers"] if u != e.get("unit")):
            place_imported(
                CoHandling,
                actor=self.actor,
                fields={"suggestion": item, "unit": unit},
                state="submitted" if state in _PART_DONE else "requested",
                source=self.source(row),
                since=v.get("assigned_on") or v["submitted_on"],
            )
        self.numbers.add(fields["number"])
        self.note(row, item, "created")
        return "created"


import_suggestions = SuggestionLedgerImporter.import_file
template_workbook = SuggestionLedgerImporter.template_workbook
