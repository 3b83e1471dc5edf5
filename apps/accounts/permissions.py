"""The one permission vocabulary: every capability a person can hold, by name, and which roles hold it.

A capability is checked in one of two ways, both here:
- `holds(user, cap)`: the user holds one of the capability's roles anywhere (menus, list pages, "may this
  person create ... at all");
- `holds(user, cap, obj)`: the user holds one of those roles *over this object*, through the model's
  `scope` (a town office over an item of its town, a unit over what is assigned to it, a deputy over what
  they signed ...).

Views, API operations, templates (`{% if "opinion.assign" in perms_held %}`), the menu and the workflow
tables ask this module; nothing else decides who may do what. Scoping of reads (which rows a list shows)
stays in `scopes.visible_to`, which this module builds on.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.utils.translation import gettext_lazy as _

from .models import Role
from .scopes import _grant_q, can, covers_region, deny, deny_unless_seen, grants_of, is_admin, roles_of

COUNTY, TOWN = Role.COUNTY_OFFICE, Role.TOWN_OFFICE
KEEPER, DEPUTY, UNIT = Role.STATION_KEEPER, Role.DEPUTY, Role.UNIT_STAFF
OFFICES = frozenset({COUNTY, TOWN})
# Steps the platform takes by itself (after the last rating, at a deadline); never a person's role.
SYSTEM = "system"
# Whoever is signed in, whatever their grants (the pages every login reads; their rows are scoped anyway).
SIGNED_IN = "signed_in"
EVERYONE = frozenset({SIGNED_IN})


@dataclass(frozen=True)
class Capability:
    name: str
    label: str
    roles: frozenset[str]

    def __str__(self):
        return self.name


REGISTRY: dict[str, Capability] = {}


def capability(name: str, label, roles) -> Capability:
    if name in REGISTRY:
        raise ValueError(f"capability {name} declared twice")
    cap = Capability(name, label, frozenset(roles))
    REGISTRY[name] = cap
    return cap


# --- opinions (社情民意, DOMAIN §3) -------------------------------------------------------------------------
OPINION_ACCEPT = capability("opinion.accept", _("受理社情民意"), OFFICES)
OPINION_TAKE = capability("opinion.take", _("代表接单"), OFFICES | {DEPUTY})
OPINION_REFUSE = capability("opinion.refuse", _("不予受理社情民意"), OFFICES)
OPINION_ANSWER_ON_SPOT = capability("opinion.answer_on_spot", _("当场答复"), OFFICES | {KEEPER, DEPUTY})
OPINION_ASSIGN = capability("opinion.assign", _("交办社情民意"), OFFICES)
OPINION_IMPORT = capability("opinion.import", _("导入社情民意台账"), OFFICES)
OPINION_SEND_BACK = capability("opinion.send_back", _("退回交办（非本单位职责）"), {UNIT})
OPINION_REPLY = capability("opinion.reply", _("答复社情民意"), OFFICES | {UNIT})
OPINION_VISIT = capability("opinion.visit", _("回访"), OFFICES | {KEEPER, DEPUTY})
OPINION_CLOSE = capability("opinion.close", _("销号"), OFFICES)
OPINION_MERGE = capability("opinion.merge", _("合并重复事项"), OFFICES)
OPINION_CONVERT = capability("opinion.convert", _("转为代表建议"), OFFICES | {DEPUTY})

# --- [local] rules (本地规则): the county office sets them for its county and its towns ---------------------
LOCAL_RULE_SET = capability("localrule.set", _("设置本地规则"), {COUNTY})


# --- reading and registering items, statistics (outside the workflow tables) --------------------------------
OPINION_BROWSE = capability("opinion.browse", _("查看社情民意"), EVERYONE)
OPINION_REGISTER = capability("opinion.register", _("登记社情民意"), OFFICES | {KEEPER, DEPUTY})
OPINION_RECEPTION = capability("opinion.reception", _("接待日"), OFFICES | {KEEPER, DEPUTY, Role.PUBLIC})
# The office over the station's town, or its keeper (a station's reception days and their records).
RECEPTION_MANAGE = capability("reception.manage", _("安排接待日"), OFFICES | {KEEPER})
OPINION_STATS = capability("opinion.stats", _("社情民意统计"), OFFICES)
SUGGESTION_BROWSE = capability("suggestion.browse", _("查看代表建议"), EVERYONE)
SUGGESTION_STATS = capability("suggestion.stats", _("建议统计"), OFFICES)
MOTION_BROWSE = capability("motion.browse", _("查看议案"), OFFICES)


# --- deputies, stations, regions (DOMAIN §1-2) -----------------------------------------------------------
PEOPLE_BROWSE = capability("people.browse", _("查看代表"), EVERYONE)
PLACES_BROWSE = capability("places.browse", _("查看联络站、网格与承办单位"), EVERYONE)
PEOPLE_EDIT = capability("people.edit", _("维护代表与选民户"), OFFICES)
PEOPLE_IMPORT = capability("people.import", _("导入代表、网格与选民户"), OFFICES)
PEOPLE_QUOTA = capability("people.quota", _("联系配额"), OFFICES)
STATION_EDIT = capability("station.edit", _("维护联络站"), OFFICES)


# --- meetings, votes, elections (DOMAIN §5) --------------------------------------------------------------
MEETING_BROWSE = capability("meeting.browse", _("查看会议"), OFFICES | {KEEPER, DEPUTY, Role.PUBLIC})
MEETING_MANAGE = capability("meeting.manage", _("筹备和主持会议"), OFFICES)
VOTE_OPEN = capability("vote.open", _("发起和结束表决"), OFFICES)
ELECTION_MANAGE = capability("election.manage", _("组织选举"), OFFICES)
# A candidate's statement (候选人介绍): the office, or the candidate themself (a deputy with a login).
ELECTION_STATEMENT = capability("election.statement", _("填写候选人介绍"), OFFICES | {DEPUTY})
# Group deliberation (分组审议): the group's recorder (a deputy) or the office enters opinions; the unit the
# digest was sent to answers it. Agenda checklists are the office's (MEETING_MANAGE).
DELIBERATION_BROWSE = capability("deliberation.browse", _("查看分组审议"), OFFICES | {DEPUTY, UNIT})
DELIBERATION_RECORD = capability("deliberation.record", _("记录审议意见"), OFFICES | {DEPUTY})
DELIBERATION_ANSWER = capability("deliberation.answer", _("答复审议意见"), OFFICES | {UNIT})
# Resolutions followed up (决议决定执行, issue 16 item 6): the office assigns implementation items of an
# adopted resolution to units (MEETING_MANAGE) and accepts them; the unit reports progress.
RESOLUTION_BROWSE = capability("resolution.browse", _("查看决议执行"), OFFICES | {UNIT})
RESOLUTION_REPORT = capability("resolution.report", _("报告决议执行情况"), OFFICES | {UNIT})


# --- duty records, points, the archive (DOMAIN §8) -------------------------------------------------------
DUTY_OWN = capability("duty.own", _("我的履职"), {DEPUTY})
# A deputy over themself (their own record), an office over the deputies of its region.
DUTY_ENTER = capability("duty.enter", _("登记履职记录"), OFFICES | {DEPUTY})
DUTY_REVIEW = capability("duty.review", _("审核履职记录"), OFFICES)
DUTY_SCORES = capability("duty.scores", _("履职积分"), OFFICES)
DUTY_SCORES_PUBLISH = capability("duty.scores.publish", _("公布履职积分"), {COUNTY})
DUTY_TABLE_EDIT = capability("duty.table.edit", _("设定积分标准"), {COUNTY})
DUTY_PLATE = capability("duty.plate", _("挂牌管理（警示、约谈、摘牌）"), OFFICES)
ARCHIVE_OWN = capability("archive.own", _("履职档案"), {DEPUTY})
ARCHIVE_REGISTERS = capability("archive.registers", _("六簿一册一表"), OFFICES)
ARCHIVE_BEHIND = capability("archive.behind", _("联系选民进度"), OFFICES)
# A deputy over their own commitments, an office over those of its region.
COMMITMENT_EDIT = capability("commitment.edit", _("登记和更新实事承诺"), OFFICES | {DEPUTY})
COMMITMENT_RATE = capability("commitment.rate", _("督促和评定实事承诺"), OFFICES)
REPORT_BACK_MANAGE = capability("report_back.manage", _("组织向选民述职"), OFFICES)
# A deputy over their own report, an office over the reports of its meetings.
REPORT_BACK_REPORT = capability("report_back.report", _("提交述职报告"), OFFICES | {DEPUTY})


# --- supervision: department evaluations (工作评议, DOMAIN §7, issue 18 part 3, 6) --------------------------
EVALUATION_BROWSE = capability("evaluation.browse", _("查看工作评议"), OFFICES | {DEPUTY, UNIT})
EVALUATION_MANAGE = capability("evaluation.manage", _("组织工作评议"), OFFICES)
# A deputy of the town rates each department in the satisfaction survey (secret).
EVALUATION_RATE = capability("evaluation.rate", _("参加满意度测评"), {DEPUTY})

# --- the system ------------------------------------------------------------------------------------------
ADMIN_SITE = capability("admin.site", _("系统管理"), {Role.ADMIN})

# --- accounts an office runs itself (issue 17): scoped in accounts/managing.py ------------------------------
# The county office: its towns' office logins and its units' staff; a town office: its units' staff, its
# stations' keepers and its deputies.
ACCOUNTS_MANAGE = capability("accounts.manage", _("账号管理"), OFFICES)
# A town office creates its deputies' logins in bulk from the deputy register.
DEPUTY_LOGINS = capability("accounts.deputy_logins", _("批量开通代表账号"), {TOWN})
# Everyone signed in: their own password and message preferences.
ACCOUNT_OWN = capability("accounts.own", _("我的账号"), EVERYONE)


# --- suggestions, co-handling and motions (建议、协办、议案, DOMAIN §4) ------------------------------------
SUGGESTION_SUBMIT = capability("suggestion.submit", _("提交代表建议"), OFFICES | {DEPUTY})
SUGGESTION_REVIEW = capability("suggestion.review", _("审查建议（立案、并案、退回、不予立案）"), OFFICES)
SUGGESTION_ASSIGN = capability("suggestion.assign", _("交办代表建议"), OFFICES)
SUGGESTION_IMPORT = capability("suggestion.import", _("导入代表建议办理台账"), OFFICES)
SUGGESTION_SEND_BACK = capability("suggestion.send_back", _("退回交办（非本单位职责）"), {UNIT})
SUGGESTION_EXTEND = capability("suggestion.extend", _("批准延期答复"), OFFICES)
SUGGESTION_REPLY = capability("suggestion.reply", _("答复代表建议"), OFFICES | {UNIT})
# The office over the item's town (`holds_in` its region): enters and edits a suggestion in a deputy's name,
# picks key suggestions, publishes replies, selects the year's awards.
SUGGESTION_MANAGE = capability(
    "suggestion.manage", _("管理代表建议（代为登记、重点督办、公开答复、评优）"), OFFICES
)
SUGGESTION_CONCLUDE = capability("suggestion.conclude", _("办结、重办或跟踪代表建议"), OFFICES)
# The lead unit, or the office over the item, records the consultation (面商) before replying.
SUGGESTION_CONSULT = capability("suggestion.consult", _("登记面商"), OFFICES | {UNIT})
COHANDLING_INPUT = capability("cohandling.input", _("提交协办意见"), {UNIT})
# A deputy answers the invitations to co-sign (联名邀请) sent to them (issue 16 item 9).
COSIGN_ANSWER = capability("cosign.answer", _("联名邀请"), {DEPUTY})
MOTION_SUBMIT = capability("motion.submit", _("提交议案"), OFFICES | {DEPUTY})
# An office over a town enters the motions its presidium raises there (主席团提出的议案, DOMAIN §4).
MOTION_PRESIDIUM = capability("motion.presidium", _("录入主席团提出的议案"), OFFICES)
MOTION_DECIDE = capability("motion.decide", _("议案列入议程或转为建议"), OFFICES)


# --- duty-record review and commitments: the workflow steps beyond the capabilities above ---------------
DUTY_RECORD_EDIT = capability("duty.record.edit", _("修改履职记录"), OFFICES | {DEPUTY})

COMMITMENT_WITHDRAW = capability("commitment.withdraw", _("撤回实事承诺"), OFFICES | {DEPUTY})


# --- the ballot box (票箱, issue 15): secret choices sealed, only totals decrypted ------------------------
BALLOTBOX_MANAGE = capability("ballotbox.manage", _("设置和开闭票箱"), OFFICES)
# A teller (监票人) makes their key share and gives their share of the decryption; the service also checks
# that the person is one of the box's tellers.
BALLOTBOX_TELL = capability("ballotbox.tell", _("监票：生成密钥与解密计票"), OFFICES | {DEPUTY})


# --- rectification (整改, DOMAIN §7, issue 18 part 4): one item kind for every problem found ----------------
# The office opens items (by hand, or any activity through `rectification.services.open_item`); the unit
# files its plan and its report; the deputies who found it (the item's reviewers) or the office accept or
# return it; past the return limit the presidium (the office) decides.
RECTIFICATION_BROWSE = capability("rectification.browse", _("查看整改事项"), OFFICES | {UNIT, DEPUTY})
RECTIFICATION_OPEN = capability("rectification.open", _("交办整改事项"), OFFICES)
RECTIFICATION_HANDLE = capability("rectification.handle", _("报送整改方案和整改报告"), {UNIT})
RECTIFICATION_REVIEW = capability("rectification.review", _("验收整改（认可或退回）"), OFFICES | {DEPUTY})
RECTIFICATION_DECIDE = capability("rectification.decide", _("主席团决定整改事项"), OFFICES)
# --- supervision (监督, DOMAIN §7, issue 18): the year's plan, its activities and findings, appointments ----
# The presidium decides through the office's login (the office enters what the presidium decided).
SUPERVISION_BROWSE = capability("supervision.browse", _("查看监督工作"), OFFICES | {DEPUTY, UNIT})
SUPERVISION_PLAN = capability("supervision.plan", _("编制监督计划和监督清单"), OFFICES)
SUPERVISION_APPROVE = capability("supervision.approve", _("审定监督计划（主席团）"), OFFICES)
# Findings are recorded by the office or by a deputy who leads or joins the activity.
SUPERVISION_FINDING = capability("supervision.finding", _("记录监督发现的问题"), OFFICES | {DEPUTY})
# Appointments (约见) and special inquiries (专题询问): deputies ask, the office arranges and records.
SUPERVISION_REQUEST = capability("supervision.request", _("提出约见或专题询问"), OFFICES | {DEPUTY})
SUPERVISION_ARRANGE = capability("supervision.arrange", _("安排约见和专题询问"), OFFICES)
SUPERVISION_RATE = capability("supervision.rate", _("评价约见答复"), {DEPUTY})
# --- livelihood projects (民生实事项目代表票决制, DOMAIN §6, issue 19) ------------------------------------
# The public proposes on the public site (no login); deputies and units propose their own; the office (the
# government's screening and the presidium's decisions are entered by the office) screens, draws the
# candidate list, runs the vote and files adopted projects; the unit reports progress; deputies inspect.
PROJECT_BROWSE = capability("project.browse", _("查看民生实事项目"), OFFICES | {DEPUTY, UNIT})
PROJECT_PROPOSE = capability("project.propose", _("提出民生实事项目建议"), OFFICES | {DEPUTY, UNIT})
PROJECT_SCREEN = capability("project.screen", _("筛选民生实事项目建议"), OFFICES)
PROJECT_MANAGE = capability("project.manage", _("编制候选项目清单、组织票决、交办项目"), OFFICES)
PROJECT_VOTE = capability("project.vote", _("票决民生实事项目"), {DEPUTY})
PROJECT_PROGRESS = capability("project.progress", _("报送民生实事项目进度"), {UNIT} | OFFICES)
PROJECT_INSPECT = capability("project.inspect", _("视察民生实事项目"), OFFICES | {DEPUTY})
# --- dispatch (报送, issue 18 part 7): results and notices sent to the Party committee or a superior ---
DISPATCH_BROWSE = capability("dispatch.browse", _("查看报送记录"), OFFICES)
DISPATCH_SEND = capability("dispatch.send", _("报送党委和上级单位"), OFFICES)
# --- dashboards (看板与大屏, DOMAIN §10, issue 20 parts 5-7): the figures and the big screen ------------
# Offices read the figures of the region their grant covers: a town office its town, a county office all.
DASHBOARD_VIEW = capability("dashboard.view", _("查看工作看板和大屏"), OFFICES)

# --- the year's calendar (年度工作日历, issue 20 part 4): generated from the county's template -----------
# Offices and deputies read their township's calendar; the office generates, adds, moves and cancels items;
# the compliance view is the offices'; any signed-in person may keep a secret iCalendar feed of what they see.
YEARPLAN_BROWSE = capability("yearplan.browse", _("查看年度工作日历"), OFFICES | {DEPUTY})
YEARPLAN_EDIT = capability("yearplan.edit", _("编排年度工作日历"), OFFICES)
YEARPLAN_COMPLIANCE = capability("yearplan.compliance", _("查看履职进度（落后情况）"), OFFICES)
YEARPLAN_FEED = capability("yearplan.feed", _("订阅年度工作日历（iCalendar）"), OFFICES | {DEPUTY})
# Issue 20 part 4 follow-up: the county's template of the calendar is data its county office edits.
YEARPLAN_TEMPLATE = capability("yearplan.template", _("编辑县年度日历模板"), {COUNTY})

# --- the procedure book (流程图与规则汇编, issue 21): every login reads it; offices add their rules ---
PROCEDURE_BROWSE = capability("procedure.browse", _("查看流程图和规则汇编"), EVERYONE)
RULE_DOCUMENT_MANAGE = capability("procedure.rule_document", _("上传本镇规章制度"), OFFICES)

# --- township assessment (镇人大工作积分制, DOMAIN §9, issue 20 parts 1-3) ---------------------------------
# The county office sets the year's indicator table, scores the manual indicators with evidence, reviews
# another login's scores, chooses the advanced units and publishes; a town office reads its own assessment.
ASSESSMENT_BROWSE = capability("assessment.browse", _("查看镇人大工作考核"), OFFICES)
ASSESSMENT_MANAGE = capability("assessment.manage", _("制定考核指标、评分和评选先进"), {COUNTY})
ASSESSMENT_REVIEW = capability("assessment.review", _("审核考核评分"), {COUNTY})

# --- checks ------------------------------------------------------------------------------------------------


def roles_over(user, obj) -> set[str]:
    """The roles `user` holds over this very object, read through its model's `scope`."""
    if not getattr(user, "is_authenticated", False):
        return set()
    if is_admin(user):
        return {r.value for r in Role}
    model = type(obj)
    roles: set[str] = set()
    for grant in grants_of(user):
        if grant.role in roles:
            continue
        q = _grant_q(model.scope, grant)
        if q is not None and model._default_manager.filter(q, pk=obj.pk).exists():
            roles.add(grant.role)
    return roles


