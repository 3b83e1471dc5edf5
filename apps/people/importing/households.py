"""Importing voter households and the deputy who keeps in touch with each."""

from __future__ import annotations

import re

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.places.models import Region, RegionLevel
from apps.places.terms import STREET, TOWNSHIP

from ..models import Deputy, Household
from .columns import HOUSEHOLD_COLUMNS
from .importer import Importer, Row, _in_chunks, _key, _Places
from .reading import _within
from .results import HOUSEHOLDS

HOUSEHOLD_FIELDS = ["head_name", "address", "phone", "member_count", "voter_count", "is_poor"]
_DEPUTY_REF = re.compile(r"^(?P<name>.+?)[\s(（]*(?P<tail>\d{4})[)）]?$")


class HouseholdImporter(Importer):
    kind = HOUSEHOLDS
    columns = HOUSEHOLD_COLUMNS
    name_key = "head_name"

    def load(self):
        self.places = _Places(
            Region.objects.filter(_within(self.region), level__in=[RegionLevel.VILLAGE, RegionLevel.GRID])
        )
        towns = Region.objects.filter(Q(pk=self.region.pk) | Q(parent=self.region), is_street=True)
        self.streets = set(towns.values_list("pk", flat=True))
        self.deputies: dict[tuple[int, str], list[Deputy]] = {}
        for d in Deputy.objects.filter(_within(self.region)).only(
            "id", "name", "phone", "town_id", "county_id"
        ):
            self.deputies.setdefault((d.town_id, d.name), []).append(d)

    def check(self, row: Row) -> bool:
        v, n, before = row.values, row.number, len(self.errors)
        place, message = self.places.find(v["place"]) if "place" in v else (None, "")
        if message:
            self.error(n, self.header("place"), message)
        for key in ("contact", "paired"):
            if v.get(key) and place is not None:
                deputy, message = self._find_deputy(v[key], place.town_id)
                if message:
                    self.error(n, self.header(key), message)
                row.extra[key] = deputy
        if len(self.errors) > before or row.bad:
            return False
        row.extra["place"] = place
        row.key = _key("household", v["head_name"], place.code, re.sub(r"\s", "", v.get("address", "")))
        return True

    def _find_deputy(self, text_: str, town_id) -> tuple[Deputy | None, str]:
        m = _DEPUTY_REF.match(text_)
        name, tail = (m["name"].strip(), m["tail"]) if m else (re.sub(r"\s", "", text_), "")
        found = self.deputies.get((town_id, name), [])
        if tail:
            found = [d for d in found if d.phone.endswith(tail)]
        if len(found) == 1:
            return found[0], ""
        here = (STREET if town_id in self.streets else TOWNSHIP).here  # 本镇 / 本街道
        if not found:
            return None, _("%(here)s找不到代表“%(name)s”") % {"here": here, "name": text_}
        return None, _("%(here)s有%(n)d位代表叫“%(name)s”，请在姓名后加手机号后四位，如 %(name)s1234") % {
            "here": here,
            "n": len(found),
            "name": name,
        }

    def match(self, rows: list[Row]):
        by_key = {
            h.import_key: h for h in _in_chunks(Household.objects.all(), "import_key", {r.key for r in rows})
        }
        # Households entered by hand have no import key: the same head, place and address is the same home.
        legacy = {}
        names = {r.values["head_name"] for r in rows}
        for h in _in_chunks(
            Household.objects.filter(_within(self.region), import_key=""), "head_name", names
        ):
            legacy.setdefault((h.head_name, h.region_id, re.sub(r"\s", "", h.address)), h)
        seen: dict[str, int] = {}
        for r in rows:
            if r.key in seen:
                self.error(
                    r.number,
                    self.header("head_name"),
                    _("与第%(row)d行是同一户（户主、所在村/网格、住址相同）") % {"row": seen[r.key]},
                )
            seen.setdefault(r.key, r.number)
            address = re.sub(r"\s", "", r.values.get("address", ""))
            r.found = by_key.get(r.key) or legacy.get((r.values["head_name"], r.extra["place"].pk, address))
            self._check_with_stored(r)

    def _check_with_stored(self, row: Row):
        """Rules between cells that may be left empty, judged with what is stored (or the defaults)."""
        v, stored = row.values, row.found
        members = v.get("member_count", stored.member_count if stored else 1)
        voters = v.get("voter_count", stored.voter_count if stored else 1)
        if voters > members:
            self.error(row.number, self.header("voter_count"), _("选民人数不能多于家庭人口"))
        poor = v.get("is_poor", stored.is_poor if stored else False)
        if v.get("paired") and not poor:
            self.error(row.number, self.header("paired"), _("只有困难户可以填写结对代表（是否困难户填“是”）"))

    def write(self, row: Row) -> str:
        v, household = row.values, row.found
        wanted = {f: v[f] for f in HOUSEHOLD_FIELDS if f in v}
        wanted.update(region_id=row.extra["place"].pk, import_key=row.key)
        if row.extra.get("contact"):
            wanted["contact_deputy_id"] = row.extra["contact"].pk
        if row.extra.get("paired"):
            wanted["paired_deputy_id"] = row.extra["paired"].pk
        if v.get("is_poor") is False:
            wanted["paired_deputy_id"] = None  # pairing is for poor households only (a database constraint)
        if household is None:
            household = Household(**wanted)
            household.region = row.extra["place"]
            household.save()
            self.note(row, household, "created")
            return "created"
        changed = [f for f, value in wanted.items() if getattr(household, f) != value]
        if not changed:
            return "unchanged"
        for f in changed:
            setattr(household, f, wanted[f])
        household.region = row.extra["place"]
        household.save()
        self.note(row, household, "updated", changed)
        return "updated"
