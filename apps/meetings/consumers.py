"""The WebSocket end of the live screens: /ws/meetings/<id>/<view>/ with view hall, chair or phone.

A screen joins group `meeting-<id>-<view>` once the permission layer lets its user see the meeting (the chair
view only for the county or town office that may change it), is sent the current state at once, then every
state `live.publish` sends to the group. States arrive already serialised: nothing is computed per screen.
"""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from apps.accounts.scopes import CHANGE, VIEW, visible_to

from . import live
from .models import Meeting

# Close codes the page's script understands: refused is final, it does not retry.
CLOSE_REFUSED = 4403


def may_watch(user, meeting_id: int, view: str) -> bool:
    if view not in live.VIEWS or not getattr(user, "is_authenticated", False):
        return False
    # The chair's screen (controls, who has not voted) is for the offices that run the meeting.
    action = CHANGE if view == "chair" else VIEW
    return visible_to(user, Meeting, action).filter(pk=meeting_id).exists()


def current_state(meeting_id: int, view: str) -> str | None:
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    return live.encode(live.state_for(meeting, view)) if meeting else None


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
        """Screens only listen; a ping keeps proxies from closing an idle connection."""
        if text_data == "ping":
            await self.send(text_data="pong")

    async def live_state(self, event):
        await self.send(text_data=event["text"])
