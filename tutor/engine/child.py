"""The grading child: imports the heavy libraries, waits for one job, grades it, then waits to be killed.

Started by tutor.engine.runner with two extra file descriptors (one to read the job from,
one to write results to) and the name of a handler module whose `run_job(job, channel,
guard)` does the grading itself (tutor.grader.jobs); this module only isolates and reports. Learner output goes to stdout/stderr, which the parent captures;
results never share a stream with it. Every message is one JSON line of plain data, and
once the job is read each one carries the job's random nonce, so a line the learner writes
onto the result channel (found through /proc/self/fd) is recognised as forged.

The child is a subreaper: whatever the learner starts (even after setsid or a double fork)
stays in its process tree, which the parent kills as a whole. After its last message the
child does not exit by itself: the parent kills the tree while the child still holds it.
"""

from __future__ import annotations

import os
import sys
import threading
import time
import traceback

# Bound before any learner code runs, so rebinding os.write or time.sleep changes nothing here.
_os_write, _os_exit, _sleep, _getppid = os.write, os._exit, time.sleep, os.getppid
PARK_S = 30.0


class Channel:
    """The private result pipe: JSON lines, each stamped with the job's nonce."""

    def __init__(self, fd: int):
        self.fd, self.nonce = fd, None
        self.lock = threading.Lock()
        from tutor.engine.codec import dumps

        self._dumps = dumps

    def send(self, message: dict) -> None:
        if self.nonce is not None:
            message = dict(message, n=self.nonce)
        data = (self._dumps(message) + "\n").encode()
        view = memoryview(data)
        with self.lock:
            while view:
                n = _os_write(self.fd, view)
                view = view[n:]


def _hide_fd(fd: int) -> int:
    """Move the result pipe to an unpredictable descriptor, closed on exec, and close the known one."""
    import fcntl
    import secrets

    new = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 256 + secrets.randbelow(700))
    os.close(fd)
    return new


def _read_job(fd: int) -> dict:
    import json

    chunks = []
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(fd)
    if not chunks:  # the grader closed the pipe without a job: it is gone or shutting down
        _os_exit(0)
    return json.loads(b"".join(chunks))


def _apply_limits(limits: dict) -> list[str]:
    """OS limits that do not break torch; returns notes on what could not be applied."""
    import resource
    import signal

    notes = []
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    fsize = int(limits.get("file_size_mb", 64)) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
    # A write past the limit then fails with "File too large" in the learner's code (an
    # error it can read) instead of killing the process with SIGXFSZ.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    nproc = int(limits.get("nproc", 0))
    if nproc:
        try:
            resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
        except (ValueError, OSError):
            notes.append("process-count limit unavailable")
    return notes


def _hidden_paths(protected: list[str], hidden: list[str]) -> list[str]:
    """What the learner's process must not see: references, solutions, mutants, grader state."""
    out = list(hidden)
    for root in protected:
        for folder, dirs, files in os.walk(root):
            if "reference.py" in files:
                out.append(os.path.join(folder, "reference.py"))
            for name in ("solutions", "mutants"):
                if name in dirs:
                    out.append(os.path.join(folder, name))
                    dirs.remove(name)
            dirs[:] = [d for d in dirs if d != "__pycache__"]
    return out


def _isolate(job: dict, spaces: dict, guard) -> list[str]:
    from tutor.engine.isolation import hide_paths

    notes = _apply_limits(job.get("limits", {}))
    if job.get("limits", {}).get("no_network", True) and not spaces.get("network"):
        guard.block_network()
        notes.append("network isolation unavailable on this system: only Python-level connections are refused")
    learner = os.path.realpath(job["module_path"])
    # Never hide the file being graded (a solution graded in place inside its lesson pack).
    hidden = [p for p in _hidden_paths(job.get("protected", []), job.get("hidden", []))
              if not (learner == os.path.realpath(p) or learner.startswith(os.path.realpath(p) + os.sep))]
    # Lesson packs stay readable (checks.py is imported here) but never writable: a changed
    # checks.py would be loaded by the grader for the next student.
    if not (spaces.get("mounts") and hide_paths(hidden, list(job.get("protected", [])))):
        notes.append("no private mount namespace: reference files are hidden from Python code only")
    return notes


def run_job(job: dict, channel: Channel, spaces: dict, handler) -> None:
    """Isolate what the learner's code can reach, then let the handler grade the job."""
    from tutor.engine.guard import Guard

    learner_file = job["module_path"]
    guard = Guard([learner_file], list(job.get("protected", [])) + list(job.get("hidden", [])))
    notes = _isolate(job, spaces, guard)
    if notes:
        channel.send({"t": "note", "text": "; ".join(notes)})
    guard.protect_imports()
    guard.protect_files()
    sys.stdin = open(os.devnull)  # noqa: SIM115 - the learner gets no input
    handler.run_job(job, channel, guard)


