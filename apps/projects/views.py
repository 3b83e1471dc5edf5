"""Pages of the livelihood projects (issue 19) for offices, deputies and units: proposals and their
screening, the candidate list and its vote (a deputy's phone ballot), adopted projects with milestones,
progress and inspections, the papers and ledgers, the county's figures. Each view parses, calls one
selector or service, and renders; every write has its endpoint under /api/v1/projects."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts import permissions as perms
from apps.accounts.scopes import office_regions, own_deputy
from apps.common.downloads import docx_response
from apps.common.errors import DomainError, NotFound, PermissionDenied
from apps.common.pages import flash_error, paginate_page
from apps.common.params import ID, PAGE, YEAR, ints, read
from apps.meetings.selectors import is_teller
from apps.places.models import Region
from apps.workflow.api import steps_out
from apps.workflow.pages import action_forms, take_action
from apps.workflow.uploads import attachments_of

from . import progress, rating, services, voting
from . import selectors as sel
from .choices import similar
from .models import Category, ProjectRating
from .word import adopted_docx, candidates_docx, figures_response, ledger_response, result_docx


def towns_of(user) -> list:
    towns = []
    for region in office_regions(user):
        if region.level == "town":
            towns.append(region)
        else:
            towns.extend(Region.objects.filter(county_id=region.pk, level="town").order_by("code"))
    deputy = own_deputy(user)
    if deputy is not None and deputy.town_id and all(t.pk != deputy.town_id for t in towns):
        towns.append(Region.objects.get(pk=deputy.town_id))
    return towns


def _posted(fn):
    """A page's write: a domain error goes back to the page as a message (a refusal stays a refusal)."""

    @wraps(fn)
    def view(request, *args, **kwargs):
        try:
            return fn(request, *args, **kwargs)
        except (PermissionDenied, NotFound):
            raise
        except DomainError as exc:
            flash_error(request, exc, joined=True)
            return redirect(request.path.rsplit("/", 2)[0] + "/")

    return login_required(require_POST(view))


@login_required
def index(request):
    perms.require(request.user, perms.PROJECT_BROWSE)
    year = read(request.GET, "year", YEAR)
    read(request.GET, "page", PAGE)
    page, query = paginate_page(request, sel.projects(request.user, year=year), per_page=20)
    return render(
        request,
        "projects/index.html",
        {
            "page": page,
            "query": query,
            "year": year,
            "lists": list(sel.lists(request.user, year=year)[:20]),
            "can_manage": perms.holds(request.user, perms.PROJECT_MANAGE),
            "towns": towns_of(request.user),
            "this_year": timezone.localdate().year,
        },
    )


# --- proposals ---------------------------------------------------------------------------------------------
@login_required
def proposals(request):
    perms.require(request.user, perms.PROJECT_BROWSE)
    f = {"year": read(request.GET, "year", YEAR), "town": read(request.GET, "town", ID)}
    read(request.GET, "page", PAGE)
    qs = sel.proposals(request.user, year=f["year"], state=request.GET.get("state", "")[:24], town=f["town"])
    page, query = paginate_page(request, qs, per_page=20)
    return render(
        request,
        "projects/proposals.html",
        {
            "page": page,
            "query": query,
            "f": f,
            "towns": towns_of(request.user),
            "categories": Category.choices,
            "can_propose": perms.holds(request.user, perms.PROJECT_PROPOSE),
            "next_year": timezone.localdate().year + 1,
        },
    )


@_posted
def propose(request):
    data = {
        k: request.POST.get(k, "")
        for k in (
            "title",
            "detail",
            "category",
            "village",
            "estimated_budget",
            "year",
            "proposer_name",
            "proposer_phone",
        )
    }
    item = services.propose(actor=request.user, town_id=read(request.POST, "town", ID, default=0), data=data)
    messages.success(request, _("项目建议已提交"))
    return redirect(item.get_absolute_url())


def _render_proposal(request, pk, *, failed="", error=None, status=200):
    item = sel.proposal_for(request.user, pk)
    return render(
        request,
        "projects/proposal.html",
        {
            "item": item,
            "similar": similar(item),
            "steps": steps_out(item),
            "error": error,
            "actions": action_forms(
                request, item, url_name="projects:proposal_act", failed=failed, error=error
            ),
        },
        status=status,
    )


@login_required
def proposal(request, proposal_id: int):
    return _render_proposal(request, proposal_id)


@login_required
@require_POST
def proposal_act(request, proposal_id: int, key: str):
    found = sel.proposal_for(request.user, proposal_id)
    return take_action(request, found, key, act=services.act, render_failed=_render_proposal)


