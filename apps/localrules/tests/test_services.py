"""set_value: only the county office sets values, for its county or a town of it; validated and audited."""

import pytest

from apps.accounts.tests.factories import user_with
from apps.audit.models import AuditEvent
from apps.common.errors import NotFound, PermissionDenied, ValidationFailed
from apps.localrules.models import LocalRule
from apps.localrules.selectors import local_value
from apps.localrules.services import clear_value, set_value
from apps.places.tests.factories import county, town

KEY = "OPINION_REPLY_WORKING_DAYS"


def test_the_county_office_sets_the_county_value_and_a_town_override(world):
    set_value(actor=world.county_user, region=world.county, key=KEY, value=12, reason="县里统一")
    set_value(actor=world.county_user, region=world.town_a, key=KEY, value="8")
    assert local_value(KEY, world.town_a) == 8
    assert local_value(KEY, world.town_b) == 12
    row = LocalRule.objects.get(region=world.town_a, key=KEY)
    assert row.value == 8 and row.updated_by == world.county_user


def test_a_change_is_seen_at_once_although_values_are_cached(world):
    assert local_value(KEY, world.town_a) == 15  # now cached
    set_value(actor=world.county_user, region=world.county, key=KEY, value=20)
    assert local_value(KEY, world.town_a) == 20


def test_each_change_is_audited_with_the_old_and_new_value(world):
    set_value(actor=world.county_user, region=world.town_a, key=KEY, value=10, reason="试点")
    set_value(actor=world.county_user, region=world.town_a, key=KEY, value=11)
    clear_value(actor=world.county_user, region=world.town_a, key=KEY, reason="取消试点")
    events = list(AuditEvent.objects.filter(object_type="localrules.localrule").order_by("id"))
    assert [(e.action, e.summary["old"], e.summary["new"]) for e in events] == [
        ("localrule.set", None, 10),
        ("localrule.set", 10, 11),
        ("localrule.cleared", 11, None),
    ]
    assert events[0].reason == "试点" and events[0].object_id == f"{world.town_a.code}/{KEY}"
    assert events[0].actor == world.county_user


def test_clearing_a_town_override_falls_back_to_the_county_then_the_default(world):
    set_value(actor=world.county_user, region=world.county, key=KEY, value=12)
    set_value(actor=world.county_user, region=world.town_a, key=KEY, value=8)
    clear_value(actor=world.county_user, region=world.town_a, key=KEY)
    assert local_value(KEY, world.town_a) == 12
    clear_value(actor=world.county_user, region=world.county, key=KEY)
    assert local_value(KEY, world.town_a) == 15
    assert not LocalRule.objects.exists()


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        (KEY, 0, "不能小于 1"),
        (KEY, 61, "不能大于 60"),
        (KEY, "十", "请输入整数"),
        (KEY, True, "请输入整数"),
        ("RECEPTION_DAY_WEEKDAY", 7, "请选择列出的选项之一"),
        ("REPORT_BACK_VOTERS_ONLY", "也许", "请选择“是”或“否”"),
        ("SUGGESTION_NUMBER_FORMAT", "{short}建字{n}号", "须各含一次 {short}、{year}、{n}"),
        # a number says where it is from: the town's short name cannot be left out (issue 16 item 11)
        ("SUGGESTION_NUMBER_FORMAT", "建字〔{year}〕{n}号", "须各含一次 {short}、{year}、{n}"),
        (
            "SUGGESTION_NUMBER_FORMAT",
            "{short}建〔{year}〕{n}号{x}",
            "只能使用 {short}、{year}、{n} 作为占位符",
        ),
        ("MOTION_NUMBER_FORMAT", "案〔{year}〕{n}号", "须各含一次 {short}、{year}、{n}"),
    ],
)
def test_values_are_checked_against_the_declaration(world, key, value, message):
    with pytest.raises(ValidationFailed) as exc:
        set_value(actor=world.county_user, region=world.county, key=key, value=value)
    assert [str(m) for m in exc.value.fields["value"]] == [message]
    assert not LocalRule.objects.exists()


def test_a_numbering_format_is_stored_as_text(world):
    set_value(
        actor=world.county_user,
        region=world.town_a,
        key="SUGGESTION_NUMBER_FORMAT",
        value="{short}镇建〔{year}〕{n}号",
    )
    assert local_value("SUGGESTION_NUMBER_FORMAT", world.village_a) == "{short}镇建〔{year}〕{n}号"


def test_a_minimum_above_the_maximum_is_refused_also_against_a_town_override(world):
    with pytest.raises(ValidationFailed) as exc:
        set_value(actor=world.county_user, region=world.county, key="COMMITMENTS_MIN", value=4)
    assert "最少" in str(exc.value.fields["value"][0])
    set_value(actor=world.county_user, region=world.town_a, key="COMMITMENTS_MAX", value=2)
    with pytest.raises(ValidationFailed) as exc:
        set_value(actor=world.county_user, region=world.county, key="COMMITMENTS_MIN", value=3)
    assert world.town_a.name in str(exc.value.fields["value"][0])


def test_a_county_wide_rule_cannot_be_set_for_a_town(world):
    with pytest.raises(ValidationFailed) as exc:
        set_value(actor=world.county_user, region=world.town_a, key="DUTY_BAND_GOOD", value=85)
    assert "region" in exc.value.fields


def test_an_unknown_or_operational_key_is_refused(world):
    for key in ("NO_SUCH_RULE", "UPLOAD_MAX_BYTES"):
        with pytest.raises(ValidationFailed) as exc:
            set_value(actor=world.county_user, region=world.county, key=key, value=1)
        assert "key" in exc.value.fields


def test_a_village_is_not_a_place_for_rules(world):
    with pytest.raises(ValidationFailed):
        set_value(actor=world.county_user, region=world.village_a, key=KEY, value=5)


def test_a_town_office_cannot_set_even_its_own_town_and_the_refusal_is_recorded(world):
    with pytest.raises(PermissionDenied):
        set_value(actor=world.town_user, region=world.town_a, key=KEY, value=5)
    assert AuditEvent.objects.filter(action="access.denied", actor=world.town_user).exists()
    assert not LocalRule.objects.exists()


@pytest.mark.parametrize("role", ["town_office", "station_keeper", "deputy", "unit_staff"])
def test_no_other_role_can_set_the_county_value(world, role):
    user = {
        "town_office": world.town_user,
        "station_keeper": world.keeper_user,
        "deputy": world.deputy_user,
        "unit_staff": world.unit_user,
    }[role]
    with pytest.raises((NotFound, PermissionDenied)):
        set_value(actor=user, region=world.county, key=KEY, value=5)
    assert not LocalRule.objects.exists()


def test_another_countys_office_gets_not_found(world):
    other = county("610922", "石泉县")
    town(other, "610922100", "城关镇")
    stranger = user_with("county_office", "other-county", region=other)
    with pytest.raises(NotFound):
        set_value(actor=stranger, region=world.town_a, key=KEY, value=5)
    with pytest.raises(NotFound):
        set_value(actor=stranger, region=world.county, key=KEY, value=5)


def test_an_admin_may_set_values(world, admin_user):
    set_value(actor=admin_user, region=world.county, key=KEY, value=14)
    assert local_value(KEY, world.town_b) == 14
