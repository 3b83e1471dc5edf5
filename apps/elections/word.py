"""The candidate list of a post (候选人名单) as a Word file, in the one official layout (common/word.py,
GB/T 9704-2012): the sitting and the post in the title, the candidates in the ballot's order (姓氏笔画 [law]),
how each was nominated, the seats and the count, and the sitting's presidium and the date at the end."""

from __future__ import annotations

from apps.common import word
from apps.meetings.word import issuer_of, session_wording

from . import rules
from .models import Post

__all__ = ["candidates_docx"]


def candidates_docx(post: Post, *, on=None) -> bytes:
    sitting = session_wording(post.meeting)
    title = f"{sitting}{post.title}候选人名单"
    # The session's presidium (大会主席团) runs its elections; outside a session, the town congress's.
    issuer = f"{sitting}主席团" if post.meeting.session_id else issuer_of(post.meeting)
    doc = word.new_document(title_text=title, author=issuer)
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
