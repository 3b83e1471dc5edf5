"""The mechanism every Excel import shares: read the header, read and check every row, then write, all in
the caller's transaction; any bad row and nothing is written."""

from __future__ import annotations

import hashlib
import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from apps.common.errors import CommonCode

from .cells import CellError, _as_text, _blank
from .results import AUDIT_DETAIL_LIMIT, EXAMPLE_PREFIX, ImportResult, ImportRowsInvalid, RowError, file_error


@dataclass(frozen=True)
class Column:
    # Headers are a file format, not interface text: the same in every interface language, so a template
    # downloaded in English imports like one downloaded in Chinese.
    header: str
    key: str
    parse: Callable
    required: bool = False
    help: str = ""
    example: object = ""
    number_format: str = "@"  # Excel's "text", so long digit strings keep every digit
    options: str = ""  # a drop-down list in the template: "是,否"


def norm_header(value) -> str:
    return re.sub(r"[\s*＊]", "", _as_text(value)) if not _blank(value) else ""


def in_chunks(qs, lookup: str, values, size: int = 2000) -> list:
    """`qs.filter(<lookup>__in=values)`, a few thousand values per query: SQLite refuses a statement with more
    than 32766 parameters, and a file may have 20000 rows."""
    values = list(values)
    return [
        obj
        for i in range(0, len(values), size)
        for obj in qs.filter(**{f"{lookup}__in": values[i : i + size]})
    ]


def row_key(*parts) -> str:
    return hashlib.sha256("\n".join(str(p or "") for p in parts).encode()).hexdigest()


@dataclass
class Row:
    number: int
    values: dict
    key: str = ""
    found: object = None  # the existing record this row updates, if any
    extra: dict = field(default_factory=dict)
    bad: set = field(default_factory=set)  # keys of cells that could not be read


class Importer(ABC):
    kind: str
    columns: list[Column]
    name_key: str  # the column whose text marks the template's example row
    # How many rows above the header may be skipped (a ledger's title row): the header is the first row
    # that names a required column.
    head_search: int = 1

    def __init__(self, *, actor, region):
        self.actor, self.region = actor, region
        self.errors: list[RowError] = []
        self.details: list[dict] = []

    def error(self, row: int, column: str, message):
        self.errors.append(RowError(row, column, message))

    def header(self, key: str) -> str:
        return next(c.header for c in self.columns if c.key == key)

    def raise_if_errors(self):
        if self.errors:
            raise ImportRowsInvalid(self.errors)

    def find_header(self, sheet: list[tuple[int, tuple]]) -> int:
        """The index in `sheet` of the header row."""
        required = {c.header for c in self.columns if c.required}
        for index, (_number, values) in enumerate(sheet[: self.head_search]):
            if required & {norm_header(v) for v in values}:
                return index
        return 0

    def read_header(self, number: int, values: tuple) -> dict[int, Column]:
        by_header = {c.header: c for c in self.columns}
        mapping, seen = {}, set()
        for index, value in enumerate(values):
            header = norm_header(value)
            if not header:
                continue
            if header in seen:
                self.error(number, header, _("列名重复"))
            elif header not in by_header:
                self.error(number, header, _("无法识别的列名，请使用模板中的列名"))
            else:
                mapping[index] = by_header[header]
            seen.add(header)
        for column in self.columns:
            if column.required and column.header not in seen:
                self.error(number, column.header, _("缺少必填列"))
        self.raise_if_errors()  # without the right columns, checking rows would only repeat this
        return mapping

    def read_row(self, number: int, values: tuple, mapping: dict[int, Column]) -> Row | None:
        cells = {
            col.key: values[i] for i, col in mapping.items() if i < len(values) and not _blank(values[i])
        }
        if _as_text(cells.get(self.name_key, "")).startswith(EXAMPLE_PREFIX):
            return None
        parsed, bad = {}, set()
        for column in mapping.values():
            if column.key not in cells:
                continue
            try:
                parsed[column.key] = column.parse(cells[column.key])
            except CellError as exc:
                self.error(number, column.header, exc.message)
                bad.add(column.key)
        for column in self.columns:
            if column.required and column.key not in cells:
                self.error(number, column.header, _("必填，不能为空"))
                bad.add(column.key)
        return Row(number, parsed, bad=bad)

    # Each kind fills in these four.
    @abstractmethod
    def load(self):
        """Fetch what rows refer to (places, stations, deputies), one query each."""

    @abstractmethod
    def check(self, row: Row) -> bool:
        """Resolve references and cross-field rules; record errors and say whether the row is good.
        Runs on rows with unreadable cells too (skipping what depends on them), so a person sees every
        problem of a row at once."""

    @abstractmethod
    def match(self, rows: list[Row]):
        """Find the record each row updates (`row.found`), and flag rows that are the same record."""

    @abstractmethod
    def write(self, row: Row) -> str:
        """Create or update; "created", "updated" or "unchanged"."""

    def run(self, sheet: list[tuple[int, tuple]], result: ImportResult) -> ImportResult:
        self.load()
        head = self.find_header(sheet)
        mapping = self.read_header(*sheet[head])
        rows = [
            row for number, values in sheet[head + 1 :] if (row := self.read_row(number, values, mapping))
        ]
        if not rows:
            raise file_error(CommonCode.IMPORT_EMPTY, _("文件中只有示例行，没有要导入的数据"))
        # check() runs on every row and match() on the rows that passed, so one upload reports every error.
        rows = [row for row in rows if self.check(row) and not row.bad]
        if rows:
            self.match(rows)
        self.raise_if_errors()
        for row in rows:
            outcome = self.write(row)
            setattr(result, outcome, getattr(result, outcome) + 1)
        return result

    def note(self, row: Row, obj, outcome: str, fields=()):
        if outcome != "unchanged" and len(self.details) < AUDIT_DETAIL_LIMIT:
            self.details.append({"row": row.number, "id": obj.pk, outcome: sorted(fields)})
