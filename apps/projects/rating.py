"""The year-end rating of a list's projects by the congress's deputies (issue 19 part 6): secret, one per
deputy, in a window, through the one ballot box (one row per project, the satisfaction scale as options,
keyed by the sitting's tellers). The last teller's share files the result once (system step `file`); a
project whose dissatisfied share reaches [local] PROJECT_DISSATISFIED_PERCENT gets a rectification item
(`rectification.services.open_item`, the one kind supervision built), due in the town's working days and
reviewed by the project's monitoring deputies."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.accounts.scopes import deny, get_or_deny, own_deputy, records_refusals
from apps.audit.services import record
from apps.ballotbox import services as ballotbox
from apps.ballotbox.models import Box, BoxState
from apps.ballotbox.signals import tallied
from apps.common.choices import Satisfaction
from apps.common.errors import field_error as _fail
from apps.meetings.services import tellers_for_box
from apps.workflow.errors import Conflict
from apps.workflow.services import create_tracked

from . import rules
from .errors import ErrorCode
from .models import CandidateList, Project, ProjectRating, RatingParticipation
from .voting import deputies_of, local

SCALE = (Satisfaction.SATISFIED, Satisfaction.BASIC, Satisfaction.DISSATISFIED)


def projects_of(rating) -> list[Project]:
    return list(
        Project.objects.filter(candidate__candidate_list_id=rating.candidate_list_id).order_by(
            "candidate__order"
        )
    )


def box_of(rating) -> Box | None:
    ct = ContentType.objects.get_for_model(ProjectRating)
    return Box.objects.filter(content_type=ct, object_id=rating.pk).first()


@records_refusals()
def create_rating(*, actor, list_id: int, opens_at, closes_at) -> ProjectRating:
    """The office sets the window; the box is made at once so the tellers can key it."""
    cl = get_or_deny(actor, CandidateList, perms.PROJECT_MANAGE, pk=list_id)
    if cl.state != "decided" or cl.meeting_id is None:
        raise Conflict(_("票决结果确定后才能测评"))
    if not opens_at or not closes_at or closes_at <= opens_at:
        raise _fail("closes_at", _("截止时间须晚于开始时间"))
    with transaction.atomic():
        rating = create_tracked(
            ProjectRating,
            actor=actor,
            fields={
                "candidate_list": cl,
                "region": cl.region,
                "opens_at": opens_at,
                "closes_at": closes_at,
            },
        )
        with translation.override("zh-hans"):
            labels = [str(s.label) for s in SCALE]
        titles = [p.title for p in projects_of(rating)]
        if not titles:
            raise Conflict(_("没有可测评的项目"))
        ballotbox.create_box(
            actor=actor,
            region=cl.region,
            title=str(rating),
            labels=labels,
            questions=titles,
            tellers=tellers_for_box(cl.meeting),
            target=rating,
        )
    return rating


def open_problem(rating, actor, today):
    box = box_of(rating)
    if box is None:
        return _("没有票箱")
    owing = [str(t.user) for t in box.trustees.select_related("user") if not t.public_share]
    if box.state == BoxState.SETUP and owing:
        return _("尚有监票人未生成密钥份额：%(names)s") % {"names": "、".join(owing)}
    return None


def open_box(ctx):
    return ballotbox.open_for(box_of(ctx.item)).pk


def close_box(ctx):
    return ballotbox.close_for(box_of(ctx.item)).pk


@records_refusals()
def rate(*, actor, rating_id: int, choices: dict) -> str:
    """One deputy's secret rating of every project, once, inside the window; the receipt."""
    rating = get_or_deny(actor, ProjectRating, perms.PROJECT_BROWSE, pk=rating_id)
    deputy = own_deputy(actor)
    if deputy is None or not deputies_of(rating.candidate_list).filter(deputy=deputy).exists():
        deny(
            actor,
            "project_rating.rated",
            rating,
            message=_("只有本次大会的代表可以测评"),
            code=ErrorCode.NOT_A_VOTER,
        )
    now = timezone.now()
    with transaction.atomic():
        rating = ProjectRating.objects.select_for_update(of=("self",)).get(pk=rating.pk)
        if rating.state != "open" or not rating.opens_at <= now <= rating.closes_at:
            raise Conflict(_("不在测评时间内"))
        rows = []
        for p in projects_of(rating):
            value = str((choices or {}).get(str(p.pk), (choices or {}).get(p.pk, "")))
            if value not in SCALE:
                raise _fail("choices", _("请对每个项目选择满意、基本满意或不满意"))
            rows.append(SCALE.index(value))
        try:
            with transaction.atomic():
                RatingParticipation.objects.create(rating=rating, deputy=deputy)
        except IntegrityError:
            raise Conflict(_("您已测评"), code=ErrorCode.ALREADY_VOTED) from None
        receipt = ballotbox.seal(box_id=box_of(rating).pk, choices=rows)
        del rows
        record(actor=actor, action="project_rating.rated", obj=rating, summary={"deputy": deputy.pk})
    return receipt


def file_results(ctx):
    """Store the totals once and open a rectification item for each project rated dissatisfied enough."""
    from apps.rectification.selectors import opened_from
    from apps.rectification.services import open_item

    rating, box = ctx.item, box_of(ctx.item)
    k = box.options
    percent = int(local("PROJECT_DISSATISFIED_PERCENT", rating))
    results, opened = {}, []
    for r, p in enumerate(projects_of(rating)):
        counts = dict(zip(SCALE, box.totals[r * k : (r + 1) * k], strict=True))
        results[str(p.pk)] = counts
        if rules.dissatisfied(counts=counts, percent=percent) and p.unit_id and not opened_from(p).exists():
            share = round(counts[Satisfaction.DISSATISFIED] * 100 / max(1, sum(counts.values())))
            item = open_item(
                actor=None,
                source=p,
                source_label=str(rating),
                region=rating.region,
                unit=p.unit_id,
                title=_("民生实事项目测评不满意：%(t)s") % {"t": p.title},
                detail=_("年终测评不满意率%(s)d%%，达到整改线%(p)d%%。") % {"s": share, "p": percent},
                reviewers=list(p.monitors.values_list("pk", flat=True)),
            )
            opened.append(item.pk)
    ProjectRating.objects.filter(pk=rating.pk).update(results=results)
    return {"rectifications": opened}


@receiver(tallied, dispatch_uid="projects.rating_tallied")
def rating_tallied(sender, box, **kwargs) -> None:
    if box.content_type_id != ContentType.objects.get_for_model(ProjectRating).pk:
        return
    rating = ProjectRating.objects.filter(pk=box.object_id).first()
    if rating is None or rating.state != "counting":
        return
    from apps.workflow.services import transition

    transition(rating, "file", actor=None, system=True)
