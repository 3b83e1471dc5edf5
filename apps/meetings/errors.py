"""The error codes of meetings, check-in and votes (the shared ones are `common.errors.CommonCode`)."""

from apps.common.errors import Codes


class ErrorCode(Codes):
    NO_QUORUM = "no_quorum", "Too few deputies are present to open the meeting."
    NOT_CHECKED_IN = "not_checked_in", "The deputy must check in before voting."
    ALREADY_VOTED = "already_voted", "The deputy has voted in this vote already; a ballot is not changed."
    VOTE_CLOSED = "vote_closed", "The vote is over."
    NO_CONGRESS_IN_STREET = (
        "no_congress_in_street",
        "A street has no congress of its own: no congress session, sitting or election is held there.",
    )
    NOT_RECORDER = "not_recorder", "Only the group's recorder or the office enters its opinions."
    DIGEST_SENT = "digest_sent", "The report's opinions were compiled and sent; they are not changed."
