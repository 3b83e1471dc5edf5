"""Demo data for rectification (整改, DOMAIN §7, issue 18 part 4): in the first five towns of the demo
county, problems found by this year's supervision (inspections, law-enforcement checks, research, a
department evaluation), each assigned to one of the town's units and reviewed by two of its deputies (in
the county seat also by the demo deputy), in every state: just assigned, plan filed, report waiting for
the deputies, returned once, referred to the presidium after two returns, accepted; two of them overdue
(assigned or planned long ago, never reported).

Each step is the engine's own move (`apps.workflow.moves.advance`: the table's apply, the state's deadline)
with the Step row the engine would write, as the opinions' replay does. Not written: audit events of the
replayed steps (the chain records what people did) and notifications.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from apps.calendar.services import add_working_days
from apps.people.models import Deputy
from apps.places.models import HandlingUnit, Region
from apps.rectification.models import RectificationItem
from apps.rectification.workflow import RECTIFICATION_WORKFLOW as WF
from apps.workflow.effects import StepContext
from apps.workflow.inputs import parse
from apps.workflow.models import Step
from apps.workflow.moves import advance

from .county import CountyBuilder

TOWNS = 5
PROBLEMS = [
    ("村道临河路段缺少安全护栏", "农村道路交通安全执法检查", "临河路段约300米无护栏，雨季存在坠河隐患。"),
    ("集镇污水管网多处堵塞冒溢", "生态环境保护工作视察", "老街片区污水井多处冒溢，群众反映强烈。"),
    ("中心小学食堂食品留样不规范", "食品安全专题调研", "部分餐次未按规定留样，留样记录缺失。"),
    ("便民服务中心窗口午间无人值守", "部门工作评议", "群众午间办事无人接待，等候时间长。"),
    ("农村饮水安全水质检测不及时", "饮水安全专项视察", "两处集中供水点上半年未开展水质检测。"),
    ("危桥加固工程进度滞后", "重点项目建设视察", "工程计划6月完工，目前仅完成基础部分。"),
    ("卫生院夜间急诊无人值班", "医疗卫生工作调研", "夜间急诊电话无人接听，群众就医不便。"),
    ("垃圾收集点清运不及时", "人居环境整治视察", "部分村组垃圾收集点清运周期超过一周。"),
]
PLAN = "成立整改专班，明确责任人，分三步落实：排查问题、制定措施、限期完成。"
REPORT = "已按整改方案完成整改，现场照片和验收资料已上传。"
# (days ago opened, the steps after it: (key, days after opening, input))
SCRIPTS = [
    (3, []),
    (12, [("plan", 4, {"plan_text": PLAN})]),
    (30, [("plan", 5, {"plan_text": PLAN}), ("report", 20, {"report_text": REPORT})]),
    (
        45,
        [
            ("plan", 5, {"plan_text": PLAN}),
            ("report", 18, {"report_text": REPORT}),
            ("return", 22, {"reason": "现场查看仍未完全整改到位"}),
        ],
    ),
    (
        90,
        [
            ("plan", 5, {"plan_text": PLAN}),
            ("report", 20, {"report_text": REPORT}),
            ("return", 24, {"reason": "整改措施未落实"}),
            ("report", 40, {"report_text": "已补充落实整改措施。"}),
            ("return", 44, {"reason": "群众仍有反映"}),
            ("report", 60, {"report_text": "已再次整改。"}),
            ("refer", 64, {"reason": "两次退回仍未整改到位，提请主席团决定"}),
        ],
    ),
    (
        80,
        [
            ("plan", 3, {"plan_text": PLAN}),
            ("report", 25, {"report_text": "已全部整改到位，群众满意。"}),
            ("accept", 30, {"reason": "现场查看，整改到位"}),
        ],
    ),
    (60, []),  # overdue: assigned two months ago, nothing filed
    (50, [("plan", 6, {"plan_text": PLAN})]),  # overdue: plan filed, never reported
]


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def seed_demo_rectification(builder: CountyBuilder, *, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    from .logins import demo_deputy

    ctype = ContentType.objects.get_for_model(RectificationItem)
    demo_id = demo_deputy(builder).id  # the demo deputy's login reviews the county seat's items
    items = steps = 0
    for t_index, town_plan in enumerate(builder.towns[:TOWNS]):
        town = Region.objects.get(pk=town_plan.node.id)
        units = list(HandlingUnit.objects.filter(pk__in=town_plan.unit_ids).order_by("pk"))
        deputies = list(Deputy.objects.filter(town_id=town.pk).order_by("pk")[:6])
        if not units:
            continue
        for i, (ago, script) in enumerate(SCRIPTS):
            title, source, detail = PROBLEMS[(i + t_index) % len(PROBLEMS)]
            unit = units[i % len(units)]
            reviewers = [d.pk for d in deputies[(i % 3) * 2 : (i % 3) * 2 + 2]]
            if t_index == 0 and demo_id not in reviewers:
                reviewers.append(demo_id)
            item, rows = _replay(
                town, unit, title, source, detail, today - timedelta(days=ago), script, today
            )
            item.reviewers.set(reviewers)
            Step.objects.bulk_create([Step(content_type=ctype, object_id=item.pk, **r) for r in rows])
            items, steps = items + 1, steps + len(rows)
    return {"rectification_items": items, "rectification_steps": steps}


def _replay(town, unit, title, source, detail, opened: date, script, today):
    item = RectificationItem(
        region=town, unit=unit, title=title, source_label=f"{opened.year}年{source}", detail=detail,
        opened_on=opened, deadline=add_working_days(opened, 20), state=WF.initial,
    )  # fmt: skip
    item.due_date = item.deadline
    item.state_since = _at(opened)
    rows = [dict(transition="create", to_state=WF.initial, actor_label="人大办", at=_at(opened))]
    for key, after, data in script:
        day = min(opened + timedelta(days=after), today)
        t = WF.transition(key)
        ctx = StepContext(
            item=item, actor=None, data=parse(t.input, data).model_dump(), today=day, transition=t
        )
        move = advance(ctx, WF, at=_at(day), watched=[])
        item.version += 1
        who = unit.name if key in ("plan", "report") else "验收代表"
        rows.append(
            dict(transition=key, from_state=move.from_state, to_state=t.target, actor_label=who, at=_at(day),
                 reason=str(data.get("reason", "")), on_time=move.on_time, due_date=item.due_date)
        )  # fmt: skip
    item.save()
    rows[0]["due_date"] = item.deadline if len(rows) == 1 else add_working_days(opened, 20)
    return item, rows
