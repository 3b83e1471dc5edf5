"""The secret ballot [law] of an electronic round, played by the attacker (issue 15): a full copy of the
database after the round is counted (every row of every table, the audit log, the box's public data and,
on PostgreSQL, the system columns xmin and ctid), everything but the tellers' codes, tells no deputy's
choice: what is stored about two deputies who chose differently is the same, no counter of a choice moves
with a ballot, and only the combined totals are ever decrypted."""

import json
from collections import Counter

import pytest
from django.apps import apps
from django.db import connection, models

from apps.audit.models import AuditEvent
from apps.ballotbox import crypto
from apps.ballotbox.models import Box, Sealed
from apps.ballotbox.selectors import public_data, verification
from apps.elections.models import BallotLine, Participation, Round, RoundState, WriteInTally
from apps.people.models import Deputy

from .factories import Hall

F, A, X = "for", "against", "abstain"
PLAN = [F, A, A, F, X, F, A, F, F, X, F, A]  # deputy i's choice for the single candidate


def _vote(hall):
    post = hall.post("head")
    (a,) = hall.candidates(post, ["王明"])
    e = hall.open(post)
    for i, choice in enumerate(PLAN):
        hall.cast(e, i, {a.pk: choice})
    return e, a


@pytest.fixture
def counted(world):
    hall = Hall(world, total=12)
    e, a = _vote(hall)
    # Every ballot is in; no counter of a choice has moved (nothing a ballot's transaction wrote tells it).
    assert list(
        BallotLine.objects.filter(round=e).values_list("votes_for", "votes_against", "votes_abstain")
    ) == [(0, 0, 0)]
    assert not WriteInTally.objects.exists()
    e = hall.close(e)
    return hall, e, a


def test_counter_tables_hold_no_link_to_a_deputy_user_or_time():
    for model in (BallotLine, WriteInTally, Round):
        for f in model._meta.get_fields():
            if f.is_relation and f.related_model is not None and f.concrete:
                assert f.related_model not in (Deputy, apps.get_model("accounts", "User")) or model is Round
    assert {f.name for f in BallotLine._meta.concrete_fields} == {
        "id", "round", "candidate", "order", "votes_for", "votes_against", "votes_abstain",
    }  # fmt: skip
    assert {f.name for f in WriteInTally._meta.concrete_fields} == {"id", "round", "name", "count"}
    # Participation says who took part, nothing of what or when.
    assert {f.name for f in Participation._meta.concrete_fields} == {"id", "round", "deputy", "paper"}


def _mask(value, refs):
    """A value with the references to one deputy (their pk, their user's pk, their name) made neutral."""
    if isinstance(value, dict):
        return {k: _mask(v, refs) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(v, refs) for v in value]
    if isinstance(value, str):
        for name in refs["names"]:
            value = value.replace(name, "<name>")
        return value
    return value


def _footprint(refs) -> Counter:
    """Every row of every table that names this deputy (by deputy, by user, by name), with the reference,
    the row's own id, times and hashes made neutral: what the database says about them."""
    out = Counter()
    for model in apps.get_models():
        if model._meta.app_label in ("people", "accounts"):
            continue  # the person and their login: the same whatever they chose
        fields = model._meta.concrete_fields
        for row in model._default_manager.all().values(*[f.attname for f in fields]):
            named = False
            kept = {}
            for f in fields:
                v = row[f.attname]
                if f.is_relation and f.related_model is Deputy and v == refs["deputy"]:
                    named, v = True, "<deputy>"
                elif (
                    f.is_relation
                    and f.related_model is apps.get_model("accounts", "User")
                    and v == refs["user"]
                ):
                    named, v = True, "<user>"
                elif (
                    isinstance(f, models.JSONField)
                    and isinstance(v, dict)
                    and v.get("deputy") == refs["deputy"]
                ):
                    named, v = True, {**v, "deputy": "<deputy>"}
                elif isinstance(v, str) and any(n in v for n in refs["names"]):
                    named = True
                if f.primary_key or isinstance(f, models.DateTimeField | models.DateField) or f.name in (
                    "seq", "prev_hash", "entry_hash", "actor_label", "last_login", "password", "username",
                ):  # fmt: skip
                    v = "<x>"
                kept[f.attname] = _mask(v, refs)
            if named:
                out[
                    (model._meta.label, json.dumps(kept, sort_keys=True, ensure_ascii=False, default=str))
                ] += 1
    return out


def test_two_deputies_who_chose_differently_leave_the_same_trace(counted):
    """The attacker's best evidence about a deputy is what the database holds that names them; it is the
    same for a deputy who voted 反对 and one who voted 赞成, so it tells the choice no better than chance."""
    hall, e, _a = counted
    assert e.state == RoundState.COUNTED
    feet = {}
    for i in (2, 3, 4):  # against, for, abstain (0 has the fixtures' other rows, 1 is a teller)
        deputy = hall.deputies[i]
        refs = {"deputy": deputy.pk, "user": hall.user(i).pk, "names": [deputy.name]}
        feet[PLAN[i]] = _footprint(refs)
    assert feet[A] and feet[A] == feet[F] == feet[X], {k: sorted(v) for k, v in feet.items()}
    labels = {label for label, _row in feet[A]}
    assert {"elections.Participation", "audit.AuditEvent"} <= labels


