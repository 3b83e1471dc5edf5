"""The suggestion and motion lifecycles (DOMAIN §4): every step for every role, and the [law] rules."""

from datetime import date

import pytest

from apps.accounts.scopes import visible_to
from apps.common.errors import NotFound, PermissionDenied, ValidationFailed
from apps.duty.models import DutyRecord
from apps.places.tests.factories import HandlingUnitFactory
from apps.suggestions import selectors, services
from apps.suggestions.models import CoHandling, Feedback, Suggestion
from apps.workflow import services as engine
from apps.workflow.errors import IllegalTransition

from .factories import deputy_a2_user, draft

pytestmark = pytest.mark.django_db

REPLY = {"category": "A", "doc_number": "城政函〔2026〕5号", "signer": "王镇长", "reply_text": "已完成硬化。"}


def submitted(world):
    item = draft(world)
    services.respond(actor=deputy_a2_user(world), item=item, accept=True)
    return services.act(actor=world.deputy_user, item=item, key="submit")


def assigned(world, **data):
    item = services.act(actor=world.town_user, item=submitted(world), key="register")
    return services.act(
        actor=world.town_user, item=item, key="assign", data={"unit": world.unit_a.pk, **data}
    )


def replied(world, category="A", **extra):
    item = assigned(world)
    services.record_consultation(
        actor=world.unit_user, item=item, method="visit", on="2026-11-20", note="登门"
    )
    item.refresh_from_db()
    return services.act(
        actor=world.unit_user, item=item, key="reply", data={**REPLY, "category": category, **extra}
    )


# --- drafting and co-signing -------------------------------------------------------------------------------


def test_a_draft_waits_for_every_invited_cosigner(world):
    item = draft(world)
    with pytest.raises(IllegalTransition) as caught:
        services.act(actor=world.deputy_user, item=item, key="submit")
    assert "联名代表未确认" in str(caught.value.message)
    services.respond(actor=deputy_a2_user(world), item=item, accept=False)
    item = services.act(actor=world.deputy_user, item=item, key="submit")
    assert item.state == "submitted" and list(item.signers()) == [world.deputy_a]


def test_only_the_lead_submits_and_only_invited_deputies_answer(world):
    item = draft(world)
    with pytest.raises(PermissionDenied):
        services.respond(actor=world.town_user, item=item, accept=True)
    services.respond(actor=deputy_a2_user(world), item=item, accept=True)
    with pytest.raises(PermissionDenied):
        services.act(actor=deputy_a2_user(world), item=item, key="submit")


def test_cosigners_must_be_deputies_of_the_town(world):
    with pytest.raises(ValidationFailed) as caught:
        draft(world, co_signers=[world.deputy_b.pk])
    assert "co_signers" in caught.value.fields


def test_submitting_and_cosigning_count_in_duty_records_and_registration_adds_none(world):
    item = services.act(actor=world.town_user, item=submitted(world), key="register")
    kinds = sorted(DutyRecord.objects.values_list("deputy__name", "kind"))
    assert kinds == [("张三", "suggestion"), ("赵六", "co_signature")]
    assert item.number.startswith("城关建〔") and item.number.endswith("〕1号")


# --- review -----


def test_registration_numbers_run_per_town_and_year(world):
    first = services.act(actor=world.town_user, item=submitted(world), key="register")
    second = services.act(actor=world.town_user, item=submitted(world), key="register")
    assert first.number.endswith("1号") and second.number.endswith("2号")


def test_merge_keeps_every_deputy_for_the_reply_and_the_rating(world):
    keep = services.act(actor=world.town_user, item=submitted(world), key="register")
    other = draft(world, co_signers=[], actor=deputy_a2_user(world))
    other = services.act(actor=deputy_a2_user(world), item=other, key="submit")
    merged = services.act(actor=world.town_user, item=other, key="merge", data={"into": keep.number})
    assert merged.state == "merged" and merged.merged_into == keep
    assert set(keep.signers()) == {world.deputy_a, world.deputy_a2}


