"""Pages of department evaluations (issue 18 part 3): the list, a new evaluation, its page (the eight steps
with their actions, files, written opinions, the survey and its results, the Word papers) and the deputy's
phone page to answer the survey. Each view parses, calls one selector or service, and renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.accounts import permissions as perms
from apps.accounts.scopes import office_regions, own_deputy_id
from apps.common.choices import Satisfaction
from apps.common.downloads import docx_response
from apps.common.errors import DomainError, NotFound, PermissionDenied
from apps.common.pages import flash_error, paginate_page
from apps.common.params import ID, PAGE, YEAR, Text, ints, read
from apps.places.models import HandlingUnit
from apps.workflow.api import steps_out
from apps.workflow.pages import action_forms, take_action
from apps.workflow.uploads import attachments_of, file_response

from . import selectors, services
from .models import SurveyParticipation
from .rules import voter_key
from .word import announcement_docx, opinions_docx

STATE = Text(24, label=gettext_lazy("状态"))


def _run(request, work, ok: str, to):
    try:
        work()
    except (PermissionDenied, NotFound):
        raise
    except DomainError as exc:
        flash_error(request, exc, joined=True)
    else:
        messages.success(request, ok)
    return redirect(to)


@login_required
def home(request):
    """工作评议: the evaluations the user sees; an office may start one."""
    perms.require(request.user, perms.EVALUATION_BROWSE)
    read(request.GET, "page", PAGE)
    year = read(request.GET, "year", YEAR)
    page, query = paginate_page(request, selectors.evaluations(request.user, year=year), per_page=20)
    office = perms.holds(request.user, perms.EVALUATION_MANAGE)
    to_answer = list(selectors.surveys_to_answer(request.user)[:20]) if own_deputy_id(request.user) else []
    return render(
        request,
        "evaluations/home.html",
        {
            "page": page,
            "query": query,
            "office": office,
            "to_answer": to_answer,
            "ratings": list(selectors.official_ratings(request.user)[:20]),
        },
    )


def _towns(user):
    """The towns the office may start an evaluation in: its own, or every town of its county."""
    from apps.places.models import Region

    regions = office_regions(user)
    counties = [r.pk for r in regions if r.level == "county"]
    towns = {r.pk: r for r in regions if r.level == "town"}
    for r in Region.objects.filter(level="town", county_id__in=counties).order_by("code"):
        towns.setdefault(r.pk, r)
    return list(towns.values())


@login_required
def create(request):
    perms.require(request.user, perms.EVALUATION_MANAGE)
    towns = _towns(request.user)
    if request.method == "POST":
        p = request.POST
        try:
            item = services.create_evaluation(
                actor=request.user,
                region_id=read(p, "region", ID, default=0),
                year=read(p, "year", YEAR, default=timezone.localdate().year),
                title=p.get("title", ""),
                unit_ids=ints(p.getlist("units"), name="units"),
                activity_id=read(p, "activity", ID),
            )
        except (PermissionDenied, NotFound):
            raise
        except DomainError as exc:
            flash_error(request, exc, joined=True)
        else:
            messages.success(request, _("工作评议已新建"))
            return redirect(item)
    # The units of the office's towns and its county's own: never another town's (a county office has all).
    county_ids = {t.county_id for t in towns}
    own = Q(town_id__in=[t.pk for t in towns]) | Q(town_id__isnull=True, county_id__in=county_ids)
    units = HandlingUnit.objects.filter(own, is_active=True).order_by("town_id", "name")
    return render(
        request,
        "evaluations/create.html",
        {
            "towns": towns,
            "units": units[:300],
            "year": timezone.localdate().year,
            "activities": list(selectors.plan_items_to_evaluate([t.pk for t in towns])[:200]),
            "chosen": read(request.GET, "activity", ID),
        },
    )


def _render(
    request, pk: int, *, failed: str = "", error: DomainError | None = None, status=200, survey_failed=""
):
    item = selectors.evaluation(request.user, pk)
    survey = selectors.survey_of(item)
    manage = perms.holds(request.user, perms.EVALUATION_MANAGE, item)
    ctx = {
        "item": item,
        "rows": selectors.results(item, request.user),
        "comments": selectors.comments(item, request.user),
        "files": list(attachments_of(item)),
        "manage": manage,
        "survey": survey,
        "can_open_survey": manage
        and survey is None
        and item.state in ("planned", "notice", "research", "meeting"),
        "can_edit_opinions": manage and item.state in ("planned", "notice", "research", "meeting"),
        "actions": action_forms(
            request, item, url_name="evaluations:act", failed=failed if not survey_failed else "", error=error
        ),
        "survey_actions": action_forms(
            request, survey, url_name="evaluations:survey_act", failed=survey_failed, error=error
        )
        if survey
        else [],
        "error": error,
        "steps": _steps(item),
        "rectifications": selectors.rectifications(item, request.user),
        "plan_item": selectors.plan_item(item, request.user),
        "can_rate": survey is not None and survey.state == "open" and own_deputy_id(request.user) is not None,
    }
    return render(request, "evaluations/detail.html", ctx, status=status)


def _steps(item):
    """The timeline, each of the eight steps with the date the office gave it."""
    out = steps_out(item)
    for s in out:
        s["date"] = (item.step_dates or {}).get(s["to_state"], "") if s["transition"] != "create" else ""
    return out


@login_required
def detail(request, evaluation_id: int):
    return _render(request, evaluation_id)


@login_required
@require_POST
def act(request, evaluation_id: int, key: str):
    item = selectors.evaluation(request.user, evaluation_id)
    return take_action(request, item, key, act=services.act_on_evaluation, render_failed=_render)


@login_required
@require_POST
def survey_act(request, evaluation_survey_id: int, key: str):
    survey = selectors.survey(request.user, evaluation_survey_id)

    def failed(request, pk, **kw):
        return _render(request, survey.evaluation_id, survey_failed=kw.pop("failed"), **kw)

    return take_action(request, survey, key, act=services.act_on_survey, render_failed=failed)


@login_required
@require_POST
def opinion(request, evaluation_id: int, unit_id: int):
    item = selectors.evaluation(request.user, evaluation_id)
    return _run(
        request,
        lambda: services.set_opinion(
            actor=request.user,
            evaluation_id=item.pk,
            unit_id=unit_id,
            opinion=request.POST.get("opinion", ""),
        ),
        _("评议意见已保存"),
        item.get_absolute_url(),
    )


@login_required
@require_POST
def upload(request, evaluation_id: int):
    item = selectors.evaluation(request.user, evaluation_id)
    f = request.FILES.get("file")
    if f is None:
        messages.error(request, _("请选择要上传的文件"))
        return redirect(item)
    return _run(
        request,
        lambda: services.attach_file(actor=request.user, evaluation_id=item.pk, upload=f),
        _("材料已上传"),
        item.get_absolute_url(),
    )


@login_required
def file(request, evaluation_id: int, att: int):
    found = attachments_of(selectors.evaluation(request.user, evaluation_id)).filter(pk=att).first()
    if found is None:
        raise NotFound()
    return file_response(found)


@login_required
def opinions_word(request, evaluation_id: int):
    return docx_response(
        opinions_docx(selectors.evaluation(request.user, evaluation_id), user=request.user), "评议意见.docx"
    )


@login_required
def announcement_word(request, evaluation_id: int):
    item = selectors.evaluation(request.user, evaluation_id)
    return docx_response(announcement_docx(item, user=request.user), "评议结果公告.docx")


def _moment(value: str):
    from django.utils.dateparse import parse_datetime

    moment = parse_datetime((value or "").strip()[:32])
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


@login_required
@require_POST
def create_survey(request, evaluation_id: int):
    item = selectors.evaluation(request.user, evaluation_id)
    p = request.POST
    return _run(
        request,
        lambda: services.create_survey(
            actor=request.user,
            evaluation_id=item.pk,
            opens_at=_moment(p.get("opens_at", "")),
            closes_at=_moment(p.get("closes_at", "")),
            public=p.get("public") == "on",
        ),
        _("满意度测评已设立：请准备测评并由两名监票人生成密钥"),
        item.get_absolute_url(),
    )


@login_required
def rate(request, evaluation_survey_id: int):
    """The deputy's phone page: each department 满意 / 基本满意 / 不满意, an optional comment, once."""
    survey = selectors.survey(request.user, evaluation_survey_id)
    rows = selectors.rows(survey.evaluation)
    deputy_id = own_deputy_id(request.user)
    done = (
        deputy_id is not None
        and SurveyParticipation.objects.filter(
            survey=survey, voter_key=voter_key(survey.pk, f"deputy:{deputy_id}")
        ).exists()
    )
    receipt = ""
    if request.method == "POST" and not done:
        p = request.POST
        choices = {
            r.unit_id: {
                "choice": p.get(f"unit_{r.unit_id}", ""),
                "comment": p.get(f"comment_{r.unit_id}", ""),
            }
            for r in rows
        }
        try:
            receipt = services.respond(actor=request.user, survey_id=survey.pk, choices=choices)
        except (PermissionDenied, NotFound):
            raise
        except DomainError as exc:
            flash_error(request, exc, joined=True)
        else:
            done = True
            messages.success(request, _("测评已提交，感谢参与"))
    return render(
        request,
        "evaluations/rate.html",
        {
            "survey": survey,
            "rows": rows,
            "options": Satisfaction.rated(),
            "done": done,
            "receipt": receipt,
            "posted": request.POST if request.method == "POST" else {},
        },
    )


