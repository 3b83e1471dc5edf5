"""Excel import of deputies and households (导入代表 / 导入选民户).

One mechanism serves both kinds:
- a column spec per kind gives the header people see, whether the column is required, and how a cell is
  read; the downloadable template is built from the same spec, so template and importer cannot drift;
- every row is read and checked before anything is written, and every bad cell is reported with its Excel
  row number, column and reason: a file with any bad row writes nothing (`ImportRowsInvalid`);
- every row has a stable `import_key`, so importing the same file again finds the same records and changes
  nothing, and a corrected file updates only the fields that differ.
Empty cells never erase what is stored: an import fills in and corrects, it does not delete.

The mechanism is `common.importing` (shared with the ledger imports); this package holds what is people's:
`cells` (names, phones, ID numbers, terms), `columns` (the spec per kind), `reading` (where one may import),
`importer` (places, the default term), `deputies` and `households` (one importer each), `template`; this
module holds the entry points.
"""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from apps.audit.services import record
from apps.common.errors import ValidationFailed
from apps.places.models import Region

from ..errors import ErrorCode
from .cells import CellError, a_date, id_number, term_number
from .columns import COLUMNS, DEPUTY_COLUMNS, HOUSEHOLD_COLUMNS, Column
from .deputies import DeputyImporter
from .households import HouseholdImporter
from .importer import Importer, _default_term
from .reading import _check_target, _read_upload, _sheet_rows, regions_for_import
from .results import DEPUTIES, HOUSEHOLDS, KINDS, ImportResult, ImportRowsInvalid, RowError
from .template import template_workbook

__all__ = [
    "COLUMNS",
    "DEPUTIES",
    "DEPUTY_COLUMNS",
    "HOUSEHOLDS",
    "HOUSEHOLD_COLUMNS",
    "IMPORTERS",
    "KINDS",
    "CellError",
    "Column",
    "ImportResult",
    "ImportRowsInvalid",
    "RowError",
    "ValidationFailed",
    "_default_term",
    "a_date",
    "id_number",
    "import_deputies",
    "import_file",
    "import_households",
    "regions_for_import",
    "template_workbook",
    "term_number",
]


IMPORTERS: dict[str, type[Importer]] = {DEPUTIES: DeputyImporter, HOUSEHOLDS: HouseholdImporter}


def import_file(*, kind: str, actor, region: Region, fileobj, dry_run: bool = False) -> ImportResult:
    """Import every row of an .xlsx into `region`, or nothing: raises `ImportRowsInvalid` listing each bad
    row. With `dry_run`, checks and counts without keeping any change."""
    if kind not in IMPORTERS:
        raise ValidationFailed(
            _("不支持导入该类数据"),
            code=ErrorCode.IMPORT_BAD_KIND,
            fields={"kind": [_("不支持导入该类数据")]},
        )
    importer = IMPORTERS[kind](actor=actor, region=region)
    _check_target(actor, region)
    data = _read_upload(fileobj)
    sheet = _sheet_rows(data)
    result = ImportResult(
        kind=kind, region=region.code, file_sha256=hashlib.sha256(data).hexdigest(), dry_run=dry_run
    )
    with transaction.atomic():
        # Two imports into one region at once would both create the same new rows; take turns.
        Region.objects.select_for_update().filter(pk=region.pk).first()
        importer.run(sheet, result)
        if dry_run:
            transaction.set_rollback(True)
        else:
            # One event per import, also when nothing changed: who loaded which file stays on record.
            record(
                actor=actor,
                action=f"people.import.{kind}",
                obj=region,
                summary={
                    **result.as_dict(),
                    "file_name": getattr(fileobj, "name", "") or "",
                    "details": importer.details,
                },
            )
    return result


def import_deputies(*, actor, region: Region, fileobj, dry_run: bool = False) -> ImportResult:
    return import_file(kind=DEPUTIES, actor=actor, region=region, fileobj=fileobj, dry_run=dry_run)


def import_households(*, actor, region: Region, fileobj, dry_run: bool = False) -> ImportResult:
    return import_file(kind=HOUSEHOLDS, actor=actor, region=region, fileobj=fileobj, dry_run=dry_run)
