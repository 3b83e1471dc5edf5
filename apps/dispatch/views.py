"""The dispatch pages: the one form (templates/dispatch/_panel.html, included in the evaluation, activity
and rectification item pages through `{% dispatch_panel item %}`) posts here; the document of a record."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.common.errors import DomainError, NotFound, PermissionDenied
from apps.common.pages import flash_error
from apps.common.params import Day, read
from apps.workflow.uploads import file_response

from . import selectors, services
from .kinds import KINDS

SENT_ON = Day(label=gettext_lazy("报送日期"))


def _send(request, kind: str, object_id: int):
    spec = KINDS[kind]
    try:
        sent_on = read(request.POST, "sent_on", SENT_ON)
        services.send(
            actor=request.user,
            kind=kind,
            object_id=object_id,
            recipient_kind=request.POST.get("recipient_kind", ""),
            recipient=request.POST.get("recipient", ""),
            sent_on=sent_on,
            note=request.POST.get("note", ""),
        )
    except (PermissionDenied, NotFound):
        raise
    except DomainError as exc:
        flash_error(request, exc, joined=True)
    else:
        messages.success(request, _("已记录报送"))
    return redirect(spec.model_class.objects.get(pk=object_id).get_absolute_url())


@login_required
@require_POST
def send_evaluation(request, evaluation_id: int):
    return _send(request, "evaluation", evaluation_id)


@login_required
@require_POST
def send_activity(request, activity_id: int):
    return _send(request, "activity", activity_id)


@login_required
@require_POST
def send_rectification(request, rectification_id: int):
    return _send(request, "rectification", rectification_id)


@login_required
def document(request, dispatch_id: int):
    """The Word document as it was sent."""
    found = selectors.document_of(selectors.dispatch(request.user, dispatch_id))
    if found is None:
        raise NotFound()
    return file_response(found)
