"""The WebSocket end of the big screen: /ws/dashboards/<region id>/. A screen joins group
`dashboard-<region id>` once its user's office covers the region (`dashboard.view` there), is sent the
current figures at once, then every state `live.publish` sends. States arrive already serialised."""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from apps.accounts import permissions as perms
from apps.places.models import Region

from . import live

CLOSE_REFUSED = 4403  # the screen's script does not retry


def may_watch(user, region_id: int) -> Region | None:
    if not getattr(user, "is_authenticated", False):
        return None
    region = Region.objects.filter(pk=region_id, level__in=("town", "county")).first()
    if region is None or not perms.holds_in(user, perms.DASHBOARD_VIEW, region):
        return None
    return region


class DashboardConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        region_id = int(self.scope["url_route"]["kwargs"]["region_id"])
        self.group = None
        region = await database_sync_to_async(may_watch)(self.scope.get("user"), region_id)
        await self.accept()
        if region is None:
            await self.close(code=CLOSE_REFUSED)
            return
        self.group = live.group_name(region_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.send(text_data=await database_sync_to_async(live.state_text)(region))

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        if text_data == "ping":  # keeps proxies from closing an idle connection
            await self.send(text_data="pong")

    async def live_state(self, event):
        await self.send(text_data=event["text"])
