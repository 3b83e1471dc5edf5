"""What a township and a street (街道) call their bodies and people (DOMAIN §1): the one table of those words.

A street has no congress of its own: the county congress's standing committee keeps a working committee there
(人大街道工委) in place of the presidium, and a residents' council (居民议事会) of council members (议事员)
in place of the township congress and its deputies. Same features, other labels; and no congress sessions or
elections (`has_congress`). Pages read `{{ terms.presidium }}` (the context processor gives the user's own
town's terms; a page about one region passes `terms_for(region)`), Word documents and notices call
`terms_for(region)` themselves, and a choice's township label is turned into the street's by
`terms.relabel(label)` (the `termed` template filter).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Terms:
    is_street: bool
    has_congress: bool  # congress sessions and elections are held
    town: object  # 镇 / 街道: the region word
    here: object  # 本镇 / 本街道: "this town" in a message about one
    body: object  # 镇人大 / 人大街道工委
    short: object  # after a name: 城关镇人大 / 城关街道人大工委
    office: object  # 镇人大办 / 街道人大工委办
    presidium: object  # 主席团 / 街道工委
    presidium_member: object
    presidium_meeting: object
    chair: object  # 人大主席 / 工委主任
    congress: object  # 人民代表大会 / 居民议事会
    session: object  # 代表大会会议 / 居民议事会会议
    deputy: object  # 镇人大代表 / 议事员: a member of the town's own body
    member: object  # after a place's name: 城关镇人大代表 / 城关街道议事员
    deputies: object  # the people on the register pages: 人大代表 / 人大代表和议事员
    station: object  # the town-level station
    own_deputies: object  # 本镇代表 / 本街道代表和议事员
    addressee: object  # a meeting paper's 各位代表 / 各位议事员

    def words(self) -> dict[str, str]:
        """The words by name, for a message's `%(here)s`, `%(office)s`, `%(own_deputies)s`... (a refusal about
        a street's object says the street's words)."""
        return {w: str(getattr(self, w)) for w in _WORDS}

    def named(self, region) -> str:
        """城关镇人大 / 城关街道人大工委."""
        return f"{region.name}{self.short}"

    def paper(self, word: str) -> str:
        """One of the words in Chinese, as official papers (Word documents, SMS texts) always are."""
        with translation.override("zh-hans"):
            return str(getattr(self, word))

    def issuer(self, region) -> str:
        """The issuing body of the town's papers (in Chinese): 城关镇人民代表大会主席团, or for a street the
        county standing committee's working committee there (汉阴县人大常委会城关街道工作委员会)."""
        if not self.is_street:
            return f"{region.name}人民代表大会主席团"
        county = region.county if region.county_id and region.county_id != region.pk else None
        return f"{county.name + '人大常委会' if county else ''}{region.name}工作委员会"

    def relabel(self, label) -> str:
        """A township word or choice label in this place's words (the label itself in a township)."""
        text = str(label)
        if not self.is_street:
            return text
        return _street_words().get(text, text)


_WORDS = (
    "town",
    "here",
    "body",
    "short",
    "office",
    "presidium",
    "presidium_member",
    "presidium_meeting",
    "chair",
)
_WORDS += ("congress", "session", "deputy", "member", "deputies", "station", "own_deputies", "addressee")

TOWNSHIP = Terms(
    is_street=False,
    has_congress=True,
    town=_("镇"),
    here=_("本镇"),
    body=_("镇人大"),
    short=_("人大"),
    office=_("镇人大办"),
    presidium=_("主席团"),
    presidium_member=_("主席团成员"),
    presidium_meeting=_("主席团会议"),
    chair=_("人大主席"),
    congress=_("人民代表大会"),
    session=_("代表大会会议"),
    deputy=_("镇人大代表"),
    member=_("人大代表"),
    deputies=_("人大代表"),
    station=_("镇级代表联络站"),
    own_deputies=_("本镇代表"),
    addressee=_("代表"),
)
STREET = Terms(
    is_street=True,
    has_congress=False,
    town=_("街道"),
    here=_("本街道"),
    body=_("人大街道工委"),
    short=_("人大工委"),
    office=_("街道人大工委办"),
    presidium=_("街道工委"),
    presidium_member=_("工委委员"),
    presidium_meeting=_("工委会议"),
    chair=_("工委主任"),
    congress=_("居民议事会"),
    session=_("居民议事会会议"),
    deputy=_("议事员"),
    member=_("议事员"),
    deputies=_("人大代表和议事员"),
    station=_("街道代表联络站"),
    own_deputies=_("本街道代表和议事员"),
    addressee=_("议事员"),
)
assert {f.name for f in fields(Terms)} - {"is_street", "has_congress"} == set(_WORDS)

