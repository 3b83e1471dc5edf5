"""The error codes of the township assessment (the shared ones are `common.errors.CommonCode`)."""

from apps.common.errors import Codes


class ErrorCode(Codes):
    TABLE_EXISTS = "table_exists", "The county already has an indicator table for that year."
    TABLE_LOCKED = "table_locked", "Indicators change only while the table is a draft."
    NOT_SCORING = "not_scoring", "Manual scores are entered only while the table is open for scoring."
    SCORE_EXISTS = "score_exists", "The township already has a score for that indicator; change that one."
    NOT_PUBLISHED = "not_published", "Advanced units are chosen before the ranking is published."
