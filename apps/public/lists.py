"""The columns of every public list: the page's table, the CSV and the JSON download say the same things.
Only public fields appear here (no phone, address of a person, ID number, or anyone's own rating)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.common.rates import satisfaction_rate

from .opendata import Column


def levels(deputy) -> str:
    return "、".join(str(m.get_level_display()) for m in deputy.mandates.all())


def contact_hours(deputy) -> str:
    """When a voter can find the deputy: the station's opening hours (DOMAIN §10)."""
    return deputy.station.opening_schedule if deputy.station_id else ""


def rate(satisfied, basic, dissatisfied):
    """满意率 of counts that may be missing (None: none given)."""
    return satisfaction_rate(satisfied or 0, basic or 0, dissatisfied or 0)


DEPUTIES: list[Column] = [
    ("name", _("姓名"), lambda d: d.name),
    ("gender", _("性别"), lambda d: d.get_gender_display()),
    ("levels", _("代表层级"), levels),
    ("station", _("联络站"), lambda d: d.station.name if d.station_id else ""),
    ("contact_hours", _("联系时间"), contact_hours),
    ("code", _("代表码"), lambda d: str(d.public_code)),
]

STATIONS: list[Column] = [
    ("id", _("编号"), lambda s: s.pk),
    ("name", _("名称"), lambda s: s.name),
    ("level", _("层级"), lambda s: s.get_level_display()),
    ("address", _("地址"), lambda s: s.address),
    ("opening_schedule", _("开放时间"), lambda s: s.opening_schedule),
    ("deputies", _("代表人数"), lambda s: s.n_deputies),
]

SUGGESTIONS: list[Column] = [
    ("id", _("编号"), lambda s: s.pk),
    ("number", _("立案号"), lambda s: s.number),
    ("title", _("标题"), lambda s: s.title),
    ("lead", _("领衔代表"), lambda s: s.lead.name),
    ("town", _("镇"), lambda s: s.region.name),
    ("unit", _("承办单位"), lambda s: s.unit.name if s.unit_id else ""),
    ("category", _("答复类别"), lambda s: s.get_category_display()),
    ("replied_on", _("答复日期"), lambda s: s.replied_on),
    ("satisfied", _("满意"), lambda s: s.r_satisfied),
    ("basic", _("基本满意"), lambda s: s.r_basic),
    ("dissatisfied", _("不满意"), lambda s: s.r_dissatisfied),
]

REPORT_BACK: list[Column] = [
    ("meeting", _("述职会议"), lambda r: r.meeting.title),
    ("date", _("日期"), lambda r: r.meeting.date),
    ("deputy", _("代表"), lambda r: r.deputy.name),
    ("satisfied", _("满意"), lambda r: r.satisfied),
    ("basic", _("基本满意"), lambda r: r.basic),
    ("dissatisfied", _("不满意"), lambda r: r.dissatisfied),
    ("rate", _("满意率（%）"), lambda r: r.satisfaction_rate),
]

RECTIFICATIONS: list[Column] = [
    ("id", _("编号"), lambda r: r.pk),
    ("title", _("整改事项"), lambda r: r.title),
    ("source", _("问题来源"), lambda r: r.source_label),
    ("town", _("镇"), lambda r: r.region.name),
    ("unit", _("整改责任单位"), lambda r: r.unit.name),
    ("state", _("状态"), lambda r: r.state_label),
    ("opened_on", _("交办日期"), lambda r: r.opened_on),
    ("deadline", _("整改时限"), lambda r: r.deadline),
    ("accepted_on", _("验收通过日期"), lambda r: r.accepted_on),
]


def lead_names(activity) -> str:
    return "、".join(m.deputy.name for m in activity.public_leads)


def findings_text(activity) -> str:
    return "；".join(f.text + (f"（{f.unit.name}）" if f.unit_id else "") for f in activity.public_findings)


SUPERVISION: list[Column] = [
    ("id", _("编号"), lambda a: a.pk),
    ("year", _("年度"), lambda a: a.plan.year),
    ("town", _("镇"), lambda a: a.region.name),
    ("kind", _("监督形式"), lambda a: a.get_kind_display()),
    ("topic", _("监督议题"), lambda a: a.topic),
    ("starts_on", _("计划开始日期"), lambda a: a.starts_on),
    ("ends_on", _("计划结束日期"), lambda a: a.ends_on),
    ("unit", _("监督对象"), lambda a: a.unit.name if a.unit_id else ""),
    ("leads", _("牵头代表"), lead_names),
    ("state", _("状态"), lambda a: a.state_label),
    ("summary", _("活动情况"), lambda a: a.summary if a.state == "done" else ""),
    ("findings", _("发现的问题"), findings_text),
]

EVALUATIONS: list[Column] = [
    ("evaluation", _("评议名称"), lambda r: r.evaluation_title),
    ("year", _("年度"), lambda r: r.year),
    ("town", _("镇"), lambda r: r.town_name),
    ("unit", _("被评议单位"), lambda r: r.unit.name),
    ("satisfied", _("满意"), lambda r: r.satisfied),
    ("satisfied_share", _("满意（%）"), lambda r: r.shares["satisfied"]),
    ("basic", _("基本满意"), lambda r: r.basic),
    ("basic_share", _("基本满意（%）"), lambda r: r.shares["basic"]),
    ("dissatisfied", _("不满意"), lambda r: r.dissatisfied),
    ("dissatisfied_share", _("不满意（%）"), lambda r: r.shares["dissatisfied"]),
    ("opinion", _("评议意见"), lambda r: r.opinion),
]
