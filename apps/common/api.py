"""Pieces every API router uses: authentication, error shape, pagination."""

from typing import Annotated, Any, Generic, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.parser import Parser
from ninja.security import HttpBearer, SessionAuth
from pydantic import Field

from . import conf, text
from .errors import CommonCode, ValidationFailed

T = TypeVar("T")


# The one operation a token of a login that must first set a new password may call.
PASSWORD_PATH = "/api/v1/accounts/password"


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>` from `POST /api/v1/auth/token`."""

    def authenticate(self, request: HttpRequest, token: str):
        from apps.accounts.services import user_for_token

        user = user_for_token(token)
        if user is not None:
            request.user = user
            if user.must_change_password and not request.path.startswith(PASSWORD_PATH):
                from apps.accounts.errors import PasswordChangeRequired

                raise PasswordChangeRequired()  # a new or reset login sets its own password first
        return user


class BrowserSession(SessionAuth):
    """The logged-in browser session (CSRF checked on writes)."""

    def authenticate(self, request: HttpRequest, key):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_authenticated else None


AUTH = [BearerToken(), BrowserSession()]


class TextParser(Parser):
    """JSON bodies and query strings with LF line ends in every string. (What no text may hold was refused
    before the request got here, by `common.middleware.TextGuardMiddleware`; checked again here, so that an
    API mounted without it still refuses: a 400 naming no field rather than text stored that breaks files.)"""

    def parse_body(self, request):
        data = text.normalized(super().parse_body(request))
        if text.first_bad(data):
            raise ValueError("forbidden character")
        return data

    def parse_querydict(self, data, list_fields, request):
        """Query strings and form fields. A form's bad text is refused here (a PUT or PATCH form, which Django
        leaves to ninja to parse, is not seen by the middleware); a query's is left to the schema (422 naming
        the field) and, past it, to the middleware."""
        values = text.normalized(super().parse_querydict(data, list_fields, request))
        is_query = request is not None and data is request.GET
        bad = (
            None
            if is_query
            else text.first_bad({k: v for k, v in values.items() if isinstance(v, str | list)})
        )
        if bad:
            name = bad.split(".")[0]
            message = _("不能含有控制字符或无法识别的字符")
            raise ValidationFailed(message, code=CommonCode.BAD_TEXT, fields={name: [message]})
        return values


# The longest text an input may give a TextField (a column without its own limit).
TEXT_MAX = 20_000


def column(field) -> Any:
    """The type of an input written to a model's CharField or TextField `field`: text, never null, no longer
    than the column (null or too long: 422 naming the field, not a database error)."""
    return Annotated[str, Field(max_length=field.max_length or TEXT_MAX)]


class ErrorOut(Schema):
    """The body of every error answer. In the document its `code` is the schema `ErrorCode`, every app's
    codes (renda/api.py)."""

    code: str
    message: str
    fields: dict[str, list[str]] = {}


class Page(Schema, Generic[T]):
    items: list[T]
    count: int
    page: int
    page_size: int


def page_bounds(page: int = 1, page_size: int | None = None) -> tuple[int, int, int]:
    """The page size (the default, at most the maximum), the page (at least 1) and its first row's offset."""
    size = max(1, min(page_size or conf.get("RENDA_PAGE_SIZE"), conf.get("RENDA_MAX_PAGE_SIZE")))
    page = max(1, page)
    return size, page, (page - 1) * size


def paginate(qs: QuerySet, page: int = 1, page_size: int | None = None) -> dict:
    """One COUNT and one page query, whatever the page size."""
    size, page, start = page_bounds(page, page_size)
    return {"items": list(qs[start : start + size]), "count": qs.count(), "page": page, "page_size": size}


class Ref(Schema):
    """Another object named in a response: its id and name, nothing private."""

    id: int
    name: str


class RegionRef(Schema):
    code: str
    name: str


# The error answers an endpoint that changes state may give, for the OpenAPI document.
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
