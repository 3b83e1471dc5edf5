"""Elections at a congress sitting (DOMAIN §5 选举): posts and seats, nominations, candidates, rounds of
secret ballots and their stored outcome.

The secret ballot [law] is kept in two separate places that cannot be joined:
- `Participation` says only that a deputy has taken part in a round (no time, no content);
- an electronic (phone) ballot's content is stored only encrypted, in the round's ballot box
  (apps.ballotbox, sealed in the participation's transaction): no counter of a choice moves with it, so
  neither a row, a transaction id (xmin) nor a backup links a deputy to a choice (issue 15). The box's
  decrypted totals are added to the counters once, when the last teller gives their share;
- a paper ballot carries no name: as read out, it moves the counters `BallotLine` (per round and
  candidate: for / against / abstain), `WriteInTally` (per round and written-in name) and the round's own
  cast / valid / void counters with `F() + 1`, so no row stands for a ballot.
A round's outcome (`Outcome`, the round's `total_deputies`, `needed`, `issued`, `state`) is written once,
when the round is counted, and never edited; a tie or an unfilled seat makes a new round beside it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.accounts.scopes import Scope
from apps.meetings.models import AgendaItem, Meeting
from apps.people.models import Deputy


class PostKind(models.TextChoices):
    CHAIR = "chair", _("主席")
    VICE_CHAIR = "vice_chair", _("副主席")
    HEAD = "head", _("镇长")
    DEPUTY_HEAD = "deputy_head", _("副镇长")


# Head posts: one more candidate than seats, or as many as seats (a single candidate) [law].
HEAD_KINDS = {PostKind.CHAIR, PostKind.HEAD}

_MEETING_SCOPE = {
    "county": "meeting__county",
    "town": "meeting__town",
    "deputy": "meeting__attendees__deputy",
}


class Post(models.Model):
    """One post to fill at a congress sitting: its seats and, for deputy posts, the competitive margin
    fixed in the session's election rules (选举办法)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="election_posts")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="election_posts"
    )
    kind = models.CharField(_("职务"), max_length=16, choices=PostKind.choices)
    title = models.CharField(_("名称"), max_length=100)
    seats = models.PositiveSmallIntegerField(_("应选人数"), default=1)
    margin = models.PositiveSmallIntegerField(_("差额数"), default=1)
    # 候选人与代表见面会 (DOMAIN §5): one meeting, usually for every post of the sitting; its check-in is
    # the attendance.
    candidates_meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("候选人与代表见面会"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="candidate_posts",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(**_MEETING_SCOPE)

    class Meta:
        verbose_name = _("选举职务")
        verbose_name_plural = _("选举职务")
        ordering = ["meeting", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(seats__gte=1), name="post_seats_positive"),
            models.CheckConstraint(
                condition=models.Q(margin__gte=1, margin__lte=3), name="post_margin_one_to_three"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def head_post(self) -> bool:
        return self.kind in HEAD_KINDS


class NominatedBy(models.TextChoices):
    PRESIDIUM = "presidium", _("主席团提名")
    JOINT = "joint", _("代表联名提名")
    WRITE_IN = "write_in", _("另选他人当选")


class Nomination(models.Model):
    """One candidate put forward by the presidium or by ten or more deputies jointly [law]."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="nominations")
    by = models.CharField(_("提名方式"), max_length=16, choices=NominatedBy.choices)
    signers = models.ManyToManyField(Deputy, blank=True, related_name="+", verbose_name=_("联名代表"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(
        county="post__meeting__county", town="post__meeting__town", deputy="post__meeting__attendees__deputy"
    )

    class Meta:
        verbose_name = _("提名")
        verbose_name_plural = _("提名")
        ordering = ["post", "id"]

    def __str__(self):
        return f"{self.post} · {self.get_by_display()}"


class Candidate(models.Model):
    """A person nominated for a post: a deputy or anyone named (a township head need not be a deputy)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="candidates")
    nomination = models.OneToOneField(
        Nomination, null=True, blank=True, on_delete=models.CASCADE, related_name="candidate"
    )
    deputy = models.ForeignKey(Deputy, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("姓名"), max_length=50)
    # 姓氏笔画: the ballot order [law]; None when the surname is not in the table (listed last).
    surname_strokes = models.PositiveSmallIntegerField(_("姓氏笔画"), null=True, blank=True)
    # The statement read by the deputies before the vote (见面会); its photo is an Attachment on the row.
    statement = models.TextField(_("候选人介绍"), blank=True)
    statement_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    statement_at = models.DateTimeField(_("介绍更新时间"), null=True, blank=True)

    scope = Scope(
        county="post__meeting__county", town="post__meeting__town", deputy="post__meeting__attendees__deputy"
    )

    class Meta:
        verbose_name = _("候选人")
        verbose_name_plural = _("候选人")
        ordering = ["post", "id"]
        constraints = [models.UniqueConstraint(fields=["post", "name"], name="candidate_once_per_post")]

    def __str__(self):
        return self.name


class RoundKind(models.TextChoices):
    PRE = "pre", _("预选")
    FORMAL = "formal", _("正式选举")
    REVOTE = "revote", _("重新投票（得票相等）")
    ANOTHER = "another", _("另行选举")
    REPEAT = "repeat", _("重新选举（选举无效）")


class RoundState(models.TextChoices):
    READY = "ready", _("待投票")
    OPEN = "open", _("投票中")
    # An electronic round closed: its box is combined and waits for every teller's share (issue 15).
    COUNTING = "counting", _("计票中，待监票人解密")
    COUNTED = "counted", _("已计票")
    VOID = "void", _("选举无效")


class Round(models.Model):
    """One round of a secret ballot for a post. The counters move while it is open; the rest of the
    result is written once, when it is counted."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("轮次"))
    kind = models.CharField(_("类型"), max_length=16, choices=RoundKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    seats = models.PositiveSmallIntegerField(_("本轮应选（入围）人数"))
    paper = models.BooleanField(_("纸质选票"), default=False)
    state = models.CharField(_("状态"), max_length=16, choices=RoundState.choices, default=RoundState.READY)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Counters: moved only by F() + 1 while the round is open.
    ballots_cast = models.PositiveIntegerField(_("收回选票"), default=0)
    ballots_valid = models.PositiveIntegerField(_("有效票"), default=0)
    ballots_void = models.PositiveIntegerField(_("无效票"), default=0)
    # Paper ballots: issued at opening; electronic: the checked-in voting deputies, fixed at count.
    ballots_issued = models.PositiveIntegerField(_("发出选票"), null=True, blank=True)
    # The stored result, written once at count.
    total_deputies = models.PositiveIntegerField(_("全体代表"), null=True, blank=True)
    present = models.PositiveIntegerField(_("到会代表"), null=True, blank=True)
    needed = models.PositiveIntegerField(_("当选所需票数"), null=True, blank=True)
    result_note = models.CharField(_("结果说明"), max_length=300, blank=True)
    # An electronic round's paper ballots (deputies without phones, `paper.py`): the tellers' counted
    # totals {issued, returned, valid, void, lines: {candidate id: [for, against, abstain]}, write_ins:
    # {name: count}}, entered by one teller and confirmed by another; added to the counters once confirmed.
    paper_totals = models.JSONField(_("纸质选票统计"), null=True, blank=True)
    paper_entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    paper_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = Scope(
        county="post__meeting__county", town="post__meeting__town", deputy="post__meeting__attendees__deputy"
    )

    class Meta:
        verbose_name = _("选举轮次")
        verbose_name_plural = _("选举轮次")
        ordering = ["post", "number"]
        constraints = [
            models.UniqueConstraint(fields=["post", "number"], name="round_unique_number"),
            models.UniqueConstraint(
                fields=["post"], condition=models.Q(state="open"), name="one_open_round_per_post"
            ),
        ]

    def __str__(self):
        return f"{self.post} · 第{self.number}轮"

    @property
    def meeting(self):
        return self.post.meeting


class BallotLine(models.Model):
    """A candidate on a round's ballot, in ballot order, with that round's counters for them."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="lines")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="lines")
    order = models.PositiveSmallIntegerField(_("序号"))
    votes_for = models.PositiveIntegerField(_("赞成"), default=0)
    votes_against = models.PositiveIntegerField(_("反对"), default=0)
    votes_abstain = models.PositiveIntegerField(_("弃权"), default=0)

    class Meta:
        verbose_name = _("选票上的候选人")
        verbose_name_plural = _("选票上的候选人")
        ordering = ["round", "order"]
        constraints = [
            models.UniqueConstraint(fields=["round", "candidate"], name="line_once_per_round"),
            models.UniqueConstraint(fields=["round", "order"], name="line_unique_order"),
        ]

    def __str__(self):
        return f"{self.round_id}:{self.candidate_id}"


class WriteInTally(models.Model):
    """另选他人: how many valid ballots of a round wrote in this name."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="write_ins")
    name = models.CharField(_("姓名"), max_length=50)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("另选他人得票")
        verbose_name_plural = _("另选他人得票")
        ordering = ["round", "-count", "name"]
        constraints = [models.UniqueConstraint(fields=["round", "name"], name="writein_unique_name")]

    def __str__(self):
        return f"{self.round_id}:{self.name}={self.count}"


class Participation(models.Model):
    """Only that this deputy has cast a ballot in this round (or, `paper`, was handed a paper ballot of an
    electronic round, so their phone is refused): never what, never when."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="participations")
    deputy = models.ForeignKey(Deputy, on_delete=models.PROTECT, related_name="+")
    paper = models.BooleanField(_("纸质选票"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "deputy"], name="participation_once_per_round")
        ]

    def __str__(self):
        return f"{self.round_id}:{self.deputy_id}"


