"""The main menu is built from the permission vocabulary: each role sees exactly the entries whose capability
it holds, grouped (at most seven groups), and every entry it sees opens."""

import re

import pytest
from django.urls import reverse

from apps.accounts import permissions as perms
from apps.accounts.menu import MENU, entries_for
from apps.accounts.models import RoleGrant
from apps.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["county_user", "town_user", "keeper_user", "deputy_user", "unit_user", "admin_user"]

# What templates/base.html showed each role before the menu was built from the vocabulary: every one of
# these links must stay reachable from the menu.
EVERYONE_SAW = {
    "opinions:list",
    "suggestions:list",
    "people:deputy_list",
    "places:station_list",
    "places:region_list",
    "places:unit_list",
}
OFFICES_SAW = {
    "opinions:reception_list",
    "meetings:list",
    "people:import",
    "people:quota",
    "opinions:stats",
    "suggestions:stats",
    "suggestions:motion_list",
    "elections:list",
    "duty:review",
    "duty:scores",
    "archive:commitments",
    "archive:meetings",
    "archive:registers",
    "archive:behind",
}
# Entries added since: the county office sets the townships' [local] rules.
NEW_FOR_COUNTY = {"localrules:rule_list"}
# Added since: the encrypted ballot boxes, for offices and deputies (who may be named tellers).
TELLERS = {"ballotbox:boxes"}
# Added on purpose (issue 17): every login has its own account page (password, SMS preferences); offices
# manage the accounts in their reach.
OWN_ACCOUNT = {"accounts:me"}
OFFICE_ACCOUNTS = {"accounts:account_list"}
# Added on purpose (issue 16 items 4, 7): group deliberation for offices, deputies (recorders) and units
# (digests sent to them); the township's agenda checklists for offices.
DELIBERATION = {"meetings:deliberation"}
CHECKLISTS = {"meetings:checklists"}
# Added on purpose (issue 16 item 6): resolutions followed up for offices and the units items go to.
RESOLUTIONS = {"meetings:resolutions_home"}
# Added on purpose (issue 16 item 9): a deputy answers invitations to co-sign on one page.
INVITATIONS = {"suggestions:invitations"}
# Added on purpose (issue 18): supervision for offices, deputies (their activities) and units (findings).
# Added on purpose (issue 18, wiring): its own group with the evaluations and the rectification items, which
# units (their ratings and items) and deputies (those they rate and review) reach too.
SUPERVISION = {"supervision:home", "evaluations:home", "rectification:list"}
# Added on purpose (issue 20 part 4): the year's calendar, for offices and deputies.
YEARPLAN = {"yearplan:list"}
# Added on purpose (issue 20 part 5): the county's and a town's dashboard, for offices.
DASHBOARDS = {"dashboards:home"}
# Added on purpose (issue 21): the procedure book and the rules book, for every login.
PROCEDURES = {"procedures:index", "procedures:rules"}
# Added on purpose (issue 19): the livelihood projects, for offices, deputies and units (their projects).
PROJECTS = {"projects:index"}
# Added on purpose (issue 20 parts 1-3): the township assessment, for the offices (a town its own).
ASSESSMENT = {"assessment:home"}
SAW_BEFORE = {
    "county_user": EVERYONE_SAW
    | PROCEDURES
    | OFFICES_SAW
    | NEW_FOR_COUNTY
    | TELLERS
    | OWN_ACCOUNT
    | OFFICE_ACCOUNTS
    | DELIBERATION
    | CHECKLISTS
    | RESOLUTIONS
    | SUPERVISION
    | YEARPLAN
    | DASHBOARDS
    | PROJECTS
    | ASSESSMENT,
    "town_user": EVERYONE_SAW
    | PROCEDURES
    | OFFICES_SAW
    | TELLERS
    | OWN_ACCOUNT
    | OFFICE_ACCOUNTS
    | DELIBERATION
    | CHECKLISTS
    | RESOLUTIONS
    | SUPERVISION
    | YEARPLAN
    | DASHBOARDS
    | PROJECTS
    | ASSESSMENT,
    "keeper_user": EVERYONE_SAW | PROCEDURES | {"opinions:reception_list", "meetings:list"} | OWN_ACCOUNT,
    "deputy_user": EVERYONE_SAW
    | PROCEDURES
    | {"opinions:reception_list", "meetings:list", "duty:mine", "archive:mine"}
    | TELLERS
    | OWN_ACCOUNT
    | DELIBERATION
    | INVITATIONS
    | SUPERVISION
    | YEARPLAN
    | PROJECTS,
    "unit_user": EVERYONE_SAW
    | PROCEDURES
    | OWN_ACCOUNT
    | DELIBERATION
    | RESOLUTIONS
    | SUPERVISION
    | PROJECTS,  # never co-signs
    "admin_user": EVERYONE_SAW | PROCEDURES | OFFICES_SAW | {"admin:index"} | OWN_ACCOUNT | OFFICE_ACCOUNTS,
}


@pytest.fixture
def people(world):
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    RoleGrant.objects.create(user=admin, role="admin")
    world.admin_user = admin
    return world


def _nav(client, user) -> str:
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    return page.split('<nav class="mainnav"', 1)[1].split("</nav>", 1)[0]


def test_the_menu_has_at_most_seven_groups_and_each_entry_a_declared_capability():
    assert len(MENU) <= 7
    for group in MENU:
        for entry in group.entries:
            assert perms.REGISTRY[entry.cap.name] is entry.cap


def test_county_clerk_sees_at_most_seven_groups(people, client):
    nav = _nav(client, people.county_user)
    groups = re.findall(r"<summary[^>]*>", nav)
    assert 1 < len(groups) <= 7


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_exactly_the_entries_whose_capability_it_holds(people, client, role):
    user = getattr(people, role)
    nav = _nav(client, user)
    held = perms.names_held(user)
    for group in MENU:
        for entry in group.entries:
            link = f'href="{reverse(entry.url_name)}"'
            assert (link in nav) == (entry.cap.name in held), (role, entry.url_name)
        shown = any(e.cap.name in held for e in group.entries)
        assert (f">{group.label}</summary>" in nav) == shown, (role, group.label)


@pytest.mark.parametrize("role", ROLES)
def test_every_link_a_role_saw_before_is_still_in_its_menu(people, role):
    user = getattr(people, role)
    shown = {e.url_name for _group, entries in entries_for(user) for e in entries}
    assert SAW_BEFORE[role] <= shown
    if role != "admin_user":  # an admin holds every capability, a deputy's own pages included
        assert shown == SAW_BEFORE[role]


@pytest.mark.parametrize("role", ROLES)
def test_every_entry_a_role_sees_opens_for_it(people, client, role):
    user = getattr(people, role)
    client.force_login(user)
    for _group, entries in entries_for(user):
        for entry in entries:
            resp = client.get(reverse(entry.url_name), follow=True)
            assert resp.status_code == 200, (role, entry.url_name)


def test_the_current_page_is_marked_in_its_group(people, client):
    client.force_login(people.county_user)
    page = client.get(reverse("duty:review")).content.decode()
    nav = page.split('<nav class="mainnav"', 1)[1].split("</nav>", 1)[0]
    assert f'href="{reverse("duty:review")}" aria-current="page"' in nav
    assert nav.count('aria-current="page"') == 1
    assert '<summary class="current">代表履职</summary>' in nav


def test_nobody_signed_out_gets_a_menu(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "<summary" not in page.split("<main", 1)[0]
