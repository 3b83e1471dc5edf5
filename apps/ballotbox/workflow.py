"""A ballot box as a tracked item: setup (the tellers make their key shares) → open → closed (the ballots
are combined) → tallied (the platform publishes the totals once every teller has given their share)."""

from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from apps.accounts import permissions as perms
from apps.workflow.machine import State, Transition, Workflow

from . import crypto


def _keys_ready(item, actor, today):
    if item.content_type_id and actor is not None:
        return _owned(item, actor, today)
    if not item.trustees.exists() or item.trustees.filter(public_share="").exists():
        return _g("尚有监票人未生成密钥份额")
    return None


def _owned(item, actor, today):
    """A box of a vote, a round or a rating opens and closes with it, never from the box's own page."""
    if item.content_type_id and actor is not None:
        return _g("该票箱随所属表决（选举、测评）开启和截止")
    return None


def _opened(item, data, actor, today):
    shares = [crypto.point(s) for s in item.trustees.values_list("public_share", flat=True)]
    item.public_key = crypto.joint_key(shares).hex()


def _closed(item, data, actor, today):
    # The server's own ciphertexts (sealed by `services.seal`): combined without checking each point again.
    stored = item.sealed.values_list("ciphertexts", flat=True).iterator(chunk_size=2000)
    item.combined = [[a.hex(), b.hex()] for a, b in crypto.combine_trusted(item.positions, stored)]


def _published(item, data, actor, today):
    combined = [(crypto.point(a), crypto.point(b)) for a, b in item.combined]
    partials = [t.tally.partial for t in item.trustees.select_related("tally")]
    ballots = item.sealed.count()
    item.totals = crypto.expand(crypto.totals(combined, partials, ballots), item.options, ballots)


BOX_WORKFLOW = Workflow(
    key="ballotbox.box",
    model="ballotbox.Box",
    label=_("票箱"),
    initial="setup",
    states=[
        State("setup", _("待生成密钥")),
        State("open", _("投票中")),
        State("closed", _("已截止，待解密")),
        State("tallied", _("已计票"), final=True),
    ],
    transitions=[
        Transition(
            "open",
            _("开启票箱"),
            ("setup",),
            "open",
            perms.BALLOTBOX_MANAGE,
            guard=_keys_ready,
            apply=_opened,
            system=True,
            event="opened",
        ),
        Transition(
            "close",
            _("截止投票"),
            ("open",),
            "closed",
            perms.BALLOTBOX_MANAGE,
            guard=_owned,
            apply=_closed,
            danger=True,
            system=True,
            event="closed",
        ),
        Transition(
            "publish",
            _("公布计票结果"),
            ("closed",),
            "tallied",
            None,
            apply=_published,
            system=True,
            event="tallied",
        ),
    ],
)
