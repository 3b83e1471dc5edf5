"""Pages of 代表建议 and 议案: the list and its paper ledger, drafting, one suggestion with every form its
path needs (co-signing, review, assignment, consultation, reply, ratings, co-handling, key supervision), the
reply letter, the figures and awards, motions, and the published replies. Views parse, call one selector or
service, and render; the rules live there."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from apps.accounts.models import Role
from apps.accounts.scopes import covers_region, get_or_deny, grants_of, office_regions, roles_of, visible_to
from apps.common.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from apps.common.excel import HEAD_FILL as _HEAD_FILL
from apps.common.excel import ledger_cell as _cell
from apps.common.excel import paper_ledger
from apps.common.excel import workbook_response as _response
from apps.common.pages import EXPORT_MAX_ROWS
from apps.opinions.models import Opinion, Topic
from apps.people.models import Deputy, MandateStatus
from apps.places import selectors as place_selectors
from apps.places.models import HandlingUnit
from apps.workflow import services as engine
from apps.workflow.models import Step
from apps.workflow.pages import action_forms, take_action

from . import selectors, services
from .forms import Drafters, MotionForm, SuggestionForm
from .letter import reply_letter
from .models import (
    CoHandling,
    ConsultMethod,
    Feedback,
    Motion,
    Period,
    Rating,
    Signature,
    SignatureStatus,
    Suggestion,
)
from .workflow import MOTION_WORKFLOW, SUGGESTION_WORKFLOW

OFFICE_ROLES = {Role.COUNTY_OFFICE, Role.TOWN_OFFICE, Role.ADMIN}
# Transitions whose form is open on arrival: the next step of the usual path.
MAIN_STEPS = {"submit", "register", "assign", "reply", "solved"}
# Transitions that need no input: one button.
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _int(value) -> int | None:
    value = str(value or "").strip()
    return int(value) if value.isdigit() else None


def _year_choices():
    this = timezone.localdate().year
    return list(range(this, this - 6, -1))


def _is_office(user) -> bool:
    return bool(roles_of(user) & OFFICE_ROLES)


def _form_errors(form, exc: DomainError):
    """A service's per-field messages beside the form's fields; others on top of the form."""
    for field, msgs in (exc.fields or {}).items():
        name = field if field in form.fields else None
        for m in msgs if isinstance(msgs, list | tuple) else [msgs]:
            form.add_error(name, str(m))
    if not exc.fields:
        form.add_error(None, str(exc.message))


def _town_choices(user) -> list:
    """Towns to filter by, for those who work above one town (county office, admin)."""
    if "admin" in roles_of(user) or any(r.level != "town" for r in office_regions(user)):
        return list(place_selectors.regions(user, level="town")[:300])
    return []


def _place_name(user, region) -> str:
    if region is not None:
        return region.name
    regions = office_regions(user)
    if len(regions) == 1:
        return regions[0].name
    for g in grants_of(user):
        if g.role == Role.UNIT_STAFF:
            return g.unit.name
        if g.role == Role.DEPUTY:
            return _("%(name)s代表") % {"name": g.deputy.name}
    return ""


# --- the list and its paper ledger --------------------------------------------------------------------------


@login_required
def suggestion_list(request):
    g, user = request.GET, request.user
    region = place_selectors.region_by_code(user, g["region"]) if g.get("region") else None
    # Suggestions are counted per year: the first visit shows this year; "全部年份" sends an empty year.
    year = _int(g["year"]) if "year" in g else timezone.localdate().year
    qs = selectors.suggestions(
        user,
        region=region,
        unit=_int(g.get("unit")),
        state=g.get("state", ""),
        period=g.get("period", ""),
        topic=g.get("topic", ""),
        q=g.get("q", "").strip(),
        year=year,
        key_only=g.get("key") == "1",
        overdue=g.get("overdue") == "1",
    )
    if g.get("export") == "xlsx":
        title = ledger_title(_place_name(user, region), year)
        return ledger_response(qs[:EXPORT_MAX_ROWS], title=title)
    page = Paginator(qs, 50).get_page(g.get("page"))
    params = g.copy()
    params.pop("page", None)
    params.pop("export", None)
    params["year"] = year or ""
    ctx = {
        "f": g,
        "year": year,
        "years": _year_choices(),
        "towns": _town_choices(user),
        "units": list(visible_to(user, HandlingUnit).order_by("level", "name")[:300]),
        "states": [("open", _("未办结")), *SUGGESTION_WORKFLOW.choices()],
        "periods": Period.choices,
        "topics": Topic.choices,
        "can_draft": Drafters(user).any,
        "page": page,
        "query": params.urlencode(),
    }
    template = "suggestions/_rows.html" if request.htmx else "suggestions/list.html"
    return render(request, template, ctx)


def ledger_title(place: str, year: int | None) -> str:
    year_part = _("（%(year)s年）") % {"year": year} if year else ""
    return _("%(place)s代表建议办理台账") % {"place": place} + year_part


def _names(values) -> str:
    return "、".join(v for v in values if v)


def _ratings(item: Suggestion) -> str:
    """This round's feedback, one deputy a line: 张三：办理满意，结果基本满意."""
    rows = [f for f in item.feedback.all() if f.round == item.rounds]
    return "\n".join(
        _("%(name)s：工作%(h)s，结果%(r)s")
        % {"name": f.deputy.name, "h": f.get_handling_display(), "r": f.get_result_display()}
        for f in rows
    )


