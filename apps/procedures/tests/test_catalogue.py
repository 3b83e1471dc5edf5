"""The charts cannot drift from what the engine runs: every registered table, every state and every step
is in its procedure's data and drawn in its chart; the meeting's and the vote's own states too."""

import importlib

import pytest

from apps.meetings.choices import MeetingKind
from apps.meetings.models import MeetingState, VoteState
from apps.procedures import chart
from apps.procedures.catalogue import for_model, procedure, procedures
from apps.procedures.congress import SESSION_KINDS
from apps.procedures.data import ROLE_LABELS
from apps.procedures.laws import LAW_RULES
from apps.workflow.registry import WORKFLOWS


@pytest.mark.parametrize("model", sorted(WORKFLOWS))
def test_every_state_and_transition_of_every_table_is_in_its_chart(model):
    wf = WORKFLOWS[model]
    proc = for_model(model)
    assert proc.key == wf.key and proc.label == str(wf.label)
    assert [n.key for n in proc.nodes] == [s.key for s in wf.states]
    assert {n.key for n in proc.nodes if n.final} == {s.key for s in wf.states if s.final}
    assert [n.key for n in proc.nodes if n.initial] == [wf.initial]
    edges = {e.key: e for e in proc.edges}
    assert list(edges) == [t.key for t in wf.transitions]
    for t in wf.transitions:
        e = edges[t.key]
        assert (e.sources, e.target) == (tuple(t.sources), t.target)
        assert e.capability == (t.permission.name if t.permission else "")
        assert set(e.who) == {str(ROLE_LABELS[r]) for r in t.roles if r in ROLE_LABELS}, t.key
        assert e.system == t.system
        target_due = wf.state(t.target).due
        assert (e.deadline is None) == (target_due is None), t.key
    drawn = chart.layout(proc)
    states = {b.key for b in drawn.boxes if b.kind == "state"}
    assert states == {s.key for s in wf.states}
    steps = {k for b in drawn.boxes if b.kind == "step" for k in b.steps}
    assert steps == {t.key for t in wf.transitions}
    pairs = {b.pair for b in drawn.boxes if b.kind == "step"}
    assert pairs == {(s, t.target) for t in wf.transitions for s in t.sources}
    svg = chart.render_svg(drawn)
    for s in wf.states:
        assert f'data-state="{s.key}"' in svg


def test_a_state_deadline_names_its_working_days_or_its_local_setting():
    opinion = procedure("opinion")
    accept = next(e for e in opinion.edges if e.key == "accept")
    assert accept.deadline.setting == "OPINION_ACCEPT_WORKING_DAYS"
    assert accept.deadline.working_days == 3 and "3个工作日" in chart.step_lines([accept])[-1]
    assert "镇人大办" in accept.who


def test_the_meetings_own_states_are_all_drawn():
    meeting, vote, session = procedure("meeting"), procedure("vote"), procedure("session")
    assert {n.key for n in meeting.nodes} == set(MeetingState.values)
    assert {n.key for n in vote.nodes} == set(VoteState.values)
    kinds = {n.key for n in session.nodes}
    assert set(SESSION_KINDS) <= kinds and {MeetingKind.PREPARATORY, MeetingKind.PLENARY} <= kinds
    for p in (meeting, vote, session):
        reached = {p.node(n.key).key for n in p.nodes if n.initial} | {e.target for e in p.edges}
        assert reached == {n.key for n in p.nodes}, p.key  # every state is reached by some step
        assert all(e.who for e in p.edges)


def test_every_procedure_is_listed_once():
    keys = [p.key for p in procedures()]
    assert len(keys) == len(set(keys)) == len(WORKFLOWS) + 3


@pytest.mark.parametrize("law", LAW_RULES, ids=lambda r: r.key)
def test_every_law_rule_names_code_that_exists(law):
    assert law.law and (law.value or law.setting or law.enforced_in)
    if law.enforced_in:
        module, attr = law.enforced_in.split(":")
        assert hasattr(importlib.import_module(module), attr), law.enforced_in
