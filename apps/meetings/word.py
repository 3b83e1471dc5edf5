"""The minutes (会议记录) and resolutions (决议) of a meeting as Word files, in the one official layout
(common/word.py, GB/T 9704-2012: A4, 仿宋 三号 text, 小标宋 二号 titles, "— 1 —" page numbers).

Minutes: meeting, time, place, chair, deputies expected, present, on leave (with reasons), absent, the
agenda, and every vote round's stored result, signed by the town's presidium with the meeting's date.
Resolutions: for each adopted item its title (关于…的决议, said once however the item or vote is named), the
"（…XX镇第N届人民代表大会第M次会议通过）" note, the wording and the figures, then the session and the date.
Notice (会议通知): 关于召开…的通知 to the deputies with the time, the place, the agenda, who attends and
what to bring, signed by the presidium. Figures are the stored results of closed votes only: nothing is
recomputed here.
"""

from __future__ import annotations

from django.utils import timezone

from apps.common import word
from apps.common.downloads import DOCX_MIME
from apps.places.terms import terms_for

from .extras import minutes_sections
from .models import Attendee, Vote, VoteState
from .rules import cn_number

__all__ = [
    "DOCX_MIME",
    "digest_docx",
    "digest_of",
    "digest_title",
    "minutes_docx",
    "notice_docx",
    "resolutions_docx",
    "session_wording",
]

_cn_time = word.cn_datetime


def _line(doc, label, text=""):
    """A line of the record: "label：text", the label in 黑体."""
    p = word.para(doc)
    if label:
        word.run(p, f"{label}：", font=word.HEADING_FONT)
    if text:
        word.run(p, text)
    return p


def issuer_of(meeting) -> str:
    """Who keeps a township meeting's papers: the town congress's presidium (乡镇人大主席团); in a street the
    county standing committee's working committee there (人大街道工委, DOMAIN §1)."""
    return terms_for(meeting.region).issuer(meeting.region)


def _day(meeting):
    moment = meeting.closed_at or meeting.opened_at or meeting.starts_at
    return timezone.localtime(moment).date() if moment else None


def resolution_title(vote) -> str:
    """关于…的决议 from the vote's title when it names a resolution, else from the agenda item's."""
    subject = vote.title if vote.title.strip().endswith(("决议", "决定")) else vote.agenda_item.title
    return word.about(subject, "决议")


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
    title = f"{meeting.title}会议记录"
    doc = word.new_document(title_text=title, author=issuer_of(meeting))
    word.title(doc, title)
    kind = terms_for(meeting.region).relabel(meeting.get_kind_display())
    _line(doc, "会议", f"{meeting.title}（{kind}）")
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
            both = f"，其中手机表决{v.phone_ballots}票、纸质票{v.paper_ballots}张" if v.paper_ballots else ""
            _line(doc, "", f"{v.title}（第{v.round}轮，{kind}）：{_figures(v)}{both}。结果：{result}。")
    for heading, lines in minutes_sections(meeting):  # other apps' sections (extras.py)
        _line(doc, heading, "")
        for text in lines:
            _line(doc, "", text)
    _line(doc, "记录人", "")
    word.signature(doc, issuer_of(meeting), _day(meeting))
    return word.to_bytes(doc)


def session_wording(meeting) -> str:
    """城关镇第十八届人民代表大会第五次会议, or the town and the meeting's title outside a session."""
    town = meeting.region.name
    if meeting.session_id:
        s = meeting.session
        return f"{town}第{cn_number(s.term)}届人民代表大会第{cn_number(s.number)}次会议"
    return f"{town}{meeting.title}"


def resolutions_docx(meeting) -> bytes:
    body = session_wording(meeting)
    adopted = [v for v in _closed_votes(meeting) if v.adopted]
    first = resolution_title(adopted[0]) if adopted else f"{meeting.title}决议"
    doc = word.new_document(title_text=first, author=body)
    if not adopted:
        word.title(doc, first)
        word.para(doc, "本次会议没有通过的表决事项。")
        word.signature(doc, body, _day(meeting))
        return word.to_bytes(doc)
    for i, v in enumerate(adopted):
        if i:
            doc.add_page_break()
        on = _cn_time(v.closed_at, with_time=False)
        word.title(doc, resolution_title(v), blank_after=False)
        word.para(doc, f"（{on}{body}通过）", align=word.CENTER, indent=False, font=word.SUBHEADING_FONT)
        word.para(doc, indent=False)
        word.para(
            doc,
            f"{body}于{on}表决通过《{v.title}》。{_figures(v)}，赞成票超过全体代表的半数，予以通过。",
        )
        if v.agenda_item.description:
            for line in v.agenda_item.description.splitlines():
                if line.strip():
                    word.para(doc, line.strip())
        closed = timezone.localtime(v.closed_at).date() if v.closed_at else _day(meeting)
        word.signature(doc, body, closed)
    return word.to_bytes(doc)


