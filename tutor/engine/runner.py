"""Runs one grading job in a sandboxed child process and streams back what it reports.

The child lives in its own session and process group, gets /dev/null as stdin, and writes
results on a private pipe (JSON lines stamped with a per-job nonce); its stdout/stderr are
drained and truncated so a flood of output cannot block it or us. The parent enforces the
limits: wall-clock time, peak resident memory and the number of processes of the child's
whole process tree (polled from /proc), and kills that tree at the limit. The child is a
subreaper, so even a grandchild that called setsid() stays in the tree; processes are also
found by their process group, session and an environment marker, in case one escapes.
"""

from __future__ import annotations

import json
import os
import queue
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from tutor.engine import isolation
from tutor.engine.errors import TutorError

STARTUP_TIMEOUT_S = 120.0
POLL_S = 0.02  # memory of the known tree: cheap, so often
SCAN_S = 0.1  # the whole process table (new processes in the tree): a few ms, so less often
OUTPUT_CAP = 1 << 20
LINE_CAP = 256 << 20
MESSAGE_CAP = 512 << 20
MAX_WORKERS_PER_JOB = 2  # after a second kill the remaining checks are not run
MARKER_VAR = "TUTOR_WORKER"
# The module whose run_job(job, channel, guard) grades inside the child: the caller's choice.
DEFAULT_HANDLER = "tutor.grader.jobs"


class SandboxError(TutorError):
    """The grading machinery itself could not run (not a fault of the learner's code)."""


@dataclass(frozen=True)
class Limits:
    time_s: float = 10.0
    memory_mb: int = 2048
    file_size_mb: int = 64
    nproc: int = 0  # 0: no RLIMIT_NPROC (it is per-user, and ignored for root)
    max_processes: int = 32  # processes alive at once in the child's tree
    output_bytes: int = OUTPUT_CAP


@dataclass
class CheckRun:
    """What the child reported for one check (or why it reported nothing)."""

    index: int
    status: str  # ok, error, not_started, forbidden, timeout, memory, crash
    data: object = None
    error: str = ""
    traceback: str = ""
    duration_s: float = 0.0
    points: dict[str, list[list[float]]] = field(default_factory=dict)
    cpu_s: float = 0.0  # CPU time the check took in the child, as the child measured it


@dataclass
class JobOutcome:
    checks: dict[int, CheckRun]
    output: str = ""
    notes: list[str] = field(default_factory=list)


def _pending(fd: int) -> int:
    """Bytes waiting in a pipe (FIONREAD); 0 when it cannot be told."""
    import array
    import fcntl
    import termios

    buf = array.array("i", [0])
    try:
        fcntl.ioctl(fd, termios.FIONREAD, buf, True)
    except OSError:
        return 0
    return buf[0]


class _CappedBuffer:
    def __init__(self, cap: int):
        self.cap, self.parts, self.size, self.dropped = cap, [], 0, 0
        self.lock = threading.Lock()
        self.closed = threading.Event()
        self.fd: int | None = None

    def drain(self, stream) -> None:
        self.fd = stream.fileno()
        try:
            for chunk in iter(lambda: stream.read1(65536), b""):
                with self.lock:
                    room = self.cap - self.size
                    if room > 0:
                        self.parts.append(chunk[:room])
                        self.size += min(len(chunk), room)
                    self.dropped += max(0, len(chunk) - max(room, 0))
        except (OSError, ValueError):
            pass
        finally:
            self.fd = None  # the number may be reused once closed
            stream.close()
            self.closed.set()

    def settle(self, timeout: float = 0.05) -> None:
        """Give the drain a moment to read what is already in the pipe (the child is killed)."""
        deadline = time.monotonic() + timeout
        while not self.closed.is_set() and time.monotonic() < deadline:
            if self.fd is None or _pending(self.fd) == 0:
                return
            time.sleep(0.001)

    def text(self) -> str:
        with self.lock:
            out = b"".join(self.parts).decode("utf-8", "replace")
            if self.dropped:
                out += f"\n... [{self.dropped} more bytes of output dropped]"
            return out


