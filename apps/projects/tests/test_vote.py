"""The vote's rules (issue 19 part 3, DOMAIN §6): the competitive ratio before the vote opens, a void
ballot, more than half of ALL deputies, a tie at the last place re-voted among the tied, a further round
for unfilled places as the presidium decides; the result stored once and the adopted projects made."""

import pytest

from apps.accounts.models import Role, RoleGrant, User
from apps.common.errors import DomainError
from apps.localrules.models import LocalRule
from apps.projects import rules, services
from apps.projects.models import Project, RoundKind

from .conftest import Vote


def test_the_ratio_needs_more_candidates_than_places_and_the_local_minimum():
    assert rules.ratio_problem(candidates=10, places=10, min_percent=100)
    assert rules.ratio_problem(candidates=19, places=10, min_percent=200)
    assert rules.ratio_problem(candidates=20, places=10, min_percent=200) == ""
    assert rules.ratio_problem(candidates=11, places=10, min_percent=110) == ""


def test_a_ballot_marking_more_than_the_places_is_void():
    assert rules.void(marked=3, places=2)
    assert not rules.void(marked=2, places=2)


def test_the_list_cannot_be_put_to_the_vote_below_the_ratio(world):
    v = Vote(world, titles=("村道硬化", "饮水安全", "路灯"))  # 3 candidates for 2 places: under 2:1
    with pytest.raises(DomainError, match="差额"):
        v.step("present")
    services.add_candidate(actor=v.office, list_id=v.cl.pk, data={"title": "文化广场", "budget": "20"})
    assert v.step("present").state == "presented"


def test_a_township_may_set_its_own_ratio(world):
    LocalRule.objects.create(key="PROJECT_MIN_RATIO_PERCENT", region=world.town_a, value=150)
    v = Vote(world, titles=("村道硬化", "饮水安全", "路灯"))
    assert v.step("present").state == "presented"


def test_the_phone_refuses_a_ballot_that_would_be_void_and_it_is_not_counted(vote):
    vote.open()
    with pytest.raises(DomainError) as exc:
        vote.ballot(0, *vote.c[:3])
    assert exc.value.code == "project_ballot_void"
    assert vote.cl.rounds.get().ballots_cast == 0


def test_paper_ballots_void_ones_count_as_void_not_for_any_project(vote):
    first, second = vote.hall.tellers  # the town office and a deputy, named for the sitting
    vote.open()
    for i in range(7):
        vote.ballot(i, vote.c[0], vote.c[1])
    for i in (7, 8):
        services.hand_paper_ballot(actor=vote.office, list_id=vote.cl.pk, deputy_id=vote.hall.deputies[i].pk)
    services.enter_paper_totals(actor=first, list_id=vote.cl.pk, returned=2, void=1, lines={vote.c[2].pk: 1})
    with pytest.raises(DomainError) as exc:  # the one who entered them cannot confirm them
        services.confirm_paper_totals(actor=first, list_id=vote.cl.pk)
    assert exc.value.code == "permission_denied"
    vote.count()  # the tellers open the box: the round waits for the paper totals' confirmation
    assert vote.cl.rounds.get().state == "counting"
    services.confirm_paper_totals(actor=second, list_id=vote.cl.pk)
    counted = vote.cl.rounds.get()
    assert counted.state == "counted" and counted.paper_confirmed_by == second
    assert (counted.ballots_cast, counted.ballots_valid, counted.ballots_void) == (9, 8, 1)
    votes = {ln.candidate_id: ln.votes for ln in counted.lines.all()}
    assert votes == {vote.c[0].pk: 7, vote.c[1].pk: 7, vote.c[2].pk: 1, vote.c[3].pk: 0}


def _other_office(world):
    other = User.objects.create(username="town-office-2")
    RoleGrant.objects.create(user=other, role=Role.TOWN_OFFICE, region=world.town_a)
    return other


def test_only_the_sittings_tellers_enter_and_confirm_paper_totals_and_a_refusal_is_logged(vote):
    from apps.audit.models import AuditEvent

    office = _other_office(vote.world)  # manages the list, but is no teller of the sitting
    first, second = vote.hall.tellers
    vote.open()
    services.hand_paper_ballot(actor=office, list_id=vote.cl.pk, deputy_id=vote.hall.deputies[9].pk)
    with pytest.raises(DomainError) as exc:
        services.enter_paper_totals(actor=office, list_id=vote.cl.pk, returned=1, void=0, lines={})
    assert exc.value.code == "permission_denied" and "监票人" in str(exc.value.message)
    assert vote.cl.rounds.get().paper_totals is None
    services.enter_paper_totals(actor=first, list_id=vote.cl.pk, returned=1, void=0, lines={vote.c[0].pk: 1})
    with pytest.raises(DomainError) as exc:
        services.confirm_paper_totals(actor=office, list_id=vote.cl.pk)
    assert exc.value.code == "permission_denied"
    assert vote.cl.rounds.get().paper_confirmed_by is None
    refused = AuditEvent.objects.filter(action="access.denied", actor=office)
    assert sorted(e.summary["attempted"] for e in refused) == [
        "project_list.paper_confirmed",
        "project_list.paper_totals",
    ]
    assert services.confirm_paper_totals(actor=second, list_id=vote.cl.pk).paper_confirmed_by == second


