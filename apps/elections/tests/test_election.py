"""Elections through the services: nomination, the competitive rule, ballots, the count and its rounds."""

import pytest

from apps.common.errors import DomainError, PermissionDenied, ValidationFailed
from apps.elections import services
from apps.elections.models import Outcome, Result, Round, RoundKind, RoundState

from .factories import Hall

F, A, X = "for", "against", "abstain"


@pytest.fixture
def hall(world):
    return Hall(world, total=20)


# --- nomination -------------------------------------------------------------------------------------------


def test_joint_nomination_with_nine_signers_is_refused(hall):
    post = hall.post("vice_chair", seats=2)
    with pytest.raises(ValidationFailed) as e:
        hall.nominate(post, "王明", by="joint", signers=hall.signers(0, 9))
    assert "10名以上" in str(e.value.message)


def test_joint_nomination_with_ten_signers_is_accepted(hall):
    post = hall.post("vice_chair", seats=2)
    c = hall.nominate(post, "王明", by="joint", signers=hall.signers(0, 10))
    assert c.nomination.signers.count() == 10
    assert c.surname_strokes == 4


def test_duplicate_signers_count_once(hall):
    post = hall.post("vice_chair", seats=2)
    with pytest.raises(ValidationFailed):
        hall.nominate(post, "王明", by="joint", signers=hall.signers(0, 9) + hall.signers(0, 1))


def test_a_signer_who_is_not_a_deputy_of_this_congress_is_refused(hall, world):
    post = hall.post("vice_chair", seats=2)
    with pytest.raises(ValidationFailed) as e:
        hall.nominate(post, "王明", by="joint", signers=[*hall.signers(0, 9), world.deputy_b.pk])
    assert world.deputy_b.name in str(e.value.message)


def test_presidium_may_not_nominate_more_than_seats(hall):
    post = hall.post("head", seats=1)
    hall.nominate(post, "王明")
    with pytest.raises(ValidationFailed) as e:
        hall.nominate(post, "李华")
    assert "主席团" in str(e.value.message)


def test_a_deputy_may_not_sign_for_more_candidates_than_seats(hall):
    post = hall.post("head", seats=1)
    hall.nominate(post, "王明", by="joint", signers=hall.signers(0, 10))
    with pytest.raises(ValidationFailed) as e:
        hall.nominate(post, "李华", by="joint", signers=hall.signers(9, 10))
    assert hall.deputies[9].name in str(e.value.message)


def test_the_same_person_is_not_nominated_twice(hall):
    post = hall.post("vice_chair", seats=2)
    hall.nominate(post, "王明")
    with pytest.raises(ValidationFailed):
        hall.nominate(post, "王明", by="joint", signers=hall.signers(0, 10))


# --- competitive rule and ballot order --------------------------------------------------------------------


def test_head_post_with_a_single_candidate_opens(hall):
    post = hall.post("head")
    hall.candidates(post, ["王明"])
    assert hall.open(post).state == RoundState.OPEN


def test_head_post_with_two_candidates_for_one_seat_opens(hall):
    post = hall.post("chair")
    hall.candidates(post, ["王明", "李华"])
    e = hall.open(post)
    assert e.kind == RoundKind.FORMAL and e.lines.count() == 2


def test_head_post_with_three_candidates_goes_to_a_pre_election(hall):
    post = hall.post("head")
    hall.candidates(post, ["王明", "李华", "张强"])
    e = hall.open(post)
    assert e.kind == RoundKind.PRE and e.seats == 2


def test_deputy_post_without_the_margin_is_refused_with_the_rule(hall):
    post = hall.post("vice_chair", seats=2, margin=1)
    hall.candidates(post, ["王明", "李华"])
    with pytest.raises(ValidationFailed) as e:
        services.start(actor=hall.world.town_user, post_id=post.pk)
    assert e.value.code == "not_competitive" and "多1人" in str(e.value.message)
    assert not post.rounds.exists()


def test_deputy_post_with_the_margin_of_two_opens_with_four(hall):
    post = hall.post("deputy_head", seats=2, margin=2)
    hall.candidates(post, ["王明", "李华", "张强", "赵敏"])
    assert hall.open(post).kind == RoundKind.FORMAL


