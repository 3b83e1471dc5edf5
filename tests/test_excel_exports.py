"""Formula injection (issue 14, item 5): every Excel export, walked from the URL resolver and the OpenAPI
document (tests/routes.py) as the office roles, with every free-text column of the data set to what an
anonymous citizen may submit, `=HYPERLINK(...)`: no cell of any export is a formula; the text is intact."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from . import routes as R
from .leakworld import build

pytestmark = pytest.mark.django_db
POISON = '=HYPERLINK("http://evil","点此")'
OTHERS = ("+1+2", "-1+2", "@SUM(1)", "\tTAB")
# Columns that are not free text a person types, or that the world's logins and links need as they are.
NOT_FREE_TEXT = {
    "password", "username", "state", "review_state", "kind", "key", "token",
    "transition", "from_state", "to_state",
}  # fmt: skip


def _poison_free_text() -> int:
    """Every non-unique CharField/TextField without choices, in every app but the audit log, set to
    POISON (or, for short columns, one of the other formula starts)."""
    changed = 0
    for model in apps.get_models():
        if model._meta.app_label in ("audit", "contenttypes", "sessions", "admin", "auth"):
            continue
        fields = []
        for f in model._meta.concrete_fields:
            if not isinstance(f, models.CharField | models.TextField) or f.choices or f.unique:
                continue
            if f.name in NOT_FREE_TEXT or f.name.endswith(("_code", "code")) or f.primary_key:
                continue
            fields.append(f)
        for pk in model._default_manager.values_list("pk", flat=True) if fields else ():
            updates = {}
            for f in fields:  # the row's id after the text: unique together with another column stays so
                limit = f.max_length or 10_000
                value = next((v for v in (POISON, *OTHERS) if len(f"{v}{pk}") <= limit), None)
                if value is not None:
                    updates[f.attname] = f"{value}{pk}"
            changed += model._default_manager.filter(pk=pk).update(**updates)
    return changed


def _export_urls(world) -> list[str]:
    year = timezone.localdate().year
    values = {k: getattr(o, R.BY_CODE.get(k, "pk")) for k, o in world.home.objs.items()}
    urls = []
    for route in R.all_routes(year):
        if "GET" not in route.methods or any(p.kind not in values for p in route.object_params):
            continue
        path = route.fill({p.name: values[p.kind] for p in route.object_params})
        if route.api:
            if path.endswith(".xlsx") or "xlsx" in str(route.operation):
                urls.append(path)
        else:
            urls.append(path + "?export=xlsx")
    return urls


def _formulas_and_texts(body: bytes) -> tuple[list[str], list[str]]:
    wb = load_workbook(io.BytesIO(body))
    formulas, texts = [], []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    formulas.append(f"{ws.title}!{cell.coordinate}={cell.value!r}")
                elif isinstance(cell.value, str):
                    texts.append(cell.value)
    return formulas, texts


def test_no_export_writes_a_citizens_text_as_a_formula():
    world = build()
    assert _poison_free_text() > 20
    failures, exports, poisoned = [], set(), set()
    for user in (world.users["county_office"], world.users["town_office"]):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        for url in _export_urls(world):
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            if response.status_code >= 500:
                failures.append(f"{url}: {response.status_code}")
            if response.status_code != 200 or body[:2] != b"PK" or "sheet" not in response["Content-Type"]:
                continue
            exports.add(url.split("?")[0])
            formulas, texts = _formulas_and_texts(body)
            failures += [f"{url}: a formula at {f}" for f in formulas]
            if any(t.startswith((POISON, *OTHERS)) for t in texts):
                poisoned.add(url.split("?")[0])  # as text, as it was typed (exports without rows aside)
    assert not failures, "\n".join(failures)
    assert len(exports) >= 10, sorted(exports)
    assert len(poisoned) >= 8, sorted(exports - poisoned)
