"""The one NinjaAPI: /api/v1/, OpenAPI at /api/v1/openapi.json, interactive docs at /api/v1/docs."""

from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer

from apps.common.api import AUTH, ErrorOut, TextParser
from apps.common.errors import CommonCode, DomainError, NotFound, error_codes, record_refusal


class ChineseJSONRenderer(JSONRenderer):
    """UTF-8 JSON, so that names read as names in curl and logs, not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


def error_code_schema() -> dict:
    """The schema `ErrorCode`: every app's codes as one enum, each with its app and its line of doc."""
    codes = error_codes()
    table = "\n".join(f"| `{code}` | {app} | {member.doc} |" for code, (app, member) in codes.items())
    return {
        "title": "ErrorCode",
        "type": "string",
        "enum": list(codes),
        "x-enum-descriptions": [member.doc for _app, member in codes.values()],
        "description": "The `code` of every error answer. Each app declares its codes once, in "
        "`apps/<app>/errors.py`; the shared ones are common's.\n\n| code | app | meaning |\n|---|---|---|\n"
        + table,
    }


def _error_answer(description: str) -> dict:
    schema = {"$ref": "#/components/schemas/ErrorOut"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _declare_common_errors(operation: dict) -> None:
    """Besides what an operation declares, it may answer 401 when it needs a caller and 422 when it takes
    parameters or a body (ninja's own validation; see the handlers below). Every error answer's body is
    `ErrorOut`, also where an operation declared none (`404: None`)."""
    responses = {str(status): answer for status, answer in operation.get("responses", {}).items()}
    for status, answer in responses.items():
        if status[0] == "4" and "content" not in answer:
            responses[status] = _error_answer(answer.get("description", ""))
    if operation.get("security"):
        responses.setdefault("401", _error_answer("Unauthorized"))
    if operation.get("parameters") or operation.get("requestBody"):
        responses.setdefault("422", _error_answer("Unprocessable Content"))
    operation["responses"] = responses


class RendaAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """The generated document, plus the input schemas of the workflow actions: one operation per item
        kind takes any of its actions' bodies (`oneOf`), each described under its own name; plus the error
        codes (`ErrorCode`, the `code` of `ErrorOut`) and the error answers every operation may give."""
        from apps.workflow.api import action_components

        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for name, body in {**action_components(), "ErrorCode": error_code_schema()}.items():
            if name in components and components[name] != body:
                raise ValueError(f"two API schemas are named {name}")
            components[name] = body
        for error_body in (ErrorOut, *ErrorOut.__subclasses__()):  # the import's adds its bad rows
            if error_body.__name__ in components:
                components[error_body.__name__]["properties"]["code"] = {
                    "$ref": "#/components/schemas/ErrorCode"
                }
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                _declare_common_errors(operation)
        return schema


api = RendaAPI(
    renderer=ChineseJSONRenderer(),
    parser=TextParser(),  # LF line ends in every string of a body or query (common.text)
    title="Renda API",
    version="1",
    description=(
        "人大履职平台接口。认证：`POST /api/v1/auth/token` 取得令牌，"
        "之后带 `Authorization: Bearer <token>`。列表均分页并按角色与区划限定范围。"
    ),
    auth=AUTH,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    record_refusal(exc)  # the operation's transaction has rolled back by now: the refusal event stays
    body = exc.as_dict()
    body.update(getattr(exc, "extra", {}) or {})
    return api.create_response(request, body, status=exc.status)


@api.exception_handler(Http404)
def missing(request, exc: Http404):
    """A view's own Http404 answers like every other missing object (not ninja's `{"detail"}`)."""
    return api.create_response(request, NotFound().as_dict(), status=NotFound.status)


@api.exception_handler(NinjaValidationError)
def validation_error(request, exc: NinjaValidationError):
    fields: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload", "filters")]
        fields.setdefault(".".join(loc) or "_", []).append(err.get("msg", ""))
    return api.create_response(
        request,
        {"code": CommonCode.VALIDATION_FAILED, "message": _("请求数据格式不正确"), "fields": fields},
        status=422,
    )


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(
        request,
        {"code": CommonCode.UNAUTHENTICATED, "message": _("请先登录，或提供有效的令牌"), "fields": {}},
        status=401,
    )


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return api.create_response(
        request, {"code": CommonCode.HTTP_ERROR, "message": str(exc), "fields": {}}, status=exc.status_code
    )


@api.exception_handler(MultiPartParserError)
def malformed_upload(request, exc):
    """A multipart body Django cannot read (no boundary, cut short): the client's mistake, never a 500."""
    return api.create_response(
        request,
        {
            "code": CommonCode.MALFORMED_BODY,
            "message": _("上传的内容格式不正确，请重新选择文件上传"),
            "fields": {},
        },
        status=400,
    )


def _mount():
    from apps.accounts.api import router as accounts_router
    from apps.accounts.manage_api import router as manage_accounts_router
    from apps.archive.api import public_router as public_archive_router
    from apps.archive.api import router as archive_router
    from apps.assessment.api import public_router as public_assessment_router
    from apps.assessment.api import router as assessment_router
    from apps.audit.api import router as audit_router
    from apps.ballotbox.api import public_router as public_ballotbox_router
    from apps.ballotbox.api import router as ballotbox_router
    from apps.dashboards.api import router as dashboards_router
    from apps.dispatch.api import router as dispatch_router
    from apps.duty.api import public_router as public_duty_router
    from apps.duty.api import router as duty_router
    from apps.elections.api import router as elections_router
    from apps.evaluations.api import public_router as public_evaluations_router
    from apps.evaluations.api import router as evaluations_router
    from apps.evaluations.api_officials import router as vice_mayors_router
    from apps.localrules.api import router as localrules_router
    from apps.meetings.api import public_router as public_meetings_router
    from apps.meetings.api import router as meetings_router
    from apps.notifications.api import router as notifications_router
    from apps.opinions.api import public_router as public_opinions_router
    from apps.opinions.api import router as opinions_router
    from apps.people.api import public_router
    from apps.people.api import router as people_router
    from apps.people.import_api import router as import_router
    from apps.places.api import router as places_router
    from apps.procedures.api import router as procedures_router
    from apps.projects.api import router as projects_router
    from apps.projects.api_items import public_router as public_projects_router
    from apps.projects.api_items import router as project_items_router
    from apps.public.api import router as site_router
    from apps.rectification.api import public_router as public_rectification_router
    from apps.rectification.api import router as rectification_router
    from apps.suggestions.api import public_router as public_suggestions_router
    from apps.suggestions.api import router as suggestions_router
    from apps.supervision.api import router as supervision_router
    from apps.supervision.api_figures import router as supervision_figures_router
    from apps.supervision.api_files import router as supervision_files_router
    from apps.yearplan.api import router as calendar_router

    api.add_router("/auth", accounts_router)
    api.add_router("/accounts", manage_accounts_router)
    api.add_router("/", places_router)
    api.add_router("/", people_router)
    api.add_router("/public", public_router)
    api.add_router("/public/opinions", public_opinions_router)
    api.add_router("/", opinions_router)
    api.add_router("/notifications", notifications_router)
    api.add_router("/", suggestions_router)
    api.add_router("/public/suggestions", public_suggestions_router)
    api.add_router("/imports", import_router)
    api.add_router("/", meetings_router)
    api.add_router("/public/meetings", public_meetings_router)
    api.add_router("/", elections_router)
    api.add_router("/", duty_router)
    api.add_router("/public/duty", public_duty_router)
    api.add_router("/", archive_router)
    api.add_router("/supervision", rectification_router)
    api.add_router("/procedures", procedures_router)
    api.add_router("/public/rectifications", public_rectification_router)
    api.add_router("/assessment", assessment_router)
    api.add_router("/public/assessment", public_assessment_router)
    api.add_router("/supervision", supervision_router)
    api.add_router("/supervision", supervision_figures_router)
    api.add_router("/supervision", supervision_files_router)
    api.add_router("/public/archive", public_archive_router)
    api.add_router("/", localrules_router)
    api.add_router("/", ballotbox_router)
    api.add_router("/public/ballotbox", public_ballotbox_router)
    api.add_router("/public", site_router)
    api.add_router("/audit", audit_router)
    api.add_router("/", evaluations_router)
    api.add_router("/calendar", calendar_router)
    api.add_router("/projects", projects_router)
    api.add_router("/projects", project_items_router)
    api.add_router("/public/projects", public_projects_router)
    api.add_router("/", vice_mayors_router)
    api.add_router("/public/supervision", public_evaluations_router)
    api.add_router("/supervision", dispatch_router)
    api.add_router("/", dashboards_router)
    from renda.todo_api import router as todo_router

    api.add_router("/", todo_router)


_mount()
