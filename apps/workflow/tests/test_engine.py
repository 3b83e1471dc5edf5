"""The engine on the real item kinds: inputs validated from the one schema, declared effects run in the
step's transaction and named in its audit event, refusals recorded although the step rolls back."""

import pytest

from apps.accounts import permissions as perms
from apps.audit.models import AuditEvent
from apps.common.errors import NotFound, ValidationFailed
from apps.opinions import services as opinion_services
from apps.opinions.tests.factories import opinion
from apps.opinions.workflow import OPINION_WORKFLOW
from apps.suggestions.workflow import COHANDLING_WORKFLOW, MOTION_WORKFLOW, SUGGESTION_WORKFLOW
from apps.workflow import services as engine
from apps.workflow.inputs import form_fields, parse

pytestmark = pytest.mark.django_db

WORKFLOWS = (OPINION_WORKFLOW, SUGGESTION_WORKFLOW, COHANDLING_WORKFLOW, MOTION_WORKFLOW)


def _item(world):
    return opinion(world, station=world.station_a.pk, deputy=world.deputy_a.pk)


def test_every_transition_names_a_capability_of_the_vocabulary_and_a_uniquely_named_input():
    names = []
    for wf in WORKFLOWS:
        for t in wf.transitions:
            assert t.permission is not None and perms.REGISTRY[t.permission.name] is t.permission
            if t.input.__name__ not in ("ActionIn", "NoteIn", "ReasonIn"):
                names.append(t.input.__name__)
    assert len(names) == len(set(names))


def test_a_missing_required_field_is_a_chinese_field_error_from_the_schema(world):
    item = opinion_services.act(actor=world.town_user, item=_item(world), key="accept")
    with pytest.raises(ValidationFailed) as exc:
        opinion_services.act(actor=world.town_user, item=item, key="assign", data={"unit": ""})
    assert exc.value.fields == {"unit": ["请选择承办单位"]}
    with pytest.raises(ValidationFailed) as exc:
        opinion_services.act(actor=world.town_user, item=item, key="assign", data={"unit": "七"})
    assert exc.value.fields == {"unit": ["请填写整数"]}


def test_over_long_text_is_refused_with_its_limit():
    from apps.opinions.inputs import OpinionReplyIn

    with pytest.raises(ValidationFailed) as exc:
        parse(OpinionReplyIn, {"reply": "长" * 4001})
    assert exc.value.fields == {"reply": ["不能超过 4000 个字"]}


def test_a_refusal_inside_the_steps_transaction_is_recorded_after_the_rollback(world):
    item = _item(world)
    before = AuditEvent.objects.filter(action="access.denied", actor=world.unit_user).count()
    with pytest.raises(NotFound):  # the unit cannot see an item not assigned to it
        engine.transition(item, "accept", actor=world.unit_user)
    item.refresh_from_db()
    assert item.state == "registered"
    assert AuditEvent.objects.filter(action="access.denied", actor=world.unit_user).count() == before + 1


def test_declared_effects_run_in_the_step_and_are_named_in_its_audit_event(world):
    item = opinion_services.act(actor=world.town_user, item=_item(world), key="accept")
    item = opinion_services.act(
        actor=world.town_user, item=item, key="assign", data={"unit": world.unit_a.pk}
    )
    item = opinion_services.act(actor=world.unit_user, item=item, key="reply", data={"reply": "已修复"})
    item = opinion_services.act(
        actor=world.deputy_user,
        item=item,
        key="visit",
        data={"visit_method": "phone", "satisfaction": "basic", "solved": "yes"},
    )
    event = AuditEvent.objects.filter(action="opinion.visit").latest("seq")
    assert event.summary["effects"]["duty_records"] == [world.deputy_a.pk]
    assert item.solved is True


def test_the_form_fields_come_from_the_schema_with_choices_from_the_table(world):
    item = opinion_services.act(actor=world.town_user, item=_item(world), key="accept")
    t = OPINION_WORKFLOW.transition("assign")
    fields = form_fields(t.input, providers=t.choices, item=item, actor=world.town_user)
    by_name = {f["name"]: f for f in fields}
    assert by_name["unit"]["widget"] == "select" and by_name["unit"]["required"]
    assert (str(world.unit_a.pk), "城关镇人民政府") in [
        (v, label[-7:]) for v, label in by_name["unit"]["choices"]
    ]
    assert by_name["responsible_person"]["max_length"] == 50


def test_who_narrows_a_capability_to_the_lead_deputy(world):
    from apps.suggestions.services import create_draft

    draft = create_draft(
        actor=world.deputy_user,
        data={
            "title": "修路",
            "content": "修路",
            "lead": world.deputy_a.pk,
            "co_signers": [world.deputy_a2.pk],
        },
    )
    t = SUGGESTION_WORKFLOW.transition("submit")
    assert engine.permitted(world.deputy_user, draft, t)
    assert engine.permitted(world.town_user, draft, t)
    assert not engine.permitted(world.unit_user, draft, t)


def test_a_deadline_follows_the_townships_own_rule(world):
    from apps.calendar.services import add_working_days
    from apps.localrules.services import set_value

    set_value(
        actor=world.county_user, region=world.town_a, key="OPINION_REPLY_WORKING_DAYS", value=5, reason="镇定"
    )
    item = opinion_services.act(actor=world.town_user, item=_item(world), key="accept")
    item = opinion_services.act(
        actor=world.town_user, item=item, key="assign", data={"unit": world.unit_a.pk}
    )
    assert item.due_date == add_working_days(item.assigned_on, 5)


@pytest.mark.parametrize(
    "reply, field_error",
    [
        ("修好了\x00", "不能含有控制字符或无法识别的字符"),
        ("修好了\x01", "不能含有控制字符或无法识别的字符"),
        ("修好了\ud800", "不能含有控制字符或无法识别的字符"),
    ],
)
def test_text_the_files_cannot_hold_is_refused_and_nothing_changes(world, reply, field_error):
    item = opinion_services.act(actor=world.town_user, item=_item(world), key="accept")
    item = opinion_services.act(
        actor=world.town_user, item=item, key="assign", data={"unit": world.unit_a.pk}
    )
    with pytest.raises(ValidationFailed) as exc:
        opinion_services.act(actor=world.unit_user, item=item, key="reply", data={"reply": reply})
    assert exc.value.fields == {"reply": [field_error]}
    item.refresh_from_db()
    assert item.state == "assigned" and item.reply == ""


def test_crlf_is_stored_as_lf_and_a_huge_id_is_a_field_error(world):
    item = opinion_services.act(actor=world.town_user, item=_item(world), key="accept")
    with pytest.raises(ValidationFailed) as exc:
        opinion_services.act(actor=world.town_user, item=item, key="assign", data={"unit": 10**30})
    assert exc.value.fields == {"unit": ["数值超出允许范围"]}
    item = opinion_services.act(
        actor=world.town_user, item=item, key="assign", data={"unit": world.unit_a.pk}
    )
    item = opinion_services.act(actor=world.unit_user, item=item, key="reply", data={"reply": "一\r\n二"})
    assert item.reply == "一\n二"
