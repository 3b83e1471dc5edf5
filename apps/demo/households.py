"""The households and voters each deputy contacts, poor households paired with deputies, and the contact
duty of presidium and standing-committee members (DOMAIN §2)."""

from __future__ import annotations

from apps.common import conf
from apps.people.models import Household, MemberContact, Voter

from . import names
from .county import CountyBuilder, DeputyPlan, Town

# Household sizes and how many of them are minors, tuned so that 20 households hold about 50 voters
# (Hanyin: each deputy 20 households / 50 voters).
_MEMBERS = [(1, 8), (2, 20), (3, 26), (4, 26), (5, 14), (6, 6)]
_MINORS = [(0, 30), (1, 40), (2, 30)]
POOR_SHARE = 0.03
_COMPOUND_SURNAMES = ("欧阳",)


def surname_of(name: str) -> str:
    return name[:2] if name[:2] in _COMPOUND_SURNAMES else name[:1]


def build_households(b: CountyBuilder):
    per_deputy = b.spec.households_per_deputy
    for town in b.towns:
        for d in town.deputies:
            for _ in range(per_deputy):
                household_for(b, town, d)


def household_for(b: CountyBuilder, town: Town, deputy: DeputyPlan):
    rng = b.rng
    region = deputy.grid or deputy.village.node  # a grid leader's households are in the led grid
    gender = "M" if rng.random() < 0.85 else "F"
    head = b.people.name(rng, gender)
    members = rng.choices(*zip(*_MEMBERS, strict=True))[0]
    voters = members - min(members - 1, rng.choices(*zip(*_MINORS, strict=True))[0])
    poor = rng.random() < POOR_SHARE
    phone = names.phone(rng) if rng.random() < 0.85 else ""
    hid = b.w.add(
        Household,
        head_name=head,
        region_id=region.id,
        county_id=region.county_id,
        town_id=region.town_id,
        address=b.home_address(town, deputy.village, region.group_no),
        phone=phone,
        member_count=members,
        voter_count=voters,
        contact_deputy_id=deputy.id,
        is_poor=poor,
        # Poor households are paired (结对帮扶) with a deputy of their town, often not their contact.
        paired_deputy_id=rng.choice(town.deputies).id if poor else None,
    )
    town.household_ids.append(hid)
    if b.spec.with_voters:
        household_voters(b, hid, head, gender, phone, voters)


def household_voters(b: CountyBuilder, hid: int, head: str, gender: str, phone: str, count: int):
    rng = b.rng
    head_year = rng.randint(1945, 1996)
    b.w.add(Voter, household_id=hid, name=head, gender=gender, birth_year=head_year, phone=phone)
    for n in range(1, count):
        if n == 1:  # the spouse, with their own surname
            g = "F" if gender == "M" else "M"
            name, year = b.people.name(rng, g), head_year + rng.randint(-4, 4)
        else:  # grown children or a parent, with the head's surname
            g = rng.choice("MF")
            given = b.people.name(rng, g)
            name = surname_of(head) + given[len(surname_of(given)) :]
            year = min(2008, max(1935, head_year + rng.choice([-25, 22, 25, 28])))
        b.w.add(
            Voter,
            household_id=hid,
            name=name,
            gender=g,
            birth_year=year,
            phone=names.phone(rng) if rng.random() < 0.5 else "",
        )


def member_contacts(b: CountyBuilder):
    """Each presidium or standing-committee member contacts N deputies and N households [local]; about one
    member in eight is behind on one of the two, so the quota view has something to show."""
    rng = b.rng
    want_deputies = int(conf.get("QUOTA_MEMBER_DEPUTIES"))
    want_households = int(conf.get("QUOTA_MEMBER_HOUSEHOLDS"))
    everyone = b.all_deputies()
    for town in b.towns:
        for member in town.deputies:
            committee = "sc" in member.post.flags
            if not (member.is_presidium or committee):
                continue
            n_deputies, n_households = want_deputies, want_households
            if rng.random() < 0.125:
                if rng.random() < 0.5 and want_deputies > 1:
                    n_deputies = rng.randint(0, want_deputies - 1)
                elif want_households > 1:
                    n_households = rng.randint(0, want_households - 1)
            pool = everyone if committee else town.deputies
            picked = [d for d in rng.sample(pool, min(len(pool), n_deputies + 1)) if d is not member]
            for d in picked[:n_deputies]:
                b.w.add(MemberContact, member_id=member.id, deputy_id=d.id, household_id=None)
            for hid in rng.sample(town.household_ids, min(len(town.household_ids), n_households)):
                b.w.add(MemberContact, member_id=member.id, deputy_id=None, household_id=hid)
