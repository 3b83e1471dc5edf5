"""Planning, check-in, quorum, ballots, closing and duty records (DOMAIN §5, §8)."""

from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.models import Role, RoleGrant
from apps.audit.models import AuditEvent
from apps.common.errors import NotFound, PermissionDenied, ValidationFailed
from apps.duty.models import ActivityKind, DutyRecord
from apps.meetings import selectors, services
from apps.meetings.models import (
    Attendee,
    MeetingKind,
    MeetingState,
    OpenBallot,
    Vote,
    VoteParticipation,
    VoteState,
)
from apps.people.models import Deputy, MandateStatus

from .factories import add_deputies, attendee_of, check_in_all, decrypt, open_with_vote, plan, ready


def test_plan_expects_every_in_office_deputy_of_the_towns_current_term(world):
    extra = add_deputies(world, 3)
    gone = add_deputies(world, 1, prefix="辞职")[0]
    gone.mandates.update(status=MandateStatus.RESIGNED)
    meeting = plan(world, non_voting=["镇长 王强"])
    voting = set(meeting.attendees.filter(voting=True).values_list("deputy_id", flat=True))
    assert voting == {world.deputy_a.pk, world.deputy_a2.pk, *(d.pk for d in extra)}
    assert world.deputy_b.pk not in voting  # another town's congress
    assert meeting.attendees.filter(voting=False, name="镇长 王强").exists()
    assert AuditEvent.objects.filter(action="meeting.planned", object_id=str(meeting.pk)).exists()


def test_another_towns_office_cannot_plan_here(world):
    with pytest.raises(NotFound):  # another town is out of sight: like a missing one (issue #13)
        plan(world, user=world.town_b_user)


def test_congress_sitting_opens_only_with_two_thirds_of_all_deputies(world):
    deputies = [*ready(world), *add_deputies(world, 4)]  # 6 deputies: quorum 4
    meeting = plan(world)
    check_in_all(meeting, world.town_user, only=deputies[:3])
    leave = attendee_of(meeting, deputies[5])
    services.decide_leave(
        actor=world.town_user, meeting_id=meeting.pk, attendee_id=leave.pk, approve=True, reason="住院"
    )
    with pytest.raises(ValidationFailed) as exc:  # leave does not reduce the quorum
        services.open_meeting(actor=world.town_user, meeting_id=meeting.pk)
    assert exc.value.code == "no_quorum"
    check_in_all(meeting, world.town_user, only=deputies[3:4])
    services.open_meeting(actor=world.town_user, meeting_id=meeting.pk)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.OPEN
    assert meeting.session.opened_at is not None


def test_presidium_meeting_needs_no_quorum(world):
    meeting = plan(world, kind=MeetingKind.PRESIDIUM)
    services.open_meeting(actor=world.town_user, meeting_id=meeting.pk)
    assert meeting.__class__.objects.get(pk=meeting.pk).state == MeetingState.OPEN


def test_deputy_checks_in_by_phone_only_while_checkin_is_open_and_by_qr_with_the_door_token(world):
    meeting = plan(world)
    with pytest.raises(services.MeetingConflict):
        services.check_in(actor=world.deputy_user, meeting_id=meeting.pk)
    services.open_checkin(actor=world.town_user, meeting_id=meeting.pk)
    meeting.refresh_from_db()
    with pytest.raises(ValidationFailed):
        services.check_in(actor=world.deputy_user, meeting_id=meeting.pk, token="wrong")
    with pytest.raises(ValidationFailed):  # a token beyond ASCII is a wrong token, not a 500
        services.check_in(actor=world.deputy_user, meeting_id=meeting.pk, token="签到码")
    a = services.check_in(actor=world.deputy_user, meeting_id=meeting.pk, token=meeting.checkin_token)
    assert a.checkin_method == Attendee.Method.QR and a.checked_in_at and not a.late
    assert AuditEvent.objects.filter(action="meeting.checkin", object_id=str(meeting.pk)).exists()


