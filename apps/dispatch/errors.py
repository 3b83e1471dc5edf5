"""The error codes of dispatch (the shared ones are `common.errors.CommonCode`)."""

from apps.common.errors import Codes


class ErrorCode(Codes):
    UNKNOWN_KIND = "unknown_dispatch_kind", "Only evaluations, activities and rectification items are sent."
