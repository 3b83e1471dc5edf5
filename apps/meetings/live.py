"""Live screens: after a meeting changes (check-in, vote opened, ballot cast, vote closed), the services
call `publish(meeting_id)` after commit and every connected hall, chair and phone screen of that meeting
receives the new state over its WebSocket (consumers.py; group `meeting-<id>-<view>`).

The state is computed once per view (`selectors.live_state`) and serialised once, whatever the number of
screens; the channel layer fans it out. While ballots pour in (hundreds a second) a meeting is published at
most once per `RENDA["LIVE_THROTTLE_MS"]` (default 250 ms), and its phones — hundreds of screens, where the
fan-out costs — at most once per `RENDA["LIVE_PHONE_THROTTLE_MS"]` (default 1000 ms):

- the first change takes a per-meeting throttle key in the Django cache (`cache.add`, shared by every server
  process through Redis in production) and sends at once;
- a change while the key is held only marks the meeting dirty (another cache key);
- the process holding the key runs a short trailing pump: every interval it takes the dirty mark and sends
  again (the phones when their own interval has passed, else they are marked for the next round), until
  an interval passes with nothing left to send; then it lets the key go and looks once more, so the last
  change always reaches every view;
- `final=True` (a vote has closed) bypasses the throttles and is sent to every view at once.

`publish` never raises into the service that called it: a screen missing an update is logged, a vote
is not refused.

A pump ends by itself once its meeting is quiet; `wait_idle()` (and `idle()` in async code) waits for exactly
that, so a test or a server shutting down waits for the last trailing send instead of guessing a delay.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import threading
import time
from collections import Counter

from asgiref.sync import SyncToAsync, async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections

from apps.common import conf

from . import selectors
from .models import Meeting

logger = logging.getLogger("renda.live")

VIEWS = ("hall", "chair", "phone")
# A throttle key outlives a process that died holding it by at most this long.
KEY_TTL_SECONDS = 5


def group_name(meeting_id: int, view: str) -> str:
    return f"meeting-{meeting_id}-{view}"


def throttle_seconds() -> float:
    return conf.get("LIVE_THROTTLE_MS") / 1000


def phone_throttle_seconds() -> float:
    return max(conf.get("LIVE_PHONE_THROTTLE_MS") / 1000, throttle_seconds())


def _throttle_key(meeting_id: int) -> str:
    return f"live:throttle:{meeting_id}"


def _dirty_key(meeting_id: int) -> str:
    return f"live:dirty:{meeting_id}"


def _phone_key(meeting_id: int) -> str:
    return f"live:phone:{meeting_id}"


def _phone_dirty_key(meeting_id: int) -> str:
    return f"live:phone-dirty:{meeting_id}"


def state_for(meeting, view: str) -> dict:
    """One view's state of a meeting (the meetings selectors own what each view may show)."""
    return selectors.live_state(meeting, view)


def encode(state: dict, *, final: bool = False) -> str:
    if final:
        state = {**state, "final": True}
    return json.dumps(state, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))


def compute(meeting_id: int, *, final: bool = False, views=VIEWS) -> dict[str, str] | None:
    """The views' states, serialised; None when the meeting is gone."""
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        return None
    return {view: encode(state_for(meeting, view), final=final) for view in views}


def _main_loop():
    """The server's event loop when called from one of its sync threads (a view, an on_commit hook), so
    that sends from the pump thread run where the consumers and the layer's connections live."""
    local = SyncToAsync.threadlocal
    loop = getattr(local, "main_event_loop", None)
    if loop is not None and getattr(local, "main_event_loop_pid", None) == os.getpid() and loop.is_running():
        return loop
    return None


def _in_memory_layer() -> bool:
    from channels.layers import InMemoryChannelLayer

    return isinstance(get_channel_layer(), InMemoryChannelLayer)


async def _group_send_all(meeting_id: int, texts: dict[str, str]) -> None:
    layer = get_channel_layer()
    for view, text in texts.items():
        await layer.group_send(group_name(meeting_id, view), {"type": "live.state", "text": text})


def _send(meeting_id: int, *, final: bool = False, loop=None, views=VIEWS) -> None:
    texts = compute(meeting_id, final=final, views=views)
    if not texts:
        return
    if loop is not None:
        asyncio.run_coroutine_threadsafe(_group_send_all(meeting_id, texts), loop).result(timeout=10)
    else:
        async_to_sync(_group_send_all)(meeting_id, texts)


