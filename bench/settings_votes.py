"""The benchmark server's settings for the voting load (bench/vote_load.py): bench.settings_bench (production
plus the bare URL, psycopg pool) with Redis connection pools sized for hundreds of requests and screens at
once. redis-py 8 caps a pool at 100 connections and fails beyond (`MaxConnectionsError`) rather than waiting:
under ASGI every request runs in its own thread, so 250 phones pressing at once each take a cache connection
(the bearer token lookup) and 500 screens connecting or leaving at once each take a channel-layer one.

- cache: a blocking pool (threads wait up to 10 s for one of 64 connections instead of failing);
- channel layer: up to 1024 connections per worker (Redis accepts 10,000 clients by default), and a socket
  timeout above channels_redis's 5 s blocking read (BZPOPMIN): redis-py 8 defaults `socket_timeout` to 5 s,
  so a worker whose screens get nothing for 5 s has its receive loop fail with "Timeout reading from ..."
  and every screen it serves is dropped without a close frame.

These belong in the production settings (renda/settings/base.py); they live here until the lead moves them.
"""

from bench.settings_bench import *  # noqa: F403
from bench.settings_bench import CACHES, CHANNEL_LAYERS, DATABASES, REDIS_URL

# The production pool's wait (psycopg_pool's default, 30 s) rather than settings_bench's 10 s: a burst of
# ballots queues for the 8 connections of each worker.
if "pool" in DATABASES["default"].get("OPTIONS", {}):
    DATABASES["default"]["OPTIONS"]["pool"]["timeout"] = 30

if REDIS_URL:
    CACHES["default"].setdefault("OPTIONS", {}).update(
        CONNECTION_POOL_CLASS="redis.BlockingConnectionPool",
        CONNECTION_POOL_KWARGS={"max_connections": 64, "timeout": 10},
    )
    CHANNEL_LAYERS["default"]["CONFIG"]["hosts"] = [
        {"address": REDIS_URL, "max_connections": 1024, "socket_timeout": 30}
    ]