def test_no_row_names_a_deputy_beside_a_choice_and_the_audit_names_no_choice(counted):
    hall, e, _a = counted
    choice_words = {F, A, X, "赞成", "反对", "弃权"}
    deputy_ids = {d.pk for d in hall.deputies}
    for ev in AuditEvent.objects.filter(action="election.ballot_cast"):
        assert set(ev.summary) == {"round", "deputy"} and ev.summary["round"] == e.pk
    assert AuditEvent.objects.filter(action="election.ballot_cast").count() == len(PLAN)
    for model in apps.get_models():
        for row in model._default_manager.all().values():
            blob = json.dumps(row, ensure_ascii=False, default=str)
            names_deputy = (
                any(k in ("deputy_id", "deputy") and v in deputy_ids for k, v in row.items())
                or '"deputy": ' in blob
            )
            if names_deputy:
                assert not any(f'"{w}"' in blob for w in choice_words), (model._meta.label, row)


def test_the_tellers_decrypt_the_combined_totals_only_and_anyone_can_check_them(counted):
    _hall, e, a = counted
    box = Box.objects.get(object_id=e.pk, content_type__model="round")
    assert box.state == "tallied"
    data = public_data(box)
    assert crypto.verify(data) == [] and verification(box, fresh=True)["ok"]
    # one row (the candidate), three options: the totals are the plan's counts, and nothing else was
    # decrypted: one partial decryption per teller, of the combined row, with as many entries as positions
    assert data["totals"] == [PLAN.count(F), PLAN.count(A), PLAN.count(X)]
    assert len(data["ballots"]) == len(PLAN) == Sealed.objects.filter(box=box).count()
    for teller in data["tellers"]:
        assert len(teller["partial"]) == box.positions == len(data["combined"])
    # the published totals are the decryption of the combination of the published ballots
    combined = crypto.combine(box.positions, data["ballots"])
    assert [[p.hex(), q.hex()] for p, q in combined] == data["combined"]
    line = BallotLine.objects.get(round=e, candidate=a)
    assert (line.votes_for, line.votes_against, line.votes_abstain) == tuple(data["totals"])
    assert e.outcomes.get().votes == PLAN.count(F)


def test_a_retried_or_duplicate_ballot_is_counted_once(world):
    from apps.common.errors import DomainError

    hall = Hall(world, total=12)
    post = hall.post("head")
    (a,) = hall.candidates(post, ["王明"])
    e = hall.open(post)
    hall.cast(e, 0, {a.pk: F})
    for choice in (F, A):  # the same request again, or a changed mind: refused, nothing moves
        with pytest.raises(DomainError) as err:
            hall.cast(e, 0, {a.pk: choice})
        assert err.value.status == 409
    e.refresh_from_db()
    assert (e.ballots_cast, e.ballots_valid) == (1, 1)
    assert Participation.objects.filter(round=e).count() == 1
    assert Sealed.objects.filter(box__object_id=e.pk).count() == 1
    e = hall.close(e)
    assert e.outcomes.get().votes == 1 and BallotLine.objects.get(round=e).votes_for == 1


