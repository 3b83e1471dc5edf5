"""The congress session's own order, a meeting's states and a vote's states as procedures (issue 21 part 1).

Meetings and votes are not on the workflow engine: their states are the meetings app's choices
(`MeetingState`, `VoteState`, `MeetingKind`), which these procedures read for their states and labels; the
steps between them are the meetings services' own (`open_meeting`, `close_meeting`, `open_vote`,
`close_vote`, the tellers' count), named here with the capability each service checks. A state added to
those choices without a step here fails `tests/test_catalogue.py`.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.meetings.choices import MeetingKind
from apps.meetings.models import MeetingState, VoteState

from .data import Edge, Node, Procedure, roles_text


def _key(choice) -> str:
    return str(getattr(choice, "value", choice))


def _node(choice, label=None, *, initial=False, final=False) -> Node:
    return Node(_key(choice), str(label or choice.label), initial, final)


def _edge(key, label, sources, target, cap=None, *, system=False) -> Edge:
    return Edge(
        key,
        str(label),
        tuple(_key(s) for s in sources),
        _key(target),
        cap.name if cap else "",
        str(cap.label) if cap else "",
        roles_text(cap.roles) if cap else (),
        system,
    )


def _meeting() -> Procedure:
    s = MeetingState
    nodes = (
        _node(s.PLANNED, initial=True),
        _node(s.OPEN),
        _node(s.CLOSED, final=True),
    )
    edges = (
        _edge(
            "open", _("宣布开会（代表大会须三分之二以上代表出席）"), [s.PLANNED], s.OPEN, perms.MEETING_MANAGE
        ),
        _edge("close", _("散会（表决均已结束）"), [s.OPEN], s.CLOSED, perms.MEETING_MANAGE),
    )
    return Procedure("meeting", str(_("会议")), "congress", "meetings.Meeting", nodes, edges)


def _vote() -> Procedure:
    s = VoteState
    nodes = (
        _node(s.READY, initial=True),
        _node(s.OPEN),
        _node(s.COUNTING),
        _node(s.CLOSED, final=True),
    )
    edges = (
        _edge("open", _("开始表决"), [s.READY], s.OPEN, perms.VOTE_OPEN),
        _edge("close", _("结束记名表决，公布结果"), [s.OPEN], s.CLOSED, perms.VOTE_OPEN, system=True),
        _edge(
            "close_secret", _("结束无记名表决，封存票箱"), [s.OPEN], s.COUNTING, perms.VOTE_OPEN, system=True
        ),
        _edge("tally", _("监票人解密计票，公布结果"), [s.COUNTING], s.CLOSED, perms.BALLOTBOX_TELL),
    )
    note = _("结果以全体代表的过半数通过，而非出席代表的过半数")
    return Procedure("vote", str(_("表决")), "congress", "meetings.Vote", nodes, edges, str(note))


# The sitting's order (DOMAIN §5): the kinds of meeting a congress session holds, then votes and elections.
SESSION_KINDS = (
    MeetingKind.PREPARATORY,
    MeetingKind.SESSION_PRESIDIUM,
    MeetingKind.PLENARY,
    MeetingKind.GROUP,
)


def _session() -> Procedure:
    k = MeetingKind
    nodes = (
        _node(k.PREPARATORY, initial=True),
        _node(k.SESSION_PRESIDIUM),
        _node(k.PLENARY),
        _node(k.GROUP),
        _node("votes", _("表决")),
        _node("elections", _("选举")),
        _node("closing", _("闭幕"), final=True),
    )
    m, v = perms.MEETING_MANAGE, perms.VOTE_OPEN
    edges = (
        _edge("presidium", _("选举主席团，通过议程"), [k.PREPARATORY], k.SESSION_PRESIDIUM, m),
        _edge("opening", _("宣布开幕（三分之二以上代表出席）"), [k.SESSION_PRESIDIUM], k.PLENARY, m),
        _edge("groups", _("分组审议报告"), [k.PLENARY], k.GROUP, m),
        _edge("digest", _("汇总审议意见"), [k.GROUP], k.SESSION_PRESIDIUM, m),
        _edge("vote", _("提请表决"), [k.SESSION_PRESIDIUM, k.PLENARY], "votes", v),
        _edge("elect", _("选举（无记名投票）"), [k.PLENARY], "elections", perms.ELECTION_MANAGE),
        _edge("close", _("闭幕"), ["votes", "elections"], "closing", m),
    )
    note = _("乡镇人民代表大会会议一般每年举行两次，由主席团召集")
    return Procedure(
        "session", str(_("人民代表大会会议")), "congress", "meetings.Session", nodes, edges, str(note)
    )


def congress_procedures() -> list[Procedure]:
    return [_session(), _meeting(), _vote()]
