"""The [local] rules over the API: read what applies in a county or town, set or clear one value.

Thin: each operation parses with a schema and calls one selector or service with `request.user`.
"""

from __future__ import annotations

from datetime import datetime

from ninja import Query, Router, Schema

from apps.common.api import ERRORS, ErrorOut, Page, RegionRef, paginate
from apps.common.errors import NotFound
from apps.common.params import PageArg, PageSizeArg

from . import selectors, services

router = Router(tags=["localrules"])

# One JSON value of a rule: a number, a yes/no or a text, as its declaration says.
RuleValue = bool | int | str


class LocalRuleChoiceOut(Schema):
    value: int
    label: str


class LocalRuleOut(Schema):
    key: str
    label: str
    kind: str
    unit: str
    min: int | None
    max: int | None
    choices: list[LocalRuleChoiceOut]
    town_override: bool
    region: RegionRef | None
    value: RuleValue
    source: str
    default: RuleValue
    county_value: RuleValue | None
    town_value: RuleValue | None


def _out(e: selectors.Effective) -> dict:
    s = e.setting
    return {
        "key": s.key,
        "label": str(s.label),
        "kind": s.kind,
        "unit": str(s.unit),
        "min": s.min,
        "max": s.max,
        "choices": [{"value": v, "label": str(label)} for v, label in s.choices],
        "town_override": s.town_override,
        "region": e.region,
        "value": e.value,
        "source": e.source,
        "default": e.default,
        "county_value": e.county_value,
        "town_value": e.town_value,
    }


class LocalRuleFilters(Schema):
    region: str | None = None


@router.get("/local-rules", response={200: list[LocalRuleOut], 403: ErrorOut, 404: ErrorOut})
def list_local_rules(request, filters: Query[LocalRuleFilters]):
    """Every [local] rule as it applies in a county or town of the user's office (default: the office's
    own county or town), with the county's value, the town's own value and the declared default."""
    region = selectors.region_for(request.user, filters.region)
    return [_out(e) for e in selectors.local_values(region)]


class LocalRuleOverrideOut(Schema):
    region: RegionRef
    key: str
    value: RuleValue
    updated_by: str
    updated_at: datetime


class LocalRuleOverrideFilters(Schema):
    page: PageArg = 1
    page_size: PageSizeArg = None


@router.get("/local-rules/overrides", response=Page[LocalRuleOverrideOut])
def list_local_rule_overrides(request, filters: Query[LocalRuleOverrideFilters]):
    """The values set for counties and towns that the user may see (not the defaults)."""
    page = paginate(selectors.overrides(request.user), filters.page, filters.page_size)
    page["items"] = [
        {
            "region": r.region,
            "key": r.key,
            "value": r.value,
            "updated_by": r.updated_by.get_username() if r.updated_by else "",
            "updated_at": r.updated_at,
        }
        for r in page["items"]
    ]
    return page


@router.get("/local-rules/{region}/{key}", response={200: LocalRuleOut, 403: ErrorOut, 404: ErrorOut})
def get_local_rule(request, region: str, key: str):
    place = selectors.region_for(request.user, region)
    try:
        return _out(selectors.effective(key, place))
    except KeyError:
        raise NotFound() from None


class LocalRuleIn(Schema):
    value: RuleValue
    reason: str = ""


@router.put("/local-rules/{region}/{key}", response={200: LocalRuleOut, **ERRORS})
def set_local_rule(request, region: str, key: str, payload: LocalRuleIn):
    """Set the county's value, or a town's own value (county office only)."""
    place = selectors.region_for(request.user, region)
    done = services.set_value(
        actor=request.user, region=place, key=key, value=payload.value, reason=payload.reason
    )
    return _out(done)


@router.delete("/local-rules/{region}/{key}", response={200: LocalRuleOut, **ERRORS})
def clear_local_rule(request, region: str, key: str, reason: str = ""):
    """Clear a town's own value (it falls back to the county's) or the county's (to the default)."""
    place = selectors.region_for(request.user, region)
    return _out(services.clear_value(actor=request.user, region=place, key=key, reason=reason))
