"""The reply letter to the deputies (建议答复函) in Word, in the one official layout (common/word.py,
GB/T 9704-2012).

Red head with the unit's name, the document number and the signer on the right above a red rule, the
title "关于<镇><会议>第N号建议的答复", the salutation to the lead deputy (or "<领衔>等n位代表"), the body,
the reply category, the unit and the date at the end, and the unit's contact person as a note.

The body is the reply as the unit wrote it when that is a whole letter (units often type the salutation,
"…收悉", the points and the closing into the reply text): its own salutation and its signature (unit's
name, date, 签发人) are dropped, since the letter sets them once. A short reply gets the usual opening,
the points (what was done, what is planned and by when, what is not adopted and why) and the closing.
"""

from __future__ import annotations

import re

from apps.common import word
from apps.places.terms import terms_for

from .models import Suggestion

NUMERALS = "一二三四五六七八九十"
# A salutation line of a reply typed as a whole letter: 张三代表： / 张三等2位代表： / 各位代表：
_SALUTATION = re.compile(r"^.{0,40}(代表|同志|委员)们?\s*[：:]$")
_DATE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _case_number(item: Suggestion) -> str:
    """The running number of 建字〔2026〕12号 is 12; any other numbering is used as it stands."""
    parsed = word.parse_document_number(item.number or "")
    if parsed:
        return str(parsed[2])
    return item.number or str(item.pk)


def _meeting(item: Suggestion) -> str:
    """The town's congress and session of the label, each said once (城关镇第十八届人大第五次会议); a
    label that already names the town (XX县城关镇第十八届人民代表大会第五次会议) is used as it stands."""
    town = item.town.name if item.town_id else ""
    label = (item.session_label or "").strip()
    if item.town_id and item.town.is_street:  # DOMAIN §1: 城关街道人大工委, no congress session
        named = f"{town}{terms_for(item.town).paper('short')}"
        return named if not label else label if town in label else f"{town}{label}"
    if not label:
        return f"{town}人大闭会期间" if item.period == "between" else f"{town}人大"
    if "人大" not in label and "人民代表大会" not in label:
        label = re.sub(r"届", "届人大", label, count=1) if "届" in label else f"人大{label}"
    return label if town and town in label else f"{town}{label}"


def title_of(item: Suggestion) -> str:
    """关于城关镇第十八届人大第五次会议第12号建议的答复"""
    return f"关于{_meeting(item)}第{_case_number(item)}号建议的答复"


def salutation_of(item: Suggestion) -> str:
    count = item.signers().count()
    if count > 1:
        return f"{item.lead.name}等{count}位代表："
    return f"{item.lead.name}代表："


def reply_lines(item: Suggestion, unit_name: str) -> list[str]:
    """The unit's reply without its own salutation and signature (the letter sets those once)."""
    lines = _lines(item.reply_text)
    if lines and _SALUTATION.match(lines[0]):
        lines = lines[1:]
    closing = {unit_name, (item.signer or "").strip()} - {""}
    while lines and (
        _DATE.match(lines[-1])
        or lines[-1] in closing
        or lines[-1].startswith(("签发人", "（联系人", "联系人", "(联系人"))
    ):
        lines.pop()
    return lines


def _composed(item: Suggestion, you: str, reply: list[str]) -> list[tuple[str, str]]:
    """(kind, text) paragraphs of a letter around a short reply: opening, points, reply, closing."""
    out = [
        (
            "text",
            f"{you}提出的《{item.title}》收悉。感谢{you}对我们工作的关心和支持。"
            f"我单位高度重视，经认真研究办理，现答复如下：",
        )
    ]
    sections = []
    if item.done_text.strip():
        sections.append(("办理情况", _lines(item.done_text)))
    if item.planned_text.strip() or item.planned_by:
        planned = _lines(item.planned_text)
        if item.planned_by:
            planned.append(f"计划于{word.cn_date(item.planned_by)}前完成。")
        sections.append(("下一步计划", planned))
    if item.not_adopted_text.strip():
        sections.append(("未能采纳的原因", _lines(item.not_adopted_text)))
    said = set()
    for n, (heading, lines) in enumerate(sections):
        out.append(("heading", f"{NUMERALS[n]}、{heading}"))
        out += [("text", line) for line in lines]
        said.update(lines)
    out += [("text", line) for line in reply if line not in said]
    if not (reply and "感谢" in reply[-1]):
        out.append(("text", f"再次感谢{you}对我们工作的理解和支持，欢迎继续提出宝贵意见和建议。"))
    return out


def reply_letter(item: Suggestion) -> bytes:
    """The reply letter of the latest round, as .docx bytes."""
    unit_name = item.unit.name if item.unit_id else ""
    you = "你们" if item.signers().count() > 1 else "您"
    title = title_of(item)
    doc = word.new_document(title_text=title, author=unit_name)
    signer = (item.signer or "").strip()
    word.red_head(doc, unit_name, item.doc_number, more=(f"签发人：{signer}",) if signer else ())
    word.title(doc, title)
    word.para(doc, salutation_of(item), indent=False)

    reply = reply_lines(item, unit_name)
    whole = any("收悉" in line for line in reply)
    for kind, text in [("text", line) for line in reply] if whole else _composed(item, you, reply):
        if kind == "heading":
            word.para(doc, text, font=word.HEADING_FONT)
        else:
            word.para(doc, text)
    word.para(doc)
    word.para(doc, f"答复类别：{item.category}类" if item.category else "答复类别：")
    word.signature(doc, unit_name, item.replied_on)

    # A note (附注) under the date: the unit's contact, never the deputy's.
    contact = (
        item.unit.contact_person if item.unit_id and item.unit.contact_person else item.responsible_person
    )
    phone = item.unit.contact_phone if item.unit_id else ""
    line = f"联系人：{contact or '—'}"
    if phone:
        line += f"　　联系电话：{phone}"
    word.para(doc)
    word.para(doc, f"（{line}）")
    return word.to_bytes(doc)
