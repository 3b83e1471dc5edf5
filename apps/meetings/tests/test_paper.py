"""Deputies without phones (issue 16 item 2): many checked in at once (ticked or scanned from the card's
代表码), an open vote's paper ballot recorded by one staff member and confirmed by another, a secret vote's
paper ballots handed to named deputies and their counted totals entered and confirmed by two tellers, the
result adding the box's totals to the paper's, and a vote voided when more ballots come back than deputies
present."""

import pytest

from apps.accounts.tests.factories import user_with
from apps.audit.models import AuditEvent
from apps.common.errors import DomainError, PermissionDenied
from apps.meetings import services
from apps.meetings.models import Attendee, OpenBallot, Vote, VoteParticipation
from apps.meetings.services.paper import card_codes

from .factories import add_deputies, decrypt, open_with_vote, plan, ready

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk2(world):
    return user_with("town_office", "town2", region=world.town_a)


def test_card_codes_are_read_from_the_scanned_address_or_the_bare_code():
    code = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    text = f"https://renda.example/d/{code}/\n{code.upper().replace('-', '')} junk"
    assert card_codes(text) == [code.replace("-", "")] * 2


def test_staff_check_in_many_by_ticks_and_scanned_cards(world):
    deputies = add_deputies(world, 3)
    meeting = plan(world)
    services.open_checkin(actor=world.town_user, meeting_id=meeting.pk)
    ticked = meeting.attendees.get(deputy=deputies[0])
    scanned = f"http://x/d/{deputies[1].public_code}/\nhttp://x/d/{deputies[2].public_code}/\n" + (
        "00000000-0000-0000-0000-000000000000"
    )
    out = services.staff_check_in_many(
        actor=world.town_user, meeting_id=meeting.pk, attendee_ids=[ticked.pk], scanned=scanned
    )
    assert sorted(out["checked_in"]) == sorted(d.name for d in deputies)
    assert out["unknown"] == ["0" * 32]
    assert meeting.attendees.filter(checked_in_at__isnull=False, checkin_method="staff").count() == 3
    again = services.staff_check_in_many(
        actor=world.town_user, meeting_id=meeting.pk, attendee_ids=[ticked.pk]
    )
    assert again["checked_in"] == [] and again["already"] == [ticked.name]
    assert AuditEvent.objects.filter(action="meeting.checkin.staff_bulk").count() == 2
    with pytest.raises(DomainError):
        services.staff_check_in_many(actor=world.town_user, meeting_id=meeting.pk)
    other = plan(world, town=world.town_b)
    with pytest.raises(DomainError) as exc:
        services.staff_check_in_many(actor=world.town_user, meeting_id=other.pk, attendee_ids=[ticked.pk])
    assert exc.value.status == 404


def test_open_vote_paper_ballot_needs_a_second_staff_member_and_excludes_the_phone(world, clerk2):
    ready(world)
    _meeting, vote = open_with_vote(world, [world.deputy_a, world.deputy_a2])
    pending = services.record_paper_ballot(
        actor=world.town_user, vote_id=vote.pk, deputy_id=world.deputy_a2.pk, choice="against"
    )
    with pytest.raises(PermissionDenied):  # not by the one who recorded it
        services.confirm_paper_ballot(actor=world.town_user, vote_id=vote.pk, deputy_id=pending.deputy_id)
    with pytest.raises(DomainError):  # entered twice
        services.record_paper_ballot(
            actor=clerk2, vote_id=vote.pk, deputy_id=world.deputy_a2.pk, choice="for"
        )
    ballot = services.confirm_paper_ballot(actor=clerk2, vote_id=vote.pk, deputy_id=pending.deputy_id)
    assert (ballot.paper, ballot.recorded_by, ballot.confirmed_by) == (True, world.town_user, clerk2)
    with pytest.raises(DomainError) as exc:  # the deputy's phone is refused: one ballot per deputy
        services.cast(actor=world.deputy_a2.user, vote_id=vote.pk, choice="for")
    assert exc.value.status == 409
    services.cast(actor=world.deputy_user, vote_id=vote.pk, choice="for")
    with pytest.raises(DomainError):  # a phone ballot cannot be entered again on paper
        services.record_paper_ballot(
            actor=world.town_user, vote_id=vote.pk, deputy_id=world.deputy_a.pk, choice="for"
        )
    services.close_vote(actor=world.town_user, vote_id=vote.pk)
    v = Vote.objects.get(pk=vote.pk)
    assert (v.votes_for, v.votes_against, v.phone_ballots, v.paper_ballots) == (1, 1, 1, 1)
    confirmed = AuditEvent.objects.get(action="meeting.vote.paper_confirmed")
    assert (
        confirmed.summary["recorded_by"] == world.town_user.pk
        and confirmed.summary["confirmed_by"] == clerk2.pk
    )


