"""The phone's ballot over HTTP without Django's request cycle (issue 16: the HTTP path within reach of the
socket's).

`POST /api/v1/votes/{id}/ballot` is the one request a whole congress sends at the same moment. Profiled, most
of its server time was not the ballot: the ASGI handler's thread hops, fifteen middleware, URL resolution
through every page's patterns, the API's parsing. This ASGI layer answers that one request directly when it
is the plain case: a bearer token of an active login that needs no new password, a JSON body that is exactly
`{"choice": "for"|"against"|"abstain"}`, a connection the settings accept (HTTPS where required). It calls the
same `services.cast` as the API and the socket (same checks, one ballot per deputy by the database, the audit
event with the client's address), with the same answer and the security headers Django's own middleware adds.

Everything else goes to Django unchanged, the body replayed: another path or method, a session cookie, a bad
or missing token, a body of another shape, and every refusal. A refused ballot has written nothing (`cast`
raises inside its transaction, and its refusal is left unwritten: `scopes.refusals_left_to_retry`), so Django
runs the request again and answers and records the refusal the one way it always does (`RefusalsMiddleware`,
the API's error body). Nothing here decides what `cast` does not.
"""

from __future__ import annotations

import json
import logging
import re
from types import SimpleNamespace

from channels.db import DatabaseSyncToAsync
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse

from apps.common.errors import DomainError

from .models import Choice

logger = logging.getLogger(__name__)
PATH = re.compile(r"/api/v1/votes/([1-9][0-9]{0,9})/ballot")
MAX_BODY = 1024
CHOICES = frozenset(Choice.values)
CONTENT_TYPE = "application/json; charset=utf-8"
# Ballots of many phones run side by side, each in a worker thread with its own pooled connection (tests turn
# this off: their transaction is visible to their own thread only).
PARALLEL = True


class BallotFastPath:
    def __init__(self, app):
        self.app = app
        self._headers = None

    async def __call__(self, scope, receive, send):
        post = scope["type"] == "http" and scope["method"] == "POST"
        match = PATH.fullmatch(scope["path"]) if post else None
        if match is None:
            return await self.app(scope, receive, send)
        messages, body = await _read(receive)
        if body is not None and not scope.get("query_string"):
            answer = await _in_thread(PARALLEL)(scope, int(match.group(1)), body)
            if answer is not None:
                return await _send(send, answer)
        return await self.app(scope, _replay(messages, receive), send)


def _in_thread(parallel: bool):
    """`_cast` in a worker thread (its own pooled connection) or on the thread-sensitive one; each wrapper is
    made once (making one per ballot inspects the function every time)."""
    wrapper = _WRAPPERS.get(parallel)
    if wrapper is None:
        wrapper = _WRAPPERS[parallel] = DatabaseSyncToAsync(_cast_now, thread_sensitive=not parallel)
    return wrapper


def _cast_now(scope, vote_id: int, body: bytes):
    return _cast(scope, vote_id, body)  # looked up at each call: tests replace `_cast`


_WRAPPERS: dict[bool, DatabaseSyncToAsync] = {}


async def _read(receive) -> tuple[list, bytes | None]:
    """The request's messages as received (to replay) and its body, or None past MAX_BODY or a disconnect."""
    messages, chunks, size = [], [], 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages, None
        chunk = message.get("body", b"")
        size += len(chunk)
        chunks.append(chunk)
        if size > MAX_BODY:
            return messages, None
        if not message.get("more_body"):
            return messages, b"".join(chunks)


def _replay(messages: list, receive):
    pending = list(messages)

    async def replayed():
        return pending.pop(0) if pending else await receive()

    return replayed


def _cast(scope, vote_id: int, body: bytes):
    """The response of a plain ballot, or None for Django to answer the request."""
    from django.core.handlers.asgi import ASGIRequest

    headers = {k.lower(): v for k, v in scope.get("headers") or ()}
    auth = headers.get(b"authorization", b"")
    json_body = headers.get(b"content-type", b"").startswith(b"application/json")
    if auth[:7].lower() != b"bearer " or not json_body:
        return None
    if b"cookie" in headers:  # a browser: its session and CSRF are Django's
        return None
    request = ASGIRequest(scope, SimpleNamespace(read=lambda *a: b""))
    if settings.SECURE_SSL_REDIRECT and not request.is_secure():
        return None
    try:
        request.get_host()  # a host outside ALLOWED_HOSTS is Django's 400
    except DisallowedHost:
        return None
    try:
        payload = json.loads(body)
    except ValueError:
        return None
    if not isinstance(payload, dict) or set(payload) != {"choice"} or payload["choice"] not in CHOICES:
        return None
    from apps.accounts.services import user_for_token
    from apps.audit.middleware import client_ip
    from apps.audit.services import reset_current_ip, set_current_ip

    try:
        user = user_for_token(auth[7:].decode("ascii").strip())
    except UnicodeDecodeError:
        return None
    if user is None or not user.is_active or user.must_change_password:
        return None
    from apps.accounts.scopes import refusals_left_to_retry

    from .services import cast

    token = set_current_ip(client_ip(request))
    try:
        with refusals_left_to_retry():  # Django's run of the same ballot records the refusal, once
            receipt = cast(actor=user, vote_id=vote_id, choice=payload["choice"])
    except DomainError:
        return None  # nothing written: Django answers and records the refusal
    except Exception:  # rolled back; Django answers it the way it answers any failure
        logger.exception("ballot fast path: vote %s", vote_id)
        return None
    finally:
        reset_current_ip(token)
    content = json.dumps({"ok": True, "vote": vote_id, "receipt": receipt}, ensure_ascii=False).encode()
    return content, _secured(request)


def _secured(request) -> list[tuple[bytes, bytes]]:
    """The answer's headers: its content type and those Django's middleware gives an API answer (security,
    CSP, framing), by that middleware, run once per host and scheme (all they depend on for this one path)
    and kept, encoded, since building the policy is a tenth of a ballot's own time."""
    key = (request.get_host(), request.is_secure())
    headers = _HEADERS.get(key)
    if headers is None:
        probe = HttpResponse(content_type=CONTENT_TYPE)
        for middleware in _response_middleware():
            probe = middleware.process_response(request, probe)
        headers = [(b"content-type", CONTENT_TYPE.encode("latin-1"))]
        headers += [
            (name.encode("latin-1"), value.encode("latin-1"))
            for name, value in probe.items()
            if name.lower() != "content-type"
        ]
        if len(_HEADERS) < 64:  # a handful of host names at most; never grown by what clients send
            _HEADERS[key] = headers
    return headers


# The middleware that only add headers to a response, applied as settings.MIDDLEWARE orders them.
HEADER_MIDDLEWARE = (
    "django.middleware.security.SecurityMiddleware",
    "renda.csp.RendaCSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
)
_MIDDLEWARE = None
_HEADERS: dict[tuple[str, bool], list[tuple[bytes, bytes]]] = {}


def _response_middleware():
    global _MIDDLEWARE
    if _MIDDLEWARE is None:
        from django.utils.module_loading import import_string

        names = [name for name in settings.MIDDLEWARE if name in HEADER_MIDDLEWARE]
        # Innermost first: the order Django applies them on the way out.
        _MIDDLEWARE = [import_string(name)(lambda r: None) for name in reversed(names)]
    return _MIDDLEWARE


async def _send(send, answer) -> None:
    content, headers = answer
    raw = [*headers, (b"content-length", str(len(content)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": raw})
    await send({"type": "http.response.body", "body": content})
