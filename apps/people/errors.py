"""The error codes of deputies, households and the Excel import (the shared ones are
`common.errors.CommonCode`)."""

from apps.common.errors import Codes


class ErrorCode(Codes):
    IMPORT_BAD_KIND = "import_bad_kind", "The import takes deputies or households only."
    IMPORT_BAD_REGION = "import_bad_region", "Import into an existing county or town."
    IMPORT_BAD_FILE = "import_bad_file", "The file is not a readable .xlsx."
    IMPORT_TOO_LARGE = "import_too_large", "The file (or what it unpacks to) is too large."
    IMPORT_TOO_MANY_ROWS = "import_too_many_rows", "The file has more rows than one import takes."
    IMPORT_EMPTY = "import_empty", "The file has no data rows (the example row aside)."
    IMPORT_ROWS_INVALID = (
        "import_rows_invalid",
        "Some rows are wrong (`rows` lists each); nothing was imported.",
    )