def _roles(user) -> set[str]:
    roles = roles_of(user)
    return roles | {SIGNED_IN} if getattr(user, "is_authenticated", False) else roles


def holds(user, cap: Capability, obj=None) -> bool:
    """Whether `user` holds `cap`: anywhere (obj None), or over `obj` (one query)."""
    if obj is None:
        return bool(_roles(user) & (cap.roles | {Role.ADMIN}))
    if not getattr(user, "is_authenticated", False):
        return False
    return can(user, cap, obj)


def holds_in(user, cap: Capability, region) -> bool:
    """Whether `user` holds `cap` through an office grant covering `region` (creating things there, a
    county's points table)."""
    return covers_region(user, region, cap)


def require(user, cap: Capability, obj=None):
    """Raise (and record the refusal) unless `user` holds `cap` (over `obj`): 403, or 404 when the user
    cannot even see `obj`."""
    if not holds(user, cap, obj):
        deny_unless_seen(user, cap, obj, object_type="" if obj is not None else cap.name)


def require_in(user, cap: Capability, region):
    """Raise (and record the refusal) unless `user` holds `cap` in `region`: 403 when they hold it nowhere
    (nothing to hide: they may not do this at all) or the region is in their sight, 404 when they hold it
    elsewhere and cannot see this region (another town's, exactly like a missing one)."""
    if holds_in(user, cap, region):
        return
    if not holds(user, cap):
        deny(user, cap, region)
    deny_unless_seen(user, cap, region)