def test_return_and_decline_need_a_reason_and_decline_can_become_an_opinion(world):
    item = submitted(world)
    with pytest.raises(ValidationFailed):
        services.act(actor=world.town_user, item=item, key="decline")
    back = services.act(actor=world.town_user, item=item, key="return", reason="请补充具体地点")
    assert back.state == "returned"
    back = services.act(actor=world.deputy_user, item=back, key="submit")
    gone = services.act(
        actor=world.town_user, item=back, key="decline", reason="属于村务", data={"to_opinion": True}
    )
    assert gone.state == "declined"
    opinion = gone.opinions.get()
    assert opinion.deputy == world.deputy_a and gone in opinion.suggestions.all()


# --- assignment and deadlines -----


def test_reply_is_due_three_months_after_assignment(world):
    item = services.act(actor=world.town_user, item=submitted(world), key="register")
    item = engine.transition(
        item, "assign", actor=world.town_user, data={"unit": world.unit_a.pk}, today=date(2025, 11, 30)
    )
    assert item.due_date == date(2026, 2, 28)  # 代表法: three months, to the month's last day


def test_one_extension_makes_six_months_in_all_and_no_second_one(world):
    item = services.act(actor=world.town_user, item=submitted(world), key="register")
    item = engine.transition(
        item, "assign", actor=world.town_user, data={"unit": world.unit_a.pk}, today=date(2025, 9, 30)
    )
    item = engine.transition(
        item, "extend", actor=world.town_user, reason="涉及跨部门资金", today=date(2025, 12, 20)
    )
    assert item.extended and item.due_date == date(2026, 3, 30)  # six months from assignment, not from today
    with pytest.raises(IllegalTransition):
        services.act(actor=world.town_user, item=item, key="extend", reason="再次延期")


def test_a_unit_sends_back_a_wrong_assignment_only_within_seven_working_days(world):
    item = services.act(actor=world.town_user, item=submitted(world), key="register")
    item = engine.transition(
        item, "assign", actor=world.town_user, data={"unit": world.unit_a.pk}, today=date(2025, 9, 26)
    )
    # Fri 09-26: Sun 09-28 (make-up), Mon 09-29, Tue 09-30, then National Day; Thu 10-09, Fri 10-10,
    # Sat 10-11 (make-up), Mon 10-13 is the seventh working day.
    with pytest.raises(IllegalTransition):
        engine.transition(
            item, "send_back", actor=world.unit_user, reason="非本单位职责", today=date(2025, 10, 14)
        )
    back = engine.transition(
        item, "send_back", actor=world.unit_user, reason="非本单位职责", today=date(2025, 10, 13)
    )
    assert back.state == "registered" and back.unit is None


def test_co_handlers_get_a_month_and_send_their_part_to_the_lead_unit(world):
    co_unit = HandlingUnitFactory(name="城关镇农业综合服务站", region=world.town_a)
    item = assigned(world, co_units=[co_unit.pk])
    part = CoHandling.objects.get(suggestion=item)
    assert part.unit == co_unit and part.state == "requested" and part.due_date is not None
    from apps.accounts.tests.factories import user_with

    co_user = user_with("unit_staff", "counit", unit=co_unit)
    with pytest.raises(NotFound):  # the lead unit cannot see another unit's part: as if it did not exist
        services.cohandling_input(actor=world.unit_user, part=part, text="意见")
    part = services.cohandling_input(actor=co_user, part=part, text="已安排农技人员配合")
    assert part.state == "submitted" and part.input_text


# --- reply, feedback, re-handling -----


def test_no_reply_before_the_consultation_is_recorded(world):
    item = assigned(world)
    with pytest.raises(IllegalTransition) as caught:
        services.act(actor=world.unit_user, item=item, key="reply", data=REPLY)
    assert "面商" in str(caught.value.message)


def test_a_b_reply_needs_its_plan_and_date(world):
    item = assigned(world)
    services.record_consultation(actor=world.unit_user, item=item, method="none", on=None)
    item.refresh_from_db()
    with pytest.raises(ValidationFailed) as caught:
        services.act(actor=world.unit_user, item=item, key="reply", data={**REPLY, "category": "B"})
    assert "planned_text" in caught.value.fields or "planned_by" in caught.value.fields


