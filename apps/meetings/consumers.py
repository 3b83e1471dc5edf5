"""The WebSocket end of the live screens: /ws/meetings/<id>/<view>/ with view hall, chair or phone.

A screen joins group `meeting-<id>-<view>` once the permission layer lets its user see the meeting (the chair
view only for the county or town office that may change it), is sent the current state at once, then every
state `live.publish` sends to the group. States arrive already serialised: nothing is computed per screen.

A phone may also cast its ballot over the socket it already holds:
`{"ballot": {"vote": <id>, "choice": "for"|"against"|"abstain"}, "ref": <any>}` is answered
`{"ref": ..., "ok": true}` or `{"ref": ..., "ok": false, "code", "message", "fields"}`. It is the same
`services.cast` as `POST /api/v1/votes/{id}/ballot` (same checks, one ballot per deputy by the database, the
audit event with the phone's address), without an HTTP request, the middleware and the token lookup per
ballot: the cheap path for a whole congress pressing at once (bench/vote_load.py measures both).
"""

from __future__ import annotations

import json
from types import SimpleNamespace

from channels.db import DatabaseSyncToAsync, database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from apps.accounts import permissions as perms
from apps.accounts.scopes import VIEW, visible_to
from apps.audit.middleware import client_ip
from apps.audit.services import reset_current_ip, set_current_ip
from apps.common.errors import DomainError, PermissionDenied, ValidationFailed

from . import live, services
from .models import Meeting

# Close codes the page's script understands: refused is final, it does not retry.
CLOSE_REFUSED = 4403
# Ballots of many phones run side by side in the worker's thread pool, each with its own pooled database
# connection, instead of queueing behind the one thread-sensitive thread (tests turn this off: their
# transaction is visible to their own thread only).
BALLOTS_IN_PARALLEL = True


def may_watch(user, meeting_id: int, view: str) -> bool:
    if view not in live.VIEWS or not getattr(user, "is_authenticated", False):
        return False
    # The chair's screen (controls, who has not voted) is for the offices that run the meeting.
    action = perms.MEETING_MANAGE if view == "chair" else VIEW
    return visible_to(user, Meeting, action).filter(pk=meeting_id).exists()


def cast_ballot(user, scope, vote_id, choice) -> str:
    """services.cast for a ballot sent over the socket, with the audit address of the connection; the
    receipt of a secret ballot."""
    if not isinstance(vote_id, int) or not isinstance(choice, str):
        raise ValidationFailed(fields={"choice": [str(ValidationFailed.default_message)]})
    headers = dict(scope.get("headers") or ())
    meta = {
        "REMOTE_ADDR": (scope.get("client") or ("", 0))[0],
        "HTTP_X_FORWARDED_FOR": headers.get(b"x-forwarded-for", b"").decode("latin-1"),
    }
    # A socket may outlive a revoked grant: the ballot's own read checks the login is still the deputy's.
    token = set_current_ip(client_ip(SimpleNamespace(META=meta)))
    try:
        return services.cast(actor=user, vote_id=vote_id, choice=choice)
    finally:
        reset_current_ip(token)


def current_state(meeting_id: int, view: str) -> str | None:
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        return None
    services.close_overdue_vote(meeting)
    return live.encode(live.state_for(meeting, view))


class MeetingConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        kwargs = self.scope["url_route"]["kwargs"]
        self.meeting_id, self.view = int(kwargs["meeting_id"]), kwargs["view"]
        self.group = None
        user = self.scope.get("user")
        if not await database_sync_to_async(may_watch)(user, self.meeting_id, self.view):
            await self.accept()
            await self.close(code=CLOSE_REFUSED)
            return
        self.group = live.group_name(self.meeting_id, self.view)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        text = await database_sync_to_async(current_state)(self.meeting_id, self.view)
        if text:
            await self.send(text_data=text)

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        """A ping keeps proxies from closing an idle connection; a phone may send its ballot."""
        if text_data == "ping":
            await self.send(text_data="pong")
            return
        try:
            message = json.loads(text_data or "")
        except ValueError:
            return
        if not isinstance(message, dict) or not isinstance(message.get("ballot"), dict):
            return
        reply = {"ref": message.get("ref"), "ok": True}
        if self.view != "phone":
            reply.update(ok=False, **PermissionDenied().as_dict())
        else:
            ballot = message["ballot"]
            try:
                receipt = await DatabaseSyncToAsync(cast_ballot, thread_sensitive=not BALLOTS_IN_PARALLEL)(
                    self.scope["user"], self.scope, ballot.get("vote"), ballot.get("choice")
                )
                if receipt:
                    reply["receipt"] = receipt
            except DomainError as exc:
                reply.update(ok=False, **exc.as_dict())
        await self.send(text_data=json.dumps(reply, ensure_ascii=False))

    async def live_state(self, event):
        await self.send(text_data=event["text"])
