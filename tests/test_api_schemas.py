"""A truthful API: every schema the OpenAPI document names is one class, so the document describes every
body and answer right (two classes of one name would make the document show one of them for both)."""

import importlib
import typing
from collections import defaultdict
from pathlib import Path

from pydantic import BaseModel

from renda.api import api

# ninja's own wrappers for one operation's parameters; they are flattened into the operation, never named.
NINJA_WRAPPERS = {
    "BodyParams",
    "PathParams",
    "QueryParams",
    "HeaderParams",
    "FormParams",
    "FileParams",
    "NinjaResponseSchema",
}


def _models(tp, seen: dict, depth=0):
    if depth > 8:
        return
    for arg in typing.get_args(tp):
        _models(arg, seen, depth + 1)
    if isinstance(tp, type) and issubclass(tp, BaseModel) and tp not in seen[tp.__name__]:
        seen[tp.__name__].add(tp)
        for field in tp.model_fields.values():
            _models(field.annotation, seen, depth + 1)


def test_no_two_api_schemas_share_a_name():
    from apps.workflow.api import ACTION_WORKFLOWS

    seen: dict[str, set] = defaultdict(set)
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for op in path_view.operations:
                for model in op.models:
                    _models(model, seen)
                for answer in (op.response_models or {}).values():
                    _models(answer, seen)
    for wf in ACTION_WORKFLOWS:  # the action bodies, named in the document's components
        for t in wf.transitions:
            _models(t.input, seen)
    shared = {
        name: sorted(f"{c.__module__}.{c.__qualname__}" for c in classes)
        for name, classes in seen.items()
        if len(classes) > 1 and name not in NINJA_WRAPPERS
    }
    assert shared == {}
    assert len(seen) > 150  # the walk found the API's schemas


def _declared_codes() -> set[str]:
    """The union of the enums, found by their files (not through the registry the document is built from)."""
    from apps.common.errors import CommonCode

    codes = {c.value for c in CommonCode}
    for path in sorted(Path(__file__).resolve().parent.parent.glob("apps/*/errors.py")):
        enum = getattr(importlib.import_module(f"apps.{path.parent.name}.errors"), "ErrorCode", None)
        codes |= {c.value for c in enum or ()}
    return codes


def test_the_document_lists_every_apps_error_codes():
    schemas = api.get_openapi_schema()["components"]["schemas"]
    codes = schemas["ErrorCode"]
    assert set(codes["enum"]) == _declared_codes() and len(codes["enum"]) == len(set(codes["enum"]))
    assert {"no_quorum", "import_rows_invalid", "illegal_transition", "validation_failed"} <= set(
        codes["enum"]
    )
    assert len(codes["x-enum-descriptions"]) == len(codes["enum"]) and all(codes["x-enum-descriptions"])
    assert "| `no_quorum` | meetings |" in codes["description"]
    assert schemas["ErrorOut"]["properties"]["code"] == {"$ref": "#/components/schemas/ErrorCode"}


def test_every_operation_declares_its_error_answers_with_the_error_schema():
    """Every 4xx answer of every operation is `ErrorOut` (or the import's, which adds its bad rows), whose
    `code` is `ErrorCode`; 401 where the operation needs a caller, 422 where it takes any input."""
    doc = api.get_openapi_schema()
    error_bodies = {
        f"#/components/schemas/{name}"
        for name, schema in doc["components"]["schemas"].items()
        if schema.get("properties", {}).get("code") == {"$ref": "#/components/schemas/ErrorCode"}
        and {"message", "fields"} <= set(schema["properties"])
    }
    assert "#/components/schemas/ErrorOut" in error_bodies
    wrong, missing = [], []
    for path, operations in doc["paths"].items():
        for method, op in operations.items():
            where = f"{method.upper()} {path}"
            answers = {str(status): answer for status, answer in op["responses"].items()}
            errors = {status: answer for status, answer in answers.items() if status[0] in "45"}
            wrong += [
                f"{where} {status}"
                for status, answer in errors.items()
                if answer.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref")
                not in error_bodies
            ]
            expected = {"401"} if op.get("security") else set()
            expected |= {"422"} if op.get("parameters") or op.get("requestBody") else set()
            missing += [f"{where} {status}" for status in sorted(expected - set(errors))]
            if not errors:
                missing.append(f"{where}: no error answer")
    assert wrong == [] and missing == []
