"""WebSocket routes of the live screens, mounted by renda/asgi.py."""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from django.urls import path

from .consumers import MeetingConsumer


class BearerTokenMiddleware(BaseMiddleware):
    """Screens that are not browsers (a hall display box, the load benchmark) may authenticate like API
    clients, with `Authorization: Bearer <token>` on the handshake; a browser's session cookie (handled by
    AuthMiddlewareStack around this) comes first."""

    async def __call__(self, scope, receive, send):
        user = scope.get("user")
        if not getattr(user, "is_authenticated", False):
            token = _bearer(scope)
            if token:
                from apps.accounts.services import user_for_token

                found = await database_sync_to_async(user_for_token)(token)
                if found is not None:
                    scope = {**scope, "user": found}
        return await super().__call__(scope, receive, send)


def _bearer(scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            kind, _, token = value.decode("latin-1").partition(" ")
            if kind.lower() == "bearer":
                return token.strip()
    return ""


websocket_urlpatterns = [
    path("ws/meetings/<int:meeting_id>/<str:view>/", MeetingConsumer.as_asgi()),
]
