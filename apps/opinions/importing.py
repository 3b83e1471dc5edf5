"""Importing a township's existing opinion ledger (社情民意工作台账) from Excel: the columns the ledger
exports (`ledger.LEDGER_COLUMNS`), so an exported ledger imports again. Each row becomes an opinion of the
chosen town, placed in its state by the engine (`workflow.services.place_imported`, audit
`opinion.imported`), with its dates, handling unit and deputy by name. A row that matches an opinion
already there (same day, village, submitter and matter) is left as it is: one file twice adds nothing."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.accounts import permissions as perms
from apps.common.choices import Satisfaction
from apps.common.importing import Column, a_date, choice, ignored, long_text, text, yes_no
from apps.places.models import Region
from apps.workflow.importing import ByName, LedgerImporter
from apps.workflow.services import place_imported

from .models import Opinion, OpinionSource, VisitMethod
from .workflow import OPINION_WORKFLOW

KIND = "opinion"
# Merging and converting join an item to another; a ledger row cannot say which, so they are not imported.
STATES = ("registered", "accepted", "assigned", "replied", "visited", "closed", "not_accepted")
_HANDLED = ("assigned", "replied", "visited")


def _labels(choices) -> dict[str, str]:
    return {str(label): value for value, label in choices}


def _state(value) -> str:
    s = re.sub(r"（.*）$", "", text(30)(value))  # the ledger adds （已超期）
    found = {str(OPINION_WORKFLOW.state(k).label): k for k in STATES}
    if s in found:
        return found[s]
    return choice(found)(s)


def _columns() -> list[Column]:
    sat = _labels(Satisfaction.rated())
    return [
        Column("序号", "n", ignored),
        Column(
            "登记日期",
            "received_on",
            a_date,
            True,
            _("如 2026-03-01、2026/3/1、2026年3月1日"),
            date(2026, 3, 1),
        ),
        Column(
            "来源",
            "source",
            choice(_labels(OpinionSource.choices)),
            True,
            "、".join(_labels(OpinionSource.choices)),
            "接待选民日",
        ),
        Column(
            "反映人",
            "submitter",
            text(160),
            help=_("姓名；企业点单写成“姓名（企业名称）”"),
            example="示例：王五",
        ),
        Column("联系电话", "phone", text(20), example="13800002222"),
        Column(
            "所在村/网格",
            "place",
            text(64),
            True,
            _("本镇（街道）的村、社区或网格，填名称或区划代码"),
            "月河村",
        ),
        Column(
            "反映事项",
            "matter",
            long_text(2100),
            True,
            _("第一行为事项标题，其后为具体内容"),
            "村道破损\n月河村二组村道多处破损",
        ),
        Column("接待/走访代表", "deputy", text(80), help=_("代表姓名；同名时写成“姓名（手机号后四位）”")),
        Column("交办单位", "unit", text(100), help=_("承办单位名称")),
        Column("责任人", "responsible", text(50)),
        Column("交办日期", "assigned_on", a_date),
        Column("办理时限", "limit", a_date, help=_("已交办的事项按此时限督办；不填按规定工作日计算")),
        Column("答复情况", "reply", long_text(5000)),
        Column("答复日期", "replied_on", a_date),
        Column(
            "回访方式",
            "visit_method",
            choice(_labels(VisitMethod.choices)),
            options=",".join(_labels(VisitMethod.choices)),
        ),
        Column("满意度", "satisfaction", choice(sat), options=",".join(sat)),
        Column("是否解决", "solved", yes_no, options="是,否"),
        Column("销号日期", "closed_on", a_date),
        Column(
            "当前状态",
            "state",
            _state,
            help=_(
                "不填则按日期推定：有销号日期为已销号，有答复日期为已答复，有交办日期为已交办，否则为已登记"
            ),
        ),
    ]


def _submitter(value: str) -> tuple[str, str]:
    m = re.fullmatch(r"(.*?)（(.+)）", value)
    name, firm = (m.group(1), m.group(2)) if m else (value, "")
    return name.strip(), firm.strip()


def _title_content(matter: str) -> tuple[str, str]:
    first, _sep, rest = matter.partition("\n")
    if rest.strip() and len(first.strip()) <= 100:
        return first.strip(), rest.strip()
    # The ledger writes the content alone when it starts with the title.
    return matter[:30].split("\n")[0].strip(), matter


class OpinionLedgerImporter(LedgerImporter):
    kind = KIND
    name_key = "submitter"
    cap = perms.OPINION_IMPORT
    make_columns = staticmethod(_columns)
    sheet = _("社情民意台账")
    notes = (
        _("可直接导入本系统导出的台账：标题行会被跳过，“序号”列不导入。"),
        _(
            "反映人以“示例”开头的行不会导入。已导入过的同一事项（同一登记日期、村、反映人和事项）不会重复导入。"
        ),
    )

    def load(self):
        town = self.region
        self.places = ByName(
            Region.objects.filter(Q(town=town) | Q(pk=town.pk)),
            codes=lambda r: (r.code,),
            what=_("村/网格"),
            town=town,
        )
        self.units = self.town_units()
        self.deputies = self.town_deputies()

    def check(self, row) -> bool:
        v, n, before = row.values, row.number, len(self.errors)
        for key in ("place", "unit", "deputy"):
            if v.get(key):
                found, message = getattr(
                    self, {"place": "places", "unit": "units", "deputy": "deputies"}[key]
                ).find(v[key])
                if message:
                    self.error(n, self.header(key), message)
                row.extra[key] = found
        self.check_dates(
            row, ("received_on", "assigned_on", "limit", "replied_on", "closed_on"), ahead=("limit",)
        )
        self.check_order(
            row, (("received_on", "assigned_on"), ("assigned_on", "replied_on"), ("received_on", "closed_on"))
        )
        state = v.get("state") or self._inferred(v)
        row.extra["state"] = state
        needs = {
            "unit": state in _HANDLED,
            "assigned_on": state in _HANDLED,
            "replied_on": state in ("replied", "visited"),
            "closed_on": state == "closed",
        }
        self.require_for_state(row, OPINION_WORKFLOW.state(state).label, needs)
        if "matter" in v:
            row.extra["title"], row.extra["content"] = _title_content(v["matter"])
            if len(row.extra["content"]) > 2000:
                self.error(n, self.header("matter"), _("不能超过%(n)d个字") % {"n": 2000})
        if "submitter" in v:
            row.extra["name"], row.extra["firm"] = _submitter(v["submitter"])
            if len(row.extra["name"]) > 50 or len(row.extra["firm"]) > 100:
                self.error(n, self.header("submitter"), _("姓名不能超过50个字，企业名称不能超过100个字"))
        return len(self.errors) == before

    @staticmethod
    def _inferred(v) -> str:
        if v.get("closed_on"):
            return "closed"
        if v.get("replied_on"):
            return "replied"
        if v.get("assigned_on"):
            return "assigned"
        return "registered"

    def _key(self, row) -> tuple:
        v, e = row.values, row.extra
        return (v["received_on"], e["place"].pk, e.get("name", ""), e["title"], e["content"])

    def match(self, rows):
        days = {r.values["received_on"] for r in rows}
        existing = Counter(
            (o.received_on, o.region_id, o.submitter_name, o.title, o.content)
            for o in Opinion.objects.filter(town=self.region, received_on__in=days).only(
                "received_on", "region", "submitter_name", "title", "content"
            )
        )
        for row in rows:
            key = self._key(row)
            if existing[key]:
                existing[key] -= 1
                row.found = True

    def write(self, row) -> str:
        if row.found:
            return "unchanged"
        v, e, state = row.values, row.extra, row.extra["state"]
        since = {
            "assigned": v.get("assigned_on"),
            "replied": v.get("replied_on"),
            "visited": v.get("replied_on"),
        }.get(state) or v["received_on"]
        limit = v.get("limit")
        fields = {
            "source": v["source"],
            "title": e["title"],
            "content": e["content"],
            "region": e["place"],
            "received_on": v["received_on"],
            "deputy": e.get("deputy"),
            "unit": e.get("unit"),
            "submitter_name": e.get("name", ""),
            "enterprise_name": e.get("firm", ""),
            "submitter_phone": v.get("phone", ""),
            "registered_by": self.actor,
            "responsible_person": v.get("responsible", ""),
            "assigned_on": v.get("assigned_on"),
            "reply": v.get("reply", ""),
            "replied_on": v.get("replied_on"),
            "reply_on_time": (v["replied_on"] <= limit) if v.get("replied_on") and limit else None,
            "visit_method": v.get("visit_method", ""),
            "satisfaction": v.get("satisfaction", ""),
            "solved": v.get("solved"),
            "closed_on": v.get("closed_on"),
        }
        item = place_imported(
            Opinion,
            actor=self.actor,
            fields=fields,
            state=state,
            source=self.source(row),
            since=since,
            due_date=limit if state == "assigned" else None,
        )
        self.note(row, item, "created")
        return "created"


import_opinions = OpinionLedgerImporter.import_file
template_workbook = OpinionLedgerImporter.template_workbook
