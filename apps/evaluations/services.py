"""Every write of department evaluations (DOMAIN §7, issue 18 part 3): making one, its step files, the
written opinion per department, the survey (window, tellers, open, close) and a deputy's secret answer."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.accounts.scopes import get_or_deny, own_deputy_id, records_refusals
from apps.audit.services import record
from apps.ballotbox import services as ballotbox
from apps.common.choices import Satisfaction
from apps.common.errors import DomainError, field_error
from apps.common.text import clean
from apps.people.models import Deputy
from apps.places.models import HandlingUnit, Region
from apps.workflow.errors import Conflict
from apps.workflow.services import create_tracked, transition

from . import ballots, rules
from .errors import ErrorCode
from .models import (
    DepartmentEvaluation,
    EvaluatedUnit,
    Survey,
    SurveyComment,
    SurveyParticipation,
    SurveyState,
)


class SurveyClosed(Conflict):
    code = ErrorCode.SURVEY_CLOSED
    default_message = _("满意度测评未开启或已截止")


class AlreadyResponded(Conflict):
    code = ErrorCode.ALREADY_RESPONDED
    default_message = _("您已参加过本次测评（每人一次）")


def _text(value, field: str, limit: int, *, required=False) -> str:
    text = clean(str(value or "")).strip()
    if required and not text:
        raise field_error(field, _("请填写此项"))
    if len(text) > limit:
        raise field_error(field, _("不能超过 %(n)s 个字") % {"n": limit})
    return text


def create_evaluation(
    *, actor, region_id: int, year: int, title: str, unit_ids: list[int], activity_id: int | None = None
) -> DepartmentEvaluation:
    """A township's evaluation of the departments `unit_ids` (units of the town or its county); the town's
    deputies are its raters. Planned, before the first of the eight steps. `activity_id` names the plan item
    it carries out (a 部门评议 item of the same town's supervision plan)."""
    region = Region.objects.filter(pk=region_id, level="town").first()
    if region is None:
        raise field_error("region", _("请选择一个镇"))
    perms.require_in(actor, perms.EVALUATION_MANAGE, region)
    title = _text(title, "title", 200, required=True)
    ids = list(dict.fromkeys(unit_ids or []))
    own = Q(town_id=region.pk) | Q(town_id__isnull=True)  # the town's units or the county's own
    units = list(HandlingUnit.objects.filter(own, pk__in=ids, is_active=True, county_id=region.county_id))
    if not ids or len(units) != len(ids):
        raise field_error("units", _("请选择本镇或本县的被评议单位"))
    activity = None
    if activity_id:
        from .selectors import plan_items_to_evaluate

        activity = plan_items_to_evaluate([region.pk]).filter(pk=activity_id).first()
        if activity is None:
            raise field_error("activity", _("请选择本镇监督计划中的部门评议事项"))
    with transaction.atomic():
        item = create_tracked(
            DepartmentEvaluation,
            actor=actor,
            fields={
                "region": region,
                "year": year,
                "title": title,
                "created_by": actor,
                "activity": activity,
            },
        )
        by_id = {u.pk: u for u in units}
        EvaluatedUnit.objects.bulk_create([EvaluatedUnit(evaluation=item, unit=by_id[i]) for i in ids])
        item.deputies.set(Deputy.objects.filter(town_id=region.pk))
    return item


def _evaluation_to_change(actor, evaluation_id: int) -> DepartmentEvaluation:
    return get_or_deny(actor, DepartmentEvaluation, perms.EVALUATION_MANAGE, pk=evaluation_id)


def act_on_evaluation(*, actor, item, key: str, data) -> DepartmentEvaluation:
    """One of the eight steps (the engine refuses a step out of order, 409)."""
    return transition(item, key, actor=actor, data=data)


def attach_file(*, actor, evaluation_id: int, upload):
    """A document of the current step (notice, research, minutes, opinions ...); refused once archived."""
    from apps.workflow.uploads import attach

    item = _evaluation_to_change(actor, evaluation_id)
    if item.state == "archived":
        raise field_error("file", _("评议材料已归档，不能再上传"))
    return attach(actor=actor, item=item, upload=upload)


def set_opinion(*, actor, evaluation_id: int, unit_id: int, opinion: str) -> EvaluatedUnit:
    """The written evaluation opinion (评议意见) on one department, until the opinions step is taken."""
    with records_refusals(), transaction.atomic():
        item = _evaluation_to_change(actor, evaluation_id)
        if item.state not in ("planned", "notice", "research", "meeting"):
            raise Conflict(_("书面评议意见已提出，不能再修改"))
        row = EvaluatedUnit.objects.filter(evaluation=item, unit_id=unit_id).first()
        if row is None:
            raise field_error("unit", _("该单位不在本次评议之列"))
        row.opinion = _text(opinion, "opinion", 5000)
        row.save(update_fields=["opinion"])
        record(actor=actor, action="evaluations.evaluation.opinion", obj=item, summary={"unit": unit_id})
    return row


# --- the satisfaction survey --------------------------------------------------------------------------------


def create_survey(
    *, actor, evaluation_id: int, opens_at: datetime, closes_at: datetime, public=False
) -> Survey:
    """The evaluation's survey with its window; one per evaluation, before the written opinions."""
    item = _evaluation_to_change(actor, evaluation_id)
    if item.state not in ("planned", "notice", "research", "meeting"):
        raise Conflict(_("书面评议意见已提出，不能再开展满意度测评"))
    if Survey.objects.filter(evaluation=item).exists():
        raise Conflict(_("本次评议已有满意度测评"))
    if not (opens_at and closes_at) or closes_at <= opens_at:
        raise field_error("closes_at", _("截止时间须晚于开始时间"))
    try:
        with transaction.atomic():
            return create_tracked(
                Survey,
                actor=actor,
                fields={
                    "evaluation": item,
                    "opens_at": opens_at,
                    "closes_at": closes_at,
                    "public": bool(public),
                },
            )
    except IntegrityError:
        raise Conflict(_("本次评议已有满意度测评")) from None


def act_on_survey(*, actor, item, key: str, data) -> Survey:
    return transition(item, key, actor=actor, data=data)


def _survey_shared(survey_id: int) -> Survey:
    """The survey under the weakest lock that still waits for its close (FOR KEY SHARE on PostgreSQL), as
    the report-back rating reads its meeting: answers at once do not wait on each other."""
    sql = f"SELECT id FROM {Survey._meta.db_table} WHERE id = %s"
    if connection.vendor == "postgresql":
        sql += " FOR KEY SHARE"
    with connection.cursor() as cursor:
        cursor.execute(sql, [survey_id])
    return Survey.objects.only("id", "state", "opens_at", "closes_at").get(pk=survey_id)


def _picked(survey: Survey, choices: dict) -> tuple[list[int], list[tuple[int, str]]]:
    """The box's indexes for every department, in row order, and the comments given; each department must be
    rated."""
    picked, comments = [], []
    for row in ballots.rows(survey):
        value = choices.get(row.unit_id) or choices.get(str(row.unit_id))
        if isinstance(value, dict):
            choice, comment = value.get("choice"), value.get("comment", "")
        else:
            choice, comment = value, ""
        if choice not in Satisfaction.rated_values():
            raise field_error(f"unit_{row.unit_id}", _("请对每个被评议单位选择满意、基本满意或不满意"))
        picked.append(ballots.choice_index(choice))
        comment = _text(comment, f"comment_{row.unit_id}", 500)
        if comment:
            comments.append((row.unit_id, comment))
    return picked, comments


def _seal(survey: Survey, who: str, picked, comments) -> str:
    key = rules.voter_key(survey.pk, who)
    now = timezone.now()
    try:
        with transaction.atomic():
            locked = _survey_shared(survey.pk)
            if locked.state != SurveyState.OPEN or not (locked.opens_at <= now < locked.closes_at):
                raise SurveyClosed()
            box = ballots.survey_box(locked)
            SurveyParticipation.objects.create(survey=locked, voter_key=key)
            receipt = ballotbox.seal(box_id=box.pk, choices=picked)
            SurveyComment.objects.bulk_create(
                [SurveyComment(survey=locked, unit_id=u, text=t) for u, t in comments]
            )
    except IntegrityError:
        raise AlreadyResponded() from None
    return receipt


def respond(*, actor, survey_id: int, choices: dict) -> str:
    """A deputy's secret answer: each department 满意 / 基本满意 / 不满意 with an optional comment; returns
    the receipt. Once per deputy (a keyed hash, unique); nothing written to the audit log, which would link
    a moment to a ballot."""
    survey = get_or_deny(actor, Survey, perms.EVALUATION_RATE, pk=survey_id)
    deputy_id = own_deputy_id(actor)
    if deputy_id is None or not survey.evaluation.deputies.filter(pk=deputy_id).exists():
        raise DomainError(_("只有本镇代表可以参加本次测评"), code=ErrorCode.NOT_A_RATER)
    picked, comments = _picked(survey, choices)
    del choices
    return _seal(survey, f"deputy:{deputy_id}", picked, comments)


def public_survey(token: str) -> Survey:
    """A survey the office opened to the public, by its link's token; any other token is missing."""
    from apps.common.errors import NotFound

    survey = Survey.objects.filter(token=token, public=True).select_related("evaluation").first()
    if survey is None:
        raise NotFound()
    return survey


def request_public_code(*, token: str, phone: str) -> str:
    """The SMS code proving the phone number (accounts.signin, purpose `rating`) while the survey is open."""
    from apps.accounts.signin import request_rating_code

    survey = public_survey(token)
    now = timezone.now()
    if survey.state != SurveyState.OPEN or not (survey.opens_at <= now < survey.closes_at):
        raise SurveyClosed()
    return request_rating_code(phone=phone)


def respond_public(*, token: str, phone: str, code: str, choices: dict) -> str:
    """A member of the public's answer where the survey is open to them: the phone number proved by the SMS
    code, one answer per number (its keyed hash; the number itself is not stored)."""
    from apps.accounts.signin import consume_rating_code

    survey = public_survey(token)
    picked, comments = _picked(survey, choices)
    del choices
    phone = consume_rating_code(phone=phone, code=code)
    return _seal(survey, f"phone:{phone}", picked, comments)