def test_paper_ballot_for_a_deputy_not_checked_in_is_refused(world):
    ready(world)
    _meeting, vote = open_with_vote(world, [world.deputy_a])
    with pytest.raises(DomainError) as exc:
        services.record_paper_ballot(
            actor=world.town_user, vote_id=vote.pk, deputy_id=world.deputy_a2.pk, choice="for"
        )
    assert "deputy" in exc.value.fields


def _secret_with_paper(world, n_paper):
    """A secret vote: deputy_a votes on the phone, `n_paper` more deputies get paper ballots."""
    ready(world)
    extra = add_deputies(world, n_paper)
    meeting, vote = open_with_vote(world, [world.deputy_a, world.deputy_a2, *extra], secret=True)
    services.cast(actor=world.deputy_user, vote_id=vote.pk, choice="for")
    services.issue_paper_ballots(actor=world.town_user, vote_id=vote.pk, deputy_ids=[d.pk for d in extra])
    return meeting, vote, extra


def test_secret_vote_adds_teller_confirmed_paper_totals_to_the_decrypted_box(world):
    _meeting, vote, extra = _secret_with_paper(world, 3)
    with pytest.raises(DomainError):  # a paper ballot's deputy cannot vote on the phone too
        services.cast(actor=extra[0].user, vote_id=vote.pk, choice="against")
    with pytest.raises(DomainError):  # nor be handed a second paper ballot, nor one the phone voter
        services.issue_paper_ballots(actor=world.town_user, vote_id=vote.pk, deputy_ids=[world.deputy_a.pk])
    assert VoteParticipation.objects.filter(vote=vote, paper=True).count() == 3
    services.close_vote(actor=world.town_user, vote_id=vote.pk)
    totals = {"issued": 3, "returned": 3, "valid": 2, "void": 1, "for": 1, "against": 1, "abstain": 0}
    office, deputy_teller = world.town_user, world.deputy_user  # the meeting's two tellers
    with pytest.raises(DomainError) as exc:  # must add up
        services.enter_paper_totals(actor=office, vote_id=vote.pk, totals={**totals, "valid": 3})
    assert "valid" in exc.value.fields
    with pytest.raises(PermissionDenied):  # not a teller
        services.enter_paper_totals(actor=extra[0].user, vote_id=vote.pk, totals=totals)
    services.enter_paper_totals(actor=office, vote_id=vote.pk, totals=totals)
    decrypt(world)  # the box is decrypted: still waiting for the paper totals' confirmation
    assert Vote.objects.get(pk=vote.pk).state == "counting"
    with pytest.raises(PermissionDenied):  # not by the one who entered them
        services.confirm_paper_totals(actor=office, vote_id=vote.pk)
    services.confirm_paper_totals(actor=deputy_teller, vote_id=vote.pk)
    v = Vote.objects.get(pk=vote.pk)
    assert v.state == "closed" and not v.voided
    assert (v.votes_for, v.votes_against, v.votes_abstain) == (2, 1, 0)
    assert (v.phone_ballots, v.paper_ballots, v.present, v.not_voted) == (1, 3, 5, 1)
    assert (v.paper_entered_by, v.paper_confirmed_by) == (office, deputy_teller)
    assert AuditEvent.objects.filter(action="meeting.vote.paper_totals_confirmed").exists()


def test_a_deputy_who_is_no_teller_is_refused_the_paper_totals_and_the_refusal_is_logged(world):
    _meeting, vote, extra = _secret_with_paper(world, 1)
    services.close_vote(actor=world.town_user, vote_id=vote.pk)
    totals = {"issued": 1, "returned": 1, "valid": 1, "void": 0, "for": 1, "against": 0, "abstain": 0}
    with pytest.raises(PermissionDenied) as exc:
        services.enter_paper_totals(actor=extra[0].user, vote_id=vote.pk, totals=totals)
    assert (exc.value.status, exc.value.code) == (403, "permission_denied")
    assert str(exc.value.message) == "只有本次会议的监票人可以录入纸质票统计"
    assert Vote.objects.get(pk=vote.pk).paper_entered_by is None
    refused = AuditEvent.objects.get(action="access.denied", actor=extra[0].user)  # after the rollback
    assert refused.summary == {"attempted": "meeting.vote.paper_totals_entered"}
    assert (refused.object_type, refused.object_id) == ("meetings.vote", str(vote.pk))


