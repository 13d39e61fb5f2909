"""Authenticated cache entries: what the grader writes, it can tell from what anyone else wrote.

A cache (reference results, a class's gradings) lives where learner code cannot reach, but
belt and braces: every entry carries an HMAC-SHA256 under a key only the grader's user can
read (or, with `ephemeral_key()`, one that lives only in this process). An entry whose tag
does not verify is treated as missing and recomputed, never trusted.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

TAG_BYTES = 32
_KEY_NAME = "cache.key"


def key_path() -> Path:
    from platformdirs import user_state_dir

    explicit = os.environ.get("TUTOR_STATE_DIR")
    return Path(explicit or user_state_dir("tutor")) / _KEY_NAME


def load_key(path: Path | None = None) -> bytes:
    """This user's key, created (mode 600) on first use. Falls back to a process key when the
    state folder cannot be written: the cache then only lives as long as this process trusts it."""
    path = path or key_path()
    try:
        data = path.read_bytes()
        if len(data) >= 32:
            return data
    except OSError:
        pass
    key = secrets.token_bytes(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
    except FileExistsError:  # another process created it first: use theirs
        return load_key(path)
    except OSError:
        return _process_key()
    return key


_PROCESS_KEY: bytes | None = None


def _process_key() -> bytes:
    global _PROCESS_KEY
    if _PROCESS_KEY is None:
        _PROCESS_KEY = secrets.token_bytes(32)
    return _PROCESS_KEY


def ephemeral_key() -> bytes:
    """A key that never touches the disk (a class grading run that trusts nothing it did not write)."""
    return secrets.token_bytes(32)


def seal(payload: bytes, key: bytes, context: str = "") -> bytes:
    """payload prefixed by its tag; `context` (e.g. the cache key) binds the entry to its name,
    so a valid entry cannot be copied over another one."""
    tag = hmac.new(key, context.encode() + b"\0" + payload, hashlib.sha256).digest()
    return tag + payload


def unseal(blob: bytes, key: bytes, context: str = "") -> bytes | None:
    """The payload, or None when the tag does not verify."""
    if len(blob) < TAG_BYTES:
        return None
    tag, payload = blob[:TAG_BYTES], blob[TAG_BYTES:]
    want = hmac.new(key, context.encode() + b"\0" + payload, hashlib.sha256).digest()
    return payload if hmac.compare_digest(tag, want) else None
