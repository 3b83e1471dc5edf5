import json
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import transaction
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from . import text
from .errors import CommonCode, DomainError, collect_refusals, record_refusal, release_refusals


class DomainErrorPageMiddleware:
    """A domain error that escapes a page view becomes a Chinese error page with the right status,
    never a 500. (The API has its own handler that answers JSON.) A refusal it carries is written to the
    audit log here, after the view's transaction has rolled back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exc):
        record_refusal(exc)
        if isinstance(exc, DomainError) and not request.path.startswith("/api/"):
            return render(request, "error.html", {"error": exc}, status=exc.status)
        return None


class RefusalsMiddleware:
    """Writes, at the end of the request, each refusal whose exception a view caught and answered itself
    (a message beside the form, Django's own 403/404 page), so that none is lost; written ones are skipped."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        held, token = collect_refusals()
        try:
            return self.get_response(request)
        finally:
            release_refusals(held, token)


class ChineseFirstMiddleware:
    """Pages open in Chinese whatever the browser's own language; English is a choice made with the
    language switch (its cookie). Township offices often run browsers set to English by an installer, and
    a half-English page is worse than a Chinese one. API clients may still ask with Accept-Language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class TextGuardMiddleware:
    """Text at the door: every path, query string, form post and API JSON body, on every page and endpoint,
    anonymous ones included, is refused (400, with the field named) when it holds NUL, a control character
    other than tab and newline, a lone surrogate or bytes that are not UTF-8 (`common.text`); a form's CRLF
    becomes LF. An API body over DATA_UPLOAD_MAX_MEMORY_SIZE, or one that is not JSON, answers the API's JSON
    error, not an HTML page. (The API's JSON strings get their LF in `common.api.TextParser`.)

    A write (any method but GET, HEAD, OPTIONS) is refused before its view runs. A read whose query string
    is bad is first given to its view, which may name the parameter better (its label, 422 from the API's
    schema): a 400 or 422 it answers stands; anything else it answers (a page, a redirect, a 404, a 500 on
    PostgreSQL) becomes the refusal, and whatever it wrote is rolled back."""

    FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
    READS = ("GET", "HEAD", "OPTIONS")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            problem = self._problem(request)
        except RequestDataTooBig:
            problem = _refusal(413, CommonCode.TOO_LARGE, _("提交的内容过大"), "_")
        except MultiPartParserError:  # no boundary, cut short: the client's mistake, never a 500
            problem = _refusal(
                400, CommonCode.MALFORMED_BODY, _("上传的内容格式不正确，请重新选择文件上传"), "_"
            )
        if problem is not None:
            return self._answer(request, problem)
        problem = _query_problem(request)
        if problem is None:
            return self.get_response(request)
        if request.method not in self.READS:
            return self._answer(request, problem)
        with transaction.atomic():
            response = self.get_response(request)
            transaction.set_rollback(True)
        if response.status_code in (400, 422):
            return response
        # A file or stream it opened is not sent: close just those. (`response.close()` would also send
        # `request_finished`, which closes the database connection in the middle of this request.)
        for close in getattr(response, "_resource_closers", ()):
            close()
        return self._answer(request, problem)

    def _problem(self, request):
        if not text.is_clean(request.path_info):
            return _bad_text("_")
        kind = request.content_type or ""
        if request.method in self.READS:
            return None
        if kind in self.FORMS:
            if kind == self.FORMS[0] and not _utf8(unquote_to_bytes(request.body.replace(b"+", b" "))):
                return _bad_text("_")
            bad = _bad_in(request.POST)
            if bad:
                return _bad_text(bad)
            request.POST = _newlines(request.POST)
            return None
        if request.path.startswith("/api/"):
            return _json_problem(request)
        return None

    def _answer(self, request, problem):
        if request.path.startswith("/api/"):
            return JsonResponse(
                problem.as_dict(), status=problem.status, json_dumps_params={"ensure_ascii": False}
            )
        return render(request, "error.html", {"error": problem}, status=problem.status)


def _refusal(status: int, code: CommonCode, message, field: str) -> DomainError:
    error = DomainError(message, code=code, fields={field: [message]})
    error.status = status
    return error


def _query_problem(request):
    raw_query = request.META.get("QUERY_STRING", "")
    if raw_query and not _utf8(unquote_to_bytes(raw_query.replace("+", " "))):
        return _bad_text("_")
    bad = _bad_in(request.GET)
    return _bad_text(bad) if bad else None


def _bad_text(field: str) -> DomainError:
    return _refusal(400, CommonCode.BAD_TEXT, _("不能含有控制字符或无法识别的字符"), field)


def _utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _bad_in(data) -> str | None:
    """The first field of a QueryDict whose name or a value holds a forbidden character."""
    for key, values in data.lists():
        found = text.first_bad({key: [v for v in values if isinstance(v, str)]})
        if found:
            return key if text.first_bad(key) is None else "_"
    return None


def _newlines(data):
    if not any("\r" in v for values in data.lists() for v in values[1] if isinstance(v, str)):
        return data
    out = data.copy()
    for key, values in data.lists():
        out.setlist(key, [text.normalize_newlines(v) if isinstance(v, str) else v for v in values])
    out._mutable = False
    return out


def _json_problem(request):
    """An API body: within the size limit, UTF-8, JSON, and its strings clean."""
    length = request.META.get("CONTENT_LENGTH") or "0"
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is not None and length.isascii() and length.isdigit() and int(length) > limit:
        return _refusal(413, CommonCode.TOO_LARGE, _("提交的内容过大"), "_")
    body = request.body
    if not body:
        return None
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        return _bad_text("_")
    except ValueError:
        return _refusal(400, CommonCode.MALFORMED_BODY, _("请求正文不是有效的 JSON"), "_")
    bad = text.first_bad(data)
    return _bad_text(bad) if bad else None
