"""关于…监督活动情况的报告 (issue 18 part 7): what one activity did and found, in the one official layout
(common/word.py, GB/T 9704-2012), as the office sends it to the township Party committee or the superior
of the unit supervised (apps.dispatch)."""

from __future__ import annotations

from django.utils import timezone

from apps.common import word
from apps.places.terms import terms_for


def activity_report_title(activity) -> str:
    return word.about(f"{activity.topic}{activity.get_kind_display()}情况", "报告")


def activity_report_docx(activity, *, on=None) -> bytes:
    """The activity's form, dates, unit and lead deputies, its summary, and each problem found."""
    issuer = terms_for(activity.region).issuer(activity.region)
    title = activity_report_title(activity)
    doc = word.new_document(title_text=title, author=issuer)
    word.title(doc, title)
    members = list(activity.members.select_related("deputy").order_by("role", "id"))
    leads = "、".join(m.deputy.name for m in members if m.role == "lead")
    parts = [f"{word.cn_date(activity.starts_on)}至{word.cn_date(activity.ends_on)}"]
    parts.append(f"{issuer}组织代表开展{activity.get_kind_display()}")
    if activity.unit_id:
        parts.append(f"监督对象为{activity.unit.name}")
    if leads:
        parts.append(f"由{leads}代表牵头")
    word.para(doc, "，".join(parts) + f"。现将{activity.topic}有关情况报告如下：")
    word.heading(doc, 1, "基本情况")
    word.para(doc, activity.summary or "（活动情况待填写）")
    findings = list(activity.findings.select_related("unit").order_by("id"))
    word.heading(doc, 2, "发现的问题")
    if not findings:
        word.para(doc, "未发现需要整改的问题。")
    for n, f in enumerate(findings, start=1):
        unit = f"（涉及单位：{f.unit.name}）" if f.unit_id else ""
        word.para(doc, f"{n}. {f.text}{unit}")
    if findings:
        word.heading(doc, 3, "整改要求")
        word.para(doc, "以上问题已交有关单位限期整改，由提出问题的代表验收，整改情况将另行报告。")
    word.signature(doc, issuer, on or timezone.localdate())
    return word.to_bytes(doc)
