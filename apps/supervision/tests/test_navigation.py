"""The supervision home links to the department evaluations and the rectification items with counts, as each
role sees them, and the menu's 监督工作 group holds all three (issue 18, wiring)."""

import pytest

from apps.accounts.menu import entries_for
from apps.evaluations.tests.factories import evaluation
from apps.rectification import services as rectification

pytestmark = pytest.mark.django_db


def _linked(client, user) -> str:
    client.force_login(user)
    page = client.get("/supervision/").content.decode()
    return page.split('id="linked"', 1)[1].split("</section>", 1)[0]


def test_the_home_links_evaluations_and_rectification_with_counts(world, client):
    evaluation(world)
    rectification.open_item(
        actor=world.town_user,
        region=world.town_a,
        unit=world.unit_a,
        title="护栏缺失",
        reviewers=[world.deputy_a],
    )
    html = _linked(client, world.town_user)
    assert 'href="/supervision/evaluations/"' in html and 'href="/supervision/rectifications/"' in html
    assert "共 1 次，进行中 1 次" in html and "未办结 1 件" in html
    assert "未办结 1 件" in _linked(client, world.unit_user)  # the unit's own item
    assert "未办结 1 件" in _linked(client, world.deputy_user)  # the deputy reviews it
    other = _linked(client, world.town_b_user)
    assert "共 0 次" in other and "未办结 0 件" in other


def test_the_menu_groups_supervision_for_offices_deputies_and_units(world):
    for user in (world.town_user, world.deputy_user, world.unit_user):
        groups = {str(g.label): [e.url_name for e in entries] for g, entries in entries_for(user)}
        # the group opens with these three (the year's calendar and the livelihood projects follow)
        assert groups["监督工作"][:3] == ["supervision:home", "evaluations:home", "rectification:list"]
