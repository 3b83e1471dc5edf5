"""议案: the list, drafting, one motion and its steps."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts import permissions as perms
from apps.accounts.scopes import deny
from apps.common.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from apps.common.pages import form_errors, paginate_page
from apps.common.params import PAGE, Choice, read
from apps.places.terms import terms_for_user
from apps.workflow.pages import action_forms, take_action

from .. import selectors, services
from ..forms import Drafters, MotionForm
from ..models import (
    SignatureStatus,
)
from ..workflow import MOTION_WORKFLOW
from .items import (
    _step_rows,
)

# --- motions ------------------------------------------------------------------------------------------------


@login_required
def motion_list(request):
    qs = selectors.motions(request.user).annotate(
        confirmed=Count("signatures", filter=Q(signatures__status=SignatureStatus.CONFIRMED), distinct=True)
    )
    state = read(request.GET, "state", Choice(dict(MOTION_WORKFLOW.choices()), label=_("状态")), default="")
    if state:
        qs = qs.filter(state=state)
    read(request.GET, "page", PAGE)  # a page number that is no number is refused, not silently the first
    page, query = paginate_page(request, qs.order_by("-created_at", "-pk"))
    return render(
        request,
        "suggestions/motion_list.html",
        {
            "page": page,
            "query": query,
            "state": state,
            "states": MOTION_WORKFLOW.choices(),
            "can_draft": Drafters(request.user).any,
        },
    )


@login_required
def motion_new(request):
    user = request.user
    drafters = Drafters(user)
    if not drafters.any:
        deny(
            user,
            perms.MOTION_SUBMIT,
            object_type="suggestions.motion",
            message=_("只有代表或主席团可以提出议案"),
        )
    if request.method == "POST":
        form = MotionForm(request.POST, drafters=drafters, terms=terms_for_user(user))
        if form.is_valid():
            try:
                motion = services.create_motion(actor=user, data=form.data_for_service())
            except ValidationFailed as exc:
                form_errors(form, exc)
            else:
                messages.success(request, _("议案草稿已保存，已通知联名代表确认"))
                return redirect(motion)
    else:
        form = MotionForm(drafters=drafters, terms=terms_for_user(user))
    return render(request, "suggestions/motion_form.html", {"form": form}, status=400 if form.errors else 200)


def _render_motion(request, pk: int, *, failed: str = "", error: DomainError | None = None, status=200):
    user = request.user
    motion = selectors.motion_detail(user, pk)
    me = services.own_deputy(user)
    signatures = list(motion.signatures.select_related("deputy").order_by("-is_lead", "pk"))
    mine = next((s for s in signatures if me and s.deputy_id == me.pk and not s.is_lead), None)
    actions = action_forms(request, motion, url_name="suggestions:motion_act", failed=failed, error=error)
    counted, not_counted = selectors.motion_signers(motion)
    return render(
        request,
        "suggestions/motion_detail.html",
        {
            "m": motion,
            "signatures": signatures,
            "confirmed": sum(1 for s in signatures if s.status == SignatureStatus.CONFIRMED),
            "counted": len(counted),
            "not_counted": {d.pk for d in not_counted},
            "can_sign": bool(mine and mine.status == SignatureStatus.INVITED and motion.state == "draft"),
            "actions": actions,
            "error": error,
            "steps": _step_rows(motion, MOTION_WORKFLOW),
        },
        status=status,
    )


@login_required
def motion_detail(request, pk: int):
    return _render_motion(request, pk)


@login_required
@require_POST
def motion_sign(request, pk: int):
    motion = selectors.motion_detail(request.user, pk)
    accept = request.POST.get("accept") == "1"
    try:
        services.respond(actor=request.user, item=motion, accept=accept)
    except (PermissionDenied, NotFound):
        raise
    except DomainError as exc:
        return _render_motion(request, pk, failed="sign", error=exc, status=exc.status)
    messages.success(request, _("已确认联名") if accept else _("已谢绝联名"))
    if request.POST.get("back") == "invitations":
        return redirect("suggestions:invitations")  # answered from the 联名邀请 page
    return redirect(motion)


@login_required
@require_POST
def motion_act(request, pk: int, key: str):
    motion = selectors.motion_detail(request.user, pk)

    def act(*, actor, item, key, data):
        return services.act_motion(actor=actor, motion=item, key=key, data=data)

    return take_action(request, motion, key, act=act, render_failed=_render_motion)
