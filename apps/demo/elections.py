"""The demo election (DOMAIN §5 选举): at 城关镇's plenary meeting of January this year, the town head (a
single candidate) and two vice-chairs of the presidium (three candidates), counted from paper ballots by
the elections services, with one written-in name and one void ballot in each.

The meeting comes from apps/demo/meetings.py; where it is not there, a session, the plenary meeting and its
voting deputies (the town's in-office town deputies, all but three checked in) are created here. Everything
is deterministic: the ballots follow a fixed plan, no randomness.
"""

from __future__ import annotations

from datetime import datetime, time

from django.utils import timezone

from apps.accounts.models import Role, User
from apps.elections import services
from apps.elections.models import Post
from apps.meetings.models import Attendee, Meeting, MeetingKind, MeetingState, Session
from apps.people.models import Deputy, DeputyLevel, Mandate

from .county import CountyBuilder
from .election_aftermath import seed_demo_aftermath

ABSENT = 3  # deputies on leave from the sitting


def _office(seat_id: int) -> User | None:
    return User.objects.filter(grants__role=Role.TOWN_OFFICE, grants__region_id=seat_id).first()


def _meeting(seat_id: int) -> Meeting:
    year = timezone.localdate().year
    found = (
        Meeting.objects.filter(
            town_id=seat_id, kind=MeetingKind.PLENARY, starts_at__year=year, starts_at__month=1
        )
        .order_by("-starts_at")
        .first()
    )
    if found:
        return found
    day = datetime(year, 1, 9).date()
    town_name = Deputy._meta.get_field("region").related_model.objects.get(pk=seat_id).name
    session, _ = Session.objects.get_or_create(
        region_id=seat_id,
        term=18,
        number=5,
        defaults={"title": f"{town_name}第十八届人民代表大会第五次会议", "starts_on": day, "ends_on": day},
    )
    starts = timezone.make_aware(datetime.combine(day, time(9)))
    return Meeting.objects.create(
        region_id=seat_id,
        session=session,
        kind=MeetingKind.PLENARY,
        title=f"{session.title}第二次全体会议",
        place="镇政府三楼会议室",
        starts_at=starts,
        ends_at=starts.replace(hour=11, minute=30),
        state=MeetingState.CLOSED,
        opened_at=starts,
        closed_at=starts.replace(hour=11, minute=30),
    )


def _seat_deputies(meeting: Meeting, seat_id: int) -> None:
    """The meeting's voting deputies, when the meetings demo has not seated them."""
    if Attendee.objects.filter(meeting=meeting, voting=True).exists():
        return
    ids = (
        Mandate.objects.filter(congress_region_id=seat_id, level=DeputyLevel.TOWN)
        .values_list("deputy_id", flat=True)
        .distinct()
    )
    deputies = list(Deputy.objects.filter(pk__in=ids).order_by("name_pinyin", "id"))
    Attendee.objects.bulk_create(
        [
            Attendee(
                meeting=meeting,
                deputy=d,
                name=d.name,
                voting=True,
                checked_in_at=meeting.starts_at if i >= ABSENT else None,
                checkin_method=Attendee.Method.STAFF if i >= ABSENT else "",
                leave=Attendee.Leave.APPROVED if i < ABSENT else "",
            )
            for i, d in enumerate(deputies)
        ]
    )


def _paper_round(office, post: Post, plan: list[tuple[int, dict, list[str]]]) -> None:
    """Enter the paper ballots: `plan` is (how many, {candidate: choice}, write-ins); the rest of the
    ballots issued are for the first candidate alone."""
    round_ = services.start(actor=office, post_id=post.pk, paper=True)
    round_ = services.open_ballot(actor=office, round_id=round_.pk)
    for count, choices, write_ins in plan:
        for _ in range(count):
            services.record_paper_ballot(
                actor=office,
                round_id=round_.pk,
                choices={c.pk: v for c, v in choices.items()},
                write_ins=write_ins,
            )
    services.close_and_count(actor=office, round_id=round_.pk)


def _stranger(*taken: str) -> str:
    """A written-in name that is not on the ballot."""
    return next(n for n in ("张德明", "王秀英", "李建国") if n not in taken)


def seed_demo_elections(builder: CountyBuilder) -> dict:
    seat = builder.towns[0]
    office = _office(seat.node.id)
    if office is None:
        return {"elections": 0}
    meeting = _meeting(seat.node.id)
    _seat_deputies(meeting, seat.node.id)
    voters = list(Attendee.objects.filter(meeting=meeting, voting=True).order_by("id"))
    present = sum(1 for a in voters if a.checked_in_at)
    if present < 12:
        return {"elections": 0}
    by_id = {a.deputy_id for a in voters}
    plans = [d for d in seat.deputies if d.id in by_id]
    head = next((d for d in plans if d.post.occupation == "镇长"), plans[0])
    vice = [d for d in plans if "vice" in d.post.flags][:1]
    vice += [d for d in plans if d.is_presidium and d is not head and d not in vice]
    vice += [d for d in plans if d is not head and d not in vice]
    names, picked = {head.name}, []
    for d in vice:  # three different people with different names
        if d.name not in names:
            names.add(d.name)
            picked.append(d)
    vice = picked[:3]
    if len(vice) < 3:
        return {"elections": 0}
    signers = [a.deputy_id for a in voters]

    # 镇长: one seat, the presidium's single candidate (等额 allowed for a head post [law]).
    post = services.create_post(
        actor=office, meeting_id=meeting.pk, kind="head", title="镇人民政府镇长", seats=1
    )
    (h,) = [
        services.nominate(actor=office, post_id=post.pk, by="presidium", name=head.name, deputy_id=head.id)
    ]
    rest = present - 4
    _paper_round(
        office,
        post,
        [
            (rest, {h: "for"}, []),
            (1, {h: "against"}, []),
            (1, {h: "abstain"}, []),
            (1, {h: "against"}, [_stranger(head.name)]),  # 另选他人
            (1, {h: "for"}, [_stranger(head.name)]),  # two names for one seat: void [law]
        ],
    )

    # 副主席: two seats, three candidates (差额 1): two by the presidium, one by ten deputies jointly.
    post = services.create_post(
        actor=office,
        meeting_id=meeting.pk,
        kind="vice_chair",
        title="镇人民代表大会副主席",
        seats=2,
        margin=1,
    )
    a = services.nominate(
        actor=office, post_id=post.pk, by="presidium", name=vice[0].name, deputy_id=vice[0].id
    )
    b = services.nominate(
        actor=office, post_id=post.pk, by="presidium", name=vice[1].name, deputy_id=vice[1].id
    )
    joint = [s for s in signers if s not in (vice[0].id, vice[1].id, vice[2].id)][:10]
    c = services.nominate(
        actor=office, post_id=post.pk, by="joint", name=vice[2].name, deputy_id=vice[2].id, signers=joint
    )
    big = present - 8
    _paper_round(
        office,
        post,
        [
            (big, {a: "for", b: "for", c: "against"}, []),
            (3, {a: "for", c: "for", b: "against"}, []),
            (2, {b: "for", c: "for", a: "abstain"}, []),
            (1, {a: "for", b: "against", c: "against"}, [_stranger(*(d.name for d in vice))]),  # 另选他人
            (1, {a: "for", b: "for", c: "for"}, []),  # three names for two seats: void [law]
            (1, {}, []),  # left blank: abstains on everyone
        ],
    )
    return {"elections": 2, "election_rounds": 2, **seed_demo_aftermath(office, meeting)}
