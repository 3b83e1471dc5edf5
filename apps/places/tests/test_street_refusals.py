"""A refusal about a street's object says the street's words (议事员, 街道人大工委办); about a township's, the
township's (DOMAIN §1): the messages take them from `apps.places.terms`."""

from datetime import datetime

import pytest
from django.utils import timezone

from apps.common.errors import ValidationFailed
from apps.meetings import services as meetings
from apps.places.terms import STREET, TOWNSHIP
from apps.suggestions.tests.factories import draft
from apps.workflow.importing import ByName

pytestmark = pytest.mark.django_db


def _meeting(actor, region):
    starts = timezone.make_aware(datetime(2026, 5, 3, 9, 0))
    return meetings.plan_meeting(
        actor=actor, region=region, kind="presidium", title="工作会议", starts_at=starts
    )


def _refusal(call) -> str:
    with pytest.raises(ValidationFailed) as err:
        call()
    return str(err.value.message)


def test_the_terms_give_their_words_for_messages():
    assert STREET.words()["here"] == "本街道" and TOWNSHIP.words()["here"] == "本镇"
    assert STREET.words()["own_deputies"] == "本街道代表和议事员"


def test_a_co_signer_from_elsewhere_is_refused_in_the_street_s_words(street):
    w = street
    text = _refusal(
        lambda: draft(
            w, actor=w.member_user, title="关于文峰社区增设停车位的建议", co_signers=[w.deputy_a.pk]
        )
    )
    assert text == "联名代表须是本街道代表和议事员"
    text = _refusal(lambda: draft(w, co_signers=[w.member.pk]))
    assert text == "联名代表须是本镇代表"


def test_a_teller_from_elsewhere_is_refused_in_the_street_s_words(street):
    w = street
    meeting = _meeting(w.street_user, w.street)
    text = _refusal(
        lambda: meetings.name_tellers(actor=w.street_user, meeting_id=meeting.pk, user_ids=[w.town_user.pk])
    )
    assert text == "监票人须为本次会议的议事员或街道人大工委办工作人员"
    meeting = _meeting(w.town_user, w.town_a)
    text = _refusal(
        lambda: meetings.name_tellers(actor=w.town_user, meeting_id=meeting.pk, user_ids=[w.street_user.pk])
    )
    assert text == "监票人须为本次会议的代表或镇人大办工作人员"


def test_a_ledger_import_names_the_street_where_nothing_was_found(street):
    assert ByName([], what="承办单位", town=street.street).find("水务局")[1] == "本街道找不到承办单位“水务局”"
    assert ByName([], what="承办单位", town=street.town_a).find("水务局")[1] == "本镇找不到承办单位“水务局”"
