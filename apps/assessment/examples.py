"""The two example indicator tables the platform ships (issue 20 part 1), marked as examples for the county
to edit: Hanyin's (base 100 over four aspects, plus innovation points on top) and one in Tongxiang's shape
(6 major and 16 minor indicators). The reports name the aspects and the counts, not every indicator: these
are derived from the work DOMAIN describes, computed from the records wherever the platform keeps them.

Each row: (name, metric key or "" for a manual indicator, target, base, increment per unit above the target,
cap, deduction per unit short (manual: the most it may deduct), evidence rule).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from . import services

HANYIN = (
    (
        _("代表大会工作"),
        False,
        (
            (_("依法召开镇人民代表大会（每年两次）"), "sessions_held", 2, 10, 0, 10, 5, ""),
            (_("每季度召开主席团会议"), "presidium_quarters", 4, 8, 0, 8, 2, ""),
            (_("会议质量和决议决定执行"), "", 0, 7, 0, 7, 3, _("会议记录、决议决定及执行情况报告")),
        ),
    ),
    (
        _("监督工作"),
        False,
        (
            (_("开展执法检查、视察、调研等监督活动"), "supervision_done", 4, 10, 0, 10, 2, ""),
            (_("监督发现问题整改验收率"), "rectification_accepted", 90, 8, 0, 8, "0.2", ""),
            (_("工作评议、专题询问和约见"), "", 0, 7, 0, 7, 3, _("评议方案、测评结果、询问记录")),
        ),
    ),
    (
        _("代表工作"),
        False,
        (
            (_("每月开展选民接待日"), "reception_days_held", 12, 8, 0, 8, 1, ""),
            (_("社情民意按时答复"), "opinion_reply_on_time", 95, 5, 0, 5, "0.2", ""),
            (_("社情民意办理满意率"), "opinion_satisfaction", 90, 4, 0, 4, "0.2", ""),
            (_("代表建议按时答复"), "suggestion_reply_on_time", 100, 4, 0, 4, "0.5", ""),
            (_("代表建议办理满意率"), "suggestion_satisfaction", 90, 4, 0, 4, "0.2", ""),
            (_("代表向选民述职"), "report_back_coverage", 30, 5, 0, 5, "0.1", ""),
        ),
    ),
    (
        _("基础工作"),
        False,
        (
            (_("代表履职登记"), "duty_record_coverage", 90, 8, 0, 8, "0.2", ""),
            (_("代表联络站（室）规范化建设"), "", 0, 6, 0, 6, 3, _("站点照片、制度上墙、活动记录")),
            (_("工作档案和信息宣传"), "", 0, 6, 0, 6, 3, _("档案目录、信息刊用证明")),
        ),
    ),
    (
        _("创新工作"),
        True,
        (
            (_("工作创新（加分）"), "", 0, 0, 0, 5, 0, _("创新做法的材料和成效")),
            (_("经验被上级推广（加分）"), "", 0, 0, 0, 5, 0, _("上级转发、刊发或表彰文件")),
        ),
    ),
)

TONGXIANG = (
    (_("依法履行职权"), False, (
        (_("召开镇人民代表大会"), "sessions_held", 2, 8, 0, 8, 4, ""),
        (_("主席团会议"), "presidium_quarters", 4, 6, 0, 6, "1.5", ""),
        (_("议案建议按时答复"), "suggestion_reply_on_time", 100, 6, 0, 6, "0.5", ""),
    )),
    (_("代表联系群众"), False, (
        (_("选民接待日"), "reception_days_held", 12, 6, 0, 6, "0.5", ""),
        (_("民情民意按时办理"), "opinion_reply_on_time", 95, 6, 0, 6, "0.2", ""),
        (_("群众满意度"), "opinion_satisfaction", 90, 6, 0, 6, "0.2", ""),
    )),
    (_("监督实效"), False, (
        (_("监督活动"), "supervision_done", 4, 8, 0, 8, 2, ""),
        (_("问题整改"), "rectification_accepted", 90, 6, 0, 6, "0.2", ""),
        (_("工作评议和专题询问"), "", 0, 6, 0, 6, 3, _("评议或询问的记录和结果")),
    )),
    (_("建议办理"), False, (
        (_("代表建议解决率"), "suggestion_solved", 60, 6, 0, 6, "0.2", ""),
        (_("代表建议满意率"), "suggestion_satisfaction", 90, 6, 0, 6, "0.2", ""),
    )),
    (_("代表履职管理"), False, (
        (_("履职登记"), "duty_record_coverage", 90, 6, 0, 6, "0.2", ""),
        (_("向选民述职"), "report_back_coverage", 30, 6, 0, 6, "0.1", ""),
        (_("代表学习培训"), "", 0, 6, 0, 6, 3, _("培训通知、签到和课件")),
    )),
    (_("自身建设"), False, (
        (_("制度建设"), "", 0, 6, 0, 6, 3, _("制度文本")),
        (_("宣传信息"), "", 0, 6, 0, 6, 3, _("信息刊用证明")),
    )),
)  # fmt: skip

EXAMPLES = {
    "hanyin": (_("汉阴式：基础分100分加创新加分"), HANYIN),
    "tongxiang": (_("桐乡式：6项大类16项小类"), TONGXIANG),
}


def install(*, actor, county, year: int, which: str = "hanyin"):
    """One example table for `county`'s `year`, written through the services (audited) as the county
    office `actor`; marked as an example."""
    label, aspects = EXAMPLES[which]
    table = services.create_table(
        actor=actor,
        region_id=county.pk,
        year=year,
        title=f"{county.name}{year}年度镇人大工作考核（{label}，示例）",
        is_example=True,
    )
    for order, (name, bonus, rows) in enumerate(aspects, start=1):
        aspect = services.add_aspect(
            actor=actor, table_id=table.pk, name=str(name), order=order, is_bonus=bonus
        )
        for i, (title, metric, target, base, inc, cap, ded, evidence) in enumerate(rows, start=1):
            data = {
                "aspect": aspect.pk, "name": str(title), "order": i, "metric": metric, "target": target,
                "source": "computed" if metric else "manual", "base_points": base, "increment_points": inc,
                "cap": cap, "deduction": ded, "evidence_rule": str(evidence),
            }  # fmt: skip
            services.save_indicator(actor=actor, table_id=table.pk, data=data)
    return table