def test_a_deputy_not_checked_in_is_refused_the_ballot_and_the_refusal_is_logged(world):
    from apps.audit.models import AuditEvent

    v = Vote(world, total=10, present=9)
    v.open()
    late = v.hall.user(9)
    with pytest.raises(DomainError) as exc:
        v.ballot(9, v.c[0])
    assert (exc.value.status, exc.value.code) == (403, "project_not_a_voter")
    assert str(exc.value.message) == "请先签到再投票"
    assert v.cl.rounds.get().ballots_cast == 0
    refused = AuditEvent.objects.get(action="access.denied", actor=late)  # written after the rollback
    assert refused.summary == {"attempted": "project.vote"}
    assert (refused.object_type, refused.object_id) == ("projects.candidatelist", str(v.cl.pk))


def test_adopted_needs_more_than_half_of_all_deputies_not_of_those_present(world):
    v = Vote(world, total=10, present=6)
    v.open()
    for i in range(5):
        v.ballot(i, v.c[0], v.c[1])
    v.ballot(5, v.c[0])
    counted = v.count()
    assert counted.needed == 6  # 10 deputies: more than half is 6, whoever came
    results = {ln.candidate_id: ln.result for ln in counted.lines.all()}
    assert results[v.c[0].pk] == "adopted" and results[v.c[1].pk] == "not_adopted"
    v.cl.refresh_from_db()
    assert v.cl.state == "runoff"  # one place unfilled: the presidium decides on a further round


def _results(round_):
    return {ln.candidate_id: (ln.votes, ln.result) for ln in round_.lines.all()}


def test_a_tie_at_the_last_place_is_revoted_among_the_tied_only(world):
    v = Vote(world, total=12)  # more than half of 12 is 7
    v.open()
    c0, c1, c2, _c3 = v.c
    for i in range(12):
        v.ballot(i, *((c1, c2) if i < 2 else (c0, c1) if i < 7 else (c0, c2)))
    first = v.count()
    assert _results(first)[c0.pk] == (10, "adopted")
    assert _results(first)[c1.pk] == (7, "tied") and _results(first)[c2.pk] == (7, "tied")
    v.cl.refresh_from_db()
    assert v.cl.state == "runoff"
    tie = v.cl.rounds.get(number=2)
    assert tie.kind == RoundKind.TIE and tie.places == 1
    assert {ln.candidate_id for ln in tie.lines.all()} == {c1.pk, c2.pk}
    v.open()
    for i in range(12):
        v.ballot(i, c1 if i < 8 else c2)
    second = v.count()
    assert _results(second)[c1.pk] == (8, "adopted")
    v.cl.refresh_from_db()
    assert v.cl.state == "decided"
    assert set(Project.objects.values_list("candidate_id", flat=True)) == {c0.pk, c1.pk}


def test_unfilled_places_go_to_a_further_round_when_the_presidium_decides(world):
    v = Vote(world, total=10)  # more than half of 10 is 6
    v.open()
    c0, c1, c2, c3 = v.c
    for i in range(10):
        v.ballot(i, c0, (c1, c2, c3)[i % 3])
    first = v.count()
    assert [r for _v, r in _results(first).values()].count("adopted") == 1
    v.cl.refresh_from_db()
    assert v.cl.state == "runoff"
    v.step("further")
    further = v.cl.rounds.get(number=2)
    assert further.kind == RoundKind.FURTHER and further.places == 1
    assert {ln.candidate_id for ln in further.lines.all()} == {c1.pk, c2.pk, c3.pk}
    v.open()
    for i in range(10):
        v.ballot(i, c2 if i < 7 else c3)
    v.count()
    v.cl.refresh_from_db()
    assert v.cl.state == "decided"
    assert set(Project.objects.values_list("candidate_id", flat=True)) == {c0.pk, c2.pk}


def test_the_presidium_may_end_the_vote_with_places_unfilled(world):
    v = Vote(world, total=10)
    v.open()
    for i in range(10):
        v.ballot(i, v.c[0])
    v.count()
    v.step("finish", reason="其余项目列入下年度候选")
    assert v.cl.state == "decided"
    assert list(Project.objects.values_list("candidate_id", flat=True)) == [v.c[0].pk]