def publish(meeting_id: int, *, final: bool = False, phones: bool = True) -> None:
    """Tell every screen of the meeting its new state; `final` when a vote has just closed (sent at once).
    `phones=False` (a ballot) refreshes the hall and the chair only: a phone needs the vote's opening, its
    own receipt and the result, not every running count; hundreds of phones are where the fan-out costs."""
    try:
        loop = _main_loop()
        if loop is None and _in_memory_layer():
            # Plain sync code (a management command, a sync test) with the in-process layer: no screen can
            # be listening on this process without a running event loop, so there is nothing to send.
            return
        if final:
            cache.delete_many([_dirty_key(meeting_id), _phone_dirty_key(meeting_id)])
            _send(meeting_id, final=True)
            return
        # Mark first, then try the key: whoever holds the key is sure to see the mark (see _pump).
        cache.set(_dirty_key(meeting_id), 1, KEY_TTL_SECONDS)
        if phones:
            cache.set(_phone_dirty_key(meeting_id), 1, KEY_TTL_SECONDS)
        if not cache.add(_throttle_key(meeting_id), 1, KEY_TTL_SECONDS):
            return
        cache.delete(_dirty_key(meeting_id))
        _send(meeting_id, views=_views_due(meeting_id))
        _start_pump(meeting_id, loop)
    except Exception:
        logger.exception("live: publishing meeting %s failed", meeting_id)


def _views_due(meeting_id: int) -> tuple[str, ...]:
    """Hall and chair now; the phones too when a change for them is marked and their slower interval has
    passed (else the mark stays for the pump)."""
    if cache.get(_phone_dirty_key(meeting_id)) and cache.add(
        _phone_key(meeting_id), 1, phone_throttle_seconds()
    ):
        cache.delete(_phone_dirty_key(meeting_id))
        return VIEWS
    return ("hall", "chair")


# The trailing pumps alive in this process, by meeting; the condition is told each time one ends.
_pumps_changed = threading.Condition()
_pumps: Counter[int] = Counter()


def _start_pump(meeting_id: int, loop) -> None:
    # Counted before the thread starts, so that a caller who has seen `publish` return also sees its pump.
    with _pumps_changed:
        _pumps[meeting_id] += 1
    try:
        threading.Thread(
            target=_pump, args=(meeting_id, loop), name=f"live-{meeting_id}", daemon=True
        ).start()
    except BaseException:
        _pump_ended(meeting_id)
        raise


def _pump_ended(meeting_id: int) -> None:
    with _pumps_changed:
        _pumps[meeting_id] -= 1
        if _pumps[meeting_id] <= 0:
            del _pumps[meeting_id]
        _pumps_changed.notify_all()


def pumps_running(meeting_id: int | None = None) -> int:
    """How many trailing pumps of this process are running (for one meeting, or for all)."""
    with _pumps_changed:
        return _pumps[meeting_id] if meeting_id is not None else sum(_pumps.values())


def wait_idle(meeting_id: int | None = None, *, timeout: float) -> bool:
    """Wait until no trailing pump of this process runs (for one meeting, or for any): its last send has
    reached the channel layer. False if `timeout` seconds pass first. Not from the event loop the pumps send
    through (they would wait for it): there, `await idle(...)`."""
    with _pumps_changed:
        return _pumps_changed.wait_for(lambda: not _running(meeting_id), timeout)


async def idle(meeting_id: int | None = None, *, timeout: float) -> bool:
    """`wait_idle` for async code: waits in a worker thread, so that the loop stays free to carry the
    pumps' sends."""
    return await asyncio.to_thread(wait_idle, meeting_id, timeout=timeout)


def _running(meeting_id: int | None) -> bool:
    return bool(_pumps[meeting_id] if meeting_id is not None else _pumps)


def _pump(meeting_id: int, loop) -> None:
    """Trailing sends while the meeting keeps changing; runs in its own thread in the key holder's process."""
    interval = throttle_seconds()
    throttle, dirty, phone_dirty = (
        _throttle_key(meeting_id),
        _dirty_key(meeting_id),
        _phone_dirty_key(meeting_id),
    )
    try:
        while True:
            time.sleep(interval)
            if cache.delete(dirty):
                cache.set(throttle, 1, KEY_TTL_SECONDS)
                _send(meeting_id, loop=loop, views=_views_due(meeting_id))
                continue
            if cache.get(phone_dirty):  # the phones are owed the last state: keep the key until sent
                cache.set(throttle, 1, KEY_TTL_SECONDS)
                if cache.add(_phone_key(meeting_id), 1, phone_throttle_seconds()):
                    cache.delete(phone_dirty)
                    _send(meeting_id, loop=loop, views=("phone",))
                continue
            cache.delete(throttle)
            # A change that came between the two lines above found the key still held: take it back.
            if cache.get(dirty) and cache.add(throttle, 1, KEY_TTL_SECONDS):
                cache.delete(dirty)
                _send(meeting_id, loop=loop, views=_views_due(meeting_id))
                continue
            return
    except Exception:
        logger.exception("live: trailing publish of meeting %s failed", meeting_id)
        cache.delete(throttle)
    finally:
        try:
            connections.close_all()  # this thread's own connections (back to the pool, if any)
        finally:
            _pump_ended(meeting_id)