def test_counting_then_counted_and_the_screens_show_the_result_after_the_last_share(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    from apps.elections import selectors, services
    from apps.meetings import live

    published = []
    monkeypatch.setattr(
        live, "publish", lambda meeting_id, final=False, **kw: published.append((meeting_id, final))
    )

    hall = Hall(world, total=12)
    post = hall.post("head")
    (a,) = hall.candidates(post, ["王明"])
    e = hall.open(post)
    for i in range(9):
        hall.cast(e, i, {a.pk: F})
    e = services.close_and_count(actor=world.town_user, round_id=e.pk)
    assert e.state == RoundState.COUNTING and e.get_state_display() == "计票中，待监票人解密"
    t = selectors.tally(Round.objects.get(pk=e.pk))
    assert not t["counted"] and t["rows"][0]["votes_for"] is None and not e.outcomes.exists()
    assert (e.total_deputies, e.present, e.ballots_issued) == (12, 12, 12) and e.closed_at
    hall.shares(hall.tellers[:1])
    e.refresh_from_db()
    assert e.state == RoundState.COUNTING  # one teller's share decrypts nothing
    with django_capture_on_commit_callbacks(execute=True):
        hall.shares(hall.tellers[1:])
    assert published == [(hall.meeting.pk, True)]  # every screen gets the final state at once
    e.refresh_from_db()
    assert e.state == RoundState.COUNTED
    t = selectors.tally(e)
    assert t["counted"] and t["rows"][0]["votes_for"] == 9 and t["rows"][0]["result"] == "elected"
    counted = AuditEvent.objects.get(action="election.counted", object_id=str(e.pk))
    assert counted.actor_id == world.town_user.pk and counted.summary["outcomes"] == {"王明": [9, "elected"]}


def test_opening_without_tellers_or_their_keys_is_refused(world):
    from apps.common.errors import DomainError
    from apps.elections import services

    hall = Hall(world, total=12)
    post = hall.post("head")
    hall.candidates(post, ["王明"])
    hall.meeting.tellers.clear()
    with pytest.raises(DomainError) as err:
        services.start(actor=world.town_user, post_id=post.pk)
    assert err.value.code == "no_tellers" and not post.rounds.exists()
    hall.name_tellers()
    e = services.start(actor=world.town_user, post_id=post.pk)
    with pytest.raises(DomainError) as err:
        services.open_ballot(actor=world.town_user, round_id=e.pk)
    assert err.value.status == 409 and err.value.code == "teller_keys_missing"
    assert Round.objects.get(pk=e.pk).state == RoundState.READY
    hall.open_round(e)
    assert Round.objects.get(pk=e.pk).state == RoundState.OPEN


@pytest.mark.django_db(transaction=True)
def test_no_ballot_transaction_touches_a_counter_of_a_choice_on_postgresql(world):
    """xmin and ctid of every row of every table: the transactions that wrote a deputy's participation
    wrote the same tables for every deputy, and never a row of a choice's counters."""
    if connection.vendor != "postgresql":
        pytest.skip("system columns are PostgreSQL's")
    hall = Hall(world, total=12)
    post = hall.post("head")
    (a,) = hall.candidates(post, ["王明"])
    e = hall.open(post)
    tables = [m._meta.db_table for m in apps.get_models() if m._meta.managed and not m._meta.proxy]

    def system_columns():
        seen = {}
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f'SELECT xmin::text, ctid::text FROM "{table}"')
                seen[table] = cursor.fetchall()
        return seen

    before = system_columns()
    for i, choice in enumerate(PLAN):
        hall.cast(e, i, {a.pk: choice})
    after = system_columns()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT deputy_id, xmin::text FROM elections_participation WHERE round_id = %s", [e.pk]
        )
        ballot_tx = dict(cursor.fetchall())
    assert len(ballot_tx) == len(PLAN) and len(set(ballot_tx.values())) == len(PLAN)
    # the counters' rows are as they were: not rewritten (same ctid) by any ballot
    assert after["elections_ballotline"] == before["elections_ballotline"]
    assert after["elections_writeintally"] == before["elections_writeintally"] == []
    # every ballot's transaction wrote the same tables, one row each, whatever the choice (the round's row,
    # whose cast counter every ballot moves, shows only the last one)
    touched = {
        tx: Counter(t for t, rows in after.items() for x, _c in rows if x == tx and t != "elections_round")
        for tx in ballot_tx.values()
    }
    shapes = {tuple(sorted(c.items())) for c in touched.values()}
    assert len(shapes) == 1, shapes
    (shape,) = shapes
    assert "elections_ballotline" not in dict(shape) and "elections_writeintally" not in dict(shape)
    assert set(dict(shape)) <= {
        "elections_participation", "ballotbox_sealed", "audit_auditevent", "elections_round",
    }  # fmt: skip
    hall.close(e)
    line = BallotLine.objects.get(round=e)
    assert (line.votes_for, line.votes_against, line.votes_abstain) == (
        PLAN.count(F), PLAN.count(A), PLAN.count(X),
    )  # fmt: skip


def test_a_round_the_count_makes_without_tellers_gets_its_box_when_it_opens(world):
    from apps.common.errors import DomainError
    from apps.elections import boxes, services
    from apps.elections.models import RoundKind

    hall = Hall(world, total=12)
    post = hall.post("head")
    a, b = hall.candidates(post, ["王明", "李华"])
    e = hall.open(post)
    hall.votes(e, [(6, {a: F}, []), (6, {b: F}, [])])  # 6 each, 7 needed: another round between them
    services.close_and_count(actor=world.town_user, round_id=e.pk)
    hall.meeting.tellers.clear()  # the tellers are named again for the rest of the sitting
    hall.shares()  # the box's own tellers still decrypt it; the count is not blocked
    another = post.rounds.get(number=2)
    assert another.kind == RoundKind.ANOTHER and boxes.box_of(another) is None
    with pytest.raises(DomainError) as err:
        services.open_ballot(actor=world.town_user, round_id=another.pk)
    assert err.value.code == "no_tellers"
    hall.name_tellers()
    with pytest.raises(DomainError) as err:  # the box is made now, its tellers key it next
        services.open_ballot(actor=world.town_user, round_id=another.pk)
    assert err.value.code == "teller_keys_missing" and boxes.box_of(another).state == "setup"
    hall.open_round(another)
    assert Round.objects.get(pk=another.pk).state == RoundState.OPEN and boxes.box_of(another).state == "open"
