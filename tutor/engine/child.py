"""The job child (M in zygote.py): receives one job, locks itself down, runs the handler.

Forked from the warm zygote ahead of time, it waits for the job's three pipe ends (job,
results, output). Then, before any learner code runs, it:

1. sends its stdout/stderr to the output pipe (drained and truncated by the grader) and
   reads stdin from /dev/null;
2. moves the result pipe to an unpredictable, close-on-exec descriptor; every message it
   carries is one JSON line of plain data stamped with the job's random nonce;
3. writes the learner's file and the check code from the job onto the job's private tmpfs
   (/workspace, /lesson) and makes them read-only (reduced mode: a private temporary folder);
4. sets its limits (core dumps off, file size, a CPU-time and a data-size backstop);
5. drops every capability (bounding, ambient, effective, permitted, inheritable sets);
6. hands the job to the handler: `handler.run_job(job, channel, guard)` (tutor.grader.jobs by
   default), which imports the checks and the learner's module and runs each check.

When the handler is done the child says so and exits without interpreter teardown (learner
atexit hooks do not run); its pid-namespace init then ends, and the kernel kills whatever
the learner left running.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import sys
import threading
import traceback

from tutor.engine import isolation as iso

# Bound before any learner code runs, so rebinding os.write or os._exit changes nothing here.
_os_write, _os_exit = os.write, os._exit
JOB_CAP = 64 << 20
handler_module = None  # set by the zygote once it has imported the handler


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
        data = (self._dumps(message) + "\n").encode("utf-8", "backslashreplace")
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
    chunks, size = [], 0
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            break
        size += len(chunk)
        if size > JOB_CAP:
            raise ValueError("the job is larger than the grader sends")
        chunks.append(chunk)
    os.close(fd)
    if not chunks:  # the grader closed the pipe without a job: it is gone or shutting down
        _os_exit(0)
    return json.loads(b"".join(chunks))


def _safe_relative(path: str) -> str:
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if not parts or ".." in parts or path.startswith("/"):
        raise ValueError(f"a job file has an unsafe path: {path!r}")
    return "/".join(parts)


def _write_files(root: str, files: dict[str, str]) -> None:
    for rel, data in files.items():
        target = os.path.join(root, _safe_relative(rel))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as fh:
            fh.write(base64.b64decode(data))
        os.chmod(target, 0o444)


def _materialise(job: dict, full: bool, workdir: str | None) -> tuple[str, str]:
    """Write the job's files; returns (workspace root, lesson root), both read-only after."""
    from tutor.engine import sandbox

    if full:
        workspace, lesson = sandbox.WORKSPACE_DIR, sandbox.LESSON_DIR
    else:
        workspace, lesson = os.path.join(workdir, "workspace"), os.path.join(workdir, "lesson")
    files = job.get("files", {})
    _write_files(workspace, files.get("workspace", {}))
    _write_files(lesson, files.get("lesson", {}))
    if full:
        for path in (workspace, lesson):
            if not iso.remount_readonly(path):
                raise OSError(f"making {path} read-only: {iso.errno_text()}")
    else:
        for root in (workspace, lesson):
            for folder, _dirs, _files in os.walk(root):
                os.chmod(folder, 0o555)
    return workspace, lesson


def _apply_limits(limits: dict, full: bool) -> list[str]:
    """OS limits that do not break torch; returns notes on what could not be applied."""
    import resource
    import signal

    notes = []
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    fsize = int(limits.get("file_size_mb", 64)) << 20
    resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
    # A write past the limit then fails with "File too large" in the learner's code (an
    # error it can read) instead of killing the process with SIGXFSZ.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    cpu = int(limits.get("cpu_backstop_s", 0))
    if cpu > 0:  # the grader's accounting decides first; this only bounds a process it missed
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    memory = int(limits.get("memory_mb", 0))
    if memory > 0:
        # The data segment and private writable mappings: torch's tensors, numpy's arrays.
        # Generous (the grader's polling gives the verdict); this stops an allocation spike
        # that outruns the polling before it reaches the machine.
        data = iso.vm_data_kb() * 1024 + 2 * (memory << 20) + (512 << 20)
        try:
            resource.setrlimit(resource.RLIMIT_DATA, (data, data))
        except (ValueError, OSError):
            notes.append("data-size limit unavailable")
    nproc = int(limits.get("nproc", 0))
    if nproc and full and _outer_uid() not in (0, None):
        # Counted per user namespace, so it bounds this sandbox only; the kernel exempts root.
        try:
            resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
        except (ValueError, OSError):
            notes.append("process-count limit unavailable")
    return notes


def _outer_uid() -> int | None:
    try:
        with open("/proc/self/uid_map") as fh:
            fields = fh.read().split()
        return int(fields[1])
    except (OSError, ValueError, IndexError):
        return None


def _hidden_paths(protected: list[str], hidden: list[str]) -> list[str]:
    """Reduced mode: what must be covered (references, solutions, mutants, their bytecode,
    grader state)."""
    out = list(hidden)
    for root in protected:
        for folder, dirs, files in os.walk(root):
            if "reference.py" in files:
                out.append(os.path.join(folder, "reference.py"))
            for name in ("solutions", "mutants", "__pycache__"):
                if name in dirs:
                    out.append(os.path.join(folder, name))
                    dirs.remove(name)
    return out