def test_a_login_that_is_no_deputy_is_refused_check_in_and_leave_and_each_refusal_is_logged(world):
    meeting = plan(world)
    services.open_checkin(actor=world.town_user, meeting_id=meeting.pk)
    with pytest.raises(PermissionDenied) as exc:
        services.check_in(actor=world.town_user, meeting_id=meeting.pk)
    assert (exc.value.status, str(exc.value.message)) == (403, "只有代表本人可以签到")
    with pytest.raises(PermissionDenied) as exc:
        services.request_leave(actor=world.town_user, meeting_id=meeting.pk, reason="外出")
    assert (exc.value.status, str(exc.value.message)) == (403, "只有代表本人可以请假")
    refused = AuditEvent.objects.filter(action="access.denied", actor=world.town_user).order_by("id")
    assert [e.summary["attempted"] for e in refused] == ["meeting.checkin", "meeting.leave.requested"]
    assert {(e.object_type, e.object_id) for e in refused} == {("meetings.meeting", str(meeting.pk))}


def test_staff_check_in_after_opening_is_late(world):
    meeting = plan(world, kind=MeetingKind.PRESIDIUM)
    services.open_meeting(actor=world.town_user, meeting_id=meeting.pk)
    a = services.staff_check_in(
        actor=world.town_user, meeting_id=meeting.pk, attendee_id=attendee_of(meeting, world.deputy_a2).pk
    )
    assert a.late and a.checkin_method == Attendee.Method.STAFF


def test_deputy_asks_for_leave_and_the_office_decides(world):
    meeting = plan(world)
    with pytest.raises(ValidationFailed):
        services.request_leave(actor=world.deputy_user, meeting_id=meeting.pk, reason="  ")
    a = services.request_leave(actor=world.deputy_user, meeting_id=meeting.pk, reason="外出务工")
    assert a.leave == Attendee.Leave.REQUESTED
    a = services.decide_leave(actor=world.town_user, meeting_id=meeting.pk, attendee_id=a.pk, approve=True)
    assert a.leave == Attendee.Leave.APPROVED and a.leave_reason == "外出务工"
    with pytest.raises(NotFound):  # another town's meeting is out of sight
        services.decide_leave(actor=world.town_b_user, meeting_id=meeting.pk, attendee_id=a.pk, approve=False)


def test_more_than_half_of_all_deputies_with_absentees(world):
    """30 deputies, 20 present: 14 for fails although most of those present support it; 16 for passes."""
    deputies = [*ready(world), *add_deputies(world, 28)]
    present = deputies[:20]
    meeting, vote = open_with_vote(world, present, kind=MeetingKind.PLENARY)
    for d in present[:14]:
        services.cast(actor=d.user, vote_id=vote.pk, choice="for")
    for d in present[14:18]:
        services.cast(actor=d.user, vote_id=vote.pk, choice="against")
    closed = services.close_vote(actor=world.town_user, vote_id=vote.pk)
    assert (closed.total_deputies, closed.present, closed.votes_for, closed.votes_against) == (30, 20, 14, 4)
    assert (closed.votes_abstain, closed.not_voted, closed.adopted) == (0, 2, False)
    item = vote.agenda_item
    again = services.create_vote(actor=world.town_user, meeting_id=meeting.pk, agenda_item_id=item.pk)
    assert again.round == 2
    services.open_vote(actor=world.town_user, vote_id=again.pk)
    for d in present[:16]:
        services.cast(actor=d.user, vote_id=again.pk, choice="for")
    assert services.close_vote(actor=world.town_user, vote_id=again.pk).adopted is True
    first = Vote.objects.get(pk=vote.pk)
    assert (first.round, first.votes_for, first.adopted) == (1, 14, False)  # round 1 stays as it was


def test_double_vote_is_refused_and_change_only_when_allowed(world):
    meeting, vote = open_with_vote(world, [world.deputy_a])
    services.cast(actor=world.deputy_user, vote_id=vote.pk, choice="for")
    with pytest.raises(services.AlreadyVoted):
        services.cast(actor=world.deputy_user, vote_id=vote.pk, choice="against")
    assert OpenBallot.objects.get(vote=vote).choice == "for"

    item = vote.agenda_item
    services.close_vote(actor=world.town_user, vote_id=vote.pk)
    v2 = services.create_vote(
        actor=world.town_user, meeting_id=meeting.pk, agenda_item_id=item.pk, allow_change=True
    )
    services.open_vote(actor=world.town_user, vote_id=v2.pk)
    services.cast(actor=world.deputy_user, vote_id=v2.pk, choice="for")
    services.cast(actor=world.deputy_user, vote_id=v2.pk, choice="abstain")
    ballot = OpenBallot.objects.get(vote=v2)
    assert ballot.choice == "abstain" and ballot.changed_at is not None
    assert OpenBallot.objects.filter(vote=v2).count() == 1