class Worker:
    """A started child that imports torch (and `preload`) ahead of its one job."""

    def __init__(self, preload: tuple[str, ...] = (), handler: str = DEFAULT_HANDLER):
        job_r, self._job_w = os.pipe()
        self._out_r, out_w = os.pipe()
        self.token = secrets.token_hex(8)
        env = dict(os.environ)
        env["PYTHONDONTWRITEBYTECODE"] = "1"  # the learner's folder gets no __pycache__
        env.setdefault("PYTHONHASHSEED", "0")
        env[MARKER_VAR] = self.token  # inherited by everything the child starts: found at kill time
        self.output = _CappedBuffer(OUTPUT_CAP)
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "tutor.engine.child", str(job_r), str(out_w), handler, ",".join(preload)],
                pass_fds=(job_r, out_w),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                env=env,
            )
        except OSError as exc:
            for fd in (job_r, out_w, self._job_w, self._out_r):
                os.close(fd)
            raise SandboxError(f"cannot start a grading process: {exc}") from None
        os.close(job_r)
        os.close(out_w)
        self.pgid = self.proc.pid
        self.nonce: str | None = None
        self.messages: queue.Queue = queue.Queue()
        self.ready = threading.Event()
        self.seen: dict[int, int] = {}  # pid -> start time of every process seen in the tree
        self._drain = threading.Thread(target=self.output.drain, args=(self.proc.stdout,), daemon=True)
        self._drain.start()
        threading.Thread(target=self._read_messages, daemon=True).start()
        self.used = False
        self.killed = False
        self._start_ticks = 0

    def alive(self) -> bool:
        return not self.killed and self.proc.poll() is None

    def _read_messages(self) -> None:
        from tutor.engine.codec import CodecError, decode

        with os.fdopen(self._out_r, "rb") as stream:
            total = 0
            while True:
                line = stream.readline(LINE_CAP)
                if not line:
                    break
                total += len(line)
                if total > MESSAGE_CAP or not line.endswith(b"\n"):
                    self.messages.put({"t": "overflow"})
                    break
                try:
                    msg = json.loads(line)
                except (ValueError, RecursionError):
                    self.messages.put({"t": "forged"})
                    continue
                if not isinstance(msg, dict):
                    self.messages.put({"t": "forged"})
                    continue
                if self.nonce is None:
                    # Before the job is sent no learner code has run: only the child speaks.
                    if msg.get("t") == "ready":
                        self.ready.set()
                        self.messages.put(msg)
                    continue
                if not secrets.compare_digest(str(msg.get("n", "")), self.nonce):
                    self.messages.put({"t": "forged"})
                    continue
                try:
                    self.messages.put(decode(msg))
                except (CodecError, ValueError, TypeError, RecursionError):
                    self.messages.put({"t": "forged"})
        self.messages.put(None)

    def submit(self, job: dict) -> None:
        self.used = True
        self.nonce = secrets.token_hex(16)
        data = json.dumps(dict(job, nonce=self.nonce)).encode()
        try:
            with os.fdopen(self._job_w, "wb") as pipe:
                pipe.write(data)
        except BrokenPipeError:
            pass

    # -- the process tree -------------------------------------------------------------------
    def scan(self) -> list[isolation.Proc]:
        """The child's live tree; remembers every member so a later kill finds escapees."""
        procs = isolation.tree(self.proc.pid, isolation.process_table())
        for p in procs:
            self.seen.setdefault(p.pid, p.start)
        return procs

    def kill(self, wait: bool = True) -> None:
        """Kill the child and everything it started.

        The first sweep (stop, then SIGKILL, every process found) happens now; a killed
        process never runs another instruction. With wait=False the sweeps that catch
        stragglers and the reaping go on in a background thread (see wait_for_cleanup), so a
        re-check does not wait for a large process to hand its memory back.
        """
        if self.killed:
            return
        self.killed = True
        self._start_ticks = self._start_ticks or _start_ticks(self.proc.pid)
        self._sweep()
        if wait:
            self._finish()
        else:
            thread = threading.Thread(target=self._finish, name="tutor-reaper", daemon=True)
            with _cleanups_lock:
                _cleanups.add(thread)
            thread.start()

    def _sweep(self) -> bool:
        """One pass: stop and kill every process of the job still alive. False when none was left."""
        me = os.getpid()
        table = isolation.process_table()
        targets = {p.pid for p in isolation.tree(self.proc.pid, table)}
        marker = f"{MARKER_VAR}={self.token}".encode()
        for p in table.values():
            if p.state == "Z" or p.pid == me:
                continue
            if p.pgid == self.pgid or p.sid == self.pgid or self.seen.get(p.pid) == p.start:
                targets.add(p.pid)
            elif p.start >= self._start_ticks and isolation.environ_has(p.pid, marker):
                # Left the tree, the group and the session (the child died first): the
                # inherited marker still names it. Only processes younger than the child can.
                targets.add(p.pid)
        targets.discard(me)
        if not targets:
            return False
        # Freeze first so a fork loop cannot outrun us, then kill.
        for sig in (signal.SIGSTOP, signal.SIGKILL):
            for pid in targets:
                try:
                    os.kill(pid, sig)
                except (ProcessLookupError, PermissionError):
                    pass
        return True

    def _finish(self) -> None:
        try:
            for _ in range(200):
                try:
                    self.proc.wait(timeout=0.005)
                except subprocess.TimeoutExpired:
                    pass
                if not self._sweep():
                    break
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
            # Every writer of the output pipe is gone now, so the drain ends at once.
            self.output.closed.wait(1.0)
        finally:
            with _cleanups_lock:
                _cleanups.discard(threading.current_thread())

    def close_unused(self) -> None:
        if not self.used:
            try:
                os.close(self._job_w)
            except OSError:
                pass
        self.kill()


