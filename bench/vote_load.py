"""Voting load benchmark (issue #6 part 9): a town of 500 deputies votes on their phones at once.

    .venv/bin/python bench/vote_load.py                 # 500 deputies, 200 at once then the other 300
    .venv/bin/python bench/vote_load.py --secret        # a secret (无记名) vote instead of a named one
    .venv/bin/python bench/vote_load.py --phones 100    # fewer phone screens connected

1. PostgreSQL database `renda_bench_votes` (created and migrated; every run adds a fresh town with its own
   codes, so a run never sees another's rows), Redis db 8 for the cache and the channel layer.
2. In this process (Django against the same database): a town of N deputies with mandates, a deputy login
   and a bearer token each, a town-office login (the chair), a session, a plenary meeting planned through
   `services.plan_meeting` (so every deputy is an expected attendee), a vote on its agenda item, check-in
   opened.
3. The production server setup: gunicorn with cores + 1 uvicorn workers (uvloop, httptools) serving
   renda.asgi (bench.bare_asgi, the production settings), Django's psycopg pool, Redis cache and channel
   layer (hiredis).
4. A load generator in one asyncio loop (raw HTTP/1.1 keep-alive connections, one per deputy, opened
   when the deputy checks in and kept for the vote; `websockets` for the screens): the hall and the chair
   screen and P phone screens connected; all N deputies check in; the chair opens the meeting and the vote;
   W deputies cast at the same moment, then the other N-W; the chair closes the vote.
5. Measured: votes per second, p50/p95 time to cast, time from the last ballot until every screen shows
   all N ballots, the close request's time and the time from close until every screen shows the final
   result; then in process, the SQL queries and time of `services.close_vote` for 500 and 50 deputies
   (constant, not growing with the deputies). Verified: every ballot counted exactly once.

Writes bench/results/votes.md (and votes.json, votes-gunicorn.log). See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import secrets
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402

RESULTS = ROOT / "bench" / "results"
DB_NAME = "renda_bench_votes"
CHOICES = ("for", "against", "abstain")


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--deputies", type=int, default=500)
    p.add_argument("--first-wave", type=int, default=200, help="deputies casting at the same moment first")
    p.add_argument("--phones", type=int, default=500, help="phone screens connected (at most --deputies)")
    p.add_argument("--secret", action="store_true", help="a secret vote (default: a named, open vote)")
    p.add_argument(
        "--cast-over",
        default="http,ws",
        help="ballot paths, one vote each: http (POST /api/v1/votes/{id}/ballot), ws (the phone's socket)",
    )
    # Async workers: one per core plus one. Each serves hundreds of connections; more processes than that only
    # add context switches, and a worker descheduled while its ballot holds the audit chain's lock holds up
    # every other ballot (5 workers, the sync-worker rule 2 x cores + 1, measured ~15-25% slower here).
    p.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    p.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"))
    p.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8"))
    p.add_argument("--close-sizes", default="50,500", help="deputies of the in-process close measurements")
    return p.parse_args(argv)


# --- database and Django in this process ------------------------------------------------------------------


def ensure_database(pg_url: str, name: str = DB_NAME) -> str:
    """The URL of the bench database `name` on the server `pg_url`, created if missing."""
    import psycopg

    with psycopg.connect(f"{pg_url}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    return f"{pg_url}/{name}"


def setup_django(database_url: str, redis_url: str) -> None:
    os.environ.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        RENDA_ENV="development",
        DJANGO_SETTINGS_MODULE="renda.settings.dev",
        DEBUG="0",
        DB_POOL="0",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _token(user) -> str:
    from django.conf import settings
    from django.utils import timezone

    from apps.accounts.models import ApiToken

    raw = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user,
        key_hash=ApiToken.hash(raw),
        expires_at=timezone.now() + timedelta(days=settings.RENDA["API_TOKEN_DAYS"]),
    )
    return raw


def build_town(n: int, label: str) -> dict:
    """A town (fresh codes) with n deputies, each with a login and token, and its office user."""
    import datetime

    from django.db import transaction

    from apps.accounts.models import Role, RoleGrant, User
    from apps.people.models import Deputy, DeputyLevel, Mandate
    from apps.places.models import Region, RegionLevel

    run = secrets.token_hex(3)
    taken = Region.objects.filter(level=RegionLevel.COUNTY, code__startswith="97").count()
    code = f"97{taken:04d}"
    while Region.objects.filter(code=code).exists():
        taken += 1
        code = f"97{taken:04d}"
    with transaction.atomic():
        county = Region.objects.create(code=code, name=f"基准县{run}", level=RegionLevel.COUNTY)
        town = Region.objects.create(
            code=f"{code}100", name=f"表决镇{run}", level=RegionLevel.TOWN, parent=county
        )
        village = Region.objects.create(
            code=f"{code}100001", name=f"表决村{run}", level=RegionLevel.VILLAGE, parent=town
        )
        office = User.objects.create(username=f"vote-office-{run}-{label}")
        office.set_unusable_password()
        office.save()
        RoleGrant.objects.create(user=office, role=Role.TOWN_OFFICE, region=town)
        clerk = User.objects.create(username=f"vote-clerk-{run}-{label}")  # the second teller
        clerk.set_unusable_password()
        clerk.save()
        RoleGrant.objects.create(user=clerk, role=Role.TOWN_OFFICE, region=town)
        users = User.objects.bulk_create([User(username=f"vote-{run}-{label}-{i:04d}") for i in range(n)])
        deputies = []
        for i, user in enumerate(users):
            d = Deputy(name=f"代表{i:04d}", gender="M", region=village, top_level=DeputyLevel.TOWN, user=user)
            d.save()
            deputies.append(d)
        RoleGrant.objects.bulk_create(
            [RoleGrant(user=u, role=Role.DEPUTY, deputy=d) for u, d in zip(users, deputies, strict=True)]
        )
        Mandate.objects.bulk_create(
            [
                Mandate(
                    deputy=d,
                    level=DeputyLevel.TOWN,
                    congress_region=town,
                    term=18,
                    term_start=datetime.date(2021, 10, 1),
                    term_end=datetime.date(2099, 12, 31),
                )
                for d in deputies
            ]
        )
        tokens = [_token(u) for u in users]
    return {
        "town": town,
        "office": office,
        "office_token": _token(office),
        "clerk": clerk,
        "clerk_token": _token(clerk),
        "deputies": deputies,
        "tokens": tokens,
    }


def plan_vote(world: dict, *, secret: bool, votes: int = 1):
    """A plenary meeting of the town's congress with `votes` agenda items and a vote on each; check-in
    opened. Returns the meeting and its votes (one vote when votes=1)."""
    from django.utils import timezone

    from apps.meetings import services
    from apps.meetings.models import Meeting

    office, town = world["office"], world["town"]
    session = services.plan_session(
        actor=office, region=town, term=18, number=1, starts_on=timezone.localdate(), title="基准会议"
    )
    meeting = services.plan_meeting(
        actor=office,
        region=town,
        kind="plenary",
        title="第一次全体会议",
        starts_at=timezone.now(),
        session=session,
        agenda=[f"关于民生实事项目的决议（{i}）" for i in range(1, votes + 1)],
    )
    if secret:  # the two tellers of the meeting's secret votes: the office and a second clerk
        tellers = [world["office"], world["clerk"]]
        services.name_tellers(actor=office, meeting_id=meeting.pk, user_ids=[u.pk for u in tellers])
    made = [
        services.create_vote(
            actor=office, meeting_id=meeting.pk, agenda_item_id=item.pk, secret=secret, title=item.title
        )
        for item in meeting.agenda.order_by("order")
    ]
    if secret:  # each teller makes the key shares of every box at once (the teller desk's step)
        from apps.ballotbox import services as ballotbox

        world["codes"] = [ballotbox.make_teller_keys(actor=u)[0] for u in tellers]
    services.open_checkin(actor=office, meeting_id=meeting.pk)
    return Meeting.objects.get(pk=meeting.pk), (made[0] if votes == 1 else made)


# --- the load generator: raw HTTP/1.1 keep-alive and WebSocket screens --------------------------------------


class Http:
    """One keep-alive HTTP/1.1 connection over asyncio streams (httpx is not installed)."""

    def __init__(self, host: str, port: int, token: str):
        self.host, self.port, self.token = host, port, token
        self.reader = self.writer = None

    async def open(self):
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        data = json.dumps(body).encode() if body is not None else b""
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\nAuthorization: Bearer {self.token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n"
        )
        self.writer.write(head.encode() + data)
        await self.writer.drain()
        # the head in one read (a phone's HTTP stack parses it natively; a line-by-line parse here would
        # spend the shared cores on the load generator rather than the server)
        try:
            head_in = await self.reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError as exc:
            raise ConnectionError("server closed the connection") from exc
        status_line, *lines = head_in[:-4].split(b"\r\n")
        status = int(status_line.split()[1])
        length, chunked = 0, False
        for line in lines:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
        if chunked:
            payload = b""
            while True:
                size = int((await self.reader.readline()).strip(), 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                payload += chunk[:-2]
            return status, payload
        return status, await self.reader.readexactly(length)

    def close(self):
        if self.writer:
            self.writer.close()


class Screen:
    """One connected screen; notes when it first showed the vote open, all ballots in, and the final
    result."""

    def __init__(self, view: str, token: str):
        self.view, self.token = view, token
        self.messages = 0
        self.opened_at = self.all_in_at = self.final_at = None
        self.final_state = None
        self.target = None  # (vote id, ballots expected)
        self.last = None  # (state, voted, version) of the target vote last shown
        self.ready = asyncio.Event()
        self.ws = None
        self.acks: dict[int, asyncio.Future] = {}

    def reset(self, target):
        self.target = target
        self.opened_at = self.all_in_at = self.final_at = None
        self.final_state = None

    async def cast(self, vote_id: int, choice: str) -> dict:
        """A ballot over this (phone) socket; the answer is matched by its ref."""
        ref = len(self.acks)
        self.acks[ref] = asyncio.get_running_loop().create_future()
        await self.ws.send(json.dumps({"ballot": {"vote": vote_id, "choice": choice}, "ref": ref}))
        return await self.acks[ref]

    async def run(self, url: str, origin: str):
        import websockets

        async with websockets.connect(
            url,
            additional_headers={"Authorization": f"Bearer {self.token}"},
            origin=origin,
            max_size=None,
            open_timeout=60,
            ping_interval=None,
        ) as ws:
            self.ws = ws
            async for raw in ws:
                now = time.perf_counter()
                state = json.loads(raw)
                if "ref" in state:
                    self.acks[state["ref"]].set_result(state)
                    continue
                self.messages += 1
                self.ready.set()
                vote = state.get("vote") or {}
                if self.target is None or vote.get("id") != self.target[0]:
                    continue
                self.last = (vote.get("state"), vote.get("voted"), state.get("version"))
                if vote.get("state") == "open" and self.opened_at is None:
                    self.opened_at = now
                if vote.get("voted") == self.target[1] and self.all_in_at is None:
                    self.all_in_at = now
                if vote.get("state") == "closed" and self.final_at is None:
                    self.final_at, self.final_state = now, vote


def cpu_busy(before=None):
    """The machine's CPU time split (/proc/stat); with `before`, the busy share since then."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle, total = fields[3] + fields[4], sum(fields)
    if before is None:
        return idle, total
    d_idle, d_total = idle - before[0], total - before[1]
    return round(1 - d_idle / d_total, 3) if d_total else None


