"""Demo data for the township assessment (镇人大工作积分制, issue 20 parts 1-3) in the demo county.

Last year: Hanyin's example table, every manual indicator of every town scored by the county office and
reviewed by a second county login, three advanced units, published (the public page shows it). This year:
the table copied from last year, open for scoring, the first towns scored (some reviewed, one returned),
the computed figures read live from the seeded records. Next year: Tongxiang's example as a draft for the
county to edit. Every write goes through the services, so each is audited like a person's.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from apps.accounts.models import Role, RoleGrant, User
from apps.assessment import examples, services
from apps.assessment.models import TownAssessment

from .county import CountyBuilder

NOTES = ("材料齐全，做法规范", "台账完整，有照片和会议记录", "佐证材料基本齐全", "部分材料缺失，酌情扣分")


def _reviewer(county) -> User:
    """The county office's second login (王芳), who reviews the scores 李文华 enters."""
    user, made = User.objects.get_or_create(
        username="county-reviewer", defaults={"display_name": "王芳", "password": make_password(None)}
    )
    if made:
        RoleGrant.objects.create(user=user, role=Role.COUNTY_OFFICE, region_id=county.pk)
    return user


def _score_all(table, scorer, reviewer, *, towns=None, review_every=1) -> int:
    manual = list(table.indicators.filter(source="manual").order_by("aspect__order", "order"))
    rows = TownAssessment.objects.filter(table=table).order_by("region__code")
    n = 0
    for t_i, row in enumerate(rows[:towns] if towns else rows):
        for i_i, ind in enumerate(manual):
            top = ind.cap if ind.cap > 0 else ind.base_points
            points = (top * Decimal(10 - (t_i * 3 + i_i * 7) % 5) / 10).quantize(Decimal("0.5"))
            s = services.score(actor=scorer, assessment_id=row.pk, indicator_id=ind.pk, points=points,
                               note=NOTES[(t_i + i_i) % len(NOTES)])  # fmt: skip
            n += 1
            if (t_i + i_i) % review_every == 0:
                services.act(actor=reviewer, item=s, key="review", data={})
            elif t_i == 0 and i_i == 1:
                services.act(actor=reviewer, item=s, key="return", data={"reason": "请补充会议记录"})
    return n


def seed_demo_assessment(builder: CountyBuilder, *, today=None) -> dict:
    today = today or timezone.localdate()
    from apps.places.models import Region

    county = Region.objects.get(pk=builder.county.id)
    scorer = User.objects.get(username="county")
    reviewer = _reviewer(county)
    last = examples.install(actor=scorer, county=county, year=today.year - 1)
    last = services.act(actor=scorer, item=last, key="open_scoring", data={})
    scores = _score_all(last, scorer, reviewer)
    from apps.assessment.results import results_of

    top = [t.assessment_id for t in results_of(last).towns[:3]]
    services.choose_advanced(actor=scorer, table_id=last.pk, assessment_ids=top, note="考核得分居全县前列")
    services.act(actor=scorer, item=last, key="publish", data={})
    this = services.create_table(actor=scorer, region_id=county.pk, year=today.year, copy_from=last.pk)
    this = services.act(actor=scorer, item=this, key="open_scoring", data={})
    scores += _score_all(this, scorer, reviewer, towns=3, review_every=2)
    examples.install(actor=scorer, county=county, year=today.year + 1, which="tongxiang")
    return {"assessment_tables": 3, "assessment_scores": scores}
