"""What more than one duty service checks."""

from __future__ import annotations

from apps.accounts.models import Role
from apps.accounts.scopes import CHANGE, deny, grants_of, is_admin


def require_county_office(actor, county):
    """Only the county office (or an admin) sets the county's points table and publishes its scores."""
    if is_admin(actor):
        return
    if any(g.role == Role.COUNTY_OFFICE and g.region_id == county.pk for g in grants_of(actor)):
        return
    deny(actor, CHANGE, county)
