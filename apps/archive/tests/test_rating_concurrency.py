"""Voters rating at the same moment (PostgreSQL row locks): every rating sealed once, a phone twice at once
counted once, and a rating racing the close either sealed before it (and counted) or refused."""

import threading

import pytest
from django.db import connection

from apps.archive import ballots, services
from apps.archive.models import RatingParticipation, ReportBackSpeaker
from apps.ballotbox.models import Sealed
from apps.common.errors import DomainError

from .factories import ballot, open_meeting, tally

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


@pytest.fixture
def anyone(settings):
    settings.RENDA = {
        **settings.RENDA,
        "REPORT_BACK_VOTERS_ONLY": False,
        "REPORT_BACK_ATTEMPTS_PER_IP_HOUR": 10**6,
    }


def _rate(world, m, n):
    return services.cast_rating(token=m.rating_token, phone=f"139{n:08d}", choices=ballot(world))


def test_ratings_at_once_are_each_sealed_once_and_a_phone_twice_counts_once(world, anyone):
    m = open_meeting(world)
    results = race(8, lambda i: _rate(world, m, i % 6))
    kinds = sorted(k for k, _r in results)
    assert kinds == ["ok"] * 6 + ["refused"] * 2, results
    assert RatingParticipation.objects.filter(meeting=m).count() == Sealed.objects.count() == 6


def test_a_rating_racing_the_close_is_counted_before_it_or_refused(world, anyone):
    m = open_meeting(world, expected=1)

    def work(i):
        if i == 0:
            return services.close_rating(actor=world.town_user, meeting_id=m.pk)
        return _rate(world, m, i)

    _rate(world, m, 0)  # one rating before: enough to close
    results = race(6, work)
    assert not [r for k, r in results if k == "error"], results
    m = tally(world, m)
    sealed = Sealed.objects.filter(box=ballots.rating_box(m)).count()
    assert m.state == "closed" and m.participants == sealed
    assert RatingParticipation.objects.filter(meeting=m).count() == sealed
    a = ReportBackSpeaker.objects.get(meeting=m, deputy=world.deputy_a)
    assert a.satisfied == sealed
