"""Pages of group deliberation and agenda checklists (issue 16 items 4 and 7): a session's groups and
reports (office), a group's page where its recorder enters opinions (phone first), a report's opinions
with the digest in Word and the send form, the digests and their actions, the township's checklists and
settling a line of a meeting's checklist. Each view parses, calls one selector or service, and renders."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.accounts import permissions as perms
from apps.accounts.scopes import deny, office_regions
from apps.common.downloads import docx_response
from apps.common.errors import NotFound
from apps.common.pages import paginate_page, run_then_redirect
from apps.common.params import ID, PAGE, Choice, ints, read
from apps.people.models import Deputy
from apps.places.terms import terms_for
from apps.workflow.pages import item_views

from . import selectors_deliberation as sel
from . import services
from .models import ChecklistPart, ChecklistStatus, DeliberationDigest, MeetingKind
from .selectors import meeting_for
from .word import digest_of

KIND = Choice(MeetingKind, label=gettext_lazy("会议类型"))


def _run(request, work, ok: str, to):
    return run_then_redirect(request, work, ok, to)


@login_required
def home(request):
    """分组审议: the groups the user records or belongs to, and the digests they may see."""
    perms.require(request.user, perms.DELIBERATION_BROWSE)
    read(request.GET, "page", PAGE)
    page, query = paginate_page(request, sel.digests(request.user), per_page=20)
    groups = list(sel.my_groups(request.user)[:50])
    return render(
        request, "meetings/deliberation_home.html", {"page": page, "query": query, "groups": groups}
    )


@login_required
def session(request, session_id: int):
    """The office's page of a session's deliberation: form groups, see each report's opinions."""
    s = sel.session_for(request.user, session_id, perms.MEETING_MANAGE)
    if request.method == "POST":
        p = request.POST
        return _run(
            request,
            lambda: services.form_group(
                actor=request.user,
                session_id=s.pk,
                name=p.get("name", ""),
                recorder_id=read(p, "recorder", ID),
                member_ids=ints(p.getlist("members"), name="members"),
            ),
            _("审议小组已组建"),
            request.path,
        )
    reports = list(services.session_reports(s).select_related("meeting"))
    digests = {d.agenda_item_id: d for d in DeliberationDigest.objects.filter(agenda_item__in=reports)}
    return render(
        request,
        "meetings/deliberation_session.html",
        {
            "session": s,
            "groups": list(sel.groups_of(request.user, s)),
            "reports": [(r, digests.get(r.pk)) for r in reports],
            "deputies": list(Deputy.objects.filter(town_id=s.region_id).order_by("name")[:500]),
            "recorders": services.recorder_choices(s),
        },
    )


@login_required
def group(request, group_id: int):
    """The recorder's page (a phone at the group's table, or the office PC): per report, a deputy and what
    they said."""
    g = sel.group_for(request.user, group_id)
    if request.method == "POST":
        p = request.POST
        if p.get("action") == "remove":
            work = lambda: services.remove_opinion(  # noqa: E731
                actor=request.user, opinion_id=read(p, "opinion", ID, default=0)
            )
            ok = _("审议意见已删除")
        else:
            work = lambda: services.record_opinion(  # noqa: E731
                actor=request.user,
                group_id=g.pk,
                agenda_item_id=read(p, "agenda_item", ID, default=0),
                deputy_id=read(p, "deputy", ID, default=0),
                text=p.get("text", ""),
            )
            ok = _("审议意见已记录")
        return _run(request, work, ok, request.path)
    can_record = bool(perms.roles_over(request.user, g) & perms.OFFICES) or g.recorder_id == request.user.pk
    reports = list(services.session_reports(g.session))
    opinions = list(sel.group_opinions(g))
    return render(
        request,
        "meetings/deliberation_group.html",
        {
            "group": g,
            "members": list(g.members.order_by("name")),
            "reports": [(r, [o for o in opinions if o.agenda_item_id == r.pk]) for r in reports],
            "can_record": can_record,
        },
    )


