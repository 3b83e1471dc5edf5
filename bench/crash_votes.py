"""Votes survive a crash (issue 14, item 13): a worker is killed with SIGKILL in the middle of a burst of
ballots; the phones retry; afterwards no ballot is lost, none is doubled, and the audit chain verifies.

    python bench/crash_votes.py                 # 300 deputies; 3 workers, then 1 (the only one dies)
    python bench/crash_votes.py --scenarios 3   # one scenario
    python bench/crash_votes.py --notes         # also write the figures into bench/NOTES.md

Each scenario:
1. PostgreSQL database `renda_bench_crash` (created and migrated once; each scenario adds a fresh town), Redis
   db 15 for cache, channel layer and task queue.
2. In this process, through the services: a town with N deputies (a login and bearer token each), a session, a
   plenary meeting, one named vote that does not allow a change (so a retry of a ballot that did land answers
   409 `already_voted`), every deputy checked in, the meeting and the vote opened.
3. The production server: gunicorn with W uvicorn workers serving `renda.asgi` under the production settings
   (RENDA_ENV=production, psycopg pool, Redis).
4. One keep-alive connection per deputy, opened before the vote; all N ballots are released at one moment.
   Once K ballots have been answered, the busiest worker (most open sockets) gets SIGKILL: its in-flight
   requests and its connections die with it; gunicorn's master starts a new worker. A phone whose request
   fails (connection reset or closed, a 5xx, no answer in 10 s) opens a new connection and sends the same
   ballot again, with a growing pause, until it gets 200 (counted) or 409 `already_voted` (it had landed).
5. Then, in this process: the chair closes the vote; ballots in the database against what each phone sent:
   lost (a deputy without a ballot row), doubled (rows beyond one per deputy, or audit events beyond one per
   ballot), wrong choice; and `verify_chain()` over the whole audit log.

Prints a short report, writes bench/results/crash.json and, with --notes, the section "Votes survive a crash"
of bench/NOTES.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import secrets
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import load, vote_load  # noqa: E402
from bench.vote_load import Http  # noqa: E402

RESULTS = ROOT / "bench" / "results"
NOTES = ROOT / "bench" / "NOTES.md"
DB_NAME = "renda_bench_crash"
SECTION = "## Votes survive a crash (bench/crash_votes.py)"
CHOICES = ("for", "against", "abstain")


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--deputies", type=int, default=300)
    p.add_argument("--scenarios", default="3,1", help="worker counts, one scenario each (default 3,1)")
    p.add_argument("--kill-after", type=int, default=0, help="answered ballots before the kill (default N/3)")
    p.add_argument("--max-attempts", type=int, default=30, help="tries per ballot before a phone gives up")
    p.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"))
    p.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15"))
    p.add_argument("--notes", action="store_true", help="write the figures into bench/NOTES.md")
    return p.parse_args(argv)


# --- the meeting, through the services ------------------------------------------------------------------


def prepare(n: int, label: str):
    """A town of n deputies, all checked in, a named vote without change of ballot, open."""
    from django.utils import timezone

    from apps.meetings import services

    world = vote_load.build_town(n, label)
    office, town = world["office"], world["town"]
    session = services.plan_session(
        actor=office, region=town, term=18, number=1, starts_on=timezone.localdate(), title="崩溃演练会议"
    )
    meeting = services.plan_meeting(
        actor=office,
        region=town,
        kind="plenary",
        title="第一次全体会议",
        starts_at=timezone.now(),
        session=session,
        agenda=["关于本年度民生实事项目的决议"],
    )
    item = meeting.agenda.get()
    vote = services.create_vote(
        actor=office, meeting_id=meeting.pk, agenda_item_id=item.pk, allow_change=False, title=item.title
    )
    services.open_checkin(actor=office, meeting_id=meeting.pk)
    for deputy in world["deputies"]:
        services.check_in(actor=deputy.user, meeting_id=meeting.pk)
    services.open_meeting(actor=office, meeting_id=meeting.pk)
    services.open_vote(actor=office, vote_id=vote.pk)
    return world, meeting, vote


# --- the production server ----------------------------------------------------------------------------------


def start_server(database_url: str, redis_url: str, port: int, workers: int, log_path: Path, secret_key=None):
    gunicorn = Path(sys.executable).parent / "gunicorn"
    cmd = [
        str(gunicorn),
        "renda.asgi:application",
        *("-k", load.WORKER_CLASS, "-w", str(workers), "-b", f"127.0.0.1:{port}"),
        *("--chdir", str(ROOT), "--log-level", "warning", "--graceful-timeout", "10", "--keep-alive", "120"),
    ]
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DEBUG", "DB_POOL")}
    env.update(
        RENDA_ENV="production",
        SECRET_KEY=secret_key or secrets.token_urlsafe(50),
        # the audit checkpoints' key (issue 22): production settings refuse to start without one
        RENDA_AUDIT_SIGNING_KEY=os.environ.get("RENDA_AUDIT_SIGNING_KEY") or secrets.token_hex(32),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        PYTHONPATH=str(ROOT),
    )
    with open(log_path, "ab") as log:
        return subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )


def sockets_of(pid: int) -> int:
    try:
        return sum(1 for fd in Path(f"/proc/{pid}/fd").iterdir() if os.readlink(fd).startswith("socket:"))
    except OSError:
        return 0


# --- the phones ---------------------------------------------------------------------------------------------


class Phone:
    """One deputy's phone: a keep-alive connection, and the one ballot it sends until it is answered."""

    def __init__(self, port: int, token: str, choice: str, max_attempts: int):
        self.port, self.token, self.choice, self.max_attempts = port, token, choice, max_attempts
        self.conn: Http | None = None
        self.attempts = 0
        self.errors: list[str] = []
        self.outcome = ""  # "counted" (200), "already" (409 already_voted), "failed"
        self.answered_at = 0.0

    async def connect(self):
        self.conn = Http("127.0.0.1", self.port, self.token)
        await self.conn.open()

    async def vote(self, vote_id: int, on_answer) -> None:
        rng = random.Random(self.token)
        while self.attempts < self.max_attempts:
            self.attempts += 1
            try:
                if self.conn is None:
                    await self.connect()
                path = f"/api/v1/votes/{vote_id}/ballot"
                status, body = await asyncio.wait_for(
                    self.conn.request("POST", path, {"choice": self.choice}), 10
                )
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
                self.errors.append(type(exc).__name__)
                self._drop()
            else:
                if status == 200:
                    self.outcome = "counted"
                elif status == 409 and b"already_voted" in body:
                    self.outcome = "already"
                elif status >= 500:
                    self.errors.append(f"HTTP {status}")
                    self._drop()
                else:
                    self.outcome = "failed"
                    self.errors.append(f"HTTP {status} {body[:120]!r}")
                if self.outcome:
                    self.answered_at = time.perf_counter()
                    on_answer()
                    return
            # A growing pause with jitter, as the phone page does: 50 ms, 100 ms ... up to 2 s.
            await asyncio.sleep(min(2.0, 0.05 * 2 ** min(self.attempts, 6)) * (0.5 + rng.random()))
        self.outcome = "failed"

    def _drop(self):
        if self.conn:
            self.conn.close()
        self.conn = None


