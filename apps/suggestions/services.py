"""Every write about suggestions and motions. State changes go through the workflow engine."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts import permissions as perms
from apps.accounts.scopes import CHANGE, deny, own_deputy
from apps.audit.services import record
from apps.common.choices import Satisfaction
from apps.common.errors import field_error as _fail
from apps.common.params import ints
from apps.duty.models import ActivityKind
from apps.duty.services import append_platform_record
from apps.opinions.models import Opinion, Topic
from apps.people.models import Deputy
from apps.places.models import HandlingUnit, Region
from apps.places.terms import terms_for
from apps.workflow import services as engine

from .models import (
    Award,
    CoHandling,
    ConsultMethod,
    Feedback,
    Motion,
    Period,
    Signature,
    SignatureStatus,
    Suggestion,
    SupervisionVisit,
)
from .rules import conclusion


def _is_office_for(user, item) -> bool:
    return perms.holds_in(user, perms.SUGGESTION_MANAGE, item.region)


def _clean(data: dict) -> dict:
    out = {k: str(data.get(k) or "").strip() for k in ("title", "content", "session_label")}
    if not out["title"]:
        raise _fail("title", _("请填写标题"))
    if not out["content"]:
        raise _fail("content", _("请填写建议内容"))
    if len(out["content"]) > 6000:
        raise _fail("content", _("内容不能超过6000字"))
    out["title"] = out["title"][:100]
    topic = data.get("topic") or Topic.OTHER
    if topic not in Topic.values:
        raise _fail("topic", _("类别不正确"))
    period = data.get("period") or Period.SESSION
    if period not in Period.values:
        raise _fail("period", _("提出时间不正确"))
    out.update(topic=topic, period=period)
    return out


def _words(town_id) -> dict[str, str]:
    """The words of a town or street for a refusal about its suggestions (本镇代表 / 本街道代表和议事员)."""
    return terms_for(Region.objects.filter(pk=town_id).first()).words()


def _town_deputies(town_id, ids) -> list[Deputy]:
    ids = set(ints(ids or [], name="co_signers"))
    found = list(Deputy.objects.filter(pk__in=ids, town_id=town_id)) if ids else []
    if len(found) != len(ids):
        raise _fail("co_signers", _("联名代表须是%(own_deputies)s") % _words(town_id))
    return found


# --- drafting and co-signing --------------------------------------------------------------------------------


def create_draft(*, actor, data: dict) -> Suggestion:
    """A deputy drafts their own suggestion; an office may enter one for a deputy (paper at a session)."""
    lead = own_deputy(actor)
    if data.get("lead") and (lead is None or str(data["lead"]) != str(lead.pk)):
        lead = Deputy.objects.filter(pk=data["lead"]).first()
        if lead is None:
            raise _fail("lead", _("代表不存在"))
        if not perms.holds_in(actor, perms.SUGGESTION_MANAGE, lead.region):  # 代为登记
            deny(actor, perms.SUGGESTION_MANAGE, lead)
    if lead is None:
        raise _fail("lead", _("只有代表本人或人大办可以提出建议"))
    if lead.town_id is None:
        raise _fail("lead", _("该代表不属于任何镇"))
    fields = _clean(data)
    co = [d for d in _town_deputies(lead.town_id, data.get("co_signers")) if d.pk != lead.pk]
    opinions = list(Opinion.objects.filter(pk__in=data.get("opinions") or [], town_id=lead.town_id))
    with transaction.atomic():
        author = actor if getattr(actor, "is_authenticated", False) else None
        item = engine.create_tracked(
            Suggestion,
            actor=actor,
            fields={**fields, "lead": lead, "region": lead.town, "drafted_by": author},
        )
        Signature.objects.create(
            suggestion=item,
            deputy=lead,
            is_lead=True,
            status=SignatureStatus.CONFIRMED,
            responded_at=timezone.now(),
        )
        Signature.objects.bulk_create([Signature(suggestion=item, deputy=d) for d in co])
        if opinions:
            item.opinions.set(opinions)
        record(
            actor=actor,
            action="suggestion.signers",
            obj=item,
            summary={"lead": lead.pk, "invited": [d.pk for d in co], "opinions": [o.pk for o in opinions]},
        )
    _tell_invited(item, co)
    return item


def _tell_invited(item, deputies):
    """The invited deputies hear of it in their inbox (and by SMS where the kind says so); the link opens
    their 联名邀请 page, where they agree or decline (issue 16 item 9)."""
    from django.urls import reverse

    from apps.notifications.services import notify

    users = [d.user for d in deputies if d.user_id]
    if not users:
        return
    kind = "suggestion" if isinstance(item, Suggestion) else "motion"
    lead = item.lead.name if item.lead_id else terms_for(item.region).presidium  # 主席团 / 街道工委
    if kind == "suggestion":
        title = _("%(lead)s邀请您联名建议：%(title)s") % {"lead": lead, "title": item.title}
    else:
        title = _("%(lead)s邀请您联名议案：%(title)s") % {"lead": lead, "title": item.title}
    transaction.on_commit(
        lambda: notify(
            recipients=users,
            kind=f"{kind}.invite",
            url=reverse("suggestions:invitations"),
            obj=item,
            title=title,
            dedupe_key=f"invite:{kind}:{item.pk}:{timezone.now():%Y%m%d%H%M%S%f}",
        ),
        robust=True,
    )


def update_draft(*, actor, item: Suggestion, data: dict) -> Suggestion:
    if item.state not in ("draft", "returned"):
        raise _fail("state", _("已提交的建议不能修改"))
    if not (own_deputy(actor) == item.lead or _is_office_for(actor, item)):
        deny(actor, CHANGE, item)
    fields = _clean(
        {
            **{
                "title": item.title,
                "content": item.content,
                "topic": item.topic,
                "period": item.period,
                "session_label": item.session_label,
            },
            **data,
        }
    )
    from apps.audit.services import apply_and_record

    with transaction.atomic():
        apply_and_record(actor=actor, instance=item, data=fields, action="suggestion.edited")
        if "co_signers" in data:
            wanted = {d.pk for d in _town_deputies(item.town_id, data["co_signers"])} - {item.lead_id}
            have = set(item.signatures.filter(is_lead=False).values_list("deputy_id", flat=True))
            item.signatures.filter(is_lead=False, deputy_id__in=have - wanted).delete()
            # Asking a deputy who declined again: the invitation stands anew.
            item.signatures.filter(
                is_lead=False, deputy_id__in=wanted & have, status=SignatureStatus.DECLINED
            ).update(status=SignatureStatus.INVITED, responded_at=None)
            new = Deputy.objects.filter(pk__in=wanted - have)
            Signature.objects.bulk_create([Signature(suggestion=item, deputy=d) for d in new])
            record(
                actor=actor,
                action="suggestion.signers",
                obj=item,
                summary={"added": sorted(wanted - have), "removed": sorted(have - wanted)},
            )
            _tell_invited(item, list(new))
    return item


def respond(*, actor, item, accept: bool) -> Signature:
    """An invited deputy confirms or declines co-signing (a suggestion or a motion)."""
    deputy = own_deputy(actor)
    field = "suggestion" if isinstance(item, Suggestion) else "motion"
    sig = Signature.objects.filter(**{field: item}, deputy=deputy).first() if deputy else None
    if sig is None or sig.is_lead:
        deny(actor, CHANGE, item)
    if item.state != "draft" and (field == "motion" or item.state != "returned"):
        raise _fail("state", _("已提交，不能再更改联名"))
    with transaction.atomic():
        sig.status = SignatureStatus.CONFIRMED if accept else SignatureStatus.DECLINED
        sig.responded_at = timezone.now()
        sig.save(update_fields=["status", "responded_at"])
        record(
            actor=actor,
            action=f"{field}.cosign",
            obj=item,
            summary={"deputy": deputy.pk, "status": sig.status},
        )
        if accept:
            append_platform_record(
                deputy=deputy,
                kind=ActivityKind.CO_SIGNATURE,
                date=timezone.localdate(),
                title=_("联名：%(t)s") % {"t": item.title},
                source_object=item,
            )
    return sig


# --- steps --------------------------------------------------------------------------------------------------


def act(
    *,
    actor,
    item: Suggestion,
    key: str,
    data=None,
    reason: str = "",
    expected_version: int | None = None,
) -> Suggestion:
    """Take one workflow step; all it does besides is declared in its row (suggestions/workflow.py)."""
    try:
        return engine.transition(
            item, key, actor=actor, reason=reason, data=data, expected_version=expected_version
        )
    except IntegrityError as e:  # two registrations drew the same number at once
        raise _fail("number", _("立案号冲突，请重试")) from e


def draft_from_opinion(actor, opinion, deputy, chosen) -> Suggestion:
    """An opinion turned into a deputy's suggestion: a draft for the deputy to finish and submit, linked."""
    lead = deputy.pk if deputy is not None else (chosen or opinion.deputy_id)
    return create_draft(
        actor=actor,
        data={
            "title": opinion.title,
            "content": opinion.content,
            "topic": opinion.topic,
            "period": "between",
            "lead": lead,
            "opinions": [opinion.pk],
        },
    )


