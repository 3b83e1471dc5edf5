"""The rules of congress sittings and votes (DOMAIN §5), as pure functions tested one by one.

Both count against ALL deputies of the congress (every voting deputy expected at the meeting), never
against those present: a deputy on leave still counts in the denominator.
"""

from __future__ import annotations

from apps.common.cn import numeral

from .choices import CONGRESS_KINDS


def quorum(total_deputies: int) -> int:
    """Deputies who must be present to open a congress sitting: two thirds or more of all deputies
    [law, 地方组织法: 乡镇人民代表大会会议须有三分之二以上的代表出席, 始得举行]. ceil(2/3 × total)."""
    return (2 * total_deputies + 2) // 3


def quorum_met(total_deputies: int, present: int) -> bool:
    return total_deputies > 0 and present >= quorum(total_deputies)


def needs_quorum(kind: str) -> bool:
    """Only sittings of the congress itself need the two-thirds quorum; other meetings record attendance."""
    return kind in CONGRESS_KINDS


def needed(total_deputies: int) -> int:
    """Votes for that adopt an item: more than half of all deputies
    [law, 地方组织法: 以全体代表的过半数通过]."""
    return total_deputies // 2 + 1


def adopted(total_deputies: int, votes_for: int) -> bool:
    """More than half of ALL deputies, not of those present (DOMAIN §5): 30 deputies, 20 present, 14 for
    fails although 14 of 20 is a majority of those present; 16 for passes."""
    return total_deputies > 0 and votes_for > total_deputies // 2


def not_voted(present: int, voted: int) -> int:
    """Present deputies who pressed nothing count as not voted (DOMAIN §5)."""
    return max(present - voted, 0)


# Session titles number terms and sittings in Chinese numerals (第十八届 … 第五次).
cn_number = numeral


def ballots_exceed(present: int, phone_ballots: int, paper_issued: int, paper_returned: int) -> bool:
    """More ballots came back than were handed out, or than deputies present to vote, phones and paper
    together: the vote is void [law, 选举法 §41 by analogy: 收回的选票多于发出的选票 /
    所投的票数多于投票人数的无效]."""
    return paper_returned > paper_issued or phone_ballots + paper_returned > present


# --- agenda checklists (会议议程和内容清单, issue 16 item 7) ---------------------------------------
# [local] The checklist a township starts from for each kind of meeting, after Tongxiang's 会议议程和内容清单:
# each line is (label, keywords); the line is met by an agenda item whose title, or a document whose name,
# holds the label or any of its keywords. A township edits its own copy (ChecklistEntry).
DEFAULT_CHECKLISTS: dict[str, dict[str, list[tuple[str, str]]]] = {
    "plenary": {
        "agenda": [
            ("政府工作报告", "政府工作"),
            ("财政预决算报告", "预算 决算"),
            ("人大主席团工作报告", "主席团工作"),
            ("民生实事项目票决", "民生实事 票决"),
            ("选举事项", "选举"),
        ],
        "document": [
            ("会议通知", "通知"),
            ("议程", "议程"),
            ("日程", "日程"),
            ("选举办法", "选举办法"),
            ("表决办法", "表决办法 票决办法"),
        ],
    },
    "preparatory": {
        "agenda": [
            ("选举大会主席团和秘书长", "主席团 秘书长"),
            ("通过大会议程", "议程"),
            ("代表资格审查报告", "资格审查"),
        ],
        "document": [
            ("会议通知", "通知"),
            ("大会议程草案", "议程"),
            ("主席团和秘书长名单草案", "名单"),
            ("代表资格审查报告", "资格审查"),
        ],
    },
    "presidium": {
        "agenda": [
            ("听取政府专项工作报告", "专项工作 专项报告"),
            ("研究代表建议办理情况", "建议"),
        ],
        "document": [
            ("会议通知", "通知"),
            ("专项工作报告", "报告"),
        ],
    },
}


def checklist_words(label: str, keywords: str) -> list[str]:
    """The words that meet a checklist line: its label and each keyword (split on spaces or 、，,)."""
    words = [label.strip()]
    for sep in "、，,":
        keywords = keywords.replace(sep, " ")
    words += [w for w in keywords.split() if w]
    return [w for w in dict.fromkeys(words) if w]


def checklist_met(label: str, keywords: str, texts: list[str]) -> bool:
    """Whether any agenda title or document name (`texts`) holds one of the line's words."""
    words = checklist_words(label, keywords)
    return any(w in t for t in texts for w in words)


def checklist_missing(lines, agenda_titles: list[str], document_names: list[str]) -> list:
    """The lines still missing before the meeting (the page's "还缺"): each line has `part`, `label`,
    `keywords` and `status`; one settled by the clerk (done, or not needed this time) is not missing."""
    out = []
    for line in lines:
        if line.status != "open":
            continue
        texts = agenda_titles if line.part == "agenda" else document_names
        if not checklist_met(line.label, line.keywords, texts):
            out.append(line)
    return out