async def burst(port: int, world: dict, vote, master_pid: int, args) -> dict:
    n = len(world["tokens"])
    rng = random.Random(13)
    choices = [rng.choices(CHOICES, weights=(80, 12, 8))[0] for _ in range(n)]
    phones = [Phone(port, t, c, args.max_attempts) for t, c in zip(world["tokens"], choices, strict=True)]
    for p in phones:  # one by one, so the workers' accept loops share them
        await p.connect()
        await asyncio.sleep(0.003)
    # Each phone shows the vote first (GET): every worker has served requests and cached its tokens.
    gate = asyncio.Semaphore(32)

    async def show(p):
        async with gate:
            status, _body = await p.conn.request("GET", f"/api/v1/votes/{vote.pk}")
            if status != 200:
                raise RuntimeError(f"GET the vote: HTTP {status}")

    await asyncio.gather(*(show(p) for p in phones))
    workers = load.worker_pids(master_pid)
    kill_after = args.kill_after or n // 3
    kill: dict = {}
    answered = 0

    def on_answer():
        nonlocal answered
        answered += 1
        if answered == kill_after and not kill:
            # The busiest worker: the most sockets open (its phones' connections, its pool's).
            victim = max(workers, key=sockets_of)
            kill.update(pid=victim, sockets=sockets_of(victim), answered=answered, at=time.perf_counter())
            kill["in_flight"] = sum(1 for p in phones if not p.outcome)
            os.kill(victim, signal.SIGKILL)

    start = asyncio.Event()

    async def go(p):
        await start.wait()
        await p.vote(vote.pk, on_answer)

    tasks = [asyncio.create_task(go(p)) for p in phones]
    await asyncio.sleep(0.05)
    began = time.perf_counter()
    start.set()
    respawn = asyncio.create_task(watch_respawn(master_pid, workers, kill))
    await asyncio.gather(*tasks)
    wall = time.perf_counter() - began
    await asyncio.wait_for(respawn, 30)
    for p in phones:
        p._drop()
    retried = [p for p in phones if p.attempts > 1]
    return {
        "deputies": n,
        "workers": len(workers),
        "wall_s": wall,
        "votes_per_s": n / wall,
        "kill": {k: (v - began if k in ("at", "respawned_at") else v) for k, v in kill.items()},
        "phones_retried": len(retried),
        "attempts": sum(p.attempts for p in phones),
        "errors": _count(
            " ".join(e.split()[:2]) if e.startswith("HTTP") else e for p in phones for e in p.errors
        ),
        "outcomes": _count(p.outcome for p in phones),
        "answered_after_kill": sum(1 for p in phones if kill and p.answered_at > kill["at"]),
        # The first answer to a retried ballot: from the kill until the phones are served again.
        "first_retry_answered_s": min((p.answered_at for p in retried), default=float("nan"))
        - kill.get("at", 0),
        "sent": {c: choices.count(c) for c in CHOICES},
        "choices": choices,
        "failed": [p.errors[-3:] for p in phones if p.outcome == "failed"][:5],
    }


