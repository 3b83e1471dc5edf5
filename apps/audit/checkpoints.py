"""Signed checkpoints of the audit chain's head (issue 22), and the append-only file that keeps them.

A checkpoint is one JSON line:

    {"v": 1, "kind": "anchor" | "reanchor", "seq": 4285, "link": "<entry_hash of #4285>",
     "at": "2026-12-04T10:20:00Z", "reason": "meeting.vote.closed", "key_id": "<16 hex>",
     "prev": "<fingerprint of the checkpoint before it, or empty>", "sig": "<Ed25519 signature, hex>"}

The signature covers the canonical JSON (sorted keys, no spaces, UTF-8) of every field but `sig`. The
fingerprint is SHA-256 of the canonical JSON of the whole line, `sig` included; `prev` chains the file's
lines, so a line taken out of the file shows. Anyone holding the public key can check a line with this
module alone, or with the few lines of docs/OPERATIONS.md.

No database here: the file and the signatures only (anchors.py joins them with the log).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

VERSION = 1
FIELDS = ("v", "kind", "seq", "link", "at", "reason", "key_id", "prev")
KINDS = ("anchor", "reanchor")


def canonical(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def signed_part(line: dict) -> dict:
    return {k: line[k] for k in FIELDS}


def fingerprint(line: dict) -> str:
    return hashlib.sha256(canonical(line)).hexdigest()


def short(fp: str) -> str:
    """The first 16 hex digits in groups of four: what the home pages show and people compare."""
    return " ".join(fp[i : i + 4] for i in range(0, 16, 4))


def sign(key: SigningKey, key_id: str, *, kind, seq, link, at, reason, prev) -> dict:
    payload = {
        "v": VERSION,
        "kind": kind,
        "seq": seq,
        "link": link,
        "at": at,
        "reason": reason,
        "key_id": key_id,
        "prev": prev,
    }
    return {**payload, "sig": key.sign(canonical(payload)).signature.hex()}


def check(line: dict, trusted: dict[str, VerifyKey]) -> str | None:
    """Why the line is not a good checkpoint signed by a trusted key; None when it is."""
    if not isinstance(line, dict) or set(line) != {*FIELDS, "sig"} or line.get("v") != VERSION:
        return "not a checkpoint (fields missing or unknown)"
    if line["kind"] not in KINDS or not isinstance(line["seq"], int) or isinstance(line["seq"], bool):
        return "not a checkpoint (kind or sequence number)"
    vk = trusted.get(line["key_id"])
    if vk is None:
        return f"signed by an unknown key {str(line['key_id'])[:16]!r}"
    try:
        vk.verify(canonical(signed_part(line)), bytes.fromhex(str(line["sig"])))
    except (BadSignatureError, ValueError):
        return "signature does not verify"
    return None


@dataclass
class Line:
    number: int  # 1-based line number in the file
    data: dict | None  # None: not JSON


def read(path: Path) -> list[Line]:
    """Every non-empty line of the file; a missing file has none."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return []
    out = []
    for n, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            data = None
        out.append(Line(n, data if isinstance(data, dict) else None))
    return out


def latest(path: Path) -> dict | None:
    """The file's last checkpoint as written (not verified), read from the end of the file."""
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - 8192))
            tail = f.read().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return None
    for raw in reversed(tail.splitlines()):
        if raw.strip():
            try:
                data = json.loads(raw)
            except ValueError:
                return None
            return data if isinstance(data, dict) else None
    return None


def append(path: Path, make) -> dict | None:
    """Under the file's lock: `make(last line or None)` builds the next line (or None to write nothing),
    which is appended and flushed to disk. The lock keeps `prev` right when two processes anchor at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as f:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        try:
            line = make(latest(path))
            if line is not None:
                f.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
                f.flush()
                os.fsync(f.fileno())
            return line
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)
