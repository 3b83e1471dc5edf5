"""Deputies voting at the same moment (PostgreSQL row locks): every ballot counted once, a double ballot
refused, and a ballot racing the close either counted before it or refused."""

import threading

import pytest
from django.db import connection

from apps.ballotbox.models import Sealed
from apps.common.errors import DomainError
from apps.elections import services
from apps.elections.models import Participation, Round

from .factories import Hall

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks"),
    pytest.mark.django_db(transaction=True),
]


def race(n, work):
    barrier, results = threading.Barrier(n), []

    def run(i):
        try:
            barrier.wait()
            results.append(("ok", work(i)))
        except DomainError as exc:
            results.append(("refused", exc))
        except Exception as exc:  # anything else is a bug: surfaced by the assertions
            results.append(("error", exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _round(world):
    hall = Hall(world, total=12)
    post = hall.post("head")
    (a,) = hall.candidates(post, ["王明"])
    users = [hall.user(i) for i in range(12)]
    return hall, hall.open(post), a, users


def test_ballots_cast_at_once_are_each_counted_once(world):
    hall, e, a, users = _round(world)
    results = race(8, lambda i: services.cast_ballot(actor=users[i], round_id=e.pk, choices={a.pk: "for"}))
    assert [k for k, _r in results] == ["ok"] * 8
    fresh = Round.objects.get(pk=e.pk)
    assert fresh.ballots_cast == fresh.ballots_valid == 8
    assert (
        Participation.objects.filter(round=e).count()
        == Sealed.objects.filter(box__object_id=e.pk).count()
        == 8
    )
    fresh = hall.close(fresh)
    assert fresh.lines.get().votes_for == 8


def test_the_same_deputy_twice_at_once_counts_once(world):
    _hall, e, a, users = _round(world)
    results = race(4, lambda i: services.cast_ballot(actor=users[0], round_id=e.pk, choices={a.pk: "for"}))
    assert sorted(k for k, _r in results) == ["ok", "refused", "refused", "refused"]
    assert Round.objects.get(pk=e.pk).ballots_cast == 1


def test_a_ballot_racing_the_close_is_counted_before_it_or_refused(world):
    hall, e, a, users = _round(world)

    def work(i):
        if i == 0:
            return services.close_and_count(actor=world.town_user, round_id=e.pk)
        return services.cast_ballot(actor=users[i], round_id=e.pk, choices={a.pk: "for"})

    results = race(6, work)
    assert not [r for k, r in results if k == "error"], results
    assert Round.objects.get(pk=e.pk).state == "counting"
    hall.shares()
    fresh = Round.objects.get(pk=e.pk)
    assert fresh.state == "counted"
    assert Sealed.objects.filter(box__object_id=e.pk).count() == fresh.ballots_cast
    assert fresh.ballots_cast == Participation.objects.filter(round=e).count() == fresh.lines.get().votes_for
    assert fresh.outcomes.get().votes == fresh.ballots_cast