def cpu_by_process() -> dict[str, float]:
    """CPU seconds so far of every process on the machine, summed by kind (server worker, PostgreSQL, Redis,
    this load generator, other)."""
    tick = os.sysconf("SC_CLK_TCK")
    me = os.getpid()
    out: dict[str, float] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
            cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        secs = (int(fields[11]) + int(fields[12])) / tick
        if int(d.name) == me:
            kind = "load generator"
        elif "postgres" in cmd:
            kind = "PostgreSQL"
        elif "redis" in cmd:
            kind = "Redis"
        elif "gunicorn" in cmd:
            kind = "server"
        else:
            kind = "other"
        out[kind] = out.get(kind, 0) + secs
    return out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))] if ordered else float("nan")


async def wait_for(pred, timeout: float, what: str):
    deadline = time.perf_counter() + timeout
    while not pred():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await asyncio.sleep(0.005)


def first_wave_spread(port: int, phones: list, phone_screens: list, wave: int) -> dict:
    """How the first wave's keep-alive HTTP connections and phone sockets are spread over the server's
    workers (each worker accepts the connections it wins and keeps them): sorted counts per worker, from
    `ss`; {} where `ss` is missing. A worker holding many more of the wave than the others is the wave's
    bottleneck (one process, one GIL), whichever path is measured."""
    import subprocess

    try:
        out = subprocess.run(
            ["ss", "-Htnp", "state", "established", f"( sport = :{port} )"], capture_output=True, text=True
        ).stdout
    except OSError:
        return {}
    worker = {}
    for line in out.splitlines():
        parts = line.split()
        pid = parts[-1].partition("pid=")[2].partition(",")[0]
        if len(parts) >= 4 and pid:
            worker[int(parts[3].rpartition(":")[2])] = pid
    http = [worker.get(c.writer.get_extra_info("sockname")[1]) for c in phones[:wave]]
    ws = [worker.get(s.ws.local_address[1]) for s in phone_screens[:wave] if s.ws is not None]

    def counts(pids):
        return sorted((pids.count(p) for p in set(pids) if p), reverse=True)

    return {"http": counts(http), "ws": counts(ws)}


