"""A report-back rating closes only once enough voters have rated (DOMAIN §8; issue 14, item 8): a share of
the expected voter representatives, set per township as a [local] rule (one third by default). Short of it,
the office closes it only by the override step, whose reason is recorded on the step and in the audit log.
Through the rules, the services, the API and the page."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from apps.accounts.services import issue_token
from apps.archive import rules, selectors, services
from apps.archive.models import ReportBackMeeting, ReportBackSpeaker
from apps.audit.models import AuditEvent
from apps.common import conf
from apps.common.errors import NotFound, ValidationFailed
from apps.duty.models import ActivityKind, DutyRecord
from apps.localrules.services import set_value
from apps.workflow.errors import IllegalTransition
from apps.workflow.services import steps_of

from .factories import ballot, make_keys, meeting, prepare, tally, voters

pytestmark = pytest.mark.django_db
API = "/api/v1/archive"
KEY = "REPORT_BACK_MIN_RATED_SHARE"


# --- the rule -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "share", "need"),
    [(50, 33, 17), (3, 33, 1), (30, 33, 10), (100, 33, 34), (55, 33, 19), (10, 67, 7), (10, 50, 5),
     (10, 25, 3), (10, 20, 2), (50, 0, 0)],
)  # fmt: skip
def test_the_fewest_raters_are_the_share_of_the_expected_voters_rounded_up(expected, share, need):
    assert rules.min_raters(expected, share) == need


def test_the_shares_offered_are_the_shares_the_rule_knows_and_the_default_is_one_third():
    setting = conf.declared(KEY)
    assert setting.local and setting.town_override and setting.default == 33
    assert {v for v, _label in setting.choices} == set(rules.RATED_SHARES)
    assert rules.share_label(33) == "三分之一"


def test_the_message_says_how_many_rated_and_how_many_are_needed():
    assert rules.too_few_raters(17, 50, 33) is None
    problem = rules.too_few_raters(3, 50, 33)
    assert problem.startswith("参评选民只有3人，不足应到选民代表50人的三分之一（至少17人），不能结束测评")
    assert "参评人数不足，仍结束测评" in problem


# --- the services -----------------------------------------------------------------------------------------


def _rated_meeting(world, *, expected=50, rated=3):
    v = voters(world, rated)
    m = meeting(world, expected=expected)
    prepare(world, m)
    make_keys(world, m)
    services.open_rating(actor=world.town_user, meeting_id=m.pk)
    for voter in v:
        services.cast_rating(token=m.rating_token, phone=voter.phone, choices=ballot(world))
    return m


def test_a_handful_of_voters_cannot_close_the_rating(world):
    m = _rated_meeting(world)
    with pytest.raises(IllegalTransition) as caught:
        services.close_rating(actor=world.town_user, meeting_id=m.pk)
    assert "参评选民只有3人" in str(caught.value.message) and "至少17人" in str(caught.value.message)
    m.refresh_from_db()
    assert m.state == "rating" and m.participants is None
    assert not DutyRecord.objects.filter(kind=ActivityKind.REPORT_BACK).exists()
    assert ReportBackSpeaker.objects.filter(meeting=m, satisfied__isnull=False).count() == 0


def test_the_override_needs_a_reason_and_records_it(world):
    m = _rated_meeting(world)
    for blank in ("", "   "):
        with pytest.raises(ValidationFailed) as caught:
            services.close_rating_anyway(actor=world.town_user, meeting_id=m.pk, reason=blank)
        assert "reason" in caught.value.fields
    with pytest.raises(NotFound):  # another town's office: out of sight
        services.close_rating_anyway(actor=world.town_b_user, meeting_id=m.pk, reason="雨天")
    reason = "暴雨，多数选民代表未能到会，经主席团同意按实到人数归档"
    m = services.close_rating_anyway(actor=world.town_user, meeting_id=m.pk, reason=reason)
    assert m.state == "counting" and m.participants == 3
    m = tally(world, m)  # the two tellers decrypt the totals: the result is filed
    assert m.state == "closed"
    step = steps_of(m).get(transition="close_rating_anyway")
    assert step.reason == reason and step.actor == world.town_user
    event = AuditEvent.objects.get(action="archive.report_back.rating_closed_anyway")
    assert event.reason == reason
    # the result is filed and counts, as with an ordinary close
    s = ReportBackSpeaker.objects.get(meeting=m, deputy=world.deputy_a)
    assert (s.satisfied, s.basic, s.dissatisfied) == (3, 0, 0)
    assert DutyRecord.objects.filter(kind=ActivityKind.REPORT_BACK).count() == 2
    assert selectors.rating_progress(m)["closed_anyway_reason"] == reason


def test_enough_voters_close_it_and_the_override_is_not_offered(world):
    m = _rated_meeting(world, expected=9, rated=3)
    with pytest.raises(IllegalTransition) as caught:
        services.close_rating_anyway(actor=world.town_user, meeting_id=m.pk, reason="无")
    assert "已达到最低比例" in str(caught.value.message)
    m = services.close_rating(actor=world.town_user, meeting_id=m.pk)
    assert m.state == "counting"
    assert not steps_of(m).filter(transition="close_rating_anyway").exists()


def test_each_township_sets_its_own_share(world):
    # the county asks for half; 城关镇 keeps a quarter of its own
    set_value(actor=world.county_user, region=world.county, key=KEY, value=50)
    set_value(actor=world.county_user, region=world.town_a, key=KEY, value=25)
    m = _rated_meeting(world, expected=8, rated=2)  # 2 of 8: a quarter, not a half
    assert selectors.rating_progress(m)["need"] == 2
    assert services.close_rating(actor=world.town_user, meeting_id=m.pk).state == "counting"
    set_value(actor=world.county_user, region=world.town_a, key=KEY, value=None)  # back to the county's half
    m = _rated_meeting(world, expected=8, rated=0)
    progress = selectors.rating_progress(m)
    assert progress["need"] == 4 and progress["share"] == "二分之一"
    with pytest.raises(IllegalTransition):
        services.close_rating(actor=world.town_user, meeting_id=m.pk)


# --- the API and the page -------------------------------------------------------------------------------


def _api(user):
    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user=user)}")


def test_the_api_explains_refuses_and_takes_the_override(world):
    m = _rated_meeting(world)
    office = _api(world.town_user)
    body = office.get(f"{API}/report-backs/{m.pk}").json()
    assert (body["rated"], body["min_raters"], body["min_share"]) == (3, 17, "三分之一")
    assert body["shortfall"].startswith("参评选民只有3人")
    r = office.post(f"{API}/report-backs/{m.pk}/close")
    assert r.status_code == 409
    assert r.json()["code"] == "illegal_transition" and r.json()["message"] == body["shortfall"]
    r = office.post(
        f"{API}/report-backs/{m.pk}/close-anyway", {"reason": " "}, content_type="application/json"
    )
    assert r.status_code == 400 and "reason" in r.json()["fields"]
    other = _api(world.town_b_user)
    r = other.post(
        f"{API}/report-backs/{m.pk}/close-anyway", {"reason": "x"}, content_type="application/json"
    )
    assert r.status_code == 404
    r = office.post(
        f"{API}/report-backs/{m.pk}/close-anyway",
        {"reason": "选民代表大多外出务工"},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["state"] == "counting" and body["closed_anyway_reason"] == "选民代表大多外出务工"
    assert body["shortfall"] is None and body["speakers"][0]["satisfied"] is None
    assert [t["owes"] for t in body["tellers"]] == ["share", "share"]
    tally(world, m)
    body = office.get(f"{API}/report-backs/{m.pk}").json()
    assert body["state"] == "closed" and body["speakers"][0]["satisfied"] == 3


def test_the_page_shows_the_shortfall_and_closes_only_with_a_reason(world, client):
    m = _rated_meeting(world)
    client.force_login(world.town_user)
    url = reverse("archive:meeting", args=[m.pk])
    html = client.get(url).content.decode()
    assert "已参评 3 人，至少须 17 人（应到选民代表的三分之一）" in html
    assert "参评选民只有3人" in html and 'value="close_anyway"' in html and 'value="close"' not in html
    r = client.post(url, {"action": "close"})
    assert r.status_code == 302
    assert any("参评选民只有3人" in str(msg) for msg in get_messages(r.wsgi_request))
    r = client.post(url, {"action": "close_anyway", "reason": ""})
    assert any("须说明仍结束测评的理由" in str(msg) for msg in get_messages(r.wsgi_request))
    assert ReportBackMeeting.objects.get(pk=m.pk).state == "rating"
    client.post(url, {"action": "close_anyway", "reason": "选民代表大多外出务工"})
    assert ReportBackMeeting.objects.get(pk=m.pk).state == "counting"
    tally(world, m)
    assert ReportBackMeeting.objects.get(pk=m.pk).state == "closed"
    html = client.get(url).content.decode()
    assert "参评人数不足" in html and "选民代表大多外出务工" in html
