"""Trusted side of a check: the reference (and known wrong variants) run in the grader process.

Results are cached on disk by exercise, check, seed, tutor version and the hash of the lesson
files they depend on, so re-checking does not recompute them.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
import threading
from pathlib import Path
from types import ModuleType
from typing import Any

from tutor import __version__
from tutor.engine.catalog import Exercise
from tutor.engine.codec import decode, encode, to_plain
from tutor.engine.errors import CatalogError

_module_lock = threading.Lock()
_modules: dict[tuple[str, float], ModuleType] = {}


def load_trusted_module(path: Path, prefix: str) -> ModuleType:
    """Import one of our own lesson files (checks, reference, mutant) by path, memoised by mtime."""
    path = Path(path)
    key = (str(path), path.stat().st_mtime)
    with _module_lock:
        if key in _modules:
            return _modules[key]
        name = f"{prefix}_{hashlib.sha1(str(path).encode()).hexdigest()[:10]}"
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except Exception as exc:  # a broken lesson pack is a configuration error, not a crash
            sys.modules.pop(name, None)
            raise CatalogError(f"{path}: cannot be imported: {type(exc).__name__}: {exc}") from None
        _modules[key] = module
        return module


def checks_module(ex: Exercise) -> ModuleType | None:
    """The exercise's checks.py (trusted lesson code), when it has one."""
    return load_trusted_module(ex.checks_path, "tutor_checks") if ex.has_checks_module else None


def load_checks(ex: Exercise) -> list:
    from tutor.grader.build import BuildError, build_checks

    try:
        return build_checks(ex.spec, checks_module(ex))
    except BuildError as exc:
        raise CatalogError(f"{ex.folder / 'exercise.toml'}: {exc}") from None


def _digest(*paths: Path) -> str:
    h = hashlib.sha256(__version__.encode())
    for p in paths:
        if Path(p).is_file():
            h.update(Path(p).read_bytes())
    return h.hexdigest()[:20]


class ReferenceRunner:
    """Computes (or loads from cache) what the reference and the variants return for a check."""

    def __init__(self, ex: Exercise, checks: list, cache_dir: Path | None, cache_key: bytes | None = None):
        self.ex, self.checks, self.cache_dir = ex, checks, cache_dir
        self._lesson_digest = _digest(ex.folder / "exercise.toml", ex.checks_path, ex.reference_path)
        self._key = cache_key

    def _cache_file(self, kind: str, index: int, extra: str = "") -> Path | None:
        if self.cache_dir is None:
            return None
        check = self.checks[index]
        key = hashlib.sha256(f"{self._lesson_digest}|{kind}|{extra}|{index}|{check.id}|{check.seed}".encode()).hexdigest()[:24]
        return self.cache_dir / self.ex.chapter / self.ex.slug / f"{key}.json"

    # Entries are sealed (tutor.engine.sealed): one the grader did not write under this
    # user's key, or one copied over another's name, reads as missing and is recomputed.
    def _seal_key(self) -> bytes:
        if self._key is None:
            from tutor.engine.sealed import load_key

            self._key = load_key()
        return self._key

    def _context(self, path: Path) -> str:
        return path.relative_to(self.cache_dir).as_posix()

    def _cached(self, path: Path | None):
        if path is None or not path.is_file():
            return None
        from tutor.engine.codec import CodecError
        from tutor.engine.sealed import unseal

        try:
            payload = unseal(path.read_bytes(), self._seal_key(), self._context(path))
            return None if payload is None else decode(json.loads(payload))
        except (OSError, ValueError, CodecError, RecursionError):
            return None

    def _store(self, path: Path | None, value: Any) -> None:
        if path is None:
            return
        from tutor.engine.sealed import seal

        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
            tmp.write_bytes(seal(json.dumps(encode(value)).encode(), self._seal_key(), self._context(path)))
            os.replace(tmp, path)
        except (OSError, ValueError):
            pass  # a cache that cannot be written only costs time

    def expected(self, index: int, on_point=None) -> dict:
        """{"data": ..., "points": {series: [[step, value], ...]}} for the reference."""
        path = self._cache_file("reference", index)
        hit = self._cached(path)
        if hit is not None:
            if on_point:
                for series, pts in hit.get("points", {}).items():
                    for step, value in pts:
                        on_point(series, step, value)
            return hit
        from tutor.grader.build import oracle_for

        reference = load_trusted_module(self.ex.reference_path, "tutor_reference")
        module = oracle_for(self.checks[index], self.ex.spec, reference, checks_module(self.ex))
        result = self._run(module, index, "reference", on_point)
        self._store(path, result)
        return result

    def variants(self, index: int) -> dict[str, Any]:
        """What each known wrong variant (mutant with a diagnosis) returns for this check."""
        out: dict[str, Any] = {}
        for mutant in self.ex.mutants:
            if mutant.diagnosis is None or mutant.diagnosis in out:
                continue
            path = self._cache_file("variant", index, _digest(mutant.path))
            hit = self._cached(path)
            if hit is None:
                try:
                    module = load_trusted_module(mutant.path, "tutor_variant")
                    hit = {"data": self._run(module, index, "variant", None)["data"]}
                except Exception:  # noqa: BLE001 - a variant that errors here explains nothing
                    hit = {"data": None}
                self._store(path, hit)
            out[mutant.diagnosis] = hit["data"]
        return out

    def _run(self, module, index: int, role: str, on_point) -> dict:
        from tutor.grader.context import Context

        check = self.checks[index]
        points: dict[str, list] = {}

        def emit(series, step, value):
            points.setdefault(series, []).append([step, value])
            if on_point:
                on_point(series, step, value)

        with single_threaded():
            data = to_plain(check.run(module, Context(seed=check.seed, role=role, emit_point=emit)))
        return {"data": data, "points": points}


_threads_lock = threading.Lock()


class single_threaded:
    """Oracle runs use one intra-op thread, like the learner's sandboxed child: small tensors run
    fastest that way, and on a busy machine spinning worker threads can make a check 20× slower."""

    def __enter__(self):
        import torch

        _threads_lock.acquire()
        self.threads = torch.get_num_threads()
        torch.set_num_threads(1)

    def __exit__(self, *exc):
        import torch

        torch.set_num_threads(self.threads)
        _threads_lock.release()
