"""The livelihood projects' tracked kinds as data (DOMAIN §6, issue 19).

Proposal: submitted → listed (onto the town's candidate list of its year, with a budget and schedule) or
not_listed (a reason the proposer sees) or merged (into a similar proposal).

Candidate list: draft → presented (the competitive ratio checked; the first round and its ballot box are
made, the tellers key it) → voting → counting (the tellers decrypt) → decided (the places filled, the
adopted projects made) or runoff (a tie at the last place is re-voted among the tied; unfilled places may go
to a further round as the presidium decides, or the presidium ends the vote) → voting again.

Project: adopted → under_way (交办: member in charge, unit, monitoring deputies) → completed.
"""

from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from apps.accounts import permissions as perms
from apps.workflow.effects import Notify, Run
from apps.workflow.machine import Due, State, Transition, Workflow

from . import choices, rating, voting
from .inputs import (
    ListFinishIn,
    ListSubmitIn,
    ListVoteIn,
    ProjectAssignIn,
    ProjectCompleteIn,
    ProposalListIn,
    ProposalMergeIn,
    ProposalNotListedIn,
)


def _reason(item, data, actor, today):
    item.screening_reason = str(data.get("reason") or "").strip()[:500]


def _merge(item, data, actor, today):
    target = choices.merge_target(item, int(data["into"]))
    item.merged_into = target
    item.screening_reason = _t("已与同类建议「%(t)s」合并办理") % {"t": target.title}


def _listed(item, data, actor, today):
    item.screening_reason = ""


PROPOSAL_WORKFLOW = Workflow(
    key="project_proposal",
    model="projects.Proposal",
    label=_("民生实事项目建议"),
    initial="submitted",
    states=[
        State("submitted", _("待筛选"), Due(working_days=20), responsible="office"),
        State("listed", _("列入候选项目"), final=True),
        State("not_listed", _("未列入候选项目"), final=True),
        State("merged", _("已合并"), final=True),
    ],
    transitions=[
        Transition(
            "list",
            _("列入候选项目清单"),
            ("submitted",),
            "listed",
            perms.PROJECT_SCREEN,
            input=ProposalListIn,
            guard=choices.list_open_for,
            apply=_listed,
            effects=(Run("candidate", voting.candidate_from_proposal), Notify(("proposer",))),
        ),
        Transition(
            "not_list",
            _("不列入（说明理由）"),
            ("submitted",),
            "not_listed",
            perms.PROJECT_SCREEN,
            input=ProposalNotListedIn,
            apply=_reason,
            effects=(Notify(("proposer",)),),
            danger=True,
        ),
        Transition(
            "merge",
            _("与同类建议合并"),
            ("submitted",),
            "merged",
            perms.PROJECT_SCREEN,
            input=ProposalMergeIn,
            apply=_merge,
            choices={"similar": choices.similar_choices},
            effects=(Notify(("proposer",)),),
        ),
    ],
)