def test_vote_after_close_and_without_check_in_are_refused(world):
    _meeting, vote = open_with_vote(world, [world.deputy_a])
    other = add_deputies(world, 1)[0]  # added after planning: not expected at this meeting
    with pytest.raises(NotFound):
        services.cast(actor=other.user, vote_id=vote.pk, choice="for")
    _meeting2, vote2 = open_with_vote(world, [world.deputy_a2])
    with pytest.raises(ValidationFailed) as exc:
        services.cast(actor=world.deputy_user, vote_id=vote2.pk, choice="for")
    assert exc.value.code == "not_checked_in"
    services.close_vote(actor=world.town_user, vote_id=vote.pk)
    with pytest.raises(services.VoteClosed):
        services.cast(actor=world.deputy_user, vote_id=vote.pk, choice="for")


@pytest.mark.parametrize("lose", ["grant", "login"])
def test_a_login_that_lost_its_deputy_grant_cannot_vote_on_what_it_read_before(world, lose):
    """A phone's socket (or a cached token) holds the grants it read when it connected; the ballot's own read
    checks them again, so a revoked grant or a deactivated login casts nothing."""
    _meeting, vote = open_with_vote(world, [world.deputy_a])
    user = type(world.deputy_user).objects.get(pk=world.deputy_user.pk)
    assert services.own_deputy_id(user) == world.deputy_a.pk  # grants read and held on the object
    if lose == "grant":
        RoleGrant.objects.filter(user=user, role=Role.DEPUTY).delete()
    else:
        type(user).objects.filter(pk=user.pk).update(is_active=False)
    with pytest.raises(PermissionDenied) as exc:
        services.cast(actor=user, vote_id=vote.pk, choice="for")
    assert str(exc.value.message) == "只有代表本人可以投票"
    assert not OpenBallot.objects.filter(vote=vote).exists()
    refused = AuditEvent.objects.get(action="access.denied", actor=user)  # written after the rollback
    assert (refused.summary["attempted"], refused.object_id) == ("meeting.vote.cast", str(vote.pk))


