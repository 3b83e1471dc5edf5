"""The list, drafting, and one suggestion with every form its path needs (co-signing, review,
assignment, consultation, reply, ratings, co-handling, key supervision) and the reply letter."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.accounts import permissions as perms
from apps.accounts.permissions import roles_over
from apps.accounts.scopes import CHANGE, deny, get_or_deny, visible_to
from apps.common.choices import Satisfaction
from apps.common.downloads import docx_response
from apps.common.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from apps.common.pages import EXPORT_MAX_ROWS, form_errors, paginate_page, query_without
from apps.common.params import PAGE, REGION_CODE, SEARCH, YEAR, Choice, read
from apps.opinions.models import Opinion, Topic
from apps.people.models import Deputy, MandateStatus
from apps.places import selectors as place_selectors
from apps.places.models import HandlingUnit
from apps.workflow import services as engine
from apps.workflow.pages import action_forms, take_action

from .. import selectors, services
from ..forms import Drafters, SuggestionForm
from ..letter import reply_letter
from ..models import (
    CoHandling,
    ConsultMethod,
    Motion,
    Period,
    Signature,
    SignatureStatus,
    Suggestion,
)
from ..workflow import SUGGESTION_WORKFLOW
from .common import (
    KEY_MEMBER_ID,
    MAIN_STEPS,
    OPINION_ID,
    UNIT_ID,
    _place_name,
    _town_choices,
    _year_choices,
)
from .ledger import (
    ledger_response,
    ledger_title,
)

# --- the list and its paper ledger --------------------------------------------------------------------------

PERIOD = Choice(Period, label=gettext_lazy("提出时间"))
TOPIC = Choice(Topic, label=gettext_lazy("类别"))


def _states() -> list[tuple[str, str]]:
    return [("open", _("未办结")), *SUGGESTION_WORKFLOW.choices()]


@login_required
def suggestion_list(request):
    g, user = request.GET, request.user
    code = read(g, "region", REGION_CODE)
    region = place_selectors.region_by_code(user, code) if code else None
    # Suggestions are counted per year: the first visit shows this year; "全部年份" sends an empty year.
    year = read(g, "year", YEAR) if "year" in g else timezone.localdate().year
    states = _states()
    qs = selectors.suggestions(
        user,
        region=region,
        unit=read(g, "unit", UNIT_ID),
        state=read(g, "state", Choice(dict(states), label=_("状态")), default=""),
        period=read(g, "period", PERIOD, default=""),
        topic=read(g, "topic", TOPIC, default=""),
        q=read(g, "q", SEARCH, default=""),
        year=year,
        key_only=g.get("key") == "1",
        overdue=g.get("overdue") == "1",
    )
    if g.get("export") == "xlsx":
        title = ledger_title(_place_name(user, region), year)
        return ledger_response(qs[:EXPORT_MAX_ROWS], title=title)
    read(g, "page", PAGE)  # a page number that is no number is refused, not silently the first
    page, _query = paginate_page(request, qs)
    # The pager keeps the year shown, also when it is the first visit's default.
    params = g.copy()
    params["year"] = year or ""
    ctx = {
        "f": g,
        "year": year,
        "years": _year_choices(),
        "towns": _town_choices(user),
        "units": list(visible_to(user, HandlingUnit).order_by("level", "name")[:300]),
        "states": states,
        "periods": Period.choices,
        "topics": Topic.choices,
        "can_draft": Drafters(user).any,
        "page": page,
        "query": query_without(params, "page", "export"),
    }
    template = "suggestions/_rows.html" if request.htmx else "suggestions/list.html"
    return render(request, template, ctx)


# --- drafting -----------------------------------------------------------------------------------------------


@login_required
def new(request):
    """A deputy drafts their suggestion; an office enters one for a deputy. ?opinion=<id> starts from an
    opinion the user may see (the opinion page's "转为代表建议")."""
    user = request.user
    drafters = Drafters(user)
    if not drafters.any:
        deny(
            user,
            perms.SUGGESTION_SUBMIT,
            object_type="suggestions.suggestion",
            message=_("只有代表本人或人大办可以提出建议"),
        )
    source = None
    opinion_id = read(request.GET, "opinion", OPINION_ID)
    if opinion_id:
        source = visible_to(user, Opinion).filter(pk=opinion_id).first()
        if source is None:
            raise Http404
    initial = {"period": Period.BETWEEN}
    if source is not None:
        initial.update(
            title=source.title[:100], content=source.content, topic=source.topic, opinions=[str(source.pk)]
        )
        if drafters.office and source.deputy_id:
            initial["lead"] = str(source.deputy_id)
    kwargs = {"drafters": drafters, "extra_opinion": source, "initial": initial}
    if request.method == "POST":
        form = SuggestionForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                item = services.create_draft(actor=user, data=form.data_for_service())
            except ValidationFailed as exc:
                form_errors(form, exc)
            else:
                if item.signatures.filter(status=SignatureStatus.INVITED).exists():
                    messages.success(request, _("草稿已保存，已通知联名代表确认；全部答复后即可提交"))
                else:
                    messages.success(request, _("草稿已保存，核对无误后请提交"))
                return redirect(item)
    else:
        form = SuggestionForm(**kwargs)
    return render(
        request,
        "suggestions/form.html",
        {"form": form, "source": source, "item": None},
        status=400 if form.errors else 200,
    )


def _is_office_for(user, item: Suggestion) -> bool:
    """The office over the item's town: it enters, edits, supervises and publishes for the deputies (the
    same question the services ask before those writes)."""
    return perms.holds_in(user, perms.SUGGESTION_MANAGE, item.region)


def _may_edit(user, item: Suggestion) -> bool:
    if item.state not in ("draft", "returned"):
        return False
    me = services.own_deputy(user)
    return (me is not None and me.pk == item.lead_id) or _is_office_for(user, item)


@login_required
def edit(request, pk: int):
    user = request.user
    item = selectors.suggestion_detail(user, pk)
    if not _may_edit(user, item):
        deny(user, CHANGE, item, message=_("只有领衔代表或人大办可以修改草稿或退回修改的建议"))
    invited = list(item.signatures.filter(is_lead=False).exclude(status=SignatureStatus.DECLINED))
    initial = {
        "title": item.title,
        "content": item.content,
        "topic": item.topic,
        "period": item.period,
        "session_label": item.session_label,
        "co_signers": [str(s.deputy_id) for s in invited],
    }
    kwargs = {"drafters": Drafters(user), "editing": item, "initial": initial}
    if request.method == "POST":
        form = SuggestionForm(request.POST, **kwargs)
        if form.is_valid():
            # Co-signers who declined are not listed; the draft keeps only those ticked.
            try:
                services.update_draft(actor=user, item=item, data=form.data_for_service())
            except ValidationFailed as exc:
                form_errors(form, exc)
            else:
                messages.success(request, _("已保存"))
                return redirect(item)
    else:
        form = SuggestionForm(**kwargs)
    return render(
        request,
        "suggestions/form.html",
        {"form": form, "item": item, "source": None},
        status=400 if form.errors else 200,
    )


# --- one suggestion -----------------------------------------------------------------------------------------


def _step_rows(item, workflow):
    labels = {t.key: t.label for t in workflow.transitions}
    labels["create"] = _("起草")
    return [
        {"step": s, "label": labels.get(s.transition, s.transition), "state": workflow.state(s.to_state)}
        for s in engine.steps_of(item)
    ]


def _key_members(item):
    """Who may follow a key suggestion: the town's deputies, presidium members first."""
    return Deputy.objects.filter(town_id=item.town_id, status=MandateStatus.IN_OFFICE).order_by(
        "-is_presidium_member", "name_pinyin"
    )[:300]


def _render_detail(request, pk: int, *, failed: str = "", error: DomainError | None = None, status=200):
    user = request.user
    item, own_parts = selectors.suggestion_for(user, pk)
    roles = roles_over(user, item)
    me = services.own_deputy(user)
    office = _is_office_for(user, item)
    actions = (
        action_forms(
            request, item, url_name="suggestions:act", failed=failed, error=error, open_keys=MAIN_STEPS
        )
        if roles
        else []
    )
    keys = {a["key"] for a in actions}
    signatures = list(item.signatures.select_related("deputy").order_by("-is_lead", "pk"))
    my_signature = next((s for s in signatures if me and s.deputy_id == me.pk and not s.is_lead), None)
    merged = list(item.merged.select_related("lead")) if item.state != "merged" else []
    signers = list(item.signers())
    is_signer = me is not None and any(d.pk == me.pk for d in signers)
    feedback = list(selectors.feedback_of(item))
    rated = is_signer and any(f.deputy_id == me.pk and f.round == item.rounds for f in feedback)
    similar = selectors.similar_submitted(item, user=user) if office and item.state == "submitted" else []
    posted = request.POST if failed else {}
    ctx = {
        "s": item,
        "actions": actions,
        "failed": failed,
        "error": error,
        "errors": error.fields if error else {},
        "posted": posted,
        "office": office,
        "cohandler": bool(own_parts) and not roles,
        "own_parts": own_parts,
        "signatures": signatures,
        "merged_items": merged,
        "merged_signatures": Signature.objects.filter(
            suggestion__merged_into=item, status=SignatureStatus.CONFIRMED
        ).select_related("deputy", "suggestion")
        if merged
        else [],
        "my_signature": my_signature,
        "can_sign": bool(
            my_signature
            and my_signature.status == SignatureStatus.INVITED
            and item.state in ("draft", "returned")
        ),
        "can_edit": _may_edit(user, item),
        "can_rate": is_signer and item.state == "replied" and not rated,
        "can_consult": item.state in ("assigned", "rehandling")
        and bool(roles & perms.SUGGESTION_CONSULT.roles),
        "can_visit": item.is_key and (office or (me is not None and me.pk == item.key_member_id)),
        "feedback": feedback,
        "cohandlings": list(item.cohandlings.select_related("unit").order_by("pk")),
        "opinions": list(item.opinions.all()),
        "motion": Motion.objects.filter(suggestion=item).first(),
        "visits": list(item.visits.all()) if item.is_key else [],
        "key_members": list(_key_members(item)) if office else [],
        "similar": [(x, round(score * 100)) for x, score in similar],
        "can_merge": "merge" in keys,
        "consult_methods": ConsultMethod.choices,
        "ratings": Satisfaction.choices,
        "steps": _step_rows(item, SUGGESTION_WORKFLOW),
        "today": timezone.localdate(),
    }
    return render(request, "suggestions/detail.html", ctx, status=status)


@login_required
def detail(request, pk: int):
    return _render_detail(request, pk)


def _done(request, item: Suggestion, parts, message: str, *, may_leave=False):
    messages.success(request, message)
    if may_leave and not parts and not visible_to(request.user, Suggestion).filter(pk=item.pk).exists():
        return redirect("suggestions:list")  # a unit that sent the item back no longer sees it
    return redirect("suggestions:detail", pk=item.pk)


def _attempt(request, pk: int, failed: str, work, *, may_leave=False):
    """Run one write from a form of the detail page; a domain error shows the page again with the message
    beside the form's fields and what was typed still there."""
    item, parts = selectors.suggestion_for(request.user, pk)
    try:
        message = work(item, parts)
    except (PermissionDenied, NotFound):
        raise
    except DomainError as exc:
        return _render_detail(request, pk, failed=failed, error=exc, status=exc.status)
    return _done(request, item, parts, message, may_leave=may_leave)


@login_required
@require_POST
def act(request, pk: int, key: str):
    """One workflow step from one of the detail page's forms; a stale form gets the Conflict message."""
    item, parts = selectors.suggestion_for(request.user, pk)
    return take_action(
        request,
        item,
        key,
        act=services.act,
        render_failed=_render_detail,
        still_visible=lambda fresh: (
            bool(parts) or visible_to(request.user, Suggestion).filter(pk=fresh.pk).exists()
        ),
        gone_to="suggestions:list",
    )


@login_required
@require_POST
def sign(request, pk: int):
    accept = request.POST.get("accept") == "1"

    def work(item, parts):
        services.respond(actor=request.user, item=item, accept=accept)
        return _("已确认联名") if accept else _("已谢绝联名")

    response = _attempt(request, pk, "sign", work)
    if request.POST.get("back") == "invitations" and response.status_code == 302:
        return redirect("suggestions:invitations")  # answered from the 联名邀请 page
    return response


@login_required
@require_POST
def consult(request, pk: int):
    p = request.POST

    def work(item, parts):
        services.record_consultation(
            actor=request.user,
            item=item,
            method=p.get("consult_method") or "",
            on=(p.get("consult_on") or "").strip() or None,
            note=(p.get("consult_note") or "").strip(),
        )
        return _("面商情况已登记")

    return _attempt(request, pk, "consult", work)


@login_required
@require_POST
def rate(request, pk: int):
    p = request.POST

    def work(item, parts):
        services.rate(
            actor=request.user,
            item=item,
            handling=p.get("handling") or "",
            result=p.get("result") or "",
            comment=p.get("comment") or "",
        )
        return _("评价已提交，谢谢")

    return _attempt(request, pk, "rate", work)


@login_required
@require_POST
def cohandling(request, pk: int, part: int):
    def work(item, parts):
        found = get_or_deny(request.user, CoHandling, pk=part, suggestion_id=pk)
        services.cohandling_input(actor=request.user, part=found, text=request.POST.get("input_text") or "")
        return _("协办意见已提交主办单位")

    return _attempt(request, pk, "cohandling", work)


@login_required
@require_POST
def key(request, pk: int):
    p = request.POST

    def work(item, parts):
        is_key = p.get("is_key") == "1"
        member_id = read(p, "key_member", KEY_MEMBER_ID)
        services.mark_key(actor=request.user, item=item, is_key=is_key, member_id=member_id)
        return _("已列为重点督办建议") if is_key else _("已取消重点督办")

    return _attempt(request, pk, "key", work)


def _date_or_fail(value: str, field: str) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as e:
        message = _("日期格式应为 YYYY-MM-DD")
        raise ValidationFailed(message, fields={field: [message]}) from e


@login_required
@require_POST
def visit(request, pk: int):
    p = request.POST

    def work(item, parts):
        on = _date_or_fail(p.get("date"), "date")
        services.add_visit(actor=request.user, item=item, on=on, note=p.get("note") or "")
        return _("督办情况已登记")

    return _attempt(request, pk, "visit", work)


@login_required
@require_POST
def publish(request, pk: int):
    value = request.POST.get("publish") == "1"

    def work(item, parts):
        services.set_publish(actor=request.user, item=item, publish=value)
        return _("答复将在公开页面发布") if value else _("答复不予公开")

    return _attempt(request, pk, "publish", work)


@login_required
def letter(request, pk: int):
    """The reply letter (答复函) of the latest round, for whoever may see the item."""
    item, _parts = selectors.suggestion_for(request.user, pk)
    if not item.rounds:
        raise Http404
    return docx_response(reply_letter(item), _("答复函-%(n)s.docx") % {"n": item.number or item.pk})
