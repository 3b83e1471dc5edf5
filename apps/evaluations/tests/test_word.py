"""The evaluation's papers are official documents (GB/T 9704): the opinions per department and the result
announcement with the counts, shares and who must rectify; no name of a rater appears."""

import pytest

from apps.evaluations import selectors, services
from apps.evaluations.word import announcement_docx, opinions_docx
from tests import official_papers

from .factories import close_and_tally, evaluation, open_survey, step

pytestmark = pytest.mark.django_db


def test_opinions_and_announcement_are_official_papers(world):
    item = evaluation(world)
    for key in ("give_notice", "research", "hold_meeting"):
        item = step(world, item, key)
    services.set_opinion(
        actor=world.town_user, evaluation_id=item.pk, unit_id=world.unit_a.pk, opinion="办事流程有待简化"
    )
    s = open_survey(world, item)
    rows = selectors.rows(item)
    services.respond(
        actor=world.deputy_user, survey_id=s.pk, choices={r.unit_id: "dissatisfied" for r in rows}
    )
    close_and_tally(world, s)
    issuer = "城关镇人民代表大会主席团"
    doc = official_papers.check(opinions_docx(item), title=f"关于对{item.title}的评议意见", issuer=issuer)
    text = "\n".join(official_papers.texts(doc))
    assert "办事流程有待简化" in text and "整改方案" in text and world.deputy_a.name not in text
    doc = official_papers.check(announcement_docx(item), title=f"关于{item.title}结果的公告", issuer=issuer)
    text = "\n".join(official_papers.texts(doc))
    assert "不满意1票（100.0%）" in text and "整改" in text