# Other township labels a street says otherwise (choice labels of other apps, same words as above).
_MORE = ((_("所在镇 / 村"), _("所在街道 / 社区")), (_("镇级代表联络站"), _("街道代表联络站")))
_MORE += ((_("出席代表大会"), _("出席居民议事会会议")),)


def _street_words() -> dict[str, str]:
    words = {str(getattr(TOWNSHIP, w)): str(getattr(STREET, w)) for w in _WORDS}
    words.update({str(a): str(b) for a, b in _MORE})
    return words


def terms_for(region) -> Terms:
    """The terms of the town (or street) a region lies in; a county's (or none) are the township's."""
    if region is None:
        return TOWNSHIP
    if region.level == "town":
        return STREET if region.is_street else TOWNSHIP
    if region.level in ("village", "grid") and region.town_id:
        return STREET if region.town.is_street else TOWNSHIP
    return TOWNSHIP


def terms_for_user(user) -> Terms:
    """The terms of the places a user works in: a street's only when every town they work in is a street (a
    county office, or anyone without a town, reads the township's)."""
    return _user_place(user)[0]


def town_of_user(user):
    """The one town (or street) a user works in, or None (a county office, several towns, no town)."""
    return _user_place(user)[1]


def _user_place(user):
    if not getattr(user, "is_authenticated", False):
        return TOWNSHIP, None
    cached = getattr(user, "_renda_terms", None)
    if cached is None:
        cached = user._renda_terms = _place_of(user)
    return cached


def _place_of(user):
    """One query: the towns behind the user's grants (a region's own town, or a station's, unit's or
    deputy's)."""
    from django.db.models import Q

    from apps.accounts.scopes import grants_of
    from apps.people.models import Deputy

    from .models import HandlingUnit, Region, Station

    town_ids, by = set(), {"station": [], "unit": [], "deputy": []}
    for g in grants_of(user):
        if g.region_id:
            if g.region.level not in ("town", "village", "grid"):
                return TOWNSHIP, None
            if g.region.town_id is None:
                return TOWNSHIP, None
            town_ids.add(g.region.town_id)
        elif g.station_id:
            by["station"].append(g.station_id)
        elif g.unit_id:
            by["unit"].append(g.unit_id)
        elif g.deputy_id:
            by["deputy"].append(g.deputy_id)
    if not town_ids and not any(by.values()):
        return TOWNSHIP, None
    where = Q(pk__in=town_ids)
    for key, model in (("station", Station), ("unit", HandlingUnit), ("deputy", Deputy)):
        if by[key]:
            where |= Q(pk__in=model.objects.filter(pk__in=by[key]).values("town_id"))
    towns = list(Region.objects.filter(where))
    if not towns:  # a county's station, unit or deputy: the township's words, no one town
        return TOWNSHIP, None
    terms = STREET if all(t.is_street for t in towns) else TOWNSHIP
    return terms, (towns[0] if len(towns) == 1 else None)


def context(request):
    """`terms`: the words of the user's own town or street (a page about one region passes its own);
    `own_town`: the one town or street the user works in, if one."""
    user = getattr(request, "user", None)
    return {
        "terms": SimpleLazyObject(lambda: terms_for_user(user)),
        "own_town": SimpleLazyObject(lambda: town_of_user(user) or ""),
    }