_cleanups: set[threading.Thread] = set()
_cleanups_lock = threading.Lock()


def wait_for_cleanup(timeout: float = 10.0) -> bool:
    """Wait until every killed worker's process tree is gone and reaped. True when all are."""
    deadline = time.monotonic() + timeout
    while True:
        with _cleanups_lock:
            pending = list(_cleanups)
        if not pending:
            return True
        for thread in pending:
            thread.join(max(0.0, deadline - time.monotonic()))
        if time.monotonic() >= deadline:
            with _cleanups_lock:
                return not _cleanups


def _start_ticks(pid: int) -> int:
    proc = isolation.read_proc(pid)
    return proc.start if proc is not None else 0


class WorkerPool:
    """Keeps one worker started ahead of need; each worker grades once and is replaced.

    `take(refill=True)` starts the replacement at once (good when more gradings follow at
    once, as in `tutor check chapter7`); otherwise `refill()` starts it when the caller is
    done, so the replacement's torch import does not compete for the CPU with a grading.
    """

    def __init__(self, prestart: bool = True, preload: tuple[str, ...] = (), eager: bool = True):
        self._lock = threading.Lock()
        self.preload = tuple(preload)
        self.eager = eager
        self.tokens: deque[str] = deque(maxlen=1000)  # markers of the workers started, for audits
        self._closed = False
        self._spare: Worker | None = self._start() if prestart else None

    def _start(self) -> Worker:
        worker = Worker(self.preload)
        self.tokens.append(worker.token)
        return worker

    def take(self, refill: bool | None = None) -> Worker:
        with self._lock:
            spare, self._spare = self._spare, None
            worker = spare if spare is not None and spare.alive() else self._start()
            if spare is not None and spare is not worker:
                spare.close_unused()
            if (self.eager if refill is None else refill) and not self._closed:
                self._spare = self._start()
            return worker

    def refill(self) -> None:
        with self._lock:
            if self._closed:
                return
            if self._spare is None or not self._spare.alive():
                self._spare = self._start()

    def wait_ready(self, timeout: float | None = None) -> bool:
        """True once a spare worker has finished its imports."""
        spare = self._spare
        return spare is not None and spare.ready.wait(timeout)

    @property
    def spare(self) -> Worker | None:
        return self._spare

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._spare is not None:
                self._spare.close_unused()
                self._spare = None
        wait_for_cleanup()



