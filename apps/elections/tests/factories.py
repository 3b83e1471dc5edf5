"""A congress sitting ready for an election: a plenary meeting in 城关镇 with its voting deputies and its two
tellers (监票人: the town office and the second deputy), who key every electronic round's ballot box when
it opens and give their shares when it closes (`keys`, `shares`)."""

from __future__ import annotations

from django.utils import timezone

from apps.accounts.tests.factories import user_with
from apps.ballotbox import services as ballotbox
from apps.ballotbox.selectors import owed_shares
from apps.meetings.models import Attendee, Meeting, MeetingKind
from apps.meetings.services import name_tellers
from apps.people.tests.factories import DeputyFactory, MandateFactory

from .. import services
from ..models import Round

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"


class Hall:
    """A sitting with `total` voting deputies, the first `present` of them checked in."""

    def __init__(self, world, *, total=20, present=None, town=None):
        town = town or world.town_a
        self.world = world
        self.meeting = Meeting.objects.create(
            region=town,
            kind=MeetingKind.PLENARY,
            title="第十九届人民代表大会第三次会议第一次全体会议",
            starts_at=timezone.now(),
            state="open",
        )
        present = total if present is None else present
        first = [world.deputy_a] if town == world.town_a else [world.deputy_b]
        self.deputies = first + [
            DeputyFactory(name=f"{SURNAMES[i % len(SURNAMES)]}代表{i}", region=town) for i in range(total - 1)
        ]
        for d in self.deputies[1:]:
            MandateFactory(deputy=d, congress_region=town)
        now = timezone.now()
        for i, d in enumerate(self.deputies):
            Attendee.objects.create(
                meeting=self.meeting,
                deputy=d,
                name=d.name,
                voting=True,
                checked_in_at=now if i < present else None,
            )
        self._users = {}
        self.codes = {}  # teller user pk -> their secret code (one for every box of the meeting)
        self.tellers = []
        if total >= 2:
            self.name_tellers()

    def name_tellers(self, users=None):
        office = self.world.town_user if self.meeting.region_id == self.world.town_a.pk else None
        office = office or self.world.town_b_user
        self.tellers = users or [office, self.user(1)]
        name_tellers(actor=office, meeting_id=self.meeting.pk, user_ids=[u.pk for u in self.tellers])

    def keys(self):
        """Every teller makes the key shares they owe (of every box in setup), with their one code."""
        for u in self.tellers:
            code, _n = ballotbox.make_teller_keys(actor=u, code=self.codes.get(u.pk, ""))
            self.codes[u.pk] = code

    def shares(self, tellers=None):
        """The tellers (all by default) give their shares of every closed box they owe."""
        for u in tellers or self.tellers:
            if owed_shares(u).exists():
                ballotbox.submit_shares(actor=u, code=self.codes[u.pk])

    def user(self, i):
        """A login for the i-th deputy (0 is world.deputy_a, whose login is world.deputy_user)."""
        if i == 0 and self.deputies[0] == self.world.deputy_a:
            return self.world.deputy_user
        if i not in self._users:
            self._users[i] = user_with("deputy", deputy=self.deputies[i])
        return self._users[i]

    def post(self, kind="head", seats=1, margin=1, office=None):
        return services.create_post(
            actor=office or self.world.town_user,
            meeting_id=self.meeting.pk,
            kind=kind,
            seats=seats,
            margin=margin,
        )

    def nominate(self, post, name, *, by="presidium", signers=(), office=None):
        return services.nominate(
            actor=office or self.world.town_user, post_id=post.pk, by=by, name=name, signers=signers
        )

    def signers(self, start, count):
        return [d.pk for d in self.deputies[start : start + count]]

    def candidates(self, post, names):
        """Nominate `names`: the first `seats` by the presidium, the others jointly by ten deputies each."""
        out = []
        for i, name in enumerate(names):
            if i < post.seats:
                out.append(self.nominate(post, name))
            else:
                group = (i - post.seats) * 10
                out.append(
                    self.nominate(
                        post, name, by="joint", signers=self.signers(group % len(self.deputies), 10)
                    )
                )
        return out

    def open(self, post, *, paper=False, issued=None):
        round_ = services.start(actor=self.world.town_user, post_id=post.pk, paper=paper)
        return self.open_round(round_, issued=issued)

    def open_round(self, round_, *, issued=None):
        """Open a round that exists (the tellers key its box first when it is electronic)."""
        self.keys()
        return services.open_ballot(actor=self.world.town_user, round_id=round_.pk, issued=issued)

    def cast(self, round_, i, choices, write_ins=()):
        services.cast_ballot(actor=self.user(i), round_id=round_.pk, choices=choices, write_ins=write_ins)

    def votes(self, round_, plan):
        """`plan`: a list of (how many deputies, choices by candidate, write-ins) cast in that order (a paper
        round's ballots entered by the staff)."""
        i = 0
        for count, choices, write_ins in plan:
            for _ in range(count):
                by_id = {c.pk: v for c, v in choices.items()}
                if round_.paper:  # entered by the staff as read out
                    services.record_paper_ballot(
                        actor=self.world.town_user, round_id=round_.pk, choices=by_id, write_ins=write_ins
                    )
                else:
                    self.cast(round_, i, by_id, write_ins)
                i += 1

    def close(self, round_):
        """Close and count; an electronic round is counted when the tellers have given their shares."""
        round_ = services.close_and_count(actor=self.world.town_user, round_id=round_.pk)
        if not round_.paper:
            self.shares()
        return Round.objects.get(pk=round_.pk)
