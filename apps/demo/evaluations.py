"""Demo department evaluations (工作评议, issue 18 part 3): in 城关镇 (the demo town office's) one waiting at
the survey step with its survey OPEN, so it can be run live: the deputy login rates, the office closes it,
and the two tellers (the town and county demo logins) decrypt the totals with the demo teller code below; in
a second township one published, its survey's filed result as the tellers' decryption left it (the demo
writes the totals, not ballots). The steps are the engine's own, taken by the demo logins."""

from __future__ import annotations

import hashlib
import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from apps.ballotbox import services as ballotbox
from apps.evaluations import ballots, services
from apps.evaluations.models import EvaluatedUnit, Survey, SurveyComment, SurveyParticipation, SurveyState
from apps.evaluations.rules import voter_key
from apps.places.models import HandlingUnit

# Both demo tellers' secret code for the open survey's box (a demo has no secrets): paste it on the teller
# desk (监票台) to give the share of the decryption after closing the survey.
DEMO_TELLER_CODE = hashlib.sha256(b"renda demo evaluation teller").hexdigest()
SEED = 18
OPINIONS = [
    "服务意识较强，但办事流程仍需简化，群众反映“跑多趟”问题尚未根本解决。",
    "工作作风扎实，建议加大政策宣传力度，提高群众知晓率。",
    "窗口服务态度有改进，但部分事项办理时限偏长，需进一步压缩。",
]
COMMENTS = ["希望办事再快一些", "工作人员态度好", "政策宣传不够到位", "下村次数偏少"]


def _units(town_id: int, n: int) -> list[int]:
    return list(
        HandlingUnit.objects.filter(town_id=town_id, is_active=True)
        .order_by("id")
        .values_list("pk", flat=True)[:n]
    )


def _steps(office, item, keys, start: date):
    for i, key in enumerate(keys):
        item = services.act_on_evaluation(
            actor=office, item=item, key=key, data={"date": (start + timedelta(days=12 * i)).isoformat()}
        )
    return item


def seed_demo_evaluations(builder, *, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["town", "county"])}
    town_user, county_user = users.get("town"), users.get("county")
    if town_user is None or county_user is None or len(builder.towns) < 2:
        return {"evaluations": 0}
    rng = random.Random(SEED)
    seat, other = builder.towns[0].node.id, builder.towns[1].node.id
    live = _live(town_user, county_user, seat, today)
    published = _published(county_user, other, today, rng)
    return {"evaluations": live + published}


def _live(office, second, town_id: int, today: date) -> int:
    """城关镇: notice, research and the evaluation meeting taken; the survey open for a week."""
    units = _units(town_id, 4)
    if len(units) < 2:
        return 0
    item = services.create_evaluation(
        actor=office,
        region_id=town_id,
        year=today.year,
        title=f"{today.year}年度城关镇站所工作评议",
        unit_ids=units,
    )
    for row, text in zip(
        EvaluatedUnit.objects.filter(evaluation=item).order_by("id"), OPINIONS, strict=False
    ):
        row.opinion = text
        row.save(update_fields=["opinion"])
    item = _steps(office, item, ["give_notice", "research", "hold_meeting"], today - timedelta(days=30))
    now = timezone.now()
    survey = services.create_survey(
        actor=office,
        evaluation_id=item.pk,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=7),
    )
    survey = services.act_on_survey(
        actor=office, item=survey, key="prepare", data={"second_teller": second.pk}
    )
    box = ballots.survey_box(survey)
    for user in (office, second):
        ballotbox.make_teller_key(actor=user, box_id=box.pk, code=DEMO_TELLER_CODE)
    services.act_on_survey(actor=office, item=survey, key="open", data={})
    return 1


def _published(office, town_id: int, today: date, rng: random.Random) -> int:
    """The second township: last year's evaluation, published; its survey's totals filed."""
    units = _units(town_id, 5)
    if len(units) < 2:
        return 0
    year = today.year - 1
    item = services.create_evaluation(
        actor=office, region_id=town_id, year=year, title=f"{year}年度部门工作评议", unit_ids=units
    )
    item = _steps(office, item, ["give_notice", "research", "hold_meeting"], date(year, 4, 1))
    opens = timezone.make_aware(timezone.datetime(year, 4, 25, 9, 0))
    survey = services.create_survey(
        actor=office, evaluation_id=item.pk, opens_at=opens, closes_at=opens + timedelta(hours=3)
    )
    raters = list(item.deputies.values_list("pk", flat=True))
    SurveyParticipation.objects.bulk_create(
        [SurveyParticipation(survey=survey, voter_key=voter_key(survey.pk, f"deputy:{d}")) for d in raters]
    )
    Survey.objects.filter(pk=survey.pk).update(state=SurveyState.CLOSED, participants=len(raters))
    for n, row in enumerate(EvaluatedUnit.objects.filter(evaluation=item).order_by("id")):
        counts = [0, 0, 0]
        good = 0.55 if n == 0 else rng.uniform(0.7, 0.9)  # the first department is rated poorly
        for _r in raters:
            roll = rng.random()
            counts[0 if roll < good else 1 if roll < good + (1 - good) * (0.3 if n == 0 else 0.8) else 2] += 1
        row.satisfied, row.basic, row.dissatisfied = counts
        row.opinion = OPINIONS[n % len(OPINIONS)]
        if 100 * counts[2] > 20 * sum(counts):
            row.plan_due = date(year, 5, 30)
        row.save()
        SurveyComment.objects.bulk_create(
            [SurveyComment(survey=survey, unit_id=row.unit_id, text=rng.choice(COMMENTS)) for _i in range(2)]
        )
    _steps(office, item, ["give_opinions", "supervise", "review", "publish"], date(year, 5, 10))
    return 1
