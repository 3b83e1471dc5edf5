"""The home page: what each role has to do today, across the apps (so it lives in the project, not in
apps/common, which imports no domain app)."""

from django.shortcuts import render
from django.utils import timezone

from apps.accounts.models import Role
from apps.accounts.scopes import grants_of, is_staff_role, office_regions, roles_of
from apps.people.models import Deputy, Household
from apps.places.models import Station
from apps.places.selectors import towns_with_counts


def home(request):
    """An anonymous visitor gets the public site (issue 17); a signed-in user their region at a glance: the
    county's towns, a town's figures, or the deputy's own page."""
    user = request.user
    if not user.is_authenticated:
        from apps.public.views import home as public_home

        return public_home(request)
    from renda.todo import todo

    ctx = {"roles": roles_of(user), "regions": office_regions(user), "todo": todo(user)}
    if is_staff_role(user):
        from apps.calendar.selectors import holiday_warning

        ctx["holiday_warning"] = holiday_warning(timezone.localdate())
    from apps.accounts.scopes import visible_to

    ctx["counts"] = {
        "deputies": visible_to(user, Deputy).count(),
        "stations": visible_to(user, Station).count(),
        "households": visible_to(user, Household).count(),
    }
    from apps.opinions.selectors import home_counts

    ctx["opinions"] = home_counts(user)
    ctx["counties"] = [(r, towns_with_counts(user, r)) for r in ctx["regions"] if r.level == "county"]
    ctx["towns"] = [r for r in ctx["regions"] if r.level == "town"]
    ctx["deputy"] = next((g.deputy for g in grants_of(user) if g.role == Role.DEPUTY), None)
    ctx["stations_kept"] = [g.station for g in grants_of(user) if g.role == Role.STATION_KEEPER]
    ctx["units"] = [g.unit for g in grants_of(user) if g.role == Role.UNIT_STAFF]
    return render(request, "common/home.html", ctx)
