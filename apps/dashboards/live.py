"""The big screen's live counters (issue 20 part 6): after a record the dashboards count changes, the screens
of its town and of its county receive the new figures over their WebSocket (consumers.py; group
`dashboard-<region id>`), without reload.

The meetings' live mechanism (meetings/live.py) is the model: the figures are computed once per region and
change, serialised once, and fanned out by the channel layer; while changes pour in a region is published at
most once per `RENDA["LIVE_THROTTLE_MS"]`:
- the first change takes the region's throttle key in the Django cache (`cache.add`, shared by every process
  through Redis in production) and sends at once;
- a change while the key is held only marks the region dirty;
- the key holder runs a short trailing pump that sends again while the mark comes back, then lets the key go
  and looks once more, so the last change always reaches the screens.

Changes are seen through `post_save`/`post_delete` of the counted models (`apps.DashboardsConfig.ready`), sent
after commit; `publish` never raises into the code that saved.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, transaction
from django.utils import timezone

from apps.common import conf

# the server's event loop seen from a sync thread, and whether the layer is in-process: the meetings' own
from apps.meetings.live import _in_memory_layer, _main_loop
from apps.places.models import Region

from .charts import screen_data
from .figures import dashboard_of

logger = logging.getLogger("renda.live")
KEY_TTL_SECONDS = 5


def group_name(region_id: int) -> str:
    return f"dashboard-{region_id}"


def state_text(region: Region) -> str:
    data = screen_data(dashboard_of(region, timezone.localdate().year))
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))


def _send(region_id: int, loop=None) -> None:
    region = Region.objects.filter(pk=region_id).first()
    if region is None:
        return
    message = {"type": "live.state", "text": state_text(region)}
    send = get_channel_layer().group_send
    if loop is not None:
        asyncio.run_coroutine_threadsafe(send(group_name(region_id), message), loop).result(timeout=10)
    else:
        async_to_sync(send)(group_name(region_id), message)


def publish(region_id: int) -> None:
    """Tell the region's screens its new figures (at once, or in the trailing pump while throttled)."""
    try:
        loop = _main_loop()
        if loop is None and _in_memory_layer():
            return  # no screen can listen on this process without a running loop (a command, a sync test)
        dirty, throttle = f"dash:dirty:{region_id}", f"dash:throttle:{region_id}"
        cache.set(dirty, 1, KEY_TTL_SECONDS)
        if not cache.add(throttle, 1, KEY_TTL_SECONDS):
            return
        cache.delete(dirty)
        try:
            _send(region_id, loop)
        except Exception:
            cache.delete(throttle)  # a failed send must not hold the screens back until the key expires
            raise
        threading.Thread(target=_pump, args=(region_id, loop), name=f"dash-{region_id}", daemon=True).start()
    except Exception:
        logger.exception("live: publishing dashboard %s failed", region_id)


def _pump(region_id: int, loop) -> None:
    dirty, throttle = f"dash:dirty:{region_id}", f"dash:throttle:{region_id}"
    interval = conf.get("LIVE_THROTTLE_MS") / 1000
    try:
        while True:
            time.sleep(interval)
            if cache.delete(dirty):
                cache.set(throttle, 1, KEY_TTL_SECONDS)
                _send(region_id, loop)
                continue
            cache.delete(throttle)
            if cache.get(dirty) and cache.add(throttle, 1, KEY_TTL_SECONDS):
                cache.delete(dirty)
                _send(region_id, loop)
                continue
            return
    except Exception:
        logger.exception("live: trailing publish of dashboard %s failed", region_id)
        cache.delete(throttle)
    finally:
        connections.close_all()


def changed(sender, instance, **kwargs) -> None:
    """A counted record was saved or deleted: its town's and its county's screens, after commit."""
    regions = {getattr(instance, "town_id", None), getattr(instance, "county_id", None)} - {None}
    if not regions:
        return
    transaction.on_commit(lambda: [publish(r) for r in sorted(regions)], robust=True)