@login_required
def report(request, agenda_item_id: int):
    """A report's opinions from every group; the digest in Word; send it to the unit responsible."""
    item = sel.report_for(request.user, agenda_item_id)
    if request.method == "POST":
        return _run(
            request,
            lambda: services.send_digest(
                actor=request.user, agenda_item_id=item.pk, unit_id=read(request.POST, "unit", ID, default=0)
            ),
            _("审议意见汇总已送交"),
            request.path,
        )
    return render(
        request,
        "meetings/deliberation_report.html",
        {
            "item": item,
            "opinions": sel.report_opinions(item),
            "digest": sel.report_digest(item),
            "units": services.unit_choices(item),
        },
    )


@login_required
def report_docx(request, agenda_item_id: int):
    item = sel.report_for(request.user, agenda_item_id)
    data = digest_of(item, sel.report_opinions(item), sel.report_digest(item))
    return docx_response(data, "审议意见汇总.docx")


digest, digest_act = item_views(
    param="digest_id",
    fetch=sel.digest_for,
    name="digest",
    template="meetings/digest.html",
    url_name="meetings:digest_act",
    act=services.act_on_digest,
)


@login_required
def digest_document(request, digest_id: int):
    d = sel.digest_for(request.user, digest_id)
    data = digest_of(d.agenda_item, sel.report_opinions(d.agenda_item), d)
    return docx_response(data, f"{d.title}.docx")


# --- agenda checklists -----------------------------------------------------------------------------------


def _towns(user):
    towns = []
    for r in office_regions(user):
        towns += [r] if r.level == "town" else list(r.children.filter(level="town").order_by("code"))
    return towns


@login_required
def checklists(request):
    """The township's agenda checklist for a kind of meeting (会议议程和内容清单): see, adopt, edit."""
    perms.require(request.user, perms.MEETING_MANAGE)
    towns = _towns(request.user)
    if not towns:
        if request.method == "POST":
            deny(request.user, perms.MEETING_MANAGE, object_type="meetings.checklistentry")
        return render(request, "meetings/checklists.html", {"towns": []})
    src = request.POST if request.method == "POST" else request.GET
    town_id = read(src, "town", ID)
    town = next((t for t in towns if t.pk == town_id), towns[0])
    kinds = services.kinds_for(town)  # a street's own kinds, in its words (no congress sittings)
    offered = [v for v, _label in kinds]
    kind = read(src, "kind", KIND) or MeetingKind.PLENARY
    kind = kind if kind in offered else offered[0]
    if request.method == "POST":
        p, u = request.POST, request.user
        action = p.get("action", "")
        if action == "adopt":
            work = lambda: services.adopt_default_checklist(actor=u, region=town, kind=kind)  # noqa: E731
        elif action == "remove":
            work = lambda: services.remove_checklist_entry(  # noqa: E731
                actor=u, entry_id=read(p, "entry", ID, default=0)
            )
        else:
            work = lambda: services.add_checklist_entry(  # noqa: E731
                actor=u,
                region=town,
                kind=kind,
                part=p.get("part", ""),
                label=p.get("label", ""),
                keywords=p.get("keywords", ""),
            )
        return _run(request, work, _("清单已更新"), f"{request.path}?town={town.pk}&kind={kind}")
    own = sel.township_checklist(town, kind)
    return render(
        request,
        "meetings/checklists.html",
        {
            "towns": towns,
            "town": town,
            "kind": kind,
            "kinds": kinds,
            "town_terms": terms_for(town),
            "parts": ChecklistPart.choices,
            "own": own,
            "lines": own or services.township_lines(town, kind),
        },
    )


@login_required
@require_POST
def settle(request, pk: int, checklist_item_id: int):
    """Mark a line of the meeting's checklist done, not needed this time, or open again."""
    meeting = meeting_for(request.user, pk, perms.MEETING_MANAGE)
    status = request.POST.get("status", "")
    if status not in ChecklistStatus.values or not meeting.checklist.filter(pk=checklist_item_id).exists():
        raise NotFound()
    return _run(
        request,
        lambda: services.settle_checklist_item(actor=request.user, item_id=checklist_item_id, status=status),
        _("清单已更新"),
        reverse("meetings:detail", args=[meeting.pk]) + "#checklist",
    )
