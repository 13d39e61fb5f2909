"""Kernels compiled ahead: the background compiler fills Numba's cache and says so; a grading
that needs a kernel the compiler is busy with waits for it instead of compiling it twice."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import pytest

from tutor.kernels import jit, precompile

ONE_KERNEL = """
import numpy as np
import tutor.kernels as K
K.warm_up_steps = lambda dtypes=None: [("layer_norm (float64)", lambda: K.layer_norm(np.ones((2, 3))))]
"""


@pytest.fixture
def env(tmp_path):
    """A fresh Numba cache and a fresh state folder, shared by the child processes of a test."""
    return dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path / "numba"), XDG_CACHE_HOME=str(tmp_path / "xdg"),
                TUTOR_PRECOMPILE="1", PYTHONUNBUFFERED="1")


def child(code: str, env: dict, one_kernel: bool = False) -> subprocess.Popen:
    """A Python child; with one_kernel, the compiler's work is one small kernel (seconds, not a minute)."""
    source = (ONE_KERNEL if one_kernel else "") + textwrap.dedent(code)
    return subprocess.Popen([sys.executable, "-c", source], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def finish(proc: subprocess.Popen, timeout: float = 240) -> str:
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err[-3000:]
    return out


def test_start_background_does_nothing_when_off_or_ready(monkeypatch):
    monkeypatch.setenv("TUTOR_PRECOMPILE", "0")
    assert precompile.start_background() is False
    monkeypatch.setenv("TUTOR_PRECOMPILE", "1")
    monkeypatch.setattr(jit, "is_ready", lambda: True)
    assert precompile.start_background() is False


def test_the_compiler_fills_numbas_cache_and_marks_the_kernels_ready(env, tmp_path):
    out = finish(child("""
        from tutor.kernels import jit, precompile
        assert not jit.is_ready()
        print(precompile.run(nice=0), jit.is_ready(), jit.read_progress()["state"])
        print(precompile.run(nice=0))  # a second run: nothing to do
    """, env, one_kernel=True))
    assert out.split() == ["0", "True", "ready", "0"]
    cached = [p.name for p in (tmp_path / "numba").rglob("*") if "layer_norm_kernel" in p.name]
    assert any(name.endswith(".nbi") for name in cached) and any(name.endswith(".nbc") for name in cached)
    # a new process loads it from the cache: no compiling, no lock taken (the kernels are ready)
    out = finish(child("""
        import numpy as np
        from tutor.kernels import jit
        import tutor.kernels as K
        jit.kernel_lock = None  # would raise if a lock were taken
        K.layer_norm(np.ones((2, 3)))
        stats = K._cpu().layer_norm_kernel.stats
        print(sum(stats.cache_hits.values()), sum(stats.cache_misses.values()))
    """, env))
    assert out.split() == ["1", "0"]  # loaded from the cache, not compiled again


def test_a_grading_waits_for_the_kernel_being_compiled_instead_of_compiling_it_too(env):
    holder = child("""
        import time
        from tutor.kernels import jit
        with jit.kernel_lock("layer_norm_kernel"):
            print("held", flush=True)
            time.sleep(3)
            print("released", time.time(), flush=True)
    """, env)
    assert holder.stdout.readline().strip() == "held"
    grading = child("""
        import contextlib, time
        import numpy as np
        from tutor.kernels import jit
        import tutor.kernels as K
        original = jit.kernel_lock
        @contextlib.contextmanager
        def spy(name):
            with original(name):
                print("acquired", name, time.time(), flush=True)
                yield
        jit.kernel_lock = spy
        out = K.layer_norm(np.arange(6.0).reshape(2, 3))
        print("ok", bool(abs(out.mean(axis=-1)).max() < 1e-9))
    """, env)
    released = float(finish(holder).split()[-1])
    out = finish(grading)
    acquired = float(next(line for line in out.splitlines() if "layer_norm_kernel" in line).split()[-1])
    assert acquired >= released - 0.05  # it waited for the other process's kernel
    assert out.splitlines()[-1] == "ok True"


def test_a_second_compiler_leaves_the_work_to_the_first(env):
    first = child("""
        import time
        from tutor.kernels import jit
        with jit.try_exclusive("precompile") as mine:
            assert mine
            print("busy", flush=True)
            time.sleep(4)
    """, env)
    assert first.stdout.readline().strip() == "busy"
    started = time.monotonic()
    out = finish(child("""
        from tutor.kernels import jit, precompile
        print(precompile.run(nice=0), jit.is_ready(), jit.compiler_running())
    """, env, one_kernel=True))
    assert out.split() == ["0", "False", "True"]  # it left at once: the first one is at work
    assert time.monotonic() - started < 4
    finish(first)


def test_start_background_starts_a_detached_compiler(env, tmp_path):
    """What `tutor init` does: returns at once; the kernels are ready a little later."""
    out = finish(child("""
        import time
        from tutor.kernels import precompile, jit
        t = time.perf_counter()
        print(precompile.start_background(), round(time.perf_counter() - t, 3))
    """, env))
    started, seconds = out.split()
    assert started == "True" and float(seconds) < 2.0
    # the detached process compiles every kernel; this test only waits for it to begin
    deadline = time.monotonic() + 60
    state = None
    while time.monotonic() < deadline:
        state = finish(child("from tutor.kernels import jit; print(jit.read_progress().get('state'))", env)).strip()
        if state in ("compiling", "ready"):
            break
        time.sleep(0.5)
    assert state in ("compiling", "ready")
    # stop it (it would compile all kernels for a minute): its pid is in the progress file
    pid = finish(child("from tutor.kernels import jit; print(jit.read_progress().get('pid') or '')", env)).strip()
    if pid:
        try:
            os.kill(int(pid), 15)
        except ProcessLookupError:
            pass
