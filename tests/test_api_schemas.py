"""A truthful API: every schema the OpenAPI document names is one class, so the document describes every
body and answer right (two classes of one name would make the document show one of them for both)."""

import typing
from collections import defaultdict

from pydantic import BaseModel

from renda.api import api

# ninja's own wrappers for one operation's parameters; they are flattened into the operation, never named.
NINJA_WRAPPERS = {
    "BodyParams",
    "PathParams",
    "QueryParams",
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