def test_vote_past_its_set_time_refuses_ballots_and_closes_on_sweep(world):
    _meeting, vote = open_with_vote(world, [world.deputy_a])
    Vote.objects.filter(pk=vote.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(services.VoteClosed):
        services.cast(actor=world.deputy_user, vote_id=vote.pk, choice="for")
    assert services.close_due_votes() == 1
    closed = Vote.objects.get(pk=vote.pk)
    assert closed.state == VoteState.CLOSED and closed.closed_by is None and closed.not_voted == 1


def test_close_stores_the_result_once_and_a_second_close_is_refused(world):
    _meeting, vote = open_with_vote(world, ready(world))
    services.cast(actor=world.deputy_user, vote_id=vote.pk, choice="for")
    closed = services.close_vote(actor=world.town_user, vote_id=vote.pk)
    assert (closed.total_deputies, closed.present, closed.votes_for, closed.not_voted) == (2, 2, 1, 1)
    assert closed.adopted is False  # 1 of 2 is not more than half
    with pytest.raises(services.VoteClosed):
        services.close_vote(actor=world.town_user, vote_id=vote.pk)
    assert AuditEvent.objects.filter(action="meeting.vote.closed", object_id=str(vote.pk)).count() == 1


@pytest.mark.parametrize("secret", [False, True])
def test_close_costs_the_same_number_of_queries_for_10_and_60_deputies(world, secret):
    counts = []
    for n in (10, 60):
        deputies = add_deputies(world, n, prefix=f"q{n}_")
        meeting, vote = open_with_vote(world, deputies, secret=secret)
        for d in deputies[: n // 2]:
            services.cast(actor=d.user, vote_id=vote.pk, choice="for")
        with CaptureQueriesContext(connection) as ctx:
            services.close_vote(actor=world.town_user, vote_id=vote.pk)
        counts.append(len(ctx.captured_queries))
        if secret:
            decrypt(world)
        closed = Vote.objects.get(pk=vote.pk)
        assert closed.votes_for == n // 2 and closed.not_voted == n - n // 2
        assert DutyRecord.objects.filter(source_id=str(vote.pk), kind=ActivityKind.VOTE).count() == n // 2
        services.close_meeting(actor=world.town_user, meeting_id=meeting.pk)
    assert counts[0] == counts[1] <= (30 if secret else 16), counts


def test_duty_records_are_appended_once_at_close(world):
    deputies = [*ready(world), *add_deputies(world, 2)]
    meeting, vote = open_with_vote(world, deputies[:3], kind=MeetingKind.PLENARY)
    services.cast(actor=world.deputy_user, vote_id=vote.pk, choice="for")
    services.cast(actor=deputies[2].user, vote_id=vote.pk, choice="against")
    services.close_vote(actor=world.town_user, vote_id=vote.pk)
    assert DutyRecord.objects.filter(kind=ActivityKind.VOTE).count() == 2
    services.append_vote_records(Vote.objects.get(pk=vote.pk), meeting)  # re-run adds nothing
    assert DutyRecord.objects.filter(kind=ActivityKind.VOTE).count() == 2
    services.close_meeting(actor=world.town_user, meeting_id=meeting.pk)
    kinds = dict(DutyRecord.objects.exclude(kind=ActivityKind.VOTE).values_list("deputy_id", "kind"))
    assert kinds == {
        deputies[0].pk: ActivityKind.SESSION_ATTENDANCE,
        deputies[1].pk: ActivityKind.SESSION_ATTENDANCE,
        deputies[2].pk: ActivityKind.SESSION_ATTENDANCE,
        deputies[3].pk: ActivityKind.ABSENCE,
    }
    services.append_attendance_records(meeting)
    assert DutyRecord.objects.count() == 6
    with pytest.raises(services.MeetingConflict):
        services.close_meeting(actor=world.town_user, meeting_id=meeting.pk)


def test_approved_leave_counts_as_leave_in_duty_records(world):
    meeting = plan(world, kind=MeetingKind.PRESIDIUM)
    a = services.request_leave(actor=world.deputy_user, meeting_id=meeting.pk, reason="出差")
    services.decide_leave(actor=world.town_user, meeting_id=meeting.pk, attendee_id=a.pk, approve=True)
    services.open_meeting(actor=world.town_user, meeting_id=meeting.pk)
    services.close_meeting(actor=world.town_user, meeting_id=meeting.pk)
    kinds = dict(DutyRecord.objects.values_list("deputy_id", "kind"))
    assert kinds == {world.deputy_a.pk: ActivityKind.LEAVE, world.deputy_a2.pk: ActivityKind.ABSENCE}


CHOICE_WORDS = {"for", "against", "abstain", "赞成", "反对", "弃权"}


def _values(value):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _values(k)
            yield from _values(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _values(v)
    else:
        yield value


def _row_values(row) -> list:
    out = []
    for f in row._meta.concrete_fields:
        if isinstance(f, models.CharField | models.TextField | models.JSONField):
            out += list(_values(getattr(row, f.attname)))
    return out


def _names_deputy(row, deputies) -> bool:
    ids, names = {d.pk for d in deputies}, {d.name for d in deputies}
    for f in row._meta.concrete_fields:
        if f.is_relation and f.related_model is Deputy and getattr(row, f.attname) in ids:
            return True
    for f in row._meta.concrete_fields:
        if isinstance(f, models.JSONField):
            data = getattr(row, f.attname) or {}
            if isinstance(data, dict) and any(data.get(k) in ids for k in ("deputy", "deputy_id")):
                return True
    return any(isinstance(v, str) and any(n in v for n in names) for v in _row_values(row))


def test_secret_ballot_leaves_no_link_between_a_deputy_and_a_choice(world):
    deputies = ready(world)
    deputies += add_deputies(world, 2)
    _meeting, vote = open_with_vote(world, deputies, secret=True)
    for d, c in zip(deputies, ["for", "against", "abstain", "for"], strict=True):
        services.cast(actor=d.user, vote_id=vote.pk, choice=c)
    with pytest.raises(services.AlreadyVoted):
        services.cast(actor=world.deputy_user, vote_id=vote.pk, choice="against")
    vote = services.close_vote(actor=world.town_user, vote_id=vote.pk)
    assert vote.state == VoteState.COUNTING and vote.votes_for is None  # the tellers have not decrypted yet
    decrypt(world)
    vote.refresh_from_db()
    assert vote.state == VoteState.CLOSED
    assert (vote.votes_for, vote.votes_against, vote.votes_abstain, vote.not_voted) == (2, 1, 1, 0)
    assert not OpenBallot.objects.filter(vote=vote).exists()
    assert VoteParticipation.objects.filter(vote=vote).count() == 4
    # Who has voted is stored without any time or choice (only whether on a paper ballot, issue 16).
    assert {f.name for f in VoteParticipation._meta.concrete_fields} == {"id", "vote", "deputy", "paper"}
    casts = AuditEvent.objects.filter(action__startswith="meeting.vote.cast")
    assert casts.count() == 4 and all("choice" not in ev.summary for ev in casts)
    # No row of any table holds a choice together with one of the deputies.
    checked = 0
    for model in django_apps.get_models():
        for row in model._default_manager.all():
            checked += 1
            if CHOICE_WORDS & {v for v in _row_values(row) if isinstance(v, str)}:
                assert not _names_deputy(row, deputies), (model._meta.label, row.pk)
    assert checked > 50


def test_live_state_shape_and_constant_queries(world, django_assert_max_num_queries):
    deputies = add_deputies(world, 12)
    meeting, vote = open_with_vote(world, deputies[:9])
    for d in deputies[:5]:
        services.cast(actor=d.user, vote_id=vote.pk, choice="for")
    meeting.refresh_from_db()
    with django_assert_max_num_queries(6):
        state = selectors.live_state(meeting, "hall")
    assert state["attendance"] == {
        "total": 14,
        "present": 9,
        "on_leave": 0,
        "absent": 5,
        "quorum": 10,
        "quorum_met": False,
        "congress": False,
        "quorum_label": "未达到",
    }
    v = state["vote"]
    assert (v["id"], v["for"], v["voted"], v["not_voted"], v["needed"], v["state"]) == (
        vote.pk,
        5,
        5,
        4,
        8,
        "open",
    )
    assert state["not_voted"] == [] and state["ballots"] == []
    chair = selectors.live_state(meeting, "chair")
    assert len(chair["not_voted"]) == 4 and len(chair["ballots"]) == 5
    assert chair["version"] >= state["version"] > 0
    services.close_vote(actor=world.town_user, vote_id=vote.pk)
    meeting.refresh_from_db()
    after = selectors.live_state(meeting, "chair")
    assert after["vote"]["state"] == "closed" and after["vote"]["adopted"] is False
    assert after["ballots"] == [] and after["version"] > chair["version"]


def test_an_open_secret_vote_shows_only_how_many_have_voted(world):
    deputies = ready(world)
    meeting, vote = open_with_vote(world, deputies, secret=True)
    services.cast(actor=world.deputy_user, vote_id=vote.pk, choice="against")
    meeting.refresh_from_db()
    v = selectors.live_state(meeting, "chair")["vote"]
    assert (v["for"], v["against"], v["abstain"], v["voted"], v["choices_hidden"]) == (
        None,
        None,
        None,
        1,
        True,
    )
    services.close_vote(actor=world.town_user, vote_id=vote.pk)
    meeting.refresh_from_db()
    v = selectors.live_state(meeting, "hall")["vote"]  # closed, not yet decrypted by the tellers
    assert (v["state"], v["for"], v["voted"], v["choices_hidden"]) == ("counting", None, 1, True)
    decrypt(world)
    meeting.refresh_from_db()
    v = selectors.live_state(meeting, "hall")["vote"]
    assert (v["state"], v["for"], v["against"], v["voted"], v["choices_hidden"]) == ("closed", 0, 1, 1, False)
