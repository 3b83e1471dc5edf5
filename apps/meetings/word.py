"""The minutes (会议记录) and resolutions (决议) of a meeting as Word files.

Minutes: meeting, time, place, chair, deputies expected, present, on leave (with reasons), absent, the
agenda, and every vote round's stored result. Resolutions: for each adopted item its title, the
"XX镇第N届人民代表大会第M次会议于…通过" wording and the figures. Figures are the stored results of
closed votes only: nothing is recomputed here.
"""

from __future__ import annotations

from apps.common import word
from apps.common.downloads import DOCX_MIME

from .models import Attendee, Vote, VoteState
from .rules import cn_number

__all__ = ["DOCX_MIME", "minutes_docx", "resolutions_docx"]

# Meeting papers are set a size smaller than letters: 仿宋 14 pt text, 宋体 20 pt titles.
TEXT_PT, TITLE_PT = 14, 20
_cn_time = word.cn_datetime


def _run(p, text, *, bold=False):
    return word.run(p, text, size=TEXT_PT, bold=bold)


def _title(doc, text):
    word.title(doc, text, size=TITLE_PT)


def _line(doc, label, text=""):
    p = doc.add_paragraph()
    if label:
        _run(p, f"{label}：", bold=True)
    _run(p, text)
    return p


def _figures(v: Vote) -> str:
    return (
        f"应到代表{v.total_deputies}人，实到{v.present}人；赞成{v.votes_for}票，反对{v.votes_against}票，"
        f"弃权{v.votes_abstain}票，未表决{v.not_voted}人"
    )


def _closed_votes(meeting):
    return list(
        meeting.votes.filter(state=VoteState.CLOSED)
        .select_related("agenda_item")
        .order_by("agenda_item__order", "round")
    )


def minutes_docx(meeting) -> bytes:
    doc = word.new_document()
    _title(doc, f"{meeting.title}会议记录")
    _line(doc, "会议", f"{meeting.title}（{meeting.get_kind_display()}）")
    _line(doc, "时间", f"{_cn_time(meeting.opened_at or meeting.starts_at)}—{_cn_time(meeting.closed_at)}")
    _line(doc, "地点", meeting.place or "")
    _line(doc, "主持", meeting.chair or "")
    rows = list(meeting.attendees.order_by("name", "pk"))
    voting = [a for a in rows if a.voting]
    present = [a for a in voting if a.checked_in_at]
    leave = [a for a in voting if not a.checked_in_at and a.leave == Attendee.Leave.APPROVED]
    absent = [a for a in voting if not a.checked_in_at and a.leave != Attendee.Leave.APPROVED]
    late = [a for a in present if a.late]
    _line(doc, "应到代表", f"{len(voting)}人")
    _line(
        doc,
        "实到代表",
        f"{len(present)}人" + (f"（迟到：{'、'.join(a.name for a in late)}）" if late else ""),
    )
    _line(
        doc,
        "请假",
        f"{len(leave)}人"
        + ("：" + "；".join(f"{a.name}（{a.leave_reason}）" for a in leave) if leave else ""),
    )
    _line(doc, "缺席", f"{len(absent)}人" + ("：" + "、".join(a.name for a in absent) if absent else ""))
    guests = [a.name for a in rows if not a.voting]
    if guests:
        _line(doc, "列席", "、".join(guests))
    _line(doc, "议程", "")
    for item in meeting.agenda.order_by("order"):
        _line(doc, "", f"{item.order}. {item.title}")
    votes = _closed_votes(meeting)
    if votes:
        _line(doc, "表决情况", "")
        for v in votes:
            kind = "无记名表决" if v.secret else "记名表决"
            result = "通过" if v.adopted else "未通过"
            _line(doc, "", f"{v.title}（第{v.round}轮，{kind}）：{_figures(v)}。结果：{result}。")
    _line(doc, "记录", "")
    return word.to_bytes(doc)


def _session_wording(meeting) -> str:
    town = meeting.region.name
    if meeting.session_id:
        s = meeting.session
        return f"{town}第{cn_number(s.term)}届人民代表大会第{cn_number(s.number)}次会议"
    return f"{town}{meeting.title}"


def resolutions_docx(meeting) -> bytes:
    doc = word.new_document()
    body = _session_wording(meeting)
    adopted = [v for v in _closed_votes(meeting) if v.adopted]
    if not adopted:
        _title(doc, f"{meeting.title}决议")
        _line(doc, "", "本次会议没有通过的表决事项。")
        return word.to_bytes(doc)
    for i, v in enumerate(adopted):
        if i:
            doc.add_page_break()
        _title(doc, f"关于{v.agenda_item.title}的决议")
        p = doc.add_paragraph()
        p.alignment = word.CENTER
        _run(p, f"（{_cn_time(v.closed_at, with_time=False)}{body}通过）")
        _line(
            doc,
            "",
            f"{body}于{_cn_time(v.closed_at, with_time=False)}表决通过《{v.title}》。{_figures(v)}，"
            f"赞成票超过全体代表的半数，予以通过。",
        )
        if v.agenda_item.description:
            _line(doc, "", v.agenda_item.description)
    return word.to_bytes(doc)