def record_consultation(*, actor, item: Suggestion, method: str, on: date | str | None, note: str = ""):
    """面商: the lead unit's contact with the deputy before replying (or that there was none)."""
    perms.require(actor, perms.SUGGESTION_CONSULT, item)
    if item.state not in ("assigned", "rehandling"):
        raise _fail("state", _("办理中的建议才能登记面商"))
    if method not in ConsultMethod.values:
        raise _fail("consult_method", _("请选择面商方式"))
    if isinstance(on, str) and on:
        try:
            on = date.fromisoformat(on)
        except ValueError as e:
            raise _fail("consult_on", _("日期格式应为 YYYY-MM-DD")) from e
    if method != ConsultMethod.NONE and not on:
        raise _fail("consult_on", _("请填写面商日期"))
    from apps.audit.services import apply_and_record

    with transaction.atomic():
        apply_and_record(
            actor=actor,
            instance=item,
            action="suggestion.consulted",
            data={"consult_method": method, "consult_on": on or None, "consult_note": note or ""},
        )
    return item


def cohandling_input(*, actor, part: CoHandling, text: str) -> CoHandling:
    return engine.transition(part, "submit_input", actor=actor, data={"input_text": text})


def rate(*, actor, item: Suggestion, handling: str, result: str, comment: str = "") -> Feedback:
    """A signer's feedback on this round's reply; the last rating (or any dissatisfied) moves it on."""
    deputy = own_deputy(actor)
    if deputy is None or not item.signers().filter(pk=deputy.pk).exists():
        deny(actor, CHANGE, item)
    if item.state != "replied":
        raise _fail("state", _("答复后才能评价"))
    for name, value in (("handling", handling), ("result", result)):
        if value not in Satisfaction.values:
            raise _fail(name, _("请选择满意度"))
    with transaction.atomic():
        try:
            with transaction.atomic():
                fb = Feedback.objects.create(
                    suggestion=item,
                    deputy=deputy,
                    round=item.rounds,
                    handling=handling,
                    result=result,
                    comment=(comment or "").strip()[:2000],
                )
        except IntegrityError as e:
            raise _fail("handling", _("本轮答复您已评价过")) from e
        record(
            actor=actor,
            action="suggestion.rated",
            obj=item,
            summary={"round": item.rounds, "handling": handling, "result": result},
        )
        ratings = list(
            Feedback.objects.filter(suggestion=item, round=item.rounds).values_list("handling", "result")
        )
        nxt = conclusion(ratings, item.category, item.signers().count())
        if nxt:
            engine.transition(
                item, nxt, actor=None, system=True, reason=_("代表反馈：%(n)s人评价") % {"n": len(ratings)}
            )
    return fb