def run_job(job: dict, check_indices: list[int], limits: Limits, *, take_worker, on_event=None,
            check_timeouts: dict[int, float] | None = None) -> JobOutcome:
    """Grade `check_indices` of a job in a worker.

    When a check is killed (timeout, memory, crash) after others in the same worker finished,
    the failure is likely specific to that check's input, so the checks after it run in one
    fresh worker. When the first check dies, the next would most likely die the same way:
    they are reported as not run instead of making the learner wait for each in turn.
    """
    outcome = JobOutcome(checks={})
    remaining = list(check_indices)
    outputs = []
    workers = 0
    stopped_by = ""
    while remaining and workers < MAX_WORKERS_PER_JOB:
        worker = take_worker()
        workers += 1
        job_now = dict(job, checks=remaining, limits=dict(job.get("limits", {}), file_size_mb=limits.file_size_mb,
                                                          nproc=limits.nproc))
        try:
            stopped = _supervise(worker, job_now, limits, outcome, on_event, check_timeouts or {})
        finally:
            worker.kill(wait=False)
            worker.output.settle()
            outputs.append(worker.output.text())
        done = [i for i in remaining if i in outcome.checks]
        remaining = [i for i in remaining if i not in outcome.checks]
        if stopped != "killed" or not done:
            break
        stopped_by = outcome.checks[done[-1]].status
        if len(done) == 1:  # the very first check of this worker was killed
            break
    for i in remaining:
        if stopped_by:
            outcome.checks[i] = CheckRun(i, stopped_by, error=f"not run: an earlier check was stopped ({stopped_by})")
        else:  # only when the child never reported at all
            outcome.checks[i] = CheckRun(i, "crash", error="the grading process ended before this check ran")
    output = "".join(o for o in outputs if o)
    if len(output) > limits.output_bytes:
        output = output[:limits.output_bytes] + "\n... [output truncated]"
    outcome.output = output
    return outcome


