"""Pure rules of rectification (整改, DOMAIN §7): no ORM, values in, a message or a value out."""

from __future__ import annotations

from django.utils.translation import gettext as _


def may_return(returns_count: int, max_returns: int) -> bool:
    """The reviewers may send an item back to the unit while it has been returned fewer than
    RECTIFICATION_MAX_RETURNS times [local, default 2]; the next return goes to the presidium."""
    return returns_count < max_returns


def return_objection(returns_count: int, max_returns: int) -> str | None:
    if may_return(returns_count, max_returns):
        return None
    return _("已退回 %(n)s 次，达到上限，请提请主席团决定") % {"n": returns_count}


def refer_objection(returns_count: int, max_returns: int) -> str | None:
    if may_return(returns_count, max_returns):
        return _("退回未满 %(max)s 次，可直接退回单位重新整改") % {"max": max_returns}
    return None
