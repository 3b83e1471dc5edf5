"""The secret ballot [law]: after deputies vote, no table, field or audit event links a deputy to a choice."""

import json

import pytest
from django.apps import apps
from django.db import models

from apps.audit.models import AuditEvent
from apps.elections.models import BallotLine, Participation, Round, WriteInTally
from apps.people.models import Deputy

from .factories import Hall

MARK = "甄秘密"  # a written-in name that appears on exactly one ballot


@pytest.fixture
def voted(world):
    hall = Hall(world, total=12)
    post = hall.post("head")
    (a,) = hall.candidates(post, ["王明"])
    e = hall.open(post)
    hall.cast(e, 0, {a.pk: "against"}, [MARK])  # deputy_a: the one ballot we try to trace
    for i in range(1, 12):
        hall.cast(e, i, {a.pk: "for"})
    return hall, e, a


def test_counter_tables_hold_no_link_to_a_deputy_user_or_time():
    for model in (BallotLine, WriteInTally, Round):
        for f in model._meta.get_fields():
            if f.is_relation and f.related_model is not None and f.concrete:
                assert f.related_model not in (Deputy, apps.get_model("accounts", "User")) or model is Round
    ballot_line_fields = {f.name for f in BallotLine._meta.concrete_fields}
    assert ballot_line_fields == {
        "id",
        "round",
        "candidate",
        "order",
        "votes_for",
        "votes_against",
        "votes_abstain",
    }
    assert {f.name for f in WriteInTally._meta.concrete_fields} == {"id", "round", "name", "count"}
    # Participation says who took part, nothing of what or when.
    assert {f.name for f in Participation._meta.concrete_fields} == {"id", "round", "deputy"}


def test_no_model_stores_the_content_beside_the_deputy(voted):
    hall, e, _a = voted
    deputy = hall.world.deputy_a
    for model in apps.get_models():
        text_fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if not text_fields:
            continue
        for row in model.objects.all().values(*text_fields, "pk"):
            blob = json.dumps(row, ensure_ascii=False, default=str)
            if MARK in blob:
                # The written-in name lives only in its counter row, which names no one.
                assert model is WriteInTally, (model, row)
    assert WriteInTally.objects.get(round=e).count == 1
    # What is stored of the deputy in this round: one participation row.
    assert list(Participation.objects.filter(round=e, deputy=deputy).values_list("deputy", flat=True)) == [
        deputy.pk
    ]


def test_the_ballot_cast_event_names_the_round_and_deputy_never_the_content(voted):
    _hall, e, _a = voted
    events = AuditEvent.objects.filter(action="election.ballot_cast")
    assert events.count() == 12
    for ev in events:
        assert set(ev.summary) == {"round", "deputy"}
        blob = json.dumps([ev.summary, ev.reason, ev.object_type, ev.object_id], ensure_ascii=False)
        assert MARK not in blob and "against" not in blob and "for" not in blob
        assert ev.summary["round"] == e.pk and ev.object_id == str(e.pk)
    for ev in AuditEvent.objects.all():
        assert MARK not in json.dumps(ev.summary, ensure_ascii=False) or ev.action == "election.counted"


def test_counters_are_aggregates_only(voted):
    _hall, e, a = voted
    line = BallotLine.objects.get(round=e, candidate=a)
    assert (line.votes_for, line.votes_against, line.votes_abstain) == (11, 1, 0)
    assert Round.objects.get(pk=e.pk).ballots_cast == 12
