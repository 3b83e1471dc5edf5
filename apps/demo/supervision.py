"""Demo data of supervision (DOMAIN §7, issue 18): this year's plan in three townships of the demo county,
drawn from the opinion roll-up of the last twelve months (民情清单 → 监督清单: the four most raised topics of
each town become plan items linked to their opinions), plus a law-enforcement inspection and a budget
review; the plans of the first two towns approved by the presidium, the third still a draft to try. In the
approved plans two activities are done with findings for the town's units (their deputies' duty records
appended by the engine), one is under way. In the county seat, an appointment (约见) three deputies asked
for is answered in writing and rated by them.

Everything goes through the supervision services and the workflow engine as the county office (the
`county` demo login), so steps and audit events are the real ones."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone

from apps.accounts.models import Role, RoleGrant
from apps.people.models import Deputy
from apps.places.models import HandlingUnit
from apps.supervision import selectors, services
from apps.supervision.choices import MemberRole
from apps.supervision.models import ActivityMember

from .county import CountyBuilder

SEED = 1818
SUMMARY = "代表分组实地察看，召开座谈会听取群众和承办单位意见，形成问题清单交办整改。"
FINDINGS = (
    "部分村级供水站消毒记录不全，水质检测频次不足",
    "通组道路养护责任不明确，雨季塌方清理不及时",
    "项目资金拨付进度滞后于计划",
    "群众反映问题的答复未逐户回访",
)


def seed_demo_supervision(builder: CountyBuilder, *, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    grant = RoleGrant.objects.filter(role=Role.COUNTY_OFFICE, region_id=builder.county.id).first()
    if grant is None:
        return {"supervision_plans": 0}
    actor, rng = grant.user, random.Random(SEED)
    towns = [t for t in builder.towns if not t.spec.name.endswith("街道")][:3]
    counts = {"supervision_plans": 0, "supervision_items": 0, "supervision_findings": 0}
    from .logins import demo_deputy

    demo_id = demo_deputy(builder).id  # the demo deputy's login joins the county seat's activities
    for n, town in enumerate(towns):
        made = _plan(actor, rng, town.node.id, today, approve=n < 2, also=demo_id if n == 0 else None)
        for k, v in made.items():
            counts[k] = counts.get(k, 0) + v
    counts["supervision_appointments"] = _appointment(actor, towns[0].node.id, today, demo_id)
    return counts


def _plan(actor, rng, town_id: int, today: date, *, approve: bool, also: int | None = None) -> dict:
    plan = services.create_plan(actor=actor, region_id=town_id, year=today.year)
    date_from, date_to = today - timedelta(days=365), today
    from apps.places.models import Region

    topics = selectors.rollup(Region.objects.get(pk=town_id), date_from, date_to, limit=4)
    deputies = list(Deputy.objects.filter(town_id=town_id).order_by("id")[:40])
    units = list(HandlingUnit.objects.filter(region_id=town_id, is_active=True).order_by("id"))
    items = []
    for t in topics:
        item = services.list_topic(
            actor=actor, plan_id=plan.pk, topic_key=t.key, date_from=date_from, date_to=date_to
        )
        items.append(item)
    year = today.year
    for kind, topic, month in (
        ("law_inspection", "《中华人民共和国食品安全法》执法检查", 6),
        ("budget_review", "审查本年度财政预算执行情况", 7),
    ):
        items.append(
            services.add_activity(
                actor=actor, plan_id=plan.pk, kind=kind, topic=topic,
                starts_on=date(year, month, 10), ends_on=date(year, month, 20),
                unit_id=units[0].pk if units else None,
            )
        )  # fmt: skip
    for n, item in enumerate(items):
        team = rng.sample(deputies, min(len(deputies), 4))
        if also is not None and n < 2 and also not in {d.pk for d in team}:
            team[-1] = next(d for d in Deputy.objects.filter(pk=also))
        ActivityMember.objects.bulk_create(
            [ActivityMember(activity=item, deputy=d, role=MemberRole.LEAD) for d in team[:1]]
            + [ActivityMember(activity=item, deputy=d, role=MemberRole.MEMBER) for d in team[1:]]
        )
    findings = 0
    if approve:
        plan = services.act(actor=actor, item=plan, key="submit", data={})
        services.act(actor=actor, item=plan, key="approve", data={})
        for i, item in enumerate(items[:3]):
            item = services.act(actor=actor, item=item, key="start", data={})
            if i == 2:
                continue  # under way
            for text in rng.sample(FINDINGS, 2):
                services.record_finding(
                    actor=actor, activity_id=item.pk, text_value=text,
                    unit_id=rng.choice(units).pk if units else None,
                )  # fmt: skip
                findings += 1
            services.act(actor=actor, item=item, key="finish", data={"summary": SUMMARY})
    return {"supervision_plans": 1, "supervision_items": len(items), "supervision_findings": findings}


def _appointment(actor, town_id: int, today: date, demo_id: int) -> int:
    deputies = list(Deputy.objects.filter(town_id=town_id).exclude(pk=demo_id).order_by("id")[:2])
    deputies += list(Deputy.objects.filter(pk=demo_id))
    if len(deputies) < 3:
        return 0
    item = services.request_appointment(
        actor=actor, region_id=town_id, kind="appointment", subject="农村通组道路养护资金落实情况",
        official="分管副镇长", body="镇人民政府", deputy_ids=[d.pk for d in deputies],
        detail="多个村反映通组道路损毁后长期未修复，约见分管副镇长了解养护资金安排。",
    )  # fmt: skip
    item = services.act(actor=actor, item=item, key="arrange", data={"meets_on": today.isoformat()})
    answer = {"answer_mode": "written", "answer": "已安排养护资金，年底前完成修复。"}
    services.act(actor=actor, item=item, key="answer", data={**answer, "answered_on": today.isoformat()})
    from apps.supervision.models import Requester

    for r, s in zip(item.requesters.order_by("id"), ("satisfied", "basic", "satisfied"), strict=False):
        Requester.objects.filter(pk=r.pk).update(satisfaction=s, rated_on=today)
    return 1
