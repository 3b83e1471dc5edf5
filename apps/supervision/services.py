"""Every write of supervision (DOMAIN §7, issue 18): the plan and its items (also one drawn from the
opinion roll-up in one action), the deputies of an item, findings, appointments and special inquiries
with their requesting deputies' satisfaction. State changes go through the workflow engine; every write
and every refusal is audited."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.accounts.scopes import deny, get_or_deny, own_deputy_id, records_refusals
from apps.audit.services import record
from apps.common import text
from apps.common.errors import NotFound, ValidationFailed, field_error
from apps.localrules.selectors import local_value
from apps.opinions.models import Opinion
from apps.people.models import Deputy
from apps.places.models import HandlingUnit, Region
from apps.rectification import selectors as rectification_selectors
from apps.rectification import services as rectification_services
from apps.workflow.errors import Conflict
from apps.workflow.services import create_tracked, transition

from . import rules
from .choices import ActivityKind, MeetingKind, MemberRole
from .errors import ErrorCode
from .models import Activity, ActivityMember, Appointment, Finding, Requester, SupervisionPlan

OPEN_PLAN = ("draft", "returned")
LINKED_OPINIONS_MAX = 500  # opinions linked to one item drawn from the roll-up


def _text(value, name: str, label, max_len: int, *, required=True) -> str:
    value = text.clean(" ".join(str(value or "").split()) if max_len <= 300 else str(value or "").strip())
    if required and not value:
        raise field_error(name, _("请填写%(f)s") % {"f": label})
    if len(value) > max_len:
        raise field_error(name, _("%(f)s不超过 %(n)s 字") % {"f": label, "n": max_len})
    return value


def _town(region_id: int) -> Region:
    town = Region.objects.filter(pk=region_id, level="town").first()
    if town is None:
        raise field_error("region", _("请选择镇（乡、街道）"))
    return town


def town_deputies(town_id: int):
    """Deputies of the township (those who live in it), the only ones an item or appointment may name."""
    return Deputy.objects.filter(town_id=town_id)


def _deputies(town_id: int, ids, name: str) -> list[Deputy]:
    ids = list(dict.fromkeys(int(i) for i in ids or ()))
    found = {d.pk: d for d in town_deputies(town_id).filter(pk__in=ids)}
    if len(found) != len(ids):
        raise field_error(name, _("请选择本镇的代表"))
    return [found[i] for i in ids]


def unit_choices(town: Region):
    """Units an item, finding or appointment may name: active units of the town and of its county."""
    return list(
        HandlingUnit.objects.filter(region_id__in=[town.pk, town.county_id], is_active=True).order_by("name")
    )


def _unit(town: Region, unit_id: int | None, name="unit") -> HandlingUnit | None:
    if not unit_id:
        return None
    unit = HandlingUnit.objects.filter(pk=unit_id, region_id__in=[town.pk, town.county_id]).first()
    if unit is None:
        raise field_error(name, _("请选择本镇或本县的单位"))
    return unit


# --- the plan ---------------------------------------------------------------------------------------------


@records_refusals()
def create_plan(*, actor, region_id: int, year: int, title: str = "") -> SupervisionPlan:
    town = _town(region_id)
    perms.require_in(actor, perms.SUPERVISION_PLAN, town)
    if not 2000 <= int(year) <= 2100:
        raise field_error("year", _("年度不正确"))
    if SupervisionPlan.objects.filter(region=town, year=year).exists():
        raise ValidationFailed(
            _("%(town)s %(year)s 年的监督工作计划已经建立") % {"town": town.name, "year": year},
            code=ErrorCode.PLAN_EXISTS,
            fields={"year": [_("该年度的计划已经建立")]},
        )
    title = _text(title, "title", _("标题"), 100, required=False) or _("%(town)s%(year)s年监督工作计划") % {
        "town": town.name,
        "year": year,
    }
    return create_tracked(
        SupervisionPlan,
        actor=actor,
        fields={"region": town, "year": year, "title": title, "created_by": actor},
    )


def _open_plan(actor, plan_id: int) -> SupervisionPlan:
    plan = get_or_deny(actor, SupervisionPlan, perms.SUPERVISION_PLAN, pk=plan_id)
    if plan.state not in OPEN_PLAN:
        raise ValidationFailed(_("监督计划已提交或已审定，不能再增改监督事项"), code=ErrorCode.PLAN_APPROVED)
    return plan


@records_refusals()
def add_activity(
    *,
    actor,
    plan_id: int,
    kind: str,
    topic: str,
    starts_on: date,
    ends_on: date,
    detail: str = "",
    unit_id: int | None = None,
    lead_ids=(),
    member_ids=(),
    topic_key: str = "",
    opinion_ids=(),
) -> Activity:
    """A plan item: its kind (one of the ten), topic, dates, the supervised unit and the deputies who lead
    and join it (the township's own); opinions behind it when it is drawn from the roll-up."""
    plan = _open_plan(actor, plan_id)
    if kind not in ActivityKind.values:
        raise field_error("kind", _("请选择监督形式"))
    topic = _text(topic, "topic", _("监督议题"), 200)
    detail = _text(detail, "detail", _("工作安排"), 2000, required=False)
    if not starts_on or not ends_on or ends_on < starts_on:
        raise field_error("ends_on", _("结束日期不能早于开始日期"))
    if starts_on.year != plan.year and ends_on.year != plan.year:
        raise field_error("starts_on", _("活动日期须在计划年度内"))
    leads = _deputies(plan.town_id, lead_ids, "leads")
    members = [d for d in _deputies(plan.town_id, member_ids, "members") if d not in leads]
    with transaction.atomic():
        item = create_tracked(
            Activity,
            actor=actor,
            fields={
                "plan": plan,
                "region": plan.region,
                "kind": kind,
                "topic": topic,
                "detail": detail,
                "topic_key": topic_key[:40],
                "unit": _unit(plan.region, unit_id),
                "starts_on": starts_on,
                "ends_on": ends_on,
                "created_by": actor,
            },
        )
        ActivityMember.objects.bulk_create(
            [ActivityMember(activity=item, deputy=d, role=MemberRole.LEAD) for d in leads]
            + [ActivityMember(activity=item, deputy=d, role=MemberRole.MEMBER) for d in members]
        )
        if opinion_ids:
            item.opinions.add(*opinion_ids)
    return item


@records_refusals()
def list_topic(
    *,
    actor,
    plan_id: int,
    topic_key: str,
    date_from: date,
    date_to: date,
    kind: str = ActivityKind.INSPECTION,
    topic: str = "",
) -> Activity:
    """列入监督清单: the presidium turns a rolled-up topic into a plan item in one action; the item links
    back to the opinions of the topic in the plan's town and the period."""
    plan = _open_plan(actor, plan_id)
    if not rules.period_ok(date_from, date_to):
        raise field_error("date_to", _("时间段须先后有序，且不超过两年"))
    rows = Opinion.objects.filter(
        town_id=plan.town_id, topic_key=topic_key, received_on__gte=date_from, received_on__lte=date_to
    )
    ids = list(rows.order_by("-received_on", "-id").values_list("id", flat=True)[:LINKED_OPINIONS_MAX])
    if not ids:
        raise field_error("topic_key", _("该时间段内本镇没有这一议题的社情民意"))
    from .selectors import RolledTopic

    label = RolledTopic(topic_key, len(ids), 0).label
    start = max(timezone.localdate(), date(plan.year, 1, 1))
    if start.year != plan.year:
        start = date(plan.year, 1, 1)
    with transaction.atomic():
        item = add_activity(
            actor=actor,
            plan_id=plan.pk,
            kind=kind,
            topic=topic or _("%(label)s问题（群众反映%(n)s件）") % {"label": label, "n": len(ids)},
            starts_on=start,
            ends_on=min(start + timedelta(days=30), date(plan.year, 12, 31)),
            topic_key=topic_key,
            opinion_ids=ids,
        )
        summary = {"topic_key": topic_key, "opinions": len(ids)}
        record(actor=actor, action="supervision.topic_listed", obj=item, summary=summary)
    return item


# --- findings -----------------------------------------------------------------------------------------------


def _may_record(actor, source) -> bool:
    if perms.roles_over(actor, source) & perms.OFFICES:
        return True
    me = own_deputy_id(actor)
    if me is None:
        return False
    if isinstance(source, Activity):
        return source.members.filter(deputy_id=me).exists()
    return source.requesters.filter(deputy_id=me).exists()


@records_refusals()
def record_finding(
    *, actor, text_value: str, activity_id: int | None = None, appointment_id: int | None = None,
    unit_id: int | None = None,
) -> Finding:  # fmt: skip
    """A problem found (during or after an activity; a follow-up item of an appointment), by the office
    or a deputy who took part; optionally naming the unit it concerns (who then sees it)."""
    if bool(activity_id) == bool(appointment_id):
        raise field_error("activity", _("请指明监督事项或约见"))
    model = Activity if activity_id else Appointment
    source = get_or_deny(actor, model, perms.SUPERVISION_FINDING, pk=activity_id or appointment_id)
    if not _may_record(actor, source):
        deny(actor, perms.SUPERVISION_FINDING, source)
    body = _text(text_value, "text", _("发现的问题"), 2000)
    with transaction.atomic():
        # The activity or appointment is locked first, as its own steps lock it: the new row's key check
        # (deferred to the commit on PostgreSQL) would otherwise wait for a step on it while holding the
        # audit chain's lock that step waits for (a deadlock the API fuzzer found).
        source = model.objects.select_for_update().get(pk=source.pk)
        if isinstance(source, Activity) and source.state not in ("under_way", "done"):
            raise field_error("activity", _("活动开始后才能记录发现的问题"))
        if isinstance(source, Appointment) and source.state not in ("answered", "closed"):
            raise field_error("appointment", _("答复后才能记录跟进事项"))
        finding = Finding.objects.create(
            region=source.region,
            activity=source if isinstance(source, Activity) else None,
            appointment=source if isinstance(source, Appointment) else None,
            text=body,
            unit=_unit(source.region, unit_id),
            created_by=actor,
        )
        record(actor=actor, action="supervision.finding_recorded", obj=finding, summary={"unit": unit_id})
    return finding


class AlreadyRectifying(Conflict):
    code = ErrorCode.ALREADY_RECTIFYING


def finding_reviewers(finding: Finding) -> list[int]:
    """The deputies who found the problem: the activity's lead and participating deputies, or the deputies
    who requested the appointment; they review the unit's rectification."""
    if finding.activity_id:
        return list(finding.activity.members.values_list("deputy_id", flat=True))
    return list(finding.appointment.requesters.values_list("deputy_id", flat=True))


@records_refusals()
def open_rectification_for(*, actor, finding_id: int, reviewers=None, due_days=None):
    """转为整改事项 (issue 18 part 4): the finding becomes one rectification item through the rectification
    app's one door (`open_item`), assigned to the unit the finding names, reviewed by the deputies who found
    it (or `reviewers`), due in `due_days` working days (default the town's RECTIFICATION_WORKING_DAYS).
    Once per finding: a second time is refused (409 `already_rectifying`)."""
    finding = get_or_deny(actor, Finding, perms.SUPERVISION_PLAN, pk=finding_id)
    if finding.unit_id is None:
        raise ValidationFailed(
            _("这一问题未指明涉及的单位，不能转为整改事项"),
            code=ErrorCode.FINDING_WITHOUT_UNIT,
            fields={"unit": [_("请先指明问题涉及的单位")]},
        )
    source = finding.activity or finding.appointment
    with transaction.atomic():
        Finding.objects.select_for_update().filter(pk=finding.pk).first()
        opened = rectification_selectors.opened_from(finding).values_list("pk", flat=True).first()
        if opened is None:
            item = rectification_services.open_item(
                actor=actor,
                source=finding,
                source_label=str(source)[:200],
                region=finding.region,
                unit=finding.unit,
                title=" ".join(finding.text.split())[:60],
                detail=finding.text,
                reviewers=finding_reviewers(finding) if reviewers is None else list(reviewers),
                due_days=due_days,
            )
            summary = {"rectification": item.pk, "unit": finding.unit_id}
            record(actor=actor, action="supervision.finding_rectification", obj=finding, summary=summary)
    if opened is not None:
        # The refusal is kept too, outside the rolled-back work: who tried to open a second item.
        summary = {"code": str(ErrorCode.ALREADY_RECTIFYING), "rectification": opened}
        record(actor=actor, action="supervision.finding_rectification_refused", obj=finding, summary=summary)
        raise AlreadyRectifying(_("这一问题已转为整改事项（编号 %(n)s），不能重复交办") % {"n": opened})
    return item


# --- appointments and special inquiries -------------------------------------------------------------------


@records_refusals()
def request_appointment(
    *,
    actor,
    region_id: int,
    kind: str,
    subject: str,
    official: str,
    body: str,
    deputy_ids=(),
    detail: str = "",
    unit_id: int | None = None,
    activity_id: int | None = None,
) -> Appointment:
    """约见 or 专题询问, asked by deputies of the township (a deputy asking is one of them). An appointment
    needs at least the township's APPOINTMENT_MIN_DEPUTIES ([local], default 3)."""
    town = _town(region_id)
    me = own_deputy_id(actor)
    if not perms.holds_in(actor, perms.SUPERVISION_REQUEST, town):
        if me is None or not town_deputies(town.pk).filter(pk=me).exists():
            perms.require_in(actor, perms.SUPERVISION_REQUEST, town)
            deny(actor, perms.SUPERVISION_REQUEST, town)
    ids = list(deputy_ids or ())
    if me is not None and me not in ids:
        ids.insert(0, me)
    if kind not in MeetingKind.values:
        raise field_error("kind", _("请选择约见或专题询问"))
    deputies = _deputies(town.pk, ids, "deputies")
    minimum = int(local_value("APPOINTMENT_MIN_DEPUTIES", town))
    if kind == MeetingKind.APPOINTMENT and rules.too_few_for_appointment(len(deputies), minimum):
        raise ValidationFailed(
            _("约见须由%(min)s名以上代表联名提出，现只有%(n)s名") % {"min": minimum, "n": len(deputies)},
            code=ErrorCode.TOO_FEW_DEPUTIES,
            fields={"deputies": [_("至少%(min)s名代表") % {"min": minimum}]},
        )
    if not deputies:
        raise field_error("deputies", _("请选择提出的代表"))
    activity = None
    if activity_id:
        activity = Activity.objects.filter(pk=activity_id, town_id=town.pk).first()
        if activity is None:
            raise NotFound()
    fields = {
        "region": town,
        "kind": kind,
        "subject": _text(subject, "subject", _("事由"), 200),
        "detail": _text(detail, "detail", _("具体内容"), 4000, required=False),
        "official": _text(official, "official", _("被约见（询问）人及职务"), 100),
        "body": _text(body, "body", _("所在机关"), 100),
        "unit": _unit(town, unit_id),
        "activity": activity,
        "requested_by": actor,
    }
    with transaction.atomic():
        item = create_tracked(Appointment, actor=actor, fields=fields)
        Requester.objects.bulk_create([Requester(appointment=item, deputy=d) for d in deputies])
    return item


@records_refusals()
def rate_appointment(*, actor, appointment_id: int, satisfaction: str, comment: str = "") -> Requester:
    """A requesting deputy's satisfaction with the answer (open, shown with the name); changeable until
    the appointment is closed."""
    from apps.common.choices import Satisfaction

    item = get_or_deny(actor, Appointment, perms.SUPERVISION_RATE, pk=appointment_id)
    me = own_deputy_id(actor)
    row = item.requesters.filter(deputy_id=me).first() if me else None
    if row is None:
        raise ValidationFailed(_("只有提出约见（询问）的代表才能评价"), code=ErrorCode.NOT_REQUESTER)
    if item.state != "answered":
        raise ValidationFailed(_("尚未答复或已办结，不能评价"), code=ErrorCode.NOT_ANSWERED)
    if satisfaction not in dict(Satisfaction.rated()):
        raise field_error("satisfaction", _("请选择满意、基本满意或不满意"))
    row.satisfaction = satisfaction
    row.comment = _text(comment, "comment", _("意见"), 500, required=False)
    row.rated_on = timezone.localdate()
    with transaction.atomic():
        row.save(update_fields=["satisfaction", "comment", "rated_on"])
        record(
            actor=actor,
            action="supervision.appointment_rated",
            obj=item,
            summary={"deputy": me, "satisfaction": satisfaction},
        )
    return row


# --- materials ---------------------------------------------------------------------------------------------


def may_attach(actor, activity: Activity) -> bool:
    """The office, or a deputy who leads or joins the activity, while it is not cancelled."""
    return (
        activity.state != "cancelled"
        and perms.holds(actor, perms.SUPERVISION_FINDING, activity)
        and _may_record(actor, activity)
    )


@records_refusals()
def attach_file(*, actor, activity_id: int, upload):
    """A material of the activity (its notice, photos, reports, minutes: its archive, step 8), by the office
    or one of its deputies; refused once the activity is cancelled."""
    from apps.workflow.uploads import attach

    item = get_or_deny(actor, Activity, perms.SUPERVISION_FINDING, pk=activity_id)
    if not _may_record(actor, item):
        deny(actor, perms.SUPERVISION_FINDING, item)
    if item.state == "cancelled":
        raise field_error("file", _("该监督事项已取消，不能再上传材料"))
    return attach(actor=actor, item=item, upload=upload)


def act(*, actor, item, key: str, data):
    return transition(item, key, actor=actor, data=data)