async def drive(port: int, world: dict, meeting, votes: list, args) -> dict:
    host = "127.0.0.1"
    n = len(world["tokens"])
    office = Http(host, port, world["office_token"])
    await office.open()
    clerk = Http(host, port, world["clerk_token"])
    await clerk.open()
    tellers = list(zip((office, clerk), world.get("codes", ()), strict=False))
    phones = [Http(host, port, t) for t in world["tokens"]]

    base_ws, origin = f"ws://{host}:{port}/ws/meetings/{meeting.pk}", f"http://{host}:{port}"
    screens = [Screen("hall", world["office_token"]), Screen("chair", world["office_token"])]
    phone_screens = [Screen("phone", t) for t in world["tokens"][: args.phones]]
    screens += phone_screens
    tasks = []
    for s in screens:
        tasks.append(asyncio.create_task(s.run(f"{base_ws}/{s.view}/", origin)))
        await asyncio.sleep(0.002)
    await wait_for(lambda: all(s.ready.is_set() for s in screens), 60, "every screen's first state")
    for t in tasks:
        if t.done() and t.exception():
            raise t.exception()
    print(f"  {len(screens)} screens connected; {n} deputies check in ...", flush=True)

    # Everyone checks in on their phone, then the chair opens the meeting.
    # (32 at a time: deputies arrive over minutes; this is set-up, not a figure of the bar.)
    gate = asyncio.Semaphore(32)

    async def check_in(conn):
        async with gate:  # a phone opens its connection when it checks in, and keeps it to vote
            await conn.open()
            return await conn.request("POST", f"/api/v1/meetings/{meeting.pk}/checkin")

    t0 = time.perf_counter()
    res = await asyncio.gather(*(check_in(c) for c in phones))
    checkin_s = time.perf_counter() - t0
    bad = [r for r in res if r[0] != 200]
    if bad:
        raise RuntimeError(f"check-in: {len(bad)} failed, e.g. {bad[0]}")
    status, body = await office.request("POST", f"/api/v1/meetings/{meeting.pk}/open")
    if status != 200:
        raise RuntimeError(f"open the meeting: HTTP {status} {body[:300]!r}")
    spread = first_wave_spread(port, phones, phone_screens, args.first_wave)
    if spread:
        print(f"  the first wave's connections per server worker: {spread}", flush=True)

    rounds = {}
    for mode, vote in zip(args.cast_over, votes, strict=True):
        rounds[mode] = await run_vote(mode, vote, office, phones, phone_screens, screens, args, tellers)
    for t in tasks:
        t.cancel()
    for c in [*phones, office, clerk]:
        c.close()
    return {
        "deputies": n,
        "first_wave_per_worker": spread,
        "screens": {"hall": 1, "chair": 1, "phone": args.phones},
        "checkin_s": checkin_s,
        "rounds": rounds,
    }


