"""The key that signs the audit checkpoints (issue 22): Ed25519 (PyNaCl), never stored in the database.

The key comes from the environment (`RENDA_AUDIT_SIGNING_KEY`, the 32-byte seed in hex) or from a file the
settings name (`RENDA_AUDIT_SIGNING_KEY_FILE`). Outside production, with neither set, a development key is
created under var/ on first use; production refuses to start without one (renda/settings/production.py).
After a rotation the earlier public keys stay trusted through `AUDIT_PUBLIC_KEYS`, so every checkpoint they
signed still verifies. A key is named by its key id: the first 16 hex digits of SHA-256 of the public key.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from nacl.encoding import HexEncoder
from nacl.exceptions import CryptoError
from nacl.signing import SigningKey, VerifyKey

from apps.common import conf

DEV_KEY_NAME = "audit-signing.key"


def key_id(verify_key: VerifyKey) -> str:
    return hashlib.sha256(bytes(verify_key)).hexdigest()[:16]


def public_hex(verify_key: VerifyKey) -> str:
    return verify_key.encode(HexEncoder).decode()


def parse_seed(text: str, source: str) -> SigningKey:
    try:
        seed = bytes.fromhex(text.strip())
        if len(seed) != 32:
            raise ValueError(len(seed))
        return SigningKey(seed)
    except (ValueError, CryptoError) as exc:
        raise ImproperlyConfigured(f"{source}: not an Ed25519 key (64 hex digits)") from exc


def parse_public(text: str) -> VerifyKey:
    """A public key in hex; ValueError when it is not one."""
    try:
        raw = bytes.fromhex(text.strip())
        if len(raw) != 32:
            raise ValueError(len(raw))
        return VerifyKey(raw)
    except (ValueError, CryptoError) as exc:
        raise ValueError(f"not an Ed25519 public key (64 hex digits): {text[:20]!r}") from exc


def write_new_key(path: Path) -> SigningKey:
    """A new key written to `path` (mode 0600), atomically and never over an existing file."""
    key = SigningKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".audit-key-")
    try:
        os.write(fd, key.encode(HexEncoder) + b"\n")
        os.fsync(fd)
        os.close(fd)
        os.link(tmp, path)  # fails if the file exists: two processes never make two keys
    finally:
        os.unlink(tmp)
    return key


def _production() -> bool:
    return getattr(settings, "RENDA_ENV", "") == "production"


def _read_file(path: Path) -> SigningKey:
    try:
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImproperlyConfigured(f"audit signing key file {path} cannot be read: {exc}") from exc
    return parse_seed(text, str(path))


def signing_key() -> SigningKey:
    """The current signing key."""
    raw = conf.get("AUDIT_SIGNING_KEY")
    if raw:
        return parse_seed(raw, "RENDA_AUDIT_SIGNING_KEY")
    named = conf.get("AUDIT_SIGNING_KEY_FILE")
    if named:
        return _read_file(Path(named))
    if _production():
        raise ImproperlyConfigured(
            "RENDA_ENV=production needs RENDA_AUDIT_SIGNING_KEY or RENDA_AUDIT_SIGNING_KEY_FILE."
        )
    path = Path(settings.VAR_DIR) / DEV_KEY_NAME
    if not path.exists():
        try:
            return write_new_key(path)
        except FileExistsError:
            pass  # another process made it a moment ago
    return _read_file(path)


def trusted_keys() -> dict[str, VerifyKey]:
    """key id -> public key of every key whose checkpoints are trusted: the current one and the earlier."""
    keys = {}
    for text in conf.get("AUDIT_PUBLIC_KEYS") or []:
        vk = parse_public(text)
        keys[key_id(vk)] = vk
    current = signing_key().verify_key
    keys[key_id(current)] = current
    return keys
