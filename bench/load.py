"""HTTP load: requests per second of the authenticated deputies list against a bare Django JSON endpoint.

One gunicorn with uvicorn workers serves bench.bare_asgi (the production app with production settings plus
`/bench/bare-deputies`) on 127.0.0.1; wrk (or, without wrk, a small threaded keep-alive client) drives each
endpoint in turn for a fixed time after a warm-up. Used by bench/run.py.
"""

from __future__ import annotations

import http.client as httpclient  # `http` below is this module's request helper
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from importlib.util import find_spec
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
# uvicorn 0.30 deprecated its gunicorn worker in favour of the uvicorn-worker package.
WORKER_CLASS = (
    "uvicorn_worker.UvicornWorker" if find_spec("uvicorn_worker") else "uvicorn.workers.UvicornWorker"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


DB_CONN_MODES = ("pool", "close", "persistent")


def mode_unavailable(db_conn: str) -> str:
    if db_conn not in DB_CONN_MODES:
        return f"unknown mode (one of {', '.join(DB_CONN_MODES)})"
    if db_conn == "pool" and not find_spec("psycopg_pool"):
        return "needs psycopg-pool (pip install 'psycopg[binary,pool]')"
    return ""


def server_env(database_url: str, db_conn: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DEBUG")}
    env.update(
        RENDA_ENV="production",
        DJANGO_SETTINGS_MODULE="bench.settings_bench",
        SECRET_KEY=secrets.token_urlsafe(50),
        # the audit checkpoints' key (issue 22): production settings refuse to start without one
        RENDA_AUDIT_SIGNING_KEY=os.environ.get("RENDA_AUDIT_SIGNING_KEY") or secrets.token_hex(32),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=database_url,
        CONN_MAX_AGE="60" if db_conn == "persistent" else "0",
        BENCH_DB_CONN=db_conn,
        PYTHONPATH=str(ROOT),
    )
    return env


def start_server(
    database_url: str, db_conn: str, port: int, workers: int, log_path: Path
) -> subprocess.Popen:
    gunicorn = (
        BIN / "gunicorn" if (BIN / "gunicorn").exists() else Path(shutil.which("gunicorn") or "gunicorn")
    )
    cmd = [
        str(gunicorn),
        "bench.bare_asgi:application",
        "-k",
        WORKER_CLASS,
        "-w",
        str(workers),
        "-b",
        f"127.0.0.1:{port}",
        "--chdir",
        str(ROOT),
        "--log-level",
        "warning",
        "--graceful-timeout",
        "10",
    ]
    with open(log_path, "ab") as log:  # the server writes to its own copy of the descriptor
        return subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=server_env(database_url, db_conn),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop_server(proc: subprocess.Popen):
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)  # the gunicorn master we started; it stops its own workers
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # its own session, created by start_server
        proc.wait()


def worker_pids(master: int) -> list[int]:
    try:
        return [int(x) for x in Path(f"/proc/{master}/task/{master}/children").read_text().split()]
    except OSError:
        return []


def cpu_ticks(pids: list[int]) -> dict[int, int]:
    """User + system CPU ticks of each process (Linux /proc), to see how evenly the workers share the load."""
    ticks = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks[pid] = int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return ticks


def split(before: dict[int, int], after: dict[int, int]) -> str:
    used = sorted((after[p] - before.get(p, 0) for p in after), reverse=True)
    total = sum(used)
    return "/".join(f"{100 * u / total:.0f}" for u in used) + " %" if total else "n/a"


def http(method: str, url: str, body: dict | None = None, headers: dict | None = None) -> tuple[int, bytes]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def wait_ready(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}")
        try:
            status, _ = http("GET", url)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"server not ready after {timeout:.0f} s: {url}")


# --- load generators ------------------------------------------------------------------------------

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    return float(m.group(1)) * _UNITS[m.group(2)] if m else float("nan")


def run_wrk(url: str, headers: dict, seconds: float, connections: int, threads: int) -> dict:
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency"]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:(.*)", out)
    lat = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)$", out, re.M))
    return {
        "tool": "wrk",
        "rps": rps,
        "requests": total,
        "non_2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(1).strip() if errors else "",
        "latency_p50_ms": _ms(lat["50"]) if "50" in lat else None,
        "latency_p99_ms": _ms(lat["99"]) if "99" in lat else None,
    }