def test_ballot_lists_candidates_by_surname_strokes(hall):
    post = hall.post("vice_chair", seats=2, margin=1)
    hall.candidates(post, ["戴安", "王明", "丁一"])
    e = hall.open(post)
    assert [ln.candidate.name for ln in e.lines.order_by("order")] == ["丁一", "王明", "戴安"]


def test_nomination_closes_when_the_election_starts(hall):
    post = hall.post("head")
    hall.candidates(post, ["王明"])
    hall.open(post)
    with pytest.raises(DomainError):
        hall.nominate(post, "李华", by="joint", signers=hall.signers(0, 10))


# --- ballots ----------------------------------------------------------------------------------------------


def _vice(hall):
    post = hall.post("vice_chair", seats=2, margin=1)
    a, b, c = hall.candidates(post, ["王明", "李华", "张强"])
    return post, hall.open(post), (a, b, c)


def test_a_deputy_casts_once_per_round(hall):
    _post, e, (a, b, _c) = _vice(hall)
    hall.cast(e, 0, {a.pk: F})
    with pytest.raises(DomainError) as err:
        hall.cast(e, 0, {b.pk: F})
    assert err.value.status == 409
    e.refresh_from_db()
    assert e.ballots_cast == 1


def test_a_deputy_not_checked_in_may_not_vote_and_the_refusal_is_logged(world):
    from apps.audit.models import AuditEvent

    hall = Hall(world, total=20, present=15)
    _post, e, (a, _b, _c) = _vice(hall)
    with pytest.raises(PermissionDenied) as exc:
        hall.cast(e, 17, {a.pk: F})
    assert (exc.value.status, exc.value.code) == (403, "permission_denied")
    assert str(exc.value.message) == "请先签到再投票"
    e.refresh_from_db()
    assert e.ballots_cast == 0
    refused = AuditEvent.objects.get(action="access.denied", actor=hall.user(17))  # after the rollback
    assert refused.summary == {"attempted": "election.ballot_cast"}
    assert (refused.object_type, refused.object_id) == ("elections.round", str(e.pk))


def test_a_deputy_of_another_town_may_not_vote(hall, world):
    _post, e, (a, _b, _c) = _vice(hall)
    from apps.accounts.tests.factories import user_with

    other = user_with("deputy", deputy=world.deputy_b)
    with pytest.raises(DomainError) as err:
        services.cast_ballot(actor=other, round_id=e.pk, choices={a.pk: F})
    assert err.value.status == 404


def test_no_ballot_after_close(hall):
    _post, e, (a, _b, _c) = _vice(hall)
    hall.cast(e, 0, {a.pk: F})
    hall.close(e)
    with pytest.raises(DomainError) as err:
        hall.cast(e, 1, {a.pk: F})
    assert err.value.status == 409


def test_bad_choice_is_a_clear_error(hall):
    _post, e, (a, _b, _c) = _vice(hall)
    with pytest.raises(ValidationFailed):
        hall.cast(e, 0, {a.pk: "maybe"})
    with pytest.raises(ValidationFailed):
        hall.cast(e, 0, {999999: F})
    with pytest.raises(ValidationFailed):
        hall.cast(e, 0, {}, ["王明"])  # on the ballot already


def _vice_paper(hall):
    post = hall.post("vice_chair", seats=2, margin=1)
    a, b, c = hall.candidates(post, ["王明", "李华", "张强"])
    return post, hall.open(post, paper=True), (a, b, c)


def test_a_paper_ballot_naming_more_people_than_seats_is_void_and_counts_for_no_one(hall):
    _post, e, (a, b, c) = _vice_paper(hall)
    hall.votes(e, [(1, {a: F, b: F}, ["周某"])])  # 3 names for 2 seats
    hall.votes(e, [(1, {a: F, b: F, c: F}, [])])  # 3 for-votes for 2 seats
    hall.votes(e, [(1, {a: F, b: A}, ["周某"])])  # 2 names: valid
    e.refresh_from_db()
    assert (e.ballots_cast, e.ballots_valid, e.ballots_void) == (3, 1, 2)
    line = e.lines.get(candidate=a)
    assert (line.votes_for, line.votes_against, line.votes_abstain) == (1, 0, 0)
    assert e.lines.get(candidate=c).votes_abstain == 1  # unmarked counts as abstention
    assert e.write_ins.get().count == 1


