"""API pieces every tracked item shares: state and deadline, timeline, the steps open to a caller."""

import inspect
import json
from datetime import date, datetime

from django.utils.translation import gettext as _
from ninja import Schema

from apps.common.api import ERRORS, ErrorOut
from apps.common.errors import ValidationFailed

from .inputs import form_fields
from .services import available, steps_of


class TrackedOut(Schema):
    state: str
    state_label: str
    due_date: date | None
    due_provisional: bool
    is_overdue: bool

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.state_label)

    @staticmethod
    def resolve_is_overdue(obj) -> bool:
        return obj.is_overdue()


class StepOut(Schema):
    transition: str
    transition_label: str
    from_state: str
    to_state: str
    to_state_label: str
    actor_label: str
    at: datetime
    reason: str
    on_time: bool | None


class TransitionOut(Schema):
    key: str
    label: str
    reason_required: bool
    danger: bool
    # Why the step cannot be taken now (a co-signer has not answered, the send-back period is over); None
    # when it can.
    blocked_reason: str | None


def steps_out(item) -> list[dict]:
    """The item's timeline with the labels of its own workflow."""
    wf = item.workflow
    out = []
    for s in steps_of(item):
        t = wf.transition(s.transition)
        out.append(
            {
                "transition": s.transition,
                "transition_label": str(t.label) if t else str(wf.state(s.to_state).label),
                "from_state": s.from_state,
                "to_state": s.to_state,
                "to_state_label": str(wf.state(s.to_state).label),
                "actor_label": s.actor_label,
                "at": s.at,
                "reason": s.reason,
                "on_time": s.on_time,
            }
        )
    return out


def transitions_out(user, item) -> list[dict]:
    return [
        {
            "key": t.key,
            "label": str(t.label),
            "reason_required": t.reason_required,
            "danger": t.danger,
            "blocked_reason": str(objection) if objection else None,
        }
        for t, objection in available(user, item)
    ]


# --- actions: one API shape for every item kind -------------------------------------------------------------


class ActionChoiceOut(Schema):
    value: str
    label: str


class ActionFieldOut(Schema):
    name: str
    label: str
    widget: str
    required: bool
    max_length: int | None
    choices: list[ActionChoiceOut]


class ActionOut(Schema):
    name: str
    label: str
    danger: bool
    # Why the action cannot be taken now (a co-signer has not answered, the send-back period is over); None
    # when it can.
    blocked_reason: str | None
    # The name of the input's schema in this document's components (the body `POST .../actions/{name}` takes).
    input_schema: str
    fields: list[ActionFieldOut]


def actions_out(user, item) -> list[dict]:
    out = []
    for t, objection in available(user, item):
        fields = form_fields(t.input, providers=t.choices, item=item, actor=user)
        out.append(
            {
                "name": t.key,
                "label": str(t.label),
                "danger": t.danger,
                "blocked_reason": str(objection) if objection else None,
                "input_schema": t.input.__name__,
                "fields": [
                    {**f, "choices": [{"value": v, "label": lbl} for v, lbl in f["choices"]]} for f in fields
                ],
            }
        )
    return out


# Every workflow whose actions the API serves, for the OpenAPI components (renda/api.py).
ACTION_WORKFLOWS: list = []


def _read_body(request) -> dict:
    if not request.body:
        return {}
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError) as e:
        raise ValidationFailed(_("请求正文不是有效的 JSON")) from e
    if not isinstance(body, dict):
        raise ValidationFailed(_("请求正文应为 JSON 对象"))
    return body


def add_action_routes(router, *, path: str, id_param: str, workflow, fetch, act, out, noun: str):
    """`GET {path}/actions` and `POST {path}/actions/{name}` for one item kind. `fetch(user, id)` is the
    kind's scoped detail selector, `act(actor=, item=, key=, data=)` its step service, `out` the detail
    schema answered after a step. The body is the named action's input schema (listed in OpenAPI by name;
    the engine validates it after checking that the action is open to the caller now, so a closed action is
    a 409 or a refusal whatever was sent, and a bad field is a 400 with the field named)."""
    ACTION_WORKFLOWS.append(workflow)
    names = [t.key for t in workflow.transitions]

    def list_actions(request, **kwargs):
        return actions_out(request.user, fetch(request.user, kwargs[id_param]))

    def take_action(request, name: str, **kwargs):
        item = fetch(request.user, kwargs[id_param])
        return act(actor=request.user, item=item, key=name, data=_read_body(request))

    id_arg = inspect.Parameter(id_param, inspect.Parameter.KEYWORD_ONLY, annotation=int)
    req = inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD)
    name_arg = inspect.Parameter("name", inspect.Parameter.KEYWORD_ONLY, annotation=str)
    list_actions.__signature__ = inspect.Signature([req, id_arg])
    take_action.__signature__ = inspect.Signature([req, name_arg, id_arg])
    schemas = {t.key: t.input.__name__ for t in workflow.transitions}
    body = {
        "required": False,
        "content": {
            "application/json": {
                "schema": {
                    "oneOf": [{"$ref": f"#/components/schemas/{n}"} for n in sorted(set(schemas.values()))]
                }
            }
        },
    }
    router.add_api_operation(
        f"{path}/actions",
        ["GET"],
        list_actions,
        response={200: list[ActionOut], 404: ErrorOut},
        operation_id=f"{workflow.key}_actions",
        summary=f"{noun}：当前可进行的操作",
        description=(
            "列出当前用户此刻可对该事项进行的操作，以及每个操作需要填写的内容"
            "（input_schema 为请求体的模式名）。"
        ),
    )
    router.add_api_operation(
        f"{path}/actions/{{name}}",
        ["POST"],
        take_action,
        response={200: out, **ERRORS},
        operation_id=f"{workflow.key}_act",
        summary=f"{noun}：进行一项操作",
        description=(
            "进行一项办理操作，请求体为该操作的输入（各操作的模式："
            + "；".join(f"{k} → {v}" for k, v in schemas.items())
            + "）。当前状态不允许时答复 409 illegal_transition，版本过期时 409 conflict，"
            "无权限时 403（看不到该事项时 404），字段有误时 400 并指明字段。"
            f"可用的操作：{', '.join(names)}。"
        ),
        openapi_extra={"requestBody": body},
    )


def action_components() -> dict:
    """The input schemas of every served action, for the OpenAPI document's components."""
    out = {}
    for wf in ACTION_WORKFLOWS:
        for t in wf.transitions:
            schema = t.input.model_json_schema(ref_template="#/components/schemas/{model}")
            out.update(schema.pop("$defs", {}))
            out[t.input.__name__] = schema
    return out
