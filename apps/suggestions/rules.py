"""Pure rules of DOMAIN §4, each tested on its own."""

from __future__ import annotations

from django.utils.translation import gettext as _


def motion_signer_problem(*, by_presidium: bool, confirmed: int, minimum: int) -> str | None:
    """A deputies' motion needs `minimum` confirmed township deputies [law: 5]; the presidium's needs none."""
    if by_presidium or confirmed >= minimum:
        return None
    return _("代表联名提出议案须有%(min)s名以上代表确认联名，目前只有%(n)s名") % {
        "min": minimum,
        "n": confirmed,
    }


def number_prefix(year: int) -> str:
    return f"建字〔{year}〕"


def suggestion_number(year: int, n: int) -> str:
    """立案号: the town's running number for the year, e.g. 建字〔2026〕12号."""
    return f"{number_prefix(year)}{n}号"


def conclusion(ratings: list[tuple[str, str]], category: str, expected: int) -> str | None:
    """What follows the signers' feedback: `rehandle` on any "dissatisfied" (handling or result), else,
    once every signer has rated, `track` for B and C replies (replied to again when solved) or `close`.
    None while ratings are still missing and none is dissatisfied."""
    if any("dissatisfied" in pair for pair in ratings):
        return "rehandle"
    if len(ratings) < expected:
        return None
    return "track" if category in ("B", "C") else "close"
