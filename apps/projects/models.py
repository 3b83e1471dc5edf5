"""Livelihood projects decided by the deputies' vote (民生实事项目代表票决制, DOMAIN §6, issue 19).

群众想、代表定、人大督、代表评: a `Proposal` from any source (the public, a deputy, a unit, an opinion) is
screened onto a town's yearly `CandidateList` (a `Candidate` with its budget and schedule) or not, with a
reason the proposer sees; the congress votes on the list by secret ballot in rounds (`VoteRound`, its
ballot box in apps.ballotbox, `RoundLine` the counters, `VoteParticipation` only that a deputy voted); each
adopted candidate becomes a `Project` with its member in charge, monitoring deputies, unit and
`Milestone`s; the unit reports `Progress`, deputies record `Inspection`s. Tracked kinds (proposal, list,
project) move only through their tables in workflow.py.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Role, RoleGrant
from apps.accounts.scopes import Scope
from apps.meetings.models import Meeting
from apps.people.models import Deputy
from apps.places.models import HandlingUnit, InRegion, Region
from apps.workflow.models import Tracked

MONEY = {"max_digits": 12, "decimal_places": 2}


class Category(models.TextChoices):
    ROADS = "roads", _("道路交通")
    WATER = "water", _("供水排水")
    EDUCATION = "education", _("教育")
    HEALTH = "health", _("医疗卫生")
    ELDERLY = "elderly", _("养老服务")
    ENVIRONMENT = "environment", _("人居环境")
    INDUSTRY = "industry", _("产业发展")
    CULTURE = "culture", _("文体设施")
    OTHER = "other", _("其他")


class Source(models.TextChoices):
    PUBLIC = "public", _("群众建议")
    DEPUTY = "deputy", _("代表提出")
    UNIT = "unit", _("政府部门提出")
    OPINION = "opinion", _("社情民意转化")


def _users(**grant):
    User = RoleGrant._meta.get_field("user").related_model
    return list(User.objects.filter(is_active=True, **grant).distinct())


def _office(obj):
    return _users(grants__role=Role.TOWN_OFFICE, grants__region_id=obj.town_id)


class Proposal(InRegion, Tracked):
    """项目建议: one proposal for next year's livelihood projects, from any source, screened by the
    government (entered by the office): onto the candidate list, not listed (with a reason the proposer
    sees) or merged into a similar one."""

    region = models.ForeignKey(Region, verbose_name=_("镇"), on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(
        Region,
        verbose_name=_("村（社区）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("实施年度"))
    title = models.CharField(_("项目名称"), max_length=100)
    detail = models.TextField(_("项目内容"), blank=True)
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices, default=Category.OTHER)
    estimated_budget = models.DecimalField(_("估算投资（万元）"), null=True, blank=True, **MONEY)
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    proposer_name = models.CharField(_("建议人"), max_length=50, blank=True)
    # Private: the proposer's phone is never shown outside the office.
    proposer_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    deputy = models.ForeignKey(
        Deputy, verbose_name=_("提出代表"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        HandlingUnit,
        verbose_name=_("提出单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    opinion = models.ForeignKey(
        "opinions.Opinion",
        verbose_name=_("来源社情民意"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    merged_into = models.ForeignKey(
        "self", verbose_name=_("并入"), null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    # Why it was not listed, or what it was merged into: the proposer reads it with their tracking code.
    screening_reason = models.CharField(_("筛选意见"), max_length=500, blank=True)
    tracking_code = models.CharField(_("查询码"), max_length=16, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(unit="unit", deputy="deputy")

    class Meta:
        verbose_name = _("民生实事项目建议")
        verbose_name_plural = _("民生实事项目建议")
        ordering = ["-year", "-id"]
        indexes = [models.Index(fields=["town", "year", "state"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("projects:proposal", args=[self.pk])

    def audience(self, name: str):
        if name == "office":
            return _office(self)
        if name == "proposer" and self.created_by_id:
            return [self.created_by] if self.created_by.is_active else []
        return []


class CandidateList(InRegion, Tracked):
    """候选项目清单: a town's list for a year, put to the congress with more candidates than places."""

    region = models.ForeignKey(Region, verbose_name=_("镇"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("实施年度"))
    title = models.CharField(_("名称"), max_length=200)
    places = models.PositiveSmallIntegerField(_("拟票决项目数"))
    # The congress sitting that votes: its voting attendees are the deputies, its tellers key the boxes.
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("票决会议"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = Scope(deputy="meeting__attendees__deputy")

    class Meta:
        verbose_name = _("民生实事候选项目清单")
        verbose_name_plural = _("民生实事候选项目清单")
        ordering = ["-year", "region"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="projects_one_list_per_town_year"),
            models.CheckConstraint(condition=models.Q(places__gte=1), name="projects_list_places_positive"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("projects:list", args=[self.pk])

    def audience(self, name: str):
        return _office(self) if name in ("office", "presidium") else []


class Candidate(models.Model):
    """A candidate project on a list, with its budget, place and schedule."""

    candidate_list = models.ForeignKey(CandidateList, on_delete=models.CASCADE, related_name="candidates")
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="candidates"
    )
    order = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("项目名称"), max_length=100)
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices, default=Category.OTHER)
    village = models.ForeignKey(
        Region, verbose_name=_("实施地点"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    budget = models.DecimalField(_("投资预算（万元）"), **MONEY)
    schedule = models.CharField(_("实施计划"), max_length=200, blank=True)
    detail = models.TextField(_("建设内容"), blank=True)

    class Meta:
        verbose_name = _("候选项目")
        verbose_name_plural = _("候选项目")
        ordering = ["candidate_list", "order"]
        constraints = [
            models.UniqueConstraint(fields=["candidate_list", "order"], name="projects_candidate_order"),
            models.UniqueConstraint(fields=["candidate_list", "title"], name="projects_candidate_once"),
            models.CheckConstraint(condition=models.Q(budget__gte=0), name="projects_candidate_budget"),
        ]

    def __str__(self):
        return self.title


class RoundKind(models.TextChoices):
    FIRST = "first", _("正式票决")
    TIE = "tie", _("得票相等项目再次票决")
    FURTHER = "further", _("未满额再次票决")


class RoundState(models.TextChoices):
    READY = "ready", _("待投票")
    OPEN = "open", _("投票中")
    COUNTING = "counting", _("计票中，待监票人解密")
    COUNTED = "counted", _("已计票")


class VoteRound(models.Model):
    """One secret ballot on (some of) a list's candidates: mark up to `places` of them. The counters move
    while it is open; the result is written once when it is counted, never edited."""

    candidate_list = models.ForeignKey(CandidateList, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("轮次"))
    kind = models.CharField(_("类型"), max_length=16, choices=RoundKind.choices)
    places = models.PositiveSmallIntegerField(_("本轮票决名额"))
    state = models.CharField(_("状态"), max_length=16, choices=RoundState.choices, default=RoundState.READY)
    ballots_cast = models.PositiveIntegerField(_("收回选票"), default=0)
    ballots_valid = models.PositiveIntegerField(_("有效票"), default=0)
    ballots_void = models.PositiveIntegerField(_("无效票"), default=0)
    # Paper ballots (deputies without phones): the tellers' totals {returned, void, lines: {id: votes}}.
    paper_totals = models.JSONField(_("纸质选票统计"), null=True, blank=True)
    # One login enters the paper totals, another confirms them (as the elections' paper totals); only
    # confirmed totals are counted, and a round with paper ballots handed out waits for the confirmation.
    paper_entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    paper_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    total_deputies = models.PositiveIntegerField(_("全体代表"), null=True, blank=True)
    present = models.PositiveIntegerField(_("到会代表"), null=True, blank=True)
    needed = models.PositiveIntegerField(_("通过所需票数"), null=True, blank=True)
    result_note = models.CharField(_("结果说明"), max_length=300, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    scope = Scope(
        county="candidate_list__county",
        town="candidate_list__town",
        deputy="candidate_list__meeting__attendees__deputy",
    )

    class Meta:
        verbose_name = _("票决轮次")
        verbose_name_plural = _("票决轮次")
        ordering = ["candidate_list", "number"]
        constraints = [
            models.UniqueConstraint(fields=["candidate_list", "number"], name="projects_round_number"),
            models.UniqueConstraint(
                fields=["candidate_list"],
                condition=~models.Q(state="counted"),
                name="projects_one_live_round",
            ),
        ]

    def __str__(self):
        return f"{self.candidate_list} · 第{self.number}轮"


class Result(models.TextChoices):
    ADOPTED = "adopted", _("票决通过")
    NOT_ADOPTED = "not_adopted", _("未通过")
    TIED = "tied", _("得票相等，再次票决")


class RoundLine(models.Model):
    """A candidate on a round's ballot, its votes, and (once counted) its result."""

    round = models.ForeignKey(VoteRound, on_delete=models.CASCADE, related_name="lines")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="lines")
    order = models.PositiveSmallIntegerField(_("序号"))
    votes = models.PositiveIntegerField(_("得票"), default=0)
    result = models.CharField(_("结果"), max_length=16, choices=Result.choices, blank=True)

    class Meta:
        ordering = ["round", "order"]
        constraints = [
            models.UniqueConstraint(fields=["round", "candidate"], name="projects_line_once"),
            models.UniqueConstraint(fields=["round", "order"], name="projects_line_order"),
        ]

    def __str__(self):
        return f"{self.round_id}:{self.candidate_id}={self.votes}"


class VoteParticipation(models.Model):
    """Only that this deputy has voted in this round (or took a paper ballot): never what."""

    round = models.ForeignKey(VoteRound, on_delete=models.CASCADE, related_name="participations")
    deputy = models.ForeignKey(Deputy, on_delete=models.PROTECT, related_name="+")
    paper = models.BooleanField(_("纸质选票"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "deputy"], name="projects_vote_once_per_round")
        ]

    def __str__(self):
        return f"{self.round_id}:{self.deputy_id}"


class Project(InRegion, Tracked):
    """民生实事项目: an adopted candidate, its people in charge and its milestones."""

    region = models.ForeignKey(Region, verbose_name=_("镇"), on_delete=models.PROTECT, related_name="+")
    candidate = models.OneToOneField(Candidate, on_delete=models.PROTECT, related_name="project")
    year = models.PositiveSmallIntegerField(_("实施年度"))
    title = models.CharField(_("项目名称"), max_length=100)
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices, default=Category.OTHER)
    village = models.ForeignKey(
        Region, verbose_name=_("实施地点"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    budget = models.DecimalField(_("投资预算（万元）"), **MONEY)
    votes = models.PositiveIntegerField(_("得票"))
    adopted_on = models.DateField(_("票决通过日期"))
    # 主席团成员牵头, 代表监督小组, 责任单位: set when the office files the project (交办).
    leader = models.ForeignKey(
        Deputy,
        verbose_name=_("牵头主席团成员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    monitors = models.ManyToManyField(
        Deputy, verbose_name=_("监督代表"), blank=True, related_name="projects_monitored"
    )
    unit = models.ForeignKey(
        HandlingUnit,
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)

    scope = Scope(
        unit="unit", deputy=("monitors", "leader", "candidate__candidate_list__meeting__attendees__deputy")
    )

    class Meta:
        verbose_name = _("民生实事项目")
        verbose_name_plural = _("民生实事项目")
        ordering = ["-year", "candidate__order"]
        indexes = [models.Index(fields=["town", "year", "state"]), models.Index(fields=["unit", "state"])]
        constraints = [models.CheckConstraint(condition=models.Q(budget__gte=0), name="projects_budget")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("projects:project", args=[self.pk])

    def audience(self, name: str):
        if name == "office":
            return _office(self)
        if name == "unit" and self.unit_id:
            return _users(grants__role=Role.UNIT_STAFF, grants__unit_id=self.unit_id)
        if name == "leader" and self.leader_id:
            return _users(grants__role=Role.DEPUTY, grants__deputy_id=self.leader_id)
        if name == "monitors":
            return _users(grants__role=Role.DEPUTY, grants__deputy__in=self.monitors.all())
        return []


class Milestone(models.Model):
    """A step of a project with its date and budget; the unit's latest report sets its figures."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    order = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("节点"), max_length=100)
    due_on = models.DateField(_("计划完成日期"))
    budget = models.DecimalField(_("节点预算（万元）"), **MONEY)
    percent_done = models.PositiveSmallIntegerField(_("完成进度（%）"), default=0)
    spent = models.DecimalField(_("已支出（万元）"), default=0, **MONEY)
    done_on = models.DateField(_("实际完成日期"), null=True, blank=True)
    # When the overdue flag was sent (once per milestone).
    overdue_notified_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("项目节点")
        verbose_name_plural = _("项目节点")
        ordering = ["project", "order"]
        constraints = [
            models.UniqueConstraint(fields=["project", "order"], name="projects_milestone_order"),
            models.CheckConstraint(condition=models.Q(percent_done__lte=100), name="projects_percent_max"),
        ]

    def __str__(self):
        return self.title


class Progress(models.Model):
    """One report by the unit on a milestone (its photos are `workflow.Attachment`s on this row)."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="reports")
    reported_on = models.DateField(_("报送日期"))
    percent_done = models.PositiveSmallIntegerField(_("完成进度（%）"))
    spent = models.DecimalField(_("累计支出（万元）"), **MONEY)
    note = models.TextField(_("进展情况"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("项目进度")
        verbose_name_plural = _("项目进度")
        ordering = ["-reported_on", "-id"]

    def __str__(self):
        return f"{self.milestone} {self.percent_done}%"


class Inspection(models.Model):
    """代表视察: deputies inspect a project; the findings and photos stay on it, and it counts in each
    deputy's duty record."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="inspections")
    on = models.DateField(_("视察日期"))
    deputies = models.ManyToManyField(Deputy, verbose_name=_("视察代表"), related_name="+")
    findings = models.TextField(_("视察发现"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("代表视察")
        verbose_name_plural = _("代表视察")
        ordering = ["-on", "-id"]

    def __str__(self):
        return f"{self.project} {self.on}"


class ProjectRating(InRegion, Tracked):
    """年终测评: the congress's deputies rate each of a list's projects (满意 / 基本满意 / 不满意) by secret
    ballot in a window; the ballot box has one row per project, keyed by the sitting's tellers."""

    candidate_list = models.OneToOneField(CandidateList, on_delete=models.PROTECT, related_name="rating")
    region = models.ForeignKey(Region, verbose_name=_("镇"), on_delete=models.PROTECT, related_name="+")
    opens_at = models.DateTimeField(_("测评开始时间"))
    closes_at = models.DateTimeField(_("测评截止时间"))
    # Per project id: {"satisfied": n, "basic": n, "dissatisfied": n}; written once when filed.
    results = models.JSONField(_("测评结果"), null=True, blank=True)

    scope = Scope(deputy="candidate_list__meeting__attendees__deputy")

    class Meta:
        verbose_name = _("民生实事项目年终测评")
        verbose_name_plural = _("民生实事项目年终测评")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="projects_window"
            )
        ]

    def __str__(self):
        return f"{self.candidate_list.year}年民生实事项目测评"

    def get_absolute_url(self):
        return reverse("projects:list", args=[self.candidate_list_id])

    def audience(self, name: str):
        return _office(self) if name == "office" else []


class RatingParticipation(models.Model):
    """Only that this deputy has rated (one per deputy): never what."""

    rating = models.ForeignKey(ProjectRating, on_delete=models.CASCADE, related_name="participations")
    deputy = models.ForeignKey(Deputy, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rating", "deputy"], name="projects_rate_once")]

    def __str__(self):
        return f"{self.rating_id}:{self.deputy_id}"
