"""What an import reports: the counts, and each bad row with its Excel row number, column and reason."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from apps.common.errors import CommonCode, ValidationFailed

# The template's example row starts its name with this, and such rows are skipped, so a filled template
# that still carries the example imports cleanly.
EXAMPLE_PREFIX = "示例"
AUDIT_DETAIL_LIMIT = 500  # per-row details kept in the audit event; the counts are always complete


@dataclass(frozen=True)
class RowError:
    row: int  # as Excel numbers it: the header is row 1
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": str(self.message)}


class ImportRowsInvalid(ValidationFailed):
    """Some rows are bad; nothing was imported. Carries every bad cell, not just the first."""

    code = CommonCode.IMPORT_ROWS_INVALID

    def __init__(self, errors: list[RowError]):
        self.errors = sorted(errors, key=lambda e: e.row)
        self.bad_rows = len({e.row for e in errors})
        message = _("文件有 %(n)d 行错误，未导入任何数据。请修改后重新上传。") % {"n": self.bad_rows}
        super().__init__(message, fields={"file": [message]})

    def as_dict(self) -> dict:
        return {**super().as_dict(), "rows": [e.as_dict() for e in self.errors]}


@dataclass
class ImportResult:
    kind: str
    region: str  # the target region's code
    file_sha256: str
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "region": self.region,
            "file_sha256": self.file_sha256,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


def file_error(code, message) -> ValidationFailed:
    return ValidationFailed(message, code=code, fields={"file": [message]})