def test_more_ballots_back_than_deputies_present_voids_the_secret_vote(world):
    _meeting, vote, _extra = _secret_with_paper(world, 2)
    services.close_vote(actor=world.town_user, vote_id=vote.pk)
    decrypt(world)
    # 4 present, 1 phone ballot, 2 paper ballots handed out, 3 came back: more than handed out, and phones
    # + paper returned = 4 ... the first is enough to void it.
    totals = {"issued": 2, "returned": 3, "valid": 3, "void": 0, "for": 3, "against": 0, "abstain": 0}
    services.enter_paper_totals(actor=world.town_user, vote_id=vote.pk, totals=totals)
    services.confirm_paper_totals(actor=world.deputy_user, vote_id=vote.pk)
    v = Vote.objects.get(pk=vote.pk)
    assert v.voided and v.adopted is False and v.state == "closed"


def test_a_secret_vote_without_paper_is_stored_when_decrypted(world):
    ready(world)
    meeting, vote = open_with_vote(world, [world.deputy_a, world.deputy_a2], secret=True)
    services.cast(actor=world.deputy_user, vote_id=vote.pk, choice="for")
    services.close_vote(actor=world.town_user, vote_id=vote.pk)
    decrypt(world)
    v = Vote.objects.get(pk=vote.pk)
    assert (v.state, v.votes_for, v.phone_ballots, v.paper_ballots, v.voided) == ("closed", 1, 1, 0, False)
    assert Attendee.objects.filter(meeting=meeting).exists() and not OpenBallot.objects.exists()


def test_the_office_page_checks_in_in_bulk_and_runs_the_paper_desk(world, clerk2):
    from django.test import Client
    from django.urls import reverse

    def page(user):
        c = Client()
        c.force_login(user)
        return c

    ready(world)
    extra = add_deputies(world, 2)
    meeting = plan(world)
    first, second = page(world.town_user), page(clerk2)
    act = lambda action: reverse("meetings:act", args=[meeting.pk, action])  # noqa: E731
    seats = [meeting.attendees.get(deputy=d).pk for d in (world.deputy_a, world.deputy_a2)]
    html = first.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert 'form="bulk-checkin"' in html and 'name="scanned"' in html
    r = first.post(act("checkin_bulk"), {"attendee": seats, "scanned": f"/d/{extra[0].public_code}/"})
    assert r.status_code == 302
    assert meeting.attendees.filter(checked_in_at__isnull=False).count() == 3
    services.open_meeting(actor=world.town_user, meeting_id=meeting.pk)
    vote = services.create_vote(
        actor=world.town_user, meeting_id=meeting.pk, agenda_item_id=meeting.agenda.first().pk
    )
    services.open_vote(actor=world.town_user, vote_id=vote.pk)
    html = first.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "纸质票" in html and "paper_record" in html
    first.post(act("paper_record"), {"vote": vote.pk, "deputy": extra[0].pk, "choice": "for"})
    assert (
        "须由另一名工作人员复核" in first.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    )
    second.post(act("paper_confirm"), {"vote": vote.pk, "deputy": extra[0].pk, "accept": "1"})
    assert OpenBallot.objects.get(vote=vote, deputy=extra[0]).paper
    r = first.post(act("paper_record"), {"vote": vote.pk, "deputy": "99999999999999", "choice": "for"})
    assert r.status_code in (302, 400)  # a field error, never a 500


def test_the_tellers_enter_and_confirm_paper_totals_on_the_office_page(world):
    from django.test import Client
    from django.urls import reverse

    meeting, vote, extra = _secret_with_paper(world, 2)
    services.close_vote(actor=world.town_user, vote_id=vote.pk)
    office = Client()
    office.force_login(world.town_user)  # a teller (tellers_of: the town office and deputy A)
    act = reverse("meetings:act", args=[meeting.pk, "paper_totals"])
    html = office.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "录入清点结果" in html
    r = office.post(act, {"vote": vote.pk, "issued": "2", "returned": "2", "valid": "9" * 30})
    assert r.status_code in (302, 400)  # a field error, never a 500
    assert Vote.objects.get(pk=vote.pk).paper_returned is None
    totals = {
        "issued": "2",
        "returned": "2",
        "valid": "2",
        "void": "0",
        "for": "0",
        "against": "2",
        "abstain": "0",
    }
    office.post(act, {"vote": vote.pk, **totals})
    assert Vote.objects.get(pk=vote.pk).paper_entered_by == world.town_user
    decrypt(world)
    services.confirm_paper_totals(actor=world.deputy_user, vote_id=vote.pk)
    v = Vote.objects.get(pk=vote.pk)
    assert (v.votes_for, v.votes_against, v.phone_ballots, v.paper_ballots) == (1, 2, 1, 2)
    assert len(extra) == 2