def _state_cell(item: Suggestion, today: date) -> str:
    label = str(item.state_label)
    return f"{label}（{_('已超期')}）" if item.is_overdue(today) else label


def _on_time(item: Suggestion) -> str:
    return "" if item.reply_on_time is None else (_("是") if item.reply_on_time else _("否"))


# (header, width in characters, value of one row); `n` is the row number, `limit` the reply deadline.
LEDGER_COLUMNS = [
    (gettext_lazy("序号"), 6, lambda s, n, limit, today: n),
    (gettext_lazy("立案号"), 16, lambda s, n, limit, today: s.number),
    (gettext_lazy("标题"), 30, lambda s, n, limit, today: s.title),
    (gettext_lazy("领衔代表"), 9, lambda s, n, limit, today: s.lead.name),
    (
        gettext_lazy("联名代表"),
        14,
        lambda s, n, limit, today: _names(
            g.deputy.name
            for g in s.signatures.all()
            if not g.is_lead and g.status == SignatureStatus.CONFIRMED
        ),
    ),
    (gettext_lazy("提出时间"), 10, lambda s, n, limit, today: s.get_period_display()),
    (gettext_lazy("类别"), 9, lambda s, n, limit, today: s.get_topic_display()),
    (gettext_lazy("主办单位"), 16, lambda s, n, limit, today: s.unit.name if s.unit_id else ""),
    (
        gettext_lazy("协办单位"),
        16,
        lambda s, n, limit, today: _names(c.unit.name for c in s.cohandlings.all()),
    ),
    (gettext_lazy("交办日期"), 11, lambda s, n, limit, today: s.assigned_on),
    (gettext_lazy("答复时限"), 11, lambda s, n, limit, today: limit),
    (gettext_lazy("答复日期"), 11, lambda s, n, limit, today: s.replied_on),
    (gettext_lazy("答复类别"), 6, lambda s, n, limit, today: s.category),
    (gettext_lazy("是否按时"), 6, lambda s, n, limit, today: _on_time(s)),
    (gettext_lazy("代表评价"), 24, lambda s, n, limit, today: _ratings(s)),
    (gettext_lazy("状态"), 12, lambda s, n, limit, today: _state_cell(s, today)),
]
CHUNK = 1000


def _chunks(items: Iterable[Suggestion]) -> Iterator[list[Suggestion]]:
    chunk: list[Suggestion] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _reply_limits(chunk: list[Suggestion]) -> dict[int, date]:
    """The unit's reply deadline: `due_date` while it is being handled; once replied, `due_date` has moved
    on to the feedback window, so the deadline set by the last assignment, extension or re-handling."""
    handling = {s.pk: s.due_date for s in chunk if s.state in ("assigned", "rehandling")}
    done = [s.pk for s in chunk if s.assigned_on and s.pk not in handling]
    if done:
        steps = (
            Step.objects.filter(
                content_type=ContentType.objects.get_for_model(Suggestion),
                object_id__in=done,
                transition__in=("assign", "extend", "rehandle"),
            )
            .order_by("object_id", "at", "pk")
            .values_list("object_id", "due_date")
        )
        handling.update(dict(steps))  # the latest of each item wins
    return handling


