"""A world for the generated scope tests: two counties, two towns in the first, and in each town one object
(or `n`) of every kind that a URL or an API operation takes an id of, built through the apps' services.

Every object of a place carries the place's marker (e.g. `LEAKB`) in its name or title, so a test can look
for a foreign row in any page, list or export by that marker alone.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.accounts.tests.factories import user_with
from apps.people.tests.factories import DeputyFactory, HouseholdFactory, MandateFactory
from apps.places.tests.factories import HandlingUnitFactory, StationFactory, county, grid, town, village

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _png(name="photo.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@dataclass
class Place:
    """One town and what lives in it: `many[kind]` holds `n` objects of a kind, `objs[kind]` the first."""

    marker: str
    county: object
    town: object
    village: object = None
    grid: object = None
    station: object = None
    unit: object = None
    co_unit: object = None
    deputy: object = None
    deputy2: object = None
    office: object = None  # the town office login
    keeper: object = None
    unit_user: object = None
    deputy_user: object = None
    objs: dict = field(default_factory=dict)  # kind -> first object
    many: dict = field(default_factory=dict)  # kind -> list of objects

    def __getattr__(self, name):
        objs = self.__dict__.get("objs", {})
        if name in objs:
            return objs[name]
        raise AttributeError(name)

    def add(self, kind, obj):
        self.many.setdefault(kind, []).append(obj)
        self.objs.setdefault(kind, obj)
        return obj


@dataclass
class LeakWorld:
    home: Place  # town A of county A: the roles' own town
    townb: Place  # town B of county A: another township
    countyx: Place  # a town of county X: another county
    county_a: object = None
    county_x: object = None
    county_user: object = None
    county_x_user: object = None
    users: dict = field(default_factory=dict)  # role name -> user (None: anonymous)

    def foreign_for(self, role: str) -> list[Place]:
        """The places whose objects `role` must not reach: a county office's county covers town B."""
        return [self.countyx] if role == "county_office" else [self.townb, self.countyx]


def _people(p: Place, code_base: str, n: int):
    p.village = village(p.town, code_base + "001", f"{p.marker}村")
    p.grid = grid(p.village, code_base + "00101", f"{p.marker}总网格")
    p.station = StationFactory(name=f"{p.marker}代表联络站", region=p.town)
    p.unit = HandlingUnitFactory(name=f"{p.marker}人民政府", region=p.town)
    p.co_unit = HandlingUnitFactory(name=f"{p.marker}农业站", region=p.town)
    p.office = user_with("town_office", f"office-{p.marker}", region=p.town)
    p.keeper = user_with("station_keeper", f"keeper-{p.marker}", station=p.station)
    p.unit_user = user_with("unit_staff", f"unit-{p.marker}", unit=p.unit)
    for i in range(max(n, 2)):
        d = DeputyFactory(name=f"{p.marker}代表{i:02d}", region=p.village, station=p.station)
        MandateFactory(deputy=d, congress_region=p.town)
        d.user = user_with("deputy", f"deputy-{p.marker}-{i}", deputy=d)
        d.save()
        p.add("deputy", d)
    p.deputy, p.deputy2 = p.many["deputy"][:2]
    p.deputy_user = p.deputy.user
    for i in range(n):
        p.add(
            "household",
            HouseholdFactory(head_name=f"{p.marker}户主{i}", region=p.grid, contact_deputy=p.deputy),
        )
    p.add("region", p.village)
    p.add("station", p.station)
    # Logins an office manages (accounts/managing.py): a unit's staff, and one of its roles.
    p.unit_user.display_name = f"{p.marker}承办人"
    p.unit_user.save()
    p.add("user", p.unit_user)
    p.add("grant", p.unit_user.grants.get())


