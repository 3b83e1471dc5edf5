"""The error codes of the ballot box (the shared ones are `common.errors.CommonCode`)."""

from apps.common.errors import Codes


class ErrorCode(Codes):
    NOT_A_TELLER = "not_a_teller", "Only the box's tellers take this step."
    KEY_EXISTS = "teller_key_exists", "This teller's key share was already made (it is shown only once)."
    WRONG_SHARE = "wrong_share", "The pasted private share does not match the teller's public share."
    BAD_PARTIAL = "bad_partial", "A partial decryption whose proof does not check."
    BAD_CHOICE = "bad_choice", "The choice is not one of the box's options."
    BOX_NOT_OPEN = "box_not_open", "The box is not open for ballots."
    SHARE_DONE = "share_done", "This teller has already given their share of the decryption."
    NO_TELLERS = "no_tellers", "A secret ballot needs its tellers named first."
    KEYS_MISSING = "teller_keys_missing", "A teller has not made their key share yet."
