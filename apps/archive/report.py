"""The deputy's annual duty report (年度履职报告) as a Word file, in the one official layout (common/word.py,
GB/T 9704-2012): 小标宋 二号 title, 黑体 headings, 仿宋 三号 text, the deputy and the date at the end."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from apps.common.word import HEADING_FONT, new_document, para, signature, title, to_bytes
from apps.duty.models import ActivityKind

from . import selectors
from .models import Commitment, ReportBackSpeaker


def annual_report(deputy, year: int, *, today: date) -> bytes:
    heading = _("%(name)s代表%(year)s年度履职报告") % {"name": deputy.name, "year": year}
    doc = new_document(title_text=heading, author=deputy.name)
    title(doc, heading)
    town = deputy.town.name if deputy.town else ""
    para(
        doc,
        _("所在镇：%(town)s　联络站：%(station)s")
        % {
            "town": town,
            "station": deputy.station.name if deputy.station else "—",
        },
        indent=False,
    )

    para(doc, _("一、履职活动统计"), font=HEADING_FONT)
    counts = selectors.year_counts(deputy, year)
    labels = dict(ActivityKind.choices)
    table = doc.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = _("履职类别"), _("次数")
    for kind, n in sorted(counts.items(), key=lambda kv: -kv[1]):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = str(labels.get(kind, kind)), str(n)
    if not counts:
        para(doc, _("本年度暂无登记的履职活动。"))

    para(doc, _("二、实事承诺"), font=HEADING_FONT)
    items = list(Commitment.objects.filter(deputy=deputy, year=year).order_by("id"))
    for c in items:
        rating = f"（{c.get_rating_display()}）" if c.rating else ""
        para(doc, f"{c.title}：{c.get_state_display()}{rating}")
    if not items:
        para(doc, _("本年度未作实事承诺。"))

    para(doc, _("三、建议"), font=HEADING_FONT)
    sigs = list(selectors._signatures(deputy, date(year, 1, 1), date(year, 12, 31)))
    for s in sigs:
        role = _("领衔") if s.is_lead else _("联名")
        para(doc, f"（{role}）{s.suggestion.title}：{s.suggestion.state_label}")
    if not sigs:
        para(doc, _("本年度未提出建议。"))

    para(doc, _("四、向选民述职"), font=HEADING_FONT)
    speakers = list(
        ReportBackSpeaker.objects.filter(deputy=deputy, meeting__date__year=year).select_related("meeting")
    )
    for s in speakers:
        if s.satisfied is None:
            para(doc, f"{s.meeting.title}（{s.meeting.date}）：{s.meeting.get_state_display()}")
        else:
            para(
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
        para(doc, _("本年度未向选民述职。"))

    score = selectors._score_of(deputy, year)
    if score is not None:
        para(doc, _("五、履职积分"), font=HEADING_FONT)
        para(
            doc,
            _("年度得分：%(total)s分（%(band)s）") % {"total": score.total, "band": score.get_band_display()},
        )

    signature(doc, deputy.name, today)
    return to_bytes(doc)