def test_every_signer_rates_then_it_closes(world):
    item = replied(world)
    services.rate(actor=world.deputy_user, item=item, handling="satisfied", result="satisfied")
    item.refresh_from_db()
    assert item.state == "replied"  # 赵六 has not rated yet
    services.rate(actor=deputy_a2_user(world), item=item, handling="basic", result="no_opinion")
    item.refresh_from_db()
    assert item.state == "closed" and item.solved
    assert engine.steps_of(item).last().actor_label == "系统"


def test_any_dissatisfied_rating_reopens_it_for_rehandling_within_a_month(world):
    item = replied(world)
    services.rate(actor=world.deputy_user, item=item, handling="satisfied", result="dissatisfied")
    item.refresh_from_db()
    assert item.state == "rehandling" and item.due_date is not None
    services.record_consultation(actor=world.unit_user, item=item, method="phone", on="2026-11-21")
    item.refresh_from_db()
    item = services.act(
        actor=world.unit_user, item=item, key="reply", data={**REPLY, "reply_text": "重新办理"}
    )
    assert item.rounds == 2 and item.state == "replied"
    assert Feedback.objects.filter(suggestion=item).count() == 1  # the first round's rating stays


def test_b_and_c_replies_stay_tracked_until_solved(world):
    item = replied(world, category="B", planned_text="列入2027年计划", planned_by="2027-06-30")
    for user in (world.deputy_user, deputy_a2_user(world)):
        services.rate(actor=user, item=item, handling="satisfied", result="basic")
        item.refresh_from_db()
    assert item.state == "tracking" and not item.solved
    item = services.act(actor=world.unit_user, item=item, key="solved", data={"reply_text": "已于6月完工"})
    assert item.state == "closed" and item.solved


def test_only_signers_rate_and_only_once_a_round(world):
    item = replied(world)
    with pytest.raises(PermissionDenied):
        services.rate(actor=world.town_user, item=item, handling="satisfied", result="satisfied")
    services.rate(actor=world.deputy_user, item=item, handling="satisfied", result="satisfied")
    item.refresh_from_db()
    with pytest.raises(ValidationFailed):
        services.rate(actor=world.deputy_user, item=item, handling="satisfied", result="satisfied")


# --- roles and scope -----

ROLES = {
    "register": ("submitted", {"county_user", "town_user"}),
    "return": ("submitted", {"county_user", "town_user"}),
    "assign": ("registered", {"county_user", "town_user"}),
    "extend": ("assigned", {"county_user", "town_user"}),
    "send_back": ("assigned", {"unit_user"}),
}


@pytest.mark.parametrize(
    "user", ["county_user", "town_user", "town_b_user", "keeper_user", "deputy_user", "unit_user"]
)
@pytest.mark.parametrize("key", list(ROLES))
def test_each_step_is_open_to_exactly_its_roles(world, key, user):
    start, allowed = ROLES[key]
    item = submitted(world)
    if start in ("registered", "assigned"):
        item = services.act(actor=world.town_user, item=item, key="register")
    if start == "assigned":
        item = services.act(actor=world.town_user, item=item, key="assign", data={"unit": world.unit_a.pk})
    data = {"unit": world.unit_a.pk} if key == "assign" else {}
    actor = getattr(world, user)
    if user in allowed:
        done = services.act(actor=actor, item=item, key=key, data=data, reason="理由")
        assert done.state == Suggestion.workflow.transition(key).target and done.version == item.version + 1
    else:
        # one who sees the item but may not take the step is refused (403); one who cannot even see it is
        # answered exactly as for a missing item (404)
        seen = visible_to(actor, Suggestion).filter(pk=item.pk).exists()
        with pytest.raises(PermissionDenied if seen else NotFound):
            services.act(actor=actor, item=item, key=key, data=data, reason="理由")
        assert Suggestion.objects.get(pk=item.pk).state == start


def test_a_unit_sees_only_what_is_assigned_to_it_and_a_deputy_only_what_they_signed(world):
    item = assigned(world)
    draft(world, actor=world.deputy_user, co_signers=[])
    assert list(selectors.suggestions(world.unit_user)) == [item]
    assert selectors.suggestions(world.deputy_user).count() == 2
    assert selectors.suggestions(world.town_b_user).count() == 0
    assert selectors.suggestions(world.keeper_user).count() == 0


# --- motions -----


