"""Pure rules of DOMAIN §4, each tested on its own."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from django.utils.translation import gettext as _

from apps.places.terms import TOWNSHIP

# Values of people.models.DeputyLevel.TOWN and MandateStatus.IN_OFFICE (a rules module imports no models;
# suggestions/tests/test_motion_signers.py checks they still match).
TOWN_LEVEL = "town"
IN_OFFICE = "in_office"


def sits_in_town_congress(mandates: Iterable[tuple], *, town_id: int, today: date) -> bool:
    """Whether a deputy may sign a motion of the township congress of `town_id` and count toward its
    signers: a township mandate of that very congress, in office on `today`. A county deputy living in the
    town, a deputy of another town's congress, and a mandate suspended (代表法: 暂时停止执行代表职务, no
    deputy's rights meanwhile), ended, resigned or recalled do not count. [law] 地方组织法 (议案: 乡镇人大
    代表五人以上联名) / DOMAIN §4.
    `mandates` are (level, congress_region_id, status, term_start, term_end)."""
    return any(
        level == TOWN_LEVEL and region_id == town_id and status == IN_OFFICE and start <= today <= end
        for level, region_id, status, start, end in mandates
    )


def motion_signer_problem(
    *,
    by_presidium: bool,
    confirmed: int,
    minimum: int,
    not_counted: Sequence[str] = (),
    words: Mapping[str, str] | None = None,
) -> str | None:
    """A deputies' motion needs `minimum` confirmed township deputies [law: 5]; the presidium's needs none.
    `confirmed` counts only the signers who sit in the town's congress (`sits_in_town_congress`); the names
    in `not_counted` confirmed but do not count, and the message says so, in the town's
    `words` (`Terms.words()`).
    """
    if by_presidium or confirmed >= minimum:
        return None
    problem = _("代表联名提出议案须有%(min)s名以上代表确认联名，目前只有%(n)s名") % {
        "min": minimum,
        "n": confirmed,
    }
    if not_counted:
        problem += _("；%(names)s不是%(here)s在任的%(deputy)s（如只是县人大代表），不计入联名人数") % {
            **(words or TOWNSHIP.words()),
            "names": "、".join(not_counted),
        }
    return problem


def conclusion(ratings: list[tuple[str, str]], category: str, expected: int) -> str | None:
    """What follows the signers' feedback: `rehandle` on any "dissatisfied" (handling or result), else,
    once every signer has rated, `track` for B and C replies (replied to again when solved) or `close`.
    None while ratings are still missing and none is dissatisfied."""
    if any("dissatisfied" in pair for pair in ratings):
        return "rehandle"
    if len(ratings) < expected:
        return None
    return "track" if category in ("B", "C") else "close"