async def run_vote(mode, vote, office, phones, phone_screens, screens, args, tellers) -> dict:
    """The chair opens the vote; the deputies cast over `mode` (http: POST /api/v1/votes/{id}/ballot on
    their keep-alive connection; ws: a ballot message on their phone screen's socket), first the first
    wave at the same moment, then the rest; the chair closes it. A secret vote is then counted by its two
    tellers (POST /api/v1/ballotbox/teller/shares with their code), and the final figures are awaited from
    the last teller's share."""
    n = len(phones)
    for s in screens:
        s.reset((vote.pk, n))
    status, body = await office.request("POST", f"/api/v1/votes/{vote.pk}/open")
    if status != 200:
        raise RuntimeError(f"open the vote: HTTP {status} {body[:300]!r}")
    t_open = time.perf_counter()
    await wait_for(lambda: all(s.opened_at for s in screens), 10, "every screen to show the vote open")
    open_fanout = max(s.opened_at for s in screens) - t_open
    print(f"  [{mode}] vote open on every screen after {open_fanout * 1000:.0f} ms; casting ...", flush=True)

    rng = random.Random(6)
    choices = [rng.choices(CHOICES, weights=(80, 12, 8))[0] for _ in range(n)]
    latencies: list[float] = [0.0] * n
    done_at: list[float] = [0.0] * n
    failures: list[str] = []

    async def cast(i: int, start: asyncio.Event):
        await start.wait()
        began = time.perf_counter()
        if mode == "ws":
            reply = await phone_screens[i].cast(vote.pk, choices[i])
            ok, detail = reply.get("ok"), reply
        else:
            path = f"/api/v1/votes/{vote.pk}/ballot"
            status, body = await phones[i].request("POST", path, {"choice": choices[i]})
            ok, detail = status == 200, (status, body[:200])
        done_at[i] = time.perf_counter()
        latencies[i] = done_at[i] - began
        if not ok:
            failures.append(f"ballot {i}: {detail}")

    waves = {}
    busy_before, procs_before = cpu_busy(), cpu_by_process()
    order = list(range(n))
    for name, idx in (("first", order[: args.first_wave]), ("rest", order[args.first_wave :])):
        if not idx:
            continue
        start = asyncio.Event()
        pending = [asyncio.create_task(cast(i, start)) for i in idx]
        await asyncio.sleep(0.05)  # every task is waiting on the same event
        began = time.perf_counter()
        start.set()
        await asyncio.gather(*pending)
        wall = max(done_at[i] for i in idx) - began
        lat = [latencies[i] for i in idx]
        waves[name] = {
            "ballots": len(idx),
            "wall_s": wall,
            "votes_per_s": len(idx) / wall,
            "p50_ms": statistics.median(lat) * 1000,
            "p95_ms": pct(lat, 0.95) * 1000,
            "max_ms": max(lat) * 1000,
        }
    busy = cpu_busy(busy_before)
    procs_after = cpu_by_process()
    cpu_split = {
        k: round(procs_after.get(k, 0) - procs_before.get(k, 0), 2) for k in procs_after if k != "other"
    }
    # "other" from the machine's busy time: processes that ended meanwhile (test runs) leave /proc.
    idle_now, total_now = cpu_busy()
    busy_ticks = (total_now - busy_before[1]) - (idle_now - busy_before[0])
    busy_seconds = busy_ticks / os.sysconf("SC_CLK_TCK")
    cpu_split["other"] = round(max(busy_seconds - sum(cpu_split.values()), 0), 2)
    for line in failures[:5]:
        print(f"  {line}", file=sys.stderr)
    last_ballot = max(done_at)
    # Ballots refresh the hall and the chair; phones get the opening, the close and the result
    # (live.publish(phones=False)), so the running count is awaited on the room's screens.
    counting = [s for s in screens if s.view != "phone"]
    try:
        await wait_for(lambda: all(s.all_in_at for s in counting), 10, "hall and chair to show all ballots")
    except TimeoutError:
        shown = {}
        for s in screens:
            shown[s.last] = shown.get(s.last, 0) + 1
        raise TimeoutError(f"screens show (state, voted, version): {shown}") from None
    all_in = max(s.all_in_at for s in counting) - last_ballot

    t_close = time.perf_counter()
    status, body = await office.request("POST", f"/api/v1/votes/{vote.pk}/close")
    close_http = time.perf_counter() - t_close
    if status != 200:
        raise RuntimeError(f"close: HTTP {status} {body[:300]!r}")
    decryption = {}
    if args.secret:
        for n_teller, (conn, code) in enumerate(tellers):
            t_share = time.perf_counter()
            status, body = await conn.request("POST", "/api/v1/ballotbox/teller/shares", {"code": code})
            if status != 200:
                raise RuntimeError(f"teller's share: HTTP {status} {body[:300]!r}")
            decryption[f"share_{n_teller + 1}_http_s"] = time.perf_counter() - t_share
        t_last = t_share
    await wait_for(lambda: all(s.final_at for s in screens), 10, "every screen to show the final result")
    final_after_close = max(s.final_at for s in screens) - t_close
    if args.secret:
        decryption["screens_final_after_last_share_s"] = max(s.final_at for s in screens) - t_last
    finals = {json.dumps({k: s.final_state[k] for k in ("for", "against", "abstain")}) for s in screens}
    return {
        "vote": vote.pk,
        "open_fanout_s": open_fanout,
        "waves": waves,
        "ballots_failed": len(failures),
        "cpu_busy_during_casts": busy,
        "cpu_seconds_during_casts": cpu_split,
        "all_p50_ms": statistics.median(latencies) * 1000,
        "all_p95_ms": pct(latencies, 0.95) * 1000,
        "all_votes_per_s": n / sum(w["wall_s"] for w in waves.values()),
        "screens_all_ballots_after_last_s": all_in,
        "close_http_s": close_http,
        "screens_final_after_close_s": final_after_close,
        "decryption": decryption,
        "server_cpu_ms_per_ballot": cpu_split.get("server", 0) * 1000 / n,
        "screen_finals_distinct": len(finals),
        "screen_messages": sum(s.messages for s in screens),
        "expected": {c: choices.count(c) for c in CHOICES},
    }


