"""Where one may import deputies and households (reading the workbook is `common.importing.reading`)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.accounts import permissions as perms
from apps.accounts.scopes import is_admin, office_regions
from apps.common.errors import CommonCode, ValidationFailed
from apps.common.importing import read_upload as _read_upload  # noqa: F401
from apps.common.importing import sheet_rows as _sheet_rows  # noqa: F401
from apps.places.models import Region, RegionLevel


def regions_for_import(user) -> list[Region]:
    """The counties and towns the user may import into: a county office's county and its towns, a town
    office's town; admins anywhere. The same rule as `covers_region`, listed for a form."""
    levels = [RegionLevel.COUNTY, RegionLevel.TOWN]
    if is_admin(user):
        q = Q()
    else:
        q = Q(pk__in=[])
        for region in office_regions(user):
            if region.level == RegionLevel.TOWN:
                q |= Q(pk=region.pk)
            elif region.level == RegionLevel.COUNTY:
                q |= Q(county=region)
            else:
                q |= Q(path__startswith=region.path)
    return list(Region.objects.filter(q, level__in=levels).order_by("path"))


def _within(region: Region, prefix: str = "") -> Q:
    """Rows of a model with denormalised county/town columns that lie in `region` (a county or town)."""
    column = "county" if region.level == RegionLevel.COUNTY else "town"
    return Q(**{f"{prefix}{column}": region.pk})


def _check_target(actor, region: Region):
    # Only offices whose grant covers the region (and admins) pass; anyone else is refused and logged.
    perms.require_in(actor, perms.PEOPLE_IMPORT, region)
    if region.level not in (RegionLevel.COUNTY, RegionLevel.TOWN):
        message = _("请选择导入到哪个镇（街道）或县")
        raise ValidationFailed(message, code=CommonCode.IMPORT_BAD_REGION, fields={"region": [message]})
