"""Pages of supervision (issue 18): the home (the year's plans, the opinion roll-up with 列入监督清单, the
activities the caller sees, findings, appointments), a plan's page (its items, adding one, the presidium's
steps), an activity's page (deputies, opinions behind it, findings), appointments. Each view parses, calls
one selector or service, and renders; every page action is also in api.py."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.accounts import permissions as perms
from apps.accounts.scopes import office_regions, own_deputy
from apps.common.choices import Satisfaction
from apps.common.errors import DomainError, NotFound, PermissionDenied
from apps.common.pages import flash_error, paginate_page
from apps.common.params import ID, PAGE, YEAR, Choice, Day, Text, ints, read
from apps.workflow.pages import action_forms, take_action
from apps.workflow.uploads import attachments_of, file_response

from . import selectors as sel
from . import services
from .choices import ActivityKind, MeetingKind

DATE = Day(label=gettext_lazy("日期"))
KIND = Choice(ActivityKind, label=gettext_lazy("监督形式"))
TOPIC_KEY = Text(40, label=gettext_lazy("议题归类"))


def _run(request, work, ok: str, to):
    try:
        result = work()
    except (PermissionDenied, NotFound):
        raise
    except DomainError as exc:
        flash_error(request, exc, joined=True)
        return redirect(to)
    messages.success(request, ok)
    return redirect(result.get_absolute_url() if hasattr(result, "get_absolute_url") else to)


@login_required
def home(request):
    """监督工作: an office's plans, roll-up and activities; a deputy's activities and appointments; a unit's
    findings."""
    perms.require(request.user, perms.SUPERVISION_BROWSE)
    read(request.GET, "page", PAGE)
    user = request.user
    office = perms.holds(user, perms.SUPERVISION_PLAN)
    ctx = {"office": office, "year": timezone.localdate().year}
    if office:
        date_from, date_to = sel.period(read(request.GET, "from", DATE), read(request.GET, "to", DATE))
        region = sel.rollup_region(user, read(request.GET, "region", ID), required=False)
        ctx.update(
            plans=list(sel.plans(user)[:30]),
            regions=office_regions(user),
            region=region,
            date_from=date_from,
            date_to=date_to,
            topics=sel.rollup(region, date_from, date_to, limit=30) if region else [],
            open_plans=list(sel.plans(user).filter(state__in=services.OPEN_PLAN)[:30]),
            kinds=ActivityKind.choices,
        )
    ctx["activities"], ctx["query"] = paginate_page(request, sel.activities(user), per_page=20)
    ctx["findings"] = list(sel.findings(user)[:30])
    ctx["appointments"] = list(sel.appointments(user)[:30])
    ctx["may_request"] = perms.holds(user, perms.SUPERVISION_REQUEST)
    ctx["linked"] = sel.linked_counts(user)
    ctx["may_see_evaluations"] = perms.holds(user, perms.EVALUATION_BROWSE)
    ctx["may_see_rectifications"] = perms.holds(user, perms.RECTIFICATION_BROWSE)
    return render(request, "supervision/home.html", ctx)


@login_required
@require_POST
def new_plan(request):
    p = request.POST
    return _run(
        request,
        lambda: services.create_plan(
            actor=request.user,
            region_id=read(p, "region", ID, default=0),
            year=read(p, "year", YEAR, default=0),
            title=p.get("title", ""),
        ),
        _("监督工作计划已建立"),
        "supervision:home",
    )


def _render_plan(request, pk: int, *, failed: str = "", error: DomainError | None = None, status=200):
    plan = sel.plan_for(request.user, pk)
    editable = plan.state in services.OPEN_PLAN and perms.holds(request.user, perms.SUPERVISION_PLAN, plan)
    return render(
        request,
        "supervision/plan.html",
        {
            "plan": plan,
            "items": list(sel.plan_items(plan)),
            "editable": editable,
            "kinds": ActivityKind.choices,
            "deputies": list(services.town_deputies(plan.town_id).order_by("name")) if editable else [],
            "units": services.unit_choices(plan.region) if editable else [],
            "actions": action_forms(
                request, plan, url_name="supervision:plan_act", failed=failed, error=error
            ),
            "error": error,
        },
        status=status,
    )


@login_required
def plan(request, supervision_plan_id: int):
    return _render_plan(request, supervision_plan_id)


@login_required
def plan_word(request, supervision_plan_id: int):
    """The plan in Word (GB/T 9704), as the presidium issues it once approved."""
    from apps.common.downloads import docx_response

    from .word import plan_docx

    plan = sel.plan_for(request.user, supervision_plan_id)
    return docx_response(plan_docx(plan, list(sel.plan_items(plan))), f"{plan.title}.docx")


@login_required
@require_POST
def plan_act(request, supervision_plan_id: int, key: str):
    item = sel.plan_for(request.user, supervision_plan_id)
    return take_action(request, item, key, act=services.act, render_failed=_render_plan)


@login_required
@require_POST
def add_item(request, supervision_plan_id: int):
    p = request.POST
    to = request.path.rsplit("items/", 1)[0]
    return _run(
        request,
        lambda: services.add_activity(
            actor=request.user,
            plan_id=supervision_plan_id,
            kind=read(p, "kind", KIND, default=""),
            topic=p.get("topic", ""),
            detail=p.get("detail", ""),
            starts_on=read(p, "starts_on", DATE),
            ends_on=read(p, "ends_on", DATE),
            unit_id=read(p, "unit", ID),
            lead_ids=ints(p.getlist("leads"), name="leads"),
            member_ids=ints(p.getlist("members"), name="members"),
        ),
        _("监督事项已加入计划"),
        to,
    )


@login_required
@require_POST
def list_topic(request, supervision_plan_id: int):
    """列入监督清单: one rolled-up topic becomes an item of the plan, linked to its opinions."""
    p = request.POST
    return _run(
        request,
        lambda: services.list_topic(
            actor=request.user,
            plan_id=supervision_plan_id,
            topic_key=read(p, "topic_key", TOPIC_KEY, default=""),
            date_from=read(p, "from", DATE),
            date_to=read(p, "to", DATE),
            kind=read(p, "kind", KIND, default=ActivityKind.INSPECTION),
        ),
        _("已列入监督清单"),
        "supervision:home",
    )


def _render_activity(request, pk: int, *, failed: str = "", error: DomainError | None = None, status=200):
    a = sel.activity_for(request.user, pk)
    may_record = a.state in ("under_way", "done") and perms.holds(request.user, perms.SUPERVISION_FINDING, a)
    return render(
        request,
        "supervision/activity.html",
        {
            "a": a,
            "members": sel.activity_members(a),
            "findings": sel.activity_findings(a),
            "may_rectify": perms.holds(request.user, perms.SUPERVISION_PLAN, a),
            "evaluations": sel.activity_evaluations(request.user, a),
            "may_evaluate": a.kind == ActivityKind.DEPARTMENT_EVALUATION
            and a.state != "cancelled"
            and perms.holds(request.user, perms.EVALUATION_MANAGE, a),
            "opinions": sel.activity_opinions(a)[:50],
            "may_record": may_record,
            "files": list(attachments_of(a)),
            "may_attach": services.may_attach(request.user, a),
            "units": services.unit_choices(a.region) if may_record else [],
            "actions": action_forms(
                request, a, url_name="supervision:activity_act", failed=failed, error=error
            ),
            "error": error,
        },
        status=status,
    )


@login_required
def activity(request, activity_id: int):
    return _render_activity(request, activity_id)


@login_required
@require_POST
def activity_act(request, activity_id: int, key: str):
    item = sel.activity_for(request.user, activity_id)
    return take_action(request, item, key, act=services.act, render_failed=_render_activity)


@login_required
@require_POST
def add_finding(request, activity_id: int):
    a = sel.activity_for(request.user, activity_id)
    return _run(
        request,
        lambda: services.record_finding(
            actor=request.user,
            activity_id=a.pk,
            text_value=request.POST.get("text", ""),
            unit_id=read(request.POST, "unit", ID),
        ),
        _("问题已记录"),
        a.get_absolute_url(),
    )


@login_required
@require_POST
def upload(request, activity_id: int):
    a = sel.activity_for(request.user, activity_id)
    f = request.FILES.get("file")
    if f is None:
        messages.error(request, _("请选择要上传的文件"))
        return redirect(a.get_absolute_url())
    work = partial(services.attach_file, actor=request.user, activity_id=a.pk, upload=f)
    return _run(request, work, _("材料已上传"), a.get_absolute_url())


@login_required
def file(request, activity_id: int, att: int):
    found = attachments_of(sel.activity_for(request.user, activity_id)).filter(pk=att).first()
    if found is None:
        raise NotFound()
    return file_response(found)


@login_required
def new_appointment(request):
    """提出约见或专题询问: a deputy (counted among the requesters) or the office names the deputies."""
    perms.require(request.user, perms.SUPERVISION_REQUEST)
    me = own_deputy(request.user)
    regions = [r for r in office_regions(request.user) if r.level == "town"]
    town_id = me.town_id if me else (regions[0].pk if regions else None)
    if request.method == "POST":
        p = request.POST
        return _run(
            request,
            lambda: services.request_appointment(
                actor=request.user,
                region_id=read(p, "region", ID, default=town_id or 0),
                kind=read(p, "kind", Choice(MeetingKind), default=""),
                subject=p.get("subject", ""),
                detail=p.get("detail", ""),
                official=p.get("official", ""),
                body=p.get("body", ""),
                deputy_ids=ints(p.getlist("deputies"), name="deputies"),
            ),
            _("已提出"),
            request.path,
        )
    deputies = list(services.town_deputies(town_id).order_by("name")) if town_id else []
    return render(
        request,
        "supervision/appointment_new.html",
        {"kinds": MeetingKind.choices, "deputies": deputies, "me": me, "town_id": town_id},
    )


def _render_appointment(request, pk: int, *, failed: str = "", error: DomainError | None = None, status=200):
    item = sel.appointment_for(request.user, pk)
    requesters = sel.appointment_requesters(item)
    me = own_deputy(request.user)
    return render(
        request,
        "supervision/appointment.html",
        {
            "item": item,
            "requesters": requesters,
            "findings": sel.appointment_findings(item),
            "may_rectify": perms.holds(request.user, perms.SUPERVISION_PLAN, item),
            "may_rate": item.state == "answered" and me and any(r.deputy_id == me.pk for r in requesters),
            "may_record": item.state in ("answered", "closed")
            and perms.holds(request.user, perms.SUPERVISION_ARRANGE, item),
            "rated": Satisfaction.rated(),
            "units": services.unit_choices(item.region),
            "actions": action_forms(
                request, item, url_name="supervision:appointment_act", failed=failed, error=error
            ),
            "error": error,
        },
        status=status,
    )


@login_required
def appointment(request, appointment_id: int):
    return _render_appointment(request, appointment_id)


@login_required
@require_POST
def appointment_act(request, appointment_id: int, key: str):
    item = sel.appointment_for(request.user, appointment_id)
    return take_action(request, item, key, act=services.act, render_failed=_render_appointment)


@login_required
@require_POST
def rate(request, appointment_id: int):
    item = sel.appointment_for(request.user, appointment_id)
    p = request.POST
    return _run(
        request,
        lambda: services.rate_appointment(
            actor=request.user,
            appointment_id=item.pk,
            satisfaction=read(p, "satisfaction", Choice(dict(Satisfaction.rated())), default=""),
            comment=p.get("comment", ""),
        ),
        _("评价已保存"),
        item.get_absolute_url(),
    )


@login_required
@require_POST
def appointment_finding(request, appointment_id: int):
    item = sel.appointment_for(request.user, appointment_id)
    return _run(
        request,
        lambda: services.record_finding(
            actor=request.user,
            appointment_id=item.pk,
            text_value=request.POST.get("text", ""),
            unit_id=read(request.POST, "unit", ID),
        ),
        _("跟进事项已记录"),
        item.get_absolute_url(),
    )


@login_required
@require_POST
def finding_rectification(request, finding_id: int):
    """转为整改事项: the office hands a finding with a unit to that unit as a rectification item, reviewed by
    the deputies who found it; the finding then shows the item and its state."""
    finding = sel.finding_for(request.user, finding_id)

    def work():
        services.open_rectification_for(actor=request.user, finding_id=finding.pk)
        return finding

    return _run(
        request,
        work,
        _("已转为整改事项，交办给%(unit)s") % {"unit": finding.unit.name if finding.unit_id else ""},
        finding.get_absolute_url(),
    )