def ledger_workbook(qs, *, title: str, today: date | None = None) -> Workbook:
    today = today or timezone.localdate()
    items = qs.prefetch_related(
        Prefetch("signatures", queryset=Signature.objects.select_related("deputy").order_by("pk")),
        Prefetch("cohandlings", queryset=CoHandling.objects.select_related("unit").order_by("pk")),
        Prefetch("feedback", queryset=Feedback.objects.select_related("deputy").order_by("at")),
    ).iterator(chunk_size=CHUNK)
    wb, ws = paper_ledger(
        title=title, sheet=_("台账"), headers_widths=[(h, w) for h, w, _g in LEDGER_COLUMNS]
    )
    n = 0
    for chunk in _chunks(items):
        limits = _reply_limits(chunk)
        for s in chunk:
            n += 1
            ws.append([_cell(ws, get(s, n, limits.get(s.pk), today)) for _h, _w, get in LEDGER_COLUMNS])
    return wb


def ledger_response(qs, *, title: str) -> HttpResponse:
    return _response(ledger_workbook(qs, title=title), title)


# --- drafting -----------------------------------------------------------------------------------------------


@login_required
def new(request):
    """A deputy drafts their suggestion; an office enters one for a deputy. ?opinion=<id> starts from an
    opinion the user may see (the opinion page's "转为代表建议")."""
    user = request.user
    drafters = Drafters(user)
    if not drafters.any:
        raise PermissionDenied(_("只有代表本人或人大办可以提出建议"))
    source = None
    opinion_id = _int(request.GET.get("opinion"))
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
                _form_errors(form, exc)
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


def _may_edit(user, item: Suggestion) -> bool:
    if item.state not in ("draft", "returned"):
        return False
    me = services.own_deputy(user)
    return (me is not None and me.pk == item.lead_id) or covers_region(user, item.region)


@login_required
def edit(request, pk: int):
    user = request.user
    item = selectors.suggestion_detail(user, pk)
    if not _may_edit(user, item):
        raise PermissionDenied(_("只有领衔代表或人大办可以修改草稿或退回修改的建议"))
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
                _form_errors(form, exc)
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
    roles = engine.actor_roles(user, item)
    me = services.own_deputy(user)
    office = covers_region(user, item.region)
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
        and bool(roles & {Role.UNIT_STAFF, Role.TOWN_OFFICE, Role.COUNTY_OFFICE}),
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
        "ratings": Rating.choices,
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

    return _attempt(request, pk, "sign", work)


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
        services.mark_key(actor=request.user, item=item, is_key=is_key, member_id=_int(p.get("key_member")))
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
    response = HttpResponse(reply_letter(item), content_type=DOCX_MIME)
    name = _("答复函-%(n)s.docx") % {"n": item.number or item.pk}
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


# --- figures and awards -------------------------------------------------------------------------------------

BY = {
    "town": gettext_lazy("按镇"),
    "unit": gettext_lazy("按承办单位"),
    "deputy": gettext_lazy("按领衔代表"),
    "session": gettext_lazy("按会议"),
}
BY_HEADER = {
    "town": gettext_lazy("镇（街道）"),
    "unit": gettext_lazy("承办单位"),
    "deputy": gettext_lazy("领衔代表"),
    "session": gettext_lazy("会议"),
}


def _pct(value):
    return None if value is None else value / 100


