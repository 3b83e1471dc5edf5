"""立案号 come from a locked series row: running per town and year, never twice, never an error when two
clerks register at the same moment."""

import threading

import pytest
from django.db import connection

from apps.common.models import Counter
from apps.suggestions import services
from apps.suggestions.models import Suggestion

from .test_lifecycle import submitted


@pytest.mark.django_db
def test_numbers_run_per_town_and_year_and_continue_an_existing_ledger(world):
    first = submitted(world)
    # a number the ledger already held (imported or seeded) before the series existed
    Suggestion.objects.filter(pk=first.pk).update(number=f"城关建〔{first.created_at.year}〕1号")
    second = services.act(actor=world.town_user, item=submitted(world), key="register")
    third = services.act(actor=world.town_user, item=submitted(world), key="register")
    year = second.submitted_on.year
    assert (second.number, third.number) == (f"城关建〔{year}〕2号", f"城关建〔{year}〕3号")
    assert Counter.objects.get(key=f"suggestion:{world.town_a.pk}:{year}").value == 3


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks")
@pytest.mark.django_db(transaction=True)
def test_two_registrations_at_the_same_moment_get_two_numbers_and_no_error(world):
    items = [submitted(world) for _ in range(4)]
    barrier, results = threading.Barrier(len(items)), []

    def run(item):
        try:
            barrier.wait()
            results.append(services.act(actor=world.town_user, item=item, key="register").number)
        except Exception as exc:  # any error is the failure this test is about
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(item,)) for item in items]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(isinstance(r, str) for r in results), results
    assert len(set(results)) == len(items)