def _lock_down(job: dict, full: bool, spaces: dict, workdir: str | None) -> list[str]:
    from tutor.engine import sandbox

    notes = []
    if not full:
        if spaces.get("mounts"):
            # Lesson packs stay readable but never writable: a changed checks.py would be
            # loaded by the grader for the next student.
            protected = list(job.get("protected", []))
            if not iso.hide_paths(_hidden_paths(protected, job.get("hidden", [])), protected):
                notes.append("some grader files could not be hidden: they are protected from Python code only")
        else:
            notes.append("no private mount namespace: reference files are hidden from Python code only")
    notes += _apply_limits(job.get("limits", {}), full)
    if job.get("spec", {}).get("capabilities", {}).get("loopback") and spaces.get("network"):
        # Before the capabilities go: only the job's own processes are on this loopback.
        why = iso.loopback_up()
        if why:
            notes.append(f"the loopback network could not be brought up: {why}")
    if full or os.geteuid() == 0 or spaces.get("mounts"):
        if not iso.keep_capabilities(()):
            raise OSError(f"dropping capabilities: {iso.errno_text()}")
        caps = iso.capabilities()
        if caps.get("eff") or caps.get("prm") or caps.get("amb"):
            raise OSError("capabilities remain after dropping them")
    iso.no_new_privs()
    if full:
        home = sandbox.LEARNER_HOME
    else:
        home = os.path.join(workdir, "home")
        tmp = os.path.join(workdir, "tmp")
        for folder in (home, tmp):
            os.makedirs(folder, mode=0o700, exist_ok=True)
        os.environ.update(HOME=home, TMPDIR=tmp)
        marker = job.get("marker")
        if marker:
            key, _, value = marker.partition("=")
            os.environ[key] = value
        import tempfile

        tempfile.tempdir = None
    os.chdir(home)
    return notes


def run_job(job: dict, channel: Channel, full: bool, spaces: dict, workdir: str | None, handler) -> None:
    """Lock down, then let the handler grade the job."""
    from tutor.engine.guard import Guard

    workspace, lesson = _materialise(job, full, workdir)
    job["module_path"] = os.path.join(workspace, _safe_relative(job["module"]))
    has_checks = "checks.py" in job.get("files", {}).get("lesson", {})
    job["checks_path"] = os.path.join(lesson, "checks.py") if has_checks else None
    roots = [lesson] if full else [lesson, *job.get("protected", []), *job.get("hidden", [])]
    notes = _lock_down(job, full, spaces, workdir)
    guard = Guard([job["module_path"]], roots)
    if not spaces.get("network"):
        guard.block_network()
        notes.append("network isolation unavailable on this system: only Python-level connections are refused")
    if notes:
        channel.send({"t": "note", "text": "; ".join(notes)})
    guard.protect_imports()
    guard.protect_files()
    sys.stdin = open(os.devnull)  # noqa: SIM115 - the learner gets no input
    handler.run_job(job, channel, guard)


def _flush() -> None:
    for stream in (sys.__stdout__, sys.__stderr__, sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:  # noqa: BLE001 - a stream the learner replaced or closed
            pass


def serve(sock: socket.socket, full: bool, spaces: dict, workdir: str | None) -> int:
    """Wait for the job's pipe ends, then run it. Never returns once a job arrived."""
    try:
        _data, fds, _flags, _addr = socket.recv_fds(sock, 16, 4)
    except OSError:
        return 0
    sock.close()
    if len(fds) != 3:
        return 0  # the zygote is shutting down
    job_fd, result_fd, output_fd = fds
    _flush()
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(output_fd, 1)
    os.dup2(output_fd, 2)
    os.close(output_fd)
    channel = Channel(_hide_fd(result_fd))
    iso.close_all_but({channel.fd, job_fd})  # nothing of the zygote's or the chain's is left open
    try:
        job = _read_job(job_fd)
        channel.nonce = job.get("nonce")
        run_job(job, channel, full, spaces, workdir, handler_module)
        _flush()  # the learner's output is in the pipe before the parent hears "done"
        channel.send({"t": "done"})
    except BaseException as exc:  # noqa: BLE001 - a harness failure is reported, not hidden
        try:
            channel.send({"t": "fatal", "error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()})
        except BaseException:  # noqa: BLE001 - the channel itself was broken (closed by the learner)
            pass
    _flush()
    _os_exit(0)


# -- the zygote's warm-up ---------------------------------------------------------------------------

_SYMBOLIC_SHAPES = "torch.fx.experimental.symbolic_shapes"


def lighten_autograd_imports() -> None:
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


def warm_up(torch) -> None:
    """Run the operations most scenarios use once, so their one-time setup is not paid in a check."""
    x = torch.randn(3, 5, dtype=torch.float64, generator=torch.Generator().manual_seed(0), requires_grad=True)
    for t in (x, x.detach().float()):
        e = (t - t.amax(dim=-1, keepdim=True)).exp()
        (e / e.sum(dim=-1, keepdim=True)).sum().item()
    torch.autograd.gradcheck(lambda t: t.exp() / t.exp().sum(dim=-1, keepdim=True), (x,), eps=1e-6, atol=1e-5)
    (x.tanh() @ x.T).sum().backward()
