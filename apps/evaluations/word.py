"""The evaluation's official papers in Word (GB/T 9704, common/word.py): the written evaluation opinions
(评议意见), one per department, and the result announcement (评议结果公告). Figures are the filed survey
results only; comments never carry a name (none is kept)."""

from __future__ import annotations

from apps.common import word
from apps.places.terms import terms_for

from .selectors import results


def _issuer(item) -> str:
    return terms_for(item.region).issuer(item.region)


def opinions_docx(item, *, on=None, user=None) -> bytes:
    """关于对…的评议意见: one section per department, each beginning on the department's name."""
    issuer = _issuer(item)
    title = word.about(f"对{item.title}", "评议意见")
    doc = word.new_document(title_text=title, author=issuer)
    word.title(doc, title)
    rows = results(item, user)
    for n, row in enumerate(rows, start=1):
        word.para(doc, f"{row['unit_name']}：", indent=False)
        word.para(doc, row["opinion"] or "（评议意见待填写）")
        if row["filed"]:
            word.para(
                doc,
                f"满意度测评：参评{row['total']}人，满意{row['satisfied']}票，基本满意{row['basic']}票，"
                f"不满意{row['dissatisfied']}票。",
            )
        if row["must_rectify"] and row["plan_due"]:
            word.para(doc, f"请于{word.cn_date(row['plan_due'])}前向{issuer}书面报送整改方案。")
        if n < len(rows):
            word.para(doc, "")
    word.signature(doc, issuer, on)
    return word.to_bytes(doc)


def announcement_docx(item, *, on=None, user=None) -> bytes:
    """关于…评议结果的公告: the departments with counts and shares, and those that must rectify."""
    issuer = _issuer(item)
    title = word.about(f"{item.title}结果", "公告")
    doc = word.new_document(title_text=title, author=issuer)
    word.title(doc, title)
    rows = results(item, user)
    word.para(
        doc,
        f"根据工作安排，{issuer}于{item.year}年组织开展了{item.title}，按照预先通知、提前调研、召开评议会议、"
        "提出书面评议意见、督促整改、整改验收、公布结果、归档的步骤进行。现将评议结果公告如下：",
    )
    for n, row in enumerate(rows, start=1):
        if row["filed"]:
            s = row["shares"]
            text = (
                f"{row['unit_name']}：满意{row['satisfied']}票（{s['satisfied']}%），基本满意{row['basic']}票"
                f"（{s['basic']}%），不满意{row['dissatisfied']}票（{s['dissatisfied']}%）。"
            )
        else:
            text = f"{row['unit_name']}：未进行满意度测评。"
        word.para(doc, f"{n}. {text}")
    flagged = [r["unit_name"] for r in rows if r["must_rectify"]]
    if flagged:
        word.para(
            doc, f"{'、'.join(flagged)}不满意率超过规定比例，已责成限期提交整改方案，整改情况将另行公布。"
        )
    word.signature(doc, issuer, on)
    return word.to_bytes(doc)


def official_record_docx(item, *, on=None) -> bytes:
    """副镇长述职测评结果: for the meeting's minutes, each official's counts and shares."""
    from .selectors import official_results

    meeting = item.meeting
    issuer = terms_for(meeting.region).issuer(meeting.region)
    title = word.about(f"{item.title}测评结果", "报告")
    doc = word.new_document(title_text=title, author=issuer)
    word.title(doc, title)
    word.para(
        doc,
        f"{meeting.title}听取了以下人员的述职报告，到会代表以无记名方式进行了满意度测评，"
        f"参评代表{item.participants or 0}人。测评结果如下：",
    )
    for n, r in enumerate(official_results(item), start=1):
        if r["filed"]:
            s = r["shares"]
            text = (
                f"{r['post']}{r['name']}：满意{r['satisfied']}票（{s['satisfied']}%），基本满意{r['basic']}票"
                f"（{s['basic']}%），不满意{r['dissatisfied']}票（{s['dissatisfied']}%）。"
            )
        else:
            text = f"{r['post']}{r['name']}：尚未计票。"
        word.para(doc, f"{n}. {text}")
    word.signature(doc, issuer, on)
    return word.to_bytes(doc)
