"""Demo data for livelihood projects (民生实事项目代表票决制, DOMAIN §6, issue 19): three years in every town
of the demo county. For the two past years and this one: the public's, the deputies' and the units'
proposals (most listed, some not, with the reason), the candidate list voted at the session (one counted
round, twice as many candidates as places), the adopted projects given to a unit, a member of the
presidium and monitoring deputies, with milestones; the past years' built (one late), this year's in
progress with the unit's reports and photos in the county seat. For next year the county seat's list is
drawn up and put to its session (first round made, its ballot box waiting for the tellers' keys), ready to
be voted live.

History is written as rows in the state the engine would have left them (like an imported ledger), with
the `create` step; only next year's list is moved through the engine itself.
"""

from __future__ import annotations

import io
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.meetings.models import Meeting
from apps.people.models import Deputy
from apps.places.models import HandlingUnit, Region
from apps.projects.models import (
    Candidate,
    CandidateList,
    Category,
    Milestone,
    Progress,
    Project,
    ProjectRating,
    Proposal,
    Result,
    RoundKind,
    RoundLine,
    RoundState,
    Source,
    VoteRound,
)
from apps.projects.services import new_tracking_code
from apps.workflow.models import Step
from apps.workflow.uploads import attach

from .county import CountyBuilder

PLACES = 6
IDEAS = [
    ("{v}通组路硬化", Category.ROADS, 120),
    ("{v}安全饮水提升工程", Category.WATER, 85),
    ("{v}太阳能路灯安装", Category.ROADS, 30),
    ("{v}文化广场建设", Category.CULTURE, 60),
    ("{v}便民桥修建", Category.ROADS, 150),
    ("{v}卫生室标准化改造", Category.HEALTH, 45),
    ("{v}互助幸福院建设", Category.ELDERLY, 90),
    ("{v}污水管网改造", Category.ENVIRONMENT, 110),
    ("{v}茶园产业路", Category.INDUSTRY, 75),
    ("{v}小学塑胶操场", Category.EDUCATION, 55),
    ("{v}河堤加固", Category.WATER, 130),
    ("{v}垃圾分类收集点", Category.ENVIRONMENT, 25),
]
NOT_LISTED = "已列入县级部门年度计划，不再重复安排"
MILESTONES = [("项目立项和招标", 0.1, 3), ("主体工程施工", 0.7, 7), ("竣工验收", 0.2, 11)]


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _photo(rng: random.Random, title: str) -> SimpleUploadedFile:
    from PIL import Image

    img = Image.new("RGB", (480, 320), tuple(rng.randrange(60, 200) for _ in range(3)))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=70)
    return SimpleUploadedFile(f"{title}.jpg", buf.getvalue(), content_type="image/jpeg")