def test_a_phone_ballot_that_would_be_void_or_writes_in_a_name_is_refused(hall):
    _post, e, (a, b, c) = _vice(hall)
    with pytest.raises(ValidationFailed) as err:
        hall.cast(e, 0, {a.pk: F, b.pk: F, c.pk: F})  # 3 for-votes for 2 seats
    assert "choices" in err.value.fields and "无效" in str(err.value.message)
    with pytest.raises(ValidationFailed) as err:
        hall.cast(e, 0, {a.pk: F}, ["周某"])
    assert "write_ins" in err.value.fields and "纸质选票" in str(err.value.message)
    e.refresh_from_db()
    assert (e.ballots_cast, e.ballots_valid, e.ballots_void) == (0, 0, 0)
    assert not e.participations.exists()
    hall.cast(e, 0, {a.pk: F, b.pk: F})  # two for two seats: accepted
    e.refresh_from_db()
    assert (e.ballots_cast, e.ballots_valid, e.ballots_void) == (1, 1, 0)


def test_write_ins_on_paper_are_counted_by_name(hall):
    _post, e, (a, b, _c) = _vice_paper(hall)
    hall.votes(e, [(3, {a: F, b: A}, ["周某"]), (2, {a: A}, ["周 某", "吴某"])])
    assert dict(e.write_ins.values_list("name", "count")) == {"周某": 5, "吴某": 2}


# --- the count --------------------------------------------------------------------------------------------


def test_elected_needs_more_than_half_of_all_deputies_not_of_those_present(world):
    hall = Hall(world, total=20, present=12)
    post = hall.post("head")
    (a,) = hall.candidates(post, ["王明"])
    e = hall.open(post)
    hall.votes(e, [(10, {a: F}, []), (2, {a: A}, [])])  # 10 of 12 present, but 20 deputies: 11 needed
    e = hall.close(e)
    assert (e.total_deputies, e.present, e.needed) == (20, 12, 11)
    assert e.outcomes.get().result != Result.ELECTED


def test_a_single_candidate_with_eleven_of_twenty_is_elected(hall):
    post = hall.post("head")
    (a,) = hall.candidates(post, ["王明"])
    e = hall.open(post)
    hall.votes(e, [(11, {a: F}, []), (9, {a: A}, [])])
    e = hall.close(e)
    assert e.state == RoundState.COUNTED
    assert e.outcomes.get().result == Result.ELECTED and e.outcomes.get().votes == 11
    assert not post.rounds.filter(number=2).exists()


def test_more_qualifying_than_seats_the_most_votes_win(hall):
    post, e, (a, b, c) = _vice(hall)
    # 王 15, 李 13, 张 12: all reach the 11 needed, two seats.
    hall.votes(e, [(8, {a: F, b: F}, []), (7, {a: F, c: F}, []), (5, {b: F, c: F}, [])])
    e = hall.close(e)
    res = {o.name: (o.votes, o.result) for o in e.outcomes.all()}
    assert res == {
        "王明": (15, Result.ELECTED),
        "李华": (13, Result.ELECTED),
        "张强": (12, Result.NOT_ELECTED),
    }
    assert post.rounds.count() == 1


def test_tie_at_the_edge_revote_round(hall):
    post, e, (a, b, c) = _vice(hall)
    # 王 16, 李 12, 张 12: all reach 11; 王 is elected and 李, 张 tie for the second seat.
    hall.votes(e, [(8, {a: F, b: F}, []), (8, {a: F, c: F}, []), (4, {b: F, c: F}, [])])
    e = hall.close(e)
    res = {o.name: o.result for o in e.outcomes.all()}
    assert res == {"王明": Result.ELECTED, "李华": Result.TIED, "张强": Result.TIED}
    revote = post.rounds.get(number=2)
    assert revote.kind == RoundKind.REVOTE and revote.seats == 1 and revote.parent == e
    assert sorted(ln.candidate.name for ln in revote.lines.all()) == ["张强", "李华"]
    hall.open_round(revote)
    hall.votes(revote, [(13, {b: F}, []), (7, {c: F}, [])])
    revote = hall.close(revote)
    assert {o.name: o.result for o in revote.outcomes.all()} == {
        "李华": Result.ELECTED,
        "张强": Result.NOT_ELECTED,
    }


