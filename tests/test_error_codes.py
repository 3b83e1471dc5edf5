"""Error codes are declared once, one enum per app (`apps/<app>/errors.py` `ErrorCode`, the shared ones
`common.errors.CommonCode`): no raise site answers a code that is not a member of one."""

import ast
import importlib
import pkgutil
import re
import uuid
from pathlib import Path

import pytest

import apps
from apps.common.errors import Codes, CommonCode, DomainError, ValidationFailed, error_codes

ROOT = Path(__file__).resolve().parent.parent
SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")  # an error code; region codes (digits) and tracking codes are not


def _sources() -> dict[str, ast.Module]:
    paths = [*ROOT.glob("apps/**/*.py"), *ROOT.glob("renda/**/*.py")]
    return {
        str(p.relative_to(ROOT)): ast.parse(p.read_text(encoding="utf-8"))
        for p in paths
        if "tests" not in p.parts and "migrations" not in p.parts
    }


def _code_positions(trees) -> dict[str, set[int]]:
    """Function name -> the positions of its parameter named `code` (helpers such as `_file_error`)."""
    positions: dict[str, set[int]] = {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                params = [a.arg for a in [*node.args.posonlyargs, *node.args.args]]
                if params and params[0] in ("self", "cls"):
                    params = params[1:]
                if "code" in params:
                    positions.setdefault(node.name, set()).add(params.index("code"))
    return positions


def _literal_codes(tree: ast.Module, positions) -> list[tuple[int, str]]:
    """(line, value) of every string literal that stands where an error code goes."""
    found = []

    def literal(node):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SNAKE.match(node.value):
            found.append((node.lineno, node.value))

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for kw in node.keywords:
                if kw.arg == "code":
                    literal(kw.value)
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            for i in positions.get(name, ()):
                if i < len(node.args):
                    literal(node.args[i])
        elif isinstance(node, ast.ClassDef):
            for stmt in node.body:
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [getattr(stmt, "target", None)]
                if any(isinstance(t, ast.Name) and t.id == "code" for t in targets):
                    literal(stmt.value)
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == "code":
                    literal(value)
    return found


def test_no_error_code_is_a_string_literal():
    """Every raise site names its code by an enum member (`code=ErrorCode.NO_QUORUM`), never `"no_quorum"`."""
    sources = _sources()
    positions = _code_positions(sources.values())
    literals = {
        f"{path}:{line}": value
        for path, tree in sources.items()
        for line, value in _literal_codes(tree, positions)
        if not path.endswith("errors.py")  # where the enums declare their values
    }
    assert literals == {}


def test_the_scan_sees_a_literal_code():
    tree = ast.parse(
        "class Late(DomainError):\n    code = 'late'\n"
        "raise ValidationFailed('x', code='too_late')\n"
        "raise _file_error('bad_file', 'x')\n"
        "answer({'code': 'http_error'})\n"
        "Region.objects.filter(code='610921')\n"
    )
    found = _literal_codes(tree, {"_file_error": {0}})
    assert sorted(v for _line, v in found) == ["bad_file", "http_error", "late", "too_late"]


def _import_every_module():
    for info in pkgutil.walk_packages(apps.__path__, "apps."):
        if ".tests" in info.name or ".migrations" in info.name:
            continue
        importlib.import_module(info.name)


def _subclasses(cls) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def test_every_domain_error_answers_a_declared_code():
    _import_every_module()
    declared = {member for _app, member in error_codes().values()}
    classes = _subclasses(DomainError) | {DomainError}
    assert len(classes) > 10  # the walk found the apps' errors
    undeclared = {f"{c.__module__}.{c.__qualname__}": c.code for c in classes if c.code not in declared}
    assert undeclared == {}


def test_each_app_declares_its_codes_once_in_its_errors_module():
    codes = error_codes()  # raises on a code declared twice
    apps_with_codes = {
        path.parent.name
        for path in ROOT.glob("apps/*/errors.py")
        if "class ErrorCode(" in path.read_text(encoding="utf-8")
    }
    assert {app for app, _member in codes.values()} == {"common", *apps_with_codes}
    assert {"meetings", "people", "duty"} <= apps_with_codes
    for code, (app, member) in codes.items():
        assert SNAKE.match(code), code
        assert member.doc, f"{app}: {code} has no line of doc"
    _import_every_module()
    stray = {f"{e.__module__}.{e.__qualname__}" for e in _subclasses(Codes)}
    assert stray == {f"{type(m).__module__}.{type(m).__qualname__}" for _a, m in codes.values()}


def test_an_error_answers_its_code_as_a_plain_string():
    body = ValidationFailed("x", code=CommonCode.CONFLICT).as_dict()
    assert body["code"] == "conflict" and type(body["code"]) is str


@pytest.mark.django_db
def test_an_api_views_own_404_answers_the_error_shape(client):
    resp = client.get(f"/api/v1/public/archive/deputies/{uuid.uuid4()}/commitments")
    assert resp.status_code == 404 and resp.json()["code"] == "not_found" and resp.json()["message"]


@pytest.mark.django_db
def test_ninjas_own_validation_answers_a_declared_code(client):
    resp = client.get("/api/v1/public/archive/deputies/not-a-uuid/commitments")
    assert resp.status_code == 422 and resp.json()["code"] in error_codes()
