"""The [law] rules the platform enforces (DOMAIN.md), each with its source and the code that enforces it
(issue 21 part 2). The [local] rules need no list here: they are the declared settings marked `local`
(apps/common/conf.py), read with their values per township in `selectors.rules_book`.

An entry names the law and, where the code cites one, the article; `enforced_in` is the function or table
that applies it, so a reader of the wall chart can find the line of code, and a test checks it exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

ORGANIC, ELECTORAL, DEPUTIES = _("地方组织法"), _("选举法"), _("代表法")
HANDLING = _("代表建议、批评和意见办理办法")


@dataclass(frozen=True)
class LawRule:
    key: str
    rule: str
    law: str
    article: str = ""
    setting: str = ""  # a declared setting that names the number once (conf.py), if any
    value: str = ""
    enforced_in: str = ""  # "module:attribute"


LAW_RULES: tuple[LawRule, ...] = (
    LawRule(
        "session_twice", _("乡镇人民代表大会会议一般每年举行两次，由主席团召集"), ORGANIC, value=_("每年两次")
    ),
    LawRule(
        "session_quorum",
        _("代表大会会议须有全体代表三分之二以上出席，始得举行"),
        ORGANIC,
        value=_("三分之二"),
        enforced_in="apps.meetings.rules:quorum_met",
    ),
    LawRule(
        "vote_majority",
        _("表决以全体代表的过半数通过，而非出席代表的过半数"),
        ORGANIC,
        value=_("全体代表过半数"),
        enforced_in="apps.meetings.rules:adopted",
    ),
    LawRule(
        "vote_void",
        _("收回的表决票多于发出的表决票，表决无效"),
        ELECTORAL,
        _("第四十一条（参照）"),
        enforced_in="apps.meetings.rules:ballots_exceed",
    ),
    LawRule(
        "motion_signers",
        _("代表联名提出议案须五人以上，主席团提出的不受此限"),
        ORGANIC,
        setting="MOTION_MIN_SIGNERS",
        enforced_in="apps.suggestions.rules:motion_signer_problem",
    ),
    LawRule(
        "suggestion_reply",
        _("代表建议自交办之日起三个月内答复；经批准延期的，自交办之日起不超过六个月"),
        DEPUTIES,
        value=_("三个月；延期至六个月"),
        enforced_in="apps.suggestions.workflow:SUGGESTION_WORKFLOW",
    ),
    LawRule(
        "joint_nomination",
        _("主席团或代表十人以上联名可以提出候选人"),
        ORGANIC,
        _("第二十六条"),
        value=_("十人以上"),
        enforced_in="apps.elections.rules:MIN_JOINT_SIGNERS",
    ),
    LawRule(
        "secret_ballot",
        _("选举一律采用无记名投票"),
        ELECTORAL,
        enforced_in="apps.elections.models:BallotLine",
    ),
    LawRule(
        "competitive",
        _("差额选举：正职候选人可多一人或等额，副职候选人多一至三人"),
        ORGANIC,
        enforced_in="apps.elections.rules:competitive",
    ),
    LawRule(
        "ballot_order",
        _("候选人按姓氏笔画排列；进行预选的，按预选得票多少排列"),
        ELECTORAL,
        enforced_in="apps.elections.rules:stroke_key",
    ),
    LawRule(
        "ballot_void",
        _("所选人数多于应选人数的选票作废；收回选票多于发出选票的，选举无效"),
        ELECTORAL,
        _("第四十一条"),
        enforced_in="apps.elections.rules:election_void",
    ),
    LawRule(
        "elected_majority",
        _("获得全体代表过半数的选票始得当选"),
        ELECTORAL,
        value=_("全体代表过半数"),
        enforced_in="apps.elections.rules:needed_votes",
    ),
)
