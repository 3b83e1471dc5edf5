"""The error codes of deputies, households and the Excel import (the shared ones, the import's among
them, are `common.errors.CommonCode`)."""

from apps.common.errors import Codes


class ErrorCode(Codes):
    IMPORT_BAD_KIND = "import_bad_kind", "The import takes deputies or households only."
