"""Helpers for archive tests: commitments, a report-back meeting with voters who have phones, and the two
office staff who are its rating's tellers (the town office, and the county office as the second by
default): their key shares before it opens, their shares of the decryption after it closes."""

from datetime import date

from apps.archive import services
from apps.ballotbox import services as ballotbox
from apps.people.models import Voter
from apps.people.tests.factories import HouseholdFactory


def commitment(world, *, deputy=None, title="修通月河村三组便民桥", target=None, actor=None):
    deputy = deputy or world.deputy_a
    return services.create_commitment(
        actor=actor or world.town_user,
        deputy_id=deputy.pk,
        data={"title": title, "detail": "争取资金，年内完工", "target_date": target or date(2026, 10, 31)},
    )


def voters(world, n=3, *, region=None):
    """n registered voters of 城关镇 with phones 13800000000, 13800000001, ..."""
    household = HouseholdFactory(region=region or world.grid_a, contact_deputy=world.deputy_a)
    return [Voter.objects.create(household=household, name=f"选民{i}", phone=f"138{i:08d}") for i in range(n)]


def meeting(world, *, deputies=None, actor=None, on=date(2026, 12, 10), expected=3):
    """Three voter representatives expected unless told: one rating reaches the default third."""
    deputies = deputies or [world.deputy_a, world.deputy_a2]
    return services.plan_meeting(
        actor=actor or world.town_user,
        region_id=world.town_a.pk,
        data={"date": on, "place": "月河村委会", "expected_voters": expected},
        deputy_ids=[d.pk for d in deputies],
    )


# The tellers' secret codes by meeting: what the two staff members keep on paper between the steps.
CODES: dict[int, dict] = {}


def prepare(world, item, *, second=None, actor=None):
    """`prepare_rating` with the county office as the second teller unless told."""
    return services.prepare_rating(
        actor=actor or world.town_user,
        meeting_id=item.pk,
        second_teller=(second or world.county_user).pk,
    )


def make_keys(world, item, users=None):
    """Each teller of the meeting's box makes their key share on the desk (all, unless told which)."""
    users = users or [world.town_user, world.county_user]
    codes = CODES.setdefault(item.pk, {})
    for user in users:
        codes[user], _n = ballotbox.make_teller_keys(actor=user)
    return codes


def open_meeting(world, **kw):
    """A meeting prepared, keyed by both tellers and opened."""
    item = meeting(world, **kw)
    prepare(world, item)
    make_keys(world, item)
    return services.open_rating(actor=world.town_user, meeting_id=item.pk)


def tally(world, item, users=None):
    """The tellers give their shares of the decryption (all, unless told which); the last one files the
    result."""
    codes = CODES[item.pk]
    for user in users or list(codes):
        ballotbox.submit_shares(actor=user, code=codes[user])
    return type(item).objects.get(pk=item.pk)


def close(world, item):
    """Close the rating and let both tellers decrypt the totals: the result is filed."""
    services.close_rating(actor=world.town_user, meeting_id=item.pk)
    return tally(world, item)


def ballot(world, choice_a="satisfied", choice_a2="basic"):
    return {world.deputy_a.pk: choice_a, world.deputy_a2.pk: choice_a2}


def close_unrated(world, item):
    """Close a rating nobody took part in: only with the recorded override (too few voters rated); the
    tellers then decrypt the (empty) totals."""
    services.close_rating_anyway(
        actor=world.town_user, meeting_id=item.pk, reason="测试：会上未组织测评，仅归档述职报告"
    )
    return tally(world, item)