def _opinions(p: Place, n: int):
    from apps.opinions import services

    for i in range(n):
        item = services.register(
            actor=p.office,
            data={
                "source": "letter",
                "title": f"{p.marker}通组路{i}",
                "content": f"{p.marker}村通组路雨天泥泞，希望硬化。",
                "region": p.village.code,
                "topic": "road",
                "submitter_name": f"{p.marker}群众",
                "submitter_phone": "13900000001",
            },
        )
        p.add("opinion", item)
    att = services.add_attachment(actor=p.office, item=p.opinion, upload=_png(f"{p.marker}.png"))
    p.add("opinion_attachment", att)
    days = services.plan_year(actor=p.office, station=p.station, year=timezone.localdate().year)
    for day in days[:n]:
        p.add("reception_day", day)


def _suggestions(p: Place, n: int):
    from apps.suggestions import services

    for i in range(n):
        item = services.create_draft(
            actor=p.deputy_user,
            data={
                "title": f"{p.marker}关于硬化通组路的建议{i}",
                "content": f"{p.marker}村通组路约2公里，建议列入硬化计划。",
                "topic": "road",
                "period": "between",
                "co_signers": [],
            },
        )
        item = services.act(actor=p.deputy_user, item=item, key="submit")
        item = services.act(actor=p.office, item=item, key="register")
        item = services.act(
            actor=p.office,
            item=item,
            key="assign",
            data={"unit": p.unit.pk, "co_units": [p.co_unit.pk], "responsible_person": "刘主任"},
        )
        p.add("suggestion", item)
        p.add("cohandling", item.cohandlings.get())
    for i in range(n):
        motion = services.create_motion(
            actor=p.office,
            data={
                "by_presidium": True,
                "region": p.town.code,
                "title": f"{p.marker}议案{i}",
                "content": f"{p.marker}关于修订村规民约的议案",
            },
        )
        p.add("motion", motion)


def _meetings(p: Place, n: int):
    from apps.elections import services as elections
    from apps.meetings import services
    from apps.meetings.models import MeetingKind, Session

    session = Session.objects.create(
        region=p.town, term=18, number=5, title=f"{p.marker}第五次会议", starts_on=timezone.localdate()
    )
    for i in range(n):
        meeting = services.plan_meeting(
            actor=p.office,
            region=p.town,
            kind=MeetingKind.PLENARY,
            title=f"{p.marker}全体会议{i}",
            starts_at=timezone.now(),
            session=session,
            agenda=[f"{p.marker}政府工作报告"],
        )
        p.add("meeting", meeting)
    meeting = p.meeting
    p.add("attendee", meeting.attendees.filter(deputy=p.deputy).get())
    p.add("agenda_item", meeting.agenda.first())
    p.add("meeting_document", services.add_document(actor=p.office, meeting_id=meeting.pk, upload=_png()))
    for a in meeting.attendees.filter(voting=True):
        services.staff_check_in(actor=p.office, meeting_id=meeting.pk, attendee_id=a.pk)
    services.open_meeting(actor=p.office, meeting_id=meeting.pk)
    p.add(
        "vote",
        services.create_vote(actor=p.office, meeting_id=meeting.pk, agenda_item_id=p.agenda_item.pk),
    )
    # The meeting's tellers key the ballot box of its electronic election round (issue 15).
    services.name_tellers(actor=p.office, meeting_id=meeting.pk, user_ids=[p.office.pk, p.deputy_user.pk])
    post = elections.create_post(actor=p.office, meeting_id=meeting.pk, kind="head", title=f"{p.marker}镇长")
    p.add("post", post)
    elections.nominate(actor=p.office, post_id=post.pk, by="presidium", name="候选人甲")
    p.add("round", elections.start(actor=p.office, post_id=post.pk))
    # A second post still taking nominations, whose candidate can be withdrawn.
    post2 = elections.create_post(
        actor=p.office, meeting_id=meeting.pk, kind="deputy_head", title=f"{p.marker}副镇长"
    )
    p.add("candidate", elections.nominate(actor=p.office, post_id=post2.pk, by="presidium", name="候选人乙"))
    _elected(p, meeting)
    _deliberation(p, session)
    _resolutions(p)