def test_unfilled_seat_goes_to_another_round_among_the_next_highest(world):
    hall = Hall(world, total=20)
    post = hall.post("deputy_head", seats=2, margin=1)
    a, b, c = hall.candidates(post, ["王明", "李华", "张强"])
    e = hall.open(post)
    # 王 12 elected; 李 9 and 张 5 short of 11: one seat unfilled, 2 candidates for it (1 seat + margin 1).
    hall.votes(e, [(9, {a: F, b: F}, []), (3, {a: F}, []), (5, {c: F}, []), (3, {}, [])])
    e = hall.close(e)
    res = {o.name: o.result for o in e.outcomes.all()}
    assert res == {"王明": Result.ELECTED, "李华": Result.NEXT_ROUND, "张强": Result.NEXT_ROUND}
    another = post.rounds.get(number=2)
    assert another.kind == RoundKind.ANOTHER and another.seats == 1
    assert "另行选举" in e.result_note
    hall.open_round(another)
    hall.votes(another, [(10, {b: F}, []), (10, {c: F}, [])])
    another = hall.close(another)  # neither has 11: a third round among the same two
    assert post.rounds.get(number=3).kind == RoundKind.ANOTHER


def test_another_round_takes_only_the_next_highest(world):
    hall = Hall(world, total=30)
    post = hall.post("deputy_head", seats=2, margin=2)
    a, b, c, d = hall.candidates(post, ["王明", "李华", "张强", "赵敏"])
    e = hall.open(post)
    # needed 16. 王 20 elected; others 12, 8, 3: 1 seat left, 1 + margin 2 = 3 candidates: all the rest.
    hall.votes(e, [(12, {a: F, b: F}, []), (8, {a: F, c: F}, []), (3, {d: F}, []), (7, {}, [])])
    e = hall.close(e)
    another = post.rounds.get(number=2)
    assert sorted(ln.candidate.name for ln in another.lines.all()) == sorted(["李华", "张强", "赵敏"])


def test_a_single_candidate_who_fails_leaves_the_post_to_be_nominated_again(world):
    hall = Hall(world, total=20)
    post = hall.post("head")
    (a,) = hall.candidates(post, ["王明"])
    e = hall.open(post)
    hall.votes(e, [(8, {a: F}, []), (12, {a: A}, [])])
    e = hall.close(e)
    assert "重新提名" in e.result_note and post.rounds.count() == 1


def test_a_write_in_reaching_the_needed_votes_is_elected(hall):
    post = hall.post("head")
    (a,) = hall.candidates(post, ["王明"])
    e = hall.open(post, paper=True)
    hall.votes(e, [(12, {a: A}, ["周某"]), (8, {a: F}, [])])
    e = hall.close(e)
    won = e.outcomes.get(result=Result.ELECTED)
    assert won.name == "周某" and won.written_in and won.candidate.name == "周某"


def test_void_election_when_more_paper_ballots_than_issued(hall):
    post = hall.post("vice_chair", seats=2, margin=1)
    a, b, _c = hall.candidates(post, ["王明", "李华", "张强"])
    e = hall.open(post, paper=True, issued=3)
    for _i in range(4):
        services.record_paper_ballot(actor=hall.world.town_user, round_id=e.pk, choices={a.pk: F, b.pk: F})
    e = hall.close(e)
    assert e.state == RoundState.VOID and "无效" in e.result_note
    assert not e.outcomes.exists()
    repeat = post.rounds.get(number=2)
    assert repeat.kind == RoundKind.REPEAT and repeat.paper and repeat.lines.count() == 3


def test_paper_ballots_equal_to_issued_are_counted(hall):
    post = hall.post("head")
    (a,) = hall.candidates(post, ["王明"])
    e = hall.open(post, paper=True, issued=20)
    for choice in [F] * 15 + [A] * 5:
        services.record_paper_ballot(actor=hall.world.town_user, round_id=e.pk, choices={a.pk: choice})
    e = hall.close(e)
    assert e.state == RoundState.COUNTED and e.outcomes.get().result == Result.ELECTED