# --- candidate lists ---------------------------------------------------------------------------------------
@login_required
@require_POST
def from_opinion(request, opinion_id: int):
    """转为项目建议 from the opinion page: the proposal's page, or back to the opinion with the reason."""
    try:
        item = services.propose_from_opinion(
            actor=request.user, opinion_id=opinion_id, year=read(request.POST, "year", YEAR)
        )
    except (PermissionDenied, NotFound):
        raise
    except DomainError as exc:
        flash_error(request, exc, joined=True)
        return redirect("opinions:detail", opinion_id)
    messages.success(request, _("已转为项目建议"))
    return redirect("projects:proposal", item.pk)


@_posted
def new_list(request):
    p = request.POST
    cl = services.create_list(
        actor=request.user,
        town_id=read(p, "town", ID, default=0),
        year=p.get("year"),
        places=p.get("places"),
        meeting_id=read(p, "meeting", ID),
    )
    return redirect(cl.get_absolute_url())


def _render_list(request, pk, *, failed="", error=None, status=200):
    cl = sel.list_for(request.user, pk)
    current = sel.current_round(cl)
    deputy = own_deputy(request.user)
    voted = bool(current and deputy and current.participations.filter(deputy=deputy).exists())
    box = voting.box_of(current) if current else None
    rated = ProjectRating.objects.filter(candidate_list=cl).first() if cl.state == "decided" else None
    return render(
        request,
        "projects/list.html",
        {
            "cl": cl,
            "candidates": list(sel.candidates_of(cl)),
            "rounds": sel.rounds_of(cl),
            "current": current,
            "box": box,
            "voted": voted,
            "can_vote": bool(deputy and current and current.state == "open"),
            "can_manage": perms.holds(request.user, perms.PROJECT_MANAGE, cl),
            "steps": steps_out(cl),
            "actions": action_forms(request, cl, url_name="projects:list_act", failed=failed, error=error),
            "error": error,
            "categories": Category.choices,
            "rated": rated,
            "rating_projects": rating.projects_of(rated) if rated else [],
            "rating_actions": action_forms(request, rated, url_name="projects:rating_act") if rated else [],
            "has_rated": bool(rated and deputy and rated.participations.filter(deputy=deputy).exists()),
            "scale": rating.SCALE,
            "user_is_deputy": deputy is not None,
            "paper_open": bool(current and current.state in ("open", "counting")),
            "paper_deputies": voting.deputies_of(cl).select_related("deputy")
            if current and current.state == "open"
            else (),
            "is_teller": is_teller(request.user, cl.meeting_id),
            "tellers": list(cl.meeting.tellers.order_by("pk")) if cl.meeting_id else [],
        },
        status=status,
    )


@login_required
def candidate_list(request, candidate_list_id: int):
    return _render_list(request, candidate_list_id)


@login_required
@require_POST
def list_act(request, candidate_list_id: int, key: str):
    found = sel.list_for(request.user, candidate_list_id)
    return take_action(request, found, key, act=services.act, render_failed=_render_list)


@_posted
def add_candidate(request, candidate_list_id: int):
    data = {
        k: request.POST.get(k, "") for k in ("title", "budget", "schedule", "detail", "category", "village")
    }
    services.add_candidate(actor=request.user, list_id=candidate_list_id, data=data)
    messages.success(request, _("候选项目已增加"))
    return redirect("projects:list", candidate_list_id)


@_posted
def ballot(request, candidate_list_id: int):
    receipt = services.cast_ballot(
        actor=request.user, list_id=candidate_list_id, marks=ints(request.POST.getlist("marks"), name="marks")
    )
    messages.success(request, _("投票成功，回执：%(r)s") % {"r": receipt})
    return redirect("projects:list", candidate_list_id)


@_posted
def new_rating(request, candidate_list_id: int):
    p = request.POST
    rating.create_rating(
        actor=request.user,
        list_id=candidate_list_id,
        opens_at=_moment(p.get("opens_at")),
        closes_at=_moment(p.get("closes_at")),
    )
    return redirect("projects:list", candidate_list_id)


def _moment(value):
    from datetime import datetime

    try:
        return timezone.make_aware(datetime.fromisoformat(str(value or "")))
    except ValueError:
        return None


@_posted
def rate(request, candidate_list_id: int):
    cl = sel.list_for(request.user, candidate_list_id)
    found = ProjectRating.objects.filter(candidate_list=cl).first()
    if found is None:
        raise NotFound()
    choices = {k.removeprefix("p"): v for k, v in request.POST.items() if k.startswith("p")}
    receipt = rating.rate(actor=request.user, rating_id=found.pk, choices=choices)
    messages.success(request, _("测评成功，回执：%(r)s") % {"r": receipt})
    return redirect("projects:list", candidate_list_id)


@login_required
@require_POST
def rating_act(request, project_rating_id: int, key: str):
    found = sel.rating_for(request.user, project_rating_id)
    return take_action(
        request,
        found,
        key,
        act=services.act,
        render_failed=lambda req, pk, **kw: _render_list(req, found.candidate_list_id, **kw),
    )


@login_required
def list_docx(request, candidate_list_id: int):
    cl = sel.list_for(request.user, candidate_list_id)
    return docx_response(candidates_docx(cl, list(sel.candidates_of(cl))), f"{cl.title}.docx")


