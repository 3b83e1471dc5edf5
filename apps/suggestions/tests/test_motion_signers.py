"""A motion of a township congress needs five or more of that congress's own deputies (DOMAIN §4 [law]: 乡镇
人大代表五人以上联名). A county deputy who lives in the town, or a deputy of another town's congress, does
not count toward the five (issue 14, item 6)."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.services import issue_token
from apps.accounts.tests.factories import user_with
from apps.people.models import DeputyLevel, MandateStatus
from apps.people.tests.factories import DeputyFactory, MandateFactory
from apps.suggestions import rules, services
from apps.suggestions.models import Motion, Signature, SignatureStatus
from apps.workflow.errors import IllegalTransition

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 10)
TERM = (date(2021, 10, 1), date(2026, 12, 31))
TOWN_A, TOWN_B, COUNTY = 11, 12, 1


def _m(level=DeputyLevel.TOWN, region=TOWN_A, status=MandateStatus.IN_OFFICE, term=TERM):
    return (level, region, status, *term)


# --- the rule, over values ----------------------------------------------------------------------------------


def test_the_rule_names_the_same_values_as_the_models():
    assert rules.TOWN_LEVEL == DeputyLevel.TOWN
    assert rules.IN_OFFICE == MandateStatus.IN_OFFICE


@pytest.mark.parametrize(
    ("mandates", "counts"),
    [
        ([_m()], True),  # a deputy of this town's congress
        ([_m(DeputyLevel.COUNTY, COUNTY)], False),  # a county deputy only
        ([_m(DeputyLevel.COUNTY, COUNTY), _m()], True),  # county and town: the town seat counts
        ([_m(region=TOWN_B)], False),  # a deputy of another town's congress
        ([_m(status=MandateStatus.SUSPENDED)], False),
        ([_m(status=MandateStatus.RECALLED)], False),
        ([_m(status=MandateStatus.RESIGNED)], False),
        ([_m(term=(date(2016, 10, 1), date(2021, 9, 30)))], False),  # an earlier term
        ([_m(term=(date(2026, 10, 1), date(2031, 9, 30)))], False),  # not begun yet
        ([], False),
    ],
)
def test_who_sits_in_the_town_congress(mandates, counts):
    assert rules.sits_in_town_congress(mandates, town_id=TOWN_A, today=TODAY) is counts


def test_the_problem_counts_only_the_towns_deputies_and_names_the_others():
    assert rules.motion_signer_problem(by_presidium=False, confirmed=5, minimum=5) is None
    assert (
        rules.motion_signer_problem(by_presidium=True, confirmed=0, minimum=5, not_counted=["王五"]) is None
    )
    problem = rules.motion_signer_problem(
        by_presidium=False, confirmed=4, minimum=5, not_counted=["王五", "钱七"]
    )
    assert problem.startswith("代表联名提出议案须有5名以上代表确认联名，目前只有4名")
    assert "王五、钱七不是本镇在任的镇人大代表" in problem and "不计入联名人数" in problem
    assert rules.motion_signer_problem(by_presidium=False, confirmed=4, minimum=5) == (
        "代表联名提出议案须有5名以上代表确认联名，目前只有4名"
    )


# --- the motion, end to end ---------------------------------------------------------------------------------


def _deputy(world, name, *, mandates=(("town", "a"),), town="a"):
    """A deputy living in town `town` with mandates at ("town"|"county", "a"|"b"|"county")."""
    regions = {"a": world.town_a, "b": world.town_b, "county": world.county}
    village = world.village_a if town == "a" else world.village_b
    d = DeputyFactory(name=name, region=village, station=world.station_a if town == "a" else world.station_b)
    for level, where in mandates:
        MandateFactory(deputy=d, level=level, congress_region=regions[where])
    d.user = user_with("deputy", f"u-{name}", deputy=d)
    d.save()
    return d


def _api(user):
    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user=user)}")


def _post(user, path, body=None):
    return _api(user).post(f"/api/v1{path}", body or {}, content_type="application/json")


def _motion(world, co):
    motion = services.create_motion(
        actor=world.deputy_user,
        data={
            "title": "关于设立月河流域保护专项资金的议案",
            "content": "……",
            "co_signers": [d.pk for d in co],
        },
    )
    for d in co:
        services.respond(actor=d.user, item=motion, accept=True)
    return motion


def test_a_county_only_deputy_does_not_count_toward_the_five(world):
    town = [_deputy(world, f"镇代表{i}") for i in range(3)]
    both = _deputy(world, "两级代表", mandates=(("county", "county"), ("town", "a")))
    motion = _motion(world, [*town, both])  # the lead and four town deputies: five
    # the town mandate of the deputy who is also a county deputy is recalled: a county deputy only now
    both.mandates.filter(level=DeputyLevel.TOWN).update(status=MandateStatus.RECALLED)
    with pytest.raises(IllegalTransition) as caught:
        services.act_motion(actor=world.deputy_user, motion=motion, key="submit")
    message = str(caught.value.message)
    assert "目前只有4名" in message and "两级代表不是本镇在任的镇人大代表" in message
    refused = _post(world.deputy_user, f"/motions/{motion.pk}/actions/submit")
    assert refused.status_code == 409 and refused.json()["message"] == message
    body = _api(world.deputy_user).get(f"/api/v1/motions/{motion.pk}").json()
    assert body["confirmed"] == 5 and body["counted"] == 4
    assert body["not_counted"] == [{"id": both.pk, "name": "两级代表"}]
    assert Motion.objects.get(pk=motion.pk).state == "draft"

    # a town deputy does count: a fifth one makes it
    fifth = _deputy(world, "第五位")
    Signature.objects.create(motion=motion, deputy=fifth)
    services.respond(actor=fifth.user, item=motion, accept=True)
    motion = services.act_motion(actor=world.deputy_user, motion=motion, key="submit")
    assert motion.state == "submitted"


def test_a_deputy_of_another_town_does_not_count(world):
    town = [_deputy(world, f"镇代表{i}") for i in range(3)]
    motion = _motion(world, town)
    # a deputy living in town A but elected to town B's congress, confirmed on an older record
    elsewhere = _deputy(world, "外镇代表", mandates=(("town", "b"),))
    Signature.objects.create(motion=motion, deputy=elsewhere, status=SignatureStatus.CONFIRMED)
    assert motion.signatures.filter(status=SignatureStatus.CONFIRMED).count() == 5
    with pytest.raises(IllegalTransition) as caught:
        services.act_motion(actor=world.deputy_user, motion=motion, key="submit")
    assert "目前只有4名" in str(caught.value.message) and "外镇代表" in str(caught.value.message)


def test_only_the_towns_deputies_are_invited_to_sign(world):
    county_only = _deputy(world, "县代表", mandates=(("county", "county"),))
    elsewhere = _deputy(world, "外镇代表", mandates=(("town", "b"),))
    town = _deputy(world, "镇代表")
    for outsider in (county_only, elsewhere):
        resp = _post(
            world.deputy_user,
            "/motions",
            {"title": "议案", "content": "内容", "co_signers": [town.pk, outsider.pk]},
        )
        assert resp.status_code == 400, resp.content
        body = resp.json()
        assert body["fields"]["co_signers"] == [
            f"{outsider.name}不是本镇在任的镇人大代表（如只是县人大代表），不能联名本镇议案"
        ]
    # a county deputy cannot lead a motion of the town congress either
    resp = _post(county_only.user, "/motions", {"title": "议案", "content": "内容", "co_signers": [town.pk]})
    assert resp.status_code == 400 and "lead" in resp.json()["fields"]
    assert not Motion.objects.exists()
    resp = _post(world.deputy_user, "/motions", {"title": "议案", "content": "内容", "co_signers": [town.pk]})
    assert resp.status_code == 201 and resp.json()["counted"] == 1 and resp.json()["not_counted"] == []


def test_the_motion_pages_offer_and_count_only_the_towns_deputies(world, client):
    county_only = _deputy(world, "县代表", mandates=(("county", "county"),))
    town = [_deputy(world, f"镇代表{i}") for i in range(4)]
    client.force_login(world.deputy_user)
    form = client.get(reverse("suggestions:motion_new")).content.decode()
    assert "镇代表0" in form and "县代表" not in form
    assert "须有5名以上本镇人大代表确认联名" in form
    resp = client.post(
        reverse("suggestions:motion_new"),
        {"title": "关于月河保护的议案", "content": "……", "co_signers": [town[0].pk, county_only.pk]},
    )
    assert resp.status_code == 400 and not Motion.objects.exists()

    motion = _motion(world, town)
    town[0].mandates.update(level=DeputyLevel.COUNTY, congress_region=world.county)
    body = client.get(motion.get_absolute_url()).content.decode()
    assert "5人，计入4人" in body and "不计入" in body
    resp = client.post(reverse("suggestions:motion_act", args=[motion.pk, "submit"]))
    assert resp.status_code == 409
    text = resp.content.decode()
    assert "目前只有4名" in text and "镇代表0不是本镇在任的镇人大代表" in text
