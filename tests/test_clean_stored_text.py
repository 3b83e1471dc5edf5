"""The data migration common/0002_clean_stored_text: text stored before the input check loses its control
characters and gets LF line ends, in every app but the audit log, whose hashes cover its text."""

import importlib
from types import SimpleNamespace

from django.apps import apps
from django.db import connection

from apps.audit.models import AuditEvent
from apps.audit.services import record
from apps.opinions.models import Opinion
from apps.opinions.tests.factories import opinion
from apps.people.models import Deputy

migration = importlib.import_module("apps.common.migrations.0002_clean_stored_text")


def _run():
    migration.clean_stored_text(apps, SimpleNamespace(connection=connection))


def test_stored_control_characters_are_removed_and_line_ends_become_lf(world):
    item = opinion(world)
    Opinion.objects.filter(pk=item.pk).update(content="路灯\x01坏了\r\n第二行\r第三行\t完", title="标题\x1b")
    Deputy.objects.filter(pk=world.deputy_a.pk).update(name="张\x7f三", bio="简历\r\n")
    untouched = Deputy.objects.get(pk=world.deputy_b.pk).name
    event = record(actor=None, action="test.text", obj=item, reason="原因\x01保留\r\n")
    _run()
    item.refresh_from_db()
    assert item.content == "路灯坏了\n第二行\n第三行\t完" and item.title == "标题"
    assert Deputy.objects.get(pk=world.deputy_a.pk).name == "张三"
    assert Deputy.objects.get(pk=world.deputy_a.pk).bio == "简历\n"
    assert Deputy.objects.get(pk=world.deputy_b.pk).name == untouched
    assert AuditEvent.objects.get(pk=event.pk).reason == "原因\x01保留\r\n"  # its hash covers it


def test_cleaning_twice_changes_nothing_more(world):
    _run()
    names = list(Deputy.objects.order_by("pk").values_list("name", flat=True))
    _run()
    assert list(Deputy.objects.order_by("pk").values_list("name", flat=True)) == names