FIGURE_COLUMNS = [
    (gettext_lazy("件数"), 8, lambda r: r["total"], None),
    (gettext_lazy("已答复"), 8, lambda r: r["replied"], None),
    (gettext_lazy("按时答复率"), 10, lambda r: _pct(r["on_time_rate"]), "0.0%"),
    (gettext_lazy("A类占比"), 9, lambda r: _pct(r["a_share"]), "0.0%"),
    (gettext_lazy("B类占比"), 9, lambda r: _pct(r["b_share"]), "0.0%"),
    (gettext_lazy("C类占比"), 9, lambda r: _pct(r["c_share"]), "0.0%"),
    (gettext_lazy("D类占比"), 9, lambda r: _pct(r["d_share"]), "0.0%"),
    (gettext_lazy("解决率"), 9, lambda r: _pct(r["solved_rate"]), "0.0%"),
    (gettext_lazy("满意率"), 9, lambda r: _pct(r["satisfaction_rate"]), "0.0%"),
    (gettext_lazy("超期"), 7, lambda r: r["overdue"], None),
]


def _row_label(row, by: str) -> str:
    if by == "session" and not row["label"]:
        return str(_("（未填会议）"))
    return str(row["label"] or "—")


def figures_response(user, *, place: str, year: int, region) -> HttpResponse:
    """Every grouping on its own sheet, the rates as percentages."""
    wb = Workbook(write_only=True)
    title = _("%(place)s代表建议办理情况（%(year)s年）") % {"place": place, "year": year}
    for by, name in BY.items():
        ws = wb.create_sheet(title=str(name)[:31])
        ws.column_dimensions["A"].width = 22
        for i, (_h, width, _g, _f) in enumerate(FIGURE_COLUMNS, start=2):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "B3"
        ws.merged_cells.add(f"A1:{get_column_letter(len(FIGURE_COLUMNS) + 1)}1")
        head = WriteOnlyCell(ws, value=str(title))
        head.font = Font(bold=True, size=14)
        head.alignment = Alignment(horizontal="center")
        ws.append([head])
        ws.append(
            [_cell(ws, BY_HEADER[by], bold=True, fill=_HEAD_FILL)]
            + [_cell(ws, h, bold=True, fill=_HEAD_FILL) for h, *_rest in FIGURE_COLUMNS]
        )
        for row in selectors.figures(user, by=by, year=year, region=region):
            cells = [_cell(ws, _row_label(row, by))]
            for _h, _w, get, fmt in FIGURE_COLUMNS:
                cell = _cell(ws, get(row))
                if fmt:
                    cell.number_format = fmt
                cells.append(cell)
            ws.append(cells)
    return _response(wb, title)


def _awards_town(user, region):
    """The town whose awards the page selects: the filtered town, or the town office's own."""
    if region is not None:
        return region if region.level == "town" else None
    towns = [r for r in office_regions(user) if r.level == "town"]
    return towns[0] if len(towns) == 1 else None


def _render_stats(request, params, *, award_error: DomainError | None = None, posted=None):
    user = request.user
    if not roles_of(user) & OFFICE_ROLES:
        raise PermissionDenied(_("只有县、镇人大办可以查看统计"))
    by = params.get("by") if params.get("by") in BY else "town"
    year = _int(params.get("year")) or timezone.localdate().year
    region = place_selectors.region_by_code(user, params["region"]) if params.get("region") else None
    place = region.name if region else "、".join(r.name for r in office_regions(user)) or _("全部")
    if params.get("export") == "xlsx":
        return figures_response(user, place=place, year=year, region=region)
    rows = selectors.figures(user, by=by, year=year, region=region)
    for row in rows:
        row["name"] = _row_label(row, by)
    town = _awards_town(user, region)
    candidates, unit_rows, chosen = [], [], {"suggestion": set(), "unit": set()}
    if town is not None:
        candidates = list(
            selectors.suggestions(user, region=town, year=year)
            .filter(rounds__gt=0)
            .order_by("number", "pk")[:300]
        )
        unit_rows = selectors.figures(user, by="unit", year=year, region=town)
        for a in selectors.awards(user, year=year, town=town):
            chosen[a.kind].add(a.suggestion_id or a.unit_id)
        if posted is not None:
            chosen = {
                "suggestion": {_int(i) for i in posted.getlist("suggestions")},
                "unit": {_int(i) for i in posted.getlist("units")},
            }
    base = {"year": year, **({"region": region.code} if region else {})}
    return render(
        request,
        "suggestions/stats.html",
        {
            "by": by,
            "tabs": [(k, v, urlencode({**base, "by": k})) for k, v in BY.items()],
            "by_header": BY_HEADER[by],
            "year": year,
            "years": _year_choices(),
            "region": region,
            "place": place,
            "rows": rows,
            "town_choices": _town_choices(user),
            "query": urlencode({**base, "by": by}),
            "award_town": town,
            "candidates": candidates,
            "unit_rows": unit_rows,
            "chosen": chosen,
            "awards": list(selectors.awards(user, year=year)),
            "award_error": award_error,
        },
        status=award_error.status if award_error else 200,
    )


