"""The Excel import every app shares (导入): upload → check every row → each bad cell reported with its
Excel row, column and reason in Chinese → all or nothing; the template to download is built from the same
column spec, so template and importer cannot drift.

By concern: `cells` (reading one cell), `results` (what an import reports), `reading` (the workbook's rows,
within limits), `importer` (the column spec and the shared mechanism), `template` (the workbook to
download). The importers themselves live with their kind: people/importing (deputies, households),
opinions/importing and suggestions/importing (the ledgers).
"""

from .cells import CellError, a_date, choice, count, ignored, long_text, text, yes_no
from .importer import Column, Importer, Row, in_chunks, norm_header, row_key
from .reading import read_upload, sheet_rows
from .results import (
    AUDIT_DETAIL_LIMIT,
    EXAMPLE_PREFIX,
    ImportResult,
    ImportRowsInvalid,
    RowError,
    file_error,
)
from .template import common_notes, template_workbook

__all__ = [
    "AUDIT_DETAIL_LIMIT",
    "EXAMPLE_PREFIX",
    "CellError",
    "Column",
    "ImportResult",
    "ImportRowsInvalid",
    "Importer",
    "Row",
    "RowError",
    "a_date",
    "choice",
    "common_notes",
    "count",
    "file_error",
    "ignored",
    "in_chunks",
    "long_text",
    "norm_header",
    "read_upload",
    "row_key",
    "sheet_rows",
    "template_workbook",
    "text",
    "yes_no",
]
