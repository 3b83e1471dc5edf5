"""Demo data for the meetings app (DOMAIN §5): the last congress session of every town, and a session of
城关镇 ready to run live.

The last session (第十八届人民代表大会第五次会议) was held in each town on the working day of January that
apps/demo/suggestions.py names (`session_day`), with a preparatory meeting and a plenary meeting. Every town
deputy was expected; one to three were on approved leave with a reason, one or two absent, the rest checked
in (mostly by the QR code at the door, some by phone, a few by staff, a few late). The plenary meeting held
five closed votes (government work report, budget, final accounts, the presidium's report by open vote; the
resolution on the year's livelihood projects by secret ballot), each result computed by `meetings.rules`
and stored as `services.close_vote` stores it; ballots as the services write them (open: one `OpenBallot`
per deputy; secret: `VoteParticipation` and the stored result only, as if counted on paper); duty
records as the services append them (attendance, leave, absence per meeting; a vote record per
ballot). Written in bulk, without audit events, as the other replayed demo data.

Live: in 城关镇 an upcoming session today (第十九届人民代表大会第二次会议) planned through the services by
the `town` login, with its agenda, a government work report as a Word document, check-in open and the
first vote ready, so the `deputy` login can check in and vote once the office opens the meeting.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.duty.models import ActivityKind, DutyRecord, ReviewState, Source
from apps.meetings import rules
from apps.meetings.models import (
    AgendaItem,
    Attendee,
    Choice,
    Meeting,
    MeetingKind,
    MeetingState,
    OpenBallot,
    Session,
    Vote,
    VoteParticipation,
    VoteState,
)

from .county import CountyBuilder
from .suggestions import session_day, session_year

DEMO_SEED = 6
LEAVE_REASONS = ["外出务工", "因病住院", "出差在外", "家中老人生病", "参加县里培训"]
PLACE = "镇人民政府三楼会议室"
# (agenda title, kind, secret)
SESSION_VOTES = [
    ("政府工作报告", AgendaItem.Kind.REPORT, False),
    ("{year}年财政预算报告", AgendaItem.Kind.REPORT, False),
    ("{prev}年财政决算报告", AgendaItem.Kind.REPORT, False),
    ("镇人大主席团工作报告", AgendaItem.Kind.REPORT, False),
    ("关于{year}年民生实事项目的决议", AgendaItem.Kind.RESOLUTION, True),
]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


class DemoMeetings:
    def __init__(self, builder: CountyBuilder, *, today: date):
        self.b, self.today = builder, today
        self.rng = random.Random(DEMO_SEED)
        self.year = session_year(today)
        self.ct_meeting = ContentType.objects.get_for_model(Meeting)
        self.ct_vote = ContentType.objects.get_for_model(Vote)
        self.counts = {"meetings": 0, "votes": 0, "ballots": 0, "meeting_duty_records": 0}
        self.duty: list[DutyRecord] = []

    def run(self) -> dict:
        for index, town in enumerate(self.b.towns):
            self.last_session(index, town)
        DutyRecord.objects.bulk_create(self.duty, ignore_conflicts=True, batch_size=2000)
        self.counts["meeting_duty_records"] = len(self.duty)
        self.counts["live_session"] = self.live_session()
        return self.counts

    # --- the last session, replayed -----------------------------------------------------------------------
    def _duty(self, d, kind, day, title, ctype, source_id):
        self.duty.append(
            DutyRecord(
                deputy_id=d.id,
                county_id=self.b.county.id,
                town_id=self.town.node.id,
                kind=kind,
                date=day,
                title=title[:200],
                source=Source.PLATFORM,
                review_state=ReviewState.APPROVED,
                source_type=ctype,
                source_id=str(source_id),
            )
        )

    def last_session(self, index, town):
        rng, self.town = self.rng, town
        deputies = sorted((d for d in town.deputies if d.town_mandate), key=lambda d: d.id)
        if not deputies or town.spec.is_street:  # a street holds no congress session (DOMAIN §1)
            return
        day = session_day(self.year, index)
        region = {"region_id": town.node.id, "county_id": self.b.county.id, "town_id": town.node.id}
        title = f"{town.node.name}第十八届人民代表大会第五次会议"
        session = Session.objects.create(
            **region, term=18, number=5, title=title, starts_on=day, ends_on=day, opened_at=_at(day, 8, 30)
        )
        shuffled = deputies[:]
        rng.shuffle(shuffled)
        on_leave = shuffled[: rng.randint(1, 3)]
        absent = shuffled[len(on_leave) : len(on_leave) + rng.randint(1, 2)]
        reasons = {d.id: rng.choice(LEAVE_REASONS) for d in on_leave}
        status = {d.id: "leave" for d in on_leave} | {d.id: "absent" for d in absent}
        present = [d for d in deputies if d.id not in status]
        late = set(rng.sample([d.id for d in present], k=min(2, len(present))))
        methods = {d.id: rng.choices(["qr", "phone", "staff"], weights=[70, 22, 8])[0] for d in present}
        for kind, name, start, end in (
            (MeetingKind.PREPARATORY, "预备会议", (8, 30), (9, 0)),
            (MeetingKind.PLENARY, "第一次全体会议", (9, 15), (16, 30)),
        ):
            meeting = Meeting.objects.create(
                **region,
                session=session,
                kind=kind,
                title=f"{title}{name}",
                place=f"{town.node.name}{PLACE}",
                chair="",
                starts_at=_at(day, *start),
                ends_at=_at(day, *end),
                checkin_opens_at=_at(day, start[0] - 1, 30),
                checkin_closes_at=_at(day, *start),
                state=MeetingState.CLOSED,
                opened_at=_at(day, *start),
                closed_at=_at(day, *end),
                version=1,
            )
            self.counts["meetings"] += 1
            self.attendees(meeting, deputies, status, reasons, late, methods, day)
            if kind == MeetingKind.PLENARY:
                self.votes(meeting, deputies, present, day)

    def attendees(self, meeting, deputies, status, reasons, late, methods, day):
        rows = []
        attended = (
            ActivityKind.SESSION_ATTENDANCE
            if rules.needs_quorum(meeting.kind)
            else ActivityKind.MEETING_ATTENDANCE
        )
        for i, d in enumerate(deputies):
            s = status.get(d.id)
            row = Attendee(meeting=meeting, deputy_id=d.id, name=d.name, voting=True)
            if s == "leave":
                row.leave, row.leave_reason = Attendee.Leave.APPROVED, reasons[d.id]
                kind = ActivityKind.LEAVE
            elif s == "absent":
                kind = ActivityKind.ABSENCE
            else:
                is_late = d.id in late and meeting.kind == MeetingKind.PLENARY
                minutes = 20 + (i % 25) if not is_late else 0
                row.checked_in_at = (
                    meeting.starts_at - timedelta(minutes=minutes) + timedelta(minutes=12 * is_late)
                )
                row.checkin_method = "staff" if is_late else methods[d.id]
                row.late = is_late
                kind = attended
            rows.append(row)
            self._duty(d, kind, day, meeting.title, self.ct_meeting, meeting.pk)
        rows.append(Attendee(meeting=meeting, name="镇长", voting=False, checked_in_at=meeting.starts_at))
        Attendee.objects.bulk_create(rows)

    def votes(self, meeting, deputies, present, day):
        rng = self.rng
        total = len(deputies)
        for order, (pattern, kind, secret) in enumerate(SESSION_VOTES, start=1):
            title = pattern.format(year=self.year, prev=self.year - 1)
            item = AgendaItem.objects.create(meeting=meeting, order=order, title=title, kind=kind)
            opened = meeting.starts_at + timedelta(minutes=60 * order)
            closed = opened + timedelta(minutes=3)
            choices = {}
            for d in present:
                pick = rng.choices(["for", "against", "abstain", None], weights=[88, 4, 5, 3])[0]
                if pick:
                    choices[d.id] = pick
            counts = {c: sum(1 for v in choices.values() if v == c) for c in Choice.values}
            vote = Vote.objects.create(
                meeting=meeting,
                agenda_item=item,
                round=1,
                title=title,
                secret=secret,
                state=VoteState.CLOSED,
                opened_at=opened,
                closed_at=closed,
                total_deputies=total,
                present=len(present),
                votes_for=counts["for"],
                votes_against=counts["against"],
                votes_abstain=counts["abstain"],
                not_voted=rules.not_voted(len(present), len(choices)),
                adopted=rules.adopted(total, counts["for"]),
            )
            if secret:
                VoteParticipation.objects.bulk_create(
                    [VoteParticipation(vote=vote, deputy_id=i) for i in choices]
                )
            else:
                OpenBallot.objects.bulk_create(
                    [OpenBallot(vote=vote, deputy_id=i, choice=c, cast_at=opened) for i, c in choices.items()]
                )
            by_id = {d.id: d for d in present}
            for i in choices:
                self._duty(
                    by_id[i], ActivityKind.VOTE, day, f"{meeting.title}：{title}", self.ct_vote, vote.pk
                )
            self.counts["votes"] += 1
            self.counts["ballots"] += len(choices)

    # --- the live session in the county seat --------------------------------------------------------------
    def live_session(self) -> int:
        from apps.accounts.models import Role, RoleGrant
        from apps.meetings import services

        seat = self.b.towns[0]
        grant = (
            RoleGrant.objects.filter(role=Role.TOWN_OFFICE, region_id=seat.node.id)
            .select_related("user")
            .first()
        )
        if grant is None:
            return 0
        office = grant.user
        region = grant.region
        session = services.plan_session(actor=office, region=region, term=19, number=2, starts_on=self.today)
        meeting = services.plan_meeting(
            actor=office,
            region=region,
            kind=MeetingKind.PLENARY,
            title=f"{session.title}第一次全体会议",
            starts_at=_at(self.today, 9, 0),
            place=f"{region.name}{PLACE}",
            chair="主席团常务主席",
            session=session,
            allow_vote_change=True,
            non_voting=["镇长", "镇人民政府办公室主任"],
            agenda=[
                "审议镇人民政府工作报告",
                f"审查{self.year}年财政预算执行情况报告",
                f"关于{self.year + 1}年民生实事项目的决议",
            ],
        )
        items = list(meeting.agenda.order_by("order"))
        upload = SimpleUploadedFile(
            f"{region.name}人民政府工作报告.docx", _report_docx(region.name, self.year)
        )
        services.add_document(actor=office, meeting_id=meeting.pk, upload=upload, agenda_item_id=items[0].pk)
        services.open_checkin(actor=office, meeting_id=meeting.pk)
        services.create_vote(
            actor=office, meeting_id=meeting.pk, agenda_item_id=items[0].pk, title="关于政府工作报告的决议"
        )
        # The tellers of the secret vote: the office's login and the `deputy` login (both demo logins, so the
        # teller desk can be tried), else the first two who may be named.
        choices = services.teller_choices(meeting)
        tellers = [u for u in choices if u.pk == office.pk or u.username == "deputy"]
        if len(tellers) < 2:
            tellers = choices[:2]
        services.name_tellers(actor=office, meeting_id=meeting.pk, user_ids=[u.pk for u in tellers])
        services.create_vote(
            actor=office, meeting_id=meeting.pk, agenda_item_id=items[2].pk, secret=True, duration_seconds=300
        )
        self.counts["meetings"] += 1
        return meeting.pk


def _report_docx(town: str, year: int) -> bytes:
    """The government's work report as the office uploads it: an official paper like every other the
    platform makes (common/word.py, GB/T 9704-2012)."""
    from apps.common import word

    title = f"{town}人民政府工作报告"
    doc = word.new_document(title_text=title, author=f"{town}人民政府")
    word.title(doc, title)
    word.para(doc, "各位代表：", indent=False)
    word.para(doc, f"现在，我代表{town}人民政府，向大会报告工作，请予审议。")
    word.heading(doc, 1, f"{year}年工作回顾")
    word.para(doc, "一年来，全镇上下聚焦产业发展、民生改善和基层治理，完成了镇人大确定的各项民生实事。")
    word.heading(doc, 2, f"{year + 1}年工作安排")
    word.para(doc, "坚持稳中求进，抓好道路硬化、饮水安全、农村人居环境整治和为民办实事项目。")
    word.signature(doc, f"{town}人民政府")
    return word.to_bytes(doc)


def seed_demo_meetings(builder: CountyBuilder, *, today: date | None = None) -> dict:
    """The last session of every town (attendance, five closed votes, one secret) and 城关镇's session
    ready to run today."""
    today = today or timezone.localdate()
    return DemoMeetings(builder, today=today).run()
