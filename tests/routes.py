"""Every route of the site, found rather than listed: the URL patterns (recursively) and the OpenAPI
operations, each as a template (`opinions/{pk}/files/{att}/`, `api/v1/votes/{vote_id}/open`) with the kind
of object each path parameter names.

A parameter is filled by its name (`opinion_id` names an opinion), or, where the name says nothing (`pk`,
`code`, `part`), by the path segment before it (`commitments/{pk}`). A parameter this module cannot place
raises `UnknownParameter`, so a new endpoint cannot slip past the generated tests unfilled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# Parameters that are not objects: a constant fills them (a transition or action name, a year, a kind).
CONSTANTS = {
    "procedure_key": "opinion",
    "name": "accept",
    "key": "accept",
    "action": "open",
    "kind": "deputies",
    "year": None,
}
# Constants that differ by the segment before them.
SEGMENT_CONSTANTS = {
    ("registers", "key"): "study",
    # a [local] rule's key (local-rules/{region}/{key}, the page local-rules/{key}/)
    ("{region}", "key"): "OPINION_REPLY_WORKING_DAYS",
    ("local-rules", "key"): "OPINION_REPLY_WORKING_DAYS",
}
# `<name>_id` names the kind directly, except these.
NAME_ALIASES = {
    "day": "reception_day",
    "record": "duty_record",
    "group": "deliberation_group",
    # issue 20: the assessment's table, a town's assessment and a manual score
    "table": "assessment_table",
    "assessment": "town_assessment",
    "score": "manual_score",
}
# A file hangs on the object named before it.
ATTACHMENT_PARAMS = {"att", "att_id", "attachment_id"}
ATTACHMENT_OF = {
    "opinion": "opinion_attachment",
    "meeting": "meeting_document",
    "duty_record": "duty_attachment",
    "resolution_task": "resolution_task_attachment",
    "rectification": "rectification_attachment",
    "evaluation": "evaluation_attachment",
    "vice_mayor_rating": "vice_mayor_rating_attachment",
    "activity": "activity_attachment",
    "tracking_code": "public_attachment",
    "manual_score": "manual_score_attachment",
}
# What a generic parameter (`pk`, `code`, `part`, `station`) names, by the path segment before it.
SEGMENT_KINDS = {
    "deputies": "deputy",
    "stations": "station",
    "station": "station",
    "plan": "station",
    "regions": "region",
    "opinions": "opinion",
    "reception-days": "reception_day",
    "suggestions": "suggestion",
    "replies": "suggestion",
    "cohandling": "cohandling",
    "motions": "motion",
    "meetings": "meeting",
    "ballot": "vote",
    "posts": "post",
    "withdraw": "candidate",
    "rounds": "round",
    "outcomes": "outcome",
    "records": "duty_record",
    "commitments": "commitment",
    "report-back": "report_back",
    "report-backs": "report_back",
    "reports": "speaker",
    "speakers": "speaker",
    "notifications": "notification",
    "track": "tracking_code",
    "d": "public_code",
    "rate": "rating_token",
    "receipts": "receipt",
    "link": "signin_link",
    "users": "user",
    "officials": "official",
    # livelihood projects (issue 19): a public proposal's tracking code
    "proposals": "proposal_code",
    "photos": "photo",
}
KINDS = {
    "deputy", "station", "region", "household", "opinion", "reception_day", "suggestion", "cohandling",
    "motion", "meeting", "attendee", "vote", "post", "candidate", "round", "duty_record", "commitment",
    "report_back", "speaker", "notification", "opinion_attachment", "meeting_document", "duty_attachment",
    "tracking_code", "public_code", "rating_token", "public_attachment", "box", "receipt",
    "user", "grant", "signin_link",
    "session", "agenda_item", "deliberation_group", "deliberation_opinion", "digest", "checklist_item",
    "checklist_entry", "resolution_task", "resolution_task_attachment",
    "rectification", "rectification_attachment",
    "evaluation", "evaluation_survey", "evaluation_attachment", "unit",
    "vice_mayor_rating", "vice_mayor_rating_attachment", "official",
    "supervision_plan", "activity", "activity_attachment", "appointment", "dispatch", "finding",
    "outcome",
    "plan_item",
    "rule_document",
    "assessment_table", "indicator", "town_assessment", "manual_score", "manual_score_attachment",
    # livelihood projects (issue 19)
    "proposal", "proposal_code", "candidate_list", "project_candidate", "project", "milestone", "photo",
    "project_rating",
    "calendar_template", "template_line",
}  # fmt: skip
# Kinds whose value in a path is a code, not a primary key.
BY_CODE = {"region": "code", "proposal_code": "tracking_code"}


class UnknownParameter(AssertionError):
    pass


@dataclass(frozen=True)
class Param:
    name: str
    kind: str | None  # None: a constant
    constant: object = None


@dataclass(frozen=True)
class Route:
    template: str  # without a leading slash, parameters as {name}
    methods: tuple[str, ...]
    params: tuple[Param, ...]
    api: bool
    operation: dict | None = None  # the OpenAPI operation, for bodies and parameters

    @property
    def object_params(self):
        return [p for p in self.params if p.kind]

    def fill(self, values: dict) -> str:
        path = self.template
        for p in self.params:
            value = values[p.name] if p.kind else p.constant
            path = path.replace("{" + p.name + "}", str(value))
        return "/" + path


def _segment_before(template: str, name: str) -> str:
    head = template.split("{" + name + "}")[0].rstrip("/")
    return head.rsplit("/", 1)[-1] if head else ""


def classify(template: str, names: list[str], year: int) -> tuple[Param, ...]:
    out: list[Param] = []
    for name in names:
        segment = _segment_before(template, name)
        if (segment, name) in SEGMENT_CONSTANTS:
            out.append(Param(name, None, SEGMENT_CONSTANTS[(segment, name)]))
        elif name in CONSTANTS:
            out.append(Param(name, None, year if name == "year" else CONSTANTS[name]))
        elif name in ATTACHMENT_PARAMS:
            parent = out[-1].kind if out else None
            if parent not in ATTACHMENT_OF:
                raise UnknownParameter(f"{template}: cannot tell whose file {{{name}}} is")
            out.append(Param(name, ATTACHMENT_OF[parent]))
        elif name.endswith("_id") and NAME_ALIASES.get(name[:-3], name[:-3]) in KINDS:
            out.append(Param(name, NAME_ALIASES.get(name[:-3], name[:-3])))
        elif name == "public_code":
            out.append(Param(name, "public_code"))
        elif name == "region":  # a region by its code (local-rules/{region}/...)
            out.append(Param(name, "region"))
        elif segment in SEGMENT_KINDS:
            out.append(Param(name, SEGMENT_KINDS[segment]))
        else:
            raise UnknownParameter(
                f"{template}: no object for {{{name}}}; add it to tests/routes.py (and to the leak world)"
            )
    return tuple(out)


_CONVERTER = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


def _walk(resolver, prefix=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def url_routes(year: int) -> list[Route]:
    """The page routes (the API and the admin are walked elsewhere or not at all)."""
    routes = []
    for raw, _pattern in _walk(get_resolver()):
        if raw.startswith(("api/", "admin/", "^media", "i18n/")):
            continue
        template = _CONVERTER.sub(lambda m: "{" + m["name"] + "}", raw)
        names = [m["name"] for m in _CONVERTER.finditer(raw)]
        routes.append(Route(template, ("GET", "POST"), classify(template, names, year), api=False))
    return routes


def api_routes(year: int) -> list[Route]:
    from renda.api import api

    schema = api.get_openapi_schema()
    routes = []
    for path, ops in schema["paths"].items():
        template = path.lstrip("/")
        for method, op in ops.items():
            names = re.findall(r"{([^}]+)}", template)
            routes.append(
                Route(template, (method.upper(),), classify(template, names, year), api=True, operation=op)
            )
    return routes


def all_routes(year: int) -> list[Route]:
    return url_routes(year) + api_routes(year)


def openapi_components() -> dict:
    from renda.api import api

    return api.get_openapi_schema().get("components", {}).get("schemas", {})


def minimal_body(operation: dict, components: dict):
    """(content type, body) with every required field of the request body filled by its type."""
    body = (operation or {}).get("requestBody")
    if not body:
        return None, None
    content = body.get("content", {})
    ctype = next(iter(content), "application/json")
    return ctype, _fill(content[ctype].get("schema", {}), components, depth=0)


def _fill(schema: dict, components: dict, depth: int):
    if "$ref" in schema:
        schema = components.get(schema["$ref"].rsplit("/", 1)[-1], {})
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"] or schema[key]
            return _fill(options[0], components, depth)
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema and schema["default"] is not None:
        return schema["default"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        if depth > 4:
            return {}
        props = schema.get("properties", {})
        return {k: _fill(props[k], components, depth + 1) for k in schema.get("required", []) if k in props}
    if kind == "array":
        return []
    if kind == "integer":
        return 1
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    fmt = schema.get("format")
    if fmt == "date":
        return "2026-06-01"
    if fmt == "date-time":
        return "2026-06-01T09:00:00+08:00"
    if fmt == "binary":
        return b""
    return "x"
