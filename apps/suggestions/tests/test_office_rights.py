"""What only the office over a town does for its deputies, asked of the vocabulary: entering and editing a
suggestion for a deputy (`suggestion.manage`), entering a motion of the presidium (`motion.presidium`), and
the office's own parts of the item page. Every other role, another town's office and a deputy of another
town among them, is refused with 403 and an audit event, as before."""

import pytest
from django.urls import reverse

from apps.accounts import permissions as perms
from apps.audit.models import AuditEvent
from apps.common.errors import PermissionDenied
from apps.suggestions import services
from apps.suggestions.models import Motion, Suggestion

from .factories import deputy_a2_user, draft
from .test_pages import deputy_b_user, submitted

pytestmark = pytest.mark.django_db

PRESIDIUM = {"title": "关于镇区停车管理的议案", "content": "……", "by_presidium": True}


def _user(world, who):
    if who == "deputy_b_user":
        return deputy_b_user(world)
    if who == "deputy_a2_user":
        return deputy_a2_user(world)
    return getattr(world, who)


def _refusals(user, attempted):
    return AuditEvent.objects.filter(action="access.denied", actor=user, summary__attempted=attempted).count()


@pytest.mark.parametrize("who", ["town_user", "county_user"])
def test_the_office_over_the_town_enters_a_suggestion_for_its_deputy(world, who):
    item = draft(world, actor=getattr(world, who), lead=world.deputy_a.pk, co_signers=[])
    assert item.lead == world.deputy_a and item.region == world.town_a


OTHERS = ["town_b_user", "keeper_user", "unit_user", "deputy_b_user", "deputy_a2_user"]


@pytest.mark.parametrize("who", OTHERS)
def test_nobody_else_enters_a_suggestion_in_a_deputys_name(world, who):
    user = _user(world, who)
    with pytest.raises(PermissionDenied):
        draft(world, actor=user, lead=world.deputy_a.pk, co_signers=[])
    assert not Suggestion.objects.exists()
    assert _refusals(user, "suggestion.manage") == 1


@pytest.mark.parametrize("who", ["town_user", "county_user"])
def test_the_office_enters_a_presidium_motion_in_its_towns(world, who):
    data = {**PRESIDIUM, "region": world.town_a.code}
    motion = services.create_motion(actor=getattr(world, who), data=data)
    assert motion.by_presidium and motion.region == world.town_a


@pytest.mark.parametrize("who", ["town_b_user", "keeper_user", "unit_user", "deputy_user", "deputy_b_user"])
def test_nobody_else_enters_a_presidium_motion(world, who):
    user = _user(world, who)
    with pytest.raises(PermissionDenied):
        services.create_motion(actor=user, data={**PRESIDIUM, "region": world.town_a.code})
    assert not Motion.objects.exists()
    assert _refusals(user, "motion.presidium") == 1


def test_presidium_motions_are_office_work_in_the_vocabulary(world):
    assert perms.MOTION_PRESIDIUM.roles == perms.OFFICES
    assert perms.holds_in(world.town_user, perms.MOTION_PRESIDIUM, world.town_a)
    assert not perms.holds_in(world.town_user, perms.MOTION_PRESIDIUM, world.town_b)
    assert perms.holds_in(world.county_user, perms.MOTION_PRESIDIUM, world.town_b)
    assert not perms.holds_in(world.deputy_user, perms.MOTION_PRESIDIUM, world.town_a)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("deputy_user", 200),  # the lead
        # a deputy's draft is private to them and the co-signers invited (issue 16 item 10)
        ("town_user", 404),
        ("county_user", 404),
        ("deputy_a2_user", 403),  # invited to co-sign: reads it, may not edit it
        ("town_b_user", 404),
        ("deputy_b_user", 404),
        ("unit_user", 404),
    ],
)
def test_who_may_edit_a_draft(world, client, who, status):
    item = draft(world)
    client.force_login(_user(world, who))
    assert client.get(reverse("suggestions:edit", args=[item.pk])).status_code == status
    detail = client.get(reverse("suggestions:detail", args=[item.pk]))
    if status != 404:
        assert detail.context["can_edit"] is (status == 200)


@pytest.mark.parametrize(
    ("who", "office"),
    [("town_user", True), ("county_user", True), ("deputy_user", False), ("deputy_a2_user", False)],
)
def test_the_office_parts_of_the_item_page(world, client, who, office):
    item = submitted(world)
    client.force_login(_user(world, who))
    resp = client.get(reverse("suggestions:detail", args=[item.pk]))
    assert resp.status_code == 200 and resp.context["office"] is office
    assert bool(resp.context["key_members"]) is office


def test_a_co_signer_opening_the_leads_draft_to_edit_is_refused_with_the_reason_and_logged(world, client):
    item = draft(world)
    user = deputy_a2_user(world)
    client.force_login(user)
    resp = client.get(reverse("suggestions:edit", args=[item.pk]))
    assert resp.status_code == 403
    assert "只有领衔代表或人大办可以修改草稿或退回修改的建议" in resp.content.decode()
    refused = AuditEvent.objects.get(action="access.denied", actor=user)
    assert refused.summary == {"attempted": "change"}
    assert (refused.object_type, refused.object_id) == ("suggestions.suggestion", str(item.pk))


@pytest.mark.parametrize(
    ("page", "attempted", "reason"),
    [
        ("suggestions:new", "suggestion.submit", "只有代表本人或人大办可以提出建议"),
        ("suggestions:motion_new", "motion.submit", "只有代表或主席团可以提出议案"),
    ],
)
def test_who_drafts_nothing_is_refused_the_drafting_page_with_the_reason_and_logged(
    world, client, page, attempted, reason
):
    client.force_login(world.unit_user)
    resp = client.get(reverse(page))
    assert resp.status_code == 403 and reason in resp.content.decode()
    assert _refusals(world.unit_user, attempted) == 1
