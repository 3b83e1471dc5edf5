"""The deputy's annual duty report (年度履职报告) as a Word file, in the house style of the reply letter
(suggestions/letter.py): 宋体 heads, 仿宋 text, A4 with GB/T 9704 margins."""

from __future__ import annotations

import io
from datetime import date

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from apps.duty.models import ActivityKind
from apps.suggestions.letter import BODY_PT, HEAD_FONT, TITLE_PT, _cn_date, _para, _run

from . import selectors
from .models import Commitment, ReportBackSpeaker


def annual_report(deputy, year: int, *, today: date) -> bytes:
    doc = Document()
    for section in doc.sections:
        section.page_height, section.page_width = Cm(29.7), Cm(21)
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _para(
        doc,
        _("%(name)s代表%(year)s年度履职报告") % {"name": deputy.name, "year": year},
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
        font=HEAD_FONT,
        size=TITLE_PT,
        bold=True,
        space_after=12,
    )
    town = deputy.town.name if deputy.town else ""
    _para(
        doc,
        _("所在镇：%(town)s　联络站：%(station)s")
        % {
            "town": town,
            "station": deputy.station.name if deputy.station else "—",
        },
        indent=False,
    )

    _para(doc, _("一、履职活动统计"), indent=False, font=HEAD_FONT, bold=True)
    counts = selectors.year_counts(deputy, year)
    labels = dict(ActivityKind.choices)
    table = doc.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = _("履职类别"), _("次数")
    for kind, n in sorted(counts.items(), key=lambda kv: -kv[1]):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = str(labels.get(kind, kind)), str(n)
    if not counts:
        _para(doc, _("本年度暂无登记的履职活动。"))

    _para(doc, _("二、实事承诺"), indent=False, font=HEAD_FONT, bold=True)
    items = list(Commitment.objects.filter(deputy=deputy, year=year).order_by("id"))
    for c in items:
        rating = f"（{c.get_rating_display()}）" if c.rating else ""
        _para(doc, f"{c.title}：{c.get_state_display()}{rating}")
    if not items:
        _para(doc, _("本年度未作实事承诺。"))

    _para(doc, _("三、建议"), indent=False, font=HEAD_FONT, bold=True)
    sigs = list(selectors._signatures(deputy, date(year, 1, 1), date(year, 12, 31)))
    for s in sigs:
        role = _("领衔") if s.is_lead else _("联名")
        _para(doc, f"（{role}）{s.suggestion.title}：{s.suggestion.state_label}")
    if not sigs:
        _para(doc, _("本年度未提出建议。"))

    _para(doc, _("四、向选民述职"), indent=False, font=HEAD_FONT, bold=True)
    speakers = list(
        ReportBackSpeaker.objects.filter(deputy=deputy, meeting__date__year=year).select_related("meeting")
    )
    for s in speakers:
        if s.satisfied is None:
            _para(doc, f"{s.meeting.title}（{s.meeting.date}）：{s.meeting.get_state_display()}")
        else:
            _para(
                doc,
                _("%(title)s（%(date)s）：满意%(a)s票，基本满意%(b)s票，不满意%(c)s票，满意率%(rate)s%%")
                % {
                    "title": s.meeting.title,
                    "date": s.meeting.date,
                    "a": s.satisfied,
                    "b": s.basic,
                    "c": s.dissatisfied,
                    "rate": s.satisfaction_rate if s.satisfaction_rate is not None else "—",
                },
            )
    if not speakers:
        _para(doc, _("本年度未向选民述职。"))

    score = selectors._score_of(deputy, year)
    if score is not None:
        _para(doc, _("五、履职积分"), indent=False, font=HEAD_FONT, bold=True)
        _para(
            doc,
            _("年度得分：%(total)s分（%(band)s）") % {"total": score.total, "band": score.get_band_display()},
        )

    p = _para(doc, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _run(p, _cn_date(today), size=BODY_PT)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
