"""What the evaluation and survey steps (workflow.py) change and do besides."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.ballotbox import services as ballotbox
from apps.calendar.services import add_working_days, is_workday
from apps.localrules.selectors import local_value

from . import ballots, rules, selectors
from .models import SurveyState

_NEXT = {}
_order = ["planned"] + [state for state, _key in rules.EIGHT_STEPS]
for _i, _state in enumerate(_order[:-1]):
    _NEXT[_state] = _order[_i + 1]


def date_step(item, data, actor, today):
    """Every step of the eight: the date the office gives is kept by the state it enters."""
    item.step_dates = {**(item.step_dates or {}), _NEXT[item.state]: data["date"].isoformat()}


def survey_done(item, actor, today):
    """Guard of `give_opinions`: the written opinions rest on the survey's result, so a survey begun must
    have been counted first."""
    survey = getattr(item, "survey", None) if hasattr(item, "survey") else None
    if survey is not None and survey.state != SurveyState.CLOSED:
        return _("满意度测评尚未结束计票，请先结束测评并由两名监票人解密计票")
    return None


def working_days_until(start, end) -> int:
    """The working days from `start` to `end` (the n with add_working_days(start, n) == end when `end` is a
    working day); at least 1 (a date already passed still leaves the unit a day)."""
    n, day = 0, start
    while day < end:
        day += timedelta(days=1)
        n += is_workday(day)
    return max(n, 1)


def open_rectifications(ctx):
    """`supervise` (督促整改): one rectification item (apps.rectification, its one door `open_item`) for each
    department whose 不满意 share exceeded the town's rule (`selectors.departments_needing_rectification`):
    the source is that department's row, the unit the department, due by its plan deadline, reviewed by the
    evaluation's deputies (none: the office reviews). Exactly once: a department that already opened an
    item opens none again."""
    from apps.rectification import selectors as rectification
    from apps.rectification.services import DUE_DAYS_MAX, open_item

    evaluation = ctx.item
    reviewers = list(evaluation.deputies.values_list("pk", flat=True))
    opened = []
    for row in selectors.departments_needing_rectification(evaluation):
        if rectification.opened_from(row).exists():
            continue
        counts = _("满意 %(s)s、基本满意 %(b)s、不满意 %(d)s") % {
            "s": row.satisfied,
            "b": row.basic,
            "d": row.dissatisfied,
        }
        item = open_item(
            actor=ctx.actor,
            source=row,
            source_label=evaluation.title[:200],
            region=evaluation.region,
            unit=row.unit,
            title=_("%(unit)s：满意度测评不满意率超过规定比例，督促整改") % {"unit": row.unit.name},
            detail="\n\n".join(t for t in (counts, row.opinion) if t),
            reviewers=reviewers,
            due_days=min(working_days_until(ctx.today, row.plan_due), DUE_DAYS_MAX),
        )
        opened.append(item.pk)
    return {"rectifications": opened}


# --- the survey ------------------------------------------------------------------------------------------


def second_teller_choices(item, actor):
    return [
        (u.pk, getattr(u, "display_name", "") or u.get_username())
        for u in ballots.second_teller_choices(ballots.holder(item), actor)
    ]


def make_box(ctx):
    second = ballots.second_teller(ballots.holder(ctx.item), ctx.actor, ctx.data["second_teller"])
    box = ballots.make_box(ctx.item, actor=ctx.actor, second=second)
    return {"box": box.pk, "tellers": [ctx.actor.pk, second.pk]}


def keys_made(item, actor, today):
    if ballots.survey_box(item) is None:
        return _("本次测评尚无票箱，请先准备测评")
    missing = ballots.missing_keys(item)
    if missing:
        return _("尚有监票人未生成密钥份额（%(names)s），请先到监票台生成") % {"names": "、".join(missing)}
    return None


def open_box(ctx):
    return ballotbox.open_for(ballots.survey_box(ctx.item)).pk


def close_box(ctx):
    return ballotbox.close_for(ballots.survey_box(ctx.item)).pk


def survey_closed(item, data, actor, today):
    item.participants = item.participations.count()


def file_results(ctx):
    """`file_results`: each department's counts from the box's published totals, once; a department whose
    不满意 share exceeds the town's [local] EVALUATION_DISSATISFIED_SHARE gets its plan deadline in working
    days [local EVALUATION_PLAN_WORKING_DAYS]."""
    survey = ctx.item
    evaluation = survey.evaluation
    box = ballots.survey_box(survey)
    rows = ballots.rows(survey)
    results = box.results()
    if len(results) != len(rows):
        raise ValueError(f"box {box.pk} has {len(results)} rows for {len(rows)} departments")
    threshold = int(local_value("EVALUATION_DISSATISFIED_SHARE", evaluation))
    days = int(local_value("EVALUATION_PLAN_WORKING_DAYS", evaluation))
    today = timezone.localdate()
    filed = {}
    for row, (_title, counts) in zip(rows, results, strict=True):
        row.satisfied, row.basic, row.dissatisfied = (n for _label, n in counts)
        if rules.must_rectify(row.satisfied, row.basic, row.dissatisfied, threshold):
            row.plan_due = add_working_days(today, days)
        row.save(update_fields=["satisfied", "basic", "dissatisfied", "plan_due"])
        filed[row.unit_id] = [row.satisfied, row.basic, row.dissatisfied]
    return {"box": box.pk, "results": filed, "duty_records": _duty_records(survey, today)}


def _duty_records(survey, today) -> int:
    """Taking part is a duty (视察调研检查) of each deputy who answered, found by recomputing their keyed
    hash: the record says that they took part, never what they chose."""
    title = f"参加工作评议满意度测评：{survey.evaluation.title}"
    return _records_of(survey, survey.evaluation.deputies.order_by("id"), survey.pk, title, today)


def _records_of(item, deputies, key_id: int, title: str, today) -> int:
    """One duty record (视察调研检查) for each of `deputies` whose keyed hash under `key_id` is among the
    item's participations: that they took part, never what they chose."""
    from apps.duty.choices import ActivityKind
    from apps.duty.services import append_platform_record

    keys = set(item.participations.values_list("voter_key", flat=True))
    n = 0
    for deputy in deputies:
        if rules.voter_key(key_id, f"deputy:{deputy.pk}") in keys:
            append_platform_record(
                deputy=deputy, kind=ActivityKind.INSPECTION, date=today, title=title, source_object=item
            )
            n += 1
    return n


def file_official_results(ctx):
    """`file_results` of a vice-mayors' rating: each official's counts from the published totals, once."""
    rating = ctx.item
    box = ballots.survey_box(rating)
    rows = ballots.rows(rating)
    results = box.results()
    if len(results) != len(rows):
        raise ValueError(f"box {box.pk} has {len(results)} rows for {len(rows)} officials")
    filed = {}
    for row, (_title, counts) in zip(rows, results, strict=True):
        row.satisfied, row.basic, row.dissatisfied = (n for _label, n in counts)
        row.save(update_fields=["satisfied", "basic", "dissatisfied"])
        filed[row.pk] = [row.satisfied, row.basic, row.dissatisfied]
    return {"box": box.pk, "results": filed, "duty_records": _official_duty_records(rating)}


def _official_duty_records(rating) -> int:
    """Each deputy of the meeting who rated gets a record that they took part (the key of a rating is its
    negated id, services_officials.rate), never what they chose."""
    from apps.people.models import Deputy

    deputies = Deputy.objects.filter(meeting_seats__meeting_id=rating.meeting_id).distinct()
    title = f"参加副镇长述职测评：{rating.title}"
    return _records_of(rating, deputies.order_by("id"), -rating.pk, title, timezone.localdate())