async def watch_respawn(master_pid: int, workers: list[int], kill: dict):
    """The moment gunicorn's master has a new worker in place of the killed one."""
    while not kill:
        await asyncio.sleep(0.01)
    while True:
        now = set(load.worker_pids(master_pid))
        new = now - set(workers)
        if new and kill["pid"] not in now:
            kill.update(respawned_pid=new.pop(), respawned_at=time.perf_counter())
            return
        await asyncio.sleep(0.02)


def _count(items) -> dict:
    out: dict = {}
    for x in items:
        out[x] = out.get(x, 0) + 1
    return out


# --- what the database holds --------------------------------------------------------------------------------


def check(world: dict, vote, result: dict) -> dict:
    from apps.audit.models import AuditEvent
    from apps.audit.services import verify_chain
    from apps.meetings import services
    from apps.meetings.models import OpenBallot

    services.close_vote(actor=world["office"], vote_id=vote.pk)
    sent = {d.pk: c for d, c in zip(world["deputies"], result["choices"], strict=True)}
    rows = list(OpenBallot.objects.filter(vote=vote).values_list("deputy_id", "choice"))
    per_deputy = _count(d for d, _c in rows)
    events = AuditEvent.objects.filter(
        action="meeting.vote.cast", object_type="meetings.vote", object_id=str(vote.pk)
    )
    event_deputies = _count(s["deputy"] for s in events.values_list("summary", flat=True))
    started = time.perf_counter()
    problems = list(verify_chain())
    verify_s = time.perf_counter() - started
    verified = vote_load.verify(vote.pk, result["sent"], len(sent))
    return {
        "lost": sum(1 for d in sent if d not in per_deputy),
        "doubled": sum(c - 1 for c in per_deputy.values()) + sum(c - 1 for c in event_deputies.values()),
        "wrong_choice": sum(1 for d, c in rows if sent.get(d) != c),
        "ballot_rows": len(rows),
        "ballot_events": sum(event_deputies.values()),
        "tally": verified,
        "audit_entries": AuditEvent.objects.count(),
        "audit_problems": problems[:10],
        "audit_verifies": not problems,
        "verify_s": verify_s,
    }


def run_scenario(database_url: str, workers: int, args) -> dict:
    label = f"crash{workers}w"
    world, _meeting, vote = prepare(args.deputies, label)
    RESULTS.mkdir(parents=True, exist_ok=True)
    log_path = RESULTS / f"crash-{workers}w-gunicorn.log"
    log_path.write_text("")
    port = load.free_port()
    proc = start_server(database_url, args.redis_url, port, workers, log_path)
    try:
        load.wait_ready(f"http://127.0.0.1:{port}/accounts/login/", proc)
        print(
            f"[{workers} worker(s)] server up; {args.deputies} ballots at once, SIGKILL after "
            f"{args.kill_after or args.deputies // 3} answers ...",
            flush=True,
        )
        result = asyncio.run(burst(port, world, vote, proc.pid, args))
    finally:
        load.stop_server(proc)
    log = log_path.read_text(errors="replace")
    result["server_log"] = {
        "tracebacks": log.count("Traceback"),
        "worker_killed_lines": len(re.findall(r"SIGKILL|was sent SIGKILL|Worker \(pid:\d+\) was", log)),
    }
    result["db"] = check(world, vote, result)
    return result


# --- report -------------------------------------------------------------------------------------------------


