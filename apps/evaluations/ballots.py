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

from .models import Survey, SurveyState

# The same rules for naming the second teller as a report-back rating's (an office grant over the town).
second_teller_choices = rating_ballots.second_teller_choices
second_teller = rating_ballots.second_teller


def rows(survey: Survey):
    return list(survey.evaluation.evaluated.select_related("unit").order_by("id"))


def make_box(survey: Survey, *, actor, second) -> Box:
    evaluation = survey.evaluation
    return ballotbox.create_box(
        actor=actor,
        region=evaluation.region,
        title=evaluation.title,
        labels=[str(label) for _v, label in Satisfaction.rated()],
        questions=[row.unit.name for row in rows(survey)],
        tellers=[actor, second],
        target=survey,
    )


def survey_box(survey: Survey) -> Box | None:
    ct = ContentType.objects.get_for_model(Survey)
    return Box.objects.filter(content_type=ct, object_id=survey.pk).order_by("-id").first()


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
    """The last teller's share has decrypted the totals: file the survey's result, once."""
    if box.content_type_id != ContentType.objects.get_for_model(Survey).pk:
        return
    survey = Survey.objects.filter(pk=box.object_id).first()
    if survey is None or survey.state != SurveyState.COUNTING:
        return
    from apps.workflow.services import transition

    transition(survey, "file_results", actor=None, system=True)
