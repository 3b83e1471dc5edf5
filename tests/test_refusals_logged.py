"""Every refusal is logged: a 403 is raised through `scopes.deny` (or `get_or_deny`, `require` ...), which
writes the `access.denied` audit event (who, when, what was attempted), never by raising `PermissionDenied` by
hand, which logs nothing. This walks the apps' code (not tests, not migrations) and fails on any
`raise PermissionDenied(...)` (the platform's or Django's, by any name it is imported as) outside the two
modules that define the mechanism."""

from __future__ import annotations

import ast
from pathlib import Path

APPS = Path(__file__).resolve().parent.parent / "apps"
# Where the refusal itself is made; nothing else may raise it by hand. A file added here needs a reason.
ALLOWED = {
    "accounts/scopes.py",  # `deny` builds the exception, with its audit event attached
    "common/errors.py",  # defines PermissionDenied
}


def _names_of_permission_denied(tree: ast.Module) -> set[str]:
    """The names the module binds to a PermissionDenied class (`... import PermissionDenied as Denied`)."""
    names = {"PermissionDenied"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names |= {a.asname for a in node.names if a.name == "PermissionDenied" and a.asname}
    return names


def _is_permission_denied(node: ast.expr, names: set[str]) -> bool:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Name):
        return node.id in names
    return isinstance(node, ast.Attribute) and node.attr == "PermissionDenied"  # errors.PermissionDenied


def hand_raised_refusals(source: str) -> list[int]:
    """The lines of `source` that raise PermissionDenied themselves (called or bare)."""
    tree = ast.parse(source)
    names = _names_of_permission_denied(tree)
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Raise) and node.exc is not None and _is_permission_denied(node.exc, names)
    ]


def _app_modules():
    for path in sorted(APPS.rglob("*.py")):
        parts = path.relative_to(APPS).parts
        if "tests" in parts or "migrations" in parts or parts[-1].startswith("test_"):
            continue
        yield "/".join(parts), path


def test_the_walk_sees_every_spelling_of_a_hand_raised_refusal():
    source = (
        "from django.core.exceptions import PermissionDenied as Denied\n"
        "from apps.common import errors\n"
        "from apps.common.errors import PermissionDenied\n"
        "def f(x):\n"
        "    if x == 1:\n"
        "        raise PermissionDenied('no')\n"
        "    if x == 2:\n"
        "        raise errors.PermissionDenied()\n"
        "    if x == 3:\n"
        "        raise Denied\n"
        "    if x == 4:\n"
        "        raise PermissionDenied\n"
        "    deny(user, CHANGE, obj, message='no')\n"
        "    raise NotFound()\n"
    )
    assert hand_raised_refusals(source) == [6, 8, 10, 12]


def test_no_app_raises_permission_denied_by_hand():
    modules = dict(_app_modules())
    assert "meetings/services/votes.py" in modules  # the walk reaches the apps' packages
    assert not set(ALLOWED) - set(modules), "an allowed file is gone: drop it from ALLOWED"
    found = [
        f"apps/{name}:{line}"
        for name, path in modules.items()
        if name not in ALLOWED
        for line in hand_raised_refusals(path.read_text(encoding="utf-8"))
    ]
    assert not found, (
        "refuse through apps.accounts.scopes.deny(user, action, obj, message=...) so the refusal is "
        "logged (access.denied); raised by hand at: " + ", ".join(found)
    )
