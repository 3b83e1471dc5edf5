"""Pages of rectification (整改, issue 18 part 4): the list (an office's town or county with filters by
state, unit and overdue; a unit's own items; a deputy's items to review), opening an item by hand, an
item's page (its plan, report, evidence files, steps and the workflow's actions: the unit files, the
deputies accept or return on their phones) and the notice in Word. Each view parses, calls one selector or
service, and renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.accounts import permissions as perms
from apps.accounts.scopes import office_regions
from apps.common.downloads import docx_response
from apps.common.errors import DomainError, NotFound, PermissionDenied
from apps.common.pages import flash_error, paginate_page
from apps.common.params import ID, PAGE, Choice, Int, ints, read
from apps.places.models import Region
from apps.workflow.api import steps_out
from apps.workflow.pages import action_forms, take_action
from apps.workflow.uploads import attachments_of, file_response

from . import selectors as sel
from . import services
from .word import notice_docx, notice_title
from .workflow import RECTIFICATION_WORKFLOW

STATE = Choice(dict(RECTIFICATION_WORKFLOW.choices()), label=gettext_lazy("状态"))
FLAG = Choice(("1",), label=gettext_lazy("只看超期"))
DUE_DAYS = Int(1, services.DUE_DAYS_MAX, label=gettext_lazy("整改时限（工作日）"))


@login_required
def items(request):
    """整改事项: what the user sees, filtered by state, unit and overdue."""
    perms.require(request.user, perms.RECTIFICATION_BROWSE)
    read(request.GET, "page", PAGE)
    f = {
        "state": read(request.GET, "state", STATE) or "",
        "unit": read(request.GET, "unit", ID),
        "overdue": read(request.GET, "overdue", FLAG) or "",
        "town": read(request.GET, "town", ID),
    }
    qs = sel.items(request.user, state=f["state"], unit=f["unit"], overdue=bool(f["overdue"]), town=f["town"])
    page, query = paginate_page(request, qs, per_page=20)
    return render(
        request,
        "rectification/list.html",
        {
            "page": page,
            "query": query,
            "f": f,
            "states": RECTIFICATION_WORKFLOW.choices(),
            "units": sel.unit_filter_choices(request.user),
            "towns": _towns(request.user),
            "can_open": perms.holds(request.user, perms.RECTIFICATION_OPEN),
        },
    )


def _towns(user) -> list:
    towns = []
    for region in office_regions(user):
        if region.level == "town":
            towns.append(region)
        else:
            towns.extend(Region.objects.filter(county_id=region.pk, level="town").order_by("code"))
    return towns


@login_required
def new(request):
    """The office opens an item by hand: the town, the unit, the problem, the reviewing deputies, the
    deadline in working days."""
    perms.require(request.user, perms.RECTIFICATION_OPEN)
    towns = _towns(request.user)
    town = next((t for t in towns if str(t.pk) == request.GET.get("town", "")), towns[0] if towns else None)
    error = None
    if request.method == "POST":
        p = request.POST
        town = next((t for t in towns if t.pk == read(p, "town", ID, default=0)), None)
        try:
            if town is None:
                raise NotFound()
            item = services.open_item(
                actor=request.user,
                region=town,
                unit=read(p, "unit", ID, default=0),
                title=p.get("title", ""),
                detail=p.get("detail", ""),
                source_label=p.get("source_label", ""),
                reviewers=ints(p.getlist("reviewers"), name="reviewers"),
                due_days=read(p, "due_days", DUE_DAYS),
            )
        except (PermissionDenied, NotFound):
            raise
        except DomainError as exc:
            error = exc
            flash_error(request, exc, joined=True)
        else:
            messages.success(request, _("整改事项已交办"))
            return redirect(item.get_absolute_url())
    return render(
        request,
        "rectification/new.html",
        {
            "towns": towns,
            "town": town,
            "units": services.unit_choices(town) if town else [],
            "deputies": list(services.reviewer_choices(town)) if town else [],
            "form": request.POST if request.method == "POST" else {},
            "error": error,
        },
        status=400 if error else 200,
    )


def _render_item(request, pk: int, *, failed: str = "", error: DomainError | None = None, status=200):
    item = sel.item_for(request.user, pk)
    can_upload = not item.is_final and (
        perms.holds(request.user, perms.RECTIFICATION_HANDLE, item)
        or perms.holds(request.user, perms.RECTIFICATION_OPEN, item)
    )
    return render(
        request,
        "rectification/item.html",
        {
            "item": item,
            "overdue": item.is_overdue(),
            "reviewers": sel.reviewers_of(item),
            "source_page": sel.source_page(request.user, item),
            "steps": steps_out(item),
            "files": list(attachments_of(item)),
            "can_upload": can_upload,
            "actions": action_forms(request, item, url_name="rectification:act", failed=failed, error=error),
            "error": error,
        },
        status=status,
    )


@login_required
def item(request, rectification_id: int):
    return _render_item(request, rectification_id)


@login_required
@require_POST
def act(request, rectification_id: int, key: str):
    found = sel.item_for(request.user, rectification_id)
    return take_action(request, found, key, act=services.act, render_failed=_render_item)


@login_required
@require_POST
def upload(request, rectification_id: int):
    found = sel.item_for(request.user, rectification_id)
    f = request.FILES.get("file")
    if f is None:
        messages.error(request, _("请选择要上传的文件"))
        return redirect(found.get_absolute_url())
    try:
        services.attach_file(actor=request.user, item_id=found.pk, upload=f)
    except (PermissionDenied, NotFound):
        raise
    except DomainError as exc:
        flash_error(request, exc, joined=True)
    else:
        messages.success(request, _("材料已上传"))
    return redirect(found.get_absolute_url())


@login_required
def file(request, rectification_id: int, att: int):
    found = attachments_of(sel.item_for(request.user, rectification_id)).filter(pk=att).first()
    if found is None:
        raise NotFound()
    return file_response(found)


@login_required
def notice(request, rectification_id: int):
    """整改通知书 (Word, GB/T 9704)."""
    found = sel.item_for(request.user, rectification_id)
    return docx_response(notice_docx(found, sel.reviewers_of(found)), f"{notice_title(found)}.docx")