def _elected(p: Place, meeting):
    """A counted round's elected outcome (its stored result written as the count writes it), with its
    oath: the appointment paper and the oath endpoints (issue 21 part 4)."""
    from apps.elections.models import Candidate, Oath, Outcome, Post, Result, Round, RoundKind, RoundState

    post = Post.objects.create(meeting=meeting, kind="vice_chair", title=f"{p.marker}副主席", seats=1)
    candidate = Candidate.objects.create(post=post, name="当选人丙", deputy=p.deputy)
    round_ = Round.objects.create(
        post=post, number=1, kind=RoundKind.FORMAL, seats=1, paper=True, state=RoundState.COUNTED,
        closed_at=timezone.now(), total_deputies=3, present=3, needed=2, ballots_issued=3, ballots_cast=3,
        ballots_valid=3,
    )  # fmt: skip
    outcome = Outcome.objects.create(
        round=round_, candidate=candidate, name=candidate.name, votes=3, result=Result.ELECTED, rank=1
    )
    Oath.objects.create(outcome=outcome, taken_on=timezone.localdate(), before="主持人")
    p.add("outcome", outcome)


def _resolutions(p: Place):
    """Resolutions followed up (issue 16 item 6): a resolution adopted (its stored result written as the
    close writes it), one implementation item assigned to the town's unit, with a file."""
    from apps.meetings import services
    from apps.meetings.models import AgendaItem, Vote, VoteState

    item = AgendaItem.objects.create(
        meeting=p.meeting, order=90, title=f"{p.marker}关于民生实事的决议", kind=AgendaItem.Kind.RESOLUTION
    )
    vote = services.create_vote(actor=p.office, meeting_id=p.meeting.pk, agenda_item_id=item.pk)
    Vote.objects.filter(pk=vote.pk).update(state=VoteState.CLOSED, adopted=True, closed_at=timezone.now())
    task = services.assign_task(
        actor=p.office, vote_id=vote.pk, unit_id=p.unit.pk, title=f"{p.marker}修村道", working_days=10
    )
    p.add("resolution_task", task)
    p.add(
        "resolution_task_attachment",
        services.attach_task_file(actor=p.office, task_id=task.pk, upload=_png()),
    )


def _deliberation(p: Place, session):
    """Group deliberation and agenda checklists (issue 16 items 4 and 7): a group recorded by the deputy, an
    opinion on the report, its digest sent to the town's unit, the meeting's checklist and a town's line."""
    from apps.meetings import services

    p.add("session", session)
    group = services.form_group(
        actor=p.office,
        session_id=session.pk,
        name=f"{p.marker}第一组",
        recorder_id=p.deputy_user.pk,
        member_ids=[p.deputy.pk, p.deputy2.pk],
    )
    p.add("deliberation_group", group)
    p.add(
        "deliberation_opinion",
        services.record_opinion(
            actor=p.office,
            group_id=group.pk,
            agenda_item_id=p.agenda_item.pk,
            deputy_id=p.deputy.pk,
            text="意见",
        ),
    )
    p.add("digest", services.send_digest(actor=p.office, agenda_item_id=p.agenda_item.pk, unit_id=p.unit.pk))
    p.add("checklist_item", p.meeting.checklist.first())
    p.add(
        "checklist_entry",
        services.add_checklist_entry(
            actor=p.office, region=p.town, kind="presidium", part="document", label=f"{p.marker}文件"
        ),
    )