def report(results: list[dict], meta: dict) -> str:
    head = (
        f"{meta['when']} UTC · {meta['machine']} · gunicorn + uvicorn workers (`renda.asgi`, production "
        "settings, psycopg pool), PostgreSQL 15 + Redis; the phones (one asyncio process) on the same host."
    )
    lines = [
        textwrap.fill(head, 110, break_on_hyphens=False),
        "",
        "| | " + " | ".join(f"{r['workers']} worker(s)" for r in results) + " |",
        "|---|" + "---|" * len(results),
    ]

    def row(label, fmt):
        lines.append(f"| {label} | " + " | ".join(fmt(r) for r in results) + " |")

    row("ballots released at the same moment", lambda r: str(r["deputies"]))
    row(
        "SIGKILL to the busiest worker",
        lambda r: (
            f"after {r['kill']['answered']} answers, {r['kill']['at']:.2f} s in; "
            f"{r['kill']['in_flight']} ballots unanswered then"
        ),
    )
    row(
        "new worker process / first retried ballot answered, after the kill",
        lambda r: (
            f"{r['kill']['respawned_at'] - r['kill']['at']:.2f} s / {r['first_retry_answered_s']:.2f} s"
        ),
    )
    row(
        "phones that retried / tries in all",
        lambda r: (
            f"{r['phones_retried']} / {r['attempts']} "
            f"({', '.join(f'{k} {v}' for k, v in r['errors'].items())})"
        ),
    )
    row(
        "answers: 200 counted / 409 already voted / gave up",
        lambda r: "{} / {} / {}".format(
            r["outcomes"].get("counted", 0), r["outcomes"].get("already", 0), r["outcomes"].get("failed", 0)
        ),
    )
    row("burst, kill and retries included", lambda r: f"{r['wall_s']:.2f} s ({r['votes_per_s']:.0f} votes/s)")
    row("**ballots lost**", lambda r: f"**{r['db']['lost']}**")
    row("**ballots doubled** (rows or audit events)", lambda r: f"**{r['db']['doubled']}**")
    row("choice stored ≠ choice sent", lambda r: str(r["db"]["wrong_choice"]))
    row(
        "ballot rows / ballot audit events",
        lambda r: f"{r['db']['ballot_rows']} / {r['db']['ballot_events']}",
    )
    row(
        "tally at close = sent = stored",
        lambda r: "yes" if r["db"]["tally"]["ok"] else f"NO {r['db']['tally']}",
    )
    row(
        "**audit chain verifies**",
        lambda r: (
            f"**{'yes' if r['db']['audit_verifies'] else 'NO'}** ({r['db']['audit_entries']} entries, "
            f"{r['db']['verify_s']:.1f} s)"
        ),
    )
    row("tracebacks in the server log", lambda r: str(r["server_log"]["tracebacks"]))
    ok = all(r["db"]["lost"] == 0 and r["db"]["doubled"] == 0 and r["db"]["audit_verifies"] for r in results)
    lines += [
        "",
        f"Result: **{'PASS' if ok else 'FAIL'}** (lost 0, doubled 0, chain verifies, in every scenario).",
    ]
    return "\n".join(lines) + "\n"


def write_notes(text: str) -> None:
    body = NOTES.read_text(encoding="utf-8")
    how = (
        "Issue 14, item 13: a worker killed with SIGKILL in the middle of a burst of ballots; the phones "
        "retry. How it works: bench/README.md and the script's docstring. A 409 `already_voted` answers a "
        "retry whose first try had landed (its answer was cut off with the worker, or came after the phone's "
        "10 s timeout): the database's one-ballot-per-deputy key makes the retry harmless; a client "
        "takes it as recorded (this script does). Latest run:"
    )
    section = f"{SECTION}\n\n{textwrap.fill(how, 110, break_on_hyphens=False)}\n\n{text}"
    if SECTION in body:
        start = body.index(SECTION)
        nxt = body.find("\n## ", start + len(SECTION))
        body = body[:start] + section + ("\n" + body[nxt + 1 :] if nxt != -1 else "")
    else:
        body = body.rstrip("\n") + "\n\n\n" + section
    NOTES.write_text(body, encoding="utf-8")


def main(argv=None) -> int:
    args = parse_args(argv)
    database_url = vote_load.ensure_database(args.pg_url, DB_NAME)
    vote_load.setup_django(database_url, args.redis_url)
    results = [run_scenario(database_url, int(w), args) for w in args.scenarios.split(",") if w]
    meta = {
        "when": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
        "machine": f"{os.cpu_count()} CPUs ({_cpu_model()}), Python {platform.python_version()}",
    }
    text = report(results, meta)
    print(text)
    (RESULTS / "crash.json").write_text(
        json.dumps(
            {"meta": meta, "results": [{k: v for k, v in r.items() if k != "choices"} for r in results]},
            indent=2,
            default=str,
        )
    )
    if args.notes:
        write_notes(text)
    ok = all(r["db"]["lost"] == 0 and r["db"]["doubled"] == 0 and r["db"]["audit_verifies"] for r in results)
    return 0 if ok else 1


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


if __name__ == "__main__":
    sys.exit(main())