def test_a_deputy_votes_once_per_round(vote):
    vote.open()
    vote.ballot(0, vote.c[0])
    with pytest.raises(DomainError) as exc:
        vote.ballot(0, vote.c[1])
    assert exc.value.code == "project_already_voted"


def test_the_counted_result_is_stored_once_and_the_ballots_are_sealed(vote):
    from apps.ballotbox.models import Sealed

    vote.open()
    for i in range(6):
        vote.ballot(i, vote.c[0], vote.c[1])
    assert Sealed.objects.count() == 6
    assert all(ln.votes == 0 for ln in vote.cl.rounds.get().lines.all())  # nothing counted before the tally
    counted = vote.count()
    assert counted.state == "counted" and counted.total_deputies == 10 and counted.ballots_cast == 6
    with pytest.raises(DomainError):
        vote.step("close_vote")


def test_the_paper_totals_pages_enter_then_another_teller_confirms(vote, client):
    first, second = vote.hall.tellers  # the town office and deputy 1
    vote.open()
    for i in range(7):
        vote.ballot(i, vote.c[0], vote.c[1])
    base = f"/projects/lists/{vote.cl.pk}/"
    client.force_login(_other_office(vote.world))  # may hand out ballots, is no teller
    page = client.get(base).content.decode()
    assert "发放纸质选票" in page and "录入纸质选票统计" not in page and "由本次会议的监票人录入" in page
    client.post(base + "paper-ballots/", {"deputy": vote.hall.deputies[7].pk})
    assert client.post(base + "paper-totals/", {"returned": "1", "void": "0"}).status_code == 403
    client.force_login(first)
    assert "录入纸质选票统计" in client.get(base).content.decode()
    client.post(base + "paper-totals/", {"returned": "1", "void": "0", f"c{vote.c[2].pk}": "1"})
    page = client.get(base).content.decode()
    assert "待另一名监票人复核" in page and "复核纸质选票统计" not in page  # not by the one who entered
    assert client.post(base + "paper-confirm/").status_code == 403
    vote.count()
    client.force_login(second)
    assert "复核纸质选票统计" in client.get(base).content.decode()
    answer = client.post(
        f"/api/v1/projects/lists/{vote.cl.pk}/paper-totals/confirm", content_type="application/json"
    )
    assert answer.status_code == 200 and answer.json()["paper_confirmed"], answer.content
    counted = vote.cl.rounds.get()
    assert counted.state == "counted" and counted.ballots_cast == 8
    assert counted.lines.get(candidate=vote.c[2]).votes == 1


def test_the_hall_screen_shows_the_live_count_then_the_result_and_the_minutes_have_it(vote, client):
    from apps.meetings import extras

    vote.open()
    for i in range(7):
        vote.ballot(i, vote.c[0], vote.c[1])
    client.force_login(vote.office)
    hall = f"/meetings/{vote.hall.meeting.pk}/hall/"
    page = client.get(hall).content.decode()
    assert vote.cl.title in page and "已投7票" in page and "投票中" in page
    vote.count()
    page = client.get(hall).content.decode()
    assert "票决通过" in page and vote.c[0].title in page
    (section,) = extras.minutes_sections(vote.hall.meeting)
    assert section[0] == "民生实事项目票决结果" and section[1][1].startswith(f"1. {vote.c[0].title}：7票")


def test_the_list_and_a_project_read_back_whole_through_the_api(world, vote, client):
    """GET of a candidate list (candidates and rounds) and of an adopted project (milestones): the fuzzer
    found both answering 500 when the detail was built as a dict the schema could not read."""
    from apps.projects.models import Milestone, Project

    vote.open()
    for i in range(10):
        vote.ballot(i, vote.c[0], vote.c[1])
    vote.count()
    client.force_login(world.town_user)
    body = client.get(f"/api/v1/projects/lists/{vote.cl.pk}").json()
    assert body["id"] == vote.cl.pk and body["town"] == world.town_a.name and body["state_label"]
    assert [c["id"] for c in body["candidates"]] == [c.pk for c in vote.c]
    assert len(body["rounds"]) == 1
    project = Project.objects.order_by("pk").first()
    Milestone.objects.create(project=project, title="竣工", order=1, due_on=project.adopted_on, budget=10)
    body = client.get(f"/api/v1/projects/items/{project.pk}").json()
    assert body["id"] == project.pk and body["town"] == world.town_a.name and "is_overdue" in body
    assert [m["title"] for m in body["milestones"]] == ["竣工"]
