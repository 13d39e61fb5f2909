"""Who compiles which kernel, once per machine: the state shared by every process using the
same Numba cache.

The CPU kernels are `@njit(cache=True)`: the first call of a kernel for a signature compiles it
(seconds each, 25-50 s for all of them on a 2-core box) and saves the machine code in Numba's
on-disk cache; every later process loads it from there in milliseconds. Compiling ahead
(`tutor.kernels.precompile`, started in the background by `tutor init` and the TUI) means no
learner waits for it. Two processes must not compile the same kernel at once (on 2 cores both
would take twice as long), so the first call of each kernel in a process holds a file lock
named after the kernel while it compiles or loads: a grading that needs a kernel the
background compiler is busy with waits for that one kernel, then loads it from the cache.

State lives in a folder keyed by everything that decides whether Numba's cache is valid
(numba and Python versions, the kernel sources, NUMBA_CACHE_DIR): `ready` once every kernel has
been compiled, `progress.json` while the background compiler runs, one `.lock` per kernel.
Nothing here imports numba: `tutor init` and the TUI check readiness without paying for it.

Numba's cache holds machine code the grader runs in its trusted process, so it must never be
writable by learner code: learner code runs in a sandbox that writes only to its private
tmpfs, and the cache is the grader's own (the package's `__pycache__`, Numba's user cache or
NUMBA_CACHE_DIR). The state folder here only schedules work; a forged `ready` file would cost
time, never change a result.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent
_SOURCES = (_HERE / "cpu.py", _HERE / "__init__.py")

_held: dict[str, int] = {}  # kernel name -> fd of its lock file, while this process holds it
_held_lock = threading.RLock()


def _numba_version() -> str:
    try:
        from importlib.metadata import version

        return version("numba")
    except Exception:  # noqa: BLE001 - not installed as a distribution: still a stable key
        return "unknown"


def cache_key() -> str:
    """Changes whenever Numba's cached kernels would be recompiled anyway."""
    parts = [_numba_version(), sys.version, os.environ.get("NUMBA_CACHE_DIR", ""),
             os.environ.get("NUMBA_OPT", ""), os.environ.get("NUMBA_CPU_NAME", "")]
    for source in _SOURCES:
        try:
            st = source.stat()
            parts.append(f"{source}:{st.st_mtime_ns}:{st.st_size}")
        except OSError:
            parts.append(str(source))
    return hashlib.sha1("\n".join(parts).encode()).hexdigest()[:16]


@lru_cache(maxsize=4)
def _state_dir_for(key: str) -> Path | None:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tutor" / "kernels"
    fallback = Path(tempfile.gettempdir()) / f"tutor-kernels-{os.getuid()}"
    for root in (base, fallback):
        folder = root / key
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            probe = folder / f".probe{os.getpid()}"
            probe.write_text("")
            probe.unlink()
            return folder
        except OSError:
            continue
    return None  # nowhere to write: no coordination, every process compiles what it needs


def state_dir() -> Path | None:
    """This machine's folder for the current kernels, or None when none can be written."""
    return _state_dir_for(cache_key())


def jit_disabled() -> bool:
    return os.environ.get("NUMBA_DISABLE_JIT", "0") not in ("", "0")


def is_ready() -> bool:
    """Whether every CPU kernel is in Numba's cache (as far as the background compiler knows)."""
    if jit_disabled():
        return True
    folder = state_dir()
    return folder is not None and (folder / "ready").exists()


def mark_ready() -> None:
    folder = state_dir()
    if folder is not None:
        _write_atomic(folder / "ready", f"{time.time()}\n")


def write_progress(**fields) -> None:
    folder = state_dir()
    if folder is not None:
        _write_atomic(folder / "progress.json", json.dumps(dict(fields, ts=time.time())))


def read_progress() -> dict:
    """The background compiler's last report: {"state": "compiling"|"ready"|"failed", "done", "total", ...}."""
    if is_ready():
        return {"state": "ready"}
    folder = state_dir()
    if folder is None:
        return {}
    try:
        return json.loads((folder / "progress.json").read_text())
    except (OSError, ValueError):
        return {}


def compiler_running() -> bool:
    """Whether a background compiler is at work now (its lock is held)."""
    with try_exclusive("precompile") as free:
        return not free


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        tmp.write_text(text)
        os.replace(tmp, path)
    except OSError:
        pass


@contextmanager
def kernel_lock(name: str):
    """Hold `name`'s lock (blocking) while compiling or loading it; re-entrant in one process."""
    import fcntl

    with _held_lock:
        if name in _held:
            yield
            return
        folder = state_dir()
        fd = None
        if folder is not None:
            try:
                fd = os.open(folder / f"{name}.lock", os.O_RDWR | os.O_CREAT, 0o600)
                fcntl.flock(fd, fcntl.LOCK_EX)
            except OSError:
                if fd is not None:
                    os.close(fd)
                fd = None
        _held[name] = -1 if fd is None else fd
        try:
            yield
        finally:
            del _held[name]
            if fd is not None:
                os.close(fd)  # closing releases the flock


@contextmanager
def try_exclusive(name: str):
    """Yield True when this process now holds `name`'s lock, False when another process does."""
    import fcntl

    folder = state_dir()
    if folder is None:
        yield True
        return
    fd = os.open(folder / f"{name}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)
