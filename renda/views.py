"""The home page: what each role has to do today, across the apps (so it lives in the project, not in
apps/common, which imports no domain app)."""

from collections import Counter

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from apps.accounts.models import Role
from apps.accounts.scopes import grants_of, is_staff_role, office_regions, roles_of
from apps.people.models import Deputy, Household
from apps.places.models import Station
from apps.places.selectors import towns_with_counts

# To-do lines on the home page (overdue first); the to-do page lists them all.
HOME_LINES = 12


def home(request):
    """An anonymous visitor gets the public site (issue 17); a signed-in user their region at a glance: the
    county's towns, a town's figures, or the deputy's own page."""
    user = request.user
    if not user.is_authenticated:
        from apps.public.views import home as public_home

        return public_home(request)
    from renda.todo import todo

    lines = todo(user)
    ctx = {"roles": roles_of(user), "regions": office_regions(user), "todo": lines[:HOME_LINES]}
    ctx["todo_total"] = len(lines)
    ctx["todo_kinds"] = Counter(line.kind for line in lines).most_common()
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


@login_required
def todo_page(request):
    """Everything waiting for this person, grouped by kind of item, overdue first within each."""
    from renda.todo import todo

    groups: dict = {}
    for line in todo(request.user):
        groups.setdefault(line.kind, []).append(line)
    return render(request, "common/todo.html", {"groups": list(groups.items())})
