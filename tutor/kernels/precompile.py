"""Compile every CPU reference kernel ahead of the first heavy check, in the background.

    python -m tutor.kernels.precompile      # what `tutor init` and the TUI start, detached

`start_background()` returns at once (it imports neither numba nor numpy): when the kernels
are not known to be compiled yet it starts this module as a detached, lower-priority process.
The process compiles the kernels one by one into Numba's on-disk cache, each under its lock
(see tutor.kernels.jit), reports progress in the state folder for the TUI's progress line,
and marks the kernels ready. A second compiler started meanwhile sees the first one's lock
and leaves; a grading that needs a kernel being compiled waits for that kernel only.
TUTOR_PRECOMPILE=0 turns the background compile off (the first heavy check then compiles
what it needs).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

from tutor.kernels import jit

RUNNER_LOCK = "precompile"


def enabled() -> bool:
    return os.environ.get("TUTOR_PRECOMPILE", "1") not in ("0", "", "no", "false") and not jit.jit_disabled()


def start_background() -> bool:
    """Start the background compile unless the kernels are ready (or it is turned off).

    Returns whether a compiler was started. Never raises: compiling ahead only saves time.
    """
    if not enabled() or jit.is_ready():
        return False
    try:
        subprocess.Popen([sys.executable, "-m", "tutor.kernels.precompile"], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                         close_fds=True)
    except OSError:
        return False
    if not jit.compiler_running():
        jit.write_progress(state="starting", done=0, total=0)
    return True


def run(nice: int = 10) -> int:
    """Compile every kernel (the detached process's body). 0: ready; 1: failed."""
    if jit.is_ready():
        return 0
    with jit.try_exclusive(RUNNER_LOCK) as mine:
        if not mine:
            return 0  # another compiler is at work; it reports the progress
        if nice:
            try:
                os.nice(nice)  # the learner's interactive work comes first
            except OSError:
                pass
        started = time.perf_counter()
        try:
            import tutor.kernels as kernels

            steps = kernels.warm_up_steps()
            for done, (label, step) in enumerate(steps):
                jit.write_progress(state="compiling", done=done, total=len(steps), current=label, pid=os.getpid())
                step()
        except Exception as exc:  # noqa: BLE001 - a grading then compiles what it needs
            jit.write_progress(state="failed", error=f"{type(exc).__name__}: {exc}")
            return 1
        jit.mark_ready()
        jit.write_progress(state="ready", done=len(steps), total=len(steps),
                           seconds=round(time.perf_counter() - started, 2))
        return 0


def preload(timeout: float = 900.0, poll: float = 0.5) -> bool:
    """Load every kernel into this (long-lived, trusted) process once they are compiled.

    The TUI and `tutor watch` call this in a background thread: a kernel's first call in a
    process costs about a second even from the cache (Numba sets itself up), which the first
    heavy check would otherwise pay. It waits for a background compiler, never compiles here
    (that would hold the GIL for a minute), and returns whether the kernels were loaded.
    """
    if jit.jit_disabled():
        return False
    deadline = time.monotonic() + timeout
    while not jit.is_ready():
        if not jit.compiler_running() or time.monotonic() > deadline:
            return False
        time.sleep(poll)
    import tutor.kernels as kernels

    kernels.warm_up()
    return True


if __name__ == "__main__":
    sys.exit(run())