# --- verification and the in-process close ------------------------------------------------------------------


def verify(vote_id: int, expected: dict, n: int) -> dict:
    from apps.ballotbox.models import Sealed
    from apps.meetings.models import OpenBallot, Vote, VoteParticipation
    from apps.meetings.services.votes import vote_box

    vote = Vote.objects.get(pk=vote_id)
    stored = {"for": vote.votes_for, "against": vote.votes_against, "abstain": vote.votes_abstain}
    if vote.secret:
        rows = VoteParticipation.objects.filter(vote=vote).count()
        distinct = VoteParticipation.objects.filter(vote=vote).values("deputy").distinct().count()
        box = vote_box(vote.pk)  # the tellers' decryption of the combined ballots, and the ballots' count
        counted = (
            dict(zip(CHOICES, box.totals, strict=True))
            if Sealed.objects.filter(box=box).count() == rows
            else {}
        )
    else:
        rows = OpenBallot.objects.filter(vote=vote).count()
        distinct = OpenBallot.objects.filter(vote=vote).values("deputy").distinct().count()
        counted = {c: OpenBallot.objects.filter(vote=vote, choice=c).count() for c in CHOICES}
    counted = {c: counted.get(c, 0) for c in CHOICES}
    ok = rows == distinct == n and counted == expected == stored and vote.present == n
    return {
        "ok": ok,
        "rows": rows,
        "distinct_deputies": distinct,
        "counted": counted,
        "stored": stored,
        "expected": expected,
        "present": vote.present,
        "total": vote.total_deputies,
        "adopted": vote.adopted,
    }


