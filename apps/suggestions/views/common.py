"""Helpers every suggestions page shares."""

from __future__ import annotations

from dataclasses import replace

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import Role
from apps.accounts.scopes import grants_of, office_regions, roles_of
from apps.common.params import ID
from apps.places import selectors as place_selectors

# Transitions whose form is open on arrival: the next step of the usual path.
MAIN_STEPS = {"submit", "register", "assign", "reply", "solved"}
# Transitions that need no input: one button.
# Ids in links and forms, each named in its error message.
UNIT_ID = replace(ID, label=gettext_lazy("承办单位"))
OPINION_ID = replace(ID, label=gettext_lazy("社情民意"))
KEY_MEMBER_ID = replace(ID, label=gettext_lazy("督办的主席团成员"))
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _year_choices():
    this = timezone.localdate().year
    return list(range(this, this - 6, -1))


def _town_choices(user) -> list:
    """Towns to filter by, for those who work above one town (county office, admin)."""
    if "admin" in roles_of(user) or any(r.level != "town" for r in office_regions(user)):
        return list(place_selectors.regions(user, level="town")[:300])
    return []


def _place_name(user, region) -> str:
    if region is not None:
        return region.name
    regions = office_regions(user)
    if len(regions) == 1:
        return regions[0].name
    for g in grants_of(user):
        if g.role == Role.UNIT_STAFF:
            return g.unit.name
        if g.role == Role.DEPUTY:
            return _("%(name)s代表") % {"name": g.deputy.name}
    return ""