def _supervise(worker: Worker, job: dict, limits: Limits, outcome: JobOutcome, on_event, check_timeouts) -> str:
    """Feed one job to a worker and watch it. Returns how it stopped: done, killed, died or load."""
    emit = on_event or (lambda kind, payload: None)
    stage, current, deadline = "startup", None, time.monotonic() + STARTUP_TIMEOUT_S
    points: dict[int, dict[str, list]] = {}
    next_poll = next_scan = 0.0
    tree_pids: list[int] = []
    submitted = False
    while True:
        now = time.monotonic()
        try:
            msg = worker.messages.get(timeout=POLL_S)
        except queue.Empty:
            msg = ...
        if msg is None:  # the result pipe closed: the child exited, or the learner closed it
            return _ended(worker, job, outcome, current, stage, points)
        if isinstance(msg, dict):
            kind = msg.get("t")
            if kind == "ready" and not submitted:
                worker.submit(job)
                submitted = True
                stage, deadline = "setup", time.monotonic() + limits.time_s
            elif kind == "note":
                outcome.notes.append(str(msg.get("text", "")))
            elif kind == "stage":
                stage, deadline = str(msg.get("stage")), time.monotonic() + limits.time_s
            elif kind == "load":
                status = msg.get("status", "error")
                for i in job["checks"]:
                    outcome.checks[i] = CheckRun(i, status if status in ("not_started", "forbidden") else "error",
                                                 error=str(msg.get("error", "")), traceback=str(msg.get("traceback", "")))
                return "load"
            elif kind == "start" and msg.get("i") in job["checks"]:
                current = msg["i"]
                stage = "check"
                deadline = time.monotonic() + check_timeouts.get(current, limits.time_s)
                points[current] = {}
                emit("check_started", {"index": current})
            elif kind == "point" and current is not None and msg.get("i") == current:
                series = str(msg.get("s", "loss"))
                try:
                    point = [float(msg["k"]), float(msg["v"])]
                except (KeyError, TypeError, ValueError):
                    continue
                points[current].setdefault(series, []).append(point)
                emit("point", {"index": current, "series": series, "role": "learner", "step": point[0], "value": point[1]})
            elif kind == "result" and current is not None and msg.get("i") == current:
                status = str(msg.get("status", "error"))
                try:
                    duration = float(msg.get("duration", 0.0) or 0.0)
                    cpu = float(msg.get("cpu", 0.0) or 0.0)
                except (TypeError, ValueError):
                    duration = cpu = 0.0
                run = CheckRun(current, status if status in ("ok", "error", "not_started", "forbidden") else "error",
                               msg.get("data"), str(msg.get("error", "")), str(msg.get("traceback", "")), duration,
                               points.get(current, {}), cpu)
                outcome.checks[current] = run
                current = None
                stage, deadline = "between", time.monotonic() + limits.time_s
            elif kind == "done":
                return "done"
            elif kind == "fatal":
                if stage in ("startup", "setup"):
                    raise SandboxError(f"the grading harness failed: {msg.get('error')}")
                return _record(outcome, job, current, "crash",
                               f"the grading harness broke while running your code: {msg.get('error')}", points, stage)
            elif kind == "forged":
                return _record(outcome, job, None, "forbidden",
                               "the code wrote forged messages onto the grader's private result channel", points, stage)
            elif kind == "overflow":
                return _record(outcome, job, current, "crash",
                               "the code sent more data than the grader accepts on its result channel", points, stage)
        now = time.monotonic()
        if stage != "startup":
            if now >= next_scan:
                next_scan = now + SCAN_S
                tree_pids = sorted((p.pid for p in worker.scan()), key=lambda pid: pid != worker.proc.pid)
                if len(tree_pids) > limits.max_processes:
                    return _record(outcome, job, current, "crash",
                                   f"started more than {limits.max_processes - 1} processes at once (a fork loop?); "
                                   f"the grader stopped them all", points, stage)
            if now >= next_poll:
                next_poll = now + POLL_S
                rss = isolation.rss_mb(tree_pids or [worker.proc.pid])
                if rss > limits.memory_mb:
                    return _record(outcome, job, current, "memory",
                                   f"used more than {limits.memory_mb} MB of memory (measured {rss:.0f} MB)", points, stage)
        if now > deadline:
            if stage == "startup":
                raise SandboxError(f"the grading worker did not start within {STARTUP_TIMEOUT_S:g} s")
            limit = check_timeouts.get(current, limits.time_s) if current is not None else limits.time_s
            return _record(outcome, job, current, "timeout", f"did not finish within the time limit of {limit:g} s",
                           points, stage)


def _record(outcome: JobOutcome, job: dict, current, status: str, error: str, points, stage: str = "check") -> str:
    if current is None:
        # Stopped while importing the learner's module or between checks: every check left gets it.
        where = {"import": " (while importing your file)", "setup": " (while importing your file)",
                 "between": " (between checks)"}.get(stage, "")
        for i in job["checks"]:
            if i not in outcome.checks or status == "forbidden":
                outcome.checks[i] = CheckRun(i, status, error=f"{error}{where}")
        return "load"
    outcome.checks[current] = CheckRun(current, status, error=error, points=points.get(current, {}))
    return "killed"


def _ended(worker: Worker, job: dict, outcome: JobOutcome, current, stage: str, points) -> str:
    try:
        code = worker.proc.wait(timeout=1.0)
    except subprocess.TimeoutExpired:
        code = None
    if code is None:
        error = "the code closed the grader's private result channel"
    elif code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        error = f"the process was killed by {name}" + (" (a segmentation fault)" if code == -signal.SIGSEGV else "")
    else:
        error = f"the process exited (code {code}) before returning a result"
    if stage == "startup":
        last = next((line for line in reversed(worker.output.text().splitlines()) if line.strip()), "")
        raise SandboxError(f"the grading worker failed to start: {error}" + (f" ({last.strip()[:300]})" if last else ""))
    return _record(outcome, job, current, "crash", error, points, stage)