def test_pre_election_narrows_the_list_and_orders_the_formal_ballot_by_its_votes(world):
    hall = Hall(world, total=30)
    post = hall.post("head")
    a, b, c = hall.candidates(post, ["王明", "李华", "张强"])
    pre = hall.open(post)
    assert pre.kind == RoundKind.PRE
    hall.votes(pre, [(10, {c: F, b: F}, []), (8, {c: F}, []), (5, {a: F}, [])])  # 张 18, 李 10, 王 5
    pre = hall.close(pre)
    results = dict(pre.outcomes.values_list("name", "result"))
    assert results == {"张强": Result.ADVANCED, "李华": Result.ADVANCED, "王明": Result.NOT_ELECTED}
    formal = post.rounds.get(number=2)
    assert formal.kind == RoundKind.FORMAL
    assert [ln.candidate.name for ln in formal.lines.order_by("order")] == ["张强", "李华"]


def test_opening_twice_or_counting_a_closed_round_is_refused(hall):
    _post, e, _ = _vice(hall)
    with pytest.raises(DomainError):
        services.open_ballot(actor=hall.world.town_user, round_id=e.pk)
    hall.close(e)
    with pytest.raises(DomainError):
        hall.close(e)
    assert Round.objects.get(pk=e.pk).closed_at is not None
    assert Outcome.objects.filter(round=e).count() == 3


def test_another_town_office_cannot_run_this_election(hall, world):
    post, e, (_a, _b, _c) = _vice(hall)
    for call in (
        lambda: services.close_and_count(actor=world.town_b_user, round_id=e.pk),
        lambda: services.nominate(actor=world.town_b_user, post_id=post.pk, by="presidium", name="某"),
        lambda: services.create_post(actor=world.town_b_user, meeting_id=hall.meeting.pk, kind="head"),
        lambda: services.record_paper_ballot(actor=world.town_b_user, round_id=e.pk, choices={}),
    ):
        with pytest.raises(DomainError) as err:
            call()
        assert err.value.status in (403, 404)


def test_a_deputy_cannot_run_the_election(hall, world):
    _post, e, _ = _vice(hall)
    with pytest.raises(DomainError) as err:
        services.close_and_count(actor=world.deputy_user, round_id=e.pk)
    assert err.value.status in (403, 404)


def test_elections_are_held_only_at_a_sitting_of_the_congress(hall, world):
    hall.meeting.kind = "group"
    hall.meeting.save()
    with pytest.raises(ValidationFailed) as e:
        hall.post("head")
    assert "全体会议" in str(e.value.message)


def test_no_electronic_round_opens_after_the_sitting_closed(hall, world):
    post = hall.post("head")
    hall.candidates(post, ["王明"])
    e = services.start(actor=world.town_user, post_id=post.pk)
    hall.meeting.state = "closed"
    hall.meeting.save()
    with pytest.raises(DomainError) as err:
        services.open_ballot(actor=world.town_user, round_id=e.pk)
    assert err.value.status == 409


def test_electronic_ballots_issued_are_the_checked_in_deputies(world):
    hall = Hall(world, total=20, present=14)
    post = hall.post("head")
    (a,) = hall.candidates(post, ["王明"])
    e = hall.open(post)
    hall.votes(e, [(11, {a: "for"}, [])])
    e = hall.close(e)
    assert (e.total_deputies, e.present, e.ballots_issued, e.ballots_cast) == (20, 14, 14, 11)
    assert e.outcomes.get().result == Result.ELECTED


def test_a_tie_at_the_pre_election_edge_is_voted_again_then_the_formal_list_follows(world):
    hall = Hall(world, total=30)
    post = hall.post("head")
    a, b, c = hall.candidates(post, ["王明", "李华", "张强"])
    pre = hall.open(post)
    hall.votes(pre, [(10, {c: F}, []), (6, {a: F}, []), (6, {b: F}, [])])  # 张 10, 王 6, 李 6: two places
    pre = hall.close(pre)
    again = post.rounds.get(number=2)
    assert again.kind == RoundKind.PRE and again.seats == 1
    assert sorted(ln.candidate.name for ln in again.lines.all()) == ["李华", "王明"]
    hall.open_round(again)
    hall.votes(again, [(9, {b: F}, []), (5, {a: F}, [])])
    hall.close(again)
    formal = post.rounds.get(number=3)
    assert formal.kind == RoundKind.FORMAL
    assert [ln.candidate.name for ln in formal.lines.order_by("order")] == ["张强", "李华"]