def _duty(p: Place, n: int):
    from apps.archive import services as archive
    from apps.duty import services as duty

    today = timezone.localdate()
    for i in range(n):
        rec = duty.create_record(
            actor=p.office,
            deputy_id=p.deputy.pk,
            data={"kind": "study", "date": today, "title": f"{p.marker}学习代表法{i}"},
            uploads=[_png()] if i == 0 else (),
        )
        p.add("duty_record", rec)
    from apps.workflow.models import Attachment

    p.add("duty_attachment", Attachment.objects.filter(object_id=p.duty_record.pk).latest("pk"))
    for i in range(n):
        p.add(
            "commitment",
            archive.create_commitment(
                actor=p.office,
                deputy_id=p.many["deputy"][i // 3].pk,  # at most 3 a deputy and year [local]
                data={
                    "title": f"{p.marker}便民桥{i}",
                    "detail": "年内完工",
                    "target_date": today + datetime.timedelta(days=200),
                },
            ),
        )
    for i in range(n):
        rb = archive.plan_meeting(
            actor=p.office,
            region_id=p.town.pk,
            data={
                "date": today + datetime.timedelta(days=30),
                "place": f"{p.marker}村委会",
                "title": f"{p.marker}述职会{i}",
            },
            deputy_ids=[p.deputy.pk],
        )
        p.add("report_back", rb)
        p.add("speaker", rb.speakers.get())


def _notifications(p: Place, n: int):
    from apps.notifications.tests.factories import NotificationFactory

    for user in (p.office, p.deputy_user, p.unit_user, p.keeper):
        for i in range(n):
            p.add("notification", NotificationFactory(recipient=user, title=f"{p.marker}消息{i}"))


def _ballotbox(p: Place, n: int):
    from apps.ballotbox import services as ballotbox

    for i in range(n):
        p.add(
            "box",
            ballotbox.create_box(
                actor=p.office,
                region=p.town,
                title=f"{p.marker}票箱{i}",
                labels=["赞成", "反对", "弃权"],
                tellers=[p.office, p.deputy_user],
            ),
        )


def _rectifications(p: Place, n: int):
    """Rectification (issue 18 part 4): `n` items of the town assigned to its unit, reviewed by its deputy,
    the first with an evidence file."""
    from apps.rectification import services

    for i in range(n):
        item = services.open_item(
            actor=p.office, region=p.town, unit=p.unit, title=f"{p.marker}整改护栏{i}", reviewers=[p.deputy],
            source_label=f"{p.marker}执法检查",
        )  # fmt: skip
        p.add("rectification", item)
    item = p.rectification
    p.add("rectification_attachment", services.attach_file(actor=p.office, item_id=item.pk, upload=_png()))


def _evaluations(p: Place):
    """A department evaluation of the town's unit (issue 18 part 3), a file, and its survey (planned)."""
    from datetime import timedelta

    from apps.evaluations import services

    item = services.create_evaluation(
        actor=p.office, region_id=p.town.pk, year=2026, title=f"{p.marker}部门评议", unit_ids=[p.unit.pk]
    )
    p.add("evaluation", item)
    p.add("unit", p.unit)
    p.add("evaluation_attachment", services.attach_file(actor=p.office, evaluation_id=item.pk, upload=_png()))
    now = timezone.now()
    p.add(
        "evaluation_survey",
        services.create_survey(
            actor=p.office, evaluation_id=item.pk, opens_at=now, closes_at=now + timedelta(days=1)
        ),
    )
    from apps.evaluations import services_officials

    rating = services_officials.create_rating(
        actor=p.office,
        meeting_id=p.meeting.pk,
        title=f"{p.marker}副镇长述职",
        officials=[{"name": "王五", "post": "副镇长"}],
    )
    p.add("vice_mayor_rating", rating)
    official = services_officials.attach_report(
        actor=p.office, rating_id=rating.pk, official_id=rating.officials.get().pk, upload=_png()
    )
    p.add("official", official)
    p.add("vice_mayor_rating_attachment", official.report)


def _supervision(p: Place):
    """Supervision (issue 18): the year's plan with one activity under way (the deputy leads it) and a
    finding for the town's unit, and an appointment three deputies asked for."""
    from datetime import date

    from apps.people.tests.factories import DeputyFactory, MandateFactory
    from apps.supervision import services

    year = timezone.localdate().year
    plan = services.create_plan(actor=p.office, region_id=p.town.pk, year=year)
    p.add("supervision_plan", plan)
    item = services.add_activity(
        actor=p.office, plan_id=plan.pk, kind="inspection", topic=f"{p.marker}饮水安全",
        starts_on=date(year, 1, 1), ends_on=date(year, 12, 31), lead_ids=[p.deputy.pk],
    )  # fmt: skip
    item = services.act(actor=p.office, item=item, key="start", data={})
    finding = services.record_finding(
        actor=p.office, activity_id=item.pk, text_value=f"{p.marker}管网老化", unit_id=p.unit.pk
    )
    p.add("finding", finding)
    p.add("activity", item)
    p.add("activity_attachment", services.attach_file(actor=p.office, activity_id=item.pk, upload=_png()))
    from apps.dispatch import services as dispatch

    p.add(
        "dispatch",
        dispatch.send(
            actor=p.office, kind="activity", object_id=item.pk, recipient_kind="party_committee",
            recipient=f"{p.marker}镇党委",
        ),
    )  # fmt: skip
    third = DeputyFactory(name=f"{p.marker}代表99", region=p.village, station=p.station)
    MandateFactory(deputy=third, congress_region=p.town)
    p.add(
        "appointment",
        services.request_appointment(
            actor=p.office, region_id=p.town.pk, kind="appointment", subject=f"{p.marker}道路养护",
            official="副镇长", body=f"{p.marker}人民政府", deputy_ids=[p.deputy.pk, p.deputy2.pk, third.pk],
            unit_id=p.unit.pk,
        ),
    )  # fmt: skip


def _yearplan(p: Place):
    """The year's calendar (issue 20 part 4): one item of the town added by its office."""
    from apps.calendar.services import add_working_days
    from apps.yearplan import services

    when = add_working_days(timezone.localdate(), 5)
    item = services.add_item(actor=p.office, region=p.town, kind="study", title=f"{p.marker}学习", when=when)
    p.add("plan_item", item)
    # The county's template (one per county and year): town B's is its county's for last year.
    from apps.yearplan import county_template
    from apps.yearplan.models import CalendarTemplate

    year = timezone.localdate().year - (1 if CalendarTemplate.objects.filter(region=p.county).exists() else 0)
    county_office = user_with("county_office", f"county-template-{p.marker}", region=p.county)
    template = county_template.create(actor=county_office, county=p.county, year=year)
    p.add("calendar_template", template)
    p.add("template_line", template.lines.first())


def _rule_documents(p: Place):
    """The procedure book (issue 21): one rule document of the town's own, with its file."""
    from apps.procedures import services

    doc = services.add_document(actor=p.office, town_id=p.town.pk, title=f"{p.marker}议事规则", upload=_png())
    p.add("rule_document", doc)


def _assessment(county, user, places: list[Place]):
    """The township assessment (issue 20): the county's table of the year (Hanyin's example) open for
    scoring, and in each town its assessment and a manual score with an evidence file."""
    from apps.assessment import examples, services
    from apps.assessment.models import TownAssessment

    table = examples.install(actor=user, county=county, year=timezone.localdate().year)
    table = services.act(actor=user, item=table, key="open_scoring", data={})
    indicator = table.indicators.filter(source="manual").first()
    for p in places:
        row = TownAssessment.objects.get(table=table, region=p.town)
        p.add("assessment_table", table)
        p.add("indicator", indicator)
        p.add("town_assessment", row)
        score = services.score(actor=user, assessment_id=row.pk, indicator_id=indicator.pk, points=3,
                               note=f"{p.marker}材料齐全")  # fmt: skip
        p.add("manual_score", score)
        p.add("manual_score_attachment", services.attach_file(actor=user, score_id=score.pk, upload=_png()))


def _projects(p: Place, n: int):
    """Livelihood projects (issue 19): `n` proposals (the deputy's), the town's candidate list voted at its
    meeting, and an adopted project (made straight from a candidate, without a vote) given to the town's
    unit and monitored by its deputy, with a milestone and a progress photo."""
    from apps.projects import progress, services
    from apps.projects.models import Project
    from apps.workflow.services import create_tracked, transition

    year = timezone.localdate().year
    for i in range(n):
        item = services.propose(
            actor=p.deputy_user, town_id=p.town.pk, data={"title": f"{p.marker}村道{i}", "year": year}
        )
        p.add("proposal", item)
        p.add("proposal_code", item)
    cl = services.create_list(
        actor=p.office,
        town_id=p.town.pk,
        year=year,
        places=1,
        meeting_id=p.meeting.pk,
        title=f"{p.marker}民生实事候选项目",
    )
    p.add("candidate_list", cl)
    cand = services.add_candidate(
        actor=p.office, list_id=cl.pk, data={"title": f"{p.marker}路灯", "budget": "30"}
    )
    p.add("project_candidate", cand)
    fields = {
        "region": p.town,
        "candidate": cand,
        "year": year,
        "title": f"{p.marker}路灯",
        "budget": cand.budget,
        "votes": 9,
        "adopted_on": timezone.localdate(),
    }
    project = create_tracked(Project, actor=p.office, fields=fields)
    project = transition(
        project,
        "assign",
        actor=p.office,
        data={"leader": p.deputy.pk, "unit": p.unit.pk, "monitors": [p.deputy.pk]},
    )
    p.add("project", project)
    milestone = progress.add_milestone(
        actor=p.office,
        project_id=project.pk,
        title=f"{p.marker}采购",
        due_on=datetime.date(year, 6, 30),
        budget="10",
    )
    p.add("milestone", milestone)
    report = progress.report_progress(
        actor=p.unit_user, milestone_id=milestone.pk, percent_done=40, spent="4", photos=[_png()]
    )
    from apps.workflow.uploads import attachments_of

    p.add("photo", attachments_of(report).first())
    from apps.projects.models import ProjectRating

    now = timezone.now()
    fields = {
        "candidate_list": cl,
        "region": p.town,
        "opens_at": now,
        "closes_at": now + datetime.timedelta(days=1),
    }
    p.add("project_rating", create_tracked(ProjectRating, actor=p.office, fields=fields))


def build_place(county_region, town_code: str, marker: str, n: int = 1) -> Place:
    p = Place(marker=marker, county=county_region, town=town(county_region, town_code, f"{marker}镇"))
    _people(p, town_code, n)
    _opinions(p, n)
    _suggestions(p, n)
    _meetings(p, n)
    _duty(p, n)
    _notifications(p, n)
    _ballotbox(p, n)
    _rectifications(p, n)
    _evaluations(p)
    _supervision(p)
    _yearplan(p)
    _rule_documents(p)
    _projects(p, n)
    return p


def build(n_home: int = 1) -> LeakWorld:
    """County A (town A = home with `n_home` of each kind, town B) and county X (one town)."""
    from apps.duty.tests.factories import default_table

    county_a = county("610921", "汉阴县")
    county_x = county("610922", "LEAKX县")
    w = LeakWorld(
        home=build_place(county_a, "610921100", "HOME", n_home),
        townb=build_place(county_a, "610921101", "LEAKB"),
        countyx=build_place(county_x, "610922100", "LEAKX"),
        county_a=county_a,
        county_x=county_x,
    )
    year = timezone.localdate().year
    default_table(county_a, year=year)
    default_table(county_x, year=year)
    w.county_user = user_with("county_office", "county-office", region=county_a)
    w.county_x_user = user_with("county_office", "county-office-x", region=county_x)
    _assessment(county_a, w.county_user, [w.home, w.townb])
    _assessment(county_x, w.county_x_user, [w.countyx])
    w.users = {
        "county_office": w.county_user,
        "town_office": w.home.office,
        "station_keeper": w.home.keeper,
        "deputy": w.home.deputy_user,
        "unit_staff": w.home.unit_user,
        "anonymous": None,
    }
    return w
