"""What every import endpoint answers (the deputies' and the ledgers'): one class per schema name."""

from ninja import Schema

from apps.common.api import ErrorOut


class ImportOut(Schema):
    kind: str
    region: str
    file_sha256: str
    dry_run: bool
    rows: int
    created: int
    updated: int
    unchanged: int


class RowErrorOut(Schema):
    row: int
    column: str
    message: str


class ImportErrorOut(ErrorOut):
    rows: list[RowErrorOut] = []
