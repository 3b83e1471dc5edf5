"""整改通知书 (issue 18 parts 4 and 7): the rectification notice to the unit, in the one official layout
(common/word.py, GB/T 9704-2012): the problem, where it was found, the deadline and what the unit files,
and who accepts the work."""

from __future__ import annotations

from django.utils import timezone

from apps.common import word
from apps.places.terms import terms_for

KIND = "整改通知书"


def notice_title(item) -> str:
    return word.about(item.title, KIND)


def notice_docx(item, reviewers: list, *, on=None) -> bytes:
    """The notice of one item, dated `on` (the opening day when not given)."""
    issuer = terms_for(item.region).issuer(item.region)
    title = notice_title(item)
    doc = word.new_document(title_text=title, author=issuer)
    word.title(doc, title)
    word.para(doc, f"{item.unit.name}：", indent=False)
    found = f"在{item.source_label}中" if item.source_label else ""
    word.para(doc, f"{issuer}{found}发现以下问题，现交你单位整改。有关事项通知如下：")
    word.heading(doc, 1, "存在的问题")
    word.para(doc, item.title)
    for line in (item.detail or "").splitlines():
        if line.strip():
            word.para(doc, line.strip())
    word.heading(doc, 2, "整改要求")
    word.para(
        doc,
        f"请你单位认真研究，制定整改方案，明确措施、责任人和完成时间，并于{word.cn_date(item.deadline)}前"
        f"完成整改，将整改情况报告及证明材料报{issuer}。",
    )
    word.heading(doc, 3, "验收")
    if reviewers:
        names = "、".join(d.name for d in reviewers)
        word.para(doc, f"整改情况由提出问题的代表{names}验收。验收不通过的，退回重新整改。")
    else:
        word.para(doc, f"整改情况由{issuer}组织验收。验收不通过的，退回重新整改。")
    word.para(doc, "逾期未完成整改的，将提请督办并予以通报。")
    word.signature(doc, issuer, on or item.opened_on or timezone.localdate())
    return word.to_bytes(doc)
