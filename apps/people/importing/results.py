"""What a people import reports: the kinds; the rest is `common.importing.results`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.common.importing.results import (  # noqa: F401
    AUDIT_DETAIL_LIMIT,
    EXAMPLE_PREFIX,
    ImportResult,
    ImportRowsInvalid,
    RowError,
)
from apps.common.importing.results import file_error as _file_error  # noqa: F401

DEPUTIES, HOUSEHOLDS = "deputies", "households"
KINDS = {DEPUTIES: _("人大代表"), HOUSEHOLDS: _("选民户")}