def the_deputy(field: str = "deputy_id"):
    """A `who` (for a to-do's `waits_for`): only the deputy the item names in `field`."""

    def who(item, actor) -> bool:
        from .scopes import own_deputy_id

        me = own_deputy_id(actor)
        return me is not None and me == getattr(item, field)

    def q(actor, model):
        from django.db.models import Q

        from .scopes import own_deputy_id

        me = own_deputy_id(actor)
        return Q(**{field: me}) if me is not None else Q(pk__in=[])

    who.q = q
    return who


def office_or_deputy(field: str = "deputy_id"):
    """A transition's `who`: the item's office, or the deputy the item names in `field` (the record's or
    commitment's own deputy, a suggestion's lead), not any deputy the item's scope reaches."""

    def who(item, actor) -> bool:
        from .scopes import own_deputy_id

        return bool(roles_over(actor, item) & OFFICES) or own_deputy_id(actor) == getattr(item, field)

    def q(actor, model):
        """The same test as a filter over `model`'s rows (None: every row), so a list asks it once."""
        from django.db.models import Q

        from .scopes import own_deputy_id

        if is_admin(actor):
            return None
        parts = [x for g in grants_of(actor) if g.role in OFFICES for x in [_grant_q(model.scope, g)] if x]
        me = own_deputy_id(actor)
        if me is not None:
            parts.append(Q(**{field: me}))
        return reduce(or_, parts) if parts else Q(pk__in=[])

    who.q = q
    return who


def names_held(user) -> set[str]:
    """Every capability name the user holds somewhere: what templates and the menu read."""
    roles = _roles(user)
    if Role.ADMIN in roles:
        return set(REGISTRY)
    return {name for name, cap in REGISTRY.items() if roles & cap.roles}