def notice_docx(meeting, *, on=None) -> bytes:
    """The notice of a meeting (会议通知) to its deputies, dated `on` (today when not given)."""
    issuer = issuer_of(meeting)
    terms = terms_for(meeting.region)
    who = terms.paper("addressee")  # 各位代表 / 各位议事员
    card = "代表证" if terms.has_congress else "证件"  # a council member carries no deputy's card
    full = session_wording(meeting) + (meeting.title if meeting.session_id else "")
    title = word.about(f"召开{full}", "通知")
    doc = word.new_document(title_text=title, author=issuer)
    word.title(doc, title)
    word.para(doc, f"各位{who}：", indent=False)
    when = _cn_time(meeting.starts_at)
    place = meeting.place or "另行通知"
    word.para(doc, f"经{issuer}研究决定，定于{when}在{place}召开{full}。现将有关事项通知如下：")
    word.heading(doc, 1, "会议时间")
    word.para(doc, f"{when}，会期以议程为准。")
    word.heading(doc, 2, "会议地点")
    word.para(doc, place)
    word.heading(doc, 3, "会议议程")
    for item in meeting.agenda.order_by("order"):
        word.para(doc, f"{item.order}. {item.title}")
    word.heading(doc, 4, "参加人员")
    rows = list(meeting.attendees.order_by("name", "pk"))
    member = terms.paper("member")
    word.para(doc, f"{meeting.region.name}{member}{len([a for a in rows if a.voting])}人。")
    guests = [a.name for a in rows if not a.voting]
    if guests:
        word.para(doc, f"列席：{'、'.join(guests)}。")
    word.heading(doc, 5, "有关要求")
    word.para(
        doc,
        f"请各位{who}提前十五分钟到达会场，凭{card}或手机扫码签到。因故不能出席的，请会前向{issuer}请假。",
    )
    word.signature(doc, issuer, on)
    return word.to_bytes(doc)


# --- group deliberation (分组审议, issue 16 item 4) ---------------------------------------------------------

_DIGEST = "审议意见汇总"


def digest_subject(report_title: str) -> str:
    """The report an agenda item names, without its verbs: 听取和审议X报告 gives X报告."""
    core = (report_title or "").strip()
    for verb in ("听取和审议", "听取和审查", "听取并审议"):
        core = core.removeprefix(verb)
    core = word.about(core, _DIGEST).removeprefix("关于").removesuffix(f"的{_DIGEST}")
    return core.strip("《》 ") if core != _DIGEST else ""


def digest_title(report_title: str) -> str:
    """关于《…报告》的审议意见汇总, said once however the agenda item is worded."""
    core = digest_subject(report_title)
    return f"关于《{core}》的{_DIGEST}" if core else _DIGEST


def digest_of(item, opinions, digest=None) -> bytes:
    """A report's digest in Word as it stands: a draft until `digest` (the sent one) is there, then addressed
    to its unit with its time limit and the day it went."""
    if digest is None:
        return digest_docx(item, opinions)
    return digest_docx(item, opinions, unit=digest.unit, due=digest.due_date, on=digest.sent_on)


def digest_docx(item, opinions, *, unit=None, due=None, on=None) -> bytes:
    """The office's compilation of the groups' opinions on one report (`opinions` with group and deputy),
    addressed to the government unit responsible, grouped by deliberation group, signed by the presidium."""
    meeting = item.meeting
    issuer = issuer_of(meeting)
    title = digest_title(item.title)
    doc = word.new_document(title_text=title, author=issuer)
    word.title(doc, title)
    word.para(doc, f"{unit.name if unit else meeting.region.name + '人民政府'}：", indent=False)
    by_group: dict = {}
    for o in opinions:
        by_group.setdefault(o.group, []).append(o)
    session = meeting.session.title if meeting.session_id else meeting.title
    ask = f"并于{word.cn_date(due)}前" if due else "并及时"
    word.para(
        doc,
        f"{session}期间，各代表小组对《{digest_subject(item.title)}》进行了认真审议，共提出审议意见"
        f"{len(opinions)}条。现将审议意见汇总如下，请认真研究处理，{ask}将研究处理情况书面报送{issuer}。",
    )
    for n, (group, rows) in enumerate(by_group.items(), start=1):
        word.heading(doc, n, f"{group.name}（{len(rows)}条）")
        for i, o in enumerate(rows, start=1):
            lines = [t.strip() for t in o.text.splitlines() if t.strip()]
            word.para(doc, f"{i}. {o.deputy.name}：{lines[0] if lines else ''}")
            for line in lines[1:]:
                word.para(doc, line)
    word.signature(doc, issuer, on)
    return word.to_bytes(doc)
