"""The error codes of livelihood projects (the shared ones are `common.errors.CommonCode`)."""

from apps.common.errors import Codes


class ErrorCode(Codes):
    ALREADY_VOTED = (
        "project_already_voted",
        "The deputy has already voted in this round (or took a paper ballot).",
    )
    BALLOT_VOID = (
        "project_ballot_void",
        "The ballot marks more projects than there are places: it would be void.",
    )
    NOT_A_VOTER = "project_not_a_voter", "Only a checked-in voting deputy of the sitting votes."
