"""Steps that cannot be undone ask once, saying what will happen (issue 16 item 13): the button carries
`data-confirm` with the Chinese text, and static/renda/renda.js asks before the form is sent."""

from pathlib import Path

from django.conf import settings
from django.test import Client


def _html(user, path, **params):
    c = Client()
    c.force_login(user)
    r = c.get(path, params)
    assert r.status_code == 200
    return r.content.decode()


def test_the_script_asks_before_sending_a_form_with_data_confirm():
    js = (Path(settings.BASE_DIR) / "static/renda/renda.js").read_text()
    assert 'getAttribute("data-confirm")' in js and "window.confirm(" in js and "preventDefault" in js


def test_closing_a_vote_asks_on_the_chair_page_and_the_meeting_page(world):
    from apps.meetings.tests.factories import add_deputies, open_with_vote

    deputies = add_deputies(world, 3)
    meeting, _vote = open_with_vote(world, deputies)
    for path in (f"/meetings/{meeting.pk}/chair/", f"/meetings/{meeting.pk}/"):
        html = _html(world.town_user, path)
        assert 'data-confirm="结束表决后不能再投票' in html


def test_publishing_scores_asks(world):
    from apps.duty.tests.factories import YEAR, default_table

    default_table(world.county, year=YEAR)
    html = _html(world.county_user, "/duty/scores/", year=YEAR)
    assert "公布本季度得分" in html and 'data-confirm="公布后，代表本人和公众将看到' in html


def test_closing_a_report_back_rating_asks(world):
    from apps.archive.tests.factories import open_meeting

    m = open_meeting(world)
    html = _html(world.town_user, f"/archive/report-back/{m.pk}/")
    assert "结束测评" in html and "data-confirm=" in html and "不能撤回" in html


def test_bulk_approval_asks(world):
    html = _html(world.town_user, "/duty/review/")
    assert 'data-confirm="勾选的记录将全部审核通过' in html