_SYMBOLIC_SHAPES = "torch.fx.experimental.symbolic_shapes"


def _lighten_autograd_imports() -> None:
    """Spare autograd's first use an import of sympy (a second or more, half a torch import).

    torch.autograd.grad with explicit grad_outputs (gradcheck does this) imports
    torch.fx.experimental.symbolic_shapes, which imports sympy, only for two helpers that on
    plain integer shapes are a comparison. Until something needs more of that module, a
    stand-in answers those two for plain values and loads the real module for anything else
    (symbolic shapes under torch.compile, any other name), so behaviour is unchanged.
    """
    import operator
    import types

    if _SYMBOLIC_SHAPES in sys.modules:
        return

    def real():
        module = sys.modules.get(_SYMBOLIC_SHAPES)
        if module is None or module is stand_in:
            sys.modules.pop(_SYMBOLIC_SHAPES, None)
            import importlib

            module = importlib.import_module(_SYMBOLIC_SHAPES)
        return module

    def plain(value) -> bool:
        if isinstance(value, (tuple, list)):
            return all(type(v) is int for v in value)
        return type(value) in (int, bool)

    def sym_eq(x, y):
        if plain(x) and plain(y) and isinstance(x, (tuple, list)) == isinstance(y, (tuple, list)):
            if isinstance(x, (tuple, list)):
                return len(x) == len(y) and all(map(operator.eq, x, y))
            return x == y
        return real().sym_eq(x, y)

    def expect_true(value, *args, **kwargs):
        return value if type(value) is bool else real().expect_true(value, *args, **kwargs)

    class StandIn(types.ModuleType):
        def __getattr__(self, name):
            if name == "sym_eq":
                return sym_eq
            if name == "expect_true":
                return expect_true
            if name.startswith("__"):  # the import system probing (__path__): not a package
                raise AttributeError(name)
            return getattr(real(), name)

    stand_in = StandIn(_SYMBOLIC_SHAPES)
    sys.modules[_SYMBOLIC_SHAPES] = stand_in


def _warm_up(torch) -> None:
    """Run the operations most scenarios use once, so their one-time setup is not paid in a check."""
    x = torch.randn(3, 5, dtype=torch.float64, generator=torch.Generator().manual_seed(0), requires_grad=True)
    for t in (x, x.detach().float()):
        e = (t - t.amax(dim=-1, keepdim=True)).exp()
        (e / e.sum(dim=-1, keepdim=True)).sum().item()
    torch.autograd.gradcheck(lambda t: t.exp() / t.exp().sum(dim=-1, keepdim=True), (x,), eps=1e-6, atol=1e-5)
    (x.tanh() @ x.T).sum().backward()


def _flush() -> None:
    for stream in (sys.__stdout__, sys.__stderr__, sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:  # noqa: BLE001 - a stream the learner replaced or closed
            pass


def _watch_parent(parent: int) -> None:
    """If the grader dies, do not go on running learner code with nobody watching."""
    while True:
        _sleep(0.5)
        if _getppid() != parent:
            _os_exit(3)


def main() -> None:
    job_fd, out_fd, handler_name = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    preload = [m for m in (sys.argv[4] if len(sys.argv) > 4 else "").split(",") if m]
    del sys.argv[1:]  # nothing for the learner to learn from our command line
    parent = _getppid()
    from tutor.engine import isolation

    spaces = isolation.enter_namespaces()  # still single-threaded: torch's threads inherit them
    isolation.become_subreaper()
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    channel = Channel(_hide_fd(out_fd))
    # Import what every scenario needs before the job arrives: this is what makes a worker warm.
    import numpy  # noqa: F401
    import torch

    import importlib

    import tutor.engine.guard  # noqa: F401

    handler = importlib.import_module(handler_name)

    _lighten_autograd_imports()

    for name in preload:
        try:
            __import__(name)
        except Exception:  # noqa: BLE001 - an optional preload (numba) that is missing is fine
            pass
    _warm_up(torch)

    channel.send({"t": "ready"})
    job = _read_job(job_fd)
    channel.nonce = job.get("nonce")
    try:
        run_job(job, channel, spaces, handler)
        _flush()  # the learner's output is in the pipe before the parent hears "done"
        channel.send({"t": "done"})
    except BaseException as exc:  # noqa: BLE001 - a harness failure is reported, not hidden
        try:
            channel.send({"t": "fatal", "error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()})
        except BaseException:  # noqa: BLE001 - the channel itself was broken (closed by the learner)
            pass
    _flush()
    # Wait for the parent to kill our tree; exiting now would orphan what the learner started.
    # No interpreter teardown either: learner atexit hooks do not get to run.
    deadline = time.monotonic() + PARK_S
    while time.monotonic() < deadline:
        _sleep(0.05)
    _os_exit(0)


if __name__ == "__main__":
    main()