class Result(models.TextChoices):
    ELECTED = "elected", _("当选")
    NOT_ELECTED = "not_elected", _("未当选")
    TIED = "tied", _("得票相等，重新投票")
    NEXT_ROUND = "next_round", _("进入另行选举")
    ADVANCED = "advanced", _("预选入围")


class Outcome(models.Model):
    """One person's result in a counted round (a ballot candidate, or a written-in name that reached the
    needed votes): written once at count."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="outcomes")
    candidate = models.ForeignKey(
        Candidate, null=True, blank=True, on_delete=models.PROTECT, related_name="outcomes"
    )
    name = models.CharField(_("姓名"), max_length=50)
    written_in = models.BooleanField(_("另选他人"), default=False)
    votes = models.PositiveIntegerField(_("得票"))
    result = models.CharField(_("结果"), max_length=16, choices=Result.choices)
    rank = models.PositiveSmallIntegerField(_("名次"))

    scope = Scope(
        county="round__post__meeting__county",
        town="round__post__meeting__town",
        deputy="round__post__meeting__attendees__deputy",
    )

    class Meta:
        verbose_name = _("选举结果")
        verbose_name_plural = _("选举结果")
        ordering = ["round", "rank"]
        constraints = [models.UniqueConstraint(fields=["round", "name"], name="outcome_once_per_name")]

    def __str__(self):
        return f"{self.name}: {self.result}"


class Oath(models.Model):
    """宪法宣誓 (issue 21 part 4): an elected person's public oath to the Constitution, who took it, when
    and before whom (the presiding officer, 监誓人). Recorded once, only for an elected outcome."""

    outcome = models.OneToOneField(Outcome, on_delete=models.PROTECT, related_name="oath")
    taken_on = models.DateField(_("宣誓日期"))
    before = models.CharField(_("监誓人"), max_length=50)
    place = models.CharField(_("宣誓地点"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(
        county="outcome__round__post__meeting__county",
        town="outcome__round__post__meeting__town",
        deputy="outcome__round__post__meeting__attendees__deputy",
    )

    class Meta:
        verbose_name = _("宪法宣誓")
        verbose_name_plural = _("宪法宣誓")
        ordering = ["outcome"]

    def __str__(self):
        return f"{self.outcome.name} · {self.taken_on}"
