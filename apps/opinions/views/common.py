"""Helpers every opinions page shares."""

from __future__ import annotations

import re

from apps.accounts.models import Role
from apps.common.errors import DomainError

OFFICE_ROLES = {Role.COUNTY_OFFICE, Role.TOWN_OFFICE, Role.ADMIN}
# Transitions whose form is open on arrival: the next step of the usual path.
MAIN_STEPS = {"accept", "take", "assign", "reply", "visit", "close"}
_MOBILE = re.compile(r"1[3-9]\d{9}")


def _int(value) -> int | None:
    value = str(value or "").strip()
    return int(value) if value.isdigit() else None


def _form_errors(form, exc: DomainError, rename: dict | None = None):
    """A service's per-field messages beside the form's fields; others on top of the form."""
    rename = rename or {}
    for field, msgs in (exc.fields or {}).items():
        name = rename.get(field, field)
        name = name if name in form.fields else None
        for m in msgs if isinstance(msgs, list | tuple) else [msgs]:
            form.add_error(name, str(m))
    if not exc.fields:
        form.add_error(None, str(exc.message))
