"""The elections' Word files, in the one official layout (common/word.py, GB/T 9704-2012): the candidate
list of a post (候选人名单), and after the election (issue 21 part 4) the result announcement of the sitting
(选举结果公告), the appointment paper of each elected person (任命书) and a round's tally (计票报告), all
drawn from the stored outcomes. The sitting's presidium and the date sign each at the end."""

from __future__ import annotations

from apps.common import word
from apps.meetings.word import issuer_of, session_wording

from . import rules
from .export import tally_figures, tally_title
from .models import Outcome, Post, Result, Round, RoundState
from .offices import elected_on

__all__ = ["announcement_docx", "appointment_docx", "candidates_docx", "tally_docx"]


def _issuer(meeting) -> str:
    """The session's presidium (大会主席团) runs its elections; outside a session, the town congress's."""
    return f"{session_wording(meeting)}主席团" if meeting.session_id else issuer_of(meeting)


def _start(title: str, meeting):
    issuer = _issuer(meeting)
    doc = word.new_document(title_text=title, author=issuer)
    return doc, issuer


def candidates_docx(post: Post, *, on=None) -> bytes:
    sitting = session_wording(post.meeting)
    title = f"{sitting}{post.title}候选人名单"
    doc, issuer = _start(title, post.meeting)
    word.title(doc, title, blank_after=False)
    word.para(doc, "（按姓氏笔画为序）", align=word.CENTER, indent=False, font=word.SUBHEADING_FONT)
    word.para(doc, indent=False)
    rows = sorted(
        post.candidates.select_related("nomination").order_by("id"),
        key=lambda c: rules.stroke_key(c.name, c.surname_strokes),
    )
    for n, c in enumerate(rows, start=1):
        how = f"（{c.nomination.get_by_display()}）" if c.nomination_id else ""
        word.para(doc, f"{n}. {c.name}{how}")
    word.para(doc, indent=False)
    word.para(doc, f"应选{post.seats}名，候选人{len(rows)}名。")
    word.signature(doc, issuer, on)
    return word.to_bytes(doc)


def elected_of_meeting(meeting) -> list[Outcome]:
    return list(
        Outcome.objects.filter(
            round__post__meeting=meeting, result=Result.ELECTED, round__state=RoundState.COUNTED
        )
        .select_related("round__post")
        .order_by("round__post_id", "round__number", "rank")
    )


def announcement_docx(meeting, *, on=None) -> bytes:
    """选举结果公告: who was elected to which post, with the votes, from the counted rounds."""
    sitting = session_wording(meeting)
    title = f"{sitting}选举结果公告"
    doc, issuer = _start(title, meeting)
    word.title(doc, title)
    rows = elected_of_meeting(meeting)
    if not rows:
        word.para(doc, f"{sitting}尚无选举结果。")
    else:
        days = sorted({elected_on(o.round) for o in rows})
        word.para(doc, f"{sitting}于{word.cn_date(days[0])}依法进行了选举，选举结果如下：")
        for o in rows:
            word.para(doc, f"{o.name}当选为{o.round.post.title}（得票{o.votes}票）。")
        word.para(doc, "现予公告。")
    word.signature(doc, issuer, on)
    return word.to_bytes(doc)


def appointment_docx(outcome: Outcome, *, on=None) -> bytes:
    """任命书 of one elected person: the sitting, the day, the post."""
    post = outcome.round.post
    sitting = session_wording(post.meeting)
    doc, issuer = _start("任命书", post.meeting)
    word.title(doc, "任命书")
    word.para(doc, f"{outcome.name}同志：", indent=False)
    day = word.cn_date(elected_on(outcome.round))
    word.para(doc, f"经{sitting}于{day}选举，你当选为{post.title}。")
    word.para(doc, "特发此书。")
    word.signature(doc, issuer, on)
    return word.to_bytes(doc)


def tally_docx(round_: Round, tally: dict, *, on=None) -> bytes:
    """The tally report (计票报告) as Word: the same figures as the Excel (`export.tally_figures`)."""
    title = tally_title(round_)
    doc, issuer = _start(title, round_.post.meeting)
    word.title(doc, title)
    word.heading(doc, 1, "候选人得票")
    for r in tally["rows"]:
        if tally["counted"]:
            votes = f"赞成{r['votes_for']}票，反对{r['votes_against']}票，弃权{r['votes_abstain']}票"
        else:
            votes = "尚未计票"
        result = f"（{r['result_label']}）" if r["result_label"] else ""
        word.para(doc, f"{r['order']}. {r['name']}：{votes}{result}")
    if tally["write_ins"] or tally["written_outcomes"]:
        word.heading(doc, 2, "另选他人")
        for w in tally["write_ins"]:
            word.para(doc, f"{w['name']}：{w['count']}票")
        for o in tally["written_outcomes"]:
            word.para(doc, f"{o['name']}：{o['votes']}票（{o['result_label']}）")
    word.heading(doc, 3 if tally["write_ins"] or tally["written_outcomes"] else 2, "计票情况")
    for label, value in tally_figures(round_, tally):
        word.para(doc, f"{label}：{value if value not in (None, '') else '—'}")
    word.signature(doc, issuer, on)
    return word.to_bytes(doc)