def run_threads(url: str, headers: dict, seconds: float, connections: int, threads: int) -> dict:
    """Fallback when wrk is missing: one keep-alive connection per thread. Heavier on the CPU than wrk."""
    del threads
    parsed = urllib.parse.urlsplit(url)
    target = parsed.path + ("?" + parsed.query if parsed.query else "")
    deadline = time.perf_counter() + seconds
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: dict[int, int] = {}

    def worker():
        conn = httpclient.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
        mine, codes = [], {}
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            conn.request("GET", target, headers=headers)
            resp = conn.getresponse()
            resp.read()
            mine.append((time.perf_counter() - started) * 1000)
            codes[resp.status] = codes.get(resp.status, 0) + 1
        conn.close()
        with lock:
            latencies.extend(mine)
            for code, n in codes.items():
                statuses[code] = statuses.get(code, 0) + n

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(connections)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "tool": "python-threads",
        "rps": len(latencies) / elapsed,
        "requests": len(latencies),
        "non_2xx": sum(n for code, n in statuses.items() if not 200 <= code < 400),
        "socket_errors": "",
        "latency_p50_ms": statistics.median(ordered) if ordered else None,
        "latency_p99_ms": ordered[int(len(ordered) * 0.99) - 1] if ordered else None,
    }


def run_load(
    *,
    database_url: str,
    db_conn: str,
    facts: dict,
    seconds: float,
    warmup: float,
    rounds: int,
    connections: int,
    threads: int,
    workers: int,
    log_path: Path,
    say=print,
) -> dict:
    generator = run_wrk if shutil.which("wrk") else run_threads
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    town = facts["town"]
    bare_url = f"{base}/bench/bare-deputies?town={town['id']}"
    api_url = f"{base}/api/v1/deputies?region={town['code']}&page_size=50"
    proc = start_server(database_url, db_conn, port, workers, log_path)
    try:
        wait_ready(bare_url, proc)
        status, body = http(
            "POST", f"{base}/api/v1/auth/token", {"username": "bench-town", "password": "renda-bench"}
        )
        if status != 200:
            raise RuntimeError(f"token: HTTP {status} {body[:200]!r}")
        auth = {"Authorization": f"Bearer {json.loads(body)['token']}"}
        # Both answer the same page: 50 deputies of the town, and the same count.
        api_status, api_body = http("GET", api_url, headers=auth)
        bare_status, bare_body = http("GET", bare_url)
        if api_status != 200 or bare_status != 200:
            raise RuntimeError(f"API HTTP {api_status}, bare HTTP {bare_status}")
        api_json, bare_json = json.loads(api_body), json.loads(bare_body)
        same = [d["id"] for d in api_json["items"]] == [d["id"] for d in bare_json["items"]]
        if not same or api_json["count"] != bare_json["count"]:
            raise RuntimeError("the API and the bare endpoint do not return the same page")

        # A new connection per request: keep-alive connections opened in one burst are all accepted by
        # whichever uvicorn worker wakes first, and the run would measure one worker of two.
        close = {"Connection": "close"}
        endpoints = {"api": (api_url, {**auth, **close}), "bare": (bare_url, close)}
        runs: dict[str, list[dict]] = {"api": [], "bare": []}
        pids = worker_pids(proc.pid)
        first = last = None
        for r in range(rounds):
            order = ["bare", "api"] if r % 2 == 0 else ["api", "bare"]
            for name in order:
                url, headers = endpoints[name]
                generator(url, headers, warmup, connections, threads)  # warm-up, discarded
                before = cpu_ticks(pids)
                first = first or before
                result = generator(url, headers, seconds, connections, threads)
                last = cpu_ticks(pids)
                if result["non_2xx"] or result["socket_errors"]:
                    raise RuntimeError(f"{name}: errors under load: {result}")
                result["worker_cpu_split"] = split(before, last)
                runs[name].append(result)
                say(
                    f"    round {r + 1}/{rounds} {name:4}  {result['rps']:8.1f} req/s  "
                    f"p50 {result['latency_p50_ms']:.1f} ms  p99 {result['latency_p99_ms']:.1f} ms  "
                    f"worker CPU {result['worker_cpu_split']}"
                )
    finally:
        stop_server(proc)

    api_rps = statistics.mean(x["rps"] for x in runs["api"])
    bare_rps = statistics.mean(x["rps"] for x in runs["bare"])
    return {
        "tool": runs["api"][0]["tool"],
        "db_conn": db_conn,
        "server": f"gunicorn bench.bare_asgi:application -k {WORKER_CLASS} -w {workers}",
        "connections": connections,
        "threads": threads,
        "seconds": seconds,
        "warmup_seconds": warmup,
        "rounds": rounds,
        "api_url": api_url.replace(base, ""),
        "bare_url": bare_url.replace(base, ""),
        "api_rps": round(api_rps, 1),
        "bare_rps": round(bare_rps, 1),
        "ratio": round(api_rps / bare_rps, 3),
        "worker_cpu_split": split(first or {}, last or {}),
        "api_bytes": len(api_body),
        "bare_bytes": len(bare_body),
        "runs": runs,
    }
