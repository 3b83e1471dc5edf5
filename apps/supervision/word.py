"""The approved supervision plan in Word (issue 18 part 4): 关于印发《…年监督工作计划》的通知 in the one
official layout (common/word.py, GB/T 9704-2012), issued by the township's presidium (a street's working
committee), its items grouped by the form of supervision."""

from __future__ import annotations

from itertools import groupby

from apps.common import word
from apps.places.terms import terms_for

from .choices import ActivityKind


def plan_docx(plan, items: list) -> bytes:
    """The plan with its items (kind, topic, dates, the unit supervised, the deputies who lead and join)."""
    issuer = terms_for(plan.region).issuer(plan.region)
    title = f"{plan.region.name}{plan.year}年监督工作计划"
    doc = word.new_document(title_text=title, author=issuer)
    word.title(doc, title)
    word.para(
        doc,
        f"为依法履行监督职责，根据群众反映集中的问题和全镇中心工作，经{issuer}审定，"
        f"{plan.year}年安排监督事项{len(items)}项，具体如下：",
    )
    order = {k: i for i, k in enumerate(ActivityKind.values)}
    items = sorted(items, key=lambda a: (order.get(a.kind, 99), a.starts_on, a.pk))
    for n, (kind, group) in enumerate(groupby(items, key=lambda a: a.kind), start=1):
        word.heading(doc, n, str(ActivityKind(kind).label))
        for m, a in enumerate(group, start=1):
            word.subheading(doc, m, a.topic)
            leads = "、".join(x.deputy.name for x in a.members.all() if x.role == "lead")
            members = "、".join(x.deputy.name for x in a.members.all() if x.role != "lead")
            parts = [f"时间：{word.cn_date(a.starts_on)}至{word.cn_date(a.ends_on)}"]
            if a.unit_id:
                parts.append(f"监督对象：{a.unit.name}")
            if leads:
                parts.append(f"牵头代表：{leads}")
            if members:
                parts.append(f"参加代表：{members}")
            word.para(doc, "；".join(parts) + "。")
            if a.detail:
                word.para(doc, a.detail)
    word.signature(doc, issuer, plan.approved_on)
    return word.to_bytes(doc)