class _Seeder:
    def __init__(self, builder: CountyBuilder, today: date):
        self.rng = random.Random(19)
        self.today = today
        self.builder = builder
        self.steps: list[Step] = []
        self.counts = {"project_proposals": 0, "projects": 0, "project_photos": 0}
        self.ct = {m: ContentType.objects.get_for_model(m) for m in (Proposal, CandidateList, Project)}

    def step(self, obj, state: str, day: date) -> None:
        self.steps.append(
            Step(
                content_type=self.ct[type(obj)],
                object_id=obj.pk,
                transition="create",
                to_state=state,
                actor_label="人大办",
                at=_at(day),
            )
        )

    def town(self, plan, index: int) -> None:
        town = Region.objects.get(pk=plan.node.id)
        villages = list(Region.objects.filter(town_id=town.pk, level="village").order_by("code")[:12])
        units = list(HandlingUnit.objects.filter(pk__in=plan.unit_ids).order_by("pk"))
        deputies = list(Deputy.objects.filter(town_id=town.pk).order_by("pk"))
        if not villages or not units or len(deputies) < 4:
            return
        for year in (self.today.year - 2, self.today.year - 1, self.today.year):
            self.year(town, year, villages, units, deputies, photos=index == 0)

    def year(self, town, year, villages, units, deputies, *, photos: bool) -> None:
        rng_shift = self.rng.randrange(len(IDEAS))
        asked = date(year - 1, 9, 15)
        cl = CandidateList(
            region=town,
            year=year,
            title=f"{town.name}{year}年民生实事候选项目",
            places=PLACES,
            state="decided",
            state_since=_at(date(year, 1, 20)),
        )
        cl.save()
        self.step(cl, "decided", date(year - 1, 11, 1))
        total = len(deputies)
        rnd = VoteRound.objects.create(
            candidate_list=cl,
            number=1,
            kind=RoundKind.FIRST,
            places=PLACES,
            state=RoundState.COUNTED,
            ballots_cast=total - 2,
            ballots_valid=total - 3,
            ballots_void=1,
            total_deputies=total,
            present=total - 2,
            needed=total // 2 + 1,
            result_note=f"本轮通过{PLACES}个项目",
        )
        made: list[Project] = []
        for i in range(PLACES * 2):
            title, category, budget = IDEAS[(i + rng_shift) % len(IDEAS)]
            village = villages[(i * 5 + year) % len(villages)]
            source = (Source.PUBLIC, Source.DEPUTY, Source.UNIT, Source.PUBLIC)[i % 4]
            prop = Proposal(
                region=town,
                village=village,
                year=year,
                title=title.format(v=village.name),
                category=category,
                estimated_budget=Decimal(budget),
                source=source,
                proposer_name=village.name + "群众" if source == Source.PUBLIC else "",
                tracking_code=new_tracking_code(),
                state="listed",
                state_since=_at(asked),
            )
            prop.deputy = deputies[i % len(deputies)] if source == Source.DEPUTY else None
            prop.unit = units[i % len(units)] if source == Source.UNIT else None
            prop.save()
            self.step(prop, "submitted", asked)
            self.counts["project_proposals"] += 1
            cand = Candidate.objects.create(
                candidate_list=cl,
                proposal=prop,
                order=i + 1,
                title=prop.title,
                category=category,
                village=village,
                budget=Decimal(budget),
                schedule=f"{year}年3月至{year}年11月",
            )
            votes = total - 3 - i if i < PLACES else max(1, total // 2 - i)
            adopted = i < PLACES
            RoundLine.objects.create(
                round=rnd,
                candidate=cand,
                order=i + 1,
                votes=votes,
                result=Result.ADOPTED if adopted else Result.NOT_ADOPTED,
            )
            if adopted:
                made.append(
                    self.project(town, cl, cand, votes, units[i % len(units)], deputies, i, photos=photos)
                )
        if year < self.today.year:
            self.rating(town, cl, made, total)
        for i in range(3):  # not listed, with the reason the proposer reads
            village = villages[i % len(villages)]
            prop = Proposal(
                region=town,
                village=village,
                year=year,
                title=f"{village.name}新建村级办公楼",
                category=Category.OTHER,
                source=Source.PUBLIC,
                screening_reason=NOT_LISTED,
                tracking_code=new_tracking_code(),
                state="not_listed",
                state_since=_at(asked),
            )
            prop.save()
            self.step(prop, "submitted", asked)
            self.counts["project_proposals"] += 1

    def rating(self, town, cl, projects, total: int) -> None:
        """The year-end rating, filed: most deputies satisfied, one project's dissatisfied share lower."""
        results = {}
        for k, p in enumerate(projects):
            dissatisfied = self.rng.randrange(0, 3)
            basic = self.rng.randrange(2, 6)
            results[str(p.pk)] = {
                "satisfied": max(0, total - 2 - basic - dissatisfied - k % 2),
                "basic": basic,
                "dissatisfied": dissatisfied,
            }
        ProjectRating(
            region=town,
            candidate_list=cl,
            opens_at=_at(date(cl.year, 12, 10)),
            closes_at=_at(date(cl.year, 12, 20)),
            results=results,
            state="filed",
            state_since=_at(date(cl.year, 12, 20)),
        ).save()

    def project(self, town, cl, cand, votes, unit, deputies, i, *, photos: bool) -> Project:
        year, today = cl.year, self.today
        past = year < today.year
        # This year's projects whose last milestone is already due: most are built, every third is behind
        # (its last milestones overdue, flagged), as last year's last one is.
        all_due = year == today.year and date(year, MILESTONES[-1][2], 28) < today
        late = (past and i == PLACES - 1 and year == today.year - 1) or (all_due and i % 3 == 0)
        state = "completed" if (past or all_due) and not late else "under_way"
        done = date(year, 11, 25) if state == "completed" else None
        p = Project(
            region=town,
            candidate=cand,
            year=year,
            title=cand.title,
            category=cand.category,
            village=cand.village,
            budget=cand.budget,
            votes=votes,
            adopted_on=date(year, 1, 20),
            leader=deputies[i % 3],
            unit=unit,
            completed_on=done,
            state=state,
            state_since=_at(done or date(year, 2, 1)),
        )
        p.save()
        p.monitors.set(deputies[3 + (i * 2) % max(1, len(deputies) - 4) :][:2])
        self.step(p, "adopted", date(year, 1, 20))
        self.counts["projects"] += 1
        for order, (title, share, month) in enumerate(MILESTONES, 1):
            due = date(year, month, 28)
            budget = (cand.budget * Decimal(str(share))).quantize(Decimal("0.01"))
            if state == "completed":
                pct, spent, done_on = 100, budget, due - timedelta(days=5)
            elif due < today:
                pct, spent, done_on = (100, budget, due) if not late or order < 3 else (60, budget / 2, None)
            else:
                pct = min(90, max(0, (today.month - month + 5) * 15)) if year == today.year else 0
                spent, done_on = (budget * pct / 100).quantize(Decimal("0.01")), None
            m = Milestone.objects.create(
                project=p,
                order=order,
                title=title,
                due_on=due,
                budget=budget,
                percent_done=pct,
                spent=spent,
                done_on=done_on,
            )
            if pct and (photos or state != "completed"):
                report = Progress.objects.create(
                    milestone=m,
                    reported_on=min(today, due),
                    percent_done=pct,
                    spent=spent,
                    note=f"{title}完成{pct}%，现场照片已上传。",
                )
                if photos and year == today.year:
                    attach(actor=None, item=report, upload=_photo(self.rng, p.title), public=True)
                    self.counts["project_photos"] += 1
        return p


def _live_list(builder: CountyBuilder, today: date) -> int:
    """Next year's list of the county seat, put to its session: ready to be voted live."""
    from apps.projects import services
    from apps.workflow.services import transition

    seat = builder.towns[0]
    office = User.objects.filter(grants__role=Role.TOWN_OFFICE, grants__region_id=seat.node.id).first()
    meeting = (
        Meeting.objects.filter(
            town_id=seat.node.id, agenda__title__contains="民生实事", tellers__isnull=False
        )
        .order_by("-starts_at")
        .first()
    )
    if office is None or meeting is None:
        return 0
    year = today.year + 1
    cl = services.create_list(actor=office, town_id=seat.node.id, year=year, places=5, meeting_id=meeting.pk)
    villages = list(Region.objects.filter(town_id=seat.node.id, level="village").order_by("code")[:10])
    for i in range(10):
        title, category, budget = IDEAS[(i + 3) % len(IDEAS)]
        services.add_candidate(
            actor=office,
            list_id=cl.pk,
            data={
                "title": title.format(v=villages[i % len(villages)].name),
                "budget": str(budget),
                "category": category,
                "schedule": f"{year}年3月至{year}年10月",
                "village": villages[i % len(villages)].pk,
            },
        )
    transition(cl, "present", actor=office, data={})
    return 1


def seed_demo_projects(builder: CountyBuilder, *, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    seeder = _Seeder(builder, today)
    for index, plan in enumerate(builder.towns):
        seeder.town(plan, index)
    Step.objects.bulk_create(seeder.steps)
    seeder.counts["project_lists_live"] = _live_list(builder, today)
    return seeder.counts
