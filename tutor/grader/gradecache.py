"""The cache of a class's gradings: a student whose files did not change is not graded again.

An entry is keyed by the catalog version (tutor's code and every lesson file involved), the
targets and the content of the student's files, and sealed with an HMAC (engine.sealed) under
a key only the grader's user holds. An entry that does not verify (forged, truncated, copied
over another one's name) is counted and recomputed, never trusted; the folder and the key are
also hidden from every learner's process.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path

from tutor.engine import sealed


def grade_cache_dir() -> Path:
    """Next to the reference cache (TUTOR_CACHE_DIR, else the user's cache folder)."""
    explicit = os.environ.get("TUTOR_CACHE_DIR")
    if explicit:
        return Path(explicit) / "gradebook"
    from tutor.engine.workspace import reference_cache_dir

    return reference_cache_dir().parent / "gradebook"


class GradeCache:
    def __init__(self, folder: Path | None = None, key: bytes | None = None):
        self.folder = Path(folder) if folder is not None else grade_cache_dir()
        self.key = key if key is not None else sealed.load_key()
        self.rejected = 0  # entries present but not sealed by us: recomputed
        self._lock = threading.Lock()

    @staticmethod
    def entry_key(catalog_version: str, targets: list[str], fingerprint: str) -> str:
        h = hashlib.sha256()
        for part in (catalog_version, "\0".join(targets), fingerprint):
            h.update(part.encode() + b"\n")
        return h.hexdigest()[:40]

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict | None:
        path = self._path(key)
        try:
            blob = path.read_bytes()
        except OSError:
            return None
        payload = sealed.unseal(blob, self.key, context=key)
        value = None
        if payload is not None:
            try:
                value = json.loads(payload)
            except ValueError:
                value = None
        if not isinstance(value, dict):
            with self._lock:
                self.rejected += 1
            return None
        return value

    def put(self, key: str, value: dict) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
            tmp.write_bytes(sealed.seal(json.dumps(value).encode(), self.key, context=key))
            os.replace(tmp, path)
        except OSError:
            pass  # a cache that cannot be written only costs time next run