def mark_key(*, actor, item: Suggestion, is_key: bool, member_id=None) -> Suggestion:
    """Key supervision (重点督办), decided by the presidium and entered by the office."""
    if not _is_office_for(actor, item):
        deny(actor, CHANGE, item)
    member = Deputy.objects.filter(pk=member_id, town_id=item.town_id).first() if member_id else None
    if is_key and member is None:
        raise _fail("key_member", _("请指定督办的主席团成员"))
    from apps.audit.services import apply_and_record

    with transaction.atomic():
        apply_and_record(
            actor=actor,
            instance=item,
            action="suggestion.key",
            data={"is_key": is_key, "key_member": member if is_key else None},
        )
    return item


def add_visit(*, actor, item: Suggestion, on, note: str) -> SupervisionVisit:
    if not (_is_office_for(actor, item) or (item.key_member_id and own_deputy(actor) == item.key_member)):
        deny(actor, CHANGE, item)
    if not item.is_key:
        raise _fail("is_key", _("只有重点督办建议才登记督办情况"))
    if not (note or "").strip():
        raise _fail("note", _("请填写督办情况"))
    with transaction.atomic():
        visit = SupervisionVisit.objects.create(
            suggestion=item, date=on or timezone.localdate(), note=note.strip()[:4000], recorded_by=actor
        )
        record(
            actor=actor,
            action="suggestion.visit",
            obj=item,
            summary={"visit": visit.pk, "date": str(visit.date)},
        )
    return visit