@login_required
def list_result(request, candidate_list_id: int):
    cl = sel.list_for(request.user, candidate_list_id)
    return docx_response(result_docx(cl, sel.rounds_of(cl)), f"{cl.year}年民生实事项目票决结果.docx")


@login_required
def list_live(request, candidate_list_id: int):
    """The result part of the list page, refreshed by htmx while the vote runs (shown live)."""
    cl = sel.list_for(request.user, candidate_list_id)
    return render(request, "projects/_rounds.html", {"cl": cl, "rounds": sel.rounds_of(cl)})


# --- adopted projects --------------------------------------------------------------------------------------
def _render_project(request, pk, *, failed="", error=None, status=200):
    project = sel.project_for(request.user, pk)
    milestones = sel.milestones_of(project)
    for m in milestones:
        m.photos = [a for r in m.reports.all() for a in attachments_of(r)]
    inspections = sel.inspections_of(project)
    for i in inspections:
        i.photos = list(attachments_of(i))
    return render(
        request,
        "projects/project.html",
        {
            "p": project,
            "milestones": milestones,
            "inspections": inspections,
            "steps": steps_out(project),
            "monitors": list(project.monitors.order_by("name")),
            "today": timezone.localdate(),
            "can_manage": perms.holds(request.user, perms.PROJECT_MANAGE, project),
            "can_report": perms.holds(request.user, perms.PROJECT_PROGRESS, project) and not project.is_final,
            "can_inspect": perms.holds(request.user, perms.PROJECT_INSPECT, project),
            "actions": action_forms(
                request, project, url_name="projects:project_act", failed=failed, error=error
            ),
            "error": error,
        },
        status=status,
    )


@login_required
def project(request, project_id: int):
    return _render_project(request, project_id)


@login_required
@require_POST
def project_act(request, project_id: int, key: str):
    found = sel.project_for(request.user, project_id)
    return take_action(request, found, key, act=services.act, render_failed=_render_project)


@_posted
def add_milestone(request, project_id: int):
    p = request.POST
    progress.add_milestone(
        actor=request.user,
        project_id=project_id,
        title=p.get("title", ""),
        due_on=p.get("due_on", ""),
        budget=p.get("budget", ""),
    )
    return redirect("projects:project", project_id)


@_posted
def report(request, project_id: int):
    p = request.POST
    progress.report_progress(
        actor=request.user,
        milestone_id=read(p, "milestone", ID, default=0),
        percent_done=p.get("percent_done"),
        spent=p.get("spent"),
        note=p.get("note", ""),
        photos=request.FILES.getlist("photos"),
    )
    messages.success(request, _("进度已报送"))
    return redirect("projects:project", project_id)


@_posted
def inspect(request, project_id: int):
    p = request.POST
    progress.inspect(
        actor=request.user,
        project_id=project_id,
        on=p.get("on", ""),
        deputies=ints(p.getlist("deputies"), name="deputies"),
        findings=p.get("findings", ""),
        photos=request.FILES.getlist("photos"),
    )
    messages.success(request, _("视察情况已记录"))
    return redirect("projects:project", project_id)


@login_required
def photo(request, photo_id: int):
    """A progress or inspection photo of a project the user sees."""
    from apps.workflow.models import Attachment
    from apps.workflow.uploads import file_response

    from .models import Inspection, Progress

    found = Attachment.objects.filter(pk=photo_id).first()
    if found is None:
        raise NotFound()
    owner = found.item if found.content_type.app_label == "projects" else None
    if isinstance(owner, Progress):
        sel.project_for(request.user, owner.milestone.project_id)
    elif isinstance(owner, Inspection):
        sel.project_for(request.user, owner.project_id)
    else:
        raise NotFound()
    return file_response(found)


@login_required
def ledger(request):
    perms.require(request.user, perms.PROJECT_BROWSE)
    return ledger_response(sel.projects(request.user, year=read(request.GET, "year", YEAR)))


@login_required
def adopted(request):
    perms.require(request.user, perms.PROJECT_BROWSE)
    year = read(request.GET, "year", YEAR, default=timezone.localdate().year)
    town = next((t for t in towns_of(request.user) if t.pk == read(request.GET, "town", ID)), None)
    if town is None:
        raise NotFound()
    items = list(sel.projects(request.user, year=year, town=town.pk).prefetch_related("monitors"))
    return docx_response(adopted_docx(town, year, items), f"{town.name}{year}年民生实事项目.docx")


@login_required
def figures(request):
    perms.require(request.user, perms.PROJECT_MANAGE)
    year = read(request.GET, "year", YEAR, default=timezone.localdate().year)
    rows = sel.figures(request.user, year=year)
    total = sel.figures_total(rows) if rows else None
    if request.GET.get("export") == "xlsx":
        return figures_response(rows, year, total)
    return render(request, "projects/figures.html", {"rows": rows, "year": year, "total": total})
