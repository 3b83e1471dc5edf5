"""An election round that mixed phones and paper (issue 16 item 2) says how many ballots came from each on
the hall screen (while open and once counted) and in the Excel tally report."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.elections import paper, services
from apps.elections.models import Round
from apps.elections.selectors import hall_round

from .factories import Hall
from .test_paper import _issue, _open, _phones, _totals

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall(world):
    return Hall(world, total=12)


def _open_mixed(hall):
    e, a, b = _open(hall)
    _phones(hall, e, a, b)  # eight on phones
    _issue(hall, e, [8, 9, 10, 11])  # four on paper
    return e, a, b


def _count(hall, e, a, b):
    services.close_and_count(actor=hall.world.town_user, round_id=e.pk)
    office, teller2 = hall.tellers
    paper.enter_paper_totals(actor=office, round_id=e.pk, totals=_totals(a, b))
    paper.confirm_paper_totals(actor=teller2, round_id=e.pk)
    hall.shares()
    return Round.objects.get(pk=e.pk)


def _figures(book_bytes) -> dict:
    ws = load_workbook(io.BytesIO(book_bytes)).active
    return {row[0]: row[1] for row in ws.iter_rows(values_only=True) if row and isinstance(row[0], str)}


def test_the_hall_screen_shows_phones_and_paper_of_an_election_round(client, hall, world):
    e, a, b = _open_mixed(hall)
    live = hall_round(hall.meeting)
    assert (live["phone_ballots"], live["paper_issued"], live["paper_ballots"]) == (8, 4, None)
    client.force_login(world.town_user)
    html = client.get(reverse("meetings:hall", args=[hall.meeting.pk])).content.decode()
    line = html.split('data-live-if="election.paper_issued"', 1)[1].split("</p>", 1)[0]
    assert "hidden" not in line.split(">", 1)[0]
    assert '<span data-live="election.phone_ballots">8</span>' in line
    assert '<span data-live="election.paper_issued">4</span>' in line
    _count(hall, e, a, b)
    live = hall_round(hall.meeting)
    assert (live["phone_ballots"], live["paper_issued"], live["paper_ballots"]) == (8, 4, 4)


def test_a_round_without_paper_hides_the_paper_line(client, hall, world):
    post = hall.post("head")
    hall.candidates(post, ["王明"])
    hall.open(post)
    assert hall_round(hall.meeting)["paper_issued"] == 0
    client.force_login(world.town_user)
    html = client.get(reverse("meetings:hall", args=[hall.meeting.pk])).content.decode()
    line = html.split('data-live-if="election.paper_issued"', 1)[1]
    assert line.split(">", 1)[0].strip().endswith("hidden")


def test_the_tally_report_has_rows_for_phone_and_paper_ballots(client, hall, world):
    e = _count(hall, *_open_mixed(hall))
    client.force_login(world.town_user)
    page = client.get(reverse("elections:tally", args=[e.pk]) + "?export=xlsx")
    figures = _figures(page.content)
    assert (figures["收回选票"], figures["其中手机投票"], figures["其中纸质选票"]) == (12, 8, 4)
    assert figures["发出纸质选票"] == 4
    api = client.get(f"/api/v1/elections/rounds/{e.pk}/report.xlsx")
    assert _figures(api.content)["其中纸质选票"] == 4
