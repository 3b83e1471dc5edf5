"""关于决议决定执行情况的报告 (issue 16 item 6): for the presidium or the next session, every adopted
resolution of a meeting with its implementation items, the unit, the target date, the state and each
progress report, in the one official layout (common/word.py, GB/T 9704-2012)."""

from __future__ import annotations

from itertools import groupby

from django.utils import timezone

from apps.common import word

from .word import issuer_of, resolution_title, session_wording

REPORT_TITLE = "关于决议决定执行情况的报告"


def _state(task) -> str:
    label = str(task.workflow.state(task.state).label)
    if task.state != "done" and task.target_date < timezone.localdate():
        label += "（已超过完成时限）"
    return label


def implementation_docx(meeting, tasks: list, *, on=None) -> bytes:
    """The report of the meeting's resolutions' execution, dated `on` (today when not given)."""
    body = session_wording(meeting)
    issuer = issuer_of(meeting)
    doc = word.new_document(title_text=REPORT_TITLE, author=issuer)
    word.title(doc, REPORT_TITLE)
    done = sum(1 for t in tasks if t.state == "done")
    word.para(
        doc,
        f"{body}通过的决议、决定共交办实施事项{len(tasks)}项，已办结{done}项，正在落实{len(tasks) - done}项。"
        "现将执行情况报告如下：",
    )
    if not tasks:
        word.para(doc, "本次会议通过的决议、决定尚未交办实施事项。")
    for n, (vote, items) in enumerate(groupby(tasks, key=lambda t: t.vote), start=1):
        word.heading(doc, n, resolution_title(vote))
        for m, t in enumerate(items, start=1):
            word.subheading(doc, m, t.title)
            word.para(
                doc,
                f"责任单位：{t.unit.name}；完成时限：{word.cn_date(t.target_date)}；状态：{_state(t)}。",
            )
            reports = list(t.progress.all())
            if not reports:
                word.para(doc, "尚未报告进展。")
            for r in reports:
                word.para(doc, f"{word.cn_date(r.date)}报告：{r.text}")
            if t.review_note:
                word.para(doc, f"审查意见：{t.review_note}")
    word.signature(doc, issuer, on or timezone.localdate())
    return word.to_bytes(doc)
