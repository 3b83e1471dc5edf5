"""A world for the public site: published and unpublished items side by side, and personal data in every
place it is kept, each a string that must never reach a public page or endpoint (SECRETS)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from apps.archive.models import ReportBackMeeting, ReportBackSpeaker, ReportBackState
from apps.opinions.models import ReceptionDay
from apps.people.models import MandateStatus, Voter
from apps.people.tests.factories import DeputyFactory, HouseholdFactory, MandateFactory
from apps.suggestions.models import Feedback, Suggestion

# Personal data and unpublished text: none of these may appear anywhere public.
SECRETS = {
    "deputy phone": "13911112222",
    "deputy id number": "610921199001011234",
    "deputy address": "私宅巷七号",
    "keeper phone": "13733334444",
    "voter phone": "13655556666",
    "household address": "某户门牌九号",
    "recalled deputy": "钱罢免",
    "unpublished reply": "不公开的答复原文",
    "unpublished title": "不公开建议的标题",
    "draft title": "草稿建议的标题",
    "suggestion content": "建议正文不公开",
    "feedback comment": "代表评价意见原话",
    "report text": "述职报告全文草稿",
    "open rating meeting": "测评进行中的述职会",
    "meeting place": "述职会议地点村委会",
}


def _suggestion(world, **fields):
    base = {
        "title": "关于硬化月河村通组路的建议",
        "content": SECRETS["suggestion content"],
        "region": world.town_a,
        "lead": world.deputy_a,
        "state": "replied",
        "rounds": 1,
        "published_round": 1,  # its signers rated it, or their window passed (issue 16 item 10)
        "publish": True,
        "number": "城关〔2026〕1号",
        "unit": world.unit_a,
        "category": "A",
        "reply_text": "已列入明年硬化计划，路灯同步安装。",
        "replied_on": datetime.date(2026, 6, 1),
    }
    base.update(fields)
    return Suggestion.objects.create(**base)


def build(world):
    """Adds to the conftest world: `published`, `hidden`, `draft`, `recalled`, `closed`."""
    a = world.deputy_a
    a.phone, a.id_number, a.address = (
        SECRETS["deputy phone"],
        SECRETS["deputy id number"],
        SECRETS["deputy address"],
    )
    a.save()
    world.station_a.keeper_phone = SECRETS["keeper phone"]
    world.station_a.address = "城关镇人民路1号"
    world.station_a.save()
    household = HouseholdFactory(region=world.grid_a, contact_deputy=a, address=SECRETS["household address"])
    Voter.objects.create(household=household, name="选民甲", phone=SECRETS["voter phone"])

    world.recalled = DeputyFactory(
        name=SECRETS["recalled deputy"], region=world.village_a, station=world.station_a
    )
    MandateFactory(deputy=world.recalled, congress_region=world.town_a, status=MandateStatus.RECALLED)
    world.recalled.status = MandateStatus.RECALLED
    world.recalled.save()

    world.published = _suggestion(world)
    world.hidden = _suggestion(
        world,
        title=SECRETS["unpublished title"],
        publish=False,
        reply_text=SECRETS["unpublished reply"],
        number="城关〔2026〕2号",
    )
    world.draft = _suggestion(
        world, title=SECRETS["draft title"], state="draft", rounds=0, reply_text="", number=""
    )
    Feedback.objects.create(
        suggestion=world.published,
        deputy=world.deputy_a2,
        round=1,
        handling="satisfied",
        result="basic",
        comment=SECRETS["feedback comment"],
    )

    today = timezone.localdate()
    world.closed = ReportBackMeeting.objects.create(
        region=world.town_a,
        title="2026年城关镇代表述职会",
        date=today - datetime.timedelta(days=3),
        place=SECRETS["meeting place"],
        state=ReportBackState.CLOSED,
        participants=3,
    )
    ReportBackSpeaker.objects.create(
        meeting=world.closed, deputy=a, report=SECRETS["report text"], satisfied=2, basic=1, dissatisfied=0
    )
    ReportBackSpeaker.objects.create(
        meeting=world.closed, deputy=world.recalled, satisfied=0, basic=0, dissatisfied=3
    )
    open_meeting = ReportBackMeeting.objects.create(
        region=world.town_a, title=SECRETS["open rating meeting"], date=today, state=ReportBackState.RATING
    )
    ReportBackSpeaker.objects.create(meeting=open_meeting, deputy=world.deputy_a2)

    day = ReceptionDay.objects.create(
        station=world.station_a,
        region=world.town_a,
        date=today + datetime.timedelta(days=5),
        rota_published_at=timezone.now(),
    )
    day.rota.set([world.deputy_a2, world.recalled])
    return world
