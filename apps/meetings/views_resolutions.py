"""Pages of resolutions followed up (issue 16 item 6): the office's adopted resolutions and every item with
its state, assigning items of one resolution, an item's page (progress, files, the workflow's actions) the
unit reports on, and the report in Word. Each view parses, calls one selector or service, and renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.accounts import permissions as perms
from apps.common.downloads import docx_response
from apps.common.errors import NotFound
from apps.common.pages import paginate_page, run_then_redirect
from apps.common.params import ID, PAGE, Day, Int, read
from apps.workflow.pages import item_views
from apps.workflow.uploads import attachments_of, file_response

from . import selectors_resolutions as sel
from . import services
from .services.resolutions import WORKING_DAYS_MAX, unit_choices
from .word_resolutions import implementation_docx

TARGET = Day(label=gettext_lazy("完成时限"))
WORKING_DAYS = Int(1, WORKING_DAYS_MAX, label=gettext_lazy("工作日数"))


def _run(request, work, ok: str, to):
    return run_then_redirect(request, work, ok, to, joined=True)


@login_required
def home(request):
    """决议执行: the items the user sees (a unit: its own), and for offices the adopted resolutions."""
    perms.require(request.user, perms.RESOLUTION_BROWSE)
    read(request.GET, "page", PAGE)
    page, query = paginate_page(request, sel.tasks(request.user), per_page=20)
    office = perms.holds(request.user, perms.MEETING_MANAGE)
    adopted = list(sel.adopted_votes(request.user)[:50]) if office else []
    return render(
        request,
        "meetings/resolutions_home.html",
        {"page": page, "query": query, "adopted": adopted, "office": office},
    )


@login_required
def resolution(request, vote_id: int):
    """One adopted resolution's items with their state; the office assigns a new one here."""
    vote = sel.vote_for(request.user, vote_id)
    if request.method == "POST":
        p = request.POST
        return _run(
            request,
            lambda: services.assign_task(
                actor=request.user,
                vote_id=vote.pk,
                unit_id=read(p, "unit", ID, default=0),
                title=p.get("title", ""),
                target_date=read(p, "target_date", TARGET),
                working_days=read(p, "working_days", WORKING_DAYS),
            ),
            _("实施事项已交办"),
            request.path,
        )
    return render(
        request,
        "meetings/resolution.html",
        {
            "vote": vote,
            "tasks": list(sel.vote_tasks(vote)),
            "units": unit_choices(vote),
            "adopted": services.resolutions.adopted(vote),
        },
    )


def _task_page(request, t) -> dict:
    return {
        "progress": sel.task_progress(t),
        "files": list(attachments_of(t)),
        "can_upload": t.state != "done" and perms.holds(request.user, perms.RESOLUTION_REPORT, t),
    }


task, task_act = item_views(
    param="resolution_task_id",
    fetch=sel.task_for,
    name="task",
    template="meetings/resolution_task.html",
    url_name="meetings:resolution_task_act",
    act=services.act_on_task,
    extra=_task_page,
)


@login_required
@require_POST
def task_upload(request, resolution_task_id: int):
    t = sel.task_for(request.user, resolution_task_id)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择要上传的文件"))
        return redirect(t.get_absolute_url())
    return _run(
        request,
        lambda: services.attach_task_file(actor=request.user, task_id=t.pk, upload=upload),
        _("材料已上传"),
        t.get_absolute_url(),
    )


@login_required
def task_file(request, resolution_task_id: int, att: int):
    t = sel.task_for(request.user, resolution_task_id)
    found = attachments_of(t).filter(pk=att).first()
    if found is None:
        raise NotFound()
    return file_response(found)


@login_required
def report(request, meeting_id: int):
    """关于决议决定执行情况的报告 of one meeting (Word, GB/T 9704)."""
    meeting = sel.meeting_for_report(request.user, meeting_id)
    data = implementation_docx(meeting, sel.meeting_tasks(meeting))
    return docx_response(data, "决议决定执行情况的报告.docx")