def set_publish(*, actor, item: Suggestion, publish: bool) -> Suggestion:
    if not _is_office_for(actor, item):
        deny(actor, CHANGE, item)
    from apps.audit.services import apply_and_record

    apply_and_record(actor=actor, instance=item, action="suggestion.publish", data={"publish": bool(publish)})
    return item


def select_awards(*, actor, town, year: int, suggestion_ids=(), unit_ids=()) -> list[Award]:
    """评优评先: the year's excellent suggestions and handling units of a town, chosen from the figures."""
    if not perms.holds_in(actor, perms.SUGGESTION_MANAGE, town):
        deny(actor, perms.SUGGESTION_MANAGE, town)
    sugg = list(Suggestion.objects.filter(pk__in=suggestion_ids, town=town, rounds__gt=0))
    if len(sugg) != len(set(suggestion_ids)):
        raise _fail("suggestions", _("只能评选%(here)s已答复的建议") % terms_for(town).words())
    units = list(HandlingUnit.objects.filter(pk__in=unit_ids, suggestions__town=town).distinct())
    if len(units) != len(set(unit_ids)):
        raise _fail("units", _("只能评选办理过%(here)s建议的单位") % terms_for(town).words())
    with transaction.atomic():
        Award.objects.filter(town=town, year=year).delete()
        awards = Award.objects.bulk_create(
            [Award(year=year, town=town, kind=Award.Kind.SUGGESTION, suggestion=s) for s in sugg]
            + [Award(year=year, town=town, kind=Award.Kind.UNIT, unit=u) for u in units]
        )
        record(
            actor=actor,
            action="suggestion.awards",
            obj=town,
            summary={"year": year, "suggestions": [s.pk for s in sugg], "units": [u.pk for u in units]},
        )
    return awards


# --- motions ------------------------------------------------------------------------------------------------


def _check_motion_signers(region, lead, co) -> None:
    """Only deputies of the town's own congress lead or sign its motion (DOMAIN §4: 五人以上镇人大代表联名):
    a county deputy who lives in the town is not asked, so no one collects names that will not count."""
    from .selectors import seated_in_town_congress  # applies rules.sits_in_town_congress

    words = terms_for(region).words()
    seated = seated_in_town_congress([d.pk for d in ([lead] if lead else []) + co], region.pk)
    if lead is not None and lead.pk not in seated:
        raise _fail("lead", _("只有%(here)s在任的%(deputy)s可以领衔提出%(here)s%(congress)s的议案") % words)
    outside = [d.name for d in co if d.pk not in seated]
    if outside:
        raise _fail(
            "co_signers",
            _("%(names)s不是%(here)s在任的%(deputy)s（如只是县人大代表），不能联名%(here)s议案")
            % {**words, "names": "、".join(outside)},
        )