LIST_WORKFLOW = Workflow(
    key="project_list",
    model="projects.CandidateList",
    label=_("民生实事候选项目清单"),
    initial="draft",
    states=[
        State("draft", _("编制中")),
        State("presented", _("已提请大会票决")),
        State("voting", _("投票中")),
        State("counting", _("计票中")),
        State("runoff", _("待再次票决")),
        State("decided", _("票决结果已确定"), final=True),
    ],
    transitions=[
        Transition(
            "present",
            _("提请大会票决"),
            ("draft",),
            "presented",
            perms.PROJECT_MANAGE,
            input=ListSubmitIn,
            guard=voting.present_problem,
            effects=(Run("round", voting.first_round),),
        ),
        Transition(
            "open_vote",
            _("开始投票"),
            ("presented", "runoff"),
            "voting",
            perms.PROJECT_MANAGE,
            input=ListVoteIn,
            guard=voting.open_problem,
            effects=(Run("open", voting.open_round),),
        ),
        Transition(
            "close_vote",
            _("结束投票"),
            ("voting",),
            "counting",
            perms.PROJECT_MANAGE,
            input=ListVoteIn,
            effects=(Run("close", voting.close_round),),
            danger=True,
        ),
        Transition(
            "count_more",
            _("计票：须再次票决"),
            ("counting",),
            "runoff",
            None,
            system=True,
            effects=(Notify(("office",)),),
        ),
        Transition(
            "count_done",
            _("计票：票决结果确定"),
            ("counting",),
            "decided",
            None,
            system=True,
            effects=(Run("adopt", voting.adopt), Notify(("office",))),
        ),
        Transition(
            "further",
            _("主席团决定：未满额项目再次票决"),
            ("runoff",),
            "runoff",
            perms.PROJECT_MANAGE,
            input=ListVoteIn,
            guard=voting.further_problem,
            effects=(Run("round", voting.further_round),),
        ),
        Transition(
            "finish",
            _("主席团决定：不再票决，确定结果"),
            ("runoff",),
            "decided",
            perms.PROJECT_MANAGE,
            input=ListFinishIn,
            guard=voting.finish_problem,
            effects=(Run("adopt", voting.adopt),),
            danger=True,
        ),
    ],
)


def _assign(item, data, actor, today):
    item.leader = choices.town_deputy(item, int(data["leader"]), "leader")
    item.unit = choices.town_unit(item, int(data["unit"]))


def _set_monitors(ctx):
    ids = [int(i) for i in ctx.data.get("monitors") or ()]
    found = [choices.town_deputy(ctx.item, i, "monitors") for i in dict.fromkeys(ids)]
    ctx.item.monitors.set(found)
    return [d.pk for d in found]


def _completed(item, data, actor, today):
    item.completed_on = today


PROJECT_WORKFLOW = Workflow(
    key="project",
    model="projects.Project",
    label=_("民生实事项目"),
    initial="adopted",
    states=[
        State("adopted", _("待交办"), Due(working_days=10), responsible="office"),
        State("under_way", _("实施中"), responsible="unit"),
        State("completed", _("已完成"), final=True),
    ],
    transitions=[
        Transition(
            "assign",
            _("交办（牵头主席团成员、责任单位、监督代表）"),
            ("adopted",),
            "under_way",
            perms.PROJECT_MANAGE,
            input=ProjectAssignIn,
            apply=_assign,
            choices={"deputies": choices.deputy_choices, "units": choices.unit_choices},
            effects=(Run("monitors", _set_monitors), Notify(("unit", "leader", "monitors"))),
        ),
        Transition(
            "complete",
            _("项目完工"),
            ("under_way",),
            "completed",
            perms.PROJECT_PROGRESS,
            input=ProjectCompleteIn,
            apply=_completed,
            effects=(Notify(("office", "leader", "monitors")),),
        ),
    ],
)


RATING_WORKFLOW = Workflow(
    key="project_rating",
    model="projects.ProjectRating",
    label=_("民生实事项目年终测评"),
    initial="setup",
    states=[
        State("setup", _("待开始")),
        State("open", _("测评中")),
        State("counting", _("计票中")),
        State("filed", _("测评结果已公布"), final=True),
    ],
    transitions=[
        Transition(
            "open",
            _("开始测评"),
            ("setup",),
            "open",
            perms.PROJECT_MANAGE,
            input=ListVoteIn,
            guard=rating.open_problem,
            effects=(Run("open", rating.open_box),),
        ),
        Transition(
            "close",
            _("结束测评"),
            ("open",),
            "counting",
            perms.PROJECT_MANAGE,
            input=ListVoteIn,
            effects=(Run("close", rating.close_box),),
            danger=True,
        ),
        Transition(
            "file",
            _("公布测评结果"),
            ("counting",),
            "filed",
            None,
            system=True,
            effects=(Run("results", rating.file_results), Notify(("office",))),
        ),
    ],
)
