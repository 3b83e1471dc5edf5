"""The ballot box's pages: the list, a box with its verification, the teller's page (make the key share,
paste it back at the tally) and the box's workflow steps (open, close)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from apps.accounts import permissions as perms
from apps.common.errors import DomainError, NotFound, PermissionDenied
from apps.common.pages import paginate_page
from apps.common.params import PAGE, read
from apps.workflow.pages import action_forms, take_action
from apps.workflow.services import transition

from . import selectors, services
from .models import BoxState


@login_required
def boxes(request):
    read(request.GET, "page", PAGE)
    page, query = paginate_page(request, selectors.box_list(request.user), per_page=20)
    return render(request, "ballotbox/boxes.html", {"page": page, "query": query})


def _render_box(request, box_id: int, *, failed: str = "", error: DomainError | None = None, status=200):
    item = selectors.box_for(request.user, box_id)
    tellers = list(item.trustees.select_related("user", "tally"))
    rows = item.results() if item.state == BoxState.TALLIED else None
    return render(
        request,
        "ballotbox/box.html",
        {
            "box": item,
            "tellers": [(t, bool(t.public_share), hasattr(t, "tally")) for t in tellers],
            "is_teller": any(t.user_id == request.user.pk for t in tellers),
            "ballots": item.sealed.count(),
            "rows": rows,
            "check": selectors.verification(item) if rows else None,
            "actions": action_forms(request, item, url_name="ballotbox:act", failed=failed, error=error),
            "error": error,
        },
        status=status,
    )


@login_required
def box(request, box_id: int):
    return _render_box(request, box_id)


@login_required
@require_POST
def act(request, box_id: int, key: str):
    item = selectors.box_for(request.user, box_id)

    def step(*, actor, item, key, data):
        return transition(item, key, actor=actor, data=data)

    return take_action(request, item, key, act=step, render_failed=_render_box)


@never_cache
@login_required
def teller(request, box_id: int):
    """A teller's page: in setup, make the key share (its private part is shown here once); once the box is
    closed, paste it back to give this teller's share of the decryption of the totals."""
    seat = selectors.teller_seat(request.user, box_id)
    code, error = "", None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "key":
                code = services.make_teller_key(
                    actor=request.user, box_id=box_id, code=request.POST.get("code", "")
                )
            elif request.POST.get("action") == "share":
                services.submit_share(actor=request.user, box_id=box_id, code=request.POST.get("code", ""))
                messages.success(request, _("解密份额已提交"))
                return redirect("ballotbox:verify", box_id=box_id)
            else:
                raise DomainError(_("没有这个操作"))
        except (PermissionDenied, NotFound):
            raise
        except DomainError as exc:
            error = exc
        seat = selectors.teller_seat(request.user, box_id)
    return render(
        request,
        "ballotbox/teller.html",
        {
            "box": seat.box,
            "seat": seat,
            "code": code,
            "given": hasattr(seat, "tally"),
            "error": error,
        },
        status=error.status if error else 200,
    )


@never_cache
@login_required
def desk(request):
    """A teller's desk (我的监票): every box still waiting for their key share or their share of the
    decryption, each done for all of them at once with one secret code."""
    if not perms.holds(request.user, perms.BALLOTBOX_TELL):
        raise NotFound()
    code, error, made = "", None, 0
    if request.method == "POST":
        try:
            if request.POST.get("action") == "keys":
                code, made = services.make_teller_keys(actor=request.user, code=request.POST.get("code", ""))
            elif request.POST.get("action") == "shares":
                done = services.submit_shares(actor=request.user, code=request.POST.get("code", ""))
                messages.success(request, _("已为%(n)d个票箱提交解密份额") % {"n": done})
                return redirect("ballotbox:desk")
            else:
                raise DomainError(_("没有这个操作"))
        except (PermissionDenied, NotFound):
            raise
        except DomainError as exc:
            error = exc
    return render(
        request,
        "ballotbox/desk.html",
        {
            "keys": list(selectors.owed_keys(request.user)),
            "shares": list(selectors.owed_shares(request.user)),
            "code": code if made else "",
            "made": made,
            "error": error,
        },
        status=error.status if error else 200,
    )