@login_required
def stats(request):
    return _render_stats(request, request.GET)


@login_required
@require_POST
def awards(request):
    user, p = request.user, request.POST
    town = place_selectors.region_by_code(user, p.get("town") or "")
    year = _int(p.get("year")) or timezone.localdate().year
    try:
        if town.level != "town":
            raise ValidationFailed(_("请选择镇"))
        services.select_awards(
            actor=user,
            town=town,
            year=year,
            suggestion_ids=[i for i in map(_int, p.getlist("suggestions")) if i],
            unit_ids=[i for i in map(_int, p.getlist("units")) if i],
        )
    except (PermissionDenied, NotFound):
        raise
    except DomainError as exc:
        params = {"year": str(year), "by": p.get("by") or "town"}
        if p.get("region"):
            params["region"] = p["region"]
        return _render_stats(request, params, award_error=exc, posted=p)
    messages.success(request, _("%(town)s%(year)s年评优结果已保存") % {"town": town.name, "year": year})
    query = {"year": year, **({"region": p["region"]} if p.get("region") else {})}
    return redirect(reverse("suggestions:stats") + "?" + urlencode(query))


# --- motions ------------------------------------------------------------------------------------------------


@login_required
def motion_list(request):
    qs = selectors.motions(request.user).annotate(
        confirmed=Count("signatures", filter=Q(signatures__status=SignatureStatus.CONFIRMED), distinct=True)
    )
    state = request.GET.get("state", "")
    if state:
        qs = qs.filter(state=state)
    page = Paginator(qs.order_by("-created_at", "-pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "suggestions/motion_list.html",
        {
            "page": page,
            "query": urlencode({"state": state}) if state else "",
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
        raise PermissionDenied(_("只有代表或主席团可以提出议案"))
    if request.method == "POST":
        form = MotionForm(request.POST, drafters=drafters)
        if form.is_valid():
            try:
                motion = services.create_motion(actor=user, data=form.data_for_service())
            except ValidationFailed as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("议案草稿已保存，已通知联名代表确认"))
                return redirect(motion)
    else:
        form = MotionForm(drafters=drafters)
    return render(request, "suggestions/motion_form.html", {"form": form}, status=400 if form.errors else 200)


def _render_motion(request, pk: int, *, failed: str = "", error: DomainError | None = None, status=200):
    user = request.user
    motion = selectors.motion_detail(user, pk)
    me = services.own_deputy(user)
    signatures = list(motion.signatures.select_related("deputy").order_by("-is_lead", "pk"))
    mine = next((s for s in signatures if me and s.deputy_id == me.pk and not s.is_lead), None)
    actions = action_forms(request, motion, url_name="suggestions:motion_act", failed=failed, error=error)
    return render(
        request,
        "suggestions/motion_detail.html",
        {
            "m": motion,
            "signatures": signatures,
            "confirmed": sum(1 for s in signatures if s.status == SignatureStatus.CONFIRMED),
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
    return redirect(motion)


@login_required
@require_POST
def motion_act(request, pk: int, key: str):
    motion = selectors.motion_detail(request.user, pk)

    def act(*, actor, item, key, data):
        return services.act_motion(actor=actor, motion=item, key=key, data=data)

    return take_action(request, motion, key, act=act, render_failed=_render_motion)


# --- published replies (no login) ---------------------------------------------------------------------------


def public_list(request):
    page = Paginator(selectors.published(), 30).get_page(request.GET.get("page"))
    return render(request, "suggestions/public_list.html", {"page": page, "query": ""})


def public_detail(request, pk: int):
    item = selectors.published().filter(pk=pk).first()
    if item is None:
        raise Http404
    return render(request, "suggestions/public_detail.html", {"s": item})
