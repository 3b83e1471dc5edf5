"""Pages of the vice-mayors' report-back rating (issue 18 part 6): arranging it at a session meeting, its
page (officials, written reports, the steps, the deputy's secret rating on a phone, the result), the hall
screen's result and the record in Word."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts import permissions as perms
from apps.accounts.scopes import own_deputy_id, visible_to
from apps.common.choices import Satisfaction
from apps.common.downloads import docx_response
from apps.common.errors import DomainError, NotFound, PermissionDenied
from apps.common.pages import flash_error
from apps.common.params import ID, read
from apps.meetings.models import Meeting
from apps.workflow.pages import action_forms, take_action
from apps.workflow.uploads import attachments_of, file_response

from . import selectors
from . import services_officials as services
from .models import OfficialRatingParticipation
from .rules import voter_key
from .word import official_record_docx


@login_required
def create(request):
    perms.require(request.user, perms.EVALUATION_MANAGE)
    meetings = visible_to(request.user, Meeting, perms.EVALUATION_MANAGE).order_by("-starts_at")[:50]
    if request.method == "POST":
        p = request.POST
        lines = [line.split(None, 1) for line in p.get("officials", "").splitlines() if line.strip()]
        officials = [{"post": x[0], "name": x[1] if len(x) > 1 else ""} for x in lines]
        try:
            item = services.create_rating(
                actor=request.user,
                meeting_id=read(p, "meeting", ID, default=0),
                title=p.get("title", ""),
                officials=officials,
            )
        except (PermissionDenied, NotFound):
            raise
        except DomainError as exc:
            flash_error(request, exc, joined=True)
        else:
            messages.success(request, _("述职评议已安排"))
            return redirect(item)
    return render(request, "evaluations/official_create.html", {"meetings": meetings})


def _render(request, pk: int, *, failed: str = "", error=None, status=200):
    item = selectors.official_rating(request.user, pk)
    deputy_id = own_deputy_id(request.user)
    done = (
        deputy_id is not None
        and OfficialRatingParticipation.objects.filter(
            rating=item, voter_key=voter_key(-item.pk, f"deputy:{deputy_id}")
        ).exists()
    )
    manage = perms.holds(request.user, perms.EVALUATION_MANAGE, item)
    return render(
        request,
        "evaluations/official_rating.html",
        {
            "item": item,
            "rows": selectors.official_results(item),
            "actions": action_forms(
                request, item, url_name="evaluations:official_act", failed=failed, error=error
            ),
            "error": error,
            "manage": manage,
            "can_rate": item.state == "open" and deputy_id is not None and not done,
            "done": done,
            "options": Satisfaction.rated(),
        },
        status=status,
    )


@login_required
def detail(request, vice_mayor_rating_id: int):
    return _render(request, vice_mayor_rating_id)


@login_required
@require_POST
def act(request, vice_mayor_rating_id: int, key: str):
    item = selectors.official_rating(request.user, vice_mayor_rating_id)
    return take_action(request, item, key, act=services.act_on_rating, render_failed=_render)


@login_required
@require_POST
def rate(request, vice_mayor_rating_id: int):
    item = selectors.official_rating(request.user, vice_mayor_rating_id)
    choices = {o.pk: request.POST.get(f"official_{o.pk}", "") for o in item.officials.all()}
    try:
        services.rate(actor=request.user, rating_id=item.pk, choices=choices)
    except (PermissionDenied, NotFound):
        raise
    except DomainError as exc:
        flash_error(request, exc, joined=True)
    else:
        messages.success(request, _("测评已提交，感谢参与"))
    return redirect(item)


@login_required
@require_POST
def upload(request, vice_mayor_rating_id: int):
    item = selectors.official_rating(request.user, vice_mayor_rating_id)
    f = request.FILES.get("file")
    try:
        if f is None:
            raise DomainError(_("请选择要上传的文件"))
        services.attach_report(
            actor=request.user,
            rating_id=item.pk,
            official_id=read(request.POST, "official", ID, default=0),
            upload=f,
        )
    except (PermissionDenied, NotFound):
        raise
    except DomainError as exc:
        flash_error(request, exc, joined=True)
    else:
        messages.success(request, _("述职报告已上传"))
    return redirect(item)


@login_required
def file(request, vice_mayor_rating_id: int, att: int):
    found = (
        attachments_of(selectors.official_rating(request.user, vice_mayor_rating_id)).filter(pk=att).first()
    )
    if found is None:
        raise NotFound()
    return file_response(found)


@login_required
def hall(request, vice_mayor_rating_id: int):
    """The result on the meeting's hall screen: a small page of the counts (totals only, never a voter)."""
    item = selectors.official_rating(request.user, vice_mayor_rating_id)
    return render(
        request, "evaluations/official_hall.html", {"item": item, "rows": selectors.official_results(item)}
    )


@login_required
def record(request, vice_mayor_rating_id: int):
    item = selectors.official_rating(request.user, vice_mayor_rating_id)
    return docx_response(official_record_docx(item), "述职测评结果.docx")