def create_motion(*, actor, data: dict) -> Motion:
    """By the presidium (entered by the office) or a deputy leading co-signers, during a session."""
    by_presidium = bool(data.get("by_presidium"))
    lead = None if by_presidium else own_deputy(actor)
    if by_presidium:
        from apps.places.models import Region

        region = Region.objects.filter(code=data.get("region") or "").first()
        if region is None or region.level != "town":
            raise _fail("region", _("请选择镇"))
        if not perms.holds_in(actor, perms.MOTION_PRESIDIUM, region):
            deny(actor, perms.MOTION_PRESIDIUM, region)
    else:
        if lead is None:
            raise _fail("lead", _("只有代表或主席团可以提出议案"))
        region = lead.town
    title, content = str(data.get("title") or "").strip(), str(data.get("content") or "").strip()
    if not title:
        raise _fail("title", _("请填写标题"))
    if not content:
        raise _fail("content", _("请填写议案内容"))
    co = [d for d in _town_deputies(region.pk, data.get("co_signers")) if not lead or d.pk != lead.pk]
    _check_motion_signers(region, lead, co)
    with transaction.atomic():
        motion = engine.create_tracked(
            Motion,
            actor=actor,
            fields={
                "title": title[:100],
                "content": content[:10000],
                "region": region,
                "by_presidium": by_presidium,
                "lead": lead,
                "session_label": str(data.get("session_label") or "")[:100],
            },
        )
        if lead:
            Signature.objects.create(
                motion=motion,
                deputy=lead,
                is_lead=True,
                status=SignatureStatus.CONFIRMED,
                responded_at=timezone.now(),
            )
        Signature.objects.bulk_create([Signature(motion=motion, deputy=d) for d in co])
    _tell_invited(motion, co)
    return motion


def act_motion(*, actor, motion: Motion, key: str, reason: str = "", data=None) -> Motion:
    return engine.transition(motion, key, actor=actor, reason=reason, data=data)


def motion_to_suggestion(actor, motion: Motion) -> Suggestion:
    """A motion the office turns into a suggestion with the same signers (its `to_suggestion` step)."""
    first = motion.signatures.filter(status=SignatureStatus.CONFIRMED).select_related("deputy").first()
    lead = motion.lead or (first.deputy if first else None)
    if lead is None:  # a presidium motion no deputy signed: a suggestion needs a deputy (DOMAIN §4)
        raise _fail("lead", _("没有代表署名的议案不能转为代表建议"))
    item = engine.create_tracked(
        Suggestion,
        actor=actor,
        fields={
            "title": motion.title,
            "content": motion.content[:6000],
            "region": motion.region,
            "lead": lead,
            "session_label": motion.session_label,
            "period": Period.SESSION,
            "submitted_on": timezone.localdate(),
        },
    )
    for sig in motion.signatures.filter(status=SignatureStatus.CONFIRMED):
        Signature.objects.create(
            suggestion=item,
            deputy=sig.deputy,
            is_lead=sig.deputy_id == lead.pk,
            status=SignatureStatus.CONFIRMED,
            responded_at=sig.responded_at,
        )
    if not motion.signatures.filter(deputy=lead).exists():
        Signature.objects.create(suggestion=item, deputy=lead, is_lead=True, status=SignatureStatus.CONFIRMED)
    motion.suggestion = item  # linked before it is submitted: the submit step then adds no duty record
    motion.save(update_fields=["suggestion"])
    motion.suggestion = engine.transition(item, "submit", actor=None, system=True, reason=_("议案转为建议"))
    return motion.suggestion
