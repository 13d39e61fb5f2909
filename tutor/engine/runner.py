"""Runs one grading job in a sandboxed child process and streams back what it reports.

The child lives in its own session and process group, gets no stdin, and writes results on a
private pipe; its stdout/stderr are drained and truncated so a flood of output cannot block
it or us. The parent enforces the wall-clock and memory limits (peak resident set of the
whole process group, polled) and kills the group at the limit.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

STARTUP_TIMEOUT_S = 120.0
POLL_S = 0.02
OUTPUT_CAP = 1 << 20
MESSAGE_CAP = 512 << 20


@dataclass(frozen=True)
class Limits:
    time_s: float = 10.0
    memory_mb: int = 2048
    file_size_mb: int = 64
    nproc: int = 0  # 0: no RLIMIT_NPROC (it is per-user, and ignored for root)
    max_processes: int = 32  # processes alive at once in the child's group
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


@dataclass
class JobOutcome:
    checks: dict[int, CheckRun]
    output: str = ""
    notes: list[str] = field(default_factory=list)


class _CappedBuffer:
    def __init__(self, cap: int):
        self.cap, self.parts, self.size, self.dropped = cap, [], 0, 0
        self.lock = threading.Lock()

    def drain(self, stream) -> None:
        for chunk in iter(lambda: stream.read1(65536), b""):
            with self.lock:
                room = self.cap - self.size
                if room > 0:
                    self.parts.append(chunk[:room])
                    self.size += min(len(chunk), room)
                self.dropped += max(0, len(chunk) - max(room, 0))
        stream.close()

    def text(self) -> str:
        with self.lock:
            out = b"".join(self.parts).decode("utf-8", "replace")
            if self.dropped:
                out += f"\n... [{self.dropped} more bytes of output dropped]"
            return out


class Worker:
    """A started child, importing torch in the background until a job is submitted."""

    def __init__(self):
        job_r, self._job_w = os.pipe()
        self._out_r, out_w = os.pipe()
        env = dict(os.environ)
        env["PYTHONDONTWRITEBYTECODE"] = "1"  # the learner's folder gets no __pycache__
        env.setdefault("PYTHONHASHSEED", "0")
        self.output = _CappedBuffer(OUTPUT_CAP)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tutor.engine.child", str(job_r), str(out_w)],
            pass_fds=(job_r, out_w),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env=env,
        )
        os.close(job_r)
        os.close(out_w)
        self.pgid = self.proc.pid
        self.messages: queue.Queue = queue.Queue()
        threading.Thread(target=self.output.drain, args=(self.proc.stdout,), daemon=True).start()
        threading.Thread(target=self._read_messages, daemon=True).start()
        self.started_at = time.monotonic()
        self.used = False

    def _read_messages(self) -> None:
        with os.fdopen(self._out_r, "rb") as stream:
            total = 0
            for line in stream:
                total += len(line)
                if total > MESSAGE_CAP:
                    self.messages.put({"t": "overflow"})
                    break
                try:
                    from tutor.engine.codec import CodecError, decode

                    self.messages.put(decode(json.loads(line)))
                except (ValueError, CodecError, RecursionError):
                    self.messages.put({"t": "garbage"})
        self.messages.put(None)

    def submit(self, job: dict) -> None:
        self.used = True
        data = json.dumps(job).encode()
        try:
            with os.fdopen(self._job_w, "wb") as pipe:
                pipe.write(data)
        except BrokenPipeError:
            pass

    def kill(self) -> None:
        try:
            os.killpg(self.pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        kill_stragglers(self.pgid)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass

    def close_unused(self) -> None:
        if not self.used:
            try:
                os.close(self._job_w)
            except OSError:
                pass
        self.kill()


def kill_stragglers(pgid: int) -> None:
    """Kill every process still in the group (e.g. a grandchild that outlived the child)."""
    for pid in group_pids(pgid):
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def group_pids(pgid: int) -> list[int]:
    pids = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2:].split()
        if len(fields) > 2 and int(fields[2]) == pgid and fields[0] != b"Z":
            pids.append(int(entry.name))
    return pids


def group_rss_mb(pgid: int) -> float:
    page = os.sysconf("SC_PAGE_SIZE")
    total = 0
    for pid in group_pids(pgid):
        try:
            with open(f"/proc/{pid}/statm", "rb") as fh:
                total += int(fh.read().split()[1]) * page
        except (OSError, IndexError, ValueError):
            continue
    return total / (1024 * 1024)


class WorkerPool:
    """Keeps one worker started ahead of need; each worker grades once and is replaced."""

    def __init__(self, prestart: bool = True):
        self._lock = threading.Lock()
        self._spare: Worker | None = Worker() if prestart else None

    def take(self) -> Worker:
        with self._lock:
            worker = self._spare if self._spare is not None and self._spare.proc.poll() is None else Worker()
            self._spare = Worker()
            return worker

    def close(self) -> None:
        with self._lock:
            if self._spare is not None:
                self._spare.close_unused()
                self._spare = None


EventSink = "Callable[[str, dict], None]"


def run_job(job: dict, check_indices: list[int], limits: Limits, *, take_worker, on_event=None,
            check_timeouts: dict[int, float] | None = None) -> JobOutcome:
    """Grade `check_indices` of a job; a killed child is replaced for the checks after it."""
    outcome = JobOutcome(checks={})
    remaining = list(check_indices)
    outputs = []
    while remaining:
        worker = take_worker()
        job_now = dict(job, checks=remaining)
        stopped = _supervise(worker, job_now, limits, outcome, on_event, check_timeouts or {})
        outputs.append(worker.output.text())
        done = [i for i in remaining if i in outcome.checks]
        remaining = [i for i in remaining if i not in outcome.checks]
        if stopped == "load" or not done:
            break
    for i in remaining:  # only when the child never reported at all
        outcome.checks.setdefault(i, CheckRun(i, "crash", error="the grading process ended before this check ran"))
    outcome.output = "".join(o for o in outputs if o)[-OUTPUT_CAP:]
    return outcome


def _supervise(worker: Worker, job: dict, limits: Limits, outcome: JobOutcome, on_event, check_timeouts) -> str:
    """Feed one job to a worker and watch it. Returns how it stopped: done, killed, died or load."""
    emit = on_event or (lambda kind, payload: None)
    stage, current, deadline = "startup", None, time.monotonic() + STARTUP_TIMEOUT_S
    points: dict[int, dict[str, list]] = {}
    next_poll = 0.0
    submitted = False
    try:
        while True:
            now = time.monotonic()
            try:
                msg = worker.messages.get(timeout=POLL_S)
            except queue.Empty:
                msg = ...
            if msg is None:  # the child closed its result pipe: it has exited
                worker.proc.wait()
                return _died(worker, job, outcome, current, stage, points)
            if isinstance(msg, dict):
                kind = msg.get("t")
                if kind == "ready" and not submitted:
                    worker.submit(job)
                    submitted = True
                    stage, deadline = "import", time.monotonic() + limits.time_s
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
                elif kind == "point" and msg.get("i") == current:
                    series = str(msg.get("s", "loss"))
                    try:
                        point = [float(msg["k"]), float(msg["v"])]
                    except (KeyError, TypeError, ValueError):
                        continue
                    points[current].setdefault(series, []).append(point)
                    emit("point", {"index": current, "series": series, "role": "learner", "step": point[0], "value": point[1]})
                elif kind == "result" and msg.get("i") == current:
                    run = CheckRun(current, str(msg.get("status", "error")), msg.get("data"), str(msg.get("error", "")),
                                   str(msg.get("traceback", "")), float(msg.get("duration", 0.0) or 0.0),
                                   points.get(current, {}))
                    if run.status not in ("ok", "error", "not_started", "forbidden"):
                        run.status = "error"
                    outcome.checks[current] = run
                    current = None
                    stage, deadline = "between", time.monotonic() + limits.time_s
                elif kind == "done":
                    return "done"
                elif kind == "fatal":
                    raise RuntimeError(f"grading harness failed: {msg.get('error')}\n{msg.get('traceback', '')}")
                elif kind in ("overflow", "garbage"):
                    worker.kill()
                    return _record(outcome, job, current, "crash", "the code wrote garbage onto the grader's result channel", points)
            if now >= next_poll:
                next_poll = now + 0.05
                if stage != "startup":
                    rss = group_rss_mb(worker.pgid)
                    if rss > limits.memory_mb:
                        worker.kill()
                        return _record(outcome, job, current, "memory",
                                       f"used more than {limits.memory_mb} MB of memory (measured {rss:.0f} MB)", points, stage)
                    if len(group_pids(worker.pgid)) > limits.max_processes:
                        worker.kill()
                        return _record(outcome, job, current, "crash",
                                       f"started more than {limits.max_processes} processes", points, stage)
            if time.monotonic() > deadline:
                worker.kill()
                if stage == "startup":
                    raise RuntimeError("the grading worker did not start in time")
                limit = check_timeouts.get(current, limits.time_s) if current is not None else limits.time_s
                return _record(outcome, job, current, "timeout", f"did not finish within the time limit of {limit:g} s",
                               points, stage)
    finally:
        worker.kill()


def _record(outcome: JobOutcome, job: dict, current, status: str, error: str, points, stage: str = "check") -> str:
    if current is None:
        # Killed while importing the learner's module or between checks: every check left gets it.
        where = "while importing your file" if stage == "import" else "between checks"
        for i in job["checks"]:
            if i not in outcome.checks:
                outcome.checks[i] = CheckRun(i, status, error=f"{error} ({where})")
        return "load"
    outcome.checks[current] = CheckRun(current, status, error=error, points=points.get(current, {}))
    return "killed"


def _died(worker: Worker, job: dict, outcome: JobOutcome, current, stage: str, points) -> str:
    code = worker.proc.returncode
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        error = f"the process was killed by {name}"
    else:
        error = f"the process exited (code {code}) before returning a result"
    if stage == "startup":
        raise RuntimeError(f"the grading worker failed to start: {error}\n{worker.output.text()[-2000:]}")
    return _record(outcome, job, current, "crash", error, points, stage)
