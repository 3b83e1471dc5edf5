#!/usr/bin/env python
"""Schemathesis over the whole OpenAPI document, as each role, against the production server shape.

Run by .ci/run on PostgreSQL (and Redis) after the test suite: it seeds the demo county into the database
DATABASE_URL names (which must be empty), gives each demo login an API token, starts gunicorn with uvicorn
workers, and runs `st run` once per role (anonymous, deputy, unit, township office, county office) with a
fixed seed and deterministic generation, the examples, coverage and fuzzing phases, and a time budget per
role. Checks: no response 5xx, and every response matches the schema the document declares. Prints the
counts (operations, requests, failures) per role and exits 1 on any failure.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/renda_fuzz .venv/bin/python .ci/fuzz_api.py
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
ROLES = ["anonymous", "deputy", "unit", "town", "county"]
SEED = 20261204
# Cases per operation and phase. With deterministic generation and the same seeded county, a run sends the
# same requests wherever it runs, so what passes here passes in CI; the time budget is a safety net only.
EXAMPLES = 10


def manage(*args: str) -> str:
    return subprocess.run(
        [str(BIN / "python"), "manage.py", *args], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout


def tokens() -> dict[str, str]:
    code = (
        "import json; from apps.accounts.models import User; from apps.accounts.services import issue_token;"
        f"print(json.dumps({{u: issue_token(user=User.objects.get(username=u)) for u in {ROLES[1:]!r}}}))"
    )
    return json.loads(manage("shell", "-c", code).strip().splitlines()[-1])


def serve(port: int) -> subprocess.Popen:
    """The production server on `port`, which must be free: another server answering there would be
    fuzzed in its place."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds: past TIME_WAIT
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            raise SystemExit(f"port {port} is taken by another process: free it or pass --port") from None
    cmd = [
        str(BIN / "gunicorn"), "renda.asgi:application", "-k", "uvicorn_worker.UvicornWorker",
        "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "60", "--log-level", "warning",
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/api/v1/openapi.json"
    for _ in range(120):
        if proc.poll() is not None:
            raise SystemExit(f"the server exited ({proc.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("the server did not start")


def fuzz(role: str, token: str | None, port: int, budget: int, out: Path) -> dict:
    report = out / f"{role}.json"
    cmd = [
        str(BIN / "st"), "run", f"http://127.0.0.1:{port}/api/v1/openapi.json",
        "--checks", "not_a_server_error,response_schema_conformance",
        "--phases", "examples,coverage,fuzzing",
        "--seed", str(SEED), "--generation-deterministic", "--max-examples", str(EXAMPLES),
        "--max-time", str(budget),
        "--workers", "2", "--request-timeout", "30", "--no-shrink",
        "--report", "json", "--report-json-path", str(report), "--output-truncate", "true",
    ]  # fmt: skip
    if token:
        cmd += ["-H", f"Authorization: Bearer {token}"]
    started = time.monotonic()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    took = time.monotonic() - started
    log = out / f"{role}.log"
    log.write_text(proc.stdout + proc.stderr)
    summary = {"role": role, "exit": proc.returncode, "seconds": round(took)}
    if report.exists():
        summary.update(_counts(json.loads(report.read_text())))
    return summary


def _counts(data: dict) -> dict:
    """Operations tested, test cases sent and distinct failures, from st's JSON run report."""
    ops, cases = data.get("operations") or {}, data.get("test_cases") or {}
    return {
        "operations": ops.get("tested"),
        "requests": cases.get("generated"),
        "failures": cases.get("unique_failures"),
        "errors": ops.get("errored"),
        "failing": sorted({op for f in data.get("failures") or [] for op in f.get("operations", [])}),
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--budget", type=int, default=240, help="at most this many seconds per role")
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--out", default=str(ROOT / "var" / "fuzz"))
    ap.add_argument("--no-seed", action="store_true", help="the database is seeded already")
    args = ap.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("DATABASE_URL must name an empty PostgreSQL database")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if not args.no_seed:
        manage("migrate", "--noinput")
        manage("seed_demo", "--if-empty")
    toks = tokens()
    proc = serve(args.port)
    try:
        results = [fuzz(r, toks.get(r), args.port, args.budget, out) for r in ROLES]
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    failed = False
    for r in results:
        print(json.dumps(r, ensure_ascii=False))
        # A finding of ours is a failure; an error inside the fuzzer itself (`errors`) is shown, not fatal.
        failed |= r.get("failures") != 0
    print(f"logs and reports: {out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
