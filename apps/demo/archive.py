"""Demo data for the archive app (DOMAIN §8): commitments and report-back meetings.

Commitments (实事承诺): about 85% of the county's deputies commit to 1-3 practical things this year, with
target dates spread over the year. Those whose target date has passed were rated by the town office a few
days after it: most fulfilled (已兑现), some partly (部分兑现) or not (未兑现) with a reason; each rating
appends the platform duty record `commitment` or `commitment_overdue` as the service does (source: the
commitment). Commitments due later are in progress, about half with a progress note.

Report-back (述职): in 城关镇, last December's meeting was held and closed (four deputies, about 50 voter
representatives who rated by phone: participations as keyed hashes of real voter phones of the town), its
result filed on the speakers and the `report_back` duty records appended. Its choices are not seeded: a
closed meeting keeps only its filed result, as the tellers' decryption left it (issue 15: the sealed
ballots of a rating live in its ballot box, which a historical meeting of the demo does not have). This
December's meeting is planned with four other deputies, whose written reports are still to be drafted;
preparing its rating (naming the second teller) is left to whoever tries the demo.
Not written: audit events (the audit chain records what people did) and notifications.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from apps.archive.models import (
    Commitment,
    CommitmentProgress,
    CommitmentRating,
    CommitmentState,
    RatingParticipation,
    ReportBackMeeting,
    ReportBackSpeaker,
    ReportBackState,
    ReportState,
)
from apps.archive.rules import voter_key
from apps.common.choices import Satisfaction
from apps.duty.models import ActivityKind, DutyRecord, ReviewState, Source
from apps.people.models import Deputy, Voter

from .county import CountyBuilder

SEED = 20260707
THINGS = [
    "硬化{v}通组路500米",
    "为{v}争取安装路灯20盏",
    "协调解决{v}饮水管网老化问题",
    "帮助{v}3户困难群众申请临时救助",
    "推动{v}建成便民服务点",
    "为{v}农产品联系销售渠道",
    "协调修缮{v}河堤护栏",
    "组织{v}开展法律知识宣讲4场",
    "帮助{v}留守儿童落实结对关爱",
    "推动{v}垃圾分类收集点建设",
    "协调{v}危桥加固维修",
    "为{v}引进就业培训项目1个",
]
REASONS_PARTIAL = ["资金到位不足，已完成一半工程量", "受汛期影响工期延后，主体已完工"]
REASONS_NOT = ["项目未列入年度计划，资金未落实", "涉及跨村协调，尚未达成一致"]
PROGRESS = ["已与村委会对接，完成前期摸底", "已争取到部分资金，正在施工", "已完成方案设计，等待审批"]


def seed_demo_archive(builder: CountyBuilder, *, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    rng = random.Random(SEED)
    deputies = list(
        Deputy.objects.filter(county_id=builder.county.id).select_related("region").order_by("id")
    )
    from .logins import demo_deputy

    demo_id = demo_deputy(builder).id
    commitments, progress, records = _commitments(rng, deputies, today, demo_id)
    town = builder.towns[0]
    meetings, participants = _report_back(rng, town.node.id, today, demo_id)
    return {
        "commitments": commitments,
        "commitment_progress": progress,
        "commitment_duty_records": records,
        "report_back_meetings": meetings,
        "report_back_ratings": participants,
    }


def _commitments(
    rng: random.Random, deputies: list[Deputy], today: date, demo_id: int
) -> tuple[int, int, int]:
    year = today.year
    items = []
    for d in deputies:
        if rng.random() > 0.85 and d.pk != demo_id:  # the demo login always has commitments
            continue
        stem = d.region.name
        for thing in rng.sample(THINGS, rng.choice([1, 1, 2, 2, 2, 3])):
            target = date(year, rng.randint(3, 12), 1) + timedelta(days=rng.randint(0, 27))
            c = Commitment(
                deputy=d,
                county_id=d.county_id,
                town_id=d.town_id,
                year=year,
                title=thing.format(v=stem),
                detail="年初在代表小组会上承诺，填写《人大代表实事承诺书》。",
                target_date=target,
            )
            if target < today - timedelta(days=10):
                roll = rng.random()
                rating = (
                    CommitmentRating.FULFILLED
                    if roll < 0.65
                    else CommitmentRating.PARTIAL
                    if roll < 0.82
                    else CommitmentRating.UNFULFILLED
                )
                c.rating, c.rated_on = rating, target + timedelta(days=rng.randint(3, 10))
                c.state = (
                    CommitmentState.FULFILLED
                    if rating == CommitmentRating.FULFILLED
                    else CommitmentState.UNFULFILLED
                )
                if rating == CommitmentRating.PARTIAL:
                    c.rating_reason = rng.choice(REASONS_PARTIAL)
                elif rating == CommitmentRating.UNFULFILLED:
                    c.rating_reason = rng.choice(REASONS_NOT)
            items.append(c)
    Commitment.objects.bulk_create(items, batch_size=500)
    ctype = ContentType.objects.get_for_model(Commitment)
    notes, records = [], []
    for c in items:
        if c.state == CommitmentState.OPEN:
            if rng.random() < 0.5:
                on = min(today, c.target_date) - timedelta(days=rng.randint(5, 40))
                notes.append(CommitmentProgress(commitment=c, date=on, note=rng.choice(PROGRESS)))
            continue
        kind = (
            ActivityKind.COMMITMENT
            if c.rating == CommitmentRating.FULFILLED
            else ActivityKind.COMMITMENT_OVERDUE
        )
        records.append(
            DutyRecord(
                deputy_id=c.deputy_id,
                county_id=c.county_id,
                town_id=c.town_id,
                kind=kind,
                date=c.rated_on,
                title=c.title,
                source=Source.PLATFORM,
                review_state=ReviewState.APPROVED,
                source_type=ctype,
                source_id=str(c.pk),
            )
        )
    CommitmentProgress.objects.bulk_create(notes, batch_size=500)
    DutyRecord.objects.bulk_create(records, batch_size=500)
    return len(items), len(notes), len(records)


def _report_back(rng: random.Random, town_id: int, today: date, demo_id: int) -> tuple[int, int]:
    town_deputies = list(Deputy.objects.filter(town_id=town_id).exclude(pk=demo_id).order_by("id"))
    if len(town_deputies) < 8:
        return 0, 0
    # The demo deputy login reports at this year's meeting: the written report is theirs to draft.
    picked = rng.sample(town_deputies, 7) + list(Deputy.objects.filter(pk=demo_id))
    held_date = date(today.year - 1, 12, 18)
    held = ReportBackMeeting(
        region_id=town_id,
        county_id=town_deputies[0].county_id,
        town_id=town_id,
        title=f"城关镇{held_date.year}年度人大代表向选民述职会",
        date=held_date,
        place="城关镇人大代表联络站",
        expected_voters=55,
        state=ReportBackState.CLOSED,
        opened_at=timezone.make_aware(timezone.datetime(held_date.year, 12, 18, 15, 0)),
        closed_at=timezone.make_aware(timezone.datetime(held_date.year, 12, 18, 16, 10)),
    )
    held.save()
    phones = list(
        Voter.objects.filter(household__town_id=town_id)
        .exclude(phone="")
        .values_list("phone", flat=True)
        .distinct()[:52]
    )
    RatingParticipation.objects.bulk_create(
        [RatingParticipation(meeting=held, voter_key=voter_key(held.pk, p)) for p in phones]
    )
    ctype = ContentType.objects.get_for_model(ReportBackMeeting)
    speakers, records = [], []
    for d in picked[:4]:
        counts = {c: 0 for c in Satisfaction.rated_values()}
        share = rng.uniform(0.6, 0.9)
        for _p in phones:
            roll = rng.random()
            choice = (
                "satisfied"
                if roll < share
                else "basic"
                if roll < share + 0.9 * (1 - share)
                else "dissatisfied"
            )
            counts[choice] += 1
        speakers.append(
            ReportBackSpeaker(
                meeting=held,
                deputy=d,
                report_state=ReportState.SUBMITTED,
                submitted_at=held.opened_at - timedelta(days=5),
                report=f"各位选民：我是{d.name}，现将{held_date.year}年度履职情况报告如下……",
                satisfied=counts["satisfied"],
                basic=counts["basic"],
                dissatisfied=counts["dissatisfied"],
            )
        )
        records.append(
            DutyRecord(
                deputy=d,
                county_id=d.county_id,
                town_id=d.town_id,
                kind=ActivityKind.REPORT_BACK,
                date=held_date,
                title=held.title,
                source=Source.PLATFORM,
                review_state=ReviewState.APPROVED,
                source_type=ctype,
                source_id=str(held.pk),
            )
        )
    held.participants = len(phones)
    held.save(update_fields=["participants"])
    ReportBackSpeaker.objects.bulk_create(speakers)
    DutyRecord.objects.bulk_create(records)
    planned_date = (
        date(today.year, 12, 16) if today < date(today.year, 12, 16) else date(today.year + 1, 12, 16)
    )
    planned = ReportBackMeeting(
        region_id=town_id,
        title=f"城关镇{planned_date.year}年度人大代表向选民述职会",
        date=planned_date,
        place="城关镇人大代表联络站",
        expected_voters=60,
    )
    planned.save()
    ReportBackSpeaker.objects.bulk_create([ReportBackSpeaker(meeting=planned, deputy=d) for d in picked[4:]])
    return 2, len(phones)
