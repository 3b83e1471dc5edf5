"""The one permission vocabulary: every capability a person can hold, by name, and which roles hold it.

A capability is checked in one of two ways, both here:
- `holds(user, cap)`: the user holds one of the capability's roles anywhere (menus, list pages, "may this
  person create ... at all");
- `holds(user, cap, obj)`: the user holds one of those roles *over this object*, through the model's
  `scope` (a town office over an item of its town, a unit over what is assigned to it, a deputy over what
  they signed ...).

Views, API operations, templates (`{% if perms_of.opinion_assign %}`), the menu and the workflow tables ask
this module; nothing else decides who may do what. Scoping of reads (which rows a list shows) stays in
`scopes.visible_to`, which this module builds on.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import Role
from .scopes import CHANGE, _grant_q, deny, grants_of, is_admin, roles_of

COUNTY, TOWN = Role.COUNTY_OFFICE, Role.TOWN_OFFICE
KEEPER, DEPUTY, UNIT = Role.STATION_KEEPER, Role.DEPUTY, Role.UNIT_STAFF
OFFICES = frozenset({COUNTY, TOWN})
# Steps the platform takes by itself (after the last rating, at a deadline); never a person's role.
SYSTEM = "system"


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
OPINION_SEND_BACK = capability("opinion.send_back", _("退回交办（非本单位职责）"), {UNIT})
OPINION_REPLY = capability("opinion.reply", _("答复社情民意"), OFFICES | {UNIT})
OPINION_VISIT = capability("opinion.visit", _("回访"), OFFICES | {KEEPER, DEPUTY})
OPINION_CLOSE = capability("opinion.close", _("销号"), OFFICES)
OPINION_MERGE = capability("opinion.merge", _("合并重复事项"), OFFICES)
OPINION_CONVERT = capability("opinion.convert", _("转为代表建议"), OFFICES | {DEPUTY})

# --- [local] rules (本地规则): the county office sets them for its county and its towns ---------------------
LOCAL_RULE_SET = capability("localrule.set", _("设置本地规则"), {COUNTY})


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


def holds(user, cap: Capability, obj=None) -> bool:
    """Whether `user` holds `cap`: anywhere (obj None), or over `obj`."""
    if obj is None:
        return bool(roles_of(user) & (cap.roles | {Role.ADMIN}))
    return bool(roles_over(user, obj) & cap.roles)


def require(user, cap: Capability, obj=None):
    """Raise (and record the refusal) unless `user` holds `cap` (over `obj`)."""
    if not holds(user, cap, obj):
        deny(user, CHANGE, obj, object_type="" if obj is not None else cap.name)


def names_held(user) -> set[str]:
    """Every capability name the user holds somewhere: what templates and the menu read."""
    roles = roles_of(user)
    if Role.ADMIN in roles:
        return set(REGISTRY)
    return {name for name, cap in REGISTRY.items() if roles & cap.roles}


# --- suggestions, co-handling and motions (建议、协办、议案, DOMAIN §4) ------------------------------------
SUGGESTION_SUBMIT = capability("suggestion.submit", _("提交代表建议"), OFFICES | {DEPUTY})
SUGGESTION_REVIEW = capability("suggestion.review", _("审查建议（立案、并案、退回、不予立案）"), OFFICES)
SUGGESTION_ASSIGN = capability("suggestion.assign", _("交办代表建议"), OFFICES)
SUGGESTION_SEND_BACK = capability("suggestion.send_back", _("退回交办（非本单位职责）"), {UNIT})
SUGGESTION_EXTEND = capability("suggestion.extend", _("批准延期答复"), OFFICES)
SUGGESTION_REPLY = capability("suggestion.reply", _("答复代表建议"), OFFICES | {UNIT})
SUGGESTION_CONCLUDE = capability("suggestion.conclude", _("办结、重办或跟踪代表建议"), OFFICES)
COHANDLING_INPUT = capability("cohandling.input", _("提交协办意见"), {UNIT})
MOTION_SUBMIT = capability("motion.submit", _("提交议案"), OFFICES | {DEPUTY})
MOTION_DECIDE = capability("motion.decide", _("议案列入议程或转为建议"), OFFICES)


# --- duty records (履职登记, DOMAIN §8) ---------------------------------------------------------------------
DUTY_REVIEW = capability("duty.review", _("审核代表履职记录"), OFFICES)
DUTY_RECORD_EDIT = capability("duty.record.edit", _("修改履职记录"), OFFICES | {DEPUTY})


# --- commitments and report-back (实事承诺、述职, DOMAIN §8) ----------------------------------------------
COMMITMENT_WITHDRAW = capability("commitment.withdraw", _("撤回实事承诺"), OFFICES | {DEPUTY})
COMMITMENT_RATE = capability("commitment.rate", _("年终评定实事承诺"), OFFICES)
REPORT_BACK_MANAGE = capability("report_back.manage", _("组织述职测评"), OFFICES)
