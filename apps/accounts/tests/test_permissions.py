"""The permission vocabulary: capabilities by name, held by roles, anywhere or over one object."""

import pytest

from apps.accounts import permissions as perms
from apps.accounts.scopes import visible_to
from apps.accounts.tests.factories import UserFactory
from apps.people.models import Deputy

pytestmark = pytest.mark.django_db


def test_every_capability_is_named_once_and_held_by_known_roles():
    from apps.accounts.models import Role

    known = {r.value for r in Role} | {perms.SIGNED_IN, perms.SYSTEM}
    for name, cap in perms.REGISTRY.items():
        assert cap.name == name and cap.roles and cap.roles <= known, name
    with pytest.raises(ValueError):
        perms.capability("duty.review", "again", perms.OFFICES)


def test_offices_hold_office_capabilities_and_deputies_their_own(world):
    assert perms.holds(world.town_user, perms.DUTY_REVIEW)
    assert not perms.holds(world.deputy_user, perms.DUTY_REVIEW)
    assert perms.holds(world.deputy_user, perms.DUTY_OWN)
    assert not perms.holds(world.county_user, perms.DUTY_OWN)
    assert perms.holds(world.county_user, perms.DUTY_SCORES_PUBLISH)
    assert not perms.holds(world.town_user, perms.DUTY_SCORES_PUBLISH)


def test_held_over_an_object_follows_the_scope(world):
    assert perms.holds(world.town_user, perms.PEOPLE_EDIT, world.deputy_a)
    assert not perms.holds(world.town_b_user, perms.PEOPLE_EDIT, world.deputy_a)
    assert perms.holds(world.deputy_user, perms.DUTY_ENTER, world.deputy_a)  # themself
    assert not perms.holds(world.deputy_user, perms.DUTY_ENTER, world.deputy_a2)
    assert not perms.holds(world.keeper_user, perms.PEOPLE_EDIT, world.deputy_a)  # sees, may not change


def test_a_capability_scopes_a_list_like_an_action(world):
    mine = set(visible_to(world.town_user, Deputy, perms.PEOPLE_EDIT).values_list("pk", flat=True))
    assert mine == {world.deputy_a.pk, world.deputy_a2.pk}
    assert not visible_to(world.unit_user, Deputy, perms.PEOPLE_EDIT).exists()


def test_names_held_is_what_templates_read(world, client):
    assert "duty.review" in perms.names_held(world.town_user)
    assert "duty.review" not in perms.names_held(world.unit_user)
    assert "opinion.browse" in perms.names_held(UserFactory())  # signed in, no grant yet
    admin = UserFactory(is_superuser=True)
    assert perms.names_held(admin) == set(perms.REGISTRY)
    client.force_login(world.town_user)
    resp = client.get("/")
    assert "duty.review" in resp.context["perms_held"]


def test_nobody_signed_out_holds_anything():
    from django.contrib.auth.models import AnonymousUser

    anon = AnonymousUser()
    assert not perms.names_held(anon)
    assert not perms.holds(anon, perms.OPINION_BROWSE)
