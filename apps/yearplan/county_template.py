"""The county's calendar template as data (县年度日历模板, issue 20 part 4): reads and writes.

- `specs_for(county_id, year)`: what generation reads, the county's template for the year, else its latest
  earlier one, else Cangxi's (`rules.CANGXI`, the default of a county with none).
- `create`: the county office starts a year's template, copied from last year's (or Cangxi's when the county
  has none); `add_line`, `change_line`, `remove_line` edit it. Every change is audited (the line before and
  after); only the county office holds `YEARPLAN_TEMPLATE`, and a template of another county is missing.
"""

from __future__ import annotations

from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.accounts.scopes import get_or_deny, records_refusals, visible_to
from apps.audit.services import record
from apps.common import text
from apps.common.errors import NotFound
from apps.common.errors import field_error as _fail

from . import rules
from .choices import ItemKind, LineRule
from .models import CalendarTemplate, TemplateLine

YEAR_MIN, YEAR_MAX = 2000, 2100
MAX_LINES = 60
FIELDS = ("kind", "title", "rule", "month", "day", "nth", "weekday")
BOUNDS = {"month": (1, 12), "day": (0, 31), "nth": (1, 5), "weekday": (0, 6)}


def specs_for(county_id, year: int) -> tuple[list[rules.LineSpec], str]:
    """The lines generation uses for a town of `county_id` in `year`, and where they come from."""
    found = (
        CalendarTemplate.objects.filter(region_id=county_id, year__lte=year).order_by("-year").first()
        if county_id
        else None
    )
    if found is None:
        return list(rules.CANGXI), "cangxi"
    return [spec(line) for line in found.lines.all()], f"county:{found.year}"


def spec(line: TemplateLine) -> rules.LineSpec:
    return rules.LineSpec(**{f: getattr(line, f) for f in FIELDS})


# --- reads --------------------------------------------------------------------------------------------------
def templates(user):
    return visible_to(user, CalendarTemplate, perms.YEARPLAN_TEMPLATE).select_related("region")


def template_for(user, pk: int) -> CalendarTemplate:
    """One template the user may edit; another county's is missing (404), and the refusal is logged."""
    return get_or_deny(user, CalendarTemplate, perms.YEARPLAN_TEMPLATE, pk=pk)


def line_for(template: CalendarTemplate, pk: int) -> TemplateLine:
    found = template.lines.filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


# --- writes -------------------------------------------------------------------------------------------------
def _clean(data: dict) -> dict:
    out = {}
    if data.get("kind") not in ItemKind.values:
        raise _fail("kind", _("请选择类别"))
    if data.get("rule") not in LineRule.values:
        raise _fail("rule", _("请选择频次"))
    out["kind"], out["rule"] = data["kind"], data["rule"]
    out["title"] = text.field_text("title", data.get("title") or "", 100, required=False, one_line=True)
    for name, (lo, hi) in BOUNDS.items():
        value = data.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            raise _fail(name, _("须在 %(a)s 到 %(b)s 之间") % {"a": lo, "b": hi})
        out[name] = value
    return out


@records_refusals()
def create(*, actor, county, year: int) -> CalendarTemplate:
    """Start `county`'s template for `year`: last year's lines copied, or Cangxi's when there is none."""
    if county.level != "county":
        raise _fail("county", _("模板属于一个县"))
    perms.require_in(actor, perms.YEARPLAN_TEMPLATE, county)
    if not isinstance(year, int) or not YEAR_MIN <= year <= YEAR_MAX:
        raise _fail("year", _("年度须在 %(a)s 到 %(b)s 之间") % {"a": YEAR_MIN, "b": YEAR_MAX})
    if CalendarTemplate.objects.filter(region=county, year=year).exists():
        raise _fail("year", _("%(y)s 年的模板已经存在") % {"y": year})
    return start(actor=actor, county=county, year=year)


def start(*, actor, county, year: int) -> CalendarTemplate:
    """`create`'s work, for a caller that has checked its actor (`actor=None`: the platform, as the demo)."""
    last = CalendarTemplate.objects.filter(region=county, year=year - 1).first()
    specs = [spec(line) for line in last.lines.all()] if last else list(rules.CANGXI)
    source = str(year - 1) if last else "cangxi"
    with transaction.atomic():
        template = CalendarTemplate.objects.create(region=county, year=year, copied_from=source)
        TemplateLine.objects.bulk_create(
            [TemplateLine(template=template, **{f: getattr(s, f) for f in FIELDS}) for s in specs]
        )
        record(
            actor=actor,
            action="yearplan.template_created",
            obj=template,
            summary={"year": year, "copied_from": source, "lines": len(specs)},
        )
    return template


@records_refusals()
def add_line(*, actor, template: CalendarTemplate, data: dict) -> TemplateLine:
    perms.require_in(actor, perms.YEARPLAN_TEMPLATE, template.region)
    fields = _clean(data)
    if template.lines.count() >= MAX_LINES:
        raise _fail("kind", _("模板最多 %(n)s 项") % {"n": MAX_LINES})
    with transaction.atomic():
        line = TemplateLine.objects.create(template=template, **fields)
        template.save(update_fields=["updated_at"])
        record(actor=actor, action="yearplan.template_line_added", obj=template, summary={"after": fields})
    return line


@records_refusals()
def change_line(*, actor, line: TemplateLine, data: dict) -> TemplateLine:
    perms.require_in(actor, perms.YEARPLAN_TEMPLATE, line.template.region)
    fields = _clean(data)
    before = model_to_dict(line, fields=FIELDS)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(line, name, value)
        line.save()
        line.template.save(update_fields=["updated_at"])
        record(
            actor=actor,
            action="yearplan.template_line_changed",
            obj=line.template,
            summary={"line": line.pk, "before": before, "after": fields},
        )
    return line


@records_refusals()
def remove_line(*, actor, line: TemplateLine) -> None:
    perms.require_in(actor, perms.YEARPLAN_TEMPLATE, line.template.region)
    before = model_to_dict(line, fields=FIELDS)
    with transaction.atomic():
        line.delete()
        line.template.save(update_fields=["updated_at"])
        record(
            actor=actor,
            action="yearplan.template_line_removed",
            obj=line.template,
            summary={"before": before},
        )