def _deputies(world, n):
    from apps.accounts.tests.factories import user_with
    from apps.people.tests.factories import DeputyFactory, MandateFactory

    out = []
    for i in range(n):
        d = DeputyFactory(name=f"代表{i}", region=world.village_a, station=world.station_a)
        MandateFactory(deputy=d, congress_region=world.town_a)
        d.user = user_with("deputy", f"m{i}", deputy=d)
        d.save()
        out.append(d)
    return out


def test_a_deputies_motion_needs_five_confirmed_signers(world):
    others = _deputies(world, 4)
    motion = services.create_motion(
        actor=world.deputy_user,
        data={
            "title": "关于设立月河流域保护专项资金的议案",
            "content": "……",
            "co_signers": [d.pk for d in others],
        },
    )
    for d in others[:3]:
        services.respond(actor=d.user, item=motion, accept=True)
    with pytest.raises(IllegalTransition) as caught:
        services.act_motion(actor=world.deputy_user, motion=motion, key="submit")
    assert "5名以上" in str(caught.value.message) and "4名" in str(caught.value.message)
    services.respond(actor=others[3].user, item=motion, accept=True)
    motion = services.act_motion(actor=world.deputy_user, motion=motion, key="submit")
    assert motion.state == "submitted"


def test_the_presidium_may_raise_a_motion_alone_and_it_can_become_a_suggestion(world):
    motion = services.create_motion(
        actor=world.town_user,
        data={
            "title": "关于镇区停车管理的议案",
            "content": "……",
            "by_presidium": True,
            "region": world.town_a.code,
            "co_signers": [world.deputy_a.pk],
        },
    )
    services.respond(actor=world.deputy_user, item=motion, accept=True)
    motion = services.act_motion(actor=world.town_user, motion=motion, key="submit")
    motion = services.act_motion(
        actor=world.town_user, motion=motion, key="to_suggestion", reason="不属于议案范围"
    )
    assert motion.state == "to_suggestion" and motion.suggestion.state == "submitted"
    assert list(motion.suggestion.signers()) == [world.deputy_a]


def test_a_deputy_whose_suggestion_was_merged_sees_and_rates_the_kept_one(world):
    keep = services.act(actor=world.town_user, item=submitted(world), key="register")
    mine = draft(world, co_signers=[], actor=deputy_a2_user(world), title="另一件同类建议")
    mine = services.act(actor=deputy_a2_user(world), item=mine, key="submit")
    services.act(actor=world.town_user, item=mine, key="merge", data={"into": keep.number})
    assert keep in selectors.suggestions(deputy_a2_user(world))


def test_the_presidium_member_supervising_a_key_suggestion_sees_it_and_records_visits(world):
    from apps.accounts.tests.factories import user_with
    from apps.people.tests.factories import DeputyFactory, MandateFactory

    member = DeputyFactory(name="主席团成员", region=world.village_a, station=world.station_a)
    MandateFactory(deputy=member, congress_region=world.town_a)
    member_user = user_with("deputy", "member", deputy=member)
    item = assigned(world)
    assert item not in selectors.suggestions(member_user)
    services.mark_key(actor=world.town_user, item=item, is_key=True, member_id=member.pk)
    assert item in selectors.suggestions(member_user)
    visit = services.add_visit(actor=member_user, item=item, on=None, note="现场查看施工进度")
    assert visit.suggestion == item


def test_the_office_enters_and_submits_a_paper_suggestion_for_a_deputy(world):
    item = draft(world, actor=world.town_user, lead=world.deputy_a.pk, co_signers=[])
    item = services.act(actor=world.town_user, item=item, key="submit")
    assert item.state == "submitted" and item.lead == world.deputy_a
    with pytest.raises(NotFound):  # another town's draft is out of sight: as if it did not exist
        services.act(actor=world.town_b_user, item=draft(world, co_signers=[]), key="submit")


def test_a_deputy_who_declined_can_be_invited_again(world):
    item = draft(world)
    services.respond(actor=deputy_a2_user(world), item=item, accept=False)
    services.update_draft(actor=world.deputy_user, item=item, data={"co_signers": [world.deputy_a2.pk]})
    assert item.signatures.get(deputy=world.deputy_a2).status == "invited"
