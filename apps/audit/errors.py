"""The error codes of the audit log (the shared ones are `common.errors.CommonCode`)."""

from apps.common.errors import Codes


class ErrorCode(Codes):
    REANCHOR_REFUSED = (
        "reanchor_refused",
        "A re-anchor of the audit log was refused: no reason given, or the chain itself has a break.",
    )
