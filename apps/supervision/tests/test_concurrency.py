"""A finding recorded while a step on its appointment runs (PostgreSQL row locks and the audit chain's
lock): the finding waits for the step instead of deadlocking with it (found by the API fuzzer)."""

import threading
import time
from datetime import date

import pytest
from django.db import connection, transaction

from apps.audit.services import record
from apps.supervision import services
from apps.supervision.models import Appointment, Finding

from .test_rectification import three_deputies, year

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks"),
    pytest.mark.django_db(transaction=True),
]


def test_a_finding_waits_for_a_step_on_its_appointment_instead_of_deadlocking(world):
    ds = three_deputies(world)
    m = services.request_appointment(
        actor=world.town_user, region_id=world.town_a.pk, kind="appointment", subject="道路养护",
        official="王某 副镇长", body="城关镇人民政府", deputy_ids=[d.pk for d in ds],
    )  # fmt: skip
    m = services.act(actor=world.town_user, item=m, key="arrange", data={"meets_on": f"{year()}-05-01"})
    answer = {"answer_mode": "at_meeting", "answer": "年内完成", "answered_on": date.today().isoformat()}
    m = services.act(actor=world.town_user, item=m, key="answer", data=answer)
    locked, errors = threading.Event(), []

    def step():  # what the engine does: lock the item, then append to the audit chain, then commit
        try:
            with transaction.atomic():
                Appointment.objects.select_for_update().get(pk=m.pk)
                locked.set()
                time.sleep(1.0)
                record(actor=world.town_user, action="supervision.appointment.test_step", obj=m)
        except Exception as exc:  # a deadlock here or in the finding is the bug
            errors.append(exc)
        finally:
            connection.close()

    other = threading.Thread(target=step)
    other.start()
    assert locked.wait(10)
    try:
        services.record_finding(
            actor=world.town_user, appointment_id=m.pk, text_value="养护资金未落实", unit_id=world.unit_a.pk
        )
    except Exception as exc:
        errors.append(exc)
    other.join()
    assert not errors, errors
    assert Finding.objects.filter(appointment=m).count() == 1
