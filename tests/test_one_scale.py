"""One English name per domain concept (the glossary in docs/ARCHITECTURE.md): the satisfaction scale is one
`Satisfaction` in apps.common.choices, read by every app that rates."""

import ast
from pathlib import Path
from typing import get_args

from apps.archive import ballots
from apps.common.choices import Satisfaction
from apps.opinions.inputs import SatisfactionValue
from apps.opinions.models import Opinion
from apps.suggestions.models import Feedback

ROOT = Path(__file__).resolve().parent.parent
STORED = ["satisfied", "basic", "dissatisfied", "no_opinion"]


def test_the_scale_keeps_its_stored_values_and_labels():
    assert Satisfaction.values == STORED
    assert [str(label) for label in Satisfaction.labels] == ["满意", "基本满意", "不满意", "未表态"]


def test_a_rating_that_must_be_given_has_no_no_opinion():
    assert Satisfaction.rated_values() == STORED[:3]
    assert Opinion._meta.get_field("satisfaction").choices == Satisfaction.rated()
    # A report-back rating seals one of the rated values per deputy in its ballot box (issue 15).
    assert ballots.Satisfaction is Satisfaction
    assert [ballots.choice_index(v) for v in STORED[:3]] == [0, 1, 2]
    assert list(get_args(SatisfactionValue)) == Satisfaction.rated_values()


def test_a_signers_feedback_may_say_no_opinion():
    for name in ("handling", "result"):
        assert Feedback._meta.get_field(name).choices == Satisfaction.choices


def test_no_other_class_spells_the_scale():
    """A second TextChoices holding 满意/基本满意/不满意 would be a second name for the same concept."""
    found = []
    for path in (ROOT / "apps").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(t, ast.Assign) and ast.unparse(t.value).startswith("('dissatisfied'")
                for t in node.body
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.name}")
    assert found == ["apps/common/choices.py:Satisfaction"]