def public_rate(request, token: str):
    """The public rating page (anonymous) where the office opened the survey: the phone number, the SMS code
    it receives, then each department's rating; one answer per number."""
    from apps.common import conf

    survey = services.public_survey(token[:64])
    rows = selectors.rows(survey.evaluation)
    p = request.POST
    ctx = {"survey": survey, "rows": rows, "options": Satisfaction.rated(), "phone": "", "done": False}
    if request.method == "POST":
        ctx["phone"] = p.get("phone", "")[:20]
        try:
            if p.get("step") == "code":
                code = services.request_public_code(token=survey.token, phone=ctx["phone"])
                messages.success(request, _("验证码已发送，五分钟内有效"))
                if conf.get("SMS_CODE_SHOWN_ON_PAGE") and conf.get("RENDA_ENV") != "production":
                    ctx["shown_code"] = code
            else:
                choices = {
                    r.unit_id: {
                        "choice": p.get(f"unit_{r.unit_id}", ""),
                        "comment": p.get(f"comment_{r.unit_id}", ""),
                    }
                    for r in rows
                }
                ctx["receipt"] = services.respond_public(
                    token=survey.token, phone=ctx["phone"], code=p.get("code", ""), choices=choices
                )
                ctx["done"] = True
        except NotFound:
            raise
        except DomainError as exc:
            flash_error(request, exc, joined=True)
    return render(request, "evaluations/public_rate.html", ctx)
