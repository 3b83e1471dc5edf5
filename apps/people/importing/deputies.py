"""Importing deputies with their mandates, groups and stations."""

from __future__ import annotations

import re
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts import permissions as perms
from apps.places.models import Region, RegionLevel, Station

from ..models import DEPUTY_PERSONAL_FIELDS, Deputy, DeputyGroup, DeputyLevel, Gender, Mandate
from .columns import DEPUTY_COLUMNS
from .importer import Importer, Row, _default_term, _in_chunks, _key, _Places, _years_later
from .reading import _within
from .results import DEPUTIES

DEPUTY_FIELDS = [*DEPUTY_PERSONAL_FIELDS, "id_number"]
_LEVEL_RANK = {level: rank for rank, level in enumerate(DeputyLevel.values)}  # highest level first


def _split_names(value: str) -> list[str]:
    return [n for n in re.split(r"[、,，;；/\s]+", value) if n]


class DeputyImporter(Importer):
    kind = DEPUTIES
    columns = DEPUTY_COLUMNS
    name_key = "name"

    def load(self):
        villages = Region.objects.filter(_within(self.region), level=RegionLevel.VILLAGE)
        self.villages = _Places(villages.select_related("county", "town"))
        self.stations, self.groups = {}, {}
        for station in Station.objects.filter(_within(self.region)):
            self.stations.setdefault(station.name, []).append(station)
        for group in DeputyGroup.objects.filter(_within(self.region)):
            self.groups.setdefault(group.name, []).append(group)
        self.today = timezone.localdate()

    def check(self, row: Row) -> bool:
        v, n, before = row.values, row.number, len(self.errors)
        village, message = self.villages.find(v["village"]) if "village" in v else (None, "")
        if message:
            self.error(n, self.header("village"), message)
        if v.get("id_number"):
            self._check_against_id(row)
        self._check_mandate(row, village)
        self._check_station_and_groups(row, village)
        if len(self.errors) > before or row.bad:
            return False
        row.extra["village"] = village
        alt = _key("deputy", v["name"], v.get("birth_date"), village.code)
        row.key = _key("deputy-id", v["id_number"]) if v.get("id_number") else alt
        row.extra["alt_key"] = alt
        return True

    def _check_station_and_groups(self, row: Row, village: Region | None):
        # Only the deputy's own town's (or the county's) station and groups, as people.services requires;
        # that also tells apart same-named stations of two towns in a county-wide file.
        def near(objs):
            return [o for o in objs if village is None or o.town_id in (None, village.town_id)]

        v, n = row.values, row.number
        if v.get("station"):
            found = near(self.stations.get(v["station"], []))
            if len(found) == 1:
                row.extra["station"] = found[0]
            else:
                self.error(n, self.header("station"), _("代表所在镇找不到该联络站，或有同名联络站"))
        if v.get("groups"):
            names = _split_names(v["groups"])
            found = {name: near(self.groups.get(name, [])) for name in names}
            missing = [name for name in names if len(found[name]) != 1]
            if missing:
                message = _("代表所在镇找不到这些代表小组（或有重名）：%(names)s")
                self.error(n, self.header("groups"), message % {"names": "、".join(missing)})
            row.extra["groups"] = [found[name][0] for name in names if name not in missing]

    def _check_against_id(self, row: Row):
        # The ID number encodes birth date (digits 7-14) and sex (digit 17: odd is male), GB 11643.
        v, n, number = row.values, row.number, row.values["id_number"]
        try:
            born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        except ValueError:
            self.error(n, self.header("id_number"), _("身份证号中的出生日期无效"))
            return
        sex = Gender.MALE if int(number[16]) % 2 else Gender.FEMALE
        if v.get("birth_date") and v["birth_date"] != born:
            self.error(n, self.header("birth_date"), _("与身份证号中的出生日期不一致"))
        v.setdefault("birth_date", born)
        if v.get("gender", sex) != sex:
            self.error(n, self.header("gender"), _("与身份证号中的性别不一致"))

    def _check_mandate(self, row: Row, village: Region | None):
        v, n = row.values, row.number
        start, end = v.get("term_start"), v.get("term_end")
        if start is None and end is None:
            start, end = _default_term(self.today)
        elif end is None:
            end = _years_later(start, 5) - timezone.timedelta(days=1)
        elif start is None:
            start = _years_later(end, -5) + timezone.timedelta(days=1)
        if end <= start:
            self.error(n, self.header("term_end"), _("任期结束须晚于任期开始"))
        born = v.get("birth_date")
        if born and _years_later(born, 18) > start:
            # 宪法 §34: only citizens who have reached 18 may be elected.
            self.error(n, self.header("birth_date"), _("任期开始时未满18周岁，不能当选代表"))
        if born and not date(1900, 1, 1) <= born <= self.today:
            self.error(n, self.header("birth_date"), _("出生日期应在1900年到今天之间"))
        row.extra.update(term_start=start, term_end=end)
        if village is None or "level" not in v:
            return
        congress = village.county if v["level"] == DeputyLevel.COUNTY else village.town
        if congress is None or not perms.holds_in(self.actor, perms.PEOPLE_IMPORT, congress):
            self.error(
                n,
                self.header("level"),
                _("您无权登记%(level)s，请由县人大办导入") % {"level": DeputyLevel(v["level"]).label},
            )
        row.extra["congress"] = congress

    def match(self, rows: list[Row]):
        keys = {k for r in rows for k in (r.key, r.extra["alt_key"])}
        by_key = {
            d.import_key: d for d in _in_chunks(Deputy.objects.select_related("region"), "import_key", keys)
        }
        # Deputies entered by hand have no import key: recognise them by ID number, or name + birth + village.
        legacy = Deputy.objects.filter(_within(self.region), import_key="")
        by_id, by_person = {}, {}
        ids = {r.values["id_number"] for r in rows if r.values.get("id_number")}
        for d in _in_chunks(legacy, "id_number", ids) + _in_chunks(
            legacy, "name", {r.values["name"] for r in rows}
        ):
            if d.id_number:
                by_id.setdefault(d.id_number, d)
            by_person.setdefault((d.name, d.birth_date, d.region_id), d)
        seen: dict[object, int] = {}
        for r in rows:
            v = r.values
            r.found = (
                by_key.get(r.key)
                or by_key.get(r.extra["alt_key"])
                or by_id.get(v.get("id_number"))
                or by_person.get((v["name"], v.get("birth_date"), r.extra["village"].pk))
            )
            identity = r.found.pk if r.found else r.key
            if identity in seen or r.extra["alt_key"] in seen:
                self.error(
                    r.number,
                    self.header("name"),
                    _("与第%(row)d行是同一代表") % {"row": seen.get(identity) or seen[r.extra["alt_key"]]},
                )
            seen.setdefault(identity, r.number)
            seen.setdefault(r.extra["alt_key"], r.number)
            if r.found and not (r.found.county_id == self.region.pk or r.found.town_id == self.region.pk):
                self.error(
                    r.number,
                    self.header("name"),
                    _("该代表已登记在%(place)s，不在所选区划内") % {"place": r.found.region.full_name},
                )
        found_ids = {r.found.pk for r in rows if r.found}
        self.mandates: dict[int, list[Mandate]] = {}
        for m in _in_chunks(Mandate.objects.all(), "deputy_id", found_ids):
            self.mandates.setdefault(m.deputy_id, []).append(m)
        memberships = Deputy.groups.through.objects.values_list("deputy_id", "deputygroup_id")
        self.memberships: set[tuple[int, int]] = set(_in_chunks(memberships, "deputy_id", found_ids))

    def write(self, row: Row) -> str:
        v, deputy = row.values, row.found
        wanted = {f: v[f] for f in DEPUTY_FIELDS if f in v}
        wanted.update(region_id=row.extra["village"].pk, import_key=row.key)
        if "station" in row.extra:
            wanted["station_id"] = row.extra["station"].pk
        mandates = self.mandates.get(deputy.pk, []) if deputy else []
        # The highest level held; an import adds mandates and never removes one, so it never goes down.
        held = [v["level"], *(m.level for m in mandates), *([deputy.top_level] if deputy else [])]
        top = min(held, key=_LEVEL_RANK.__getitem__)
        wanted["top_level"] = top
        if deputy is None:
            deputy = Deputy(**wanted)
            deputy.region = row.extra["village"]
            deputy.save()
            changed = ["created"]
        else:
            changed = [f for f, value in wanted.items() if getattr(deputy, f) != value]
            if changed:
                for f in changed:
                    setattr(deputy, f, wanted[f])
                deputy.region = row.extra["village"]
                deputy.save()
        changed += self._write_mandate(row, deputy, mandates)
        missing = [g for g in row.extra.get("groups", []) if (deputy.pk, g.pk) not in self.memberships]
        if missing:
            deputy.groups.add(*missing)
            self.memberships.update((deputy.pk, g.pk) for g in missing)
            changed.append("groups")
        outcome = "created" if row.found is None else ("updated" if changed else "unchanged")
        self.note(row, deputy, outcome, [f for f in changed if f != "created"])
        return outcome

    def _write_mandate(self, row: Row, deputy: Deputy, mandates: list[Mandate]) -> list[str]:
        v, congress = row.values, row.extra["congress"]
        mandate = next(
            (
                m
                for m in mandates
                if (m.level, m.term, m.congress_region_id) == (v["level"], v["term"], congress.pk)
            ),
            None,
        )
        if mandate is None:
            mandate = Mandate.objects.create(
                deputy=deputy,
                level=v["level"],
                congress_region=congress,
                term=v["term"],
                term_start=row.extra["term_start"],
                term_end=row.extra["term_end"],
                district=v.get("district", ""),
            )
            self.mandates.setdefault(deputy.pk, []).append(mandate)
            return ["mandate"]
        # Only dates the file states replace stored ones; the computed default never overwrites real dates.
        wanted = {}
        if "term_start" in v or "term_end" in v:  # both, so the stored pair stays in order
            wanted.update(term_start=row.extra["term_start"], term_end=row.extra["term_end"])
        if "district" in v:
            wanted["district"] = v["district"]
        changed = [f for f, value in wanted.items() if getattr(mandate, f) != value]
        if changed:
            for f in changed:
                setattr(mandate, f, wanted[f])
            mandate.save(update_fields=changed)
        return [f"mandate.{f}" for f in changed]
