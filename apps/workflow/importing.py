"""Importing a township's existing ledger of tracked items (社情民意台账, 建议办理台账) from Excel.

The machinery is `common.importing` (every row checked, all or nothing, errors by row and column); what
this adds for tracked items: the target is one town the importer's office grant covers (a town office its
own, a county office any of its towns; another town's answers like a missing one), the rows start with the
ledger's title row, and each item is placed in its state by `services.place_imported`, so the engine names
it as imported in its timeline and audit trail.
"""

from __future__ import annotations

import hashlib
from abc import abstractmethod
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts import permissions as perms
from apps.audit.services import record
from apps.common.errors import CommonCode, ValidationFailed
from apps.common.importing import Importer, ImportResult, common_notes, read_upload, sheet_rows
from apps.common.importing import template_workbook as _workbook
from apps.people.models import Deputy
from apps.places.models import HandlingUnit, Region, RegionLevel
from apps.places.terms import terms_for

EARLIEST = date(2000, 1, 1)  # no ledger date before this


class LedgerImporter(Importer):
    """An importer of one item kind's ledger into one town; `source(row)` is what its audit event says.
    A kind names its `cap` (the permission that imports it) and `make_columns` (its columns, built per
    import so their labels follow the language); `import_file` imports a file. The checks both ledgers
    make (dates, their order, what a state needs) and the lookups of the town's units and deputies by name
    are here."""

    head_search = 3  # the ledger's merged title row above the header
    cap: str
    sheet = ""  # the template's sheet name
    notes: tuple = ()  # the template's notes after the common ones

    @staticmethod
    @abstractmethod
    def make_columns() -> list:
        """The kind's columns (each kind declares its own)."""

    def __init__(self, *, actor, region, file_name: str = "", file_sha256: str = ""):
        super().__init__(actor=actor, region=region)
        self.file_name, self.file_sha256 = file_name, file_sha256
        self.columns = self.make_columns()
        self.today = timezone.localdate()

    @classmethod
    def import_file(cls, *, actor, region: Region, fileobj, dry_run: bool = False) -> ImportResult:
        """Import the ledger `fileobj` into the town `region` (see `import_ledger`)."""
        return import_ledger(cls, cap=cls.cap, actor=actor, region=region, fileobj=fileobj, dry_run=dry_run)

    @classmethod
    def template_workbook(cls):
        """The blank ledger to fill in, with its notes."""
        return _workbook(cls.make_columns(), sheet=str(cls.sheet), notes=[*common_notes(), *cls.notes])

    def source(self, row) -> dict:
        return {"file_name": self.file_name, "file_sha256": self.file_sha256, "row": row.number}

    def town_units(self) -> ByName:
        """The active handling units of the town and of its county, by name."""
        town = self.region
        units = HandlingUnit.objects.filter(region_id__in=(town.pk, town.county_id), is_active=True)
        return ByName(units, what=_("承办单位"), town=town)

    def town_deputies(self) -> ByName:
        """The town's deputies, by name or "name（last four digits of the phone, or 代表码 prefix）"."""
        return ByName(
            Deputy.objects.filter(town=self.region),
            codes=lambda d: (d.phone[-4:] if d.phone else "", d.public_code.hex[:8]),
            what=_("代表"),
            town=self.region,
        )

    def check_dates(self, row, keys, *, ahead=()) -> None:
        """Each date of `keys` lies between 2000 and today (one of `ahead`, a time limit, until 2100)."""
        for key in keys:
            day = row.values.get(key)
            if day and not EARLIEST <= day <= (self.today if key not in ahead else date(2100, 1, 1)):
                self.error(row.number, self.header(key), _("日期应在2000年到今天之间"))

    def check_order(self, row, pairs) -> None:
        """In each (earlier, later) pair of date columns, the later is not before the earlier."""
        v = row.values
        for earlier, later in pairs:
            if v.get(earlier) and v.get(later) and v[later] < v[earlier]:
                self.error(
                    row.number, self.header(later), _("不能早于%(col)s") % {"col": self.header(earlier)}
                )

    def require_for_state(self, row, label, needs: dict[str, bool]) -> None:
        """Each column whose `needs` is true is filled, as the row's state `label` needs."""
        for key, needed in needs.items():
            if needed and not row.values.get(key):
                self.error(row.number, self.header(key), _("状态为“%(s)s”时必填") % {"s": label})


def bad_region() -> ValidationFailed:
    message = _("请选择导入到哪个镇（街道）")
    return ValidationFailed(message, code=CommonCode.IMPORT_BAD_REGION, fields={"region": [message]})


def import_ledger(
    importer: type[LedgerImporter], *, cap, actor, region: Region, fileobj, dry_run: bool = False
) -> ImportResult:
    """Import every row of the ledger into the town `region`, or nothing (`ImportRowsInvalid` lists each bad
    cell). With `dry_run`, checks and counts without keeping anything."""
    # Refused and logged unless an office grant covers the town: 404 for another town's, as if missing.
    perms.require_in(actor, cap, region)
    if region.level != RegionLevel.TOWN:
        raise bad_region()
    data = read_upload(fileobj)
    sheet = sheet_rows(data, head_rows=2)
    digest = hashlib.sha256(data).hexdigest()
    name = str(getattr(fileobj, "name", "") or "")[:200]
    result = ImportResult(kind=importer.kind, region=region.code, file_sha256=digest, dry_run=dry_run)
    job = importer(actor=actor, region=region, file_name=name, file_sha256=digest)
    with transaction.atomic():
        # Two imports into one town at once would both miss each other's rows as duplicates; take turns.
        Region.objects.select_for_update().filter(pk=region.pk).first()
        job.run(sheet, result)
        if dry_run:
            transaction.set_rollback(True)
        else:
            record(
                actor=actor,
                action=f"{importer.kind}.import",
                obj=region,
                summary={**result.as_dict(), "file_name": name, "details": job.details},
            )
    return result


class ByName:
    """Objects a ledger names (a handling unit, a deputy, a village): found by name when the name is one
    object's, else by "name（code）" where the code is one of `codes(obj)` (a deputy's 代表码 prefix or
    phone's last four digits, a region's official code)."""

    def __init__(self, objects, *, codes=lambda obj: (), what="", town=None):
        self.by_name: dict[str, list] = {}
        self.codes, self.what = codes, what
        self.here = terms_for(town).here  # 本镇 / 本街道
        for obj in objects:
            self.by_name.setdefault(obj.name, []).append(obj)

    def find(self, value: str):
        """(object, None) or (None, the reason people see)."""
        name, code = value, ""
        for left, right in (("（", "）"), ("(", ")")):
            if value.endswith(right) and left in value:
                name, _sep, code = value[: -len(right)].rpartition(left)
                name, code = name.strip(), code.strip()
                break
        found = self.by_name.get(name, [])
        if code:
            found = [o for o in found if any(c and c.lower() == code.lower() for c in self.codes(o))]
        if len(found) == 1:
            return found[0], None
        if found:
            return None, _("有%(n)d个同名的%(what)s，请写成“名称（代码）”") % {
                "n": len(found),
                "what": self.what,
            }
        return None, _("%(here)s找不到%(what)s“%(name)s”") % {
            "here": self.here,
            "what": self.what,
            "name": value,
        }
