"""Every write while an adopted project is built (issue 19 parts 4-5): milestones, the unit's progress per
milestone (% done, money spent, photos), deputies' inspections (on the project and in their duty records),
and the daily flag of overdue milestones (the unit, the member in charge and the office are told once)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.accounts.scopes import get_or_deny, own_deputy, records_refusals
from apps.audit.services import record
from apps.common.errors import NotFound
from apps.common.errors import field_error as _fail
from apps.duty.models import ActivityKind
from apps.duty.services import append_platform_record
from apps.workflow.errors import Conflict
from apps.workflow.uploads import attach, validate

from .choices import town_deputy
from .models import Inspection, Milestone, Progress, Project
from .services import DETAIL_MAX, TITLE_MAX, clean_text, money

PHOTOS_MAX = 9


def _date(field: str, value) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value or ""))
    except ValueError:
        raise _fail(field, _("日期格式应为 YYYY-MM-DD")) from None


def _percent(value) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise _fail("percent_done", _("请填写完成进度")) from None
    if not 0 <= n <= 100:
        raise _fail("percent_done", _("完成进度须在 0 到 100 之间"))
    return n


def _photos(photos) -> list:
    photos = list(photos or ())
    if len(photos) > PHOTOS_MAX:
        raise _fail("photos", _("照片最多 %(n)d 张") % {"n": PHOTOS_MAX})
    for up in photos:
        validate(up)
    return photos


def _building(project) -> Project:
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if locked.is_final:
        raise Conflict(_("项目已完成，不能再修改"))
    return locked


@records_refusals()
def add_milestone(*, actor, project_id: int, title: str, due_on, budget) -> Milestone:
    """The office sets a project's milestones (dates, budget) once it is adopted."""
    project = get_or_deny(actor, Project, perms.PROJECT_MANAGE, pk=project_id)
    with transaction.atomic():
        project = _building(project)
        order = (project.milestones.aggregate(m=Max("order"))["m"] or 0) + 1
        made = Milestone.objects.create(
            project=project,
            order=order,
            title=clean_text("title", title, TITLE_MAX, required=True),
            due_on=_date("due_on", due_on),
            budget=money("budget", budget, required=True),
        )
        record(
            actor=actor,
            action="project.milestone_added",
            obj=project,
            summary={"milestone": made.pk, "due_on": str(made.due_on), "budget": str(made.budget)},
        )
    return made


@records_refusals()
def report_progress(*, actor, milestone_id: int, percent_done, spent, note: str = "", photos=()) -> Progress:
    """The responsible unit (or the office) reports a milestone: % done, money spent so far, photos."""
    found = Milestone.objects.filter(pk=milestone_id).select_related("project").first()
    if found is None:
        raise NotFound()
    project = get_or_deny(actor, Project, perms.PROJECT_PROGRESS, pk=found.project_id)
    percent = _percent(percent_done)
    amount = money("spent", spent, required=True)
    note = clean_text("note", note, DETAIL_MAX)
    photos = _photos(photos)
    today = timezone.localdate()
    with transaction.atomic():
        _building(project)
        milestone = Milestone.objects.select_for_update().get(pk=found.pk)
        made = Progress.objects.create(
            milestone=milestone, reported_on=today, percent_done=percent, spent=amount, note=note, by=actor
        )
        milestone.percent_done, milestone.spent = percent, amount
        milestone.done_on = milestone.done_on or (today if percent == 100 else None)
        milestone.save(update_fields=["percent_done", "spent", "done_on"])
        for up in photos:
            attach(actor=actor, item=made, upload=up, public=True)
        record(
            actor=actor,
            action="project.progress",
            obj=project,
            summary={
                "milestone": milestone.pk,
                "percent": percent,
                "spent": str(amount),
                "photos": len(photos),
            },
        )
    return made


@records_refusals()
def inspect(*, actor, project_id: int, on, deputies, findings: str, photos=()) -> Inspection:
    """代表视察: the findings and photos on the project; one duty record per deputy who took part. A deputy
    records their own inspection (and may name others of the town); the office records any."""
    project = get_or_deny(actor, Project, perms.PROJECT_INSPECT, pk=project_id)
    day = _date("on", on)
    if day > timezone.localdate():
        raise _fail("on", _("视察日期不能晚于今天"))
    findings = clean_text("findings", findings, DETAIL_MAX, required=True)
    ids = list(dict.fromkeys(int(i) for i in deputies or ()))
    me = own_deputy(actor)
    if me is not None and me.pk not in ids:
        ids.insert(0, me.pk)
    if not ids:
        raise _fail("deputies", _("请选择视察的代表"))
    people = [town_deputy(project, i, "deputies") for i in ids]
    photos = _photos(photos)
    with transaction.atomic():
        made = Inspection.objects.create(project=project, on=day, findings=findings, by=actor)
        made.deputies.set(people)
        for up in photos:
            attach(actor=actor, item=made, upload=up, public=True)
        title = _("视察民生实事项目：%(t)s") % {"t": project.title}
        for deputy in people:
            append_platform_record(
                deputy=deputy, kind=ActivityKind.INSPECTION, date=day, title=title, source_object=made
            )
        record(
            actor=actor,
            action="project.inspected",
            obj=project,
            summary={"inspection": made.pk, "deputies": ids, "photos": len(photos)},
        )
    return made


def flag_overdue(today: datetime.date | None = None) -> int:
    """Milestones past their date and not done: told once to the unit, the member in charge and the
    office (the flag is `overdue_notified_on`; "overdue" itself is read from the dates, never stored)."""
    from apps.notifications.services import notify

    today = today or timezone.localdate()
    late = Milestone.objects.filter(
        due_on__lt=today, done_on__isnull=True, overdue_notified_on__isnull=True, project__state="under_way"
    ).select_related("project")
    flagged = 0
    for milestone in late.iterator():
        project = milestone.project
        with transaction.atomic():
            if not Milestone.objects.filter(pk=milestone.pk, overdue_notified_on__isnull=True).update(
                overdue_notified_on=today
            ):
                continue
            record(
                actor=None,
                action="project.milestone_overdue",
                obj=project,
                summary={"milestone": milestone.pk},
            )
            people = project.audience("unit") + project.audience("leader") + project.audience("office")
            transaction.on_commit(
                lambda p=project, m=milestone, who=people: notify(
                    recipients=who,
                    kind="project.milestone_overdue",
                    title=_("民生实事项目节点超期：%(t)s") % {"t": p.title},
                    body=_("节点「%(m)s」计划 %(d)s 完成，尚未完成")
                    % {"m": m.title, "d": m.due_on.isoformat()},
                    url=p.get_absolute_url(),
                    obj=p,
                    dedupe_key=f"project-milestone:{m.pk}:overdue",
                ),
                robust=True,
            )
        flagged += 1
    return flagged
