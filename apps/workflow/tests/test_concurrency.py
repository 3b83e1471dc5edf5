"""Two people acting on the same item at the same moment: exactly one succeeds (PostgreSQL row locks)."""

import threading

import pytest
from django.db import connection

from apps.opinions import services
from apps.opinions.models import Opinion
from apps.opinions.tests.factories import opinion
from apps.workflow import services as engine
from apps.workflow.errors import Conflict, IllegalTransition

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
        except (Conflict, IllegalTransition) as exc:
            results.append(("refused", exc))
        except Exception as exc:  # anything else is a bug: surfaced by the assertion below
            results.append(("error", exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_clerks_assigning_at_once_one_wins(world):
    item = services.act(actor=world.town_user, item=opinion(world), key="accept")
    actors = [world.town_user, world.county_user, world.town_user, world.county_user]

    def work(i):
        stale = Opinion.objects.get(pk=item.pk)
        return services.act(actor=actors[i], item=stale, key="assign", data={"unit": world.unit_a.pk})

    results = race(len(actors), work)
    assert sorted(kind for kind, _r in results) == ["ok", "refused", "refused", "refused"]
    fresh = Opinion.objects.get(pk=item.pk)
    assert fresh.state == "assigned" and fresh.version == item.version + 1
    assert engine.steps_of(fresh).filter(transition="assign").count() == 1


def test_close_and_reassign_at_once_cannot_both_happen(world):
    item = services.act(actor=world.town_user, item=opinion(world), key="accept")
    item = services.act(actor=world.town_user, item=item, key="assign", data={"unit": world.unit_a.pk})
    item = services.act(actor=world.unit_user, item=item, key="reply", data={"reply": "已处理"})
    item = services.act(
        actor=world.town_user,
        item=item,
        key="visit",
        data={"visit_method": "phone", "satisfaction": "basic", "solved": True},
    )

    def work(i):
        stale = Opinion.objects.get(pk=item.pk)
        if i == 0:
            return services.act(actor=world.town_user, item=stale, key="close")
        return services.act(actor=world.county_user, item=stale, key="reassign", reason="再核实")

    results = race(2, work)
    assert sorted(kind for kind, _r in results) == ["ok", "refused"]
    fresh = Opinion.objects.get(pk=item.pk)
    assert fresh.state in ("closed", "assigned")
    assert engine.steps_of(fresh).filter(transition__in=["close", "reassign"]).count() == 1
