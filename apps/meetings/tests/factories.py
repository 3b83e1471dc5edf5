"""Meetings for tests: a town's session with as many deputies as a test needs, each with a login."""

from __future__ import annotations

from django.utils import timezone

from apps.accounts.tests.factories import user_with
from apps.ballotbox import selectors as ballotbox_selectors
from apps.ballotbox import services as ballotbox
from apps.meetings import services
from apps.meetings.models import Attendee, MeetingKind, Session
from apps.people.tests.factories import DeputyFactory, MandateFactory


def add_deputies(world, n: int, *, town=None, prefix="代表") -> list:
    """`n` more deputies of the town congress (town A by default), each with a deputy login."""
    town = town or world.town_a
    village = world.village_a if town == world.town_a else world.village_b
    out = []
    for i in range(n):
        d = DeputyFactory(name=f"{prefix}{i:03d}", region=village)
        MandateFactory(deputy=d, congress_region=town)
        d.user = user_with("deputy", deputy=d)
        d.save()
        out.append(d)
    return out


def ready(world) -> list:
    """Town A's two deputies, each with a deputy login (deputy_a already has world.deputy_user)."""
    if not world.deputy_a2.user_id:
        world.deputy_a2.user = user_with("deputy", deputy=world.deputy_a2)
        world.deputy_a2.save()
    return [world.deputy_a, world.deputy_a2]


def session_of(world, town=None, number=5) -> Session:
    town = town or world.town_a
    return Session.objects.get_or_create(
        region=town,
        term=18,
        number=number,
        defaults={
            "title": f"{town.name}第十八届人民代表大会第{number}次会议",
            "starts_on": timezone.localdate(),
        },
    )[0]


def plan(world, *, kind=MeetingKind.PLENARY, town=None, user=None, agenda=("政府工作报告",), **kw):
    town = town or world.town_a
    user = user or (world.town_user if town == world.town_a else world.town_b_user)
    session = session_of(world, town) if kind in (MeetingKind.PLENARY, MeetingKind.PREPARATORY) else None
    return services.plan_meeting(
        actor=user,
        region=town,
        kind=kind,
        title=kw.pop("title", "第一次全体会议"),
        starts_at=kw.pop("starts_at", timezone.now()),
        session=session,
        agenda=list(agenda),
        **kw,
    )


def check_in_all(meeting, user, *, only=None):
    """Staff check-in of the voting attendees (or only those whose deputy is in `only`)."""
    for a in meeting.attendees.filter(voting=True):
        if only is None or a.deputy_id in {d.pk for d in only}:
            services.staff_check_in(actor=user, meeting_id=meeting.pk, attendee_id=a.pk)


def open_with_vote(
    world, deputies_present, *, secret=False, allow_change=False, user=None, kind=MeetingKind.PRESIDIUM
):
    """A meeting of town A (presidium: no quorum needed), open, with everyone in `deputies_present` checked
    in and one open vote."""
    user = user or world.town_user
    meeting = plan(world, kind=kind)
    check_in_all(meeting, user, only=deputies_present)
    services.open_meeting(actor=user, meeting_id=meeting.pk)
    item = meeting.agenda.first()
    if secret:
        name_tellers(world, meeting)
    vote = services.create_vote(
        actor=user, meeting_id=meeting.pk, agenda_item_id=item.pk, secret=secret, allow_change=allow_change
    )
    if secret:
        make_keys(world)
    services.open_vote(actor=user, vote_id=vote.pk)
    return meeting, vote


def tellers_of(world) -> list:
    """The two tellers tests name: town A's office login and deputy A's login (seated in town A)."""
    return [world.town_user, world.deputy_user]


def name_tellers(world, meeting) -> None:
    services.name_tellers(
        actor=world.town_user, meeting_id=meeting.pk, user_ids=[u.pk for u in tellers_of(world)]
    )


def make_keys(world) -> dict:
    """Each teller makes the key shares they owe, keeping one code (as the teller desk does)."""
    codes = getattr(world, "teller_codes", {})
    for user in tellers_of(world):
        code, _made = ballotbox.make_teller_keys(actor=user, code=codes.get(user.pk, ""))
        codes[user.pk] = code
    world.teller_codes = codes
    return codes


def decrypt(world) -> None:
    """Each teller gives their share of the decryption of every closed box they owe."""
    for user in tellers_of(world):
        if ballotbox_selectors.owed_shares(user).exists():
            ballotbox.submit_shares(actor=user, code=world.teller_codes[user.pk])


def attendee_of(meeting, deputy) -> Attendee:
    return meeting.attendees.get(deputy=deputy)