def close_in_process(n: int, *, secret: bool) -> dict:
    """Close a vote of n deputies through services.close_vote and count its SQL (the live publish after
    commit included, apart)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from apps.ballotbox import services as ballotbox
    from apps.meetings import live, services
    from apps.meetings.models import Attendee, OpenBallot, VoteParticipation
    from apps.meetings.services.votes import CHOICE_INDEX, vote_box

    world = build_town(n, f"close{n}")
    meeting, vote = plan_vote(world, secret=secret)
    Attendee.objects.filter(meeting=meeting, voting=True).update(checked_in_at=timezone.now())
    services.open_meeting(actor=world["office"], meeting_id=meeting.pk)
    services.open_vote(actor=world["office"], vote_id=vote.pk)
    rng = random.Random(n)
    picks = [rng.choice(CHOICES) for _ in world["deputies"]]
    if secret:
        rows = [VoteParticipation(vote=vote, deputy=d) for d in world["deputies"]]
        VoteParticipation.objects.bulk_create(rows)
        box = vote_box(vote.pk)
        for c in picks:
            ballotbox.seal(box_id=box.pk, choices=CHOICE_INDEX[c])
    else:
        now = timezone.now()
        OpenBallot.objects.bulk_create(
            [
                OpenBallot(vote=vote, deputy=d, choice=c, cast_at=now)
                for d, c in zip(world["deputies"], picks, strict=True)
            ]
        )
    publish_queries = []
    real_publish = live.publish

    def counted_publish(meeting_id, *, final=False):
        before = len(ctx.captured_queries)
        real_publish(meeting_id, final=final)
        publish_queries.append(len(ctx.captured_queries) - before)

    live.publish = counted_publish
    try:
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            services.close_vote(actor=world["office"], vote_id=vote.pk)
            elapsed = time.perf_counter() - started
    finally:
        live.publish = real_publish
    publish = sum(publish_queries)
    return {
        "deputies": n,
        "queries": len(ctx.captured_queries),
        "queries_close": len(ctx.captured_queries) - publish,
        "queries_publish": publish,
        "ms": elapsed * 1000,
    }


def start_server(database_url: str, port: int, workers: int, log_path: Path):
    """bench/load.py's production server, with keep-alive connections held 120 s (gunicorn's default is 2 s:
    phones that opened their connection before the vote would find it closed when they press the button;
    behind a reverse proxy the proxy holds them)."""
    import subprocess

    cmd = [
        str(load.BIN / "gunicorn"),
        os.environ.get("BENCH_VOTES_APP", "bench.bare_asgi:application"),
        *("-k", load.WORKER_CLASS, "-w", str(workers), "-b", f"127.0.0.1:{port}"),
        *("--chdir", str(ROOT), "--log-level", "warning", "--graceful-timeout", "10"),
        *("--keep-alive", "120"),
    ]
    with open(log_path, "ab") as log:
        return subprocess.Popen(
            cmd,
            cwd=ROOT,
            env={**load.server_env(database_url, "pool"), "DJANGO_SETTINGS_MODULE": "bench.settings_votes"},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


# --- report -------------------------------------------------------------------------------------------------


PATHS = {
    "http": "POST /api/v1/votes/{id}/ballot (bearer token, keep-alive)",
    "ws": "ballot message on the phone's live socket",
}


def report(r: dict, verified: dict, closes: list[dict], meta: dict) -> str:
    lines = [
        "# Voting load benchmark",
        "",
        f"{meta['when']} · {meta['machine']} · {meta['server']} · PostgreSQL + Redis "
        "(cache and channel layer)",
        "",
        f"{r['deputies']} deputies with tokens, {'secret' if meta['secret'] else 'named (open)'} votes; "
        f"screens connected: 1 hall, 1 chair, {r['screens']['phone']} phones (WebSocket). The load generator "
        "(one asyncio process, one keep-alive connection and one phone socket per deputy) runs on the same "
        f"2 cores. All {r['deputies']} checked in ({r['checkin_s']:.1f} s, 32 at a time), then one vote per "
        "ballot path in the same meeting.",
        "",
        "| what | " + " | ".join(PATHS[m] for m in r["rounds"]) + " |",
        "|---|" + "---|" * len(r["rounds"]),
    ]

    def row(label, fmt):
        lines.append(f"| {label} | " + " | ".join(fmt(x) for x in r["rounds"].values()) + " |")

    def wave(key):
        def fmt(x):
            w = x["waves"].get(key)
            if not w:
                return "—"
            return (
                f"**{w['votes_per_s']:.0f} votes/s** ({w['wall_s']:.2f} s); p50 {w['p50_ms']:.0f} ms, "
                f"**p95 {w['p95_ms']:.0f} ms**, max {w['max_ms']:.0f} ms"
            )

        return fmt

    first = next(iter(r["rounds"].values()))["waves"]
    row("vote opened → every screen shows it", lambda x: f"{x['open_fanout_s'] * 1000:.0f} ms")
    row(f"first {first['first']['ballots']} ballots, cast at the same moment", wave("first"))
    if "rest" in first:
        row(f"the other {first['rest']['ballots']}, cast at the same moment", wave("rest"))
    row(
        f"all {r['deputies']} ballots",
        lambda x: (
            f"{x['all_votes_per_s']:.0f} votes/s; p50 {x['all_p50_ms']:.0f} ms, "
            f"p95 {x['all_p95_ms']:.0f} ms; {x['ballots_failed']} failed"
        ),
    )
    row(
        f"last ballot → hall and chair show all {r['deputies']}",
        lambda x: f"{x['screens_all_ballots_after_last_s'] * 1000:.0f} ms",
    )
    row("close request (HTTP, chair)", lambda x: f"{x['close_http_s'] * 1000:.0f} ms")
    if meta["secret"]:
        row(
            "tellers' shares (HTTP, each decrypts the combined totals)",
            lambda x: " and ".join(
                f"{v * 1000:.0f} ms" for k, v in sorted(x["decryption"].items()) if k.startswith("share_")
            ),
        )
        row(
            "last teller's share sent → every screen shows the final result",
            lambda x: f"**{x['decryption']['screens_final_after_last_share_s'] * 1000:.0f} ms**",
        )
    row(
        "server CPU per ballot (server processes' CPU while casting / ballots)",
        lambda x: f"**{x['server_cpu_ms_per_ballot']:.2f} ms**",
    )
    row(
        "close sent → every screen shows the final result",
        lambda x: (
            f"**{x['screens_final_after_close_s'] * 1000:.0f} ms** "
            f"({x['screen_finals_distinct']} distinct final tally)"
        ),
    )
    row("states received by all screens during the vote", lambda x: str(x["screen_messages"]))
    row("CPU busy while casting (the whole machine)", lambda x: f"{x['cpu_busy_during_casts']:.0%}")
    row(
        "CPU seconds while casting, by process",
        lambda x: ", ".join(f"{k} {v:.1f}" for k, v in sorted(x["cpu_seconds_during_casts"].items()) if v),
    )
    lines += [
        "",
        '("other" is everything else on the machine, e.g. other people\'s test runs; "PostgreSQL" '
        "counts every PostgreSQL process, theirs included.)",
        "",
        "Close in process (`services.close_vote`, CaptureQueriesContext, same database):",
        "",
        "| deputies | SQL queries | of which the close | of which the live publish | time |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {c['deputies']} | {c['queries']} | {c['queries_close']} | {c['queries_publish']} | "
        f"{c['ms']:.1f} ms |"
        for c in closes
    ]
    lines += ["", "Counted:", ""]
    for mode, v in verified.items():
        lines.append(
            f"- {mode}: rows {v['rows']} for {v['distinct_deputies']} distinct deputies; "
            f"sent {v['expected']}, in the ballots {v['counted']}, stored result {v['stored']}; "
            f"present {v['present']} of {v['total']}, adopted {v['adopted']}."
        )
    lines += ["", "| bar | " + " | ".join(r["rounds"]) + " |", "|---|" + "---|" * len(r["rounds"])]
    checks = [
        ("every ballot counted exactly once", lambda m, x: verified[m]["ok"] and x["ballots_failed"] == 0),
        ("at least 200 votes/s (first wave)", lambda m, x: x["waves"]["first"]["votes_per_s"] >= 200),
        ("p95 time to cast under 1 s (all ballots)", lambda m, x: x["all_p95_ms"] < 1000),
        (
            "every screen final within 1 s of the tellers' decryption"
            if meta["secret"]
            else "every screen final within 1 s of close",
            lambda m, x: (
                (
                    x["decryption"]["screens_final_after_last_share_s"]
                    if meta["secret"]
                    else x["screens_final_after_close_s"]
                )
                < 1
            ),
        ),
    ]
    for label, ok in checks:
        cells = ["PASS" if ok(m, x) else "FAIL" for m, x in r["rounds"].items()]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    constant = len({c["queries"] for c in closes}) == 1
    lines.append(
        f"| close: the same SQL queries for {', '.join(str(c['deputies']) for c in closes)} deputies | "
        + " | ".join(["PASS" if constant else "FAIL"] * len(r["rounds"]))
        + " |"
    )
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    args = parse_args(argv)
    args.phones = min(args.phones, args.deputies)
    args.cast_over = [m for m in args.cast_over.split(",") if m]
    if "ws" in args.cast_over:
        args.phones = args.deputies  # every deputy casts on their own phone screen
    database_url = ensure_database(args.pg_url)
    setup_django(database_url, args.redis_url)
    print(f"database {DB_NAME} migrated; building a town of {args.deputies} deputies ...", flush=True)
    world = build_town(args.deputies, "load")
    meeting, votes = plan_vote(world, secret=args.secret, votes=len(args.cast_over))
    votes = votes if isinstance(votes, list) else [votes]

    RESULTS.mkdir(parents=True, exist_ok=True)
    log_path = RESULTS / "votes-gunicorn.log"
    port = load.free_port()
    os.environ["REDIS_URL"] = args.redis_url  # the server's cache and channel layer
    proc = start_server(database_url, port, args.workers, log_path)
    try:
        load.wait_ready(f"http://127.0.0.1:{port}/bench/bare-deputies?town={world['town'].pk}", proc)
        pids = load.worker_pids(proc.pid)
        before = load.cpu_ticks(pids)
        print(f"server up (gunicorn, {args.workers} uvicorn workers); connecting screens ...", flush=True)
        result = asyncio.run(drive(port, world, meeting, votes, args))
        result["worker_cpu_split"] = load.split(before, load.cpu_ticks(pids))
    finally:
        load.stop_server(proc)

    verified = {mode: verify(x["vote"], x["expected"], args.deputies) for mode, x in result["rounds"].items()}
    close_in_process(5, secret=args.secret)  # warm-up: first-use caches (content types) are not the close's
    closes = [close_in_process(int(s), secret=args.secret) for s in args.close_sizes.split(",")]
    meta = {
        "when": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{os.cpu_count()} CPUs, {platform.python_implementation()} {platform.python_version()}",
        "server": f"gunicorn -k {load.WORKER_CLASS} -w {args.workers} (production settings, psycopg pool)",
        "secret": args.secret,
    }
    text = report(result, verified, closes, meta)
    print(text)
    (RESULTS / "votes.md").write_text(text)
    (RESULTS / "votes.json").write_text(
        json.dumps({"result": result, "verified": verified, "closes": closes, "meta": meta}, indent=2)
    )
    return 0 if all(v["ok"] for v in verified.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
