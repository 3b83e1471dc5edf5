"""The page side of the one action mechanism: the detail pages of every item kind list the actions open to
the person with one fragment (templates/workflow/_actions.html), built here from the transition table, and
post them to one view function."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.common.errors import DomainError, NotFound, PermissionDenied

from . import services as engine
from .inputs import form_fields


def _shown(field) -> bool:
    # A choice nobody can make (no choices, and the field may be left out) is not worth a control.
    return field["required"] or field["widget"] not in ("select", "radio", "checkboxes") or field["choices"]


def action_forms(
    request,
    item,
    *,
    url_name: str,
    failed: str = "",
    error: DomainError | None = None,
    open_keys=frozenset(),
    skip=None,
) -> list[dict]:
    """The actions open to the user on `item`, each ready for the fragment: its fields from the input
    schema (what was typed and the field errors kept when `failed` names it), blocked ones with the
    reason, the usual next steps (`open_keys`) unfolded, refusals and send-backs last."""
    user = request.user
    out = []
    for t, blocked in engine.available(user, item):
        if skip is not None and skip(t, blocked):
            continue
        mine = t.key == failed
        fields = form_fields(
            t.input,
            providers=t.choices,
            item=item,
            actor=user,
            values=request.POST if mine else None,
            errors=error.fields if mine and error else None,
        )
        fields = [f for f in fields if _shown(f)]
        out.append(
            {
                "key": t.key,
                "label": t.label,
                "danger": t.danger,
                "blocked": blocked,
                "url": reverse(url_name, args=[item.pk, t.key]),
                "version": item.version,
                "fields": fields,
                "open": mine or (t.key in open_keys and not blocked),
                "other_errors": [
                    str(m)
                    for name, msgs in ((error.fields or {}).items() if mine and error else ())
                    if name not in {f["name"] for f in fields}
                    for m in msgs
                ],
            }
        )
    out.sort(key=lambda a: a["danger"])
    return out


def take_action(request, item, key: str, *, act, render_failed, still_visible=None, gone_to=None):
    """One action posted from a detail page. A domain error shows the page again (`render_failed(request,
    pk, failed=, error=, status=)`) with the message beside its fields; a refusal is a refusal page."""
    t = item.workflow.transition(key)
    if t is None:
        raise Http404
    try:
        fresh = act(actor=request.user, item=item, key=key, data=request.POST)
    except (PermissionDenied, NotFound):
        raise
    except DomainError as exc:
        return render_failed(request, item.pk, failed=key, error=exc, status=exc.status)
    messages.success(
        request,
        _("「%(action)s」已完成，当前状态：%(state)s") % {"action": t.label, "state": fresh.state_label},
    )
    if still_visible is not None and gone_to and not still_visible(fresh):
        return redirect(gone_to)  # e.g. a unit that sent the item back no longer sees it
    return redirect(fresh)


def item_views(*, param: str, fetch, name: str, template: str, url_name: str, act, extra=None):
    """A tracked item's page and its actions' POST view, for an item kind whose page is the item, its
    actions and what `extra(request, item)` adds: `fetch(user, pk)` finds it in the user's scope (404
    otherwise), `act` runs an action (as `take_action` calls it), `url_name` is the actions' POST route and
    `param` the routes' name of the id. Answers the page view and the action view."""

    def render_page(request, pk: int, *, failed: str = "", error: DomainError | None = None, status=200):
        item = fetch(request.user, pk)
        context = {
            name: item,
            **(extra(request, item) if extra else {}),
            "actions": action_forms(request, item, url_name=url_name, failed=failed, error=error),
            "error": error,
        }
        return render(request, template, context, status=status)

    @login_required
    def page(request, **kwargs):
        return render_page(request, kwargs[param])

    @login_required
    @require_POST
    def post(request, key: str, **kwargs):
        item = fetch(request.user, kwargs[param])
        return take_action(request, item, key, act=act, render_failed=render_page)

    return page, post
