"""The survey's ballot box (apps.ballotbox, issue 15), as the report-back rating's (archive/ballots.py): the
office staff member who prepares the survey and a second one they name are its tellers; one row per
department evaluated (in `EvaluatedUnit` id order), the rated satisfaction labels as options; the receiver
files the result once the tellers have decrypted the totals."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from apps.archive import ballots as rating_ballots
from apps.ballotbox import services as ballotbox
from apps.ballotbox.models import Box
from apps.common.choices import Satisfaction

from .models import OfficialRating, Survey, SurveyState

# The same rules for naming the second teller as a report-back rating's (an office grant over the town).
second_teller_choices = rating_ballots.second_teller_choices
second_teller = rating_ballots.second_teller


def rows(item):
    """The box's rows in order: a survey's departments, or an official rating's officials."""
    if isinstance(item, OfficialRating):
        return list(item.officials.order_by("id"))
    return list(item.evaluation.evaluated.select_related("unit").order_by("id"))


def holder(item):
    """What knows the town (its `region`): the survey's evaluation, or the rating's meeting."""
    return item.meeting if isinstance(item, OfficialRating) else item.evaluation


def make_box(item, *, actor, second) -> Box:
    owner = holder(item)
    names = [f"{r.post} {r.name}" for r in rows(item)] if isinstance(item, OfficialRating) else None
    return ballotbox.create_box(
        actor=actor,
        region=owner.region,
        title=getattr(item, "title", "") or owner.title,
        labels=[str(label) for _v, label in Satisfaction.rated()],
        questions=names or [row.unit.name for row in rows(item)],
        tellers=[actor, second],
        target=item,
    )


def survey_box(item) -> Box | None:
    """The box of a survey or an official rating."""
    ct = ContentType.objects.get_for_model(type(item))
    return Box.objects.filter(content_type=ct, object_id=item.pk).order_by("-id").first()


def choice_index(choice: str) -> int:
    return Satisfaction.rated_values().index(choice)


def missing_keys(survey: Survey) -> list[str]:
    box = survey_box(survey)
    if box is None:
        return []
    return [
        getattr(t.user, "display_name", "") or t.user.get_username()
        for t in box.trustees.select_related("user").order_by("id")
        if not t.public_share
    ]


def on_tallied(sender, box, **kwargs):
    """The last teller's share has decrypted the totals: file the survey's (or rating's) result, once."""
    for model in (Survey, OfficialRating):
        if box.content_type_id == ContentType.objects.get_for_model(model).pk:
            item = model.objects.filter(pk=box.object_id).first()
            if item is not None and item.state == SurveyState.COUNTING:
                from apps.workflow.services import transition

                transition(item, "file_results", actor=None, system=True)
